"""Plain result objects: what the library returns and every view serialises — all of them, in one place.

Every result is a dataclass with ``to_dict()`` (what ``--format json`` prints); views read attributes, never
string keys. No pandas at import time: the CLI's help path imports this package (``to_frame`` imports it lazily).

* :mod:`.core` — the building blocks: :class:`Issue`, :class:`ValidationReport`, :class:`ValueRange`,
  :class:`BucketTotal`, :class:`Assumptions`, labels.
* :mod:`.claims` — one claim against the ledger (:class:`ClaimComparison`), every claim, a conflict's totals,
  the report page's :class:`ClaimReport`.
* :mod:`.analysis` — :class:`Trace`, :class:`Breakdown`, :class:`Sensitivity`, :class:`Consistency`.
* :mod:`.ledger` — what changed a ledger: :class:`ImportReport`, :class:`ConflictAddition`; the catalog of
  :class:`KnownConflicts`.
* :mod:`.sources` — what an import of a primary source found beside its rows: :class:`PageCheck` (an Oryx
  page against its own counts), :class:`JoinSummary` (WarSpotting records joined with Oryx items).

The money and share formatters are :mod:`drone_ledger.formatting`'s; they are re-exported here, where they were.
"""

from __future__ import annotations

from drone_ledger.formatting import format_range, format_share, format_usd

from .analysis import (
    Breakdown,
    BreakdownGroup,
    Consistency,
    ConsistencyGroup,
    CountClaimPrice,
    DollarClaimMatch,
    ObservationEffect,
    ObservationUsed,
    PriceBasis,
    Scenario,
    Sensitivity,
    Trace,
    TraceRow,
)
from .claims import (
    BUCKET_LABELS,
    AttributionGroup,
    BreakEven,
    ClaimComparison,
    ClaimHeadline,
    ClaimReport,
    ClaimsOverview,
    ConflictSummary,
    Coverage,
    DoubleCount,
    EvidenceNote,
    LossSource,
    MeansAttribution,
    SideLosses,
    UnconfirmedRoute,
    UncostedCategory,
    UncostedGroup,
    UnusableObservation,
    WideReading,
    bucket_rows,
)
from .core import (
    CENTRAL_METHODS,
    CONFIDENCE_LEVELS,
    MEANS_LABELS,
    PRICE_EXTREMES,
    UNATTRIBUTED_PARTS,
    Assumptions,
    BucketTotal,
    Issue,
    ValidationReport,
    ValueRange,
    clean_number,
    means_label,
    range_dict,
)
from .ledger import (
    ADDED,
    CONFLICTS_FILE,
    REFUSED,
    UNCHANGED,
    ConflictAddition,
    ImportReport,
    KnownConflicts,
    describe_change,
)
from .sources import HeadingCount, JoinSummary, PageCheck

__all__ = [
    "BUCKET_LABELS",
    "bucket_rows",
    "ADDED",
    "Assumptions",
    "AttributionGroup",
    "BreakEven",
    "Breakdown",
    "BreakdownGroup",
    "BucketTotal",
    "CONFIDENCE_LEVELS",
    "CONFLICTS_FILE",
    "ClaimComparison",
    "ClaimHeadline",
    "ClaimReport",
    "ClaimsOverview",
    "ConflictAddition",
    "ConflictSummary",
    "Consistency",
    "ConsistencyGroup",
    "CountClaimPrice",
    "Coverage",
    "DoubleCount",
    "ObservationEffect",
    "PriceBasis",
    "SideLosses",
    "UnconfirmedRoute",
    "UncostedCategory",
    "WideReading",
    "DollarClaimMatch",
    "EvidenceNote",
    "HeadingCount",
    "ImportReport",
    "Issue",
    "JoinSummary",
    "KnownConflicts",
    "LossSource",
    "MEANS_LABELS",
    "MeansAttribution",
    "ObservationUsed",
    "PRICE_EXTREMES",
    "PageCheck",
    "CENTRAL_METHODS",
    "REFUSED",
    "Scenario",
    "Sensitivity",
    "Trace",
    "TraceRow",
    "UNATTRIBUTED_PARTS",
    "UNCHANGED",
    "UncostedGroup",
    "UnusableObservation",
    "ValidationReport",
    "ValueRange",
    "clean_number",
    "describe_change",
    "format_range",
    "format_share",
    "format_usd",
    "means_label",
    "range_dict",
]
