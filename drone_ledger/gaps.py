"""What a claim's headline figure rests on and leaves out, beyond its buckets.

* the war's own category list (categories.csv) and the claim's coverage of it: which categories a tally counts,
  which only reports document, which nothing documents;
* reports that a tally in the figure may already hold (the list says the tally may include their category);
* the routes to a dollar claim's break-even through the claimant side's own count claims;
* the price observations the figure's value rests on, and what leaving each out does.

:mod:`drone_ledger.claims` puts them in a :class:`~drone_ledger.results.ClaimComparison`;
:mod:`drone_ledger.verdicts` says them in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import vocab
from .costing import CENTRALS, claim_cost_key, unit_value
from .lossindex import LossIndex
from .results.analysis import ObservationEffect, PriceBasis
from .results.claims import Coverage, DoubleCount, UnconfirmedRoute
from .results.core import ValueRange
from .scopes import YES, is_all_means, split_list, why_unlike
from .totals import IN, value_sum

if TYPE_CHECKING:
    from .claims import ClaimScope
    from .context import LedgerFacts

__all__ = [
    "coverage",
    "double_counts",
    "inside_models",
    "means_names",
    "price_basis",
    "system_name",
    "unconfirmed_routes",
    "war_categories",
]


def category_lists(table: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    """Each war's own category list (a categories.csv table), each category with the categories its tallies may
    include, by conflict."""
    lists: dict[str, dict[str, list[str]]] = {}
    for conflict, category, may_include in zip(table["conflict"], table["category"], table["may_include"], strict=True):
        if isinstance(conflict, str) and isinstance(category, str):
            lists.setdefault(conflict, {}).setdefault(category, split_list(may_include))
    return lists


def war_categories(facts: LedgerFacts, conflict: str) -> dict[str, list[str]] | None:
    """A war's own category list (categories.csv), each category with the categories its tallies may include;
    None when the ledger lists none for it."""
    found = facts.category_lists.get(conflict)
    return None if found is None else dict(found)


def coverage(index: LossIndex, claim: pd.Series, war: dict[str, list[str]] | None) -> Coverage:
    """Which categories in scope have a tally, only individual reports, or nothing: judged against the claim's
    own categories, else its war's list (categories.csv). A war with no list names no category as undocumented."""
    mine = index.conflict.eq(claim["conflict"]) & index.side.eq(claim["scope_side"])
    counted = set(index.category.distinct(np.flatnonzero(mine & index.has_aggregate)))
    reported = set(index.category.distinct(np.flatnonzero(mine))) - counted
    categories = split_list(claim["scope_categories"])
    documented = [c for c in vocab.LOSS_CATEGORIES if c in counted | reported]
    if categories:
        wanted, listed = categories, True
    elif war is not None:
        wanted, listed = [*war, *(c for c in documented if c not in war)], True
    else:
        wanted, listed = documented, False
    return Coverage(
        counted=[c for c in wanted if c in counted],
        reports_only=[c for c in wanted if c in reported],
        no_documented_counts=[c for c in wanted if c not in counted and c not in reported and c != "Unknown"],
        listed=listed,
    )


def double_counts(
    facts: LedgerFacts, rows: np.ndarray, quantity: np.ndarray, war: dict[str, list[str]] | None
) -> list[DoubleCount]:
    """Reported items in ``rows`` that a tally in ``rows`` may already hold: the war's list says the tally's
    category may include theirs, and they are not linked to any tally (``counted_in``)."""
    if not war or not len(rows):
        return []
    index, linked = facts.index, facts.counted_in
    tallies = set(index.category.distinct(rows[index.has_aggregate[rows]]))
    reports = rows[~index.has_aggregate[rows] & ~linked[rows] & (quantity[rows] > 0)]
    found = []
    for tally in sorted(tallies):
        for category in war.get(tally, []):
            members = reports[index.category.eq(category)[reports]]
            if len(members):
                found.append(DoubleCount(index.sorted_ids(members), category, int(quantity[members].sum()), tally))
    return found


class _Claim(dict[str, Any]):
    """A claims row read both ways: ``row["amount"]`` and ``row.amount`` (what :func:`claim_cost_key` reads)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def count_claims(claims: pd.DataFrame) -> list[_Claim]:
    """A claims table's count claims (not in USD), each row readable both ways."""
    return [_Claim({str(k): v for k, v in row.items()}) for row in claims[claims["unit"].ne("USD")].to_dict("records")]


def unconfirmed_routes(scope: ClaimScope, rows: np.ndarray, coverage: Coverage) -> list[UnconfirmedRoute]:
    """Items the claimant side's own count claims name beyond what the figure documents, in categories a tally
    counts: for each category and statuses, the largest like-for-like count claim (statuses and period within the
    dollar claim's; any means, as the ceiling credits every loss not attributed elsewhere), priced."""
    claim = scope.claim
    if scope.measure != "value":
        return []
    like = [
        count
        for count in scope.ctx.facts.count_claims
        if (count["conflict"], count["scope_side"], count["claimant_side"])
        == (claim["conflict"], claim["scope_side"], claim["claimant_side"])
    ]
    best: dict[tuple[str, str], _Claim] = {}
    for count in like:
        categories = split_list(count["scope_categories"])
        if len(categories) != 1 or categories[0] not in coverage.counted or isinstance(count["scope_models"], str):
            continue
        if why_unlike(count, claim, means=False) is not None:
            continue
        key = (categories[0], str(count["scope_statuses"]))
        if key not in best or float(count["amount"]) > float(best[key]["amount"]):
            best[key] = count
    index = scope.ctx.facts.index
    proxies = scope.ctx.facts.proxies
    routes = []
    for (category, statuses), count in best.items():
        mine = rows[index.category.eq(category)[rows] & index.status.isin(split_list(statuses))[rows]]
        documented = int(scope.pricing.quantity[mine].sum())
        claimed = float(count["amount"])
        unconfirmed = max(0, int(round(claimed)) - documented)
        if not unconfirmed:
            continue
        cost_key, _ = claim_cost_key(count, proxies)
        unit, reason = unit_value(scope.pricing.values(str(claim["conflict"])), cost_key)
        unit = None if unit is None else unit.scaled(scope.factor)
        routes.append(
            UnconfirmedRoute(
                claim_id=str(count["claim_id"]),
                claimant=str(count["claimant"]),
                claim_date=count["claim_date"] if isinstance(count["claim_date"], str) else None,
                equipment=str(count["scope_equipment_as_stated"] or count["unit"]),
                category=category,
                statuses=statuses,
                claimed=claimed,
                bound=str(count["bound"]),
                documented=documented,
                unconfirmed=unconfirmed,
                cost_key=cost_key,
                unit_usd=unit,
                value_usd=None if unit is None else unit.scaled(unconfirmed),
                uncosted_reason=None if unit is not None else reason,
            )
        )
    # Routes of one category never overlap (366 tanks destroyed or captured holds the 241 destroyed): the largest
    # first, then only those whose statuses it does not hold, so the routes shown can be added up.
    kept: list[UnconfirmedRoute] = []
    for route in sorted(routes, key=lambda r: (-r.unconfirmed, r.claim_id)):
        taken = {s for k in kept if k.category == route.category for s in split_list(k.statuses)}
        if not taken & set(split_list(route.statuses)):
            kept.append(route)
    return sorted(kept, key=lambda r: (-(r.value_usd.central if r.value_usd else 0.0), r.category))


def price_basis(scope: ClaimScope, rows: np.ndarray) -> list[PriceBasis]:
    """What the value of ``rows`` rests on, per cost key (largest first): the items and value priced at it, the
    observations behind its central unit value, the figure's central with each of them left out, and with the
    other central method. Values are in the scope's dollar year."""
    p, factor = scope.pricing, scope.factor
    costed = rows[p.costed[rows]]
    if not len(costed):
        return []
    index = scope.ctx.facts.index
    names = scope.ctx.facts.keys.keys["cost_key_used"].tolist()
    wars = [w if isinstance(w, str) else None for w in scope.ctx.facts.keys.keys["conflict"].tolist()]
    whole = value_sum(p.value_central[costed])
    method = scope.assumptions.central
    other = next(m for m in CENTRALS if m != method)
    found = []
    for code in np.unique(p.key[costed]).tolist():
        members = costed[p.key[costed] == code]
        key, war = str(names[code]), wars[code]  # a key is priced from its war's price list
        units = p.per_key.iloc[code]
        unit = ValueRange(float(units["unit_low"]), float(units["unit_central"]), float(units["unit_high"]))
        per_unit = float((p.quantity[members] * p.weight[members]).sum())  # the figure moves by this per unit dollar

        def figure_with(central: float, base: float = unit.central, per: float = per_unit) -> float:
            return (whole - per * (base - central)) * factor

        effects = [
            ObservationEffect(
                obs_id,
                mid * factor,
                None if without is None else without * factor,
                None if without is None else figure_with(without),
            )
            for obs_id, mid, without in p.leave_one_out(key, method, war)
        ]
        mids = np.asarray([e.midpoint_usd / factor for e in effects], dtype=np.float64)
        alternative = CENTRALS[other](mids) if len(mids) else unit.central
        value = ValueRange(
            value_sum(p.value_low[members]), value_sum(p.value_central[members]), value_sum(p.value_high[members])
        )
        found.append(
            PriceBasis(
                cost_key=key,
                items=int(p.quantity[members].sum()),
                categories=sorted({c for c in index.category.distinct(members) if c}),
                value=value.scaled(factor),
                share_of_figure=value.central / whole if whole else 0.0,
                unit_usd=unit.scaled(factor),
                method=method,
                observations=effects,
                alternative_method=other,
                unit_central_alternative=alternative * factor,
                figure_central_alternative=figure_with(alternative),
            )
        )
    return sorted(found, key=lambda b: (-b.value.central, b.cost_key))


def means_names(scope: ClaimScope) -> list[str]:
    """The names of the ledger's systems certainly within the claim's means (``Bayraktar TB2``), in table order."""
    if is_all_means(scope.claim["scope_systems"]):
        return []
    systems = scope.ctx.facts.systems
    return [
        str(name if isinstance(name, str) and name else sid)
        for sid, name in zip(systems["system_id"], systems["name"], strict=True)
        if scope.member.get(str(sid)) == YES and sid != vocab.UNATTRIBUTED
    ]


def inside_models(scope: ClaimScope, rows: np.ndarray) -> list[str]:
    """What the figure's items certainly inside the claim's period are: their models (or, without one, their
    category), the first five."""
    index = scope.ctx.facts.index
    inside = rows[scope.period[rows] == IN]
    pairs = np.unique(np.stack([index.model.codes[inside], index.category.codes[inside]]), axis=1)  # once each
    named = [index.model.values[m] or index.category.values[c] for m, c in pairs.T.tolist()]
    return list(dict.fromkeys(str(n) for n in named if n))[:5]


def system_name(facts: LedgerFacts, system_id: str) -> str:
    """A system's name in systems.csv (its id when it has none)."""
    return facts.system_names.get(system_id) or system_id
