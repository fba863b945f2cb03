"""Plain result objects: what the library returns and every view serialises.

Every result is a dataclass with ``to_dict()`` (what ``--format json`` prints); views read attributes, never
string keys. No pandas at import time: the CLI's help path imports this module (``to_frame`` imports it lazily).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .scopes import split_list

if TYPE_CHECKING:
    import pandas as pd

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Issue:
    """One problem found in the data: where it is, a stable code, and what to do.

    ``line`` is the line number a researcher sees in an editor (the header is
    line 1), not a DataFrame index; it is None for file- or table-level issues.
    """

    table: str
    file: str
    line: int | None
    column: str | None
    code: str
    value: str | None
    message: str
    severity: str = "error"

    def location(self) -> str:
        """Return ``file:line`` (plus the column) for messages."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} [{self.column}]" if self.column else where

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as JSON-ready dict."""
        return asdict(self)


@dataclass
class ValidationReport:
    """Every issue in a ledger, errors and warnings, found in one pass."""

    ledger: str
    issues: list[Issue] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        """Issues that make the ledger invalid."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """Issues worth a look that do not invalidate the ledger."""
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def exit_code(self) -> int:
        """0 when valid, 1 when the data has errors."""
        return 0 if self.valid else 1

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "ledger": self.ledger,
            "valid": self.valid,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "rows": dict(self.tables),
            "issues": [i.to_dict() for i in self.issues],
        }


def clean_number(value: float | None, digits: int = 2) -> float | None:
    """Round a float for JSON; NaN and None become None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


@dataclass(frozen=True)
class ValueRange:
    """A low / central / high range: dollars in one dollar year, or a share of a claim."""

    low: float
    central: float
    high: float

    def to_dict(self, digits: int = 2) -> dict[str, float | None]:
        """Return the range rounded (to cents by default)."""
        return {
            "low": clean_number(self.low, digits),
            "central": clean_number(self.central, digits),
            "high": clean_number(self.high, digits),
        }

    def scaled(self, factor: float) -> ValueRange:
        """The range multiplied by ``factor`` (another dollar year, a share)."""
        return ValueRange(self.low * factor, self.central * factor, self.high * factor)

    @property
    def is_point(self) -> bool:
        """True when low and high are the same figure."""
        return self.low == self.high


def range_dict(value: ValueRange | None, digits: int = 2) -> dict[str, float | None] | None:
    """``value.to_dict(digits)``, or None."""
    return None if value is None else value.to_dict(digits)


@dataclass
class BucketTotal:
    """Items and value of one group of losses (a claim bucket, a category, a system …).

    ``inside_period`` is the part of the group that lies certainly inside the claim's period (None where no
    period applies): the rest is only *possibly* inside it, or the figure would not contain it.
    """

    name: str
    items: int
    items_costed: int
    items_uncosted: int
    items_possibly_in_period: int
    value: ValueRange
    share_of_claim: ValueRange | None = None
    inside_period: BucketTotal | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the bucket as a JSON-ready dict."""
        data: dict[str, Any] = {
            "name": self.name,
            "items": self.items,
            "items_costed": self.items_costed,
            "items_uncosted": self.items_uncosted,
            "items_possibly_in_period": self.items_possibly_in_period,
            "value_usd": self.value.to_dict(),
            "share_of_claim": range_dict(self.share_of_claim, 6),
        }
        if self.inside_period is not None:
            inside = self.inside_period.to_dict()
            data["inside_period"] = {k: v for k, v in inside.items() if k not in ("name", "items_possibly_in_period")}
        return data


CONFIDENCE_LEVELS = ("high", "medium", "low", "unverified")
#: Price-observation choices the scenarios use (see :attr:`Assumptions.price_extreme`).
PRICE_EXTREMES = ("lowest", "highest")


@dataclass(frozen=True)
class Assumptions:
    """Every choice that moves a dollar figure; printed with every result.

    Parameters
    ----------
    dollar_year:
        Year to express dollar values in; None means the claim's own year. Shares of a claim never depend on
        it: they are computed in the claim's own dollars.
    applicability:
        Which price observations count: ``direct`` only by default; add
        ``upper_reference`` and/or ``floor_reference`` to widen the range.
    damaged_weight:
        Fraction of a unit's value counted for a damaged item (1.0 = full).
    attributed_confidences:
        Confidences at which an attribution to the claim's means counts as attributed; others are treated as
        unattributed and listed separately.
    other_confidences:
        Confidences at which an attribution to a system *outside* the claim's means takes the loss out of the
        ceiling; None: the same as ``attributed_confidences``.
    include_possibly_in_period:
        Whether losses whose date interval is not wholly inside the claim's period (whole-war tallies, month
        dates) count toward it.
    price_extreme:
        None, or ``lowest`` / ``highest``: each unit value the lowest (highest) that any choice of price
        observations gives — the price side of the worst (best) case for a claim.
    """

    dollar_year: int | None = None
    applicability: tuple[str, ...] = ("direct",)
    damaged_weight: float = 1.0
    attributed_confidences: tuple[str, ...] = ("high", "medium", "low")
    include_possibly_in_period: bool = True
    other_confidences: tuple[str, ...] | None = None
    price_extreme: str | None = None

    @property
    def excluding_confidences(self) -> tuple[str, ...]:
        """Confidences at which an attribution elsewhere takes a loss out of the ceiling."""
        return self.attributed_confidences if self.other_confidences is None else self.other_confidences

    def to_dict(self) -> dict[str, Any]:
        """Return the assumptions as a JSON-ready dict."""
        data = asdict(self)
        data["applicability"] = list(self.applicability)
        data["attributed_confidences"] = list(self.attributed_confidences)
        data["other_confidences"] = list(self.excluding_confidences)
        return data


def format_usd(value: float) -> str:
    """Format dollars compactly: $1.0bn, $189.9M, $72.1k."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"${value / size:,.1f}{suffix}"
    return f"${value:,.0f}"


def format_range(value: ValueRange | None, empty: str = "—") -> str:
    """``$147.4M ($84.0M–$234.7M)``: central, then low–high when they differ; ``empty`` for None."""
    if value is None:
        return empty
    if value.is_point:
        return format_usd(value.central)
    return f"{format_usd(value.central)} ({format_usd(value.low)}–{format_usd(value.high)})"


def format_share(share: ValueRange | None) -> str:
    """``14.7% (8.4%–23.5%)``: the central share, then the range when it differs (to 0.1%)."""
    if share is None:
        return ""
    if round(share.low, 3) == round(share.high, 3):
        return f"{share.central:.1%}"
    return f"{share.central:.1%} ({share.low:.1%}–{share.high:.1%})"


MEANS_LABELS = {
    "all": "any means",
    "drones": "drones (all types)",
    "armed-drones": "armed drones (type not named)",
    "turkish-supplied": "Turkish-supplied systems",
    "turkish-supplied-drones": "Turkish-supplied drones",
}


def means_label(scope: str) -> str:
    """A readable name for a claim's ``scope_systems``."""
    return " or ".join(MEANS_LABELS.get(token, token) for token in split_list(scope))


# --- claim comparison ------------------------------------------------------------------------------------------


#: The parts of the unattributed bucket.
UNATTRIBUTED_PARTS = {
    "none": "no attribution at all",
    "vague": "attribution too vague to decide",
    "not-accepted": "attribution below the accepted confidence",
}


@dataclass
class AttributionGroup:
    """Losses in a claim's scope with the same bucket, part, recorded system and confidence."""

    bucket: str
    part: str | None  # for the unattributed bucket: a key of UNATTRIBUTED_PARTS
    system: str
    confidence: str | None
    total: BucketTotal

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a JSON-ready dict."""
        return {
            "bucket": self.bucket,
            "part": self.part,
            "system": self.system,
            "confidence": self.confidence,
            **{k: v for k, v in self.total.to_dict().items() if k != "name"},
        }


@dataclass
class UncostedGroup:
    """Uncosted losses in scope with the same bucket, category, model, reason and cost key."""

    category: str
    model: str | None
    items: int
    losses: int
    example_loss_id: str
    bucket: str
    reason: str
    cost_key: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a JSON-ready dict."""
        return asdict(self)


@dataclass
class Coverage:
    """Which categories in a claim's scope have a tally, only individual reports, or nothing."""

    counted: list[str]
    reports_only: list[str]
    no_documented_counts: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Return the coverage as a JSON-ready dict."""
        return asdict(self)


@dataclass
class MeansAttribution:
    """A loss of the claim's side attributed to a system within its means, and whether it counts."""

    loss_id: str
    system: str
    confidence: str
    status: str
    category: str
    items: int
    counted: bool
    why_not_counted: str | None
    source_url: str

    def to_dict(self) -> dict[str, Any]:
        """Return the attribution as a JSON-ready dict."""
        return asdict(self)


@dataclass
class UnusableObservation:
    """A price observation for a cost key in scope that could not be used, and why."""

    obs_id: str
    cost_key: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the observation as a JSON-ready dict."""
        return asdict(self)


@dataclass
class BreakEven:
    """What it would take for a claim to hold, given the figure it is set against.

    For a dollar claim: the rest of the claimed amount beyond the figure's costed value, and what each of the
    figure's uncosted items would have to be worth on average to make it up; the categories with no documented
    counts could hold it too. For a count claim: how many more items.
    """

    figure: str  # "ceiling" or "documented"
    reached: bool
    remainder_usd: ValueRange | None  # dollar claims: amount minus value (high, central, low), never below 0
    remainder_items: int | None  # count claims: amount minus items, never below 0
    uncosted_items: int
    per_uncosted_item_usd: ValueRange | None
    uncounted_categories: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Return the break-even as a JSON-ready dict."""
        return {
            "figure": self.figure,
            "reached": self.reached,
            "remainder_usd": range_dict(self.remainder_usd),
            "remainder_items": self.remainder_items,
            "uncosted_items": self.uncosted_items,
            "per_uncosted_item_usd": range_dict(self.per_uncosted_item_usd),
            "uncounted_categories": self.uncounted_categories,
        }


@dataclass
class EvidenceNote:
    """One search behind the ledger: what was looked for and what the source can and cannot show."""

    source_id: str
    source: str
    result: str
    can_show: str | None
    cannot_show: str | None
    source_url: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the note as a JSON-ready dict."""
        return asdict(self)


#: Loss ids a comparison's JSON lists per bucket. A hand-built ledger (the bundled one has 28 losses) stays well
#: under it and lists every id; an Oryx-sized ledger would list tens of thousands (26 MB of JSON at a million
#: losses), which is what ``trace`` is for.
LOSS_IDS_LISTED = 1_000


@dataclass
class ClaimComparison:
    """A claim against the ledger: buckets, breakdowns, gaps and a plain verdict.

    Values are in ``dollar_year`` dollars; shares are computed in the claim's own dollars
    (``claim_dollar_year``), so they never move with the dollar year.
    """

    claim: dict[str, Any]
    measure: str
    dollar_year: int
    claim_dollar_year: int
    amount_in_dollar_year: float | None  # a dollar claim's amount in ``dollar_year`` dollars
    assumptions: Assumptions
    buckets: dict[str, BucketTotal]
    unattributed_parts: dict[str, BucketTotal]
    documented: BucketTotal
    ceiling: BucketTotal
    by_attribution: list[AttributionGroup]
    by_category: list[BucketTotal]
    uncosted: list[UncostedGroup]
    coverage: Coverage
    cost_assumptions: list[str]
    unusable_observations: list[UnusableObservation]
    scope_attributions: list[MeansAttribution]  # every loss attributed to the claimed means, counted or not
    break_even: BreakEven | None
    evidence_searched: list[EvidenceNote]
    whole_war_items: int = 0  # items of the headline figure dated only to the whole war (both bounds empty)
    implied_value: CountClaimPrice | None = None  # a count claim priced at the ledger's unit values
    loss_ids: dict[str, list[str]] = field(default_factory=dict)
    verdict: list[str] = field(default_factory=list)  # two or three sentences a reader can quote
    caveats: list[str] = field(default_factory=list)

    @property
    def all_means(self) -> bool:
        """True when the claim credits every means (so every loss in scope counts)."""
        return "all" in split_list(self.claim["scope_systems"])

    @property
    def headline_figure(self) -> BucketTotal:
        """The figure a claim is set against: everything in scope for an all-means claim, else the ceiling."""
        return self.documented if self.all_means else self.ceiling

    @property
    def conclusion(self) -> str:
        """The verdict as one paragraph."""
        return " ".join(self.verdict)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict (the CLI's ``--format json``)."""
        return {
            "claim": self.claim,
            "measure": self.measure,
            "dollar_year": self.dollar_year,
            "claim_dollar_year": self.claim_dollar_year,
            "amount_in_dollar_year": clean_number(self.amount_in_dollar_year),
            "assumptions": self.assumptions.to_dict(),
            "buckets": {name: bucket.to_dict() for name, bucket in self.buckets.items()},
            "unattributed_parts": {name: part.to_dict() for name, part in self.unattributed_parts.items()},
            "documented_in_scope": self.documented.to_dict(),
            "ceiling": self.ceiling.to_dict(),
            "by_attribution": [g.to_dict() for g in self.by_attribution],
            "by_category": [b.to_dict() for b in self.by_category],
            "uncosted": [u.to_dict() for u in self.uncosted],
            "coverage": self.coverage.to_dict(),
            "cost_assumptions": self.cost_assumptions,
            "unusable_observations": [u.to_dict() for u in self.unusable_observations],
            "scope_attributions": [a.to_dict() for a in self.scope_attributions],
            "break_even": None if self.break_even is None else self.break_even.to_dict(),
            "evidence_searched": [e.to_dict() for e in self.evidence_searched],
            "whole_war_items": self.whole_war_items,
            "implied_value": None if self.implied_value is None else self.implied_value.to_dict(),
            "loss_ids": {name: ids[:LOSS_IDS_LISTED] for name, ids in self.loss_ids.items()},
            **self._loss_ids_cut(),
            "verdict": self.verdict,
            "caveats": self.caveats,
            "conclusion": self.conclusion,
        }

    def _loss_ids_cut(self) -> dict[str, Any]:
        """When a bucket has more loss ids than :data:`LOSS_IDS_LISTED`: how many, and where to find them all."""
        counts = {name: len(ids) for name, ids in self.loss_ids.items()}
        if all(n <= LOSS_IDS_LISTED for n in counts.values()):
            return {}
        return {
            "loss_ids_cut": {
                "listed_per_bucket": LOSS_IDS_LISTED,
                "loss_ids_per_bucket": counts,
                "note": f"each bucket lists its first {LOSS_IDS_LISTED:,} loss ids (sorted); `drone-ledger trace "
                f"--claim {self.claim['claim_id']} --bucket BUCKET` lists every row with its value and sources, and "
                "the Python API's ClaimComparison.loss_ids holds them all",
            }
        }

    def headline(self) -> ClaimHeadline:
        """One claim's headline row (what ``claims`` lists)."""
        figure = self.headline_figure
        return ClaimHeadline(
            claim_id=self.claim["claim_id"],
            claimant=self.claim["claimant"],
            claim_date=self.claim["claim_date"],
            amount=self.claim["amount"],
            unit=self.claim["unit"],
            bound=self.claim["bound"],
            scope_systems=self.claim["scope_systems"],
            measure=self.measure,
            dollar_year=self.dollar_year,
            documented=self.documented,
            ceiling=self.ceiling,
            figure="documented" if self.all_means else "ceiling",
            figure_uncosted=figure.items_uncosted,
            figure_possibly_in_period=figure.items_possibly_in_period,
            categories_without_counts=len(self.coverage.no_documented_counts),
            has_tally=bool(self.coverage.counted),
            verdict=self.verdict,
            implied_usd=None if self.implied_value is None else self.implied_value.implied_usd,
        )


@dataclass
class ClaimHeadline:
    """One row of the claims overview. The gaps (``figure_*``) describe the figure named by ``figure``."""

    claim_id: str
    claimant: str
    claim_date: str | None
    amount: float
    unit: str
    bound: str
    scope_systems: str
    measure: str
    dollar_year: int
    documented: BucketTotal
    ceiling: BucketTotal
    figure: str  # "documented" (all-means claims) or "ceiling"
    figure_uncosted: int
    figure_possibly_in_period: int
    categories_without_counts: int
    has_tally: bool
    verdict: list[str]
    implied_usd: ValueRange | None = None  # a count claim priced at the ledger's unit values (dollar_year USD)

    def to_dict(self) -> dict[str, Any]:
        """Return the row as a JSON-ready dict."""
        return {
            "claim_id": self.claim_id,
            "claimant": self.claimant,
            "claim_date": self.claim_date,
            "amount": self.amount,
            "unit": self.unit,
            "bound": self.bound,
            "scope_systems": self.scope_systems,
            "measure": self.measure,
            "dollar_year": self.dollar_year,
            "documented": self.documented.to_dict(),
            "ceiling": self.ceiling.to_dict(),
            "figure": self.figure,
            "figure_uncosted": self.figure_uncosted,
            "figure_possibly_in_period": self.figure_possibly_in_period,
            "categories_without_counts": self.categories_without_counts,
            "implied_usd": range_dict(self.implied_usd),
            "conclusion": " ".join(self.verdict),
        }


@dataclass
class ClaimsOverview:
    """Every claim with its documented total in scope, side by side."""

    rows: list[ClaimComparison]
    assumptions: Assumptions

    def to_dict(self) -> dict[str, Any]:
        """Return one compact row per claim."""
        return {"assumptions": self.assumptions.to_dict(), "claims": [c.headline().to_dict() for c in self.rows]}


@dataclass
class ConflictSummary:
    """Documented losses of one conflict (optionally one side), by attributed system, status and category."""

    conflict: str
    side: str | None
    dollar_year: int
    assumptions: Assumptions
    total: BucketTotal
    by_system: list[BucketTotal]
    by_status: list[BucketTotal]
    by_category: list[BucketTotal]
    sides: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict (the CLI's ``summary --conflict … --format json``)."""
        return {
            "conflict": self.conflict,
            "side": self.side,
            "sides": self.sides,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "total": self.total.to_dict(),
            "by_system": [b.to_dict() for b in self.by_system],
            "by_status": [b.to_dict() for b in self.by_status],
            "by_category": [b.to_dict() for b in self.by_category],
        }


# --- analysis ----------------------------------------------------------------------------------------------------


@dataclass
class ObservationUsed:
    """A price observation behind a unit value."""

    obs_id: str
    source_url: str | None
    low_usd: float | None
    high_usd: float | None
    applicability: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the observation as a JSON-ready dict."""
        return asdict(self)


@dataclass
class TraceRow:
    """One loss behind a figure: its items, bucket, unit and total value, the prices used and its source."""

    loss_id: str
    bucket: str
    part: str | None
    category: str
    model: str | None
    status: str
    items: int
    system: str  # as the ledger records it
    confidence: str | None
    period: str  # in, possibly (the claim's period)
    date_as_reported: str | None
    unit_usd: ValueRange | None
    value_usd: ValueRange | None
    cost_key: str | None
    cost_basis: str
    cost_assumption: str | None
    uncosted_reason: str | None
    observations: list[ObservationUsed]
    source_url: str

    def to_dict(self) -> dict[str, Any]:
        """Return the row as a JSON-ready dict."""
        empty = {"low": None, "central": None, "high": None}
        data = asdict(self)
        data["unit_usd"] = range_dict(self.unit_usd) or empty
        data["value_usd"] = range_dict(self.value_usd) or empty
        data["observations"] = [o.to_dict() for o in self.observations]
        return data


@dataclass
class Trace:
    """The losses behind one figure of a claim comparison, with the prices and sources behind each."""

    claim_id: str
    bucket: str
    dollar_year: int
    filters: dict[str, str]
    rows: list[TraceRow]
    items: int
    value: ValueRange

    def to_dict(self) -> dict[str, Any]:
        """Return the trace as a JSON-ready dict."""
        return {
            "claim_id": self.claim_id,
            "bucket": self.bucket,
            "dollar_year": self.dollar_year,
            "filters": self.filters,
            "items": self.items,
            "value_usd": self.value.to_dict(),
            "rows": [r.to_dict() for r in self.rows],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per loss (observations flattened to their ids)."""
        import pandas as pd

        flat = []
        for row in self.rows:
            data = row.to_dict()
            data["observations"] = ";".join(o.obs_id for o in row.observations)
            flat.append(data)
        return pd.json_normalize(flat, sep="_")


@dataclass
class BreakdownGroup:
    """One group of a breakdown: its key and totals."""

    key: dict[str, str]
    total: BucketTotal

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a JSON-ready dict."""
        return {
            "key": self.key,
            "items": self.total.items,
            "items_costed": self.total.items_costed,
            "items_uncosted": self.total.items_uncosted,
            "value_usd": self.total.value.to_dict(),
        }


@dataclass
class Breakdown:
    """Totals (items, costed items, value range) grouped by one or more fields; the groups add up to the total."""

    by: list[str]
    where: dict[str, list[str]]
    dollar_year: int
    assumptions: Assumptions
    groups: list[BreakdownGroup]
    total: BucketTotal
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the breakdown as a JSON-ready dict."""
        return {
            "by": self.by,
            "where": self.where,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "total": self.total.to_dict(),
            "groups": [g.to_dict() for g in self.groups],
            "notes": self.notes,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per group."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    **g.key,
                    "items": g.total.items,
                    "items_costed": g.total.items_costed,
                    **{f"value_{k}": v for k, v in g.total.value.to_dict().items()},
                }
                for g in self.groups
            ]
        )


@dataclass
class Scenario:
    """A claim's documented figure and ceiling under one set of assumptions."""

    group: str
    label: str
    dollar_year: int
    assumptions: Assumptions
    documented: BucketTotal
    ceiling: BucketTotal

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as a JSON-ready dict."""
        return {
            "group": self.group,
            "scenario": self.label,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "documented_items": self.documented.items,
            "documented_usd": self.documented.value.to_dict(),
            "documented_share": range_dict(self.documented.share_of_claim, 6),
            "ceiling_items": self.ceiling.items,
            "ceiling_usd": self.ceiling.value.to_dict(),
            "ceiling_share": range_dict(self.ceiling.share_of_claim, 6),
        }


@dataclass
class Sensitivity:
    """A claim's documented share and ceiling under the assumptions that move them."""

    claim_id: str
    amount: float
    measure: str
    rows: list[Scenario]

    def to_dict(self) -> dict[str, Any]:
        """Return the grid as a JSON-ready dict."""
        return {
            "claim_id": self.claim_id,
            "amount": self.amount,
            "measure": self.measure,
            "rows": [r.to_dict() for r in self.rows],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario."""
        import pandas as pd

        return pd.json_normalize(
            [{k: v for k, v in r.to_dict().items() if k != "assumptions"} for r in self.rows], sep="_"
        )


@dataclass
class CountClaimPrice:
    """One count claim priced at the ledger's unit values."""

    claim_id: str
    equipment: str
    count: float
    statuses: str
    period_start: str
    period_end: str | None
    cost_key: str | None
    cost_basis: str | None
    unit_usd: ValueRange | None
    implied_usd: ValueRange | None
    uncosted_reason: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the line as a JSON-ready dict."""
        data = asdict(self)
        data["unit_usd"] = range_dict(self.unit_usd)
        data["implied_usd"] = range_dict(self.implied_usd)
        return data


@dataclass
class DollarClaimMatch:
    """A dollar claim set against the count claims of a group that are like it (statuses, period, means, scope)."""

    claim_id: str
    amount: float
    bound: str
    statuses: str
    period_start: str
    period_end: str | None
    matched: list[str]  # the count claims compared with it
    unmatched: dict[str, str]  # count claim id -> why it is not comparable
    implied_usd: ValueRange | None  # the matched, costed count claims priced in the dollar claim's own year
    implied_share: ValueRange | None

    def to_dict(self) -> dict[str, Any]:
        """Return the match as a JSON-ready dict."""
        data = asdict(self)
        data["implied_usd"] = range_dict(self.implied_usd)
        data["implied_share"] = range_dict(self.implied_share, 6)
        return data


@dataclass
class ConsistencyGroup:
    """A set of count claims made together (same claimant, date and outlet) about one side's losses."""

    claimant: str
    claim_date: str | None
    outlet: str | None
    side: str
    claims: list[CountClaimPrice]
    implied_usd: ValueRange
    against: list[DollarClaimMatch]

    @property
    def costed_claims(self) -> int:
        """Count claims with a usable unit value."""
        return sum(1 for line in self.claims if line.implied_usd is not None)

    @property
    def uncosted_claims(self) -> int:
        """Count claims without one."""
        return len(self.claims) - self.costed_claims

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a JSON-ready dict."""
        return {
            "claimant": self.claimant,
            "claim_date": self.claim_date,
            "outlet": self.outlet,
            "side": self.side,
            "claims": [c.to_dict() for c in self.claims],
            "implied_usd": self.implied_usd.to_dict(),
            "costed_claims": self.costed_claims,
            "uncosted_claims": self.uncosted_claims,
            "against": [a.to_dict() for a in self.against],
        }


@dataclass
class Consistency:
    """Count claims priced at the ledger's unit costs, set against like-for-like dollar claims of the same side."""

    dollar_year: int
    groups: list[ConsistencyGroup]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict."""
        return {"dollar_year": self.dollar_year, "groups": [g.to_dict() for g in self.groups], "notes": self.notes}


# --- the report page -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LossSource:
    """Who published a loss and what the ledger notes about it (the report page shows them beside its rows)."""

    loss_id: str
    source_name: str | None
    source_url: str
    notes: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the source as a JSON-ready dict."""
        return asdict(self)


@dataclass
class ClaimReport:
    """Everything a claim's report page shows, computed from one validated ledger.

    ``consistency`` holds only the count-claim groups about the claim's side; ``traces`` the rows behind the
    attributed, other and unattributed figures; ``sources`` the publisher and notes of every loss in them.
    """

    comparison: ClaimComparison
    sensitivity: Sensitivity
    consistency: Consistency
    traces: dict[str, Trace]
    sources: dict[str, LossSource]
    ledger: str
    version: str

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "comparison": self.comparison.to_dict(),
            "sensitivity": self.sensitivity.to_dict(),
            "consistency": self.consistency.to_dict(),
            "traces": {name: trace.to_dict() for name, trace in self.traces.items()},
            "sources": {loss_id: source.to_dict() for loss_id, source in self.sources.items()},
            "ledger": self.ledger,
            "version": self.version,
        }
