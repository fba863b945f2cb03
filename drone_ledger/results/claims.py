"""The results of comparing claims with the ledger: one claim, every claim, a conflict's totals, a report page."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from drone_ledger import vocab
from drone_ledger.scopes import split_list

from .analysis import Consistency, CountClaimPrice, PriceBasis, Sensitivity, Trace
from .core import (
    MEANS_LABELS,
    UNATTRIBUTED_PARTS,
    Assumptions,
    BucketTotal,
    ValueRange,
    clean_number,
    means_label,
    range_dict,
    records_frame,
)

if TYPE_CHECKING:
    import pandas as pd

    from .record import ClaimantPrices, ForScale, WarRecord


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
    """Which categories in a claim's scope have a tally, only individual reports, or nothing.

    Judged against the war's own category list (categories.csv): ``listed`` is False when the ledger has none for
    the claim's war, and then no category is called undocumented.
    """

    counted: list[str]
    reports_only: list[str]
    no_documented_counts: list[str]
    listed: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Return the coverage as a JSON-ready dict."""
        return asdict(self)


@dataclass
class UnconfirmedRoute:
    """A route to a dollar claim's break-even: items a count claim of the claimant's side names beyond what the
    ledger documents in a category a tally counts, priced at the ledger's unit value (in the comparison's dollars).
    """

    claim_id: str
    claimant: str
    claim_date: str | None
    equipment: str  # the count claim's own words
    category: str
    statuses: str
    claimed: float
    bound: str
    documented: int  # items of that category and statuses in the figure
    unconfirmed: int  # claimed beyond documented (never below 0)
    cost_key: str | None
    unit_usd: ValueRange | None
    value_usd: ValueRange | None  # unconfirmed x unit; None when uncosted
    uncosted_reason: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the route as a JSON-ready dict."""
        data = asdict(self)
        data["unit_usd"] = range_dict(self.unit_usd)
        data["value_usd"] = range_dict(self.value_usd)
        return data


@dataclass
class UncostedCategory:
    """A route to a dollar claim's break-even: one category's uncosted items in the figure, and what each would
    have to be worth on average if that group alone made up the rest of the claim."""

    category: str
    items: int
    per_item_usd: ValueRange | None  # None when the claim is reached

    def to_dict(self) -> dict[str, Any]:
        """Return the route as a JSON-ready dict."""
        return {"category": self.category, "items": self.items, "per_item_usd": range_dict(self.per_item_usd)}


@dataclass
class DoubleCount:
    """Reported items of one category that a tally of another category in the same figure may already hold (the
    war's category list says that tally may include the category, and the sources cannot tell)."""

    loss_ids: list[str]
    category: str
    items: int
    tally_category: str

    def to_dict(self) -> dict[str, Any]:
        """Return the possible double count as a JSON-ready dict."""
        return asdict(self)


@dataclass
class WideReading:
    """A claim read widely: its categories plus those whose tallies may include them (categories.csv,
    ``may_include``), where the sources cannot tell. ``figure`` is the headline figure read so."""

    categories: list[str]
    added: list[str]
    figure: BucketTotal
    possibly_counted_twice: int  # items of the figure a tally in it may already hold

    def to_dict(self) -> dict[str, Any]:
        """Return the reading as a JSON-ready dict."""
        return {
            "categories": self.categories,
            "added": self.added,
            "figure": self.figure.to_dict(),
            "possibly_counted_twice": self.possibly_counted_twice,
        }


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
    system_name: str | None = None  # the system's name in systems.csv

    def to_dict(self) -> dict[str, Any]:
        """Return the attribution as a JSON-ready dict."""
        return asdict(self)


@dataclass
class UnusableObservation:
    """A price observation for a cost key in scope that could not be used, and why."""

    obs_id: str
    cost_key: str
    reason: str
    applicability: str | None = None
    price_year: int | None = None

    def describe(self, year: int) -> str:
        """``P01 (T-72: upper_reference, a 1995 price carried 25 years by CPI)`` for prices in ``year`` dollars."""
        why = self.applicability if self.reason == "excluded-applicability" and self.applicability else self.reason
        carried = year - self.price_year if self.price_year is not None else 0
        age = f", a {self.price_year} price carried {carried} years by CPI" if carried > 0 else ""
        rule = f": over {vocab.AGEING_YEARS}, the ageing rule" if carried > vocab.AGEING_YEARS else ""
        return f"{self.obs_id} ({self.cost_key}: {why}{age}{rule})"

    def to_dict(self) -> dict[str, Any]:
        """Return the observation as a JSON-ready dict."""
        return asdict(self)


@dataclass
class BreakEven:
    """What it would take for a claim to hold, given the figure it is set against.

    For a dollar claim: the rest of the claimed amount beyond the figure's costed value, and the routes it could
    come by, each shown apart: items the claimant side's own counts name beyond what the ledger documents in the
    categories a tally counts (``unconfirmed``, priced), the figure's uncosted items by category (what each group
    alone would have to be worth per item; ``per_uncosted_item_usd`` is the average over all of them), and the
    categories with no documented counts. ``unrecordable`` says which part of the claim no loss ledger can hold
    (ammunition), when its scope says so. For a count claim: how many more items.
    """

    figure: str  # "ceiling" or "documented"
    reached: bool
    remainder_usd: ValueRange | None  # dollar claims: amount minus value (high, central, low), never below 0
    remainder_items: int | None  # count claims: amount minus items, never below 0
    uncosted_items: int
    per_uncosted_item_usd: ValueRange | None
    uncounted_categories: list[str]
    unconfirmed: list[UnconfirmedRoute] = field(default_factory=list)
    uncosted_by_category: list[UncostedCategory] = field(default_factory=list)
    unrecordable: str | None = None

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
            "unconfirmed": [r.to_dict() for r in self.unconfirmed],
            "uncosted_by_category": [r.to_dict() for r in self.uncosted_by_category],
            "unrecordable": self.unrecordable,
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
    means_systems: list[str] = field(default_factory=list)  # names of the ledger's systems within the claim's means
    price_basis: list[PriceBasis] = field(default_factory=list)  # what the headline figure's value rests on
    possibly_counted_twice: list[DoubleCount] = field(default_factory=list)
    wide_reading: WideReading | None = None
    inside_models: list[str] = field(default_factory=list)  # what the items certainly inside the period are
    loss_ids: dict[str, list[str]] = field(default_factory=dict)
    verdict: list[str] = field(default_factory=list)  # two or three sentences a reader can quote
    caveats: list[str] = field(default_factory=list)
    #: The claimed means' documented record in other wars, set beside the claim: scale, never a prediction.
    for_scale: list[ForScale] = field(default_factory=list)
    #: The claimant's own unit values among the prices of the documented figure, and the figure without them.
    claimant_prices: ClaimantPrices | None = None

    @property
    def all_means(self) -> bool:
        """True when the claim credits every means (so every loss in scope counts)."""
        return "all" in split_list(self.claim["scope_systems"])

    def share_withheld(self, total: BucketTotal) -> str | None:
        """Why no share of the claim is given for ``total``, in words that stand in its place (None: give it).

        A count of strikes counts no items. A count figure above the claimed count is "more than the N claimed", not
        a share over 100% (1,060 items are not 106,000% of one vehicle claimed); where the claim counts *systems*,
        the words add that Oryx, and so the ledger, lists a system's vehicles (launchers, radar, loader) one by one.
        """
        from drone_ledger.formatting import COUNTS_SYSTEMS, format_amount

        unit = str(self.claim["unit"])
        if self.claim["metric"] in vocab.NOT_ITEM_METRICS:
            return "the claim counts strikes, not items lost: no loss ledger can check it"
        amount = float(self.claim["amount"])
        if self.measure != "count" or total.items <= amount:
            return None
        more = f"more than the {format_amount(amount, unit, self.measure)} claimed"
        if COUNTS_SYSTEMS.search(unit):
            return f"{more}, but the ledger counts a system's vehicles one by one"
        return more

    def share_cell(self, total: BucketTotal, *, stacked: bool = False) -> str:
        """A table's "share" cell for ``total``: the share, or where it is withheld (:meth:`share_withheld`) the
        short words ``more than claimed`` or ``strikes, not items``."""
        from drone_ledger.formatting import format_share

        if self.share_withheld(total) is None:
            return format_share(total.share_of_claim, stacked=stacked)
        return "strikes, not items" if self.claim["metric"] in vocab.NOT_ITEM_METRICS else "more than claimed"

    @property
    def means(self) -> str:
        """The claimed means, readably: a group's label (``Turkish-supplied drones``) or a system's name
        (``Bayraktar TB2``, never its id)."""
        scope = str(self.claim["scope_systems"])
        tokens = split_list(scope)
        if self.all_means or all(token in MEANS_LABELS for token in tokens) or len(self.means_systems) != len(tokens):
            return means_label(scope)
        return " or ".join(self.means_systems)

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
            "means_systems": self.means_systems,
            "price_basis": [b.to_dict() for b in self.price_basis],
            "possibly_counted_twice": [d.to_dict() for d in self.possibly_counted_twice],
            "wide_reading": None if self.wide_reading is None else self.wide_reading.to_dict(),
            "inside_models": self.inside_models,
            "loss_ids": {name: ids[:LOSS_IDS_LISTED] for name, ids in self.loss_ids.items()},
            **self._loss_ids_cut(),
            "verdict": self.verdict,
            "caveats": self.caveats,
            "conclusion": self.conclusion,
            "for_scale": [f.to_dict() for f in self.for_scale],
            "claimant_prices": None if self.claimant_prices is None else self.claimant_prices.to_dict(),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per bucket (``kind`` bucket: attributed, other, unattributed), per part of the unattributed
        bucket (``kind`` part) and per figure set against the claim (``kind`` figure: documented, ceiling): items,
        costed and uncosted items, the value range (``dollar_year`` USD), the share of the claim and the part
        certainly inside its period (``inside_period_*``)."""
        rows = [("bucket", bucket) for bucket in self.buckets.values()]
        rows += [("part", part) for part in self.unattributed_parts.values()]
        rows += [("figure", self.documented), ("figure", self.ceiling)]
        return records_frame(
            [
                {"claim_id": self.claim["claim_id"], "kind": kind, "dollar_year": self.dollar_year, **total.to_dict()}
                for kind, total in rows
            ]
        )

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
            scope_note=self.claim.get("scope_note"),
            scope_fit=self.claim.get("scope_fit") or "exact",
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
    scope_note: str | None
    scope_fit: str
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
            "scope_note": self.scope_note,
            "scope_fit": self.scope_fit,
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

    def to_frame(self) -> pd.DataFrame:
        """One row per claim: its headline (``claims --format json``'s row), nested figures flattened
        (``ceiling_value_usd_central`` …)."""
        return records_frame([c.headline().to_dict() for c in self.rows])


@dataclass
class SideLosses:
    """One side's documented losses in a conflict: the total, and by attributed system, status and category."""

    side: str
    total: BucketTotal
    by_system: list[BucketTotal]
    by_status: list[BucketTotal]
    by_category: list[BucketTotal]

    def to_dict(self) -> dict[str, Any]:
        """Return the side's losses as a JSON-ready dict."""
        return {
            "side": self.side,
            "total": self.total.to_dict(),
            "by_system": [b.to_dict() for b in self.by_system],
            "by_status": [b.to_dict() for b in self.by_status],
            "by_category": [b.to_dict() for b in self.by_category],
        }


@dataclass
class ConflictSummary:
    """Documented losses of one conflict, side by side (never added together): one :class:`SideLosses` per side,
    or only the side asked for. ``sides`` lists every side the conflict's losses have."""

    conflict: str
    side: str | None
    dollar_year: int
    assumptions: Assumptions
    sides: list[str]
    per_side: list[SideLosses]

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict (the CLI's ``summary --conflict … --format json``)."""
        return {
            "conflict": self.conflict,
            "side": self.side,
            "sides": self.sides,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "per_side": [s.to_dict() for s in self.per_side],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per side and group: the side's total (``breakdown`` total), then each system credited, status
        and category (``breakdown`` system, status, category; ``name`` the group). Sides are never added together:
        there is no row across them."""
        rows = []
        for side in self.per_side:
            groups = [("total", side.total)]
            for breakdown, totals in (
                ("system", side.by_system),
                ("status", side.by_status),
                ("category", side.by_category),
            ):
                groups += [(breakdown, total) for total in totals]
            rows += [
                {
                    "conflict": self.conflict,
                    "side": side.side,
                    "breakdown": breakdown,
                    **total.to_dict(),
                    **({"name": "total"} if breakdown == "total" else {}),
                }
                for breakdown, total in groups
            ]
        return records_frame(rows)


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
    ledger: str  # the ledger's path (never printed on the page, which may be shared)
    version: str
    #: The claimed means' documented record in each war (priced in the comparison's dollar year), drawn over time.
    records: list[WarRecord] = field(default_factory=list)
    bundled: bool = False  # the ledger is the one bundled with drone-ledger

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
            "records": [r.to_dict() for r in self.records],
            "bundled": self.bundled,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per loss behind the page's figures (its traces' rows), with who published it."""
        frames = [trace.to_frame() for trace in self.traces.values() if trace.rows]
        if not frames:
            return records_frame([])
        import pandas as pd

        rows = pd.concat(frames, ignore_index=True)
        rows["source_name"] = rows["loss_id"].map(lambda i: self.sources[i].source_name if i in self.sources else None)
        return rows


#: How each bucket of a claim comparison is named in every view.
BUCKET_LABELS = {
    "attributed": "Attributed to {means}",
    "other": "Attributed to other systems",
    "unattributed": "Unattributed or too vague",
}


def bucket_rows(c: ClaimComparison) -> list[tuple[str, BucketTotal, str]]:
    """The rows of a comparison's "Documented losses in scope" table, as every view shows them.

    Each row is (label, total, kind) with kind ``bucket``, ``part`` (of the unattributed bucket), ``figure`` (the
    headline figure: the ceiling, or for an all-means claim the documented total) or ``inside`` (the part of the
    figure certainly inside the claim's period, shown when some of it is only possibly inside).
    """
    means = c.means
    rows = []
    for name, bucket in c.buckets.items():
        rows.append((BUCKET_LABELS[name].format(means=means), bucket, "bucket"))
        if name == "unattributed":
            rows += [(UNATTRIBUTED_PARTS[part], total, "part") for part, total in c.unattributed_parts.items()]
    figure = c.headline_figure
    label = "Documented in scope (any means)" if c.all_means else "Ceiling: attributed + unattributed"
    rows.append((label, figure, "figure"))
    if figure.inside_period is not None and figure.items_possibly_in_period:
        rows.append(("of it certainly inside the period", figure.inside_period, "inside"))
    return rows
