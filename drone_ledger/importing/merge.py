"""Merging an import's records into a ledger, validating the result, and committing it.

The records are merged into the ledger's losses by id (new ids are added, changed
ones updated, identical ones counted as duplicates; records of one source that share
an id but differ are all rejected). The merged ledger is serialised exactly as it
would be written, parsed back and validated with the same rules as ``drone-ledger
validate``; records with errors are rejected with their reasons. Unless the import
is refused (``--strict`` with unmapped values, or invalid records without
``--keep-valid``), the files are committed in one step by
:func:`drone_ledger.storage.commit_files` — inside :func:`drone_ledger.writing.open_for_write`,
the one door to a ledger that changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from drone_ledger.errors import ImportUsageError, IssueCode
from drone_ledger.layout import TABLES, columns_of
from drone_ledger.ledger import Ledger
from drone_ledger.loading import DEFAULT_MAX_FIELD, parse_table
from drone_ledger.results.core import ValidationReport
from drone_ledger.results.ledger import ImportReport
from drone_ledger.safecsv import safe_csv_text
from drone_ledger.scopes import split_list
from drone_ledger.storage import check_rejects_directory, commit_files, csv_cells_text, csv_text, write_rejects
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
    max_field: int = DEFAULT_MAX_FIELD,
) -> None:
    """Merge, validate and (unless refused or a dry run) commit; fill in ``report`` as it goes."""
    merge = _merge(report, ledger, records)
    files = _Files(ledger, merge, ctx, aggregates, max_field)
    candidate, written = files.serialise(merge.order)
    invalid = _invalid_records(candidate, validate_ledger(candidate), merge.order, merge.touched)
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
        remaining, written = files.serialise([i for i in merge.order if i not in invalid])
        still = validate_ledger(remaining)
        if not still.valid:
            report.refused = f"the valid records are not valid without the rejected ones ({still.errors[0].message})"
            return
    changed = [i for i in merge.touched if i not in invalid]  # a rejected record changes nothing
    if dry_run or not changed and not ctx.new_systems and not files.aggregates_changed:
        return  # nothing new: not one file is written, not even a rejects file
    _commit(report, ledger, written, src, keep_valid=keep_valid)


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
    """The files an import would write, and the ledger they make."""

    def __init__(
        self, ledger: Ledger, merge: Merge, ctx: Context, aggregates: list[dict[str, str]], max_field: int
    ) -> None:
        self.ledger, self.merge, self.ctx, self.max_field = ledger, merge, ctx, max_field
        self.loss_columns = list(dict.fromkeys([*columns_of("losses"), *ledger["losses"].columns]))
        self.systems_rows = text_rows(ledger["systems"]) + list(ctx.new_systems.values())
        self.existing_aggregates = {row["aggregate_id"]: row for row in text_rows(ledger["aggregates"])}
        self.aggregates = {**self.existing_aggregates, **{a["aggregate_id"]: a for a in aggregates}}

    @property
    def aggregates_changed(self) -> bool:
        """True when the import adds or changes a printed total."""
        return self.aggregates != self.existing_aggregates

    def serialise(self, loss_ids: list[str]) -> tuple[Ledger, dict[str, str]]:
        """The ledger the files would make, parsed from exactly their text, and the files (name -> text)."""
        ledger = self.ledger
        files = {"losses.csv": csv_cells_text(self.loss_columns, lambda: self._loss_cells(loss_ids))}
        if self.ctx.new_systems:
            files["systems.csv"] = csv_text(list(ledger["systems"].columns), self.systems_rows)
        if self.aggregates_changed:
            files["aggregates.csv"] = csv_text(list(ledger["aggregates"].columns), list(self.aggregates.values()))
        tables = dict(ledger.tables)
        for name, spec in TABLES.items():
            if spec.filename in files:  # the same --max-field as the source: a long cell it accepted stays readable
                tables[name] = parse_table(files[spec.filename], ledger.path / spec.filename, spec, self.max_field)
        return Ledger(ledger.path, tables), files

    def _loss_cells(self, loss_ids: list[str]) -> Iterator[Sequence[str]]:
        """Each loss row's cells in the order of losses.csv's columns ("" for a column a row lacks)."""
        names = self.loss_columns
        shape = tuple(names)
        for loss_id in loss_ids:
            row = self.merge.rows[loss_id]
            if isinstance(row, LossRow) and row.names == shape:
                yield row.cells  # an imported row (most of a large import) as it is
            else:
                yield tuple(row.get(c, "") for c in names)


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
    if keep_valid and report.rejects:
        check_rejects_directory(root)  # a file or a link named rejects: refused before anything is written
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
        raise
    report.rejects_file = str(rejects_path) if rejects_path else None
    report.written = True


def _conflicting_records(records: list[Record]) -> dict[int, tuple[int, str, dict[str, str]]]:
    """Records that share a loss id with another record of the same source but differ from it.

    Returns ``{position in records: (source line, reason, source values)}``. Identical repeats are not
    conflicts (they count as duplicates); records that differ are all rejected, each naming the other lines,
    because keeping either would silently drop the other.
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
        differing = [c for c in rows[0] if len({r.get(c, "") for r in rows}) > 1]
        if not differing:
            continue
        column = differing[0]
        lines = [records[n].source_line for n in positions]
        shown = ", ".join(shorten(repr(r.get(column, "")), 30) for r in rows)
        for n in positions:
            others = ", ".join(str(line) for line in lines if line != records[n].source_line) or "the same line"
            reason = (
                f"loss_id {loss_id}: also on source line(s) {others} with a different {column} ({shown}); "
                "each id must stand for one loss: fix the source, or give the rows their own ids"
            )
            conflicting[n] = (records[n].source_line, reason, records[n].source_values)
    return conflicting


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
