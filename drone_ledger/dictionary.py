"""The data dictionary, generated from the Pandera schemas.

``python -m drone_ledger.dictionary`` prints it as Markdown; docs/data.md is
that output, and a test keeps it current.
"""

from __future__ import annotations

from typing import Any

from .layout import TABLES, readable_pattern

TABLE_NOTES = {
    "losses": (
        "Documented equipment losses. Bundled: Oryx's visually confirmed whole-war tallies for both sides (one "
        "row per category and status, unattributed) and the six public reports that tie Armenian losses to a "
        "system. A report that is part of an Oryx tally says so in `counted_in`, so no item counts twice. When a "
        "loss happened is an interval (`date_earliest`, `date_latest`): a loss is certainly inside a claim's period "
        "only when its whole interval is. Ledgers with drone-ledger 0.1's `date` and `date_precision` are read as "
        "intervals, with a warning saying how."
    ),
    "systems": (
        "What a loss can be attributed to. `turkish_supplied` and `is_drone` are yes / no / unknown: a drone of "
        "unknown type may or may not be Turkish-supplied, and the claim comparison keeps it undecided."
    ),
    "unit_costs": (
        "Published price observations, or explicit 'no price found' rows (kept so the gap is visible). Only USD "
        "rows with a price year are used; EUR, INR and BGN rows are kept but reported unusable (no sourced "
        "exchange rate). A row that restates another (`same_observation_as`) counts once. In the bundled ledger "
        "one rule reads every observation's age (the ageing rule, `scripts/build_bundled_ledger.py`): a direct "
        "price set more than 20 years before the war (P01, 1994-96; P38, 1998) is an upper_reference, as the "
        "sources read P22 (1998): CPI carries its dollars, not the equipment's ageing, so it overstates an old "
        "item. The tool prints every unused observation with its price year and how many years CPI carries it."
    ),
    "claims": (
        "Public claims with a machine-readable scope. The `scope_*` columns are this project's reading of each "
        "claim's words (kept verbatim in `*_as_stated`); `scope_side` is the side whose losses are claimed."
    ),
    "cpi": "US CPI-U annual averages (BLS CUUR0000SA0) used to move prices to the claim's dollar year.",
    "conflicts": (
        "Each war's dates. An empty bound of a loss's date interval stands for its war's start or end (an ongoing "
        "war's end is open); `drone-ledger conflict add` adds a row, from a catalog of the wars Oryx documents."
    ),
    "aggregates": (
        "Printed totals of tallies. Their status parts in losses.csv are checked against them; a mismatch is a "
        "warning and both figures stay as printed."
    ),
    "category_proxies": (
        "Documented assumptions that price a whole-category aggregate with one cost key (Armenia's tanks as "
        "T-72s). Every result that uses one prints it."
    ),
    "evidence_searched": (
        "What was looked for when the ledger was built, source by source, and what each source can and cannot "
        "show — so that '0 items attributed' can be told apart from 'not collected'. Optional; `summary` prints its "
        "gist."
    ),
    "categories": (
        "Each war's own equipment categories, from the sources of that war (the headings of its tallies, the "
        "categories its reports and claims use), each with its basis and links. A claim's coverage (which "
        "categories are counted by a tally, only reported, or not documented at all) and the break-even's "
        "uncounted categories are judged against its war's list; a war with no rows here has no list, and no "
        "category is then called undocumented (never another war's headings). `may_include` names categories a "
        "tally may also hold where the sources cannot tell (Oryx's 2020 'Armoured Fighting Vehicles' and infantry "
        "fighting vehicles): a claim about them is shown read both ways, and a report in one of them beside such a "
        "tally is flagged as possibly counted twice. To add a war: one row per category its sources use (for "
        "Oryx's 2022 pages, their headings), with the links that show it; `may_include` only where the sources "
        "cannot tell. Optional; the bundled rows are written by `scripts/build_bundled_ledger.py`."
    ),
}


_TYPE_NAMES = {
    "Int64": "integer",
    "Float64": "number",
    "string[python]": "text",
    "string[pyarrow]": "text",
    "str": "text",
}


def data_dictionary() -> list[dict[str, Any]]:
    """Return every table with its file, meaning and columns (type, required, allowed values, checks)."""
    from .schemas import model_of  # Pandera, only when the dictionary is made (not on every command's import)

    tables = []
    for name, spec in TABLES.items():
        schema = model_of(spec).to_schema()
        columns = []
        for column_name, column in schema.columns.items():
            allowed = next(
                (c.statistics["allowed_values"] for c in column.checks if "allowed_values" in c.statistics), None
            )
            checks = [c.name for c in column.checks if "allowed_values" not in c.statistics]
            columns.append(
                {
                    "name": column_name,
                    "type": _TYPE_NAMES.get(str(column.dtype), str(column.dtype)),
                    "required": not column.nullable,
                    "unique": bool(column.unique),
                    "allowed_values": list(allowed) if allowed is not None else None,
                    "checks": [_describe(c) for c in column.checks if c.name in checks],
                    "description": column.description or "",
                }
            )
        tables.append(
            {
                "table": name,
                "file": spec.filename,
                "description": _sentence((model_of(spec).__doc__ or "").strip().split(": ", 1)[-1]),
                "notes": TABLE_NOTES.get(name, ""),
                "columns": columns,
            }
        )
    return tables


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _describe(check: Any) -> str:
    stats = check.statistics
    if "min_value" in stats and check.name == "greater_than_or_equal_to":
        return f">= {stats['min_value']}"
    if "min_value" in stats:
        return f"> {stats['min_value']}"
    if "max_value" in stats:
        return f"<= {stats['max_value']}"
    if "pattern" in stats:
        return f"matches `{readable_pattern(stats['pattern'])}`"
    return str(check.name)


def data_dictionary_markdown() -> str:
    """Render :func:`data_dictionary` as Markdown (the content of docs/data.md)."""
    out = [
        "# Data dictionary",
        "",
        "Generated from the Pandera schemas in `drone_ledger/schemas.py` by `python -m drone_ledger.dictionary`; "
        f"do not edit by hand. A ledger is a directory holding these {len(TABLES)} CSV files (UTF-8, comma-separated, "
        "header on line 1; those marked optional may be left out). Multi-valued cells use `|`.",
        "",
    ]
    for table in data_dictionary():
        out += [f"## `{table['file']}`", "", table["description"], ""]
        if table["notes"]:
            out += [table["notes"], ""]
        out += ["| column | type | required | rule | meaning |", "|---|---|---|---|---|"]
        for c in table["columns"]:
            rules = []
            if c["unique"]:
                rules.append("unique")
            if c["allowed_values"]:
                rules.append("one of " + ", ".join(f"`{v}`" for v in c["allowed_values"]))
            rules += c["checks"]
            meaning = c["description"].replace("|", "\\|")
            rule = "; ".join(rules).replace("|", "\\|")
            out.append(f"| `{c['name']}` | {c['type']} | {'yes' if c['required'] else 'no'} | {rule} | {meaning} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(data_dictionary_markdown(), end="")


_FRICTIONLESS_TYPES = {"integer": "integer", "number": "number", "text": "string"}
_FOREIGN_KEYS = {
    "losses": [
        ("conflict", "conflicts", "conflict_id"),
        ("attributed_system", "systems", "system_id"),
        ("aggregate_id", "aggregates", "aggregate_id"),
        ("counted_in", "", "loss_id"),
    ],
    "claims": [("conflict", "conflicts", "conflict_id")],
    "aggregates": [("conflict", "conflicts", "conflict_id")],
    "category_proxies": [("conflict", "conflicts", "conflict_id")],
    "categories": [("conflict", "conflicts", "conflict_id")],
}


def data_package() -> dict[str, Any]:
    """A Frictionless Data Package descriptor of a ledger, so other tools can validate the same tables.

    Save it as ``datapackage.json`` in a ledger directory and run ``frictionless validate datapackage.json``.
    Cross-table rules that a Table Schema cannot express (aggregate totals, claim scopes, dates against the
    conflict) are only checked by ``drone-ledger validate``.
    """
    resources = []
    for table in data_dictionary():
        fields = []
        for column in table["columns"]:
            constraints: dict[str, Any] = {}
            if column["required"]:
                constraints["required"] = True
            if column["unique"]:
                constraints["unique"] = True
            if column["allowed_values"]:
                constraints["enum"] = column["allowed_values"]
            for check in column["checks"]:
                if check.startswith(">= "):
                    constraints["minimum"] = _number(check[3:])
                elif check.startswith("> "):
                    constraints["minimum"] = _number(check[2:])
                elif check.startswith("<= "):
                    constraints["maximum"] = _number(check[3:])
                elif check.startswith("matches "):
                    constraints["pattern"] = check.removeprefix("matches ").strip("`")
            spec: dict[str, Any] = {
                "name": column["name"],
                "type": _FRICTIONLESS_TYPES.get(column["type"], "string"),
                "description": column["description"],
            }
            if constraints:
                spec["constraints"] = constraints
            fields.append(spec)
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        key = TABLES[table["table"]].key
        if key:
            schema["primaryKey"] = [key]
        if table["table"] in _FOREIGN_KEYS:
            schema["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": resource, "fields": [target]}}
                for column, resource, target in _FOREIGN_KEYS[table["table"]]
            ]
        resources.append(
            {
                "name": table["table"],
                "path": table["file"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": table["description"],
                "schema": schema,
            }
        )
    return {"profile": "tabular-data-package", "name": "drone-ledger", "resources": resources}


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


class DataDictionary:
    """The data dictionary as a result the CLI prints: Markdown, JSON (the tables) or a Frictionless descriptor."""

    def tables(self) -> list[dict[str, Any]]:
        """Every table with its columns (``schema --format json``)."""
        return data_dictionary()

    def markdown(self) -> str:
        """docs/data.md (``schema``)."""
        return data_dictionary_markdown()

    def data_package(self) -> dict[str, Any]:
        """A Frictionless Data Package descriptor (``schema --format frictionless``)."""
        return data_package()
