"""A system's documented record: what the ledger credits it with, war by war, priced like every other figure.

The record of a system in a war is every loss of that war credited to it — as ``attributed_system``, or in
``attributed_also`` when the credit is shared ("destroyed by Bayraktar TB2 and artillery") — at an accepted
confidence. It is totalled by category and status, priced (uncosted items stay out of the value, never zero),
spread over the days it spans (the earliest to the latest day any of its items can have happened on), and
placed week by week at each item's latest possible day, so its running total is what was certainly lost by then.

"For scale" sets a dollar claim about one war beside the record of its means in another war: how many times the
whole record, and its daily rate, the claim is — with the caveats that make it scale and never a prediction.

Claims checked against a record, item by item, need the claims' scopes: :mod:`drone_ledger.recordcheck`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from typing import Any

import numpy as np
import pandas as pd

from . import vocab
from .context import Context, LedgerFacts, PriceChoice
from .costing import Pricing, key_values, price_losses
from .errors import AnalysisUsageError
from .formatting import format_day, format_money, format_period, format_usd
from .lossindex import LossIndex
from .results.claims import EvidenceNote, UncostedGroup
from .results.core import BucketTotal, ValueRange
from .results.record import ClaimantPrice, ClaimantPrices, ForScale, NotCounted, RecordWeek, WarRecord
from .scopes import YES, membership, split_list
from .totals import IN, Figures, breakdown, keyed_groups, total

__all__ = [
    "claimant_prices",
    "evidence_notes",
    "find_system",
    "for_scale",
    "means_records",
    "members_of",
    "war_records",
]


def find_system(facts: LedgerFacts, system: str) -> tuple[str, str]:
    """The (id, name) of a system of systems.csv, matched by id or name ignoring case.

    Raises
    ------
    AnalysisUsageError
        No system has that id or name (the closest are suggested); exit status 2.
    """
    systems = facts.systems
    ids, names = systems["system_id"].tolist(), systems["name"].tolist()
    for sid, name in zip(ids, names, strict=True):
        if system.casefold() in (str(sid).casefold(), str(name).casefold()):
            return str(sid), str(name)
    close = difflib.get_close_matches(system, [str(i) for i in ids], n=2)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise AnalysisUsageError(f"no system {system[:200]!r} in systems.csv (it has: {', '.join(map(str, ids))}){hint}")


@dataclasses.dataclass(frozen=True)
class Credit:
    """Per loss: is the system credited with it (alone or shared), and with which other systems."""

    credited: np.ndarray
    shared: np.ndarray
    others: list[list[str]]  # per distinct attribution: the other systems credited
    attribution: np.ndarray  # each loss's attribution, numbered as in LossIndex.attributions


def credit(index: LossIndex, system: str) -> Credit:
    """Which losses credit ``system`` (as ``attributed_system`` or in ``attributed_also``), decided once per
    distinct (attributed_system, attributed_also) pair."""
    is_mine, is_shared, others = [], [], []
    for primary, also in index.attributions:
        named = [s for s in [primary, *split_list(also)] if s is not None and s != vocab.UNATTRIBUTED]
        mine = system in named
        rest = [s for s in named if s != system]
        is_mine.append(mine)
        is_shared.append(mine and bool(rest))
        others.append(rest)
    codes = index.attribution
    if not is_mine:
        empty = np.zeros(index.rows, dtype=bool)
        return Credit(empty, empty, others, codes)
    return Credit(np.asarray(is_mine)[codes], np.asarray(is_shared)[codes], others, codes)


def members_of(facts: LedgerFacts, scope: str) -> dict[str, str]:
    """System id -> yes / no / unknown: is it within ``scope`` (a claim's scope_systems)? Once per scope."""
    if scope not in facts.members:
        facts.members[scope] = {
            str(system["system_id"]): membership(scope, {str(k): v for k, v in system.items()})
            for system in facts.systems.to_dict("records")
        }
    return facts.members[scope]


def evidence_notes(facts: LedgerFacts, conflict: str) -> list[EvidenceNote]:
    """What was searched for the conflict (evidence_searched.csv), once per conflict."""

    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    if conflict not in facts.evidence:
        searched = facts.evidence_searched
        facts.evidence[conflict] = [
            EvidenceNote(
                str(r.source_id),
                str(r.source),
                str(r.result),
                text(r.what_it_can_show),
                text(r.what_it_cannot_show),
                text(r.source_url),
            )
            for r in searched[searched["conflict"].eq(conflict)].itertuples()
        ]
    return list(facts.evidence[conflict])


def war_records(ctx: Context, system: str) -> list[WarRecord]:
    """The record of ``system`` (an id of systems.csv) in every war of conflicts.csv, one per side that lost items
    to it (a war where it has none: one record of 0 items).

    Values are in the assumptions' dollar year, else in each war's first year's. Worked out once per ledger,
    system and assumptions.
    """
    key = ("war records", system, ctx.assumptions)
    if key not in ctx.facts.records:
        ctx.facts.records[key] = _war_records(ctx, system)
    return list(ctx.facts.records[key])


def _war_records(ctx: Context, system: str) -> list[WarRecord]:
    facts = ctx.facts
    index = facts.index
    name = facts.system_names.get(system, system)
    mine = credit(index, system)
    accepted = index.confidence.isin(ctx.assumptions.attributed_confidences)
    records = []
    for conflict, war_name in facts.conflicts[["conflict_id", "name"]].itertuples(index=False):
        year = ctx.dollar_year(facts.war_year(conflict))
        priced = ctx.pricing(year)
        in_war = index.conflict.eq(conflict) & (priced.quantity > 0) & mine.credited
        sides = sorted(s for s in index.side.distinct(np.flatnonzero(in_war & accepted)) if s is not None)
        below = in_war & ~accepted
        for side in sides or [None]:
            of_side = in_war if side is None else in_war & index.side.eq(side)
            rows = np.flatnonzero(of_side & accepted)
            unaccepted = np.flatnonzero(below if side is None or len(sides) == 1 else below & of_side)
            records.append(
                _war_record(
                    facts, (priced, year), mine, rows, unaccepted, (system, str(name)), (conflict, war_name), side
                )
            )
    return records


def _figures(priced: Pricing, rows: int) -> Figures:
    return Figures(
        priced.quantity,
        priced.costed,
        priced.value_low,
        priced.value_central,
        priced.value_high,
        np.full(rows, IN, dtype=np.int8),
    )


def _war_record(
    facts: LedgerFacts,
    pricing: tuple[Pricing, int],
    mine: Credit,
    rows: np.ndarray,
    unaccepted: np.ndarray,
    system: tuple[str, str],
    war: tuple[str, str],
    side: str | None,
) -> WarRecord:
    priced, dollar_year = pricing
    index = facts.index
    figures = _figures(priced, index.rows)
    first = index.first_day[index.dates[rows]]
    last = index.last_day[index.dates[rows]]
    quantity = priced.quantity[rows]
    shared_rows = rows[mine.shared[rows]]
    shared_with: dict[str, int] = {}
    for code, items in zip(mine.attribution[shared_rows].tolist(), priced.quantity[shared_rows].tolist(), strict=True):
        for other in mine.others[code]:
            shared_with[other] = shared_with.get(other, 0) + int(items)
    costed = rows[priced.costed[rows]]
    observations = sorted(
        {o for ids in priced.per_key["obs_ids"].take(priced.key[costed]) for o in ids.split(";") if o}
    )
    keys = facts.keys
    return WarRecord(
        system=system[0],
        system_name=system[1],
        conflict=war[0],
        conflict_name=war[1],
        side=side,
        dollar_year=dollar_year,
        total=total(figures, "total", rows),
        by_category=breakdown(figures, rows, index.category.codes[rows], index.category.values.__getitem__),
        by_status=breakdown(figures, rows, index.status.codes[rows], index.status.values.__getitem__),
        first_day=None if not len(rows) or np.isnat(first).all() else _iso(first[~np.isnat(first)].min()),
        last_day=None if not len(rows) or np.isnat(last).any() else _iso(last.max()),
        items_dated_to_the_day=int(quantity[~np.isnat(first) & (first == last)].sum()),
        shared=total(figures, "shared credit", shared_rows),
        shared_with=dict(sorted(shared_with.items(), key=lambda kv: (-kv[1], kv[0]))),
        shared_with_names={other: facts.system_names.get(other, other) for other in sorted(shared_with)},
        uncosted=_uncosted(facts, priced, rows),
        cost_assumptions=sorted(
            {a for a in keys.combos["cost_assumption"].take(np.unique(keys.combo[costed])) if isinstance(a, str)}
        ),
        observations_used=observations,
        claimant_prices=_claimant_prices_of(facts, observations),
        weeks=_weeks(priced, rows, first, last),
        not_counted=[
            NotCounted(loss_id, status, confidence or "", int(items))
            for loss_id, status, confidence, items in zip(
                index.loss_id.take(unaccepted).to_pylist(),
                index.status.at(unaccepted),
                index.confidence.at(unaccepted),
                priced.quantity[unaccepted].tolist(),
                strict=True,
            )
        ],
        loss_ids=index.sorted_ids(rows),
        evidence=evidence_notes(facts, war[0]),
    )


def _iso(day: np.datetime64) -> str:
    return str(np.datetime_as_string(day, unit="D"))


def _uncosted(facts: LedgerFacts, priced: Pricing, rows: np.ndarray) -> list[UncostedGroup]:
    """The record's uncosted items, by category, model, reason and cost key."""
    index: LossIndex = facts.index
    rows = rows[~priced.costed[rows]]
    key_names = [k if isinstance(k, str) else "" for k in facts.keys.keys["cost_key_used"]]
    reasons = priced.per_key["uncosted_reason"].tolist()
    sizes = (max(len(index.category.values), 1), max(len(index.model.values), 1), max(len(key_names), 1))
    labels = np.ravel_multi_index((index.category.codes[rows], index.model.codes[rows], priced.key[rows]), sizes)

    def key(label: int) -> tuple[str, str, str, str] | None:
        category, model, cost_key = np.unravel_index(label, sizes)
        name = index.category.values[category]
        return None if name is None else (name, index.model.values[model] or "", reasons[cost_key], key_names[cost_key])

    groups = [
        UncostedGroup(
            category=category,
            model=model or None,
            items=int(priced.quantity[members].sum()),
            losses=len(members),
            example_loss_id=min(index.loss_id.take(members).to_pylist()),
            bucket="record",
            reason=reason,
            cost_key=cost_key or None,
        )
        for (category, model, reason, cost_key), members in keyed_groups(rows, labels, key)
    ]
    return sorted(groups, key=lambda g: (-g.items, g.category, g.model or ""))


def _stated_prices(facts: LedgerFacts) -> dict[str, ClaimantPrice]:
    """Every observation that is a claimant's own unit value, by obs_id (worked out once per ledger)."""
    if "stated prices" not in facts.records:
        costs = facts.unit_costs
        found: dict[str, ClaimantPrice] = {}
        if "stated_in_claim" in costs.columns:
            stated = costs.dropna(subset=["stated_in_claim"])
            columns = (stated[c].tolist() for c in ("obs_id", "cost_key", "stated_in_claim"))
            found = {str(o): ClaimantPrice(str(o), str(k), str(c)) for o, k, c in zip(*columns, strict=True)}
        facts.records["stated prices"] = found
    prices: dict[str, ClaimantPrice] = facts.records["stated prices"]
    return prices


def _claimant_prices_of(facts: LedgerFacts, observations: list[str]) -> list[ClaimantPrice]:
    """The observations among ``observations`` that are a claimant's own unit values."""
    stated = _stated_prices(facts)
    return [stated[o] for o in observations if o in stated]


def _weeks(priced: Pricing, rows: np.ndarray, first: np.ndarray, last: np.ndarray) -> list[RecordWeek]:
    """Each week from the record's first to its last, with the items whose latest possible day falls in it."""
    placed = ~np.isnat(last)
    if not placed.any():
        return []
    days = last[placed].astype("datetime64[D]")
    weekday = (days.astype(np.int64) - 4) % 7  # 1970-01-01 was a Thursday; Monday = 0
    monday = days - weekday.astype("timedelta64[D]")
    start_day = (first[~np.isnat(first)].min() if (~np.isnat(first)).any() else last[placed].min()).astype(
        "datetime64[D]"
    )
    start = start_day - np.timedelta64(int((start_day.astype(np.int64) - 4) % 7), "D")
    at = rows[placed]
    dated = (first[placed] == last[placed]) & ~np.isnat(first[placed])
    costed = priced.costed[at]
    weeks = []
    running_items = 0
    running = np.zeros(3)
    week = start
    while week <= monday.max():
        here = monday == week
        items = int(priced.quantity[at[here]].sum())
        value = np.array(
            [
                np.nansum(level[at[here & costed]])
                for level in (priced.value_low, priced.value_central, priced.value_high)
            ]
        )
        running_items += items
        running = running + value
        weeks.append(
            RecordWeek(
                week=_iso(week),
                items=items,
                items_dated_to_the_day=int(priced.quantity[at[here & dated]].sum()),
                value=ValueRange(*map(float, value)),
                cumulative_items=running_items,
                cumulative_value=ValueRange(*map(float, running)),
            )
        )
        week = week + np.timedelta64(7, "D")
    return weeks


# --- for scale: a claim beside its means' record in another war ------------------------------------------------------


def means_records(ctx: Context, claim: Any, dollar_year: int) -> list[WarRecord]:
    """The records (in every war, priced in ``dollar_year`` dollars) of each system a claim about particular means
    credits — a system within its ``scope_systems`` for certain — that has items; none for a claim about every
    means."""
    scope = str(claim["scope_systems"])
    if "all" in split_list(scope):
        return []
    within = [system for system, member in members_of(ctx.facts, scope).items() if member == YES]
    at_year = dataclasses.replace(ctx, assumptions=dataclasses.replace(ctx.assumptions, dollar_year=dollar_year))
    return [war for system in within for war in war_records(at_year, system) if war.total.items]


def for_scale(ctx: Context, claim: dict[str, Any], dollar_year: int, amount: float | None) -> list[ForScale]:
    """For a dollar claim about particular means, each system of the means with a record in another war, set
    beside the claim (``amount`` in ``dollar_year`` dollars)."""
    if amount is None:
        return []
    return [
        _for_scale(ctx.facts, war, claim, amount)
        for war in means_records(ctx, claim, dollar_year)
        if war.conflict != claim["conflict"] and war.side and war.days
    ]


def _times(value: float) -> str:
    return f"{value:,.1f}×" if value < 100 else f"{value:,.0f}×"


def _times_range(multiple: ValueRange) -> str:
    if round(multiple.low, 1) == round(multiple.high, 1):
        return _times(multiple.central)
    return f"{_times(multiple.central)} ({_times(multiple.low)}–{_times(multiple.high)})"


def _for_scale(facts: LedgerFacts, war: WarRecord, claim: dict[str, Any], amount: float) -> ForScale:
    assert war.days and war.first_day and war.last_day and war.side
    value = war.total.value
    priced = war.total.items_costed > 0 and value.low > 0
    multiple = ValueRange(amount / value.high, amount / value.central, amount / value.low) if priced else None
    start = claim.get("period_start") or _war_start(facts, claim["conflict"])
    end = claim.get("period_end")
    claim_days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1 if start and end else None
    claim_per_day = amount / claim_days if claim_days else None
    per_day = war.value_per_day
    # Per day, the claim's rate over the record's: the whole-record multiple times the record's days over the claim's.
    multiple_per_day = None if multiple is None or not claim_days else multiple.scaled(war.days / claim_days)
    span = f"{format_period(war.first_day, war.last_day)} ({war.days:,} days)"
    worth = (
        f", worth {format_money(value, war.dollar_year)} where priced: {war.items_per_day:.2f} items and "
        f"{format_usd(per_day.central)} a day"
        if priced and per_day is not None
        else f": {war.items_per_day:.2f} items a day, none of them priced"
    )
    sentences = [
        f"In the {war.conflict_name}, the {war.system_name} is credited with {war.total.items:,} documented items "
        f"of {war.side}'s equipment, {span}{worth}."
    ]
    if multiple is not None:
        period = f" over {claim_days:,} days ({format_period(start, end)})" if claim_days else ""
        daily = f", and {_times_range(multiple_per_day)} its daily rate" if multiple_per_day is not None else ""
        sentences.append(
            f"The claim, {format_usd(amount)}{period}, is {_times_range(multiple)} the value of that whole "
            f"record{daily}."
        )
    return ForScale(
        system=war.system,
        system_name=war.system_name,
        conflict=war.conflict,
        conflict_name=war.conflict_name,
        side=war.side,
        dollar_year=war.dollar_year,
        items=war.total.items,
        items_costed=war.total.items_costed,
        items_uncosted=war.total.items_uncosted,
        value=value,
        first_day=war.first_day,
        last_day=war.last_day,
        days=war.days,
        items_per_day=war.total.items / war.days,
        value_per_day=per_day,
        shared_items=war.shared.items,
        shared_value=war.shared.value if war.shared.items_costed else None,
        claim_amount=amount,
        claim_days=claim_days,
        claim_per_day=claim_per_day,
        multiple=multiple,
        multiple_per_day=multiple_per_day,
        sentences=sentences,
        caveats=_scale_caveats(facts, war),
    )


def _levels(value: ValueRange) -> tuple[float, float, float]:
    return (value.low, value.central, value.high)


def _war_start(facts: LedgerFacts, conflict: str) -> str | None:
    conflicts = facts.conflicts
    found = conflicts.loc[conflicts["conflict_id"].eq(conflict), "start_date"].tolist()
    return str(found[0]) if found else None


def _scale_caveats(facts: LedgerFacts, war: WarRecord) -> list[str]:
    """What makes the comparison scale and never a prediction, one short line each."""
    lines = [
        "Scale, not a prediction: another war, against another opponent and its air defences.",
        "A floor: only visually confirmed losses are documented.",
    ]
    if war.shared.items:
        others = war.shared_with_listed
        verb = "rests" if war.shared.items == 1 else "rest"
        worth = f", worth {format_money(war.shared.value, war.dollar_year)}," if war.shared.items_costed else ""
        sentence = f"{war.shared.items:,} of the {war.total.items:,} items{worth} {verb} on credit shared with {others}"
        if war.shared.items_costed:
            sole = ValueRange(
                *(t - s for t, s in zip(_levels(war.total.value), _levels(war.shared.value), strict=True))
            )
            sentence += f"; without them the record is {format_money(sole, war.dollar_year)}"
        lines.append(sentence + ".")
    if war.total.items_uncosted:
        verb = "has" if war.total.items_uncosted == 1 else "have"
        lines.append(f"{war.total.items_uncosted:,} items {verb} no usable price: left out, not valued at zero.")
    stops = f"The record stops on {format_day(war.last_day)}"
    sources = _record_sources(facts, war)
    notes = [e.cannot_show for e in war.evidence if e.cannot_show and any(e.source.startswith(s) for s in sources)]
    first = notes[0].split(";")[0] if notes else ""  # its first clause: why the record stops
    lines.append(f"{stops}; its source cannot show {first}." if first else f"{stops}.")
    return lines


def _record_sources(facts: LedgerFacts, war: WarRecord) -> set[str]:
    """Who published the record's items (losses.source_name)."""
    losses = facts.losses
    names = losses.loc[losses["loss_id"].isin(war.loss_ids), "source_name"].dropna().unique()
    return {str(n) for n in names}


# --- a claimant's own prices -----------------------------------------------------------------------------------------


def same_statement(claims: pd.DataFrame, claim_id: str) -> set[str]:
    """The claims made in the same statement as ``claim_id``: the same claimant, date and outlet."""
    columns = ["claimant", "claim_date", "outlet"]
    row = claims.loc[claims["claim_id"].eq(claim_id), columns]
    if row.empty:
        return {claim_id}
    wanted = row.iloc[0].tolist()
    same = np.ones(len(claims), dtype=bool)
    for column, value in zip(columns, wanted, strict=True):
        cells = claims[column]
        same &= (cells.isna() if pd.isna(value) else cells.eq(value)).fillna(False).to_numpy(dtype=bool)
    return set(claims.loc[same, "claim_id"].tolist())


def claimant_prices(
    ctx: Context,
    claim_id: str,
    rows: np.ndarray,
    pricing: tuple[Pricing, int],
    figure: Any,
) -> ClaimantPrices | None:
    """The claimant's own unit values among the prices of ``rows`` (``pricing``: the prices and their dollar
    year; stated in the same statement as the claim), and ``figure(pricing) -> BucketTotal`` recomputed with those
    observations left out; None when there are none.
    """
    facts = ctx.facts
    if not _stated_prices(facts):
        return None
    priced, dollar_year = pricing
    keys = np.unique(priced.key[rows[priced.costed[rows]]])
    used = {o for ids in priced.per_key["obs_ids"].take(keys) for o in ids.split(";") if o}
    candidates = _claimant_prices_of(facts, sorted(used))
    if not candidates:
        return None
    if ("statement", claim_id) not in facts.records:
        facts.records[("statement", claim_id)] = same_statement(facts.claims, claim_id)
    statement = facts.records[("statement", claim_id)]
    own = [p for p in candidates if p.claim_id in statement]
    if not own:
        return None
    left_out_ids = tuple(p.obs_id for p in own)

    def reprice() -> Pricing:
        observations = priced.observations.copy()
        left_out = observations["obs_id"].isin(list(left_out_ids))
        for column in ("low_usd", "central_usd", "high_usd"):
            observations[column] = observations[column].mask(left_out)
        observations["usable"] = observations["usable"] & ~left_out
        observations["unusable_reason"] = observations["unusable_reason"].mask(left_out, "stated-in-claim")
        valued = key_values(facts.keys, observations, priced.extreme, priced.central)
        status = facts.losses["status"]
        weight = ctx.assumptions.damaged_weight
        return price_losses(
            facts.keys, facts.quantity, status, observations, valued, weight, priced.extreme, priced.central
        )

    key = ("pricing without", PriceChoice.of(dollar_year, ctx.assumptions), left_out_ids)
    if key not in facts.records:
        facts.records[key] = reprice()
    without: Pricing = facts.records[key]
    result: BucketTotal = figure(without)
    return ClaimantPrices(own, result)
