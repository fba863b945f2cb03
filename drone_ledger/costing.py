"""Price observations -> CPI-adjusted low/central/high unit values -> valued losses.

Rules, each visible in the output columns:

* An observation is usable when it has a price, is in USD, has a price year and
  CPI has that year; otherwise it carries the reason (``unusable_reason``).
* Per cost key: low = lowest usable ``price_low``, high = highest usable
  ``price_high``, central = median of the observations' midpoints, all moved to
  the target dollar year with CPI-U.
* A loss reaches a cost key by, in order: its explicit ``cost_key``; a key equal
  to its model; a key its model extends (``T-72`` for ``T-72B``: the model
  family); for a whole-category aggregate (no model), a documented category
  proxy. Otherwise it is *uncosted*: counted, listed, and left out of dollar
  totals — never valued at zero.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .errors import UnknownDollarYearError
from .frames import by_distinct
from .loading import Ledger
from .reports import Assumptions
from .scopes import split_list
from .vocab import APPLICABILITIES

COST_BASES = ("explicit", "model", "model-family", "category-proxy", "none")


def cpi_index(ledger: Ledger) -> dict[int, float]:
    """Return {year: CPI-U annual average} from the ledger's cpi table."""
    cpi = ledger["cpi"].dropna(subset=["year", "cpi_u_annual_avg"])
    return {int(y): float(v) for y, v in zip(cpi["year"], cpi["cpi_u_annual_avg"], strict=True)}


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
    obs = ledger["unit_costs"].copy()
    priced = obs["price_low"].notna() & obs["price_high"].notna()
    usd = obs["currency"].eq("USD").fillna(False).astype(bool)
    has_year = obs["price_year"].notna()
    in_cpi = obs["price_year"].isin(list(cpi)).fillna(False).astype(bool)
    wanted = list(APPLICABILITIES if assumptions.price_extreme else assumptions.applicability)
    counted = obs["applicability"].isin(wanted).fillna(False).astype(bool)
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
    obs["usable"] = reason.eq("")
    obs["unusable_reason"] = reason
    factor = obs["price_year"].map(lambda y: cpi[dollar_year] / cpi[int(y)] if pd.notna(y) and int(y) in cpi else None)
    obs["cpi_factor"] = pd.to_numeric(factor, errors="coerce").astype("float64")
    low = obs["price_low"].astype("float64") * obs["cpi_factor"]
    high = obs["price_high"].astype("float64") * obs["cpi_factor"]
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


def unit_values(observations: pd.DataFrame, extreme: str | None = None) -> pd.DataFrame:
    """Collapse observations into one unit value range per cost key.

    Returns a frame indexed by ``cost_key`` with ``unit_low``, ``unit_central``,
    ``unit_high`` (NaN when no usable observation), ``n_obs`` (usable),
    ``obs_ids`` (usable, ';'-joined) and ``uncosted_reason`` (why a key with no
    usable observation has none).

    With ``extreme`` (``lowest`` or ``highest``), each level is the lowest (highest) any choice of observations in
    :data:`PRICE_SETS` gives. ``lowest`` prices only keys that direct observations price (a key priced by a
    reference alone stays uncosted, which counts for less); ``highest`` prices every key any choice prices.
    """
    if extreme is None:
        return _unit_values(observations, observations["usable"])
    per_set = [
        _unit_values(observations, observations["usable"] & observations["applicability"].isin(list(choice)))
        for choice in PRICE_SETS
    ]
    values = per_set[0] if extreme == "lowest" else _unit_values(observations, observations["usable"])
    levels = ["unit_low", "unit_central", "unit_high"]
    stacked = pd.concat([frame[levels] for frame in per_set], keys=range(len(per_set)))
    combined = stacked.groupby(level=1).min() if extreme == "lowest" else stacked.groupby(level=1).max()
    priced = values["unit_central"].notna()
    for level in levels:
        values[level] = combined[level].reindex(values.index).where(priced)
    return values


def _unit_values(observations: pd.DataFrame, usable_mask: pd.Series) -> pd.DataFrame:
    usable = observations[usable_mask]
    grouped = usable.groupby("cost_key")
    values = pd.DataFrame(
        {
            "unit_low": grouped["low_usd"].min(),
            "unit_central": grouped["central_usd"].median(),
            "unit_high": grouped["high_usd"].max(),
            "n_obs": grouped.size(),
            "obs_ids": grouped["obs_id"].agg(lambda ids: ";".join(sorted(ids))),
        }
    )
    keys = pd.Index(observations["cost_key"].dropna().unique(), name="cost_key")
    values = values.reindex(keys)
    values["n_obs"] = values["n_obs"].fillna(0).astype(int)
    values["obs_ids"] = values["obs_ids"].fillna("")
    unusable = observations[~usable_mask]
    reasons = unusable.groupby("cost_key")["unusable_reason"].agg(
        lambda codes: ";".join(sorted(set(codes) - {""}) or ["excluded-applicability"])
    )
    values["uncosted_reason"] = reasons.reindex(keys).fillna("").where(values["n_obs"].eq(0), "")
    return values


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
    columns = ["conflict", "side_losing", "category", "model", "cost_key"]
    return by_distinct(ledger["losses"], columns, lambda distinct: _resolve_cost_keys(distinct, ledger))


def _resolve_cost_keys(losses: pd.DataFrame, ledger: Ledger) -> pd.DataFrame:
    """:func:`resolve_cost_keys` for each row of ``losses`` (the distinct combinations of the columns it reads)."""
    keys = sorted(ledger["unit_costs"]["cost_key"].dropna().unique())
    key_set = set(keys)
    models = losses["model"].dropna().unique()
    exact = {m: m for m in models if m in key_set}
    family = {m: k for m in models if m not in exact and (k := _family_key(m, keys))}

    out = pd.DataFrame(index=losses.index)
    out["cost_key_used"] = pd.Series(pd.NA, index=losses.index, dtype="str")
    out["cost_basis"] = "none"
    out["cost_assumption"] = pd.Series(pd.NA, index=losses.index, dtype="str")

    proxies = ledger["category_proxies"]
    if not proxies.empty:
        proxy_frame = proxies.drop_duplicates(["conflict", "side_losing", "category"]).rename(
            columns={"cost_key": "_proxy_key", "basis": "_proxy_basis", "confidence": "_proxy_conf"}
        )
        merged = losses[["conflict", "side_losing", "category"]].merge(
            proxy_frame[["conflict", "side_losing", "category", "_proxy_key", "_proxy_basis", "_proxy_conf"]],
            how="left",
            on=["conflict", "side_losing", "category"],
        )
        merged.index = losses.index
        use_proxy = losses["model"].isna() & merged["_proxy_key"].notna()
        out.loc[use_proxy, "cost_key_used"] = merged.loc[use_proxy, "_proxy_key"]
        out.loc[use_proxy, "cost_basis"] = "category-proxy"
        out.loc[use_proxy, "cost_assumption"] = (
            "every "
            + losses.loc[use_proxy, "side_losing"]
            + " "
            + losses.loc[use_proxy, "category"]
            + " item priced as "
            + merged.loc[use_proxy, "_proxy_key"]
            + " (confidence "
            + merged.loc[use_proxy, "_proxy_conf"]
            + "): "
            + merged.loc[use_proxy, "_proxy_basis"]
        )
    by_family = losses["model"].map(family).astype("str")  # all-NaN would be float64, and Arrow strings refuse it
    has_family = by_family.notna()
    out.loc[has_family, "cost_key_used"] = by_family[has_family]
    out.loc[has_family, "cost_basis"] = "model-family"
    out.loc[has_family, "cost_assumption"] = (
        "model " + losses.loc[has_family, "model"] + " priced as its family " + by_family[has_family]
    )
    by_model = losses["model"].map(exact).astype("str")
    has_model = by_model.notna()
    out.loc[has_model, "cost_key_used"] = by_model[has_model]
    out.loc[has_model, "cost_basis"] = "model"
    out.loc[has_model, "cost_assumption"] = pd.NA
    explicit = losses["cost_key"].notna()
    out.loc[explicit, "cost_key_used"] = losses.loc[explicit, "cost_key"]
    out.loc[explicit, "cost_basis"] = "explicit"
    out.loc[explicit, "cost_assumption"] = pd.NA
    return out


def effective_quantities(losses: pd.DataFrame) -> pd.Series:
    """Quantity of each row net of the rows ``counted_in`` it, so no item counts twice."""
    nested = losses["counted_in"].notna()
    if not nested.any():  # the usual case: nothing is counted inside another row
        return losses["quantity"].astype("int64").clip(lower=0)
    inside = losses.loc[nested, ["counted_in", "quantity"]].groupby("counted_in")["quantity"].sum()
    netted = losses["loss_id"].map(inside).fillna(0).astype("int64")
    return (losses["quantity"].astype("int64") - netted).clip(lower=0)


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
    assumptions = assumptions or Assumptions()
    losses = ledger["losses"].copy()
    losses["effective_quantity"] = effective_quantities(losses)
    losses = losses.join(resolve_cost_keys(ledger))
    if observations is None:
        observations = price_observations(ledger, dollar_year, assumptions)
    values = unit_values(observations, assumptions.price_extreme)

    def per_key(distinct: pd.DataFrame) -> pd.DataFrame:
        """Everything that depends only on the cost key, once per distinct key."""
        key = distinct["cost_key_used"]
        joined = values.reindex(key.fillna("\0"))
        joined.index = distinct.index
        out = joined[["obs_ids", "n_obs", "unit_low", "unit_central", "unit_high"]].copy()
        out["n_obs"] = out["n_obs"].fillna(0).astype(int)
        out["obs_ids"] = out["obs_ids"].fillna("")
        out["costed"] = out["unit_central"].notna()
        key_known = key.isin(values.index)
        reason = pd.Series("", index=distinct.index, dtype="str")
        reason = reason.mask(key.isna(), "no-cost-key")
        reason = reason.mask(key.notna() & ~key_known, "unknown-cost-key")
        reason = reason.mask(key_known & ~out["costed"], joined["uncosted_reason"].fillna(""))
        out["uncosted_reason"] = reason
        return out

    by_key = by_distinct(losses, ["cost_key_used"], per_key)
    for column in by_key.columns:
        losses[column] = by_key[column]
    weight = pd.Series(1.0, index=losses.index).mask(losses["status"].eq("damaged"), assumptions.damaged_weight)
    losses["value_weight"] = weight
    for level in ("low", "central", "high"):
        losses[f"value_{level}"] = losses["effective_quantity"] * losses[f"unit_{level}"] * weight
    losses["dollar_year"] = dollar_year
    return losses


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
        match = proxies[
            proxies["conflict"].eq(claim.conflict)
            & proxies["side_losing"].eq(claim.scope_side)
            & proxies["category"].eq(categories[0])
        ]
        if len(match):
            return str(match["cost_key"].iloc[0]), f"category proxy (assumption): {match['basis'].iloc[0]}"
    return None, None
