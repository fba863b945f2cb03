"""Every ledger table, declared once as plain data: its file, its columns in order, what each may hold, its key.

This is the one place a table is described. Everything else is derived from it:

* the loader (:mod:`drone_ledger.loading`): which file, which columns in which order, which may be left out,
  which are whole numbers or numbers;
* the checks (:mod:`drone_ledger.schemacheck`): the fast Arrow check and the Pandera schema that reports;
* the data dictionary and the Frictionless descriptor (:mod:`drone_ledger.dictionary`, docs/data.md);
* the files :mod:`drone_ledger.storage` treats as a ledger's own (:data:`TABLE_FILES`);
* the digest a validation report is kept under (:func:`declaration_digest`).

Plain Python (no pandas, no Pandera): ``storage.py`` and ``drone-ledger --help`` read it.

Adding a column is one :class:`Column` in its table's ``columns``; adding a table is one :class:`TableSpec` in
:data:`TABLES` (its file name is then a ledger file everywhere). Rules between tables (a system that must
exist, a date inside its war) are code, in :mod:`drone_ledger.validation`; a column's ``references`` only
documents the key it points at (the Frictionless descriptor lists it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from . import vocab

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
CURRENCY_PATTERN = r"^[A-Z]{3}$"
#: "latitude,longitude" in decimal degrees, as WarSpotting gives a place.
COORDINATES_PATTERN = r"^-?[0-9]{1,2}(\.[0-9]+)?,-?[0-9]{1,3}(\.[0-9]+)?$"

#: What a column holds: text, a whole number (read as pandas' Int64) or a number (Float64).
ColumnType = Literal["text", "integer", "number"]
TEXT: ColumnType = "text"
INTEGER: ColumnType = "integer"
NUMBER: ColumnType = "number"


def readable_pattern(pattern: str) -> str:
    r"""A pattern as documentation shows it: the spelt-out whitespace class back as ``\S``."""
    return pattern.replace(NOT_SPACE, r"\S")


@dataclass(frozen=True)
class Column:
    """One column of a table and every rule a cell of it must meet on its own.

    ``required``: every row needs a value. ``may_be_left_out``: a file may lack the column altogether.
    ``allowed`` lists the only values a cell may hold; ``pattern`` is a regular expression every cell matches
    (the same to Python's ``re`` and Arrow's RE2); ``minimum`` / ``above`` / ``maximum`` bound a number
    (``>=``, ``>``, ``<=``). ``references`` names the ``table.column`` the value is a key of.
    """

    name: str
    description: str
    type: ColumnType = TEXT
    required: bool = True
    may_be_left_out: bool = False
    unique: bool = False
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    above: int | float | None = None
    maximum: int | float | None = None
    references: str | None = None


def optional(name: str, description: str, **rules: Any) -> Column:
    """A column whose cells may be empty (``rules`` as for :class:`Column`)."""
    return Column(name, description, required=False, **rules)


@dataclass(frozen=True)
class TableSpec:
    """One ledger table: its name, file, meaning, columns in their documented order and key."""

    name: str
    filename: str
    #: What one row is (the data dictionary's first sentence), and what a reader should know about the table.
    description: str
    notes: str
    fields: tuple[Column, ...]
    #: The column whose value identifies a row (each row has its own), if any.
    key: str | None = None
    #: An optional table may be left out of a ledger: its file missing is not an issue.
    optional: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column name, in the documented order."""
        return tuple(column.name for column in self.fields)

    @property
    def optional_columns(self) -> tuple[str, ...]:
        """The columns a file may leave out."""
        return tuple(column.name for column in self.fields if column.may_be_left_out)

    @property
    def int_columns(self) -> tuple[str, ...]:
        """The columns read as whole numbers."""
        return tuple(column.name for column in self.fields if column.type == INTEGER)

    @property
    def float_columns(self) -> tuple[str, ...]:
        """The columns read as numbers."""
        return tuple(column.name for column in self.fields if column.type == NUMBER)

    def column(self, name: str) -> Column:
        """The declaration of column ``name``."""
        return next(column for column in self.fields if column.name == name)


_CONFLICT = Column("conflict", "Key into conflicts.csv.", references="conflicts.conflict_id")
_TRUST = ("high", "medium", "low")

#: Loss columns a primary source fills (Oryx's page, WarSpotting): where and when a loss happened, by which record,
#: and which page showed its attribution. Each may be left out: a ledger without them reads as before.
_LOSS_PROVENANCE = (
    optional(
        "warspotting_id",
        "The WarSpotting record of this loss (its id): the loss's own record, or the one joined to an Oryx item by "
        "its proof link; the column may be left out.",
        pattern=r"^[0-9]+$",
        may_be_left_out=True,
    ),
    optional(
        "nearest_location",
        "The nearest place named by the record that locates the loss (WarSpotting's nearest_location, e.g. "
        "'Mariupol, Mariupol raion'); the column may be left out.",
        may_be_left_out=True,
    ),
    optional(
        "coordinates",
        "Where the loss was geolocated, 'latitude,longitude' in decimal degrees as the record gives them; the column "
        "may be left out.",
        pattern=COORDINATES_PATTERN,
        may_be_left_out=True,
    ),
    optional(
        "unit",
        "The unit that lost the item, as the record names it; the column may be left out.",
        may_be_left_out=True,
    ),
    optional(
        "tags",
        "The record's tags ('Turretless', 'Z' …), '|'-separated; the column may be left out.",
        may_be_left_out=True,
    ),
    optional(
        "date_place_source",
        "Where the date interval and the place came from when not from source_url's page alone, e.g. 'WarSpotting "
        "1234 via proof link' (a WarSpotting record joined by the Oryx proof link) or 'WarSpotting 1234'; the column "
        "may be left out.",
        may_be_left_out=True,
    ),
    optional(
        "attribution_as_of",
        "The day of the latest Oryx page (its --as-of) that showed this loss's attribution label; kept when a later "
        "page no longer shows it; the column may be left out.",
        pattern=DATE_PATTERN,
        may_be_left_out=True,
    ),
)
#: Their names.
LOSS_PROVENANCE_COLUMNS = tuple(column.name for column in _LOSS_PROVENANCE)

LOSSES = TableSpec(
    "losses",
    "losses.csv",
    "One documented loss, or an aggregate of identical losses.",
    "Documented equipment losses. Bundled: Oryx's visually confirmed whole-war tallies for both sides (one row per "
    "category and status, unattributed) and the six public reports that tie Armenian losses to a system. A report "
    "that is part of an Oryx tally says so in `counted_in`, so no item counts twice. When a loss happened is an "
    "interval (`date_earliest`, `date_latest`): a loss is certainly inside a claim's period only when its whole "
    "interval is. Ledgers with drone-ledger 0.1's `date` and `date_precision` are read as intervals, with a warning "
    "saying how.",
    (
        Column("loss_id", "Stable identifier of the row; never reused.", unique=True, pattern=ID_PATTERN),
        _CONFLICT,
        Column("side_losing", "The side whose equipment was lost, e.g. Armenia."),
        optional(
            "date_earliest",
            "The earliest day the loss can have happened (YYYY-MM-DD); empty: the conflict's start.",
            pattern=DATE_PATTERN,
        ),
        optional(
            "date_latest",
            "The latest day the loss can have happened (YYYY-MM-DD); empty: the conflict's end (or open while it goes "
            "on). A day is the same date twice; an Oryx per-item row recorded on day D has D here and an empty "
            "date_earliest; a whole-war tally leaves both empty.",
            pattern=DATE_PATTERN,
        ),
        optional(
            "date_as_reported",
            'The source\'s own words for when ("late Sep 2020", "first days of the war", "recorded by Oryx on '
            '2022-03-01"), kept verbatim with how they were read.',
        ),
        Column("category", "Oryx equipment category.", allowed=vocab.LOSS_CATEGORIES),
        optional("model", "Model as the source names it; empty for a category aggregate."),
        Column("quantity", "Number of items (whole number, at least 1).", INTEGER, minimum=1),
        Column(
            "status",
            "destroyed, damaged, captured, abandoned, or unknown when the source gives no split.",
            allowed=vocab.STATUSES,
        ),
        optional("status_as_reported", "The source's own status wording, kept verbatim."),
        Column(
            "attributed_system",
            "Key into systems.csv; 'unattributed' when no source says what caused the loss.",
            references="systems.system_id",
        ),
        optional(
            "attributed_also",
            "Further systems credited with the same loss ('by X and Y'), '|'-separated keys into systems.csv; the "
            "column may be left out.",
            may_be_left_out=True,
        ),
        optional(
            "attribution_confidence",
            "high, medium, low or unverified; required unless unattributed.",
            allowed=vocab.CONFIDENCES,
        ),
        Column(
            "record_kind",
            "item (individually documented) or aggregate (a count from a tally).",
            allowed=vocab.RECORD_KINDS,
        ),
        optional(
            "aggregate_id",
            "Key into aggregates.csv: the printed tally this row is one status-part of.",
            references="aggregates.aggregate_id",
        ),
        optional(
            "counted_in",
            "loss_id of an aggregate row that already counts these items; the aggregate's effective quantity is "
            "reduced by them, so nothing is counted twice.",
            references="losses.loss_id",
        ),
        optional("cost_key", "Explicit key into unit_costs.csv; empty to resolve it from model or category."),
        Column("source_name", "Who published the evidence."),
        Column("source_url", "http(s) link to the evidence.", pattern=URL_PATTERN),
        optional("notes", "Free text: caveats, what the source says."),
        *_LOSS_PROVENANCE,
    ),
    key="loss_id",
)

SYSTEMS = TableSpec(
    "systems",
    "systems.csv",
    "What a loss can be attributed to.",
    "What a loss can be attributed to. `turkish_supplied` and `is_drone` are yes / no / unknown: a drone of unknown "
    "type may or may not be Turkish-supplied, and the claim comparison keeps it undecided.",
    (
        Column("system_id", "Stable key.", unique=True, pattern=ID_PATTERN),
        Column("name", "Human-readable name."),
        Column("family", "Kind of system.", allowed=vocab.SYSTEM_FAMILIES),
        optional("supplier_country", "Country that supplied it to the user; empty if unknown."),
        Column("is_drone", "yes, no or unknown.", allowed=vocab.TRISTATE),
        Column("turkish_supplied", "yes, no or unknown: whether it was supplied by Turkey.", allowed=vocab.TRISTATE),
        optional("notes", "Free text."),
        optional("source_url", "Source of the supplier facts.", pattern=URL_PATTERN),
    ),
    key="system_id",
)

UNIT_COSTS = TableSpec(
    "unit_costs",
    "unit_costs.csv",
    "Published price observations, or explicit 'no price found' rows.",
    "Published price observations, or explicit 'no price found' rows (kept so the gap is visible). A row is used "
    "when it has a price year and is in USD or in a currency that exchange_rates.csv gives a sourced rate for in "
    "that year (RUB, in the bundled ledger); the other currencies' rows (EUR, INR, BGN) are kept but reported "
    "unusable. Each war prices its losses from its own rows (`conflict`) and the rows of no particular war. "
    "A row that restates another (`same_observation_as`) counts once. In the bundled ledger one rule reads every "
    "observation's age (the ageing rule, `scripts/build_bundled_ledger.py`): a direct price set more than 20 years "
    "before the war (P01, 1994-96; P38, 1998) is an upper_reference, as the sources read P22 (1998): CPI carries "
    "its dollars, not the equipment's ageing, so it overstates an old item. The tool prints every unused "
    "observation with its price year and how many years CPI carries it.",
    (
        Column("obs_id", "Stable key.", unique=True, pattern=ID_PATTERN),
        Column("cost_key", "What the price is for; losses reach it by model, family or proxy."),
        optional("model_as_reported", "The model as the price source names it."),
        optional("category", "The source's equipment class (tank, ifv …)."),
        optional("price_low", "Lowest price per unit, in currency of price_year.", type=NUMBER, minimum=0),
        optional("price_high", "Highest price per unit.", type=NUMBER, minimum=0),
        optional(
            "currency",
            "ISO 4217 code; USD, or a currency exchange_rates.csv has a sourced rate for in price_year.",
            pattern=CURRENCY_PATTERN,
        ),
        optional(
            "price_year",
            "Year the price is in; empty if the source gives none (then unusable).",
            type=INTEGER,
            minimum=1900,
            maximum=2100,
        ),
        optional("basis", "new export, refurbished export, scrap, fleet average …"),
        optional(
            "applicability",
            "direct (fair replacement value), upper_reference (overstates), floor_reference (understates).",
            allowed=vocab.APPLICABILITIES,
        ),
        optional(
            "derived_from_contract_total",
            "yes when a contract total was divided by the quantity.",
            allowed=("yes", "no"),
        ),
        optional("confidence", "Trust in the figure.", allowed=_TRUST),
        optional("source_url", "Where the price was published.", pattern=URL_PATTERN),
        optional("notes", "How the figure was read or derived."),
        optional(
            "same_observation_as",
            "obs_id of another row that reports the same figure (a restatement): the pair counts once, as that row. "
            "The column may be left out.",
            may_be_left_out=True,
        ),
        optional(
            "conflict",
            "The war whose losses this observation prices (its applicability is judged against that war's "
            "equipment); empty: every war's. The column may be left out.",
            may_be_left_out=True,
            references="conflicts.conflict_id",
        ),
        optional(
            "stated_in_claim",
            "claim_id of the claim whose own words state this price (a claimant's unit value): pricing that claim, "
            "or another of the same statement, with it is circular, so comparisons say so and give the figure "
            "without it. The column may be left out.",
            may_be_left_out=True,
            references="claims.claim_id",
        ),
    ),
    key="obs_id",
)

CLAIMS = TableSpec(
    "claims",
    "claims.csv",
    "Public claims, each with a machine-readable scope.",
    "Public claims with a machine-readable scope. The `scope_*` columns are this project's reading of each claim's "
    "words (kept verbatim in `*_as_stated`); `scope_side` is the side whose losses are claimed.",
    (
        Column("claim_id", "Stable key.", unique=True, pattern=ID_PATTERN),
        _CONFLICT,
        Column("claimant", "Who made the claim."),
        Column("claimant_side", "The claimant's side."),
        optional("claim_date", "When it was said (empty if undated).", pattern=DATE_PATTERN),
        optional("outlet", "Where it was said."),
        Column("metric", "value_destroyed, count_destroyed … as the source frames it."),
        Column("amount", "The claimed figure.", NUMBER, minimum=0),
        Column("unit", "USD for a dollar value, else what was counted (tanks …)."),
        Column("bound", "point, lower, upper, range_low, range_high or approx.", allowed=vocab.CLAIM_BOUNDS),
        Column(
            "scope_systems",
            "Which means the claim credits: 'all', a group (turkish-supplied-drones, drones, turkish-supplied), "
            "family:<family>, supplier:<country> or system ids, '|'-separated.",
        ),
        optional("scope_means_as_stated", "The claim's own words for the means."),
        Column("scope_side", "Whose equipment the claim is about (side_losing)."),
        optional("scope_categories", "Oryx categories in scope, '|'-separated; empty = all."),
        optional("scope_models", "Model name fragments in scope (case-insensitive), '|'-separated; empty = any model."),
        optional("scope_equipment_as_stated", "The claim's own words for the equipment."),
        optional(
            "scope_cost_key",
            "For a count claim naming a model: the unit_costs.csv key it is priced at; empty to use the category "
            "proxy, if any. The column may be left out.",
            may_be_left_out=True,
        ),
        Column("scope_statuses", "Statuses in scope, '|'-separated (destroyed|captured)."),
        optional(
            "scope_note",
            "Where the scope columns differ from the claim's own words (a wider category, an overlap, a part no loss "
            "ledger records), in words; printed with every comparison. The column may be left out.",
            may_be_left_out=True,
        ),
        optional(
            "scope_fit",
            "How the scope fits the claim's words: exact (or empty); wider (the categories also hold things the claim "
            "does not name: a documented item may not be of the claimed kind, so it is never a floor of it); narrower "
            "(the scope leaves out part of what the claim may cover); unrecordable (the claim also covers what no loss "
            "ledger records, e.g. ammunition). The column may be left out.",
            allowed=vocab.SCOPE_FITS,
            may_be_left_out=True,
        ),
        optional(
            "period_start",
            "First day the claim covers; empty when the source does not say (then read as the conflict's start).",
            pattern=DATE_PATTERN,
        ),
        optional(
            "period_end",
            "Last day the claim covers; empty when the source does not say (then only the period's start is known, "
            "and a loss after it is possibly inside). A dollar claim needs a claim_date or a period_end: its dollar "
            "year.",
            pattern=DATE_PATTERN,
        ),
        optional("quote", "Short quote (some are translations)."),
        Column("source_url", "Where the claim was reported.", pattern=URL_PATTERN),
        optional("confidence", "Trust in the report of the claim.", allowed=_TRUST),
        optional("notes", "Free text."),
    ),
    key="claim_id",
)

CPI = TableSpec(
    "cpi",
    "cpi.csv",
    "US CPI-U annual averages, to move prices between dollar years.",
    "US CPI-U annual averages (BLS CUUR0000SA0) used to move prices to the claim's dollar year.",
    (
        Column("year", "Calendar year.", INTEGER, unique=True, minimum=1900, maximum=2100),
        Column("cpi_u_annual_avg", "CPI-U annual average (1982-84=100).", NUMBER, above=0),
        Column("series", "BLS series id (CUUR0000SA0)."),
        Column("source", "The republished table the figure was read from."),
        Column("source_url", "Link to that table.", pattern=URL_PATTERN),
        optional("notes", "Caveats."),
    ),
    key="year",
)

CONFLICTS = TableSpec(
    "conflicts",
    "conflicts.csv",
    "The wars a ledger covers.",
    "Each war's dates. An empty bound of a loss's date interval stands for its war's start or end (an ongoing war's "
    "end is open); `drone-ledger conflict add` adds a row, from a catalog of the wars Oryx documents.",
    (
        Column("conflict_id", "Stable key.", unique=True, pattern=ID_PATTERN),
        Column("name", "Common name."),
        Column("start_date", "First day of fighting.", pattern=DATE_PATTERN),
        optional("end_date", "Last day (empty if ongoing).", pattern=DATE_PATTERN),
        Column("source_url", "Source of the dates.", pattern=URL_PATTERN),
        optional("notes", "Free text."),
    ),
    key="conflict_id",
)

AGGREGATES = TableSpec(
    "aggregates",
    "aggregates.csv",
    "A tally's printed total, to check its status parts against.",
    "Printed totals of tallies. Their status parts in losses.csv are checked against them; a mismatch is a warning "
    "and both figures stay as printed.",
    (
        Column("aggregate_id", "Stable key.", unique=True, pattern=ID_PATTERN),
        _CONFLICT,
        Column("side_losing", "Whose losses."),
        Column("category", "Oryx category.", allowed=vocab.LOSS_CATEGORIES),
        Column("total_as_printed", "The total exactly as the source prints it.", INTEGER, minimum=0),
        Column("source_url", "Where it is printed.", pattern=URL_PATTERN),
        optional("as_quoted_on", "Date of the copy read.", pattern=DATE_PATTERN),
        optional("compiled_by", "Who compiled the tally."),
        optional("notes", "Free text."),
    ),
    key="aggregate_id",
)

CATEGORY_PROXIES = TableSpec(
    "category_proxies",
    "category_proxies.csv",
    "Documented assumptions pricing a whole-category aggregate, or a model that has no price of its own.",
    "Documented assumptions that price a whole-category aggregate with one cost key (Armenia's tanks as T-72s), or "
    "the items of a model that has no price of its own with a category average (a BTR-D as the Russian "
    "armoured-vehicle average). Every result that uses one prints it.",
    (
        _CONFLICT,
        Column("side_losing", "Whose fleet the assumption describes."),
        Column("category", "Oryx category.", allowed=vocab.LOSS_CATEGORIES),
        Column("cost_key", "Key into unit_costs.csv used for every item of the category."),
        Column("basis", "Why the assumption holds."),
        Column("source_urls", "Space-separated links.", pattern=URLS_PATTERN),
        Column("confidence", "Trust in the assumption.", allowed=_TRUST),
        optional(
            "model",
            "Empty: the assumption prices the category's whole-category tallies (no model). A model: it prices the "
            "losses of that model, which has no price of its own (no priced observation of its cost key), with a "
            "category average. The column may be left out.",
            may_be_left_out=True,
        ),
    ),
)

EVIDENCE_SEARCHED = TableSpec(
    "evidence_searched",
    "evidence_searched.csv",
    "What was looked for when the ledger was built, and what each source can and cannot show.",
    "What was looked for when the ledger was built, source by source, and what each source can and cannot show — "
    "so that '0 items attributed' can be told apart from 'not collected'. Optional; `summary` prints its gist.",
    (
        Column("conflict", "Key into conflicts.csv."),
        Column("source_id", "Stable key.", unique=True, pattern=ID_PATTERN),
        Column("source", "The source (or kind of source) searched."),
        Column("what_was_looked_for", "What the search was for."),
        Column("result", "What was found, or that nothing was."),
        optional("what_it_can_show", "What the source can establish."),
        optional("what_it_cannot_show", "What the source cannot establish."),
        optional("source_url", "Link to the source, where there is one.", pattern=URL_PATTERN),
    ),
    key="source_id",
    optional=True,
)

CATEGORIES = TableSpec(
    "categories",
    "categories.csv",
    "Each war's own equipment categories, what coverage is judged against.",
    "Each war's own equipment categories, from the sources of that war (the headings of its tallies, the "
    "categories its reports and claims use), each with its basis and links. A claim's coverage (which categories "
    "are counted by a tally, only reported, or not documented at all) and the break-even's uncounted categories are "
    "judged against its war's list; a war with no rows here has no list, and no category is then called "
    "undocumented (never another war's headings). `may_include` names categories a tally may also hold where the "
    "sources cannot tell (Oryx's 2020 'Armoured Fighting Vehicles' and infantry fighting vehicles): a claim about "
    "them is shown read both ways, and a report in one of them beside such a tally is flagged as possibly counted "
    "twice. To add a war: one row per category its sources use (for Oryx's 2022 pages, their headings), with the "
    "links that show it; `may_include` only where the sources cannot tell. Optional; the bundled rows are written "
    "by `scripts/build_bundled_ledger.py`.",
    (
        _CONFLICT,
        Column("category", "A category of this war's losses.", allowed=vocab.LOSS_CATEGORIES),
        Column("basis", "Which sources show the category in this war (a tally's heading, a report, a claim's words)."),
        optional(
            "may_include",
            "Categories this category's tallies may also hold where the sources cannot tell, '|'-separated: a claim "
            "about one of them is shown read both ways, and a report in one of them may already be in such a tally.",
        ),
        Column("source_urls", "Space-separated links.", pattern=URLS_PATTERN),
    ),
    optional=True,
)

EXCHANGE_RATES = TableSpec(
    "exchange_rates",
    "exchange_rates.csv",
    "A sourced rate that turns a price in another currency into US dollars of its price year.",
    "Sourced rates that turn a price in another currency into US dollars of its price year, before CPI moves it to "
    "the dollar year shown. A price is converted only at a rate for its own year; a row without a rate records that "
    "none was found, and the prices it would convert stay unusable. Optional.",
    (
        Column("currency", "ISO 4217 code of the price.", pattern=CURRENCY_PATTERN),
        Column("year", "The price year the rate is for.", INTEGER, minimum=1900, maximum=2100),
        optional(
            "units_per_usd",
            "Units of the currency per US dollar in that year; empty when no sourced rate was found (the prices "
            "stay unusable).",
            type=NUMBER,
            above=0,
        ),
        optional("basis", "annual average of official rates, a spot rate in an article …"),
        optional("source_url", "Where the rate was published.", pattern=URL_PATTERN),
        optional("confidence", "Trust in the rate.", allowed=_TRUST),
        optional("notes", "How the rate was read, and which prices it converts."),
    ),
    optional=True,
)

#: Every table of a ledger, by name, in the order files are read and documented.
TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        *(LOSSES, SYSTEMS, UNIT_COSTS, CLAIMS, CPI, CONFLICTS, AGGREGATES, CATEGORY_PROXIES, EVIDENCE_SEARCHED),
        *(CATEGORIES, EXCHANGE_RATES),
    )
}

#: The file names of a ledger's tables.
TABLE_FILES = tuple(spec.filename for spec in TABLES.values())


def columns_of(table: str) -> list[str]:
    """Return the column names of a table in their documented order."""
    return list(TABLES[table].columns)


def required_columns(table: str) -> list[str]:
    """Return the columns a table's file must have (the others may be left out)."""
    spec = TABLES[table]
    return [column.name for column in spec.fields if not column.may_be_left_out]


def declaration_digest() -> str:
    """The SHA-256 of every table's declaration as it stands (in :data:`TABLES`): a validation report's key.

    Made of plain data only (names, types, rules, descriptions), so it is the same in every process that holds
    the same declaration, whatever that process has imported.
    """
    declared = [dataclasses.asdict(spec) for spec in TABLES.values()]
    return hashlib.sha256(json.dumps(declared, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()
