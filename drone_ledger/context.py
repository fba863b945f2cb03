"""A valid ledger under one set of assumptions: what every analysis derives from it, built once and passed down.

* :class:`LedgerFacts` — what depends on the tables alone: the loss index (:mod:`drone_ledger.lossindex`), how
  each loss reaches a price, its effective quantity, the CPI series, and each pricing asked for. Worked out once
  per ledger (:func:`facts_of`) and kept while the ledger lives: a loaded ledger never changes, so they stay true.
* :class:`Context` — the ledger, its facts and one set of assumptions. An analysis builds one (:func:`context`)
  and passes it to everything it calls.

:func:`price_observations` and :func:`cost_losses` give the prices and the valued losses as frames.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .costing import (
    CostKeys,
    Pricing,
    check_dollar_year,
    cost_keys,
    costed_frame,
    counted_applicabilities,
    cpi_series,
    effective_quantities,
    key_values,
    observations_in,
    price_losses,
    war_dollar_year,
)
from .dates import first_year
from .gaps import category_lists, count_claims
from .ledger import Ledger, LedgerLike
from .lossindex import LossIndex, build_loss_index
from .results.claims import EvidenceNote
from .results.core import Assumptions
from .validation import require_valid


@dataclass(frozen=True)
class PriceChoice:
    """What a pricing depends on besides the ledger: the dollar year and the assumptions prices read."""

    dollar_year: int
    applicabilities: tuple[str, ...]
    extreme: str | None
    damaged_weight: float
    central: str = "median"

    @classmethod
    def of(cls, dollar_year: int, assumptions: Assumptions) -> PriceChoice:
        """The choice ``assumptions`` make for ``dollar_year``."""
        return cls(
            dollar_year,
            counted_applicabilities(assumptions),
            assumptions.price_extreme,
            assumptions.damaged_weight,
            assumptions.central,
        )


class LedgerFacts:
    """What the analyses derive from a valid ledger's tables alone, each worked out on first use.

    It holds the ledger's frames (one copy each, read by every analysis), not the ledger, so that it lives exactly
    as long as the ledger (see :func:`facts_of`). ``members`` (a claim scope's systems: yes / no / unknown, by
    ``scope_systems``), ``evidence`` (what was searched, by conflict) and ``records`` (a system's war records, a
    pricing without a claimant's own prices) are filled by :mod:`drone_ledger.record` the first time they are
    asked for.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.losses = ledger["losses"]
        self.conflicts = ledger["conflicts"]
        self.unit_costs = ledger["unit_costs"]
        self.proxies = ledger["category_proxies"]
        self.cpi_table = ledger["cpi"]
        self.claims = ledger["claims"]
        self.systems = ledger["systems"]
        self.evidence_searched = ledger["evidence_searched"]
        self.categories = ledger["categories"]
        self.exchange_rates = ledger["exchange_rates"]
        self.members: dict[str, dict[str, str]] = {}
        self.evidence: dict[str, list[EvidenceNote]] = {}
        self.records: dict[Hashable, Any] = {}
        self._observations: dict[tuple[int, tuple[str, ...]], pd.DataFrame] = {}
        self._key_values: dict[
            tuple[int, tuple[str, ...], str | None, str], tuple[dict[str, pd.DataFrame], pd.DataFrame]
        ] = {}
        self._pricings: dict[PriceChoice, Pricing] = {}

    @cached_property
    def claim_rows(self) -> dict[str, pd.Series]:
        """Each claims.csv row, by claim_id (the first row of an id: ids are unique in a valid ledger)."""
        rows: dict[str, pd.Series] = {}
        for position, claim_id in enumerate(self.claims["claim_id"].tolist()):
            rows.setdefault(str(claim_id), self.claims.iloc[position])
        return rows

    @cached_property
    def index(self) -> LossIndex:
        """The losses' columns a claim's scope reads, numbered."""
        return build_loss_index(self.losses, self.conflicts)

    @cached_property
    def keys(self) -> CostKeys:
        """How each loss reaches a price."""
        return cost_keys(self.losses, self.unit_costs, self.proxies)

    @cached_property
    def quantity(self) -> np.ndarray:
        """Each loss's effective quantity (net of the rows counted in it)."""
        quantity: np.ndarray = effective_quantities(self.losses).to_numpy(dtype=np.int64)
        return quantity

    @cached_property
    def cpi(self) -> dict[int, float]:
        """{year: CPI-U annual average}."""
        return cpi_series(self.cpi_table)

    @cached_property
    def counted_in(self) -> np.ndarray:
        """Per loss: does it name a tally that already counts it (``counted_in``)?"""
        linked: np.ndarray = self.losses["counted_in"].notna().to_numpy(dtype=bool)
        return linked

    @cached_property
    def system_names(self) -> dict[str, str]:
        """Each system's name, by system_id."""
        return {
            str(sid): str(name)
            for sid, name in zip(self.systems["system_id"], self.systems["name"], strict=True)
            if isinstance(sid, str) and isinstance(name, str)
        }

    @cached_property
    def category_lists(self) -> dict[str, dict[str, list[str]]]:
        """Each war's own category list (categories.csv), by conflict."""
        return category_lists(self.categories)

    @cached_property
    def count_claims(self) -> list[Any]:
        """The count claims (not in USD), each row readable as a dict and by attribute."""
        return list(count_claims(self.claims))

    def war_year(self, conflict: str | None) -> int:
        """The year ``conflict`` began (conflicts.csv): its figures' default dollar year."""
        return war_dollar_year(self.conflicts, conflict)

    @cached_property
    def first_year(self) -> int:
        """The first year of the ledger's earliest conflict."""
        return first_year(self.conflicts["start_date"])

    def pricing(self, choice: PriceChoice) -> Pricing:
        """Every loss priced under ``choice``: made once per choice, from observations made once per dollar year and
        applicabilities, valued per key once per extreme (the scenarios of a sensitivity grid share them).

        Raises
        ------
        UnknownDollarYearError
            cpi.csv has no figure for the choice's dollar year.
        """
        if choice not in self._pricings:
            check_dollar_year(self.cpi, choice.dollar_year)
            counted = (choice.dollar_year, choice.applicabilities)
            if counted not in self._observations:
                self._observations[counted] = observations_in(self.unit_costs, self.cpi, *counted, self.exchange_rates)
            observations = self._observations[counted]
            per_key = (*counted, choice.extreme, choice.central)
            if per_key not in self._key_values:
                self._key_values[per_key] = key_values(self.keys, observations, choice.extreme, choice.central)
            valued = self._key_values[per_key]
            status = self.losses["status"]
            self._pricings[choice] = price_losses(
                self.keys,
                self.quantity,
                status,
                observations,
                valued,
                choice.damaged_weight,
                choice.extreme,
                choice.central,
            )
        return self._pricings[choice]


#: Each ledger's facts, for as long as the ledger lives (they hold no reference to it).
_FACTS: weakref.WeakKeyDictionary[Ledger, LedgerFacts] = weakref.WeakKeyDictionary()


def facts_of(ledger: Ledger) -> LedgerFacts:
    """The facts of a (valid) ledger: made the first time, the same object after."""
    facts = _FACTS.get(ledger)
    if facts is None:
        facts = _FACTS[ledger] = LedgerFacts(ledger)
    return facts


@dataclass(frozen=True)
class Context:
    """A valid ledger, its facts and one set of assumptions: what an analysis passes down."""

    ledger: Ledger
    facts: LedgerFacts
    assumptions: Assumptions

    def dollar_year(self, own_year: int | None = None) -> int:
        """The year figures are shown in: the assumptions' dollar year, else ``own_year`` (a claim's or a
        conflict's), else the first year of the ledger's earliest conflict."""
        return self.assumptions.dollar_year or own_year or self.facts.first_year

    def pricing(self, dollar_year: int) -> Pricing:
        """Every loss priced in ``dollar_year`` USD under these assumptions."""
        return self.facts.pricing(PriceChoice.of(dollar_year, self.assumptions))

    def costed(self, dollar_year: int) -> pd.DataFrame:
        """Every loss with how it is valued and its value in ``dollar_year`` USD (see :func:`cost_losses`)."""
        return costed_frame(self.facts.losses, self.facts.keys, self.pricing(dollar_year), dollar_year)

    def costed_by_war(self) -> pd.DataFrame:
        """Every loss valued in its own war's dollar year (the year it began), unless the assumptions name one
        year for all; the ``dollar_year`` column says which."""
        if self.assumptions.dollar_year is not None:
            return self.costed(self.assumptions.dollar_year)
        conflicts = self.facts.losses["conflict"]
        year_of = {c: self.facts.war_year(c) for c in conflicts.dropna().unique().tolist()}
        years = conflicts.map(year_of).fillna(self.facts.war_year(None)).astype("int64")
        distinct = sorted(set(years.tolist()))
        if len(distinct) <= 1:
            return self.costed(distinct[0] if distinct else self.facts.war_year(None))
        parts = [self.costed(year)[years.eq(year)] for year in distinct]
        return pd.concat(parts).sort_index()

    def dollar_factor(self, from_year: int, to_year: int) -> float:
        """How many ``to_year`` dollars one ``from_year`` dollar is (CPI-U).

        Raises
        ------
        UnknownDollarYearError
            If cpi.csv lacks either year.
        """
        if from_year == to_year:
            return 1.0
        cpi = self.facts.cpi
        check_dollar_year(cpi, from_year, to_year)
        return cpi[to_year] / cpi[from_year]


def context(ledger: Ledger, assumptions: Assumptions | None = None) -> Context:
    """The context of a valid ledger under ``assumptions`` (default: :class:`Assumptions`)."""
    return Context(ledger, facts_of(ledger), assumptions or Assumptions())


def price_observations(ledger: LedgerLike = None, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Return every unit-cost observation with its usability and its value in the assumptions' dollar year.

    Parameters
    ----------
    ledger:
        A loaded ledger, a ledger directory, or None for the bundled one.
    assumptions:
        ``dollar_year`` (default: the first year of the ledger's earliest conflict) and which observations count
        (``applicability``).

    Returns
    -------
    DataFrame
        One row per observation: the unit_costs columns plus ``usable`` (bool),
        ``unusable_reason`` (a code or empty), ``cpi_factor``, and
        ``low_usd`` / ``central_usd`` / ``high_usd`` in that year's dollars.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownDollarYearError
        If CPI has no figure for the dollar year (a usage error).
    """
    ctx = context(require_valid(ledger), assumptions)
    return ctx.pricing(ctx.dollar_year()).observations.copy(deep=False)  # a column a caller adds stays its own


def cost_losses_by_war(ledger: LedgerLike = None, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """:func:`cost_losses`, each loss in its own war's dollar year (the year it began) unless
    ``assumptions.dollar_year`` names one year for all; the ``dollar_year`` column says which.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    """
    return context(require_valid(ledger), assumptions).costed_by_war()


def cost_losses(ledger: LedgerLike = None, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Value every loss in the assumptions' dollar year, as a low/central/high range.

    Parameters
    ----------
    ledger:
        A loaded ledger, a ledger directory, or None for the bundled one.
    assumptions:
        ``dollar_year`` (default: the first year of the ledger's earliest conflict), which observations count and
        how much a damaged item is worth.

    Returns
    -------
    DataFrame
        The losses columns plus ``effective_quantity``, ``cost_key_used``,
        ``cost_basis``, ``cost_assumption``, ``obs_ids``, ``n_obs``,
        ``unit_low/central/high``, ``value_weight``, ``value_low/central/high``
        (NaN when uncosted), ``costed``, ``uncosted_reason`` and ``dollar_year``.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownDollarYearError
        If CPI has no figure for the dollar year (a usage error).
    """
    ctx = context(require_valid(ledger), assumptions)
    return ctx.costed(ctx.dollar_year())
