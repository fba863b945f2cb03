"""How each ledger table is stored — file name, columns in their documented order, typed columns, key — without
importing Pandera.

Reading a ledger needs only this; the Pandera models in :mod:`drone_ledger.schemas` (what each column may hold)
are needed only to validate, and a command whose report comes from the validation cache
(:mod:`drone_ledger.cache`) never imports Pandera (about 0.3 s). The models stay the one declaration of the
schema: ``tests/test_schemas.py`` checks that every table's columns, optional columns and typed columns here are
exactly the model's; :func:`drone_ledger.schemas.model_of` gives a table's model.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Python's ``\S`` (every character for which ``str.isspace()`` is false) spelt out as a character class.
#: Written without ``\s``, ``\d`` or ``\u``, a pattern means the same to Python's ``re`` and to RE2, so pandas
#: runs it in Arrow, vectorised, instead of calling Python's ``re`` once per cell (tests/test_validation.py
#: checks the class against ``str.isspace``).
NOT_SPACE = "[^\\x09-\\x0d\\x1c-\\x20\x85\xa0\u1680\u2000-\u200a\u2028-\u2029\u202f\u205f\u3000]"
URL_PATTERN = rf"^https?://{NOT_SPACE}+$"
#: One URL or several separated by spaces (category_proxies.source_urls).
URLS_PATTERN = rf"^https?://{NOT_SPACE}+( https?://{NOT_SPACE}+)*$"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def readable_pattern(pattern: str) -> str:
    r"""A pattern as documentation shows it: the spelt-out whitespace class back as ``\S``."""
    return pattern.replace(NOT_SPACE, r"\S")


#: Optional loss columns a primary source fills (Oryx's page, WarSpotting): where and when a loss happened, by which
#: record, and which page showed its attribution. A ledger without them reads as before.
LOSS_PROVENANCE_COLUMNS = (
    *("warspotting_id", "nearest_location", "coordinates", "unit", "tags", "date_place_source"),
    "attribution_as_of",
)
#: "latitude,longitude" in decimal degrees, as WarSpotting gives a place.
COORDINATES_PATTERN = r"^-?[0-9]{1,2}(\.[0-9]+)?,-?[0-9]{1,3}(\.[0-9]+)?$"


@dataclass(frozen=True)
class TableSpec:
    """How one ledger table is stored: file name, columns, typed columns, key; its Pandera model by name."""

    name: str
    filename: str
    model_name: str
    #: Every column in its documented order, and those a file may leave out.
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...] = ()
    int_columns: tuple[str, ...] = ()
    float_columns: tuple[str, ...] = ()
    key: str | None = None
    #: An optional table may be left out of a ledger: its file missing is not an issue.
    optional: bool = False


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "losses",
            "losses.csv",
            "LossSchema",
            (
                *("loss_id", "conflict", "side_losing", "date_earliest", "date_latest", "date_as_reported"),
                *("category", "model", "quantity", "status", "status_as_reported", "attributed_system"),
                *("attributed_also", "attribution_confidence", "record_kind", "aggregate_id", "counted_in"),
                *("cost_key", "source_name", "source_url", "notes"),
                *LOSS_PROVENANCE_COLUMNS,
            ),
            optional_columns=("attributed_also", *LOSS_PROVENANCE_COLUMNS),
            int_columns=("quantity",),
            key="loss_id",
        ),
        TableSpec(
            "systems",
            "systems.csv",
            "SystemSchema",
            ("system_id", "name", "family", "supplier_country", "is_drone", "turkish_supplied", "notes", "source_url"),
            key="system_id",
        ),
        TableSpec(
            "unit_costs",
            "unit_costs.csv",
            "UnitCostSchema",
            (
                *("obs_id", "cost_key", "model_as_reported", "category", "price_low", "price_high", "currency"),
                *("price_year", "basis", "applicability", "derived_from_contract_total", "confidence", "source_url"),
                *("notes", "same_observation_as"),
            ),
            optional_columns=("same_observation_as",),
            int_columns=("price_year",),
            float_columns=("price_low", "price_high"),
            key="obs_id",
        ),
        TableSpec(
            "claims",
            "claims.csv",
            "ClaimSchema",
            (
                *("claim_id", "conflict", "claimant", "claimant_side", "claim_date", "outlet", "metric", "amount"),
                *("unit", "bound", "scope_systems", "scope_means_as_stated", "scope_side", "scope_categories"),
                *("scope_models", "scope_equipment_as_stated", "scope_cost_key", "scope_statuses", "scope_note"),
                *("scope_fit", "period_start", "period_end", "quote", "source_url", "confidence", "notes"),
            ),
            optional_columns=("scope_cost_key", "scope_note", "scope_fit"),
            float_columns=("amount",),
            key="claim_id",
        ),
        TableSpec(
            "cpi",
            "cpi.csv",
            "CpiSchema",
            ("year", "cpi_u_annual_avg", "series", "source", "source_url", "notes"),
            int_columns=("year",),
            float_columns=("cpi_u_annual_avg",),
            key="year",
        ),
        TableSpec(
            "conflicts",
            "conflicts.csv",
            "ConflictSchema",
            ("conflict_id", "name", "start_date", "end_date", "source_url", "notes"),
            key="conflict_id",
        ),
        TableSpec(
            "aggregates",
            "aggregates.csv",
            "AggregateSchema",
            (
                *("aggregate_id", "conflict", "side_losing", "category", "total_as_printed", "source_url"),
                *("as_quoted_on", "compiled_by", "notes"),
            ),
            int_columns=("total_as_printed",),
            key="aggregate_id",
        ),
        TableSpec(
            "category_proxies",
            "category_proxies.csv",
            "CategoryProxySchema",
            ("conflict", "side_losing", "category", "cost_key", "basis", "source_urls", "confidence"),
        ),
        TableSpec(
            "evidence_searched",
            "evidence_searched.csv",
            "EvidenceSearchedSchema",
            (
                *("conflict", "source_id", "source", "what_was_looked_for", "result", "what_it_can_show"),
                *("what_it_cannot_show", "source_url"),
            ),
            key="source_id",
            optional=True,
        ),
        TableSpec(
            "categories",
            "categories.csv",
            "CategorySchema",
            ("conflict", "category", "basis", "may_include", "source_urls"),
            optional=True,
        ),
    )
}


def columns_of(table: str) -> list[str]:
    """Return the column names of a table in their documented order."""
    return list(TABLES[table].columns)


def required_columns(table: str) -> list[str]:
    """Return the columns a table's file must have (optional ones may be left out)."""
    spec = TABLES[table]
    return [name for name in spec.columns if name not in spec.optional_columns]
