"""A system's documented record in every war the ledger holds, with the claims about it checked against it.

:func:`documented_record` is what ``drone-ledger record SYSTEM`` prints: :mod:`drone_ledger.record`'s war records,
and for each claim about the system (its means include the system, or it credits every means), the system's
items in the claim's scope, item by item — certainly inside the claim's period, or only possibly inside it — priced
with the ledger's prices. Where those prices include the claimant's own unit values, the check says so and gives
the value without them. A claim about every means (Forbes' Snake Island valuations) is set against every documented
loss in its scope, and the system's part is shown beside it, labelled so.
"""

from __future__ import annotations

import numpy as np

from . import vocab
from .claims import ClaimScope, _scope_mask, claim_scope, compare_claim
from .context import Context, context
from .costing import Pricing
from .formatting import format_amount, format_day, format_period, format_range, format_share
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
    rows = scope.positions[(mine.credited & accepted)[scope.positions]]
    figures = scope.figures
    period = scope.period[rows]

    def figure(priced: Pricing, selected: np.ndarray, label: str) -> BucketTotal:
        arrays = Figures(
            priced.quantity, priced.costed, priced.value_low, priced.value_central, priced.value_high, scope.period
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
    inside = total(figures, "inside", rows[period == IN], scope.amount, scope.measure, scope.factor)
    possibly_rows = rows[period == POSSIBLY]
    possibly = total(figures, "possibly", possibly_rows, scope.amount, scope.measure, scope.factor)
    end = claim["period_end"]
    last = index.last_day[index.dates[possibly_rows]]
    near_rows = (
        possibly_rows[last <= np.datetime64(end) + np.timedelta64(NEAR_DAYS, "D")]
        if isinstance(end, str)
        else possibly_rows[:0]
    )
    near = total(figures, "possibly, near", near_rows, scope.amount, scope.measure, scope.factor)
    documented = compare_claim(ctx.ledger, claim_id, ctx.assumptions).documented if all_means else None
    matched = _matched(scope, mine, rows)
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
        possibly_near=near,
        matched=matched,
        documented_any_means=documented,
        claimant_prices=[] if own is None else own.observations,
        value_without_claimant_prices=None if own is None else own.documented_without.value,
        summary="",
    )
    narrow = bool(_text(claim["scope_categories"]) or _text(claim["scope_models"]))
    check.summary = _summary(check, name, _outside(scope, mine, accepted) if narrow else [])
    return check


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _matched(scope: ClaimScope, mine: Credit, rows: np.ndarray) -> list[MatchedItem]:
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
                period="in" if scope.period[at] == IN else "possibly",
                value=value,
                shared_with=", ".join(names.get(o, o) for o in others) or None,
            )
        )
    return sorted(items, key=lambda m: (m.period != "in", m.loss_id))


def _outside(scope: ClaimScope, mine: Credit, accepted: np.ndarray) -> list[str]:
    """The system's items of the claim's equipment and statuses that its period leaves out, one "model (when)" per
    item."""
    index = scope.ctx.facts.index
    whole_war = _scope_mask(index, scope.claim) & mine.credited & accepted & (scope.pricing.quantity > 0)
    rows = np.flatnonzero(whole_war & ~scope.in_scope)
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


def _summary(c: ClaimCheck, name: str, outside: list[str]) -> str:
    """The check in two or three sentences."""
    claimed = format_amount(c.amount, c.unit, c.measure)
    when = format_period(c.period_start, c.period_end)
    head = f"{c.claimant} claims {claimed} ({c.bound}), {when}."
    if c.metric in vocab.NOT_ITEM_METRICS:
        head += " It counts strikes, not items lost, so no loss ledger can check it; the items are shown for scale."
    both = c.inside.items + c.possibly.items
    near = c.possibly_near.items
    split = (
        f" ({near:,} of them documented within a week after it, the other {c.possibly.items - near:,} dated only to "
        "longer spans)"
        if near and near < c.possibly.items
        else " (all documented within a week after it)"
        if near
        else ""
    )
    found = (
        f"The ledger credits the {name} with {_items(c.inside.items)} in the claim's scope certainly inside its "
        f"period and {_items(c.possibly.items)} possibly inside it{split}"
    )
    if c.measure == "value" and (c.inside.items_costed or c.possibly.items_costed):
        upto = _sum(c.inside.value, c.possibly.value)
        share = upto.scaled(1 / c.amount) if c.amount else None
        certain = format_range(c.inside.value) if c.inside.items_costed else "nothing costed"
        nearby = (
            f", {format_range(_sum(c.inside.value, c.possibly_near.value))} with the near ones"
            if c.possibly_near.items_costed and near < c.possibly.items
            else ""
        )
        found += (
            f": worth {certain} certainly{nearby} and at most {format_range(upto)} with every possible one "
            f"({c.dollar_year} USD; {format_share(share)} of the claim)"
        )
    elif c.measure == "count" and c.amount:
        found += f": at most {both:,} of the {c.amount:,.0f} claimed ({both / c.amount:.1%})"
    found += "."
    parts = [head, found]
    if c.all_means and c.documented_any_means is not None:
        d = c.documented_any_means
        worth = f", {format_range(d.value)} where priced" if d.items_costed else ", none of them priced"
        parts.append(
            f"The claim credits every means, not the {name}: every documented loss in its scope counts — "
            f"{_items(d.items)}{worth} ({format_share(d.share_of_claim)} of the claim)."
        )
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
