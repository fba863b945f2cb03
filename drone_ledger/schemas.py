"""One Pandera model per ledger table: columns, types, allowed values, meaning.

No I/O here. Cross-table and cross-column rules live in :mod:`validation`;
these models check what a single column can tell on its own.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import vocab
from .layout import (  # noqa: F401  (the layout's names, imported from here before it had its own module)
    COORDINATES_PATTERN,
    DATE_PATTERN,
    ID_PATTERN,
    NOT_SPACE,
    TABLES,
    URL_PATTERN,
    URLS_PATTERN,
    TableSpec,
    columns_of,
    readable_pattern,
    required_columns,
)


def _optional(**kwargs: Any) -> Any:
    return pa.Field(nullable=True, **kwargs)


class _LedgerModel(pa.DataFrameModel):
    """What every table's model shares: columns outside the schema are kept (reported as unknown-column)."""

    class Config:
        strict = False


class LossSchema(_LedgerModel):
    """losses.csv: one documented loss, or an aggregate of identical losses."""

    loss_id: Series[str] = pa.Field(
        unique=True,
        str_matches=ID_PATTERN,
        description="Stable identifier of the row; never reused.",
    )
    conflict: Series[str] = pa.Field(description="Key into conflicts.csv.")
    side_losing: Series[str] = pa.Field(description="The side whose equipment was lost, e.g. Armenia.")
    date_earliest: Series[str] = _optional(
        str_matches=DATE_PATTERN,
        description="The earliest day the loss can have happened (YYYY-MM-DD); empty: the conflict's start.",
    )
    date_latest: Series[str] = _optional(
        str_matches=DATE_PATTERN,
        description="The latest day the loss can have happened (YYYY-MM-DD); empty: the conflict's end (or open "
        "while it goes on). A day is the same date twice; an Oryx per-item row recorded on day D has D here and "
        "an empty date_earliest; a whole-war tally leaves both empty.",
    )
    date_as_reported: Series[str] = _optional(
        description='The source\'s own words for when ("late Sep 2020", "first days of the war", "recorded by Oryx '
        'on 2022-03-01"), kept verbatim with how they were read.',
    )
    category: Series[str] = pa.Field(isin=vocab.LOSS_CATEGORIES, description="Oryx equipment category.")
    model: Series[str] = _optional(description="Model as the source names it; empty for a category aggregate.")
    quantity: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Number of items (whole number, at least 1).")
    status: Series[str] = pa.Field(
        isin=vocab.STATUSES,
        description="destroyed, damaged, captured, abandoned, or unknown when the source gives no split.",
    )
    status_as_reported: Series[str] = _optional(description="The source's own status wording, kept verbatim.")
    attributed_system: Series[str] = pa.Field(
        description="Key into systems.csv; 'unattributed' when no source says what caused the loss.",
    )
    attributed_also: Series[str] | None = _optional(
        description="Further systems credited with the same loss ('by X and Y'), '|'-separated keys into "
        "systems.csv; the column may be left out.",
    )
    attribution_confidence: Series[str] = _optional(
        isin=vocab.CONFIDENCES,
        description="high, medium, low or unverified; required unless unattributed.",
    )
    record_kind: Series[str] = pa.Field(
        isin=vocab.RECORD_KINDS,
        description="item (individually documented) or aggregate (a count from a tally).",
    )
    aggregate_id: Series[str] = _optional(
        description="Key into aggregates.csv: the printed tally this row is one status-part of.",
    )
    counted_in: Series[str] = _optional(
        description="loss_id of an aggregate row that already counts these items; "
        "the aggregate's effective quantity is reduced by them, so nothing is counted twice.",
    )
    cost_key: Series[str] = _optional(
        description="Explicit key into unit_costs.csv; empty to resolve it from model or category.",
    )
    source_name: Series[str] = pa.Field(description="Who published the evidence.")
    source_url: Series[str] = pa.Field(str_matches=URL_PATTERN, description="http(s) link to the evidence.")
    notes: Series[str] = _optional(description="Free text: caveats, what the source says.")
    warspotting_id: Series[str] | None = _optional(
        str_matches=r"^[0-9]+$",
        description="The WarSpotting record of this loss (its id): the loss's own record, or the one joined to an "
        "Oryx item by its proof link; the column may be left out.",
    )
    nearest_location: Series[str] | None = _optional(
        description="The nearest place named by the record that locates the loss (WarSpotting's nearest_location, "
        "e.g. 'Mariupol, Mariupol raion'); the column may be left out.",
    )
    coordinates: Series[str] | None = _optional(
        str_matches=COORDINATES_PATTERN,
        description="Where the loss was geolocated, 'latitude,longitude' in decimal degrees as the record gives "
        "them; the column may be left out.",
    )
    unit: Series[str] | None = _optional(
        description="The unit that lost the item, as the record names it; the column may be left out.",
    )
    tags: Series[str] | None = _optional(
        description="The record's tags ('Turretless', 'Z' …), '|'-separated; the column may be left out.",
    )
    date_place_source: Series[str] | None = _optional(
        description="Where the date interval and the place came from when not from source_url's page alone, e.g. "
        "'WarSpotting 1234 via proof link' (a WarSpotting record joined by the Oryx proof link) or 'WarSpotting "
        "1234'; the column may be left out.",
    )
    attribution_as_of: Series[str] | None = _optional(
        str_matches=DATE_PATTERN,
        description="The day of the latest Oryx page (its --as-of) that showed this loss's attribution label; "
        "kept when a later page no longer shows it; the column may be left out.",
    )


class SystemSchema(_LedgerModel):
    """systems.csv: what a loss can be attributed to."""

    system_id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable key.")
    name: Series[str] = pa.Field(description="Human-readable name.")
    family: Series[str] = pa.Field(isin=vocab.SYSTEM_FAMILIES, description="Kind of system.")
    supplier_country: Series[str] = _optional(description="Country that supplied it to the user; empty if unknown.")
    is_drone: Series[str] = pa.Field(isin=vocab.TRISTATE, description="yes, no or unknown.")
    turkish_supplied: Series[str] = pa.Field(
        isin=vocab.TRISTATE,
        description="yes, no or unknown: whether it was supplied by Turkey.",
    )
    notes: Series[str] = _optional(description="Free text.")
    source_url: Series[str] = _optional(str_matches=URL_PATTERN, description="Source of the supplier facts.")


class UnitCostSchema(_LedgerModel):
    """unit_costs.csv: published price observations, or explicit 'no price found' rows."""

    obs_id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable key.")
    cost_key: Series[str] = pa.Field(description="What the price is for; losses reach it by model, family or proxy.")
    model_as_reported: Series[str] = _optional(description="The model as the price source names it.")
    category: Series[str] = _optional(description="The source's equipment class (tank, ifv …).")
    price_low: Series[pd.Float64Dtype] = _optional(
        ge=0, description="Lowest price per unit, in currency of price_year."
    )
    price_high: Series[pd.Float64Dtype] = _optional(ge=0, description="Highest price per unit.")
    currency: Series[str] = _optional(str_matches=r"^[A-Z]{3}$", description="ISO 4217 code; only USD is usable.")
    price_year: Series[pd.Int64Dtype] = _optional(
        ge=1900,
        le=2100,
        description="Year the price is in; empty if the source gives none (then unusable).",
    )
    basis: Series[str] = _optional(description="new export, refurbished export, scrap, fleet average …")
    applicability: Series[str] = _optional(
        isin=vocab.APPLICABILITIES,
        description="direct (fair replacement value), upper_reference (overstates), floor_reference (understates).",
    )
    derived_from_contract_total: Series[str] = _optional(
        isin=("yes", "no"),
        description="yes when a contract total was divided by the quantity.",
    )
    confidence: Series[str] = _optional(isin=("high", "medium", "low"), description="Trust in the figure.")
    source_url: Series[str] = _optional(str_matches=URL_PATTERN, description="Where the price was published.")
    notes: Series[str] = _optional(description="How the figure was read or derived.")
    same_observation_as: Series[str] | None = _optional(
        description="obs_id of another row that reports the same figure (a restatement): the pair counts once, as "
        "that row. The column may be left out.",
    )


class ClaimSchema(_LedgerModel):
    """claims.csv: public claims, each with a machine-readable scope."""

    claim_id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable key.")
    conflict: Series[str] = pa.Field(description="Key into conflicts.csv.")
    claimant: Series[str] = pa.Field(description="Who made the claim.")
    claimant_side: Series[str] = pa.Field(description="The claimant's side.")
    claim_date: Series[str] = _optional(str_matches=DATE_PATTERN, description="When it was said (empty if undated).")
    outlet: Series[str] = _optional(description="Where it was said.")
    metric: Series[str] = pa.Field(description="value_destroyed, count_destroyed … as the source frames it.")
    amount: Series[pd.Float64Dtype] = pa.Field(ge=0, description="The claimed figure.")
    unit: Series[str] = pa.Field(description="USD for a dollar value, else what was counted (tanks …).")
    bound: Series[str] = pa.Field(
        isin=vocab.CLAIM_BOUNDS,
        description="point, lower, upper, range_low, range_high or approx.",
    )
    scope_systems: Series[str] = pa.Field(
        description="Which means the claim credits: 'all', a group (turkish-supplied-drones, drones, "
        "turkish-supplied), family:<family>, supplier:<country> or system ids, '|'-separated.",
    )
    scope_means_as_stated: Series[str] = _optional(description="The claim's own words for the means.")
    scope_side: Series[str] = pa.Field(description="Whose equipment the claim is about (side_losing).")
    scope_categories: Series[str] = _optional(description="Oryx categories in scope, '|'-separated; empty = all.")
    scope_models: Series[str] = _optional(
        description="Model name fragments in scope (case-insensitive), '|'-separated; empty = any model.",
    )
    scope_equipment_as_stated: Series[str] = _optional(description="The claim's own words for the equipment.")
    scope_cost_key: Series[str] | None = _optional(
        description="For a count claim naming a model: the unit_costs.csv key it is priced at; empty to use the "
        "category proxy, if any. The column may be left out.",
    )
    scope_statuses: Series[str] = pa.Field(description="Statuses in scope, '|'-separated (destroyed|captured).")
    scope_note: Series[str] | None = _optional(
        description="Where the scope columns differ from the claim's own words (a wider category, an overlap, a "
        "part no loss ledger records), in words; printed with every comparison. The column may be left out.",
    )
    scope_fit: Series[str] | None = _optional(
        isin=vocab.SCOPE_FITS,
        description="How the scope fits the claim's words: exact (or empty); wider (the categories also hold "
        "things the claim does not name: a documented item may not be of the claimed kind, so it is never a floor "
        "of it); narrower (the scope leaves out part of what the claim may cover); unrecordable (the claim also "
        "covers what no loss ledger records, e.g. ammunition). The column may be left out.",
    )
    period_start: Series[str] = pa.Field(str_matches=DATE_PATTERN, description="First day the claim covers.")
    period_end: Series[str] = _optional(
        str_matches=DATE_PATTERN,
        description="Last day the claim covers; empty when the source does not say (then only the period's start "
        "is known, and a loss after it is possibly inside). A dollar claim needs a claim_date or a period_end: its "
        "dollar year.",
    )
    quote: Series[str] = _optional(description="Short quote (some are translations).")
    source_url: Series[str] = pa.Field(str_matches=URL_PATTERN, description="Where the claim was reported.")
    confidence: Series[str] = _optional(isin=("high", "medium", "low"), description="Trust in the report of the claim.")
    notes: Series[str] = _optional(description="Free text.")


class CpiSchema(_LedgerModel):
    """cpi.csv: US CPI-U annual averages, to move prices between dollar years."""

    year: Series[pd.Int64Dtype] = pa.Field(unique=True, ge=1900, le=2100, description="Calendar year.")
    cpi_u_annual_avg: Series[pd.Float64Dtype] = pa.Field(gt=0, description="CPI-U annual average (1982-84=100).")
    series: Series[str] = pa.Field(description="BLS series id (CUUR0000SA0).")
    source: Series[str] = pa.Field(description="The republished table the figure was read from.")
    source_url: Series[str] = pa.Field(str_matches=URL_PATTERN, description="Link to that table.")
    notes: Series[str] = _optional(description="Caveats.")


class ConflictSchema(_LedgerModel):
    """conflicts.csv: the wars a ledger covers."""

    conflict_id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable key.")
    name: Series[str] = pa.Field(description="Common name.")
    start_date: Series[str] = pa.Field(str_matches=DATE_PATTERN, description="First day of fighting.")
    end_date: Series[str] = _optional(str_matches=DATE_PATTERN, description="Last day (empty if ongoing).")
    source_url: Series[str] = pa.Field(str_matches=URL_PATTERN, description="Source of the dates.")
    notes: Series[str] = _optional(description="Free text.")


class AggregateSchema(_LedgerModel):
    """aggregates.csv: a tally's printed total, to check its status parts against."""

    aggregate_id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable key.")
    conflict: Series[str] = pa.Field(description="Key into conflicts.csv.")
    side_losing: Series[str] = pa.Field(description="Whose losses.")
    category: Series[str] = pa.Field(isin=vocab.LOSS_CATEGORIES, description="Oryx category.")
    total_as_printed: Series[pd.Int64Dtype] = pa.Field(ge=0, description="The total exactly as the source prints it.")
    source_url: Series[str] = pa.Field(str_matches=URL_PATTERN, description="Where it is printed.")
    as_quoted_on: Series[str] = _optional(str_matches=DATE_PATTERN, description="Date of the copy read.")
    compiled_by: Series[str] = _optional(description="Who compiled the tally.")
    notes: Series[str] = _optional(description="Free text.")


class CategoryProxySchema(_LedgerModel):
    """category_proxies.csv: documented assumptions pricing a whole-category aggregate."""

    conflict: Series[str] = pa.Field(description="Key into conflicts.csv.")
    side_losing: Series[str] = pa.Field(description="Whose fleet the assumption describes.")
    category: Series[str] = pa.Field(isin=vocab.LOSS_CATEGORIES, description="Oryx category.")
    cost_key: Series[str] = pa.Field(description="Key into unit_costs.csv used for every item of the category.")
    basis: Series[str] = pa.Field(description="Why the assumption holds.")
    source_urls: Series[str] = pa.Field(str_matches=URLS_PATTERN, description="Space-separated links.")
    confidence: Series[str] = pa.Field(isin=("high", "medium", "low"), description="Trust in the assumption.")


class EvidenceSearchedSchema(_LedgerModel):
    """evidence_searched.csv: what was looked for when the ledger was built, and what each source can and cannot show.

    So that "0 items attributed" can be told apart from "not collected". The table may be left out of a ledger.
    """

    conflict: Series[str] = pa.Field(description="Key into conflicts.csv.")
    source_id: Series[str] = pa.Field(unique=True, str_matches=ID_PATTERN, description="Stable key.")
    source: Series[str] = pa.Field(description="The source (or kind of source) searched.")
    what_was_looked_for: Series[str] = pa.Field(description="What the search was for.")
    result: Series[str] = pa.Field(description="What was found, or that nothing was.")
    what_it_can_show: Series[str] = _optional(description="What the source can establish.")
    what_it_cannot_show: Series[str] = _optional(description="What the source cannot establish.")
    source_url: Series[str] = _optional(str_matches=URL_PATTERN, description="Link to the source, where there is one.")


class CategorySchema(_LedgerModel):
    """categories.csv: each war's own equipment categories, what coverage is judged against.

    The table may be left out of a ledger; a war without rows here has no category list.
    """

    conflict: Series[str] = pa.Field(description="Key into conflicts.csv.")
    category: Series[str] = pa.Field(isin=vocab.LOSS_CATEGORIES, description="A category of this war's losses.")
    basis: Series[str] = pa.Field(
        description="Which sources show the category in this war (a tally's heading, a report, a claim's words)."
    )
    may_include: Series[str] = _optional(
        description="Categories this category's tallies may also hold where the sources cannot tell, "
        "'|'-separated: a claim about one of them is shown read both ways, and a report in one of them may already "
        "be in such a tally.",
    )
    source_urls: Series[str] = pa.Field(str_matches=URLS_PATTERN, description="Space-separated links.")


def model_of(spec: TableSpec) -> type[pa.DataFrameModel]:
    """The Pandera model of a table (:attr:`TableSpec.model_name`, a class of this module)."""
    model: type[pa.DataFrameModel] = globals()[spec.model_name]
    return model
