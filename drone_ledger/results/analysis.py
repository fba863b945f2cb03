"""The results of the analyses: a trace of the rows behind a figure, a breakdown, the sensitivity grid, and
the consistency of count claims with dollar claims.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .core import Assumptions, BucketTotal, ValueRange, clean_number, range_dict, records_frame

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class ObservationEffect:
    """One price observation of a cost key, and the central values with it left out."""

    obs_id: str
    midpoint_usd: float  # the observation's midpoint as a unit value
    unit_central_without: float | None  # the key's central unit value without it (None: it is the only one)
    figure_central_without: float | None  # the figure's central value without it

    def to_dict(self) -> dict[str, Any]:
        """Return the effect as a JSON-ready dict."""
        return {
            "obs_id": self.obs_id,
            "midpoint_usd": clean_number(self.midpoint_usd),
            "unit_central_without": clean_number(self.unit_central_without),
            "figure_central_without": clean_number(self.figure_central_without),
        }


@dataclass
class PriceBasis:
    """How much of a figure rests on one cost key: its items and value, the observations behind the key's central
    unit value, what leaving each out does, and the other central method's figure (values in the figure's dollars).
    """

    cost_key: str
    items: int
    categories: list[str]
    value: ValueRange
    share_of_figure: float  # of the figure's central value
    unit_usd: ValueRange
    method: str  # how the central is made: median or mean of the midpoints
    observations: list[ObservationEffect]
    alternative_method: str
    unit_central_alternative: float
    figure_central_alternative: float

    @property
    def figure_central_range(self) -> tuple[float, float] | None:
        """The lowest and highest figure central with one observation left out (None: one observation only)."""
        found = [o.figure_central_without for o in self.observations if o.figure_central_without is not None]
        return (min(found), max(found)) if found else None

    def to_dict(self) -> dict[str, Any]:
        """Return the basis as a JSON-ready dict."""
        return {
            "cost_key": self.cost_key,
            "items": self.items,
            "categories": self.categories,
            "value_usd": self.value.to_dict(),
            "share_of_figure": clean_number(self.share_of_figure, 6),
            "unit_usd": self.unit_usd.to_dict(),
            "method": self.method,
            "observations": [o.to_dict() for o in self.observations],
            "alternative_method": self.alternative_method,
            "unit_central_alternative": clean_number(self.unit_central_alternative),
            "figure_central_alternative": clean_number(self.figure_central_alternative),
        }


@dataclass
class ObservationUsed:
    """A price observation behind a unit value."""

    obs_id: str
    source_url: str | None
    low_usd: float | None
    high_usd: float | None
    applicability: str | None
    #: For a price in another currency: how it became dollars (``315,000,000 RUB (2013) at 31.85 RUB per USD``).
    converted: str | None = None

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
    #: The other systems its source credits ("by X and Y"), when the loss rests on shared credit.
    shared_with: str | None = None
    #: Where and when a primary source places it, and what showed its attribution (the ledger's optional
    #: provenance columns: warspotting_id, nearest_location, coordinates, unit, tags, date_place_source,
    #: attribution_as_of), those that are filled.
    provenance: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the row as a JSON-ready dict (``shared_with`` and ``provenance`` only when the row has them)."""
        empty = {"low": None, "central": None, "high": None}
        data = asdict(self)
        data["unit_usd"] = range_dict(self.unit_usd) or empty
        data["value_usd"] = range_dict(self.value_usd) or empty
        data["observations"] = [o.to_dict() for o in self.observations]
        for optional in ("shared_with", "provenance"):
            if data[optional] is None:
                del data[optional]
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
    #: The part of the rows whose sources credit them to several systems ("by X and Y"), when there is one.
    on_shared_credit: BucketTotal | None = None
    price_basis: list[PriceBasis] = field(default_factory=list)  # what the rows' value rests on, per cost key

    def to_dict(self) -> dict[str, Any]:
        """Return the trace as a JSON-ready dict (``on_shared_credit`` only when some rows are)."""
        data = {
            "claim_id": self.claim_id,
            "bucket": self.bucket,
            "dollar_year": self.dollar_year,
            "filters": self.filters,
            "items": self.items,
            "value_usd": self.value.to_dict(),
            "rows": [r.to_dict() for r in self.rows],
            "price_basis": [b.to_dict() for b in self.price_basis],
        }
        if self.on_shared_credit is not None:
            data["on_shared_credit"] = self.on_shared_credit.part_dict()
        return data

    def to_frame(self) -> pd.DataFrame:
        """One row per loss (observations flattened to their ids)."""
        flat = []
        for row in self.rows:
            data = row.to_dict()
            data["observations"] = ";".join(o.obs_id for o in row.observations)
            flat.append(data)
        return records_frame(flat)


@dataclass
class BreakdownGroup:
    """One group of a breakdown: its key, totals and the dollar year its values are in."""

    key: dict[str, str]
    total: BucketTotal
    dollar_year: int

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a JSON-ready dict."""
        return {
            "key": self.key,
            "items": self.total.items,
            "items_costed": self.total.items_costed,
            "items_uncosted": self.total.items_uncosted,
            "value_usd": self.total.value.to_dict(),
            "dollar_year": self.dollar_year,
        }


@dataclass
class Breakdown:
    """Totals (items, costed items, value range) grouped by one or more fields.

    Losses of different sides are never added together, nor values of different dollar years: ``totals`` has one
    total per side (and war, when the wars' figures are in different years), keyed like the groups, and the groups
    of each add up to it. ``total`` is the one total when there is only one, else None. ``dollar_year`` is the year
    of every value when there is one (else None: each group says its own).
    """

    by: list[str]
    where: dict[str, list[str]]
    dollar_year: int | None
    assumptions: Assumptions
    groups: list[BreakdownGroup]
    totals: list[BreakdownGroup]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> BucketTotal | None:
        """The total of every group, when they hold one side (and one dollar year); else None."""
        return self.totals[0].total if len(self.totals) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        """Return the breakdown as a JSON-ready dict."""
        return {
            "by": self.by,
            "where": self.where,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "total": None if self.total is None else self.total.to_dict(),
            "totals": [t.to_dict() for t in self.totals],
            "groups": [g.to_dict() for g in self.groups],
            "notes": self.notes,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per group."""
        return records_frame(
            [
                {
                    **g.key,
                    "items": g.total.items,
                    "items_costed": g.total.items_costed,
                    **{f"value_{k}": v for k, v in g.total.value.to_dict().items()},
                    "dollar_year": g.dollar_year,
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
    figure: str = "ceiling"  # the figure ``price_basis`` is of: "ceiling" or "documented"
    price_basis: list[PriceBasis] = field(default_factory=list)  # the default figure's value, per cost key

    def to_dict(self) -> dict[str, Any]:
        """Return the grid as a JSON-ready dict."""
        return {
            "claim_id": self.claim_id,
            "amount": self.amount,
            "measure": self.measure,
            "rows": [r.to_dict() for r in self.rows],
            "figure": self.figure,
            "price_basis": [b.to_dict() for b in self.price_basis],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario."""
        return records_frame([{k: v for k, v in r.to_dict().items() if k != "assumptions"} for r in self.rows])


@dataclass
class CountClaimPrice:
    """One count claim priced at the ledger's unit values."""

    claim_id: str
    equipment: str
    count: float
    statuses: str
    period_start: str | None
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
    period_start: str | None
    period_end: str | None
    matched: list[str]  # the count claims compared with it
    unmatched: dict[str, str]  # count claim id -> why it is not comparable
    implied_usd: ValueRange | None  # the matched, costed count claims priced in the dollar claim's own year
    implied_share: ValueRange | None
    dollar_year: int = 0  # the dollar claim's own year: the dollars ``implied_usd`` is in

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
    dollar_year: int = 0  # the dollars the claims are priced in: their own year, or the one asked for

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
            "dollar_year": self.dollar_year,
        }


@dataclass
class Consistency:
    """Count claims priced at the ledger's unit costs, set against like-for-like dollar claims of the same side.

    Each group is priced in its claims' own year (``ConsistencyGroup.dollar_year``; ``dollar_year`` here is that
    year when all groups share it, else None), and each dollar claim's match in that claim's year.
    """

    dollar_year: int | None
    groups: list[ConsistencyGroup]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict."""
        return {"dollar_year": self.dollar_year, "groups": [g.to_dict() for g in self.groups], "notes": self.notes}

    def to_frame(self) -> pd.DataFrame:
        """One row per count claim: its set (claimant, date, outlet, side), the cost key it is priced at and the
        unit and implied values (``dollar_year`` USD), or why it is uncosted."""
        return records_frame(
            [
                {"claimant": g.claimant, "claim_date": g.claim_date, "outlet": g.outlet, "side": g.side, **c.to_dict()}
                for g in self.groups
                for c in g.claims
            ]
        )
