"""A system's documented record in every war the ledger holds, with the claims about it checked against it.

:func:`documented_record` is what ``drone-ledger record SYSTEM`` prints: :mod:`drone_ledger.record`'s war records,
and for each claim about the system (its means include the system, or it credits every means), the system's
items in the claim's scope, item by item — certainly inside the claim's period, or only possibly inside it — priced
with the ledger's prices. Where those prices include the claimant's own unit values, the check says so and gives
the value without them. A claim about every means (Forbes' Snake Island valuations) is set against every documented
loss in its scope, and the system's part is shown beside it, labelled so.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from . import vocab
from .claims import ClaimScope, _scope_mask, claim_scope, compare_claim
from .context import Context, context
from .costing import Pricing
from .formatting import COUNTS_SYSTEMS, format_amount, format_day, format_period, format_range, format_share
from .ledger import LedgerLike
from .record import Credit, claimant_prices, credit, find_system, members_of, war_records
from .results.core import Assumptions, BucketTotal, ValueRange
from .results.record import NEAR_DAYS, ClaimCheck, MatchedItem, SystemRecord
from .scopes import YES, is_all_means
from .totals import IN, POSSIBLY, Figures, total
from .validation import require_valid

__all__ = ["documented_record"]

#: How many of the system's items of a claim's equipment, outside its period, a check names.
NAMED_OUTSIDE = 5
#: How many of the places its items' records name an all-means claim's check lists.
NAMED_PLACES = 4


def documented_record(
    ledger: LedgerLike = None,
    system: str = "bayraktar-tb2",
    assumptions: Assumptions | None = None,
) -> SystemRecord:
    """A system's documented record in every war of the ledger, and the claims about it checked against it.

    Parameters
    ----------
    ledger:
        A loaded ledger, a ledger directory, or None for the bundled one.
    system:
        A system of systems.csv, by id or name (any case).
    assumptions:
        Dollar year (default: each war's first year; a claim's check: the claim's own), price observations and
        the confidences that count.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    AnalysisUsageError
        If no system has that id or name.
    """
    ctx = context(require_valid(ledger), assumptions)
    system_id, name = find_system(ctx.facts, system)
    wars = war_records(ctx, system_id)
    record = SystemRecord(system_id, name, ctx.assumptions, wars)
    claims = ctx.facts.claims
    for conflict in dict.fromkeys(w.conflict for w in wars):
        # A claim about every means is about the system only where the system has items: there its part is shown.
        documented = any(w.total.items for w in wars if w.conflict == conflict)
        about = [
            str(c.claim_id)
            for c in claims[claims["conflict"].eq(conflict)].itertuples()
            if members_of(ctx.facts, str(c.scope_systems)).get(system_id) == YES
            and (documented or not is_all_means(str(c.scope_systems)))
        ]
        record.claims[conflict] = [_check(ctx, claim_id, system_id, name) for claim_id in about]
    return record


def _check(ctx: Context, claim_id: str, system: str, name: str) -> ClaimCheck:
    scope = claim_scope(ctx, claim_id)
    claim = scope.claim
    index = ctx.facts.index
    mine = credit(index, system)
    accepted = index.confidence.isin(ctx.assumptions.attributed_confidences)
    period = scope.period
    rows = scope.positions[(mine.credited & accepted)[scope.positions]]
    if not ctx.assumptions.include_possibly_in_period:
        rows = rows[period[rows] == IN]
    p = scope.pricing
    figures = Figures(p.quantity, p.costed, p.value_low, p.value_central, p.value_high, period)

    def figure(priced: Pricing, selected: np.ndarray, label: str) -> BucketTotal:
        arrays = Figures(
            priced.quantity, priced.costed, priced.value_low, priced.value_central, priced.value_high, period
        )
        return total(arrays, label, selected, scope.amount, scope.measure, scope.factor)

    own = (
        claimant_prices(
            ctx, claim_id, rows, (scope.pricing, scope.claim_dollar_year), lambda p: figure(p, rows, "without")
        )
        if scope.measure == "value"
        else None
    )
    all_means = is_all_means(str(claim["scope_systems"]))
    inside = total(figures, "inside", rows[period[rows] == IN], scope.amount, scope.measure, scope.factor)
    possibly_rows = rows[period[rows] == POSSIBLY]
    possibly = total(figures, "possibly", possibly_rows, scope.amount, scope.measure, scope.factor)
    end = claim["period_end"]
    last = index.last_day[index.dates[possibly_rows]]
    by_end_rows, near_rows = possibly_rows[:0], possibly_rows[:0]
    if isinstance(end, str):
        by_end_rows = possibly_rows[last <= np.datetime64(end)]
        near_rows = possibly_rows[last <= np.datetime64(end) + np.timedelta64(NEAR_DAYS, "D")]
    by_end = total(figures, "possibly, by the end", by_end_rows, scope.amount, scope.measure, scope.factor)
    near = total(figures, "possibly, near", near_rows, scope.amount, scope.measure, scope.factor)
    documented = compare_claim(ctx.ledger, claim_id, ctx.assumptions).documented if all_means else None
    matched = _matched(scope, mine, rows, period)
    check = ClaimCheck(
        claim_id=str(claim["claim_id"]),
        claimant=str(claim["claimant"]),
        claim_date=_text(claim["claim_date"]),
        metric=str(claim["metric"]),
        measure=scope.measure,
        amount=float(claim["amount"]),
        unit=str(claim["unit"]),
        bound=str(claim["bound"]),
        period_start=_text(claim["period_start"]),
        period_end=_text(claim["period_end"]),
        scope_note=_text(claim.get("scope_note")),
        dollar_year=scope.dollar_year,
        all_means=all_means,
        inside=inside,
        possibly=possibly,
        possibly_by_end=by_end,
        possibly_near=near,
        matched=matched,
        documented_any_means=documented,
        claimant_prices=[] if own is None else own.observations,
        value_without_claimant_prices=None if own is None else own.documented_without.value,
        summary="",
    )
    narrow = bool(_text(claim["scope_categories"]) or _text(claim["scope_models"]))
    outside = _outside(scope, mine, accepted, rows) if narrow else []
    check.summary = _summary(check, name, outside, _text(claim.get("scope_equipment_as_stated")))
    return check


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _matched(scope: ClaimScope, mine: Credit, rows: np.ndarray, period: np.ndarray) -> list[MatchedItem]:
    """The system's items in the claim's scope, by their period, then loss id."""
    losses = scope.ctx.facts.losses
    names = scope.ctx.facts.system_names
    p = scope.pricing
    items = []
    for at in rows.tolist():
        loss = losses.iloc[at]
        value = (
            ValueRange(p.value_low[at], p.value_central[at], p.value_high[at]).scaled(scope.factor)
            if p.costed[at]
            else None
        )
        others = mine.others[int(mine.attribution[at])]
        items.append(
            MatchedItem(
                loss_id=str(loss["loss_id"]),
                category=str(loss["category"]),
                model=_text(loss["model"]),
                status=str(loss["status"]),
                items=int(p.quantity[at]),
                date_earliest=_text(loss["date_earliest"]),
                date_latest=_text(loss["date_latest"]),
                date_as_reported=_text(loss["date_as_reported"]),
                period="in" if period[at] == IN else "possibly",
                value=value,
                shared_with=", ".join(names.get(o, o) for o in others) or None,
                nearest_location=_text(loss.get("nearest_location")),
            )
        )
    return sorted(items, key=lambda m: (m.period != "in", m.loss_id))


def _outside(scope: ClaimScope, mine: Credit, accepted: np.ndarray, matched: np.ndarray) -> list[str]:
    """The system's items of the claim's equipment and statuses that its period leaves out (all but the
    ``matched`` rows), one "model (when)" per item."""
    index = scope.ctx.facts.index
    whole_war = _scope_mask(index, scope.claim) & mine.credited & accepted & (scope.pricing.quantity > 0)
    whole_war[matched] = False
    rows = np.flatnonzero(whole_war)
    losses = scope.ctx.facts.losses
    named = []
    for at in rows.tolist():
        loss = losses.iloc[at]
        first, last = _text(loss["date_earliest"]), _text(loss["date_latest"])
        when = format_day(last) if first and first == last else f"on or before {format_day(last)}" if last else ""
        model = _text(loss["model"]) or str(loss["category"])
        named += [f"{model} ({when})" if when else model] * int(scope.pricing.quantity[at])
    return named


def _items(n: int) -> str:
    return f"{n:,} item{'' if n == 1 else 's'}"


def _count_comparison(c: ClaimCheck) -> str:
    """How the system's items stand against a count claim, in words.

    A share is given only while the items do not outnumber the claimed count: then "at most N of the M claimed"
    is a true ceiling (each documented item is at most one of the claimed ones). When they outnumber it, a share
    over 100% would read as support the ledger cannot give: a unit that counts *systems* (its unit has the word
    "system": a SAM system is a battery of several vehicles — launchers, radar, loader — while Oryx, and so the
    ledger, lists each vehicle as an item) cannot be compared item for item, and for any other unit the ledger
    cannot tell which of its items the claim means. A count of strikes is no count of items: no share at all.
    """
    both = c.inside.items + c.possibly.items
    if c.metric in vocab.NOT_ITEM_METRICS or not c.amount:
        return ""
    if both <= c.amount:
        return f": at most {both:,} of the {c.amount:,.0f} claimed ({both / c.amount:.1%})"
    where = (
        "certainly or possibly inside the period"
        if c.inside.items and c.possibly.items
        else "inside the period"
        if c.inside.items
        else "possibly inside the period"
    )
    if COUNTS_SYSTEMS.search(c.unit):
        return (
            f": {both:,} documented vehicles of the kind {where}, against the {_claimed(c)} claimed. The ledger "
            "counts vehicles one by one, and a system may comprise several (launchers, radar, loader), so they "
            "cannot be compared item for item and no share of the claim is given"
        )
    return (
        f": {both:,} documented items of the kind {where}, more than the {_claimed(c)} claimed; the ledger cannot "
        "tell which of them the claim means, so no share of the claim is given"
    )


def _claimed(c: ClaimCheck) -> str:
    """The claimed amount with its unit: ``$26.5M``, ``2 Tor SAM systems``, ``1 Tor-M2 SAM system``."""
    return format_amount(c.amount, c.unit, c.measure)


def _latest(c: ClaimCheck, upto: str) -> str | None:
    """The latest possible day of the items only possibly inside whose latest possible day is on or before
    ``upto``."""
    days = [m.date_latest for m in c.matched if m.period != "in" and m.date_latest and m.date_latest <= upto]
    return max(days) if days else None


def _near_day(c: ClaimCheck) -> str | None:
    """The latest possible day of the items only possibly inside that are known lost within a week after the
    period's end (``possibly_near``)."""
    if c.period_end is None:
        return None
    return _latest(c, (dt.date.fromisoformat(c.period_end) + dt.timedelta(days=NEAR_DAYS)).isoformat())


def _every_means(d: BucketTotal, name: str, as_stated: str | None) -> str:
    """What an all-means claim is set against: every documented loss of its kinds, wherever it was."""
    worth = f", {format_range(d.value)} where priced" if d.items_costed else ", none of them priced"
    stated = f", and its scope as stated is “{as_stated}”" if as_stated else ""
    return (
        f"The claim credits every means, not the {name}{stated}. The ledger has no place filter, so it sets beside "
        "the claim every documented loss of the claim's kinds anywhere in the war, in its period or possibly in it, "
        f"not only the claim's own: {_items(d.items)}{worth} (at most {format_share(d.share_of_claim)} of the claim)."
    )


def _possibly_split(c: ClaimCheck) -> str:
    """When the items only possibly inside were lost, as far as the ledger knows: by the period's end (but perhaps
    before it began), on or before a day at most a week after it, or only over longer spans."""
    end = c.period_end
    if end is None or not c.possibly_near.items:
        return ""
    by_end = c.possibly_by_end.items
    after = c.possibly_near.items - by_end
    parts = []
    if by_end:
        day = _latest(c, end)
        before = ", perhaps before the period began" if c.period_start else ""
        parts.append((by_end, f"lost on or before {format_day(day or end)}{before}"))
    if after:
        day = _near_day(c) or end
        days = (dt.date.fromisoformat(day) - dt.date.fromisoformat(end)).days
        parts.append(
            (after, f"lost on or before {format_day(day)}, {days} day{'' if days == 1 else 's'} after its end")
        )
    rest = c.possibly.items - c.possibly_near.items
    if len(parts) == 1 and not rest:
        n, text = parts[0]
        return f" ({'all ' if n > 1 else ''}{text})"
    listed = "; ".join(f"{n:,} {text}" for n, text in parts)
    return f" (of them, {listed}" + (f"; the other {rest:,} dated only to longer spans)" if rest else ")")


def _stated_period(c: ClaimCheck) -> str:
    """What the claim's own dates allow to be certainly inside its period, when it leaves a bound unstated."""
    if c.period_start is None and c.period_end is not None:
        return (
            f" The claim states no start: only an item dated to its last day, {format_day(c.period_end)}, is "
            "certainly inside it; any earlier one is only possibly inside."
        )
    if c.period_end is None:
        missing = "no start and no end" if c.period_start is None else "no end"
        return f" The claim states {missing}: no item is certainly inside it."
    return ""


def _places(matched: list[MatchedItem]) -> str:
    """Where the records of the matched items place them: the commonest places first."""
    counts: dict[str, int] = {}
    for m in matched:
        if m.nearest_location:
            counts[m.nearest_location] = counts.get(m.nearest_location, 0) + m.items
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = "; ".join(f"{place} ({n:,})" for place, n in ranked[:NAMED_PLACES])
    more = len(ranked) - NAMED_PLACES
    listed += f" and {more:,} other place{'' if more == 1 else 's'}" if more > 0 else ""
    unplaced = sum(m.items for m in matched) - sum(counts.values())
    none = f"; {_items(unplaced)} with no place" if unplaced else ""
    return f" The places their records name: {listed}{none}."


def _summary(c: ClaimCheck, name: str, outside: list[str], as_stated: str | None = None) -> str:
    """The check in two to five sentences."""
    head = f"{c.claimant} claims {_claimed(c)} ({c.bound}), {format_period(c.period_start, c.period_end)}."
    head += _stated_period(c)
    if c.metric in vocab.NOT_ITEM_METRICS:
        head += " It counts strikes, not items lost, so no loss ledger can check it; the items are shown for scale."
    inside, possibly = _items(c.inside.items), _items(c.possibly.items)
    found = (
        f"Of those, again anywhere in the war, the ledger credits the {name} with {inside} certainly inside the "
        f"period and {possibly} possibly inside it{_possibly_split(c)}"
        if c.all_means
        else f"The ledger credits the {name} with {inside} in the claim's scope certainly inside its period and "
        f"{possibly} possibly inside it{_possibly_split(c)}"
    )
    if c.measure == "value" and (c.inside.items_costed or c.possibly.items_costed):
        upto = _sum(c.inside.value, c.possibly.value)
        certain = format_range(c.inside.value) if c.inside.items_costed else "nothing costed"
        near, latest = c.possibly_near.items, _near_day(c)
        nearby = (
            f", {format_range(_sum(c.inside.value, c.possibly_near.value))} with the {near:,} lost on or before "
            f"{format_day(latest)}"
            if c.possibly_near.items_costed and near < c.possibly.items and latest
            else ""
        )
        share = "" if c.all_means else f"; {format_share(upto.scaled(1 / c.amount) if c.amount else None)} of the claim"
        found += (
            f": worth {certain} certainly{nearby} and at most {format_range(upto)} with every possible one "
            f"({c.dollar_year} USD{share})"
        )
    elif c.measure == "count" and not c.all_means:
        found += _count_comparison(c)
    found += "."
    parts = [head]
    if c.all_means and c.documented_any_means is not None:
        parts.append(_every_means(c.documented_any_means, name, as_stated))
        found += _places(c.matched)
    parts.append(found)
    if outside:
        counted = list(dict.fromkeys(outside))
        named = [f"{outside.count(o)} × {o}" if outside.count(o) > 1 else o for o in counted]
        more = len(named) - NAMED_OUTSIDE
        listed = ", ".join(named[:NAMED_OUTSIDE]) + (f" and {more:,} more" if more > 0 else "")
        parts.append(f"Outside the claim's period, the war's record has {_items(len(outside))} of its kind: {listed}.")
    if c.claimant_prices and c.measure == "value":
        listed = ", ".join(f"{p.obs_id} ({p.cost_key})" for p in c.claimant_prices)
        without_value = c.value_without_claimant_prices
        without = format_range(without_value) if without_value and without_value.high else "nothing costed"
        parts.append(
            f"The prices used include the claimant's own unit values ({listed}): circular for this claim; without "
            f"them the items are worth {without}."
        )
    return " ".join(parts)


def _sum(a: ValueRange, b: ValueRange) -> ValueRange:
    return ValueRange(a.low + b.low, a.central + b.central, a.high + b.high)
