"""A notebook session as a researcher types it, checked by ``mypy --strict``: every result has its real type, never
``Any`` (drone-ledger ships ``py.typed``). ``mypy`` (pyproject.toml) checks this file with the package;
tests/test_results.py runs it on the mini ledger, and in the long profile runs mypy on it as a user's project would.
"""

from __future__ import annotations

from pathlib import Path
from typing import assert_type

import pandas as pd

import drone_ledger as dl


def session(ledger_dir: Path | None = None, dollar_year: int = 2024) -> dict[str, pd.DataFrame]:
    """Load a ledger once, ask it questions, tabulate the answers."""
    ledger = dl.load_ledger(ledger_dir)
    report = dl.validate_ledger(ledger)
    assert_type(report, dl.ValidationReport)
    issues = report.to_frame()
    codes: list[dl.IssueCode] = [issue.code for issue in report.issues]
    severities: set[dl.Severity] = {issue.severity for issue in report.issues}
    assert all(isinstance(code, dl.IssueCode) for code in codes) and severities <= set(dl.Severity)

    claim = dl.compare_claim(ledger, "C2" if ledger_dir else "AZ-2020-10-14-F24")
    assert_type(claim, dl.ClaimComparison)
    share: dl.ValueRange | None = claim.ceiling.share_of_claim
    assert share is None or share.low <= share.central <= share.high

    in_that_year = dl.Assumptions(dollar_year=dollar_year)
    overview = dl.compare_claims(ledger, in_that_year)
    assert_type(overview, dl.ClaimsOverview)
    costed = dl.cost_losses(ledger, in_that_year)
    assert_type(costed, pd.DataFrame)

    edited = ledger["losses"]
    edited.loc[:, "notes"] = "checked"
    checked = ledger.replace(losses=edited)
    assert_type(checked, dl.Ledger)

    return {
        "issues": issues,
        "buckets": claim.to_frame(),
        "claims": overview.to_frame(),
        "costed": costed,
        "sensitivity": dl.sensitivity(checked, claim.claim["claim_id"]).to_frame(),
        "trace": dl.trace_claim(ledger, claim.claim["claim_id"], "unattributed").to_frame(),
    }
