"""The data dictionary and the Frictionless descriptor, generated from the table declarations
(:mod:`drone_ledger.layout`).

``python -m drone_ledger.dictionary`` prints the dictionary as Markdown; docs/data.md is
that output, and a test keeps it current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .layout import TABLES, Column, readable_pattern

if TYPE_CHECKING:
    import pandas as pd


def data_dictionary() -> list[dict[str, Any]]:
    """Return every table with its file, meaning and columns (type, required, allowed values, checks)."""
    return [
        {
            "table": name,
            "file": spec.filename,
            "description": spec.description,
            "notes": spec.notes,
            "columns": [
                {
                    "name": column.name,
                    "type": column.type,
                    "required": column.required,
                    "unique": column.unique,
                    "allowed_values": list(column.allowed) if column.allowed is not None else None,
                    "checks": _checks(column),
                    "description": column.description,
                }
                for column in spec.fields
            ],
        }
        for name, spec in TABLES.items()
    ]


def _checks(column: Column) -> list[str]:
    """A column's bounds and pattern as the dictionary writes them."""
    checks = [f"{sign} {bound}" for sign, bound in ((">=", column.minimum), (">", column.above)) if bound is not None]
    if column.maximum is not None:
        checks.append(f"<= {column.maximum}")
    if column.pattern is not None:
        checks.append(f"matches `{readable_pattern(column.pattern)}`")
    return checks


def data_dictionary_markdown() -> str:
    """Render :func:`data_dictionary` as Markdown (the content of docs/data.md)."""
    out = [
        "# Data dictionary",
        "",
        "Generated from the table declarations in `drone_ledger/layout.py` by `python -m drone_ledger.dictionary`; "
        f"do not edit by hand. A ledger is a directory holding these {len(TABLES)} CSV files (UTF-8, "
        "comma-separated, header on line 1; those marked optional may be left out). Multi-valued cells use `|`.",
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


def data_package() -> dict[str, Any]:
    """A Frictionless Data Package descriptor of a ledger, so other tools can validate the same tables.

    Save it as ``datapackage.json`` in a ledger directory and run ``frictionless validate datapackage.json``.
    Cross-table rules that a Table Schema cannot express (aggregate totals, claim scopes, dates against the
    conflict) are only checked by ``drone-ledger validate``; a Table Schema has no strict lower bound, so
    ``> 0`` is written as a minimum of 0.
    """
    resources = []
    for name, spec in TABLES.items():
        schema: dict[str, Any] = {"fields": [_field(column) for column in spec.fields], "missingValues": [""]}
        if spec.key:
            schema["primaryKey"] = [spec.key]
        foreign = [
            {"fields": [column.name], "reference": {"resource": "" if table == name else table, "fields": [key]}}
            for column in spec.fields
            if column.references
            for table, key in [column.references.split(".")]
        ]
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": name,
                "path": spec.filename,
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": spec.description,
                "schema": schema,
            }
        )
    return {"profile": "tabular-data-package", "name": "drone-ledger", "resources": resources}


def _field(column: Column) -> dict[str, Any]:
    """One column as a Table Schema field."""
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if column.allowed:
        constraints["enum"] = list(column.allowed)
    for bound, key in ((column.minimum, "minimum"), (column.above, "minimum"), (column.maximum, "maximum")):
        if bound is not None:
            constraints[key] = bound
    if column.pattern is not None:
        constraints["pattern"] = readable_pattern(column.pattern)
    field: dict[str, Any] = {
        "name": column.name,
        "type": _FRICTIONLESS_TYPES[column.type],
        "description": column.description,
    }
    if constraints:
        field["constraints"] = constraints
    return field


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

    def to_frame(self) -> pd.DataFrame:
        """One row per column of every table: ``table``, ``file`` and the column's name, type, rules, meaning."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"table": table["table"], "file": table["file"], **column}
                for table in data_dictionary()
                for column in table["columns"]
            ]
        )
