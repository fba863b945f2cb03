"""Merging an import's records into a ledger, validating the result, and committing it.

The records are merged into the ledger's losses by id (new ids are added, changed
ones updated, identical ones counted as duplicates; records of one source that share
an id but differ are all rejected). The merged ledger is serialised exactly as it
would be written, parsed back and validated with the same rules as ``drone-ledger
validate``; records with errors are rejected with their reasons. Unless the import
is refused (``--strict`` with unmapped values, invalid records without
``--keep-valid``, or ``--keep-valid`` with nothing valid to keep), the files are
committed in one step by :func:`drone_ledger.storage.commit_files` — inside
:func:`drone_ledger.writing.open_for_write`, the one door to a ledger that changes,
which has read every table in full. Rows the import does not change are written
back byte for byte (:mod:`drone_ledger.tabletext`); a rejected update leaves its row
as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from drone_ledger.errors import ImportUsageError, IssueCode
from drone_ledger.layout import TABLES, columns_of
from drone_ledger.ledger import Ledger
from drone_ledger.loading import DEFAULT_MAX_FIELD, Table, parse_table
from drone_ledger.results.core import ValidationReport
from drone_ledger.results.ledger import ImportReport
from drone_ledger.safecsv import safe_csv_text
from drone_ledger.scopes import split_list
from drone_ledger.storage import (
    check_rejects_directory,
    check_replaceable,
    commit_files,
    csv_cells_text,
    csv_text,
    write_rejects,
)
from drone_ledger.textfile import shorten
from drone_ledger.validation import validate_ledger

from .context import Context, LossRow, Record, items_in
from .source import SourceTable

__all__ = ["merge_and_write"]


def text_rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    """A typed table as text rows, the way it is written to disk (column by column: ~6x faster than per cell)."""
    names = [str(name) for name in frame.columns]
    columns = [[v if isinstance(v, str) else _cell_text(v) for v in frame[name].tolist()] for name in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _cell_text(value: Any) -> str:
    """A cell that is not text as it is written: empty for a missing value (NaN, None, NA), else its text."""
    if isinstance(value, float):
        return "" if value != value else str(value)
    return "" if value is None or pd.isna(value) else str(value)


@dataclass
class Merge:
    """The ledger's losses with the records merged in: rows by id in file order, and which ids the import touched."""

    existing: dict[str, dict[str, str]]
    rows: dict[str, Mapping[str, str]]
    order: list[str]
    touched: dict[str, Record] = field(default_factory=dict)

    @property
    def added(self) -> list[str]:
        """Ids the import adds."""
        return [i for i in self.touched if i not in self.existing]

    @property
    def updated(self) -> list[str]:
        """Ids the import changes."""
        return [i for i in self.touched if i in self.existing]


def merge_and_write(
    report: ImportReport,
    ledger: Ledger,
    records: list[Record],
    aggregates: list[dict[str, str]],
    ctx: Context,
    *,
    dry_run: bool,
    keep_valid: bool,
    strict: bool,
    src: SourceTable,
) -> None:
    """Merge, validate and (unless refused or a dry run) commit; fill in ``report`` as it goes.

    ``ledger`` is read as :func:`drone_ledger.writing.load_for_write` reads it (every table in full, its bytes
    kept).
    """
    merge = _merge(report, ledger, records)
    files = _Files(ledger, merge, ctx, aggregates)
    candidate, written = files.serialise()
    invalid = _over_the_ledger_limit(candidate, merge)  # a cell the ledger could not read back
    if invalid:
        candidate, written = files.serialise(set(invalid))
    invalid.update(_invalid_records(candidate, validate_ledger(candidate), files.order(set(invalid)), merge.touched))
    for loss_id, reasons in invalid.items():
        record = merge.touched[loss_id]
        report.rejects.append({"source_line": record.source_line, "reasons": reasons, "values": record.source_values})
    report.rejected = len(report.rejects)
    report.added = len([i for i in merge.added if i not in invalid])
    report.updated = len([i for i in merge.updated if i not in invalid])
    report.rejects.sort(key=lambda r: r["source_line"])
    _count_items_by_system(report, merge, invalid)
    report.refused = _refusal(report, strict=strict, keep_valid=keep_valid)
    if report.refused:
        return
    if invalid:  # keep_valid: check that what is left is valid on its own (e.g. nothing pointed at a rejected row)
        remaining, written = files.serialise(set(invalid))
        still = validate_ledger(remaining)
        if not still.valid:
            report.refused = f"the valid records are not valid without the rejected ones ({still.errors[0].message})"
            return
    changed = [i for i in merge.touched if i not in invalid]  # a rejected record changes nothing
    if not changed and not ctx.new_systems and not files.aggregates_changed:
        if report.rejected:  # --keep-valid, and every record that is not already in the ledger was rejected
            report.refused = (
                f"--keep-valid: {report.rejected:,} record(s) were rejected and the rest are already in the ledger, "
                "so there is nothing to keep and nothing was written (not even a rejects file); fix them in the "
                "source (the reasons are listed) and import again"
            )
        return  # nothing new: not one file is written, not even a rejects file
    if dry_run:
        return
    _commit(report, ledger, written, src, keep_valid=keep_valid)


def _over_the_ledger_limit(candidate: Ledger, merge: Merge) -> dict[str, list[str]]:
    """Records with a cell longer than a ledger is read with (``--max-field`` may let a source hold one): each is
    rejected, since the ledger could not be read back with it. Looked for only when the merged losses.csv has one.
    """
    if not any(i.code == IssueCode.FIELD_TOO_LARGE for i in candidate.tables["losses"].issues):
        return {}
    limit = DEFAULT_MAX_FIELD
    over: dict[str, list[str]] = {}
    for loss_id, record in merge.touched.items():
        long = [column for column, value in record.row.items() if len(value) > limit]
        if long:
            over[loss_id] = [
                f"{column}: field-too-large: {len(record.row[column]):,} characters, over the {limit:,} a ledger "
                "cell is read with; shorten it in the source"
                for column in long
            ]
    return over


def _merge(report: ImportReport, ledger: Ledger, records: list[Record]) -> Merge:
    """Merge the records into the ledger's losses; count duplicates and reject records that conflict."""
    loss_columns = list(dict.fromkeys([*columns_of("losses"), *ledger["losses"].columns]))
    existing = {row["loss_id"]: row for row in text_rows(ledger["losses"])}
    merge = Merge(existing, dict(existing), list(existing))
    seen: set[str] = set()
    conflicting = _conflicting_records(records)
    for line, reason, values in conflicting.values():
        report.rejects.append({"source_line": line, "reasons": [reason], "values": values})
    for n, record in enumerate(records):
        if n in conflicting:
            continue
        loss_id = record.row["loss_id"]
        if loss_id in seen:
            report.duplicates += 1  # the same row again (rows that differ were rejected above)
            continue
        seen.add(loss_id)
        if loss_id not in existing:
            merge.rows[loss_id] = record.row  # csv_text writes "" for a column the row lacks
            merge.order.append(loss_id)
            merge.touched[loss_id] = record
            continue
        row = {c: record.row.get(c, "") for c in loss_columns}
        old = existing[loss_id]
        diffs = [(c, old.get(c, ""), row[c]) for c in columns_of("losses") if old.get(c, "") != row[c]]
        if not diffs:
            report.duplicates += 1
            continue
        merge.rows[loss_id] = {**old, **row}
        merge.touched[loss_id] = record
        report.changes.extend({"loss_id": loss_id, "column": c, "old": o, "new": n} for c, o, n in diffs)
    return merge


class _Files:
    """The files an import would write, and the ledger they make.

    Rows the import does not change are copied from the file as they were (:meth:`TableText.rewrite`) whenever the
    file's header has every column the new rows need; otherwise (a file in drone-ledger 0.1's date columns, or
    without an optional column the import fills) every row is written again from its values, in the documented
    column order.
    """

    def __init__(self, ledger: Ledger, merge: Merge, ctx: Context, aggregates: list[dict[str, str]]) -> None:
        self.ledger, self.merge, self.ctx = ledger, merge, ctx
        losses = ledger.tables["losses"]
        self.loss_columns, self.losses_copied = _columns_to_write(
            losses, lambda c: any(r.row.get(c, "") for r in merge.touched.values())
        )
        numbers = _record_numbers(losses)  # where each row is in the file (a join may have left rows out)
        self.losses_copied = self.losses_copied and numbers is not None
        self.loss_index = dict(zip(merge.existing, numbers or [], strict=False))
        self.systems_rows = text_rows(ledger["systems"])
        self.existing_aggregates = {row["aggregate_id"]: row for row in text_rows(ledger["aggregates"])}
        self.aggregates = dict(self.existing_aggregates)
        for row in aggregates:
            old = self.existing_aggregates.get(row["aggregate_id"], {})
            self.aggregates[row["aggregate_id"]] = {**old, **row}

    @property
    def aggregates_changed(self) -> bool:
        """True when the import adds or changes a printed total."""
        return self.aggregates != self.existing_aggregates

    def order(self, rejected: AbstractSet[str] = frozenset()) -> list[str]:
        """The loss ids of the merged losses.csv, in file order: a rejected update keeps its row, a rejected new
        record is left out."""
        existing = self.merge.existing
        return [i for i in self.merge.order if i not in rejected or i in existing]

    def serialise(self, rejected: AbstractSet[str] = frozenset()) -> tuple[Ledger, dict[str, str]]:
        """The ledger the files would make without the ``rejected`` records, parsed from exactly their text, and
        the files (name -> text)."""
        ledger = self.ledger
        files = {"losses.csv": self._losses_text(rejected)}
        if self.ctx.new_systems:
            files["systems.csv"] = _rewritten(
                ledger.tables["systems"],
                self.systems_rows,
                [*range(len(self.systems_rows)), *self.ctx.new_systems.values()],
            )
        if self.aggregates_changed:
            rows = list(self.existing_aggregates.values())
            index = {aggregate_id: n for n, aggregate_id in enumerate(self.existing_aggregates)}
            files["aggregates.csv"] = _rewritten(
                ledger.tables["aggregates"],
                rows,
                [
                    index[aggregate_id] if self.existing_aggregates.get(aggregate_id) == row else row
                    for aggregate_id, row in self.aggregates.items()
                ],
            )
        tables = dict(ledger.tables)
        for name, spec in TABLES.items():
            if spec.filename in files:  # read back as the ledger is read: the next command reads it so
                tables[name] = parse_table(files[spec.filename].lstrip("\ufeff"), ledger.path / spec.filename, spec)
        return Ledger(ledger.path, tables), files

    def _losses_text(self, rejected: AbstractSet[str]) -> str:
        names = self.loss_columns
        shape = tuple(names)
        merge, index, existing = self.merge, self.loss_index, self.merge.existing

        def rows() -> Iterator[int | Sequence[str]]:
            for loss_id in merge.order:
                kept = loss_id not in merge.touched or loss_id in rejected
                if kept and loss_id not in existing:
                    continue  # a rejected new record
                if kept and self.losses_copied:
                    yield index[loss_id]
                    continue
                row = existing[loss_id] if kept else merge.rows[loss_id]
                if isinstance(row, LossRow) and row.names == shape:
                    yield row.cells  # an imported row (most of a large import) as it is
                else:
                    yield tuple(row.get(c, "") for c in names)

        text = self.ledger.tables["losses"].original
        if self.losses_copied and text is not None:
            return text.rewrite(rows())
        return csv_cells_text(names, rows)  # type: ignore[arg-type]  # no int: nothing is copied


def _columns_to_write(table: Table, needed: Callable[[str], bool]) -> tuple[list[str], bool]:
    """The columns a rewritten table has, and whether its unchanged rows can be copied from the file.

    They can when the file's header has every required column and every optional column the new rows fill: the
    header is then kept as it is (its order and any columns of the file's own).
    """
    spec = table.spec
    if table.original is not None and _record_numbers(table) is not None:
        header = table.original.header
        missing = [c for c in spec.columns if c not in header]
        if not any(c not in spec.optional_columns or needed(c) for c in missing):
            return header, True
    return list(dict.fromkeys([*spec.columns, *table.frame.columns])), False


def _record_numbers(table: Table) -> list[int] | None:
    """Each row's record number in the file it was read from, found by the line it starts on (rows may have been
    left out since: a join retires rows it merges); None when a row cannot be found there."""
    original = table.original
    if original is None or len(table.lines) != len(table):
        return None
    lines = table.lines
    numbers = np.searchsorted(original.lines, lines)
    if len(lines) and (numbers.max() >= len(original.lines) or not np.array_equal(original.lines[numbers], lines)):
        return None
    return [int(n) for n in numbers]


def _rewritten(table: Table, existing: list[dict[str, str]], rows: list[int | dict[str, str]]) -> str:
    """A table with ``rows``: an ``int`` is that existing row (its position in the table), copied from the file when
    its header allows (:func:`_columns_to_write`); a dict is a new or changed row."""
    columns, copied = _columns_to_write(table, lambda c: any(isinstance(r, dict) and r.get(c, "") for r in rows))
    numbers = _record_numbers(table)
    if copied and table.original is not None and numbers is not None:
        return table.original.rewrite(
            numbers[r] if isinstance(r, int) else tuple(r.get(c, "") for c in columns) for r in rows
        )
    return csv_text(columns, [existing[r] if isinstance(r, int) else r for r in rows])


def _count_items_by_system(report: ImportReport, merge: Merge, invalid: dict[str, list[str]]) -> None:
    """What each system gained: items added or updated (a loss credited to two systems counts for both)."""
    for loss_id in merge.added + merge.updated:
        if loss_id in invalid:
            continue
        row = merge.rows[loss_id]
        quantity = items_in(row["quantity"], 0)
        also = row.get("attributed_also", "")
        for system in [row["attributed_system"], *split_list(also)] if also else [row["attributed_system"]]:
            report.items_by_system[system] = report.items_by_system.get(system, 0) + quantity
    report.items_by_system = dict(sorted(report.items_by_system.items(), key=lambda kv: (-kv[1], kv[0])))


def _refusal(report: ImportReport, *, strict: bool, keep_valid: bool) -> str | None:
    """Why the import writes nothing: unmapped values under --strict, or invalid records without --keep-valid."""
    unmapped = sum(n for counts in report.unmapped.values() for n in counts.values())
    if strict and unmapped:
        kinds = ", ".join(f"{sum(v.values())} {k}" for k, v in sorted(report.unmapped.items()))
        return (
            f"--strict: {kinds} value(s) are unmapped; map them in a mapping file (--map) "
            "or with --add-systems, then import again"
        )
    if report.rejected and not keep_valid:
        return (
            f"{report.rejected} record(s) are invalid, so nothing was written; fix them in the source, "
            "or pass --keep-valid to import the valid ones and write the rest to a rejects file"
        )
    return None


def _commit(report: ImportReport, ledger: Ledger, files: dict[str, str], src: SourceTable, *, keep_valid: bool) -> None:
    """Write the rejects file (with --keep-valid), then commit the files; a failed commit removes the rejects."""
    root = ledger.path
    rejects_path = None
    check_replaceable(root, files)  # a symbolic link among the tables: refused before the rejects are written
    folder_was_there = True
    if keep_valid and report.rejects:
        folder_was_there = check_rejects_directory(root).is_dir()  # a file or a link named rejects: refused
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        rows = [
            {"source_line": str(r["source_line"]), "reasons": " | ".join(r["reasons"]), **r["values"]}
            for r in report.rejects
        ]
        rejects_path = write_rejects(
            root, report.source, stamp, safe_csv_text(["source_line", "reasons", *src.header], rows)
        )
    try:
        commit_files(root, files)  # the text that was validated
    except BaseException:
        if rejects_path is not None:  # the rejects belong to an import that did not happen
            rejects_path.unlink(missing_ok=True)
            if not folder_was_there:
                with contextlib.suppress(OSError):
                    rejects_path.parent.rmdir()
        raise
    report.rejects_file = str(rejects_path) if rejects_path else None
    report.written = True


def _conflicting_records(records: list[Record]) -> dict[int, tuple[int, str, dict[str, str]]]:
    """Records that share a loss id with another record of the same source but differ from it.

    Returns ``{position in records: (source line, reason, source values)}``. Identical repeats are not
    conflicts (they count as duplicates); records that differ are all rejected, each naming the other lines,
    because keeping either would silently drop the other. Linear in the records: each reason names at most a few
    other lines and values, however many rows share the id.
    """
    first: dict[str, int] = {}  # a list of positions for every id would cost ~100 bytes a record
    repeats: dict[str, list[int]] = defaultdict(list)
    for n, record in enumerate(records):
        loss_id = record.row["loss_id"]
        if first.setdefault(loss_id, n) != n:
            repeats[loss_id].append(n)
    conflicting: dict[int, tuple[int, str, dict[str, str]]] = {}
    for loss_id in sorted(repeats, key=first.__getitem__):  # in the order the ids first appear
        positions = [first[loss_id], *repeats[loss_id]]
        rows = [records[n].row for n in positions]
        column = next((c for c in rows[0] if any(r.get(c, "") != rows[0].get(c, "") for r in rows)), None)
        if column is None:
            continue
        lines = [records[n].source_line for n in positions]
        values = list(dict.fromkeys(r.get(column, "") for r in rows))
        shown = ", ".join(shorten(repr(v), 30) for v in values[:_SHOWN]) + _more(len(values) - _SHOWN, "value")
        head = lines[: _SHOWN + 1]
        for n in positions:
            line = records[n].source_line
            others = [other for other in head if other != line][:_SHOWN]
            rest = len(lines) - 1 - len(others)
            listed = ", ".join(str(other) for other in others) or "the same line"
            reason = (
                f"loss_id {loss_id}: also on source line(s) {listed}{_more(rest, 'line')} with a different {column} "
                f"({shown}); each id must stand for one loss: fix the source, or give the rows their own ids"
            )
            conflicting[n] = (line, reason, records[n].source_values)
    return conflicting


#: How many other lines and values a reason names (the rest are counted).
_SHOWN = 5


def _more(count: int, what: str) -> str:
    return f" and {count:,} more {what}{'s' if count != 1 else ''}" if count > 0 else ""


def _invalid_records(
    merged: Ledger, report: ValidationReport, order: list[str], touched: dict[str, Record]
) -> dict[str, list[str]]:
    """Errors on imported rows, by loss id; an error on any other row means the merge itself is wrong."""
    invalid: dict[str, list[str]] = defaultdict(list)
    losses = merged.tables["losses"]
    for issue in report.errors:
        row = losses.row_at_line(issue.line) if issue.table == "losses" and issue.line is not None else None
        if row is not None and order[row] in touched:
            invalid[order[row]].append(f"{issue.column}: {issue.code}: {issue.message}")
            continue
        # The merged ledger is validated once; an error outside the imported rows was there before the import.
        raise ImportUsageError(
            f"the ledger at {report.ledger} already has errors (first: {issue.location()}: {issue.message}); "
            "fix them before importing (drone-ledger validate)",
            IssueCode.INVALID_LEDGER,
        )
    return dict(invalid)
