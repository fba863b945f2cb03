"""Computing everything a claim's report page shows, from one validated ledger."""

from __future__ import annotations

import math

from drone_ledger import __version__, vocab
from drone_ledger.analysis import claim_consistency, sensitivity, trace_claim
from drone_ledger.claims import compare_claim
from drone_ledger.context import context
from drone_ledger.ledger import LedgerLike, default_ledger_path
from drone_ledger.record import means_records
from drone_ledger.results.analysis import Consistency
from drone_ledger.results.claims import ClaimReport, LossSource
from drone_ledger.results.core import Assumptions
from drone_ledger.validation import require_valid

__all__ = ["TRACED_BUCKETS", "build_report"]

#: The buckets whose rows the page lists (``uncosted`` cuts across them).
TRACED_BUCKETS = ("attributed", "other", "unattributed")


def build_report(
    ledger: LedgerLike,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    assumptions: Assumptions | None = None,
) -> ClaimReport:
    """Compute everything a claim's report page shows, validating the ledger once.

    Parameters
    ----------
    ledger:
        A loaded ledger, a ledger directory, or None for the bundled one.
    claim_id:
        Key into claims.csv (default: Aliyev's $1 billion to France 24).
    assumptions:
        Dollar year and price observations for the comparison, the traces and the consistency; the sensitivity
        grid varies its own scenarios from the defaults.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownClaimError
        If ``claim_id`` is not in claims.csv.
    """
    loaded = require_valid(ledger)
    assumptions = assumptions or Assumptions()
    comparison = compare_claim(loaded, claim_id, assumptions)
    exact_id = str(comparison.claim["claim_id"])
    traces = {bucket: trace_claim(loaded, exact_id, bucket, assumptions=assumptions) for bucket in TRACED_BUCKETS}
    everything = claim_consistency(loaded, assumptions)
    side = comparison.claim["scope_side"]
    consistency = Consistency(
        everything.dollar_year, [g for g in everything.groups if g.side == side], list(everything.notes)
    )
    wanted = {row.loss_id for trace in traces.values() for row in trace.rows}
    losses = loaded["losses"]
    sources = {}
    for row in losses[losses["loss_id"].isin(sorted(wanted))].itertuples():
        loss_id = str(row.loss_id)
        sources[loss_id] = LossSource(loss_id, _text(row.source_name), str(row.source_url), _text(row.notes))
    return ClaimReport(
        records=means_records(context(loaded, assumptions), comparison.claim, comparison.dollar_year),
        comparison=comparison,
        sensitivity=sensitivity(loaded, exact_id),
        consistency=consistency,
        traces=traces,
        sources=sources,
        ledger=str(loaded.path),
        version=__version__,
        bundled=loaded.path.resolve() == default_ledger_path().resolve(),
    )


def _text(value: object) -> str | None:
    """A cell as text; None for an empty or missing one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return text if text and text not in ("<NA>", "nan") else None
