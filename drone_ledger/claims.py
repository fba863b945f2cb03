"""Compare costed, attributed losses with each public claim's scope.

Each loss in a claim's scope (side, statuses, categories, models, period) falls
in exactly one bucket:

* ``attributed`` — its attribution is accepted and its system is within the
  claim's means (e.g. Turkish-supplied drones for the France 24 claim);
* ``other`` — accepted attribution to a system outside those means;
* ``unattributed`` — no attribution at all, an attribution too vague to decide
  (a "drone (type unknown)" for a Turkish-drone claim), or one below the
  accepted confidence. With the attributed bucket it makes the ceiling: the most
  the evidence could still support.

For a claim about *all* means, every loss in scope counts toward it.

Every figure is split by the claim's period: the part *certainly inside* it (the
loss's whole date interval lies in the period) and the part only *possibly* inside
(a whole-war tally, a month that runs past the period's end). Only the first is a
floor of anything; the verdict says so.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from . import gaps, vocab
from .context import Context, context
from .costing import Pricing, claim_cost_key, unit_value
from .errors import UnknownClaimError, UnknownConflictError, UnknownDollarYearError, UnknownSideError
from .formatting import format_total
from .frames import by_distinct
from .ledger import LedgerLike
from .lossindex import LossIndex, loss_interval
from .record import claimant_prices, evidence_notes, for_scale, members_of
from .results.analysis import CountClaimPrice
from .results.claims import (
    AttributionGroup,
    ClaimComparison,
    ClaimsOverview,
    ConflictSummary,
    MeansAttribution,
    SideLosses,
    UncostedGroup,
    UnusableObservation,
    WideReading,
)
from .results.core import UNATTRIBUTED_PARTS, Assumptions, BucketTotal, clean_number
from .results.record import ClaimantPrices
from .scopes import NO, UNKNOWN, YES, is_all_means, split_list
from .totals import IN, OUT, PERIOD_NAMES, POSSIBLY, Figures, breakdown, keyed_groups, total
from .validation import require_valid
from .verdicts import OUTSIDE_SCOPE, break_even, caveats, verdict

BUCKETS = ("attributed", "other", "unattributed")
PERIOD_IN, PERIOD_POSSIBLY, PERIOD_OUT = PERIOD_NAMES
_ATTRIBUTED, _OTHER, _UNATTRIBUTED = range(3)  # bucket codes, in the order of BUCKETS
_PARTS = tuple(UNATTRIBUTED_PARTS)  # part codes: none, vague, not-accepted
_STATES = (YES, NO, UNKNOWN)  # membership codes

__all__ = ["BUCKETS", "compare_claim", "compare_claims", "summarize_conflict"]


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) else None


def _number(value: object) -> float:
    """A number cell of a claims row (pandas-stubs types a row's cells as any scalar)."""
    assert isinstance(value, int | float), value
    return float(value)


def claim_dollar_year(claim: pd.Series | dict[str, Any], conflict_start: str | None = None) -> int:
    """The year a claim's dollars are in: its date's year, else its period's end, else its period's start, else
    its conflict's start (``conflict_start``).

    Validation requires a dollar claim to have a claim_date or a period_end; a count claim with neither (a press
    report of unknown date) is priced in its period's first year.
    """
    date = (
        _date(claim["claim_date"])
        or _date(claim["period_end"])
        or _date(claim["period_start"])
        or _date(conflict_start)
    )
    if date is None:
        raise UnknownDollarYearError(
            f"claim {claim['claim_id']} has no date, no period and no known conflict start: no dollar year to price "
            "it in; add its conflict to conflicts.csv"
        )
    return date.year


def conflict_start(conflicts: pd.DataFrame, conflict: object) -> str | None:
    """The start date of a conflict in a conflicts table (None when it is not there)."""
    starts = dict(zip(conflicts["conflict_id"].tolist(), conflicts["start_date"].tolist(), strict=True))
    found = starts.get(conflict)
    return found if isinstance(found, str) else None


def period_membership(losses: pd.DataFrame, conflicts: pd.DataFrame, start: dt.date, end: dt.date | None) -> pd.Series:
    """Return in / possibly / out for each loss against the period [start, end] (end None: not known).

    A loss happened some day between its ``date_earliest`` and ``date_latest`` (an empty bound is the conflict's
    start or end; an ongoing war's end is open). It is *in* when that whole interval lies inside the period, *out*
    when none of it does, and *possibly* otherwise. With no known end, only what ends before the start is out.
    """

    def compute(distinct: pd.DataFrame) -> pd.DataFrame:
        first, last = loss_interval(distinct, conflicts)
        codes = period_codes(first.to_numpy(dtype="datetime64[ns]"), last.to_numpy(dtype="datetime64[ns]"), start, end)
        return pd.Series(np.asarray(PERIOD_NAMES, dtype=object)[codes], index=distinct.index, dtype="str").to_frame(
            "period"
        )

    return by_distinct(losses, ["conflict", "date_earliest", "date_latest"], compute)["period"]


def period_codes(first: np.ndarray, last: np.ndarray, start: dt.date, end: dt.date | None) -> np.ndarray:
    """:func:`period_membership` as codes (``IN``, ``POSSIBLY``, ``OUT``) for date intervals (NaT: unbounded)."""
    lo = np.datetime64(start, "ns")
    has_first, has_last = ~np.isnat(first), ~np.isnat(last)
    result = np.full(len(first), POSSIBLY, dtype=np.int8)
    out = has_last & (last < lo)
    if end is not None:
        hi = np.datetime64(end, "ns")
        result[has_first & has_last & (first >= lo) & (last <= hi)] = IN
        out |= has_first & (first > hi)
    result[out] = OUT
    return result


def bucket_total(
    name: str,
    rows: pd.DataFrame,
    amount: float | None = None,
    measure: str = "value",
    factor: float = 1.0,
    split_period: bool = False,
) -> BucketTotal:
    """:func:`drone_ledger.totals.total` of every row of a costed frame (with a ``period`` column)."""
    return total(Figures.of_frame(rows), name, np.arange(len(rows)), amount, measure, factor, split_period)


def compare_claim(
    ledger: LedgerLike = None,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    assumptions: Assumptions | None = None,
) -> ClaimComparison:
    """Compare one claim with the documented, costed losses in its scope.

    Parameters
    ----------
    ledger:
        A loaded ledger, a ledger directory, or None for the bundled one.
    claim_id:
        Key into claims.csv (default: Aliyev's $1 billion to France 24); any case.
    assumptions:
        Dollar year, which price observations and attributions count, etc.

    Returns
    -------
    ClaimComparison

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownClaimError
        If ``claim_id`` is not in claims.csv.
    """
    return _compare(claim_scope(context(require_valid(ledger), assumptions), claim_id))


def compare_claims(ledger: LedgerLike = None, assumptions: Assumptions | None = None) -> ClaimsOverview:
    """Compare every claim in the ledger (see :func:`compare_claim`).

    One context serves every claim: the ledger's arrays and each pricing (one per dollar year) are worked out once.
    """
    ctx = context(require_valid(ledger), assumptions)
    rows = [_compare(claim_scope(ctx, cid)) for cid in ctx.facts.claim_rows]
    return ClaimsOverview(rows, ctx.assumptions)


def _claim_record(claim: pd.Series) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in claim.items():
        if isinstance(value, float) or (not isinstance(value, str) and pd.isna(value)):
            record[str(key)] = clean_number(value) if not pd.isna(value) else None
        else:
            record[str(key)] = value
    return record


def resolve_claim_id(known: list[str], claim_id: str) -> str:
    """The claim id as claims.csv spells it: an exact match, else the one id equal to it ignoring case.

    Raises
    ------
    UnknownClaimError
        No id matches (the closest ones are suggested).
    """
    if claim_id in known:
        return claim_id
    folded = [k for k in known if k.casefold() == claim_id.casefold()]
    if len(folded) == 1:
        return folded[0]
    if not known:
        raise UnknownClaimError(
            f"no claim {claim_id[:200]!r}: this ledger's claims.csv has no claims; add one, pass --claim with an id "
            "from a ledger that has it, or total a war's losses with `drone-ledger summary --conflict ID`"
        )
    upper = {k.upper(): k for k in known}
    close = [upper[c] for c in difflib.get_close_matches(claim_id.upper(), list(upper), n=3, cutoff=0.6)]
    hint = f"did you mean {' or '.join(close)}?" if close else f"e.g. {', '.join(known[:5])}"
    raise UnknownClaimError(
        f"no claim {claim_id[:200]!r} in claims.csv ({hint}); `drone-ledger claims` lists them, pass one with "
        "--claim, or total a war's losses with `drone-ledger summary --conflict ID`"
    )


@dataclass
class ClaimScope:
    """The losses a claim's scope selects, each with its bucket: what every figure of a comparison is made of.

    The per-loss arrays have one entry per loss of the ledger, in the order of losses.csv.
    """

    ctx: Context
    claim: pd.Series
    measure: str
    dollar_year: int  # the dollars figures are shown in
    claim_dollar_year: int  # the claim's own dollars: shares are taken in them
    factor: float  # dollar_year dollars per claim-year dollar
    amount: float | None
    pricing: Pricing  # every loss, priced in the claim's dollar year
    in_scope: np.ndarray  # bool: the claim's conflict, side, statuses, equipment and period
    positions: np.ndarray  # the losses in scope with at least one item, ascending: the rows of every figure
    period: np.ndarray  # IN / POSSIBLY / OUT
    state: np.ndarray  # index into _STATES: is any system credited with the loss within the claim's means?
    bucket: np.ndarray  # index into BUCKETS
    part: np.ndarray  # index into _PARTS (meaningful in the unattributed bucket)
    member: dict[str, str]  # system id -> yes / no / unknown for the claim's means

    @property
    def assumptions(self) -> Assumptions:
        """The assumptions the scope was selected and priced under."""
        return self.ctx.assumptions

    @property
    def observations(self) -> pd.DataFrame:
        """Every price observation, valued in the claim's dollar year."""
        return self.pricing.observations

    @property
    def figures(self) -> Figures:
        """The arrays totals read."""
        p = self.pricing
        return Figures(p.quantity, p.costed, p.value_low, p.value_central, p.value_high, self.period)

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The losses in scope, costed (in the claim's dollar year), with ``period``, ``member``, ``bucket`` and
        ``part`` (what ``trace`` lists)."""
        costed = self.ctx.costed(self.claim_dollar_year)
        costed["period"] = pd.Series(np.asarray(PERIOD_NAMES, dtype=object)[self.period], index=costed.index)
        at = self.positions
        rows = costed.take(at)
        rows["member"] = np.asarray(_STATES, dtype=object)[self.state[at]]
        bucket = self.bucket[at]
        rows["bucket"] = np.asarray(BUCKETS, dtype=object)[bucket]
        part = np.asarray(_PARTS, dtype=object)[self.part[at]]
        rows["part"] = np.where(bucket == _UNATTRIBUTED, part, np.nan)
        return rows


def claim_scope(ctx: Context, claim_id: str) -> ClaimScope:
    """Select and bucket the losses in a claim's scope.

    Raises
    ------
    UnknownClaimError
        If ``claim_id`` is not in claims.csv.
    """
    claim = ctx.facts.claim_rows[resolve_claim_id(list(ctx.facts.claim_rows), claim_id)].copy()
    return _scope_of(ctx, claim)


def _scope_of(ctx: Context, claim: pd.Series) -> ClaimScope:
    """:func:`claim_scope` of a claims row (also one read another way, e.g. with wider categories)."""
    war_start = conflict_start(ctx.facts.conflicts, claim["conflict"])
    claim_year = claim_dollar_year(claim, war_start)
    year = ctx.dollar_year(claim_year)
    factor = ctx.dollar_factor(claim_year, year)
    priced = ctx.pricing(claim_year)
    index = ctx.facts.index
    assumptions = ctx.assumptions
    in_scope = _scope_mask(index, claim)
    start = _date(claim["period_start"]) or _date(war_start)  # an unstated start: the conflict's
    assert start is not None  # validation: a claim's conflict is in conflicts.csv, which requires a start_date
    end = _date(claim["period_end"])
    period = period_codes(index.first_day, index.last_day, start, end)[index.dates]
    if end is not None and _date(claim["period_start"]) is None:
        # The war's start bounds what *may* be inside; a claim of 7 May that states no start may be about that day
        # alone, so only an item dated to the stated end day itself is certainly inside every period it can mean.
        period[(period == IN) & ~(index.first_day[index.dates] >= np.datetime64(end))] = POSSIBLY  # NaT: not on it
    in_scope &= period == IN if not assumptions.include_possibly_in_period else period != OUT
    member = members_of(ctx.facts, str(claim["scope_systems"]))
    state = _states(index, member)
    none = index.system.where(lambda s: s is None or s == vocab.UNATTRIBUTED)
    state[none] = _STATES.index(UNKNOWN)
    attributed = ~none & (state == 0) & index.confidence.isin(assumptions.attributed_confidences)
    other = ~none & (state == 1) & index.confidence.isin(assumptions.excluding_confidences)
    bucket = np.full(index.rows, _UNATTRIBUTED, dtype=np.int8)
    bucket[attributed] = _ATTRIBUTED
    bucket[other] = _OTHER
    part = np.full(index.rows, _PARTS.index("not-accepted"), dtype=np.int8)
    part[~none & (state == 2)] = _PARTS.index("vague")
    part[none] = _PARTS.index("none")
    return ClaimScope(
        ctx=ctx,
        claim=claim,
        measure="value" if claim["unit"] == "USD" else "count",
        dollar_year=year,
        claim_dollar_year=claim_year,
        factor=factor,
        amount=float(claim["amount"]) if pd.notna(claim["amount"]) else None,
        pricing=priced,
        in_scope=in_scope,
        positions=np.flatnonzero(in_scope & (priced.quantity > 0)),
        period=period,
        state=state,
        bucket=bucket,
        part=part,
        member=member,
    )


def _scope_mask(index: LossIndex, claim: pd.Series, *, statuses: bool = True) -> np.ndarray:
    """The losses of the claim's conflict and side, with its statuses (unless ``statuses=False``), categories and
    models (not yet its period)."""
    mask: np.ndarray = index.conflict.eq(claim["conflict"]) & index.side.eq(claim["scope_side"])
    if statuses:
        mask &= index.status.isin(split_list(claim["scope_statuses"]))
    categories = split_list(claim["scope_categories"])
    if categories:
        mask &= index.category.isin(categories)
    models = [m.lower() for m in split_list(claim["scope_models"])]
    if models:  # a substring match, decided once per distinct model name
        mask &= index.model.where(lambda m: m is not None and any(f in m.lower() for f in models))
    return mask


def _states(index: LossIndex, member: dict[str, str]) -> np.ndarray:
    """Per loss, as an index into _STATES: is any system credited with it (attributed_system or, for an
    attributed loss, ``attributed_also``) within the claim's means? Decided once per distinct pair."""
    states = []
    for primary, also in index.attributions:
        state = member.get(primary, UNKNOWN) if primary is not None else UNKNOWN
        if also is not None and primary != vocab.UNATTRIBUTED:
            found = [state, *(member.get(s, UNKNOWN) for s in split_list(also))]
            state = YES if YES in found else (UNKNOWN if UNKNOWN in found else NO)
        states.append(_STATES.index(state))
    per_loss: np.ndarray = np.asarray(states, dtype=np.int8)[index.attribution] if states else np.zeros(0, np.int8)
    return per_loss


def _figure_rows(scope: ClaimScope) -> np.ndarray:
    """The losses behind a claim's headline figure: everything in scope for an all-means claim, else the ceiling."""
    rows = scope.positions
    return rows if is_all_means(scope.claim["scope_systems"]) else rows[scope.bucket[rows] != _OTHER]


def _compare(scope: ClaimScope) -> ClaimComparison:
    claim, measure, amount, factor = scope.claim, scope.measure, scope.amount, scope.factor
    figures, rows = scope.figures, scope.positions
    bucket = scope.bucket[rows]
    shared = scope.ctx.facts.index.shared_credit()

    def figure(name: str, selected: np.ndarray) -> BucketTotal:
        return total(figures, name, selected, amount, measure, factor, split_period=True, shared=shared)

    buckets = {name: figure(name, rows[bucket == code]) for code, name in enumerate(BUCKETS)}
    unattributed = rows[bucket == _UNATTRIBUTED]
    parts = {name: figure(name, unattributed[scope.part[unattributed] == code]) for code, name in enumerate(_PARTS)}
    all_means = is_all_means(claim["scope_systems"])
    in_figure = _figure_rows(scope)
    index = scope.ctx.facts.index
    costed = rows[figures.costed[rows]]
    keys = scope.ctx.facts.keys
    war = gaps.war_categories(scope.ctx.facts, str(claim["conflict"]))
    coverage = gaps.coverage(index, claim, war)
    comparison = ClaimComparison(
        claim=_claim_record(claim),
        measure=measure,
        dollar_year=scope.dollar_year,
        claim_dollar_year=scope.claim_dollar_year,
        amount_in_dollar_year=None if measure != "value" or amount is None else amount * factor,
        assumptions=scope.assumptions,
        buckets=buckets,
        unattributed_parts={name: part for name, part in parts.items() if part.items},
        documented=figure("documented", rows if all_means else rows[bucket == _ATTRIBUTED]),
        ceiling=figure("ceiling", in_figure),
        by_attribution=_by_attribution(scope),
        by_category=breakdown(
            figures, rows, index.category.codes[rows], index.category.values.__getitem__, amount, measure, factor
        ),
        uncosted=_uncosted(scope),
        coverage=coverage,
        cost_assumptions=sorted(
            {a for a in keys.combos["cost_assumption"].take(np.unique(keys.combo[costed])) if isinstance(a, str)}
        ),
        unusable_observations=_unusable(scope.pricing, _keys_in_scope(scope), str(claim["conflict"])),
        scope_attributions=_means_attributions(scope),
        break_even=None,
        evidence_searched=evidence_notes(scope.ctx.facts, claim["conflict"]),
        whole_war_items=int(figures.quantity[in_figure[index.whole_war[in_figure]]].sum()),
        loss_ids={name: index.sorted_ids(rows[bucket == code]) for code, name in enumerate(BUCKETS)},
        means_systems=gaps.means_names(scope),
        price_basis=gaps.price_basis(scope, in_figure),
        possibly_counted_twice=gaps.double_counts(scope.ctx.facts, in_figure, scope.pricing.quantity, war),
        wide_reading=_wide_reading(scope, war),
        inside_models=gaps.inside_models(scope, in_figure),
    )
    if measure == "count":
        comparison.implied_value = price_count_claim(claim, scope.ctx.facts.proxies, scope)
    comparison.break_even = break_even(comparison, gaps.unconfirmed_routes(scope, in_figure, coverage))
    if measure == "value":  # a count claim is compared in items: its prices do not decide it
        comparison.claimant_prices = _own_prices(scope, rows if all_means else rows[bucket == _ATTRIBUTED])
    comparison.verdict = verdict(comparison)
    comparison.caveats = caveats(comparison)
    if comparison.claimant_prices is not None:
        comparison.caveats.append(_own_prices_caveat(comparison.claimant_prices, comparison.dollar_year))
    comparison.for_scale = for_scale(scope.ctx, comparison.claim, scope.dollar_year, comparison.amount_in_dollar_year)
    return comparison


def _own_prices(scope: ClaimScope, documented: np.ndarray) -> ClaimantPrices | None:
    """The claimant's own unit values among the prices of the documented figure, and the figure without them."""

    def figure(priced: Pricing) -> BucketTotal:
        figures = Figures(
            priced.quantity, priced.costed, priced.value_low, priced.value_central, priced.value_high, scope.period
        )
        return total(figures, "documented", documented, scope.amount, scope.measure, scope.factor, split_period=True)

    claim_id = str(scope.claim["claim_id"])
    return claimant_prices(scope.ctx, claim_id, documented, (scope.pricing, scope.claim_dollar_year), figure)


def _own_prices_caveat(found: ClaimantPrices, dollar_year: int) -> str:
    """Which of the claimant's own unit values price the documented figure, and that figure without them."""
    listed = ", ".join(f"{o.obs_id} ({o.cost_key})" for o in found.observations)
    without = found.documented_without
    worth = format_total(without) if without.items_costed else "uncosted"
    return (
        f"Prices used include the claimant's own unit values, stated in {found.observations[0].claim_id}: {listed}. "
        f"Checking a claim with its own prices is circular; without them the documented figure is {worth} "
        f"({dollar_year} USD; {without.items_costed:,} of {without.items:,} items costed)."
    )


def _wide_reading(scope: ClaimScope, war: dict[str, list[str]] | None) -> WideReading | None:
    """The claim read with the categories whose tallies may include its own (None when there are none)."""
    categories = split_list(scope.claim["scope_categories"])
    if not categories or not war:
        return None
    added = [c for c, includes in war.items() if c not in categories and set(includes) & set(categories)]
    if not added:
        return None
    claim = scope.claim.copy()
    claim["scope_categories"] = vocab.LIST_SEPARATOR.join([*categories, *added])
    wide = _scope_of(scope.ctx, claim)
    rows = _figure_rows(wide)
    figure = total(wide.figures, "wide reading", rows, wide.amount, wide.measure, wide.factor, split_period=True)
    twice = gaps.double_counts(wide.ctx.facts, rows, wide.pricing.quantity, war)
    return WideReading([*categories, *added], added, figure, sum(d.items for d in twice))


def _keys_in_scope(scope: ClaimScope) -> set[str]:
    """The cost keys the losses in scope reach."""
    used = scope.ctx.facts.keys.keys["cost_key_used"]
    return {k for k in used.take(np.unique(scope.pricing.key[scope.positions])) if isinstance(k, str)}


def price_count_claim(claim: pd.Series, proxies: pd.DataFrame, scope: ClaimScope) -> CountClaimPrice:
    """A count claim priced at the ledger's unit values (in the scope's dollar year), or why it cannot be."""
    key, basis = claim_cost_key(claim, proxies)
    unit, reason = unit_value(scope.pricing.values(str(claim["conflict"])), key)
    unit = None if unit is None else unit.scaled(scope.factor)
    count = _number(claim["amount"])
    return CountClaimPrice(
        claim_id=str(claim["claim_id"]),
        equipment=str(claim["scope_equipment_as_stated"] or claim["unit"]),
        count=count,
        statuses=str(claim["scope_statuses"]),
        period_start=claim["period_start"] if isinstance(claim["period_start"], str) else None,
        period_end=claim["period_end"] if isinstance(claim["period_end"], str) else None,
        cost_key=key,
        cost_basis=basis,
        unit_usd=unit,
        implied_usd=None if unit is None else unit.scaled(count),
        uncosted_reason=None if unit is not None else reason,
    )


def _by_attribution(scope: ClaimScope) -> list[AttributionGroup]:
    """Totals per bucket, part, recorded system and confidence: they add up to the buckets they sit in."""
    index, rows = scope.ctx.facts.index, scope.positions
    systems, confidences = index.system, index.confidence
    sizes = (len(BUCKETS), len(_PARTS), max(len(systems.values), 1), max(len(confidences.values), 1))
    labels = np.ravel_multi_index(
        (scope.bucket[rows], scope.part[rows], systems.codes[rows], confidences.codes[rows]), sizes
    )

    def key(label: int) -> tuple[str, str, str, str]:
        bucket, part, system, confidence = np.unravel_index(label, sizes)
        return (
            BUCKETS[bucket],
            _PARTS[part] if bucket == _UNATTRIBUTED else "",
            systems.values[system] or vocab.UNATTRIBUTED,
            confidences.values[confidence] or "",
        )

    order = {name: i for i, name in enumerate(BUCKETS)}
    groups = [
        AttributionGroup(
            bucket=bucket,
            part=part or None,
            system=system,
            confidence=confidence or None,
            total=total(scope.figures, system, members, scope.amount, scope.measure, scope.factor),
        )
        for (bucket, part, system, confidence), members in keyed_groups(rows, labels, key)
    ]
    return sorted(groups, key=lambda g: (order[g.bucket], -g.total.items, g.system))


def _uncosted(scope: ClaimScope) -> list[UncostedGroup]:
    """The uncosted losses in scope, grouped (a million-row ledger gives a readable list; `trace` lists rows)."""
    index, rows = scope.ctx.facts.index, scope.positions
    rows = rows[~scope.pricing.costed[rows]]
    if not len(rows):
        return []
    keys = scope.pricing.key
    per_key = scope.pricing.per_key
    key_names = [k if isinstance(k, str) else "" for k in scope.ctx.facts.keys.keys["cost_key_used"]]
    reasons = per_key["uncosted_reason"].tolist()
    sizes = (len(BUCKETS), max(len(index.category.values), 1), max(len(index.model.values), 1), max(len(key_names), 1))
    labels = np.ravel_multi_index(
        (scope.bucket[rows], index.category.codes[rows], index.model.codes[rows], keys[rows]), sizes
    )

    def key(label: int) -> tuple[str, str, str, str, str] | None:
        bucket, category, model, cost_key = np.unravel_index(label, sizes)
        name = index.category.values[category]
        if name is None:
            return None  # pandas' group-by leaves out an empty key
        return (BUCKETS[bucket], name, index.model.values[model] or "", reasons[cost_key], key_names[cost_key])

    grouped = []
    for (bucket, category, model, reason, cost_key), members in keyed_groups(rows, labels, key):
        grouped.append(
            UncostedGroup(
                category=category,
                model=model or None,
                items=int(scope.pricing.quantity[members].sum()),
                losses=len(members),
                example_loss_id=min(index.loss_id.take(members).to_pylist()),
                bucket=bucket,
                reason=reason,
                cost_key=cost_key or None,
            )
        )
    return sorted(grouped, key=lambda g: (-g.items, g.category))


def _unusable(priced: Pricing, keys_in_scope: set[str], conflict: str) -> list[UnusableObservation]:
    """The observations of the cost keys in scope, in the claim's war's price list, that could not be used (those
    with no price at all left out)."""
    return [
        UnusableObservation(*cells[:5])
        for cells in priced.unusable
        if cells[1] in keys_in_scope and cells[5] in (None, conflict)
    ]


def _means_attributions(scope: ClaimScope) -> list[MeansAttribution]:
    """Every loss of the claim's side attributed to a system within its means, and whether it counts.

    A loss that does not count says why: outside the claim's statuses,
    categories or period, or attributed with too little confidence.
    """
    claim, assumptions = scope.claim, scope.assumptions
    index = scope.ctx.facts.index
    statuses = split_list(claim["scope_statuses"])
    mine = index.conflict.eq(claim["conflict"]) & index.side.eq(claim["scope_side"])
    means = (_states(index, scope.member) == 0) & index.system.where(lambda s: s != vocab.UNATTRIBUTED)
    found = np.flatnonzero(mine & means)
    if not len(found):
        return []
    losses = scope.ctx.facts.losses
    status, confidence = index.status.at(found), index.confidence.at(found)
    accepted = set(assumptions.attributed_confidences)
    in_scope = scope.in_scope[found].tolist()
    # A damaged item of another month or of other equipment is not excluded "for its status": it is not the claim's.
    after_or_before = ((scope.period[found] == OUT) | ~_scope_mask(index, claim, statuses=False)[found]).tolist()
    why = [
        OUTSIDE_SCOPE
        if outside
        else f"status {s!r} is outside the claim's scope ({', '.join(statuses)})"
        if s not in statuses
        else OUTSIDE_SCOPE
        if not inside
        else f"confidence {c!r} is not counted as attributed"
        if c not in accepted
        else ""
        for s, c, inside, outside in zip(status, confidence, in_scope, after_or_before, strict=True)
    ]
    columns = (  # built column-wise: a Python object per cell only for the rows listed
        index.loss_id.take(found).to_pylist(),
        index.system.at(found),
        confidence,
        status,
        index.category.at(found),
        scope.pricing.quantity[found].tolist(),
        [w == "" for w in why],
        [w or None for w in why],
        losses["source_url"].take(found).tolist(),
        [gaps.system_name(scope.ctx.facts, system) for system in index.system.at(found)],
    )
    return [MeansAttribution(*cells) for cells in zip(*columns, strict=True)]


# --- a conflict's losses -----------------------------------------------------------------------------------------


def summarize_conflict(
    ledger: LedgerLike,
    conflict: str,
    side: str | None = None,
    assumptions: Assumptions | None = None,
) -> ConflictSummary:
    """Total the documented losses of a conflict, side by side, by the system credited with them, by status and by
    category. The sides' losses are never added together: each side has its own totals.

    A loss credited to several systems ("by X and Y") is listed under each of them in ``by_system`` (so those rows
    may add up to more than the total); an attribution below the accepted confidence is listed as unattributed.
    Values are in the year the war began unless ``assumptions.dollar_year`` says otherwise.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownConflictError
        If the conflict is not in conflicts.csv.
    UnknownSideError
        If ``side`` is not a side whose losses the ledger has for the conflict (the message lists them).
    """
    ctx = context(require_valid(ledger), assumptions)
    conflicts = ctx.ledger["conflicts"].set_index("conflict_id")
    if conflict not in conflicts.index:
        close = difflib.get_close_matches(conflict, list(conflicts.index), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UnknownConflictError(
            f"no conflict {conflict!r} in conflicts.csv (it has: {', '.join(conflicts.index)}){hint}"
        )
    year = ctx.dollar_year(ctx.facts.war_year(conflict))
    priced = ctx.pricing(year)
    index = ctx.facts.index
    mask = index.conflict.eq(conflict) & (priced.quantity > 0)
    sides = sorted(s for s in index.side.distinct(np.flatnonzero(mask)) if s is not None)
    if side is not None and side not in sides:
        close = difflib.get_close_matches(side, sides, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UnknownSideError(
            f"--side {side[:200]!r} has no losses in {conflict} (its sides: {', '.join(sides) or 'none'}){hint}"
        )
    figures = Figures(
        priced.quantity,
        priced.costed,
        priced.value_low,
        priced.value_central,
        priced.value_high,
        np.full(index.rows, IN, dtype=np.int8),
    )
    shared = index.shared_credit() & index.confidence.isin(ctx.assumptions.attributed_confidences)
    per_side = []
    for name in [side] if side is not None else sides:
        rows = np.flatnonzero(mask & index.side.eq(name))
        credited, systems, names = _credited(index, rows, ctx.assumptions)
        per_side.append(
            SideLosses(
                side=str(name),
                total=total(figures, str(name), rows),
                by_system=breakdown(figures, credited, systems, names.__getitem__, shared=shared),
                by_status=breakdown(figures, rows, index.status.codes[rows], index.status.values.__getitem__),
                by_category=breakdown(figures, rows, index.category.codes[rows], index.category.values.__getitem__),
            )
        )
    return ConflictSummary(
        conflict=conflict, side=side, dollar_year=year, assumptions=ctx.assumptions, sides=sides, per_side=per_side
    )


def _credited(index: LossIndex, rows: np.ndarray, assumptions: Assumptions) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Each of ``rows`` once per system credited with it (``attributed_system``, and for an attributed loss each
    of ``attributed_also``; below the accepted confidence: ``unattributed``): the rows, the systems' codes, and
    the systems those codes number."""
    accepted = index.confidence.isin(assumptions.attributed_confidences)[rows]
    combos, inverse = np.unique(index.attribution[rows] * 2 + accepted, return_inverse=True)
    names: dict[str, int] = {}
    lists = []
    for combo in combos.tolist():
        primary, also = index.attributions[combo // 2]
        effective = primary if combo % 2 else vocab.UNATTRIBUTED
        systems = [effective, *(split_list(also) if effective != vocab.UNATTRIBUTED else [])]
        lists.append([names.setdefault(s, len(names)) for s in systems if s is not None])
    lengths = np.asarray([len(codes) for codes in lists], dtype=np.int64)
    flat = np.asarray([code for codes in lists for code in codes], dtype=np.int64)
    repeat = lengths[inverse]
    credited = np.repeat(rows, repeat)
    first_of_row = np.repeat(np.cumsum(repeat) - repeat, repeat)
    within = np.arange(len(credited)) - first_of_row
    codes = flat[np.repeat((np.cumsum(lengths) - lengths)[inverse], repeat) + within]
    return credited, codes, list(names)
