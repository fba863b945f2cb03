"""The results of a system's documented record: per war, what it is documented to have destroyed, and the claims
about it checked against that record; "for scale", a claim about another war set beside the record."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from .claims import EvidenceNote, UncostedGroup
from .core import Assumptions, BucketTotal, ValueRange, clean_number, range_dict

#: An item only possibly inside a claim's period is "near" it when its latest possible day is at most this many
#: days after the period's end: known lost by then (it may still have been lost before the period, or inside it).
NEAR_DAYS = 7


@dataclass(frozen=True)
class ClaimantPrice:
    """A price observation that is a claimant's own unit value (``stated_in_claim``)."""

    obs_id: str
    cost_key: str
    claim_id: str

    def to_dict(self) -> dict[str, Any]:
        """Return the observation as a JSON-ready dict."""
        return asdict(self)


@dataclass
class RecordWeek:
    """One week of a record: the items whose latest possible day falls in it, and the running totals.

    An item is placed at the latest day it can have happened on, so the running totals are what was certainly
    lost by the end of each week: a floor of the true curve, never ahead of it.
    """

    week: str  # the Monday that starts the week (YYYY-MM-DD)
    items: int
    items_dated_to_the_day: int
    value: ValueRange
    cumulative_items: int
    cumulative_value: ValueRange

    def to_dict(self) -> dict[str, Any]:
        """Return the week as a JSON-ready dict."""
        return {
            "week": self.week,
            "items": self.items,
            "items_dated_to_the_day": self.items_dated_to_the_day,
            "value_usd": self.value.to_dict(),
            "cumulative_items": self.cumulative_items,
            "cumulative_value_usd": self.cumulative_value.to_dict(),
        }


@dataclass(frozen=True)
class NotCounted:
    """A loss credited to the system at a confidence that does not count (an unverified post …)."""

    loss_id: str
    status: str
    confidence: str
    items: int

    def to_dict(self) -> dict[str, Any]:
        """Return the loss as a JSON-ready dict."""
        return asdict(self)


@dataclass
class WarRecord:
    """What one system is documented to have destroyed in one war, of one side's equipment.

    ``total`` counts the losses credited to the system (alone or with others) at an accepted confidence; values
    are in ``dollar_year`` dollars. The record spans ``first_day`` to ``last_day``: the earliest and the latest day
    any of its items can have happened on. ``shared`` is the part credited to the system together with other
    systems ("destroyed by Bayraktar TB2 and artillery"); ``shared_with`` counts its items per other system (by
    id; ``shared_with_names`` names each).
    """

    system: str
    system_name: str
    conflict: str
    conflict_name: str
    side: str | None  # whose losses (None: no item)
    dollar_year: int
    total: BucketTotal
    by_category: list[BucketTotal]
    by_status: list[BucketTotal]
    first_day: str | None
    last_day: str | None
    items_dated_to_the_day: int
    shared: BucketTotal
    shared_with: dict[str, int]
    shared_with_names: dict[str, str]
    uncosted: list[UncostedGroup]
    cost_assumptions: list[str]
    observations_used: list[str]
    claimant_prices: list[ClaimantPrice]
    weeks: list[RecordWeek]
    not_counted: list[NotCounted]
    loss_ids: list[str]
    evidence: list[EvidenceNote]

    @property
    def days(self) -> int | None:
        """How many days the record spans (both ends counted), or None when it has no end."""
        if self.first_day is None or self.last_day is None:
            return None
        return (dt.date.fromisoformat(self.last_day) - dt.date.fromisoformat(self.first_day)).days + 1

    @property
    def shared_with_listed(self) -> str:
        """The other systems credited with its shared items, by name with their items: ``Artillery (tube) (9) and
        Harpoon AShM (1)``."""
        named = [f"{self.shared_with_names.get(s, s)} ({n:,})" for s, n in self.shared_with.items()]
        return ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else "".join(named)

    @property
    def items_per_day(self) -> float | None:
        """Items documented per day of the span."""
        return None if not self.days else self.total.items / self.days

    @property
    def value_per_day(self) -> ValueRange | None:
        """Documented value per day of the span (costed items only)."""
        return None if not self.days or not self.total.items_costed else self.total.value.scaled(1 / self.days)

    def to_dict(self) -> dict[str, Any]:
        """Return the war's record as a JSON-ready dict."""
        return {
            "system": self.system,
            "system_name": self.system_name,
            "conflict": self.conflict,
            "conflict_name": self.conflict_name,
            "side": self.side,
            "dollar_year": self.dollar_year,
            "total": self.total.to_dict(),
            "by_category": [b.to_dict() for b in self.by_category],
            "by_status": [b.to_dict() for b in self.by_status],
            "first_day": self.first_day,
            "last_day": self.last_day,
            "days": self.days,
            "items_per_day": clean_number(self.items_per_day, 4),
            "value_per_day_usd": range_dict(self.value_per_day),
            "items_dated_to_the_day": self.items_dated_to_the_day,
            "shared": self.shared.to_dict(),
            "shared_with": self.shared_with,
            "shared_with_names": self.shared_with_names,
            "uncosted": [u.to_dict() for u in self.uncosted],
            "cost_assumptions": self.cost_assumptions,
            "observations_used": self.observations_used,
            "claimant_prices": [p.to_dict() for p in self.claimant_prices],
            "weeks": [w.to_dict() for w in self.weeks],
            "not_counted": [n.to_dict() for n in self.not_counted],
            "loss_ids": self.loss_ids,
            "evidence_searched": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class MatchedItem:
    """A loss in a claim's scope credited to the system: where its dates put it against the claim's period."""

    loss_id: str
    category: str
    model: str | None
    status: str
    items: int
    date_earliest: str | None
    date_latest: str | None
    date_as_reported: str | None
    period: str  # "in" (certainly inside the claim's period) or "possibly"
    value: ValueRange | None  # None: uncosted
    shared_with: str | None
    nearest_location: str | None = None  # the place its record names, if any

    def to_dict(self) -> dict[str, Any]:
        """Return the item as a JSON-ready dict."""
        data = asdict(self)
        del data["value"]
        data["value_usd"] = range_dict(self.value)
        return data


@dataclass
class ClaimCheck:
    """A claim about a system set against the system's record in the claim's war, item by item.

    ``inside`` and ``possibly`` total the system's items in the claim's scope certainly inside its period and only
    possibly inside it (in the claim's dollar year), the period as the claim states it: with no stated start, only
    an item dated to its last day is certainly inside (:func:`~drone_ledger.claims.claim_scope`).
    ``documented_any_means`` is set for a claim about every means (Forbes' Snake Island valuations): every
    documented loss of the claim's kinds in its period, anywhere in the war (the ledger has no place filter, so
    more than the claim's own scope when the claim names a place), and the system's part is shown beside it.
    ``claimant_prices`` lists the claimant's own unit values among the prices used, and
    ``value_without_claimant_prices`` the value without them.
    """

    claim_id: str
    claimant: str
    claim_date: str | None
    metric: str
    measure: str
    amount: float
    unit: str
    bound: str
    period_start: str | None
    period_end: str | None
    scope_note: str | None
    dollar_year: int
    all_means: bool
    inside: BucketTotal
    possibly: BucketTotal
    #: Of the items only possibly inside, those known lost by the period's end (their latest possible day is inside
    #: it, their earliest before its start or, for a claim that states no start, before its last day).
    possibly_by_end: BucketTotal
    #: Of the items only possibly inside, those whose latest possible day is at most a week after the period's end
    #: (a proof posted soon after it); the rest are dated only to longer spans.
    possibly_near: BucketTotal
    matched: list[MatchedItem]
    documented_any_means: BucketTotal | None
    claimant_prices: list[ClaimantPrice]
    value_without_claimant_prices: ValueRange | None
    summary: str

    def to_dict(self) -> dict[str, Any]:
        """Return the check as a JSON-ready dict."""
        return {
            "claim_id": self.claim_id,
            "claimant": self.claimant,
            "claim_date": self.claim_date,
            "metric": self.metric,
            "measure": self.measure,
            "amount": self.amount,
            "unit": self.unit,
            "bound": self.bound,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "scope_note": self.scope_note,
            "dollar_year": self.dollar_year,
            "all_means": self.all_means,
            "inside_period": self.inside.to_dict(),
            "possibly_in_period": self.possibly.to_dict(),
            "possibly_in_period_by_end": self.possibly_by_end.to_dict(),
            "possibly_in_period_near": self.possibly_near.to_dict(),
            "matched": [m.to_dict() for m in self.matched],
            "documented_any_means": None if self.documented_any_means is None else self.documented_any_means.to_dict(),
            "claimant_prices": [p.to_dict() for p in self.claimant_prices],
            "value_without_claimant_prices_usd": range_dict(self.value_without_claimant_prices),
            "summary": self.summary,
        }


@dataclass
class SystemRecord:
    """A system's documented record in every war the ledger holds, with the claims about it checked against it."""

    system: str
    system_name: str
    assumptions: Assumptions
    wars: list[WarRecord]
    claims: dict[str, list[ClaimCheck]] = field(default_factory=dict)  # conflict -> the claims about the system

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict (the CLI's ``record --format json``)."""
        return {
            "system": self.system,
            "system_name": self.system_name,
            "assumptions": self.assumptions.to_dict(),
            "wars": [w.to_dict() for w in self.wars],
            "claims": {conflict: [c.to_dict() for c in checks] for conflict, checks in self.claims.items()},
        }

    def to_frame(self) -> Any:
        """The record's items by war, side, category and status, one row each (a pandas DataFrame)."""
        import pandas as pd

        rows = []
        for war in self.wars:
            for group in war.by_category:
                rows.append(_frame_row(war, "category", group))
            for group in war.by_status:
                rows.append(_frame_row(war, "status", group))
            rows.append(_frame_row(war, "total", war.total))
            rows.append(_frame_row(war, "shared credit", war.shared))
        frame = pd.DataFrame(rows)
        frame["days"] = frame["days"].astype("Int64")  # a war with no item has none
        return frame


def _frame_row(war: WarRecord, by: str, group: BucketTotal) -> dict[str, Any]:
    return {
        "system": war.system,
        "conflict": war.conflict,
        "side": war.side,
        "by": by,
        "group": group.name,
        "items": group.items,
        "items_costed": group.items_costed,
        "items_uncosted": group.items_uncosted,
        "dollar_year": war.dollar_year,
        "value_low_usd": clean_number(group.value.low),
        "value_central_usd": clean_number(group.value.central),
        "value_high_usd": clean_number(group.value.high),
        "first_day": war.first_day,
        "last_day": war.last_day,
        "days": war.days,
    }


@dataclass
class ForScale:
    """A claim about one war set beside a system's documented record in another: scale, never a prediction.

    Values are in ``dollar_year`` dollars (the comparison's). ``multiple`` is how many times the record's value the
    claimed amount is (low: against the record's high value, high: against its low one); ``multiple_per_day`` the
    same for the daily rates, the claim's over its period. ``sentences`` say it in words, caveats included.
    """

    system: str
    system_name: str
    conflict: str
    conflict_name: str
    side: str
    dollar_year: int
    items: int
    items_costed: int
    items_uncosted: int
    value: ValueRange
    first_day: str
    last_day: str
    days: int
    items_per_day: float
    value_per_day: ValueRange | None
    shared_items: int
    shared_value: ValueRange | None
    claim_amount: float  # in dollar_year dollars
    claim_days: int | None
    claim_per_day: float | None
    multiple: ValueRange | None
    multiple_per_day: ValueRange | None
    sentences: list[str]
    caveats: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict."""
        return {
            "system": self.system,
            "system_name": self.system_name,
            "conflict": self.conflict,
            "conflict_name": self.conflict_name,
            "side": self.side,
            "dollar_year": self.dollar_year,
            "items": self.items,
            "items_costed": self.items_costed,
            "items_uncosted": self.items_uncosted,
            "value_usd": self.value.to_dict(),
            "first_day": self.first_day,
            "last_day": self.last_day,
            "days": self.days,
            "items_per_day": clean_number(self.items_per_day, 4),
            "value_per_day_usd": range_dict(self.value_per_day),
            "shared_items": self.shared_items,
            "shared_value_usd": range_dict(self.shared_value),
            "claim_amount_usd": clean_number(self.claim_amount),
            "claim_days": self.claim_days,
            "claim_per_day_usd": clean_number(self.claim_per_day),
            "multiple": range_dict(self.multiple, 4),
            "multiple_per_day": range_dict(self.multiple_per_day, 4),
            "sentences": self.sentences,
            "caveats": self.caveats,
        }


@dataclass
class ClaimantPrices:
    """The claimant's own unit values among the prices behind a comparison's documented figure, and that figure
    priced without them (using a claimant's prices to check the same claim is circular)."""

    observations: list[ClaimantPrice]
    documented_without: BucketTotal

    def to_dict(self) -> dict[str, Any]:
        """Return the prices as a JSON-ready dict."""
        return {
            "observations": [o.to_dict() for o in self.observations],
            "documented_without": self.documented_without.to_dict(),
        }
