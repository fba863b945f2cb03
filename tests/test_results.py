"""Every result a public function returns turns into a tidy DataFrame (``to_frame``), with figures worked out by hand
on the mini ledger (tests/test_ledger.py's docstring gives claim C2's; unit value of a T-72 180 central).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI

import drone_ledger
from drone_ledger import (
    claim_consistency,
    compare_claim,
    compare_claims,
    known_conflicts,
    summarize_conflict,
    validate_ledger,
)
from drone_ledger.dictionary import DataDictionary
from drone_ledger.results.ledger import ConflictAddition, ImportReport


def _cells(frame: pd.DataFrame) -> list[list[object]]:
    """The frame's rows, an empty cell as ""."""
    rows: list[list[object]] = frame.astype(object).where(frame.notna(), "").values.tolist()
    return rows


def _public_results() -> list[type]:
    """The classes the public functions of ``drone_ledger`` return (read from their annotations)."""
    found = []
    for name in drone_ledger.__all__:
        function = getattr(drone_ledger, name)
        if not inspect.isfunction(function):
            continue
        returned = getattr(drone_ledger, str(inspect.signature(function).return_annotation), None)
        if inspect.isclass(returned) and hasattr(returned, "to_dict"):
            found.append(returned)
    return sorted(set(found), key=lambda cls: cls.__name__)


def test_every_public_result_has_to_frame() -> None:
    results = _public_results()
    names = {cls.__name__ for cls in results}
    assert {"ClaimComparison", "ClaimsOverview", "ValidationReport", "ImportReport", "ConflictSummary"} <= names
    assert {"Trace", "Breakdown", "Sensitivity", "Consistency", "ConflictAddition", "KnownConflicts"} <= names
    assert [cls.__name__ for cls in results if not callable(getattr(cls, "to_frame", None))] == []
    assert callable(DataDictionary.to_frame)


def test_a_claim_comparison_is_a_row_per_bucket() -> None:
    """C2 credits every means: attributed L1 2 + L2 1 + L5 1 + L8 1 = 5 items ($900), unattributed L3 3
    (uncosted) + L4 4 = 7 ($720), all with no attribution at all; documented = ceiling = 12 items, $1,620,
    32.4% of the $5,000 claimed."""
    frame = compare_claim(MINI, "C2").to_frame()
    rows = [(k, n, i, c) for k, n, i, c in frame[["kind", "name", "items", "value_usd_central"]].itertuples(False)]
    assert rows == [
        ("bucket", "attributed", 5, 900.0),
        ("bucket", "other", 0, 0.0),
        ("bucket", "unattributed", 7, 720.0),
        ("part", "none", 7, 720.0),
        ("figure", "documented", 12, 1620.0),
        ("figure", "ceiling", 12, 1620.0),
    ]
    assert frame["claim_id"].eq("C2").all() and frame["dollar_year"].eq(2020).all()
    assert frame.loc[frame["name"].eq("documented"), "share_of_claim_central"].item() == pytest.approx(0.324)
    assert frame.loc[frame["name"].eq("unattributed"), "items_uncosted"].item() == 3


def test_the_claims_overview_is_a_row_per_claim() -> None:
    frame = compare_claims(MINI).to_frame()
    assert frame["claim_id"].tolist() == ["C1", "C2", "C3", "C4"]
    assert frame.loc[1, ["figure", "documented_items", "documented_value_usd_central"]].tolist() == [
        "documented",
        12,
        1620.0,
    ]
    assert "implied_usd" not in frame.columns and frame.loc[2, "implied_usd_central"] == pytest.approx(1800)


def test_a_validation_report_is_a_row_per_issue(with_defect: Callable[[str], Path]) -> None:
    report = validate_ledger(with_defect("losses_negative_quantity.csv"))
    frame = report.to_frame()
    assert list(frame.columns) == ["table", "file", "line", "column", "code", "value", "message", "severity"]
    errors = frame[frame["severity"].eq("error")]
    assert errors[["table", "line", "column", "code", "value"]].values.tolist() == [
        ["losses", 3, "quantity", "out-of-range", "-1"]
    ]
    as_records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    assert as_records == [issue.to_dict() for issue in report.issues]
    assert str(frame["line"].dtype) == "Int64"


def test_a_conflict_summary_is_a_row_per_group() -> None:
    """Side A: 13 items (12 destroyed, L6 damaged); unattributed 8 (L3 3, L4 4 and L6's unverified TB2 claim)."""
    frame = summarize_conflict(MINI, "war-x", "A").to_frame()
    picked = frame.set_index(["breakdown", "name"])[["items", "value_usd_central"]]
    assert picked.loc[("total", "total")].tolist() == [13, 1800.0]
    assert picked.loc[("system", "unattributed")].tolist() == [8, 900.0]
    assert picked.loc[("status", "destroyed")].tolist() == [12, 1620.0]
    assert picked.loc[("status", "damaged")].tolist() == [1, 180.0]
    assert frame["conflict"].eq("war-x").all() and frame["side"].eq("A").all()


def test_consistency_is_a_row_per_count_claim() -> None:
    """C3 (10 tanks) is priced through the category proxy: 10 x 180; C4 (S-300) has no cost key."""
    frame = claim_consistency(MINI).to_frame()
    assert _cells(frame[["claim_id", "cost_key", "implied_usd_central"]]) == [
        ["C3", "T-72", 1800.0],
        ["C4", "", ""],
    ]
    assert frame.loc[1, "uncosted_reason"] == "no cost key"


def test_an_import_report_is_a_row_per_change_and_rejected_record() -> None:
    report = ImportReport("src.csv", "ledger", "L", dry_run=True)
    report.changes = [{"loss_id": "L1", "column": "notes", "old": "", "new": "seen twice"}]
    report.rejects = [{"source_line": 4, "reasons": ["quantity: out-of-range", "status: invalid-value"], "values": {}}]
    frame = report.to_frame()
    assert _cells(frame) == [
        ["updated", "L1", "notes", "", "seen twice", "", ""],
        ["rejected", "", "", "", "", 4, "quantity: out-of-range | status: invalid-value"],
    ]
    assert ImportReport("s", "ledger", "L", dry_run=True).to_frame().empty


def test_conflicts_known_and_added_are_rows() -> None:
    assert known_conflicts().to_frame()["conflict_id"].tolist() == ["karabakh-2020", "ukraine-2022"]
    added = ConflictAddition("L", "war-y", "added", {"conflict_id": "war-y", "name": "Y"}, line=3).to_frame()
    assert added.to_dict("records") == [{"conflict_id": "war-y", "name": "Y", "status": "added", "line": 3}]


def test_the_data_dictionary_is_a_row_per_column() -> None:
    frame = DataDictionary().to_frame()
    assert frame.loc[0, ["table", "name", "type", "required", "unique"]].tolist() == [
        "losses",
        "loss_id",
        "text",
        True,
        True,
    ]
    assert frame.groupby("table", sort=False).size().to_dict()["cpi"] == 6
    assert isinstance(frame, pd.DataFrame)
