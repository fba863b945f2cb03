"""Price observations -> CPI-adjusted low/central/high unit values -> valued losses.

Rules, each visible in the output columns:

* An observation is usable when it has a price, is in USD or in a currency with
  a sourced rate for its price year (``exchange_rates.csv``: converted at that
  rate), has a price year and CPI has that year, and does not restate another
  usable observation (``same_observation_as``: the pair counts once); otherwise
  it carries the reason (``unusable_reason``).
* Each war has its own price list: the observations of its ``conflict`` and
  those with none (an observation's applicability is judged against one war's
  equipment, so the same figure may be direct for one war and a reference for
  another). Per war and cost key: low = lowest usable ``price_low``, high =
  highest usable ``price_high``, central = median of the observations'
  midpoints (or their mean, ``Assumptions.central``), all moved to the target
  dollar year with CPI-U. :func:`leave_one_out` shows what each observation
  does to the central.
* A loss reaches a cost key of its war's list by, in order: its explicit
  ``cost_key``; a key equal to its model; a key its model extends (``T-72`` for
  ``T-72B``: the model family); for a model with no price of its own (no priced
  observation of its key), a documented category average for that model; for a
  whole-category aggregate (no model), a documented category proxy. Otherwise it
  is *uncosted*: counted, listed, and left out of dollar totals — never valued
  at zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .dates import first_year
from .errors import UnknownDollarYearError
from .frames import distinct_rows
from .results.core import Assumptions, ValueRange
from .scopes import split_list
from .vocab import APPLICABILITIES

COST_BASES = ("explicit", "model", "model-family", "category-proxy", "none")


def cpi_series(cpi: pd.DataFrame) -> dict[int, float]:
    """Return {year: CPI-U annual average} from a cpi table."""
    cpi = cpi.dropna(subset=["year", "cpi_u_annual_avg"])
    return {int(y): float(v) for y, v in zip(cpi["year"], cpi["cpi_u_annual_avg"], strict=True)}


def check_dollar_year(cpi: dict[int, float], *years: int) -> None:
    """Refuse a dollar year the CPI series lacks.

    Raises
    ------
    UnknownDollarYearError
        cpi.csv has no figure for one of ``years`` (a usage error).
    """
    for year in years:
        if year not in cpi:
            covers = f"{min(cpi)}-{max(cpi)}" if cpi else "none"
            raise UnknownDollarYearError(
                f"cpi.csv has no figure for {year} (it covers {covers}); choose another dollar year"
            )


def exchange_rates(rates: pd.DataFrame) -> dict[tuple[str, int], float]:
    """Return {(currency, year): units per US dollar} for every sourced rate of an exchange_rates table."""
    rates = rates.dropna(subset=["currency", "year", "units_per_usd"])
    columns = (rates[c].tolist() for c in ("currency", "year", "units_per_usd"))
    return {(str(c), int(y)): float(r) for c, y, r in zip(*columns, strict=True)}


def _rate_sources(rates: pd.DataFrame) -> dict[tuple[str, int], str]:
    """{(currency, year): the source_url of its rate} for every sourced rate of an exchange_rates table."""
    rates = rates.dropna(subset=["currency", "year", "units_per_usd", "source_url"])
    columns = (rates[c].tolist() for c in ("currency", "year", "source_url"))
    return {(str(c), int(y)): str(u) for c, y, u in zip(*columns, strict=True)}


def conversions(observations: pd.DataFrame) -> dict[str, str]:
    """How each observation in another currency becomes dollars of its price year, in words, by obs_id."""
    columns = ("obs_id", "currency", "price_low", "price_high", "price_year", "units_per_usd", "rate_source_url")
    found = {}
    for obs_id, currency, low, high, year, rate, url in zip(*(observations[c].tolist() for c in columns), strict=True):
        if currency != "USD" and pd.notna(rate) and pd.notna(low):
            price = f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"
            source = f"; rate: {url}" if isinstance(url, str) else ""
            found[str(obs_id)] = f"{price} {currency} ({int(year)}) at {rate:,.2f} {currency} per USD{source}"
    return found


def in_price_list(observations: pd.DataFrame, conflict: str | None) -> np.ndarray:
    """Which observations price ``conflict``'s losses: its own and those of no particular war (None: every one)."""
    if conflict is None or "conflict" not in observations.columns:
        return np.ones(len(observations), dtype=bool)
    wars = _cells(observations, "conflict")  # a few hundred rows: plain Python beats a column comparison here
    return np.fromiter((war is None or war == conflict for war in wars), dtype=bool, count=len(wars))


#: The columns :func:`unit_values` reads: a war's price list is these columns of its observations.
_VALUED = ["obs_id", "cost_key", "applicability", "usable", "unusable_reason", "low_usd", "central_usd", "high_usd"]


def counted_applicabilities(assumptions: Assumptions) -> tuple[str, ...]:
    """The applicabilities whose observations count (every one when a price extreme chooses among them)."""
    return tuple(APPLICABILITIES if assumptions.price_extreme else assumptions.applicability)


def observations_in(
    unit_costs: pd.DataFrame,
    cpi: dict[int, float],
    dollar_year: int,
    wanted: tuple[str, ...],
    rates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every price observation with its usability and its value in ``dollar_year`` USD (which must be in ``cpi``).

    One row per observation: the unit_costs columns plus ``usable`` (bool), ``unusable_reason`` (a code or
    empty), ``units_per_usd`` and ``rate_source_url`` (the exchange rate a price in another currency is converted
    at, from ``rates``, an exchange_rates table), ``cpi_factor``, and ``low_usd`` / ``central_usd`` / ``high_usd``
    in ``dollar_year`` dollars; only the observations whose applicability is in ``wanted`` count.
    """
    obs = unit_costs.copy()
    priced = obs["price_low"].notna() & obs["price_high"].notna()
    known = exchange_rates(rates) if rates is not None else {}
    sources = _rate_sources(rates) if rates is not None else {}
    pairs = list(zip(obs["currency"].tolist(), obs["price_year"].tolist(), strict=True))
    rate = pd.Series(
        [
            1.0 if currency == "USD" else known.get((currency, int(year)), math.nan) if pd.notna(year) else math.nan
            for currency, year in pairs
        ],
        index=obs.index,
        dtype="float64",
    )
    usd = rate.notna()  # in USD, or in a currency with a sourced rate for the price year
    has_year = obs["price_year"].notna()
    in_cpi = obs["price_year"].isin(list(cpi)).fillna(False).astype(bool)
    counted = obs["applicability"].isin(list(wanted)).fillna(False).astype(bool)
    reason = pd.Series("", index=obs.index, dtype="str")
    # The first failing rule names the reason; order = how fundamental it is.
    for mask, code in (
        (~counted, "excluded-applicability"),
        (~in_cpi, "no-cpi-for-year"),
        (~has_year, "missing-price-year"),
        (~usd, "unusable-currency"),
        (~priced, "no-price-found"),
    ):
        reason = reason.mask(mask, code)
    if "same_observation_as" in obs.columns:  # a restatement counts once: as the row it restates, when usable
        usable_ids = set(obs["obs_id"][reason.eq("")])
        restates = obs["same_observation_as"].isin(list(usable_ids)).fillna(False).astype(bool)
        reason = reason.mask(reason.eq("") & restates, "same-observation")
    obs["usable"] = reason.eq("")
    obs["unusable_reason"] = reason
    obs["units_per_usd"] = rate
    obs["rate_source_url"] = pd.Series(
        [sources.get((c, int(y))) if c != "USD" and pd.notna(y) else None for c, y in pairs],
        index=obs.index,
        dtype="str",
    )
    factor = obs["price_year"].map(lambda y: cpi[dollar_year] / cpi[int(y)] if pd.notna(y) and int(y) in cpi else None)
    obs["cpi_factor"] = pd.to_numeric(factor, errors="coerce").astype("float64")
    low = obs["price_low"].astype("float64") / rate * obs["cpi_factor"]
    high = obs["price_high"].astype("float64") / rate * obs["cpi_factor"]
    usable = obs["usable"]
    obs["low_usd"] = low.where(usable)
    obs["high_usd"] = high.where(usable)
    obs["central_usd"] = ((low + high) / 2).where(usable)
    return obs


#: The choices of price observations the scenarios use; a price extreme takes each unit value's lowest (highest).
PRICE_SETS = (
    ("direct",),
    ("direct", "upper_reference"),
    ("direct", "floor_reference"),
    ("direct", "upper_reference", "floor_reference"),
)


def unit_values(
    observations: pd.DataFrame, extreme: str | None = None, central: str = "median", conflict: str | None = None
) -> pd.DataFrame:
    """Collapse observations into one unit value range per cost key (of ``conflict``'s price list, if given).

    Returns a frame indexed by ``cost_key`` with ``unit_low``, ``unit_central``,
    ``unit_high`` (NaN when no usable observation), ``n_obs`` (usable),
    ``obs_ids`` (usable, ';'-joined) and ``uncosted_reason`` (why a key with no
    usable observation has none). ``central`` is ``median`` or ``mean`` of the midpoints.

    With ``extreme`` (``lowest`` or ``highest``), each level is the lowest (highest) any choice of observations in
    :data:`PRICE_SETS` gives; for the central level the choices also include leaving one observation out and either
    central method, so the extreme bounds :func:`leave_one_out` too. ``lowest`` prices only keys that direct
    observations price (a key priced by a reference alone stays uncosted, which counts for less); ``highest``
    prices every key any choice prices.
    """
    listed = in_price_list(observations, conflict)
    if not listed.all():
        observations = observations.loc[listed, _VALUED]
    usable = observations["usable"].to_numpy(dtype=bool)
    if extreme is None:
        return _unit_values(observations, usable, central)
    applicability = observations["applicability"]
    choices = [usable & applicability.isin(list(choice)).to_numpy(dtype=bool) for choice in PRICE_SETS]
    per_set = [_unit_values(observations, chosen, central) for chosen in choices]
    values = per_set[0].copy() if extreme == "lowest" else _unit_values(observations, usable, central)
    priced = values["unit_central"].notna().to_numpy(dtype=bool)
    pick = np.fmin if extreme == "lowest" else np.fmax  # like a group-by min (max): NaN only where every set is
    for level in ("unit_low", "unit_high"):
        combined = pick.reduce(np.stack([frame[level].to_numpy(dtype=np.float64) for frame in per_set]), axis=0)
        values[level] = np.where(priced, combined, np.nan)
    candidates = [_central_candidates(observations, chosen) for chosen in choices]
    choose = min if extreme == "lowest" else max
    centrals = [
        choose((c for found in candidates for c in found.get(key, [])), default=math.nan) for key in values.index
    ]
    values["unit_central"] = np.where(priced, np.asarray(centrals, dtype=np.float64), np.nan)
    return values


def _members(observations: pd.DataFrame, usable: np.ndarray) -> dict[str, list[int]]:
    """The positions of the ``usable`` observations of each cost key."""
    members: dict[str, list[int]] = {}
    for position, key in enumerate(observations["cost_key"].tolist()):
        if isinstance(key, str) and usable[position]:
            members.setdefault(key, []).append(position)
    return members


def _central_candidates(observations: pd.DataFrame, usable: np.ndarray) -> dict[str, list[float]]:
    """Every central value a key's ``usable`` observations give: by each method, with all of them and with each
    one left out (a key with one observation has nothing to leave out)."""
    mids = observations["central_usd"].to_numpy(dtype=np.float64)
    found: dict[str, list[float]] = {}
    for key, members in _members(observations, usable).items():
        values = mids[members]
        subsets = [values] + ([np.delete(values, i) for i in range(len(values))] if len(values) > 1 else [])
        found[key] = [c for subset in subsets for method in CENTRALS for c in [CENTRALS[method](subset)] if c == c]
    return found


def leave_one_out(
    observations: pd.DataFrame, key: str, central: str = "median", conflict: str | None = None
) -> list[tuple[str, float, float | None]]:
    """What each usable observation of ``key`` (in ``conflict``'s price list, if given) does to its central unit
    value.

    Returns (obs_id, its midpoint, the key's central without it) per usable observation, in obs_id order; the
    central without it is None when it is the key's only observation. Values are in the observations' dollar year.
    """
    usable = observations["usable"].to_numpy(dtype=bool) & in_price_list(observations, conflict)
    members = sorted(_members(observations, usable).get(key, []), key=lambda m: str(observations["obs_id"].iat[m]))
    mids = observations["central_usd"].to_numpy(dtype=np.float64)[members]
    ids = [str(observations["obs_id"].iat[m]) for m in members]
    method = CENTRALS[central]
    return [
        (obs_id, float(mids[i]), method(np.delete(mids, i)) if len(ids) > 1 else None) for i, obs_id in enumerate(ids)
    ]


def _unit_values(observations: pd.DataFrame, usable: np.ndarray, central: str = "median") -> pd.DataFrame:
    """Unit values from the ``usable`` observations, per cost key (a key in the order it first appears).

    The observations table is small (one row per price found), so this is plain Python over its columns; the
    figures are a group-by's: the lowest ``low_usd``, the median ``central_usd`` (the mean of the middle two of an
    even count; or their mean), the highest ``high_usd``, ignoring empty cells.
    """
    keys = [k if isinstance(k, str) else None for k in observations["cost_key"].tolist()]
    ids = observations["obs_id"].tolist()
    reasons = observations["unusable_reason"].tolist()
    low, mid, high = (observations[c].to_numpy(dtype=np.float64) for c in ("low_usd", "central_usd", "high_usd"))
    rows: dict[str, list[int]] = {key: [] for key in keys if key is not None}
    why_not: dict[str, set[str]] = {}
    for position, key in enumerate(keys):
        if key is None:
            continue
        if usable[position]:
            rows[key].append(position)
        else:
            why_not.setdefault(key, set()).add(reasons[position])
    columns: dict[str, list[Any]] = {name: [] for name in ("unit_low", "unit_central", "unit_high", "n_obs")}
    columns |= {"obs_ids": [], "uncosted_reason": []}
    method = CENTRALS[central]
    for key, members in rows.items():
        columns["unit_low"].append(_extreme(low[members], np.min))
        columns["unit_central"].append(method(mid[members]))
        columns["unit_high"].append(_extreme(high[members], np.max))
        columns["n_obs"].append(len(members))
        columns["obs_ids"].append(";".join(sorted(ids[m] for m in members)))
        if members or key not in why_not:
            columns["uncosted_reason"].append("")
        else:
            columns["uncosted_reason"].append(";".join(sorted(why_not[key] - {""}) or ["excluded-applicability"]))
    index = pd.Index(pd.array(list(rows), dtype="str"), name="cost_key")
    return pd.DataFrame(
        {
            "unit_low": np.asarray(columns["unit_low"], dtype=np.float64),
            "unit_central": np.asarray(columns["unit_central"], dtype=np.float64),
            "unit_high": np.asarray(columns["unit_high"], dtype=np.float64),
            "n_obs": np.asarray(columns["n_obs"], dtype=np.int64),
            "obs_ids": pd.array(columns["obs_ids"], dtype="str"),
            "uncosted_reason": pd.array(columns["uncosted_reason"], dtype="str"),
        },
        index=index,
    )


def _extreme(values: np.ndarray, pick: Callable[[np.ndarray], Any]) -> float:
    present = values[~np.isnan(values)]
    return float(pick(present)) if len(present) else math.nan


def _median(values: np.ndarray) -> float:
    """pandas' group-by median: the middle value, or the mean of the middle two ((upper + lower) / 2)."""
    present = np.sort(values[~np.isnan(values)])
    n = len(present)
    if not n:
        return math.nan
    return float(present[n // 2]) if n % 2 else float((present[n // 2] + present[n // 2 - 1]) / 2)


def _mean(values: np.ndarray) -> float:
    """The mean of the values present (NaN when none is)."""
    present = values[~np.isnan(values)]
    return float(present.mean()) if len(present) else math.nan


#: A cost key's central unit value from its observations' midpoints, by method (``Assumptions.central``).
CENTRALS: dict[str, Callable[[np.ndarray], float]] = {"median": _median, "mean": _mean}


def _family_key(model: str, keys: list[str]) -> str | None:
    """Return the longest key that ``model`` extends (``T-72`` for ``T-72B``), if any."""
    best = None
    for key in keys:
        if model.startswith(key) and len(model) > len(key) and not model[len(key)].isdigit():
            if best is None or len(key) > len(best):
                best = key
    return best


@dataclass(frozen=True)
class CostKeys:
    """How every loss reaches a price, worked out once per distinct (conflict, side, category, model, cost_key).

    ``combos`` holds, per distinct combination, ``cost_key_used`` (or NA), ``cost_basis`` (one of
    :data:`COST_BASES`) and ``cost_assumption`` (the proxy's stated basis, shown wherever the value is used);
    ``combo`` numbers each loss's combination; ``keys`` holds the distinct (``conflict``, ``cost_key_used``)
    pairs — a key is priced from its war's price list — and ``key_of_combo`` numbers each combination's pair in it.
    """

    combo: np.ndarray
    combos: pd.DataFrame
    key_of_combo: np.ndarray
    keys: pd.DataFrame

    @property
    def key(self) -> np.ndarray:
        """Each loss's cost key, numbered in ``keys``."""
        key: np.ndarray = self.key_of_combo[self.combo]
        return key

    def per_loss(self, index: pd.Index) -> pd.DataFrame:
        """``combos``' columns for every loss (``index``: the losses' index)."""
        out = self.combos.iloc[self.combo]
        out.index = index
        return out


def cost_keys(losses: pd.DataFrame, unit_costs: pd.DataFrame, proxies: pd.DataFrame) -> CostKeys:
    """How each of ``losses`` reaches a price in ``unit_costs`` (see :class:`CostKeys`)."""
    columns = ["conflict", "side_losing", "category", "model", "cost_key"]
    combo, distinct = distinct_rows(losses, columns)
    combos = _resolve_cost_keys(distinct, unit_costs, proxies)
    pairs = pd.DataFrame({"conflict": distinct["conflict"], "cost_key_used": combos["cost_key_used"]})
    key_of_combo, keys = distinct_rows(pairs, ["conflict", "cost_key_used"])
    return CostKeys(combo, combos, key_of_combo, keys)


def _resolve_cost_keys(losses: pd.DataFrame, unit_costs: pd.DataFrame, proxies: pd.DataFrame) -> pd.DataFrame:
    """:class:`CostKeys`' columns for each row of ``losses`` (the distinct combinations of the columns it reads).

    Plain Python over the combinations (a million losses hold a few thousand): the rules in order of precedence
    are an explicit ``cost_key``, a key equal to the model, the key the model extends (its family), for a model
    with no price of its own the first category average documented for it, and for a whole-category row (no
    model) the first documented category proxy. Keys are those of the loss's war's price list.
    """
    lists = _price_lists(unit_costs)
    columns = ("conflict", "side_losing", "category", "cost_key", "basis", "confidence", "model")
    proxy_of: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for conflict, side, category, key, basis, confidence, model in zip(
        *(_cells(proxies, c) for c in columns), strict=True
    ):
        proxy_of.setdefault((conflict, side, category, model), (key, basis, confidence))  # the first one documented
    family: dict[tuple[str | None, str], str | None] = {}
    used: list[str | None] = []
    bases: list[str] = []
    assumptions: list[str | None] = []
    found: tuple[str | None, str, str | None]
    for conflict, side, category, model, explicit in zip(
        *(_cells(losses, c) for c in ("conflict", "side_losing", "category", "model", "cost_key")), strict=True
    ):
        keys, key_set, priced = lists.get(conflict) or lists[None]
        proxy = proxy_of.get((conflict, side, category, model))
        if explicit is not None:
            found = (explicit, "explicit", None)
        elif model is not None and model in key_set and (model in priced or proxy is None):
            found = (model, "model", None)
        elif (
            model is not None
            and (parent := family.setdefault((conflict, model), _family_key(model, keys))) is not None
            and (parent in priced or proxy is None)
        ):
            found = (parent, "model-family", f"model {model} priced as its family {parent}")
        elif proxy is not None and proxy[0] is not None:
            key, basis, confidence = proxy
            parts = (side, category, key, confidence, basis)  # an empty cell leaves the sentence empty, as pandas did
            what = f"{side} {category}" if model is None else f"{side} {model} ({category})"
            sentence = (
                None
                if any(p is None for p in parts)
                else (f"every {what} item priced as {key} (confidence {confidence}): {basis}")
            )
            found = (key, "category-proxy", sentence)
        else:
            found = (None, "none", None)
        used.append(found[0])
        bases.append(found[1])
        assumptions.append(found[2])
    return pd.DataFrame(
        {
            "cost_key_used": pd.Series(used, index=losses.index, dtype="str"),
            "cost_basis": pd.Series(bases, index=losses.index, dtype="str"),
            "cost_assumption": pd.Series(assumptions, index=losses.index, dtype="str"),
        },
        index=losses.index,
    )


def _cells(frame: pd.DataFrame, column: str) -> list[Any]:
    """A text column's cells as Python values, None for an empty cell (or a column the frame lacks)."""
    if column not in frame.columns:
        return [None] * len(frame)
    return [v if isinstance(v, str) else None for v in frame[column].tolist()]


def _price_lists(costs: pd.DataFrame) -> dict[str | None, tuple[list[str], set[str], set[str]]]:
    """Each war's cost keys (sorted, and as a set) and those of them with a priced observation; under None, the
    keys of the observations of no particular war (the list of a war with none of its own)."""
    wars = _cells(costs, "conflict")
    keys = _cells(costs, "cost_key")
    priced = costs["price_low"].notna().to_numpy(dtype=bool)
    lists: dict[str | None, tuple[list[str], set[str], set[str]]] = {}
    for war in {None, *wars}:
        mine = [i for i, w in enumerate(wars) if keys[i] is not None and (w is None or w == war)]
        key_set = {keys[i] for i in mine}
        lists[war] = (sorted(key_set), key_set, {keys[i] for i in mine if priced[i]})
    return lists


def effective_quantities(losses: pd.DataFrame) -> pd.Series:
    """Quantity of each row net of the rows ``counted_in`` it, so no item counts twice."""
    nested = losses["counted_in"].notna()
    if not nested.any():  # the usual case: nothing is counted inside another row
        return losses["quantity"].astype("int64").clip(lower=0)
    inside = losses.loc[nested, ["counted_in", "quantity"]].groupby("counted_in")["quantity"].sum()
    netted = losses["loss_id"].map(inside).fillna(0).astype("int64")
    return (losses["quantity"].astype("int64") - netted).clip(lower=0)


@dataclass(frozen=True)
class Pricing:
    """Every loss of a ledger priced under one set of assumptions, as arrays (what
    :func:`drone_ledger.context.cost_losses` adds as columns).

    ``per_key`` has one row per distinct (war, cost key) pair (``obs_ids``, ``n_obs``, ``unit_low/central/high``,
    ``costed``, ``uncosted_reason``); ``key`` numbers each loss's pair in it. The value arrays hold one entry per
    loss (NaN when uncosted), computed as ``effective_quantity * unit value * value_weight`` like the frame's
    columns.
    """

    observations: pd.DataFrame
    #: (obs_id, cost_key, reason, applicability, price_year, conflict) of each unusable observation with a price
    #: (conflict None: an observation of every war's price list)
    unusable: list[tuple[str, str, str, str | None, int | None, str | None]]
    #: unit_values(observations, extreme, central, conflict) of each war of the losses, indexed by cost_key
    values_by_conflict: dict[str, pd.DataFrame]
    extreme: str | None
    central: str
    per_key: pd.DataFrame
    key: np.ndarray
    quantity: np.ndarray
    costed: np.ndarray
    weight: np.ndarray
    value_low: np.ndarray
    value_central: np.ndarray
    value_high: np.ndarray

    #: :func:`leave_one_out` of each (key, central method, war) asked for, computed once per pricing
    left_out: dict[tuple[str, str, str | None], list[tuple[str, float, float | None]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def leave_one_out(self, key: str, central: str, conflict: str | None) -> list[tuple[str, float, float | None]]:
        """:func:`leave_one_out` of ``key`` in these observations (every claim's price basis asks again)."""
        found = self.left_out.get((key, central, conflict))
        if found is None:
            found = self.left_out[(key, central, conflict)] = leave_one_out(self.observations, key, central, conflict)
        return found

    def values(self, conflict: str | None) -> pd.DataFrame:
        """The unit values of ``conflict``'s price list (see :func:`unit_values`), indexed by cost key."""
        found = self.values_by_conflict.get(conflict) if conflict is not None else None
        return found if found is not None else unit_values(self.observations, self.extreme, self.central, conflict)


def price_losses(
    keys: CostKeys,
    quantity: np.ndarray,
    status: pd.Series,
    observations: pd.DataFrame,
    valued: tuple[dict[str, pd.DataFrame], pd.DataFrame],
    damaged_weight: float = 1.0,
    extreme: str | None = None,
    central: str = "median",
) -> Pricing:
    """Price every loss (see :class:`Pricing`) from its cost key, its effective quantity and its status, with
    ``observations`` (:func:`observations_in`) valued per key (:func:`key_values`); ``damaged_weight`` as in
    :class:`Assumptions`; ``extreme`` and ``central`` those the values were made with."""
    per_war, per_key = valued
    row_key = keys.key
    damaged = status.eq("damaged").fillna(False).to_numpy(dtype=bool)
    weight = np.where(damaged, damaged_weight, 1.0)
    levels = {
        level: quantity * per_key[f"unit_{level}"].to_numpy(dtype=np.float64)[row_key] * weight
        for level in ("low", "central", "high")
    }
    unusable = [
        (
            obs_id,
            key,
            reason,
            applicability if isinstance(applicability, str) else None,
            None if pd.isna(year) else int(year),
            war,
        )
        for obs_id, key, reason, usable, applicability, year, war in zip(
            *(
                observations[c].tolist()
                for c in ("obs_id", "cost_key", "unusable_reason", "usable", "applicability", "price_year")
            ),
            _cells(observations, "conflict"),
            strict=True,
        )
        if not usable and reason != "no-price-found"
    ]
    return Pricing(
        observations=observations,
        unusable=unusable,
        values_by_conflict=per_war,
        extreme=extreme,
        central=central,
        per_key=per_key,
        key=row_key,
        quantity=quantity,
        costed=per_key["costed"].to_numpy(dtype=bool)[row_key],
        weight=weight,
        value_low=levels["low"],
        value_central=levels["central"],
        value_high=levels["high"],
    )


def key_values(
    keys: CostKeys, observations: pd.DataFrame, extreme: str | None, central: str = "median"
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The unit values of each war's price list (:func:`unit_values`, ``central`` the method), and everything that
    depends only on the (war, cost key) pair, once per distinct pair the losses reach (``obs_ids``, ``n_obs``,
    ``unit_low/central/high``, ``costed``, ``uncosted_reason``)."""
    distinct = keys.keys
    wars = [w if isinstance(w, str) else None for w in distinct["conflict"].tolist()]
    per_war = {war: unit_values(observations, extreme, central, war) for war in dict.fromkeys(wars) if war is not None}
    everyone = unit_values(observations, extreme, central) if None in wars else None
    key = distinct["cost_key_used"]
    lookup = [k if isinstance(k, str) else "\0" for k in key.tolist()]
    columns = ["obs_ids", "n_obs", "unit_low", "unit_central", "unit_high", "uncosted_reason"]
    parts = []
    for war in dict.fromkeys(wars):
        values = per_war[war] if war is not None else everyone
        assert values is not None
        at = [i for i, w in enumerate(wars) if w == war]
        part = values.reindex([lookup[i] for i in at])[columns]
        part.index = distinct.index[at]
        part["key_known"] = [lookup[i] in values.index for i in at]
        parts.append(part)
    joined = pd.concat(parts).reindex(distinct.index) if parts else pd.DataFrame(columns=[*columns, "key_known"])
    out = joined[["obs_ids", "n_obs", "unit_low", "unit_central", "unit_high"]].copy()
    out["n_obs"] = out["n_obs"].fillna(0).astype(int)
    out["obs_ids"] = out["obs_ids"].fillna("")
    out["costed"] = out["unit_central"].notna()
    key_known = joined["key_known"].fillna(False).astype(bool)
    reason = pd.Series("", index=distinct.index, dtype="str")
    reason = reason.mask(key.isna(), "no-cost-key")
    reason = reason.mask(key.notna() & ~key_known, "unknown-cost-key")
    reason = reason.mask(key_known & ~out["costed"], joined["uncosted_reason"].fillna(""))
    out["uncosted_reason"] = reason
    return per_war, out


def costed_frame(losses: pd.DataFrame, keys: CostKeys, priced: Pricing, dollar_year: int) -> pd.DataFrame:
    """``losses`` with how each is valued and its value (the columns :func:`drone_ledger.context.cost_losses`
    documents); ``keys`` and ``priced`` are the losses' cost keys and prices."""
    costed = losses.copy(deep=False)  # copy-on-write: the frame given is never changed
    costed["effective_quantity"] = pd.Series(priced.quantity, index=costed.index)
    costed = costed.join(keys.per_loss(costed.index))
    by_key = priced.per_key.iloc[priced.key]
    by_key.index = costed.index
    for column in by_key.columns:
        costed[column] = by_key[column]
    costed["value_weight"] = pd.Series(priced.weight, index=costed.index)
    for level in ("low", "central", "high"):
        costed[f"value_{level}"] = pd.Series(getattr(priced, f"value_{level}"), index=costed.index)
    costed["dollar_year"] = dollar_year
    return costed


def war_dollar_year(conflicts: pd.DataFrame, conflict: str | None) -> int:
    """The dollar year a war's figures are given in unless another is asked for: the year the war began.

    The one default rule: a claim's figures are in the claim's own year (its date's), a war's in the year it
    began (conflicts.csv ``start_date``); a war the ledger does not list falls back to the ledger's earliest.
    """
    starts = [s for c, s in zip(conflicts["conflict_id"], conflicts["start_date"], strict=True) if c == conflict]
    return first_year(starts if starts else conflicts["start_date"])


def unit_value(values: pd.DataFrame, key: str | None) -> tuple[ValueRange | None, str]:
    """The unit value range of cost key ``key`` in ``values`` (a :func:`unit_values` frame), or None and why."""
    if key is None:
        return None, "no cost key"
    if key not in values.index:
        return None, "unknown cost key"
    row = values.loc[[key], ["unit_low", "unit_central", "unit_high", "uncosted_reason"]].iloc[0]
    low, central, high, reason = row.tolist()
    if pd.isna(central):
        return None, str(reason)
    return ValueRange(float(low), float(central), float(high)), ""


def claim_cost_key(claim: Any, proxies: pd.DataFrame) -> tuple[str | None, str | None]:
    """The cost key a count claim is priced at, and how: its ``scope_cost_key`` (the model it names), or for one
    whole category the ledger's documented category proxy (an assumption, said so); else (None, None).

    ``claim`` is a claims row (a Series or a namedtuple from ``itertuples``).
    """
    explicit = getattr(claim, "scope_cost_key", None)
    if isinstance(explicit, str) and explicit:
        return explicit, "named model"
    categories = split_list(claim.scope_categories)
    if len(categories) == 1 and not isinstance(claim.scope_models, str):
        wanted = (claim.conflict, claim.scope_side, categories[0], None)
        columns = ("conflict", "side_losing", "category", "cost_key", "basis", "model")
        for conflict, side, category, key, basis, model in zip(*(_cells(proxies, c) for c in columns), strict=True):
            if (conflict, side, category, model) == wanted:  # the first documented proxy, as the table orders them
                return str(key), f"category proxy (assumption): {basis}"
    return None, None
