"""The adapters, one per source format, and how a source's format is told from its header.

An adapter takes the source table and the import's :class:`~drone_ledger.importing.context.Context` and returns
the candidate records and any printed totals (aggregates.csv rows). ``csv`` reads any table through a mapping
file; ``ledger`` takes rows already in losses.csv form; the two Oryx formats are in
:mod:`drone_ledger.importing.oryx`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from drone_ledger import vocab
from drone_ledger.dates import from_old_columns, interval_of
from drone_ledger.errors import ImportUsageError, IssueCode
from drone_ledger.layout import columns_of, required_columns

from .context import (
    Context,
    ProgressCallback,
    Record,
    attribute,
    category,
    closest,
    items_in,
    listing,
    set_status,
    stable_id,
)
from .mapping import MappingFile
from .oryx import LONG_REQUIRED, adapt_oryx_long, adapt_oryx_wide
from .oryxpage import PAGE_COLUMNS, adapt_oryx_page
from .source import SourceTable
from .warspotting import adapt_warspotting, is_warspotting

__all__ = ["ADAPTERS", "Adapter", "adapt_csv", "adapt_ledger", "detect_format"]

#: An adapter: (source, context, progress callback) -> (records, printed totals for aggregates.csv).
Adapter = Callable[[SourceTable, Context, ProgressCallback | None], tuple[list[Record], list[dict[str, str]]]]


def adapt_csv(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Any table through a mapping file: renames, value maps, constants, date format."""
    mapping = ctx.mapping
    _check_mapping(src, mapping)
    records = []
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 2000 == 0:
            progress(n, len(src.rows))
        row = ctx.base_row()
        single_date = ""
        for source_column, value in values.items():
            target = mapping.columns.get(source_column, source_column)
            if target == "date" and value != "":
                single_date = value  # one date cell: a day, a month or a year, read as an interval below
            elif target in row and value != "":
                row[target] = value
        for column, table in mapping.values.items():
            if column not in ("attributed_system", "status") and row.get(column) in table:
                row[column] = table[row[column]]
        row["side_losing"] = ctx.side_of(row["side_losing"])  # the source's own side wins over --side
        if single_date:
            problem = _set_interval(row, single_date, mapping.date_format)
            if problem:
                ctx.reject(line, problem, values)
                continue
        row["quantity"] = row["quantity"] or "1"
        items = items_in(row["quantity"], 1)
        status_text = row["status"]
        systems = []
        if status_text and status_text not in vocab.STATUSES:
            systems = set_status(row, status_text, ctx, items)
        else:
            row["status_as_reported"] = row["status_as_reported"] or status_text
        if row["attributed_system"]:
            named = row["attributed_system"]
            row["attributed_system"] = ""
            attribute(row, [named, *systems], ctx, items)
        else:
            attribute(row, systems, ctx, items)
        if row["category"] not in vocab.LOSS_CATEGORIES:
            row["category"] = category(row["category"], ctx, items)
        row["record_kind"] = row["record_kind"] or ("item" if row["quantity"] == "1" else "aggregate")
        key_columns = mapping.id_columns or sorted(values)
        row["loss_id"] = row["loss_id"] or stable_id(
            "csv", src.path.name if not mapping.id_columns else "", *(values[c] for c in key_columns)
        )
        records.append(Record(row, line, values))
    return records, []


def _check_mapping(src: SourceTable, mapping: MappingFile) -> None:
    """Refuse a mapping that would silently empty or overwrite a ledger column for this source."""
    if not mapping.columns and not set(src.header) & set(columns_of("losses")):
        raise ImportUsageError(
            f"{src.path.name} has none of the ledger's columns; give a mapping file (--map) with a [columns] "
            "section (see README, 'Importing your own table')",
            IssueCode.NO_MAPPING,
        )
    for option, names in (("[columns]", list(mapping.columns)), ("options.id_columns", mapping.id_columns)):
        if missing := [c for c in names if c not in src.header]:
            raise ImportUsageError(
                f"the mapping file's {option} names column {missing[0]!r}, which {src.path.name} does not have"
                f"{closest(missing[0], src.header)}; its columns are {listing(src.header)}. A mapped column that is "
                "missing would leave its ledger column empty on every row, so nothing was imported",
                IssueCode.MISSING_MAPPED_COLUMN,
            )
    for source_column, target in mapping.columns.items():
        if target in src.header and target not in mapping.columns:
            raise ImportUsageError(
                f"{src.path.name} has a column {target!r} (a ledger column) and the mapping also maps "
                f"{source_column!r} to {target}; map one of them to another column, so neither's values silently "
                "replace the other's",
                IssueCode.AMBIGUOUS_MAPPED_COLUMN,
            )


def _set_interval(row: dict[str, str], text: str, date_format: str | None) -> str | None:
    """Fill a row's date interval from one date cell (through ``date_format`` if given); return a problem or None."""
    day = text
    if date_format:
        try:
            day = dt.datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            return f"date {text!r} does not match options.date_format {date_format!r}"
    interval = interval_of(day)
    if interval is None:
        return f"date {text!r} is not a day, a month or a year (YYYY-MM-DD, YYYY-MM, YYYY); set options.date_format"
    row["date_earliest"] = row["date_earliest"] or interval[0]
    row["date_latest"] = row["date_latest"] or interval[1]
    row["date_as_reported"] = row["date_as_reported"] or text
    return None


def adapt_ledger(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Rows already in ledger form, e.g. exported from another ledger."""
    records = []
    for values, line in zip(src.rows, src.lines, strict=True):
        row = ctx.base_row()
        row.update({k: v for k, v in values.items() if k in row and v != ""})
        row["side_losing"] = ctx.side_of(row["side_losing"])  # the source's own side wins over --side
        if "date_precision" in values and not (row["date_earliest"] or row["date_latest"]):  # drone-ledger 0.1 rows
            old = from_old_columns(values.get("date") or None, values["date_precision"] or None)
            if old is None:
                ctx.reject(
                    line,
                    f"date {values.get('date')!r} / date_precision {values['date_precision']!r} "
                    "cannot be read as a date interval",
                    values,
                )
                continue
            row["date_earliest"], row["date_latest"], row["date_as_reported"] = old
        records.append(Record(row, line, values))
    return records, []


ADAPTERS: dict[str, Adapter] = {
    "oryx-wide": adapt_oryx_wide,
    "oryx-long": adapt_oryx_long,
    "csv": adapt_csv,
    "ledger": adapt_ledger,
    "oryx-page": adapt_oryx_page,
    "warspotting": adapt_warspotting,
}


def detect_format(header: list[str], mapping: MappingFile) -> str:
    """Tell the source's format from its header (or the mapping file)."""
    columns = set(header)
    if mapping.source_format and mapping.source_format != "auto":
        return mapping.source_format
    if tuple(header) == PAGE_COLUMNS:  # an Oryx page, read as its table of items
        return "oryx-page"
    if is_warspotting(header):
        return "warspotting"
    if {"equipment", "model"} <= columns and ("losses_total" in columns or any(" by " in c for c in columns)):
        return "oryx-wide"
    if set(LONG_REQUIRED) <= columns:
        return "oryx-long"
    if set(required_columns("losses")) <= columns:
        return "ledger"
    if mapping.columns:
        return "csv"
    raise ImportUsageError(
        "cannot tell the format of this table from its header; pass --from oryx-wide, oryx-long, warspotting or "
        "ledger, or --from csv with a mapping file (--map)",
        IssueCode.UNKNOWN_FORMAT,
    )


# --- the import itself --------------------------------------------------------------------------------------------
