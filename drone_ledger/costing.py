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
  midpoints, all moved to the target dollar year with CPI-U.
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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import UnknownDollarYearError
from .frames import distinct_rows
from .loading import Ledger, memo
from .results import Assumptions, ValueRange
from .scopes import split_list
from .vocab import APPLICABILITIES

COST_BASES = ("explicit", "model", "model-family", "category-proxy", "none")


def cpi_index(ledger: Ledger) -> dict[int, float]:
    """Return {year: CPI-U annual average} from the ledger's cpi table."""
    return dict(memo(ledger, "cpi_index", lambda: _cpi_index(ledger)))


def _cpi_index(ledger: Ledger) -> dict[int, float]:
    cpi = ledger["cpi"].dropna(subset=["year", "cpi_u_annual_avg"])
    return {int(y): float(v) for y, v in zip(cpi["year"], cpi["cpi_u_annual_avg"], strict=True)}


def exchange_rates(ledger: Ledger) -> dict[tuple[str, int], float]:
    """Return {(currency, year): units per US dollar} for every sourced rate in exchange_rates.csv."""
    return dict(memo(ledger, "exchange_rates", lambda: _exchange_rates(ledger)))


def _exchange_rates(ledger: Ledger) -> dict[tuple[str, int], float]:
    if "exchange_rates" not in ledger.tables:
        return {}
    rates = ledger["exchange_rates"].dropna(subset=["currency", "year", "units_per_usd"])
    columns = (rates[c].tolist() for c in ("currency", "year", "units_per_usd"))
    return {(str(c), int(y)): float(r) for c, y, r in zip(*columns, strict=True)}


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


def _rate_sources(ledger: Ledger) -> dict[tuple[str, int], str]:
    """{(currency, year): the source_url of its rate} for every sourced rate in exchange_rates.csv."""
    if "exchange_rates" not in ledger.tables:
        return {}
    rates = ledger["exchange_rates"].dropna(subset=["currency", "year", "units_per_usd", "source_url"])
    columns = (rates[c].tolist() for c in ("currency", "year", "source_url"))
    return {(str(c), int(y)): str(u) for c, y, u in zip(*columns, strict=True)}


def in_price_list(observations: pd.DataFrame, conflict: str | None) -> np.ndarray:
    """Which observations price ``conflict``'s losses: its own and those of no particular war (None: every one)."""
    if conflict is None or "conflict" not in observations.columns:
        return np.ones(len(observations), dtype=bool)
    wars = observations["conflict"]
    return (wars.isna() | wars.eq(conflict)).fillna(False).to_numpy(dtype=bool)


def _wanted(assumptions: Assumptions) -> tuple[str, ...]:
    """The applicabilities whose observations count (every one when a price extreme chooses among them)."""
    return tuple(APPLICABILITIES if assumptions.price_extreme else assumptions.applicability)


def price_observations(ledger: Ledger, dollar_year: int, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Return every unit-cost observation with its usability and its value in ``dollar_year`` USD.

    Parameters
    ----------
    ledger:
        A loaded ledger.
    dollar_year:
        Year whose dollars every price is converted to.
    assumptions:
        ``assumptions.applicability`` decides which usable observations count.

    Returns
    -------
    DataFrame
        One row per observation: the unit_costs columns plus ``usable`` (bool),
        ``unusable_reason`` (a code or empty), ``cpi_factor``, and
        ``low_usd`` / ``central_usd`` / ``high_usd`` in ``dollar_year`` dollars.

    Raises
    ------
    UnknownDollarYearError
        If CPI has no figure for ``dollar_year`` (a usage error; also a ValueError).
    """
    assumptions = assumptions or Assumptions()
    cpi = cpi_index(ledger)
    if dollar_year not in cpi:
        years = f"{min(cpi)}-{max(cpi)}" if cpi else "none"
        raise UnknownDollarYearError(
            f"cpi.csv has no figure for {dollar_year} (it covers {years}); choose another dollar year"
        )
    wanted = _wanted(assumptions)
    observations = memo(
        ledger, ("observations", dollar_year, wanted), lambda: _price_observations(ledger, dollar_year, wanted, cpi)
    )
    return observations.copy(deep=False)  # copy-on-write: a column a caller adds stays its own


def _price_observations(
    ledger: Ledger, dollar_year: int, wanted: tuple[str, ...], cpi: dict[int, float]
) -> pd.DataFrame:
    obs = ledger["unit_costs"].copy()
    priced = obs["price_low"].notna() & obs["price_high"].notna()
    rates = exchange_rates(ledger)
    rate = pd.Series(
        [
            1.0 if currency == "USD" else rates.get((currency, int(year)), math.nan) if pd.notna(year) else math.nan
            for currency, year in zip(obs["currency"].tolist(), obs["price_year"].tolist(), strict=True)
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
    sources = _rate_sources(ledger)
    obs["rate_source_url"] = pd.Series(
        [
            sources.get((c, int(y))) if c != "USD" and pd.notna(y) else None
            for c, y in zip(obs["currency"].tolist(), obs["price_year"].tolist(), strict=True)
        ],
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


def unit_values(observations: pd.DataFrame, extreme: str | None = None, conflict: str | None = None) -> pd.DataFrame:
    """Collapse observations into one unit value range per cost key (of ``conflict``'s price list, if given).

    Returns a frame indexed by ``cost_key`` with ``unit_low``, ``unit_central``,
    ``unit_high`` (NaN when no usable observation), ``n_obs`` (usable),
    ``obs_ids`` (usable, ';'-joined) and ``uncosted_reason`` (why a key with no
    usable observation has none).

    With ``extreme`` (``lowest`` or ``highest``), each level is the lowest (highest) any choice of observations in
    :data:`PRICE_SETS` gives. ``lowest`` prices only keys that direct observations price (a key priced by a
    reference alone stays uncosted, which counts for less); ``highest`` prices every key any choice prices.
    """
    listed = in_price_list(observations, conflict)
    if not listed.all():
        observations = observations[listed]
    usable = observations["usable"].to_numpy(dtype=bool)
    if extreme is None:
        return _unit_values(observations, usable)
    applicability = observations["applicability"]
    per_set = [
        _unit_values(observations, usable & applicability.isin(list(choice)).to_numpy(dtype=bool))
        for choice in PRICE_SETS
    ]
    values = per_set[0].copy() if extreme == "lowest" else _unit_values(observations, usable)
    priced = values["unit_central"].notna().to_numpy(dtype=bool)
    pick = np.fmin if extreme == "lowest" else np.fmax  # like a group-by min (max): NaN only where every set is
    for level in ("unit_low", "unit_central", "unit_high"):
        combined = pick.reduce(np.stack([frame[level].to_numpy(dtype=np.float64) for frame in per_set]), axis=0)
        values[level] = np.where(priced, combined, np.nan)
    return values


def _unit_values(observations: pd.DataFrame, usable: np.ndarray) -> pd.DataFrame:
    """Unit values from the ``usable`` observations, per cost key (a key in the order it first appears).

    The observations table is small (one row per price found), so this is plain Python over its columns; the
    figures are a group-by's: the lowest ``low_usd``, the median ``central_usd`` (the mean of the middle two of an
    even count), the highest ``high_usd``, ignoring empty cells.
    """
    keys = [k if isinstance(k, str) else None for k in observations["cost_key"].tolist()]
    ids = observations["obs_id"].tolist()
    reasons = observations["unusable_reason"].tolist()
    low, central, high = (observations[c].to_numpy(dtype=np.float64) for c in ("low_usd", "central_usd", "high_usd"))
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
    for key, members in rows.items():
        columns["unit_low"].append(_extreme(low[members], np.min))
        columns["unit_central"].append(_median(central[members]))
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


def _family_key(model: str, keys: list[str]) -> str | None:
    """Return the longest key that ``model`` extends (``T-72`` for ``T-72B``), if any."""
    best = None
    for key in keys:
        if model.startswith(key) and len(model) > len(key) and not model[len(key)].isdigit():
            if best is None or len(key) > len(best):
                best = key
    return best


def resolve_cost_keys(ledger: Ledger) -> pd.DataFrame:
    """Return, per loss (same index), the cost key it reaches and how.

    Columns: ``cost_key_used`` (or NA), ``cost_basis`` (one of
    :data:`COST_BASES`) and ``cost_assumption`` (the proxy's stated basis,
    shown wherever the value is used).
    """
    keys = cost_keys(ledger)
    out = keys.combos.iloc[keys.combo]
    out.index = ledger["losses"].index
    return out


@dataclass(frozen=True)
class CostKeys:
    """How every loss reaches a price, worked out once per distinct (conflict, side, category, model, cost_key).

    ``combos`` holds, per distinct combination, :func:`resolve_cost_keys`'s columns; ``combo`` numbers each loss's
    combination; ``keys`` holds the distinct (``conflict``, ``cost_key_used``) pairs — a key is priced from its
    war's price list — and ``key_of_combo`` numbers each combination's pair in it.
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


def cost_keys(ledger: Ledger) -> CostKeys:
    """The cost keys of a ledger's losses (see :class:`CostKeys`), worked out once per loaded ledger."""

    def compute() -> CostKeys:
        columns = ["conflict", "side_losing", "category", "model", "cost_key"]
        combo, distinct = distinct_rows(ledger["losses"], columns)
        combos = _resolve_cost_keys(distinct, ledger)
        pairs = pd.DataFrame({"conflict": distinct["conflict"], "cost_key_used": combos["cost_key_used"]})
        key_of_combo, keys = distinct_rows(pairs, ["conflict", "cost_key_used"])
        return CostKeys(combo, combos, key_of_combo, keys)

    return memo(ledger, "cost_keys", compute)


def _resolve_cost_keys(losses: pd.DataFrame, ledger: Ledger) -> pd.DataFrame:
    """:func:`resolve_cost_keys` for each row of ``losses`` (the distinct combinations of the columns it reads).

    Plain Python over the combinations (a million losses hold a few thousand): the rules in order of precedence
    are an explicit ``cost_key``, a key equal to the model, the key the model extends (its family), for a model
    with no price of its own the first category average documented for it, and for a whole-category row (no
    model) the first documented category proxy. Keys are those of the loss's war's price list.
    """
    lists = _price_lists(ledger["unit_costs"])
    proxies = ledger["category_proxies"]
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


def effective_quantity(ledger: Ledger) -> np.ndarray:
    """:func:`effective_quantities` of a ledger's losses as an int64 array, worked out once per loaded ledger."""
    return memo(ledger, "effective_quantity", lambda: effective_quantities(ledger["losses"]).to_numpy(dtype=np.int64))


@dataclass(frozen=True)
class Pricing:
    """Every loss of a ledger priced under one set of assumptions: what :func:`cost_losses` adds, as arrays.

    ``per_key`` has one row per distinct cost key (``obs_ids``, ``n_obs``, ``unit_low/central/high``, ``costed``,
    ``uncosted_reason``); ``key`` numbers each loss's key in it. The value arrays hold one entry per loss (NaN
    when uncosted), computed as ``effective_quantity * unit value * value_weight`` like the frame's columns.
    """

    dollar_year: int
    observations: pd.DataFrame
    #: (obs_id, cost_key, reason, conflict) of each unusable observation with a price (conflict None: every war's)
    unusable: list[tuple[str, str, str, str | None]]
    #: unit_values(observations, price_extreme, conflict) of each war of the ledger's losses, indexed by cost_key
    values_by_conflict: dict[str, pd.DataFrame]
    extreme: str | None
    per_key: pd.DataFrame
    key: np.ndarray
    quantity: np.ndarray
    costed: np.ndarray
    weight: np.ndarray
    value_low: np.ndarray
    value_central: np.ndarray
    value_high: np.ndarray

    def values(self, conflict: str) -> pd.DataFrame:
        """The unit values of ``conflict``'s price list (see :func:`unit_values`), indexed by cost key."""
        found = self.values_by_conflict.get(conflict)
        return found if found is not None else unit_values(self.observations, self.extreme, conflict)


def pricing(
    ledger: Ledger,
    dollar_year: int,
    assumptions: Assumptions | None = None,
    observations: pd.DataFrame | None = None,
) -> Pricing:
    """Price every loss in ``dollar_year`` USD (see :func:`cost_losses`), as arrays.

    Worked out once per loaded ledger, dollar year and the assumptions prices depend on (which observations
    count, a price extreme, the weight of a damaged item), and shared by every claim and scenario that needs it;
    ``observations`` (already computed by the caller) bypasses the memo.
    """
    assumptions = assumptions or Assumptions()
    if observations is not None:
        return _pricing(ledger, dollar_year, assumptions, observations)
    key = ("pricing", dollar_year, _wanted(assumptions), assumptions.price_extreme, assumptions.damaged_weight)
    return memo(ledger, key, lambda: _pricing(ledger, dollar_year, assumptions, None))


def _pricing(ledger: Ledger, dollar_year: int, assumptions: Assumptions, observations: pd.DataFrame | None) -> Pricing:
    keys = cost_keys(ledger)
    if observations is None:
        observations = price_observations(ledger, dollar_year, assumptions)
        memo_key = ("unit_values", dollar_year, _wanted(assumptions), assumptions.price_extreme)
        per_war, per_key = memo(ledger, memo_key, lambda: _per_key(keys.keys, observations, assumptions.price_extreme))
    else:
        per_war, per_key = _per_key(keys.keys, observations, assumptions.price_extreme)
    row_key = keys.key
    quantity = effective_quantity(ledger)
    status = ledger["losses"]["status"]
    weight = np.where(status.eq("damaged").fillna(False).to_numpy(dtype=bool), assumptions.damaged_weight, 1.0)
    levels = {
        level: quantity * per_key[f"unit_{level}"].to_numpy(dtype=np.float64)[row_key] * weight
        for level in ("low", "central", "high")
    }
    wars = _cells(observations, "conflict")
    unusable = [
        (obs_id, key, reason, war)
        for obs_id, key, reason, usable, war in zip(
            *(observations[c].tolist() for c in ("obs_id", "cost_key", "unusable_reason", "usable")), wars, strict=True
        )
        if not usable and reason != "no-price-found"
    ]
    return Pricing(
        dollar_year=dollar_year,
        observations=observations,
        unusable=unusable,
        values_by_conflict=per_war,
        extreme=assumptions.price_extreme,
        per_key=per_key,
        key=row_key,
        quantity=quantity,
        costed=per_key["costed"].to_numpy(dtype=bool)[row_key],
        weight=weight,
        value_low=levels["low"],
        value_central=levels["central"],
        value_high=levels["high"],
    )


def _per_key(
    keys: pd.DataFrame, observations: pd.DataFrame, extreme: str | None
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Unit values of each war's price list, and everything that depends only on the (war, cost key) pair, once per
    distinct pair."""
    wars = [w if isinstance(w, str) else None for w in keys["conflict"].tolist()]
    per_war = {war: unit_values(observations, extreme, war) for war in dict.fromkeys(wars) if war is not None}
    everyone = unit_values(observations, extreme, None) if None in wars else None
    key = keys["cost_key_used"]
    lookup = [k if isinstance(k, str) else "\0" for k in key.tolist()]
    columns = ["obs_ids", "n_obs", "unit_low", "unit_central", "unit_high", "uncosted_reason"]
    parts = []
    for war in dict.fromkeys(wars):
        values = per_war[war] if war is not None else everyone
        assert values is not None
        at = [i for i, w in enumerate(wars) if w == war]
        part = values.reindex([lookup[i] for i in at])[columns]
        part.index = keys.index[at]
        part["key_known"] = [lookup[i] in values.index for i in at]
        parts.append(part)
    joined = pd.concat(parts).reindex(keys.index) if parts else pd.DataFrame(columns=[*columns, "key_known"])
    out = joined[["obs_ids", "n_obs", "unit_low", "unit_central", "unit_high"]].copy()
    out["n_obs"] = out["n_obs"].fillna(0).astype(int)
    out["obs_ids"] = out["obs_ids"].fillna("")
    out["costed"] = out["unit_central"].notna()
    key_known = joined["key_known"].fillna(False).astype(bool)
    reason = pd.Series("", index=keys.index, dtype="str")
    reason = reason.mask(key.isna(), "no-cost-key")
    reason = reason.mask(key.notna() & ~key_known, "unknown-cost-key")
    reason = reason.mask(key_known & ~out["costed"], joined["uncosted_reason"].fillna(""))
    out["uncosted_reason"] = reason
    return per_war, out


def cost_losses(
    ledger: Ledger,
    dollar_year: int,
    assumptions: Assumptions | None = None,
    observations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Value every loss in ``dollar_year`` USD, as a low/central/high range.

    Parameters
    ----------
    ledger:
        A loaded (and preferably validated) ledger.
    dollar_year:
        The dollar year of every value.
    assumptions:
        Which observations count and how much a damaged item is worth.
    observations:
        The result of :func:`price_observations` for the same year and
        assumptions, when the caller already has it.

    Returns
    -------
    DataFrame
        The losses columns plus ``effective_quantity``, ``cost_key_used``,
        ``cost_basis``, ``cost_assumption``, ``obs_ids``, ``n_obs``,
        ``unit_low/central/high``, ``value_weight``, ``value_low/central/high``
        (NaN when uncosted), ``costed`` and ``uncosted_reason``.
    """
    priced = pricing(ledger, dollar_year, assumptions, observations)
    losses = ledger["losses"].copy(deep=False)  # copy-on-write: the ledger's own frame is never changed
    losses["effective_quantity"] = pd.Series(priced.quantity, index=losses.index)
    losses = losses.join(resolve_cost_keys(ledger))
    by_key = priced.per_key.iloc[priced.key]
    by_key.index = losses.index
    for column in by_key.columns:
        losses[column] = by_key[column]
    losses["value_weight"] = pd.Series(priced.weight, index=losses.index)
    for level in ("low", "central", "high"):
        losses[f"value_{level}"] = pd.Series(getattr(priced, f"value_{level}"), index=losses.index)
    losses["dollar_year"] = dollar_year
    return losses


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
