"""Import researchers' loss tables into a ledger, keeping attribution and losing nothing.

Formats (``source_format``):

* ``oryx-wide`` — Oryx-derived per-model tables: ``equipment, model, sub_model,
  manufacturer, losses_total`` and one count column per Oryx status string
  (``destroyed by Orion`` …). Each non-zero count becomes an aggregate loss row;
  each source row's ``losses_total`` becomes a printed total in aggregates.csv.
* ``oryx-long`` — Oryx-derived per-item tables: ``country, system, status, url,
  date_recorded`` (+ ids). One loss per row; ``country`` is the side that lost it.
* ``csv`` — any table, read through a TOML mapping file (column renames, value
  maps, constants, date format).
* ``ledger`` — rows already in ledger form.

Every import validates the merged ledger before writing; refuses (writes
nothing) when a record is invalid unless asked to keep the valid ones; is
idempotent (a stable ``loss_id`` from the source's natural key); replaces
files atomically under a lock; and reports rows read = added + updated +
duplicates + rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import vocab
from .dates import from_old_columns, interval_of
from .errors import DroneLedgerError
from .loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD
from .oryx import ParsedStatus, clean_model, parse_status
from .schemas import TABLES, columns_of, required_columns
from .scopes import split_list
from .storage import atomic_write_text, commit_files, csv_text, ledger_lock

FORMATS = ("auto", "ledger", "oryx-wide", "oryx-long", "csv")
WIDE_FIXED = ("equipment", "model", "sub_model", "manufacturer", "losses_total")
LONG_REQUIRED = ("country", "system", "status", "url")

#: Common spellings of systems -> system ids of the bundled systems table. Names and ids in the ledger's own
#: systems.csv always match too (case-insensitively), and a mapping file's [values.attributed_system] adds more.
SYSTEM_ALIASES = {
    "bayraktar tb2": "bayraktar-tb2",
    "tb2": "bayraktar-tb2",
    "tb-2": "bayraktar-tb2",
    "harop": "iai-harop",
    "iai harop": "iai-harop",
    "skystriker": "elbit-skystriker",
    "orbiter 1k": "aeronautics-orbiter",
    "orbiter-1k": "aeronautics-orbiter",
    "loitering munition": "loitering-munition-unknown",
    "loitering munitions": "loitering-munition-unknown",
    "drone": "drone-unknown",
    "uav": "drone-unknown",
    "artillery": "artillery",
    "atgm": "atgm",
}

ProgressCallback = Callable[[int, int], None]


class ImportSourceError(DroneLedgerError):
    """The source file cannot be read as a table (missing, binary, wrong encoding, malformed)."""

    code = "unreadable-source"


class ImportUsageError(DroneLedgerError):
    """The import was asked for something it cannot do (missing option, unknown format or conflict)."""

    exit_code = 2
    code = "import-usage"


class MappingFileError(DroneLedgerError):
    """The TOML mapping file is unreadable or has keys of the wrong kind."""

    exit_code = 2
    code = "bad-mapping-file"


# --- reading the source ----------------------------------------------------------------------------------------


@dataclass
class SourceTable:
    """A source file read as text rows, each with the line it starts on."""

    path: Path
    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int]
    encoding: str
    delimiter: str


def sniff_delimiter(header_line: str) -> str:
    """Pick the delimiter the header line uses most (comma, semicolon, tab or pipe), outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_source(
    path: Path,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field: int = DEFAULT_MAX_FIELD,
) -> SourceTable:
    """Read a CSV source, refusing with a clear message what it cannot read correctly.

    UTF-8 (with or without a byte-order mark) is read by default; any other
    encoding must be named. The delimiter is taken from the header line unless
    given.

    Raises
    ------
    ImportSourceError
        Missing file, a directory, binary content, wrong encoding, no header,
        or malformed CSV (with the line).
    """
    name = path.name
    if not path.exists():
        raise ImportSourceError(f"{path} does not exist; check the path", "missing-file")
    if path.is_dir():
        raise ImportSourceError(f"{path} is a directory; give the CSV file to import", "not-a-file")
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportSourceError(
            f"{name} is {size:,} bytes, over the limit of {max_bytes:,}; pass --max-bytes {size} to read it anyway",
            "file-too-large",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportSourceError(
            f"cannot read {path}: {exc.strerror}; check its permissions", "unreadable-file"
        ) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding is None:
        raise ImportSourceError(f"{name} is UTF-16 text; pass --encoding utf-16 (or re-save it as UTF-8)", "utf-16")
    if b"\x00" in raw[:4096] and not (encoding or "").lower().startswith("utf-16"):
        raise ImportSourceError(
            f"{name} is a binary file (a spreadsheet or an image?), not CSV; export it as CSV", "binary-file"
        )
    chosen = encoding or "utf-8-sig"
    try:
        text = raw.decode(chosen)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportSourceError(
            f"{name} is not {'UTF-8' if encoding is None else chosen} text (byte 0x{raw[exc.start]:02x} on line "
            f"{line}); pass --encoding cp1252 if it came from Excel on Windows, or re-save it as UTF-8",
            "not-utf8",
        ) from exc
    except LookupError as exc:
        raise ImportSourceError(f"{chosen!r} is not an encoding Python knows", "unknown-encoding") from exc
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportSourceError(f"{name} is empty; it needs a header line and rows", "empty-file")
    first_line = _FIRST_LINE(text).group()  # text.splitlines()[0], without splitting the whole file
    sep = delimiter or sniff_delimiter(first_line)
    if chosen.replace("_", "-").lower() in ("utf-8-sig", "utf-8", "utf8"):
        fast = _scan_source(path, raw, sep, max_field, chosen)
        if fast is not None:
            return fast
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    previous_limit = csv.field_size_limit(max_field)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    header: list[str] = []
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not header:
                header = [h.strip() for h in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(header):
                raise ImportSourceError(
                    f"{name}:{start}: {len(record)} fields where the header has {len(header)}; check the delimiter "
                    f"({sep!r}) and the quoting on that line",
                    "too-many-fields",
                )
            rows.append({h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header)})
            lines.append(start)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportSourceError(
                f"{name}:{reader.line_num}: a cell is longer than {max_field:,} characters; pass --max-field with a "
                "larger limit if it is real, or check for an unclosed quote before that line",
                "field-too-large",
            ) from exc
        raise ImportSourceError(
            f"{name}:{reader.line_num}: not well-formed CSV ({exc}); check the quoting", "csv-parse-error"
        ) from exc
    finally:
        csv.field_size_limit(previous_limit)
    return SourceTable(path, header, rows, lines, chosen, sep)


#: Everything up to the first line boundary str.splitlines() knows.
_FIRST_LINE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]*").match


def _scan_source(path: Path, raw: bytes, sep: str, max_field: int, encoding: str) -> SourceTable | None:
    """A well-formed source read in one pyarrow pass (see :func:`drone_ledger.loading.scan_csv`), else None."""
    import numpy as np
    import pyarrow.compute as pc

    from .loading import scan_csv

    scanned = scan_csv(raw, max_field, sep)
    if scanned is None:
        return None
    header = [h.strip() for h in scanned.header]
    if len(set(header)) != len(header):
        return None  # repeated column names: the csv-module path keeps the last, as before
    blank = np.ones(len(scanned.lines), dtype=bool)  # a row whose every cell is empty is skipped
    for column in scanned.columns:
        blank &= pc.is_null(column).to_numpy(zero_copy_only=False)
    keep = ~blank
    values = [column.filter(keep).fill_null("").to_pylist() for column in scanned.columns]
    rows = [dict(zip(header, cells, strict=True)) for cells in zip(*values, strict=True)]
    return SourceTable(path, header, rows, scanned.lines[keep].tolist(), encoding, sep)


# --- the mapping file --------------------------------------------------------------------------------------------


@dataclass
class Mapping:
    """A TOML mapping file: how a foreign table's columns and values become ledger ones."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    id_columns: list[str] = field(default_factory=list)
    source_format: str | None = None

    @classmethod
    def load(cls, path: Path) -> Mapping:
        """Read and check a mapping file; raise :class:`MappingFileError` naming the bad key."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise MappingFileError(f"mapping file {path} does not exist") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise MappingFileError(f"mapping file {path} is not valid TOML: {exc}") from exc
        known = {"format", "columns", "values", "constants", "options"}
        if unknown := sorted(set(data) - known):
            raise MappingFileError(
                f"{path}: unknown section(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}"
            )
        ledger_columns = set(columns_of("losses"))

        def strings(section: str, table: object) -> dict[str, str]:
            if not isinstance(table, dict) or not all(isinstance(v, str | int) for v in table.values()):
                raise MappingFileError(f"{path}: [{section}] must map names to text values")
            return {str(k): str(v) for k, v in table.items()}

        columns = strings("columns", data.get("columns", {}))
        if bad := sorted(set(columns.values()) - ledger_columns - {"date"}):  # date: one cell read as an interval
            raise MappingFileError(f"{path}: [columns] maps to unknown ledger column(s) {', '.join(bad)}")
        values_raw = data.get("values", {})
        if not isinstance(values_raw, dict):
            raise MappingFileError(f"{path}: [values] must hold one table per ledger column")
        values = {column: strings(f"values.{column}", table) for column, table in values_raw.items()}
        if bad := sorted(set(values) - ledger_columns):
            raise MappingFileError(f"{path}: [values] names unknown ledger column(s) {', '.join(bad)}")
        constants = strings("constants", data.get("constants", {}))
        if bad := sorted(set(constants) - ledger_columns):
            raise MappingFileError(f"{path}: [constants] names unknown ledger column(s) {', '.join(bad)}")
        options = data.get("options", {})
        if not isinstance(options, dict):
            raise MappingFileError(f"{path}: [options] must be a table")
        if unknown := sorted(set(options) - {"date_format", "encoding", "delimiter", "id_columns"}):
            raise MappingFileError(f"{path}: unknown option(s) {', '.join(unknown)}")
        id_columns = options.get("id_columns", [])
        if not isinstance(id_columns, list):
            raise MappingFileError(f"{path}: options.id_columns must be a list of source column names")
        source_format = data.get("format")
        if source_format is not None and source_format not in FORMATS:
            raise MappingFileError(f"{path}: format must be one of {', '.join(FORMATS)}")
        return cls(
            columns,
            values,
            constants,
            options.get("date_format"),
            options.get("encoding"),
            options.get("delimiter"),
            [str(c) for c in id_columns],
            source_format,
        )


# --- the report ---------------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import read, added, updated, skipped and rejected — and whether it wrote anything."""

    source: str
    source_format: str
    ledger: str
    dry_run: bool
    rows_read: int = 0
    records: int = 0
    added: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    written: bool = False
    refused: str | None = None
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    items_by_system: dict[str, int] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_systems: list[str] = field(default_factory=list)
    rejects_file: str | None = None

    @property
    def balanced(self) -> bool:
        """True when every record is accounted for: added + updated + duplicates + rejected = records."""
        return self.added + self.updated + self.duplicates + self.rejected == self.records

    @property
    def exit_code(self) -> int:
        """0 when the import went through (or would, for a dry run); 1 when it was refused."""
        return 1 if self.refused else 0

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "source": self.source,
            "format": self.source_format,
            "ledger": self.ledger,
            "dry_run": self.dry_run,
            "written": self.written,
            "refused": self.refused,
            "rows_read": self.rows_read,
            "records": self.records,
            "added": self.added,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "balanced": self.balanced,
            "unmapped": self.unmapped,
            "items_by_system": self.items_by_system,
            "new_systems": self.new_systems,
            "changes": self.changes,
            "rejects": self.rejects,
            "rejects_file": self.rejects_file,
            "notes": self.notes,
        }


# --- turning source rows into ledger rows -------------------------------------------------------------------------


@dataclass
class Record:
    """One candidate ledger row, with where it came from."""

    row: dict[str, str]
    source_line: int
    source_values: dict[str, str]


@dataclass
class Context:
    """Everything the adapters share: options, the system resolver, and what went unmapped."""

    conflict: str | None
    side: str | None
    source_url: str | None
    source_name: str | None
    mapping: Mapping
    systems: dict[str, str]  # normalised name -> system id
    add_systems: bool
    new_systems: dict[str, dict[str, str]] = field(default_factory=dict)
    unmapped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    rejects: list[dict[str, Any]] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    # Worked out once per import, not once per source row:
    _overrides: dict[str, str] | None = field(default=None, repr=False)
    _statuses: dict[str, ParsedStatus] = field(default_factory=dict, repr=False)
    _template: dict[str, str] | None = field(default=None, repr=False)

    def status(self, text: str) -> ParsedStatus:
        """The parsed status string (a source repeats a handful of them thousands of times)."""
        parsed = self._statuses.get(text)
        if parsed is None:
            parsed = self._statuses[text] = parse_status(text, self.mapping.values.get("status"))
        return parsed

    def base_row(self) -> dict[str, str]:
        """A fresh loss row with the context's conflict, side and mapped constants filled in."""
        if self._template is None:
            template = dict.fromkeys(columns_of("losses"), "")
            template.update({"conflict": self.conflict or "", "side_losing": self.side or ""})
            template.update(self.mapping.constants)
            self._template = template
        return self._template.copy()

    def reject(self, line: int, reason: str, values: dict[str, str]) -> None:
        self.rejects.append({"source_line": line, "reasons": [reason], "values": values})

    def resolve_systems(self, names: Iterable[str], items: int) -> tuple[list[str], list[str]]:
        """Map system names to ids; return (ids, names left unmapped). Unmapped names are never guessed."""
        ids, unmapped = [], []
        if self._overrides is None:
            self._overrides = {_norm(k): v for k, v in self.mapping.values.get("attributed_system", {}).items()}
        overrides = self._overrides
        for name in names:
            key = _norm(name)
            system = overrides.get(key) or self.systems.get(key)
            if system is None and self.add_systems:
                system = self._add_system(name)
            if system is None:
                self.unmapped["system"][name] += items
                unmapped.append(name)
            else:
                ids.append(system)
        return ids, unmapped

    def _add_system(self, name: str) -> str:
        system_id = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "system"
        while system_id in self.systems.values() and _norm(name) not in self.systems:
            system_id += "-x"
        self.systems[_norm(name)] = system_id
        self.new_systems[system_id] = {
            "system_id": system_id,
            "name": name,
            "family": "unknown",
            "supplier_country": "",
            "is_drone": "unknown",
            "turkish_supplied": "unknown",
            "source_url": "",
            "notes": "added by drone-ledger import (--add-systems); set its family, is_drone and turkish_supplied",
        }
        return system_id


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def stable_id(prefix: str, *parts: object) -> str:
    """A loss id derived from the source and its natural key: the same row always gets the same id."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}"


def _base_row(ctx: Context) -> dict[str, str]:
    return ctx.base_row()


def _attribute(row: dict[str, str], systems: list[str], ctx: Context, items: int) -> None:
    """Fill attributed_system / attributed_also / confidence from system names (unmapped ones stay unattributed)."""
    if not systems:
        row["attributed_system"] = row["attributed_system"] or vocab.UNATTRIBUTED
        return
    ids, unmapped = ctx.resolve_systems(systems, items)
    if ids:
        row["attributed_system"] = ids[0]
        row["attributed_also"] = vocab.LIST_SEPARATOR.join(dict.fromkeys(ids[1:]))
        row["attribution_confidence"] = row["attribution_confidence"] or "medium"
    else:
        row["attributed_system"] = vocab.UNATTRIBUTED
    if unmapped:
        row["notes"] = _join(row["notes"], f"attribution not mapped to a system: {', '.join(unmapped)}")


def _join(*parts: str) -> str:
    return "; ".join(filter(None, parts))


def _status(row: dict[str, str], text: str, ctx: Context, items: int) -> list[str]:
    """Set status from an Oryx-style status string; return the systems it credits."""
    parsed = ctx.status(text)
    row["status_as_reported"] = text
    if parsed.status is None:
        ctx.unmapped["status"][text] += items
        row["status"] = "unknown"
    else:
        row["status"] = parsed.status
    if parsed.party:
        row["notes"] = _join(row["notes"], f"'by {parsed.party}' names a party, not the weapon")
    return list(parsed.systems)


def _category(text: str, ctx: Context, items: int) -> str:
    mapped = ctx.mapping.values.get("category", {}).get(text, text)
    if mapped in vocab.CATEGORIES:
        return mapped
    ctx.unmapped["category"][text or "(not given)"] += items
    return "Unknown"


def _count(text: str) -> int | None:
    """Parse an Oryx count cell: empty = 0, '1.0' = 1; None for anything that is not a whole number >= 0."""
    if not text.strip():
        return 0
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number < 0 or number != int(number) or number > 2**53:
        return None
    return int(number)


def adapt_oryx_wide(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Per-model wide table -> one aggregate loss per non-zero status count, plus one printed total per row."""
    _require(ctx, ("conflict", "side", "source_url"), "oryx-wide", "an Oryx per-model table")
    missing = [c for c in ("equipment", "model") if c not in src.header]
    if missing:
        raise ImportUsageError(
            f"{src.path.name} lacks column(s) {', '.join(missing)} of the Oryx per-model format", "missing-column"
        )
    status_columns = [c for c in src.header if c and c not in WIDE_FIXED and not c.lower().startswith("unnamed")]
    source_name = ctx.source_name or "Oryx (per-model table)"
    records: list[Record] = []
    aggregates: list[dict[str, str]] = []
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 500 == 0:
            progress(n, len(src.rows))
        model, cleaned = clean_model(values.get("model", ""))
        if cleaned:
            ctx.notes["model names cleaned of scraper debris"] += 1
        sub_model = values.get("sub_model", "")
        full_model = f"{model} {sub_model}".strip()
        counts = {c: _count(values.get(c, "")) for c in status_columns}
        items = sum(v for v in counts.values() if v)
        category = _category(values.get("equipment", ""), ctx, items)
        key = (ctx.conflict, ctx.side, values.get("equipment", ""), model, sub_model)
        aggregate_id = stable_id("oryx-wide-row", *key)
        total = _count(values.get("losses_total", ""))
        if total is not None and values.get("losses_total", "").strip() and items:
            aggregates.append(
                {
                    "aggregate_id": aggregate_id,
                    "conflict": ctx.conflict or "",
                    "side_losing": ctx.side or "",
                    "category": category,
                    "total_as_printed": str(total),
                    "source_url": ctx.source_url or "",
                    "as_quoted_on": "",
                    "compiled_by": source_name,
                    "notes": f"losses_total of {full_model}",
                }
            )
        for column, count in counts.items():
            if count is None:
                ctx.reject(
                    line,
                    f"column {column!r}: {values[column]!r} is not a whole number of items",
                    {"model": full_model, column: values[column]},
                )
                continue
            if count == 0:
                continue
            row = _base_row(ctx)
            systems = _status(row, column, ctx, count)
            _attribute(row, systems, ctx, count)
            manufacturer = values.get("manufacturer", "")
            row.update(
                {
                    "loss_id": stable_id("oryx-wide", *key, column),
                    "date_as_reported": "whole-war tally",
                    "category": category,
                    "model": full_model,
                    "quantity": str(count),
                    "record_kind": "aggregate",
                    "aggregate_id": aggregate_id,
                    "source_name": source_name,
                    "source_url": ctx.source_url or "",
                    "notes": _join(
                        row["notes"], f"manufacturer: {manufacturer}" if manufacturer else "", cleaned or ""
                    ),
                }
            )
            records.append(Record(row, line, {"model": full_model, column: values[column]}))
    return records, aggregates


def adapt_oryx_long(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Per-item long table -> one item loss per row; ``country`` is the side that lost it."""
    _require(ctx, ("conflict",), "oryx-long", "an Oryx per-item table")
    missing = [c for c in LONG_REQUIRED if c not in src.header]
    if missing:
        raise ImportUsageError(
            f"{src.path.name} lacks column(s) {', '.join(missing)} of the Oryx per-item format", "missing-column"
        )
    source_name = ctx.source_name or "Oryx (per-item table)"
    default_category = ctx.mapping.constants.get("category", "")
    # A source repeats a few hundred status strings and categories: each is worked out once, and what it leaves
    # unmapped is counted again for every row that repeats it.
    attributions: dict[str, tuple[dict[str, str], dict[str, Counter[str]]]] = {}
    categories: dict[str, tuple[str, bool]] = {}
    records = []
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 2000 == 0:
            progress(n, len(src.rows))
        row = ctx.base_row()
        model, cleaned = clean_model(values["system"])
        if cleaned:
            ctx.notes["model names cleaned of a leading Oryx item number"] += 1
        status_text = values["status"]
        attribution = attributions.get(status_text)
        if attribution is None:
            attribution = attributions[status_text] = _attribution(status_text, ctx)
        else:
            for kind, counts in attribution[1].items():
                ctx.unmapped[kind].update(counts)
        row.update(attribution[0])
        category_text = values.get("category", "") or default_category
        known = categories.get(category_text)
        if known is None:
            before = ctx.unmapped["category"].total()
            category = _category(category_text, ctx, 1)
            known = categories[category_text] = (category, ctx.unmapped["category"].total() > before)
        elif known[1]:
            ctx.unmapped["category"][category_text or "(not given)"] += 1
        natural = values.get("matID") or "|".join((values["system"], status_text, values["url"]))
        date = values.get("date_recorded", "")
        origin = values.get("origin", "")
        row.update(
            {
                "loss_id": stable_id("oryx-long", ctx.conflict, values["country"], natural),
                "side_losing": ctx.side or values["country"],
                "date_earliest": "",  # not stated: the conflict's start
                "date_latest": date,  # Oryx recorded the item on this day: the loss happened on or before it
                "date_as_reported": f"recorded by Oryx on {date}" if date else "",
                "category": known[0],
                "model": model,
                "quantity": "1",
                "record_kind": "item",
                "source_name": source_name,
                "source_url": values["url"],
                "notes": _join(
                    row["notes"],
                    f"origin: {origin}" if origin else "",
                    cleaned or "",
                ),
            }
        )
        records.append(Record(row, line, values))
    return records, []


def _attribution(text: str, ctx: Context) -> tuple[dict[str, str], dict[str, Counter[str]]]:
    """The status and attribution fields one status string gives a row, and what it left unmapped (per item)."""
    row = ctx.base_row()
    before = {kind: Counter(counts) for kind, counts in ctx.unmapped.items()}
    systems = _status(row, text, ctx, 1)
    _attribute(row, systems, ctx, 1)
    unmapped = {kind: counts - before.get(kind, Counter()) for kind, counts in ctx.unmapped.items()}
    fields = ("status", "status_as_reported", "attributed_system", "attributed_also", "attribution_confidence", "notes")
    return {f: row[f] for f in fields}, {kind: counts for kind, counts in unmapped.items() if counts}


def adapt_csv(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Any table through a mapping file: renames, value maps, constants, date format."""
    mapping = ctx.mapping
    if not mapping.columns and not set(src.header) & set(columns_of("losses")):
        raise ImportUsageError(
            f"{src.path.name} has none of the ledger's columns; give a mapping file (--map) with a [columns] "
            "section (see README, 'Importing your own table')",
            "no-mapping",
        )
    unknown_id_columns = [c for c in mapping.id_columns if c not in src.header]
    if unknown_id_columns:
        raise ImportUsageError(f"options.id_columns names column(s) {', '.join(unknown_id_columns)} not in the source")
    records = []
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 2000 == 0:
            progress(n, len(src.rows))
        row = _base_row(ctx)
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
        if single_date:
            problem = _set_interval(row, single_date, mapping.date_format)
            if problem:
                ctx.reject(line, problem, values)
                continue
        row["quantity"] = row["quantity"] or "1"
        items = int(row["quantity"]) if row["quantity"].isdigit() else 1
        status_text = row["status"]
        systems = []
        if status_text and status_text not in vocab.STATUSES:
            systems = _status(row, status_text, ctx, items)
        else:
            row["status_as_reported"] = row["status_as_reported"] or status_text
        if row["attributed_system"]:
            named = row["attributed_system"]
            row["attributed_system"] = ""
            _attribute(row, [named, *systems], ctx, items)
        else:
            _attribute(row, systems, ctx, items)
        if row["category"] not in vocab.CATEGORIES:
            row["category"] = _category(row["category"], ctx, items)
        row["record_kind"] = row["record_kind"] or ("item" if row["quantity"] == "1" else "aggregate")
        key_columns = mapping.id_columns or sorted(values)
        row["loss_id"] = row["loss_id"] or stable_id(
            "csv", src.path.name if not mapping.id_columns else "", *(values[c] for c in key_columns)
        )
        records.append(Record(row, line, values))
    return records, []


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
        row = _base_row(ctx)
        row.update({k: v for k, v in values.items() if k in row and v != ""})
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


ADAPTERS = {"oryx-wide": adapt_oryx_wide, "oryx-long": adapt_oryx_long, "csv": adapt_csv, "ledger": adapt_ledger}


def _require(ctx: Context, names: tuple[str, ...], fmt: str, what: str) -> None:
    flags = {"conflict": "--conflict ID", "side": "--side NAME", "source_url": "--source-url URL"}
    missing = [flags[n] for n in names if not getattr(ctx, n)]
    if missing:
        raise ImportUsageError(
            f"{what} ({fmt}) does not say {'/'.join(n.replace('_', ' ') for n in names)} on each row; "
            f"pass {' and '.join(missing)}",
            "missing-option",
        )


def detect_format(header: list[str], mapping: Mapping) -> str:
    """Tell the source's format from its header (or the mapping file)."""
    columns = set(header)
    if mapping.source_format and mapping.source_format != "auto":
        return mapping.source_format
    if {"equipment", "model"} <= columns and ("losses_total" in columns or any(" by " in c for c in columns)):
        return "oryx-wide"
    if set(LONG_REQUIRED) <= columns:
        return "oryx-long"
    if set(required_columns("losses")) <= columns:
        return "ledger"
    if mapping.columns:
        return "csv"
    raise ImportUsageError(
        "cannot tell the format of this table from its header; pass --from oryx-wide, oryx-long or ledger, "
        "or --from csv with a mapping file (--map)",
        "unknown-format",
    )


# --- the import itself --------------------------------------------------------------------------------------------


def import_table(
    source: str | Path,
    ledger: str | Path,
    *,
    source_format: str = "auto",
    mapping: str | Path | Mapping | None = None,
    conflict: str | None = None,
    side: str | None = None,
    source_url: str | None = None,
    source_name: str | None = None,
    dry_run: bool = False,
    keep_valid: bool = False,
    strict: bool = False,
    add_systems: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: ProgressCallback | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field: int = DEFAULT_MAX_FIELD,
) -> ImportReport:
    """Import a loss table into a ledger directory.

    Parameters
    ----------
    source:
        The CSV file to import.
    ledger:
        The ledger directory to import into (see ``drone-ledger init``).
    source_format:
        ``auto`` (from the header), ``oryx-wide``, ``oryx-long``, ``csv`` or ``ledger``.
    mapping:
        A TOML mapping file (or a loaded :class:`Mapping`): needed for ``csv``,
        optional elsewhere (value maps for statuses, systems, categories).
    conflict, side, source_url, source_name:
        What the source does not say on each row (Oryx tables name neither the
        war nor, for the per-model format, the side or a link).
    dry_run:
        Do everything but write.
    keep_valid:
        When some records are invalid, write the valid ones and put the others
        in ``<ledger>/rejects/`` with the reason and source line of each.
    strict:
        Refuse the import if any status, system or category is unmapped.
    add_systems:
        Add a systems.csv row (family and flags ``unknown``) for each unmapped system name.
    encoding, delimiter:
        How to read the source (default UTF-8 and the header's delimiter).
    progress:
        Called with (rows done, rows total) while records are built.

    Returns
    -------
    ImportReport
        ``written`` says whether the ledger changed; ``refused`` why not.

    Raises
    ------
    ImportSourceError, ImportUsageError, MappingFileError, LedgerLockedError, LedgerNotFoundError
    """
    from .loading import load_ledger

    source_path, ledger_path = Path(source), Path(ledger)
    loaded_mapping = mapping if isinstance(mapping, Mapping) else Mapping.load(Path(mapping)) if mapping else Mapping()
    if source_format not in FORMATS:
        raise ImportUsageError(f"--from must be one of {', '.join(FORMATS)}, not {source_format!r}")
    src = read_source(
        source_path, encoding or loaded_mapping.encoding, delimiter or loaded_mapping.delimiter, max_bytes, max_field
    )
    fmt = detect_format(src.header, loaded_mapping) if source_format == "auto" else source_format
    report = ImportReport(
        source=str(source_path), source_format=fmt, ledger=str(ledger_path), dry_run=dry_run, rows_read=len(src.rows)
    )
    lock = ledger_lock(ledger_path) if not dry_run and ledger_path.is_dir() else _no_lock()
    existing_ledger = load_ledger(ledger_path)
    with lock:
        conflicts = set(existing_ledger["conflicts"]["conflict_id"])
        wanted_conflict = conflict or loaded_mapping.constants.get("conflict")
        if wanted_conflict and wanted_conflict not in conflicts:
            from .conflicts import KNOWN_CONFLICTS

            add = f"drone-ledger conflict add {wanted_conflict} --ledger {ledger_path}"
            raise ImportUsageError(
                f"conflict {wanted_conflict!r} is not in {ledger_path / 'conflicts.csv'} (it has: "
                f"{', '.join(sorted(conflicts)) or 'none'}); add it first with "
                + (
                    f"`{add}` (a known conflict: its name, dates and source come with it)"
                    if wanted_conflict in KNOWN_CONFLICTS
                    else f"`{add} --name NAME --start YYYY-MM-DD [--end YYYY-MM-DD] --source-url URL`"
                ),
                "unknown-conflict",
            )
        systems_frame = existing_ledger["systems"]
        resolver = {
            _norm(alias): sid for alias, sid in SYSTEM_ALIASES.items() if sid in set(systems_frame["system_id"])
        }
        for sid, name in zip(systems_frame["system_id"], systems_frame["name"], strict=True):
            resolver[_norm(sid)] = sid
            resolver[_norm(name)] = sid
        ctx = Context(
            wanted_conflict,
            side or loaded_mapping.constants.get("side_losing"),
            source_url,
            source_name,
            loaded_mapping,
            resolver,
            add_systems,
        )
        records, aggregates = ADAPTERS[fmt](src, ctx, progress)
        if progress:
            progress(len(src.rows), len(src.rows))
        report.records = len(records) + len(ctx.rejects)
        report.rejects = ctx.rejects
        report.unmapped = {kind: dict(counter.most_common()) for kind, counter in ctx.unmapped.items()}
        report.new_systems = sorted(ctx.new_systems)
        report.notes = [f"{what}: {n}" for what, n in ctx.notes.items()]
        _merge_and_write(
            report,
            existing_ledger,
            records,
            aggregates,
            ctx,
            dry_run=dry_run,
            keep_valid=keep_valid,
            strict=strict,
            src=src,
        )
    return report


class _no_lock:  # noqa: N801 - used like the ledger_lock context manager
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def _text_rows(frame: Any) -> list[dict[str, str]]:
    """A typed table as text rows, the way it is written to disk."""
    import pandas as pd

    return [{k: "" if pd.isna(v) else str(v) for k, v in record.items()} for record in frame.to_dict("records")]


def _merge_and_write(
    report: ImportReport,
    ledger: Any,
    records: list[Record],
    aggregates: list[dict[str, str]],
    ctx: Context,
    *,
    dry_run: bool,
    keep_valid: bool,
    strict: bool,
    src: SourceTable,
) -> None:
    from .loading import Ledger, parse_table
    from .validation import validate_ledger

    loss_columns = list(dict.fromkeys([*columns_of("losses"), *ledger["losses"].columns]))
    existing = {row["loss_id"]: row for row in _text_rows(ledger["losses"])}
    order = list(existing)
    merged = dict(existing)
    touched: dict[str, Record] = {}
    seen: set[str] = set()
    for record in records:
        loss_id = record.row["loss_id"]
        if loss_id in seen:
            report.duplicates += 1
            continue
        seen.add(loss_id)
        if loss_id not in existing:
            merged[loss_id] = record.row  # csv_text writes "" for a column the row lacks
            order.append(loss_id)
            touched[loss_id] = record
            continue
        row = {c: record.row.get(c, "") for c in loss_columns}
        old = existing[loss_id]
        diffs = [(c, old.get(c, ""), row[c]) for c in columns_of("losses") if old.get(c, "") != row[c]]
        if not diffs:
            report.duplicates += 1
            continue
        merged[loss_id] = {**old, **row}
        touched[loss_id] = record
        report.changes.extend({"loss_id": loss_id, "column": c, "old": o, "new": n} for c, o, n in diffs)
    added_ids = [i for i in touched if i not in existing]
    updated_ids = [i for i in touched if i in existing]

    systems_rows = _text_rows(ledger["systems"]) + list(ctx.new_systems.values())
    existing_aggregates = {row["aggregate_id"]: row for row in _text_rows(ledger["aggregates"])}
    merged_aggregates = {**existing_aggregates, **{a["aggregate_id"]: a for a in aggregates}}

    def serialise(loss_ids: list[str]) -> tuple[Ledger, dict[str, str]]:
        """The files an import would write, and the ledger they make, parsed from exactly that text."""
        files = {"losses.csv": csv_text(loss_columns, [merged[i] for i in loss_ids])}
        if ctx.new_systems:
            files["systems.csv"] = csv_text(list(ledger["systems"].columns), systems_rows)
        if merged_aggregates != existing_aggregates:
            files["aggregates.csv"] = csv_text(list(ledger["aggregates"].columns), list(merged_aggregates.values()))
        tables = dict(ledger.tables)
        for name, spec in TABLES.items():
            if spec.filename in files:
                tables[name] = parse_table(files[spec.filename], ledger.path / spec.filename, spec)
        return Ledger(ledger.path, tables), files

    candidate, files = serialise(order)
    invalid = _invalid_records(candidate, validate_ledger(candidate), order, touched)
    for loss_id, reasons in invalid.items():
        record = touched[loss_id]
        report.rejects.append({"source_line": record.source_line, "reasons": reasons, "values": record.source_values})
    keep = [i for i in order if i not in invalid]
    report.rejected = len(report.rejects)
    report.added = len([i for i in added_ids if i not in invalid])
    report.updated = len([i for i in updated_ids if i not in invalid])
    report.rejects.sort(key=lambda r: r["source_line"])
    for loss_id in added_ids + updated_ids:
        if loss_id in invalid:
            continue
        row = merged[loss_id]
        quantity = int(row["quantity"]) if row["quantity"].isdigit() else 0
        also = row.get("attributed_also", "")
        for system in [row["attributed_system"], *split_list(also)] if also else [row["attributed_system"]]:
            report.items_by_system[system] = report.items_by_system.get(system, 0) + quantity
    report.items_by_system = dict(sorted(report.items_by_system.items(), key=lambda kv: (-kv[1], kv[0])))

    unmapped_total = sum(sum(v.values()) for v in report.unmapped.values())
    if strict and unmapped_total:
        kinds = ", ".join(f"{sum(v.values())} {k}" for k, v in sorted(report.unmapped.items()))
        report.refused = (
            f"--strict: {kinds} value(s) are unmapped; map them in a mapping file (--map) "
            "or with --add-systems, then import again"
        )
        return
    if report.rejected and not keep_valid:
        report.refused = (
            f"{report.rejected} record(s) are invalid, so nothing was written; fix them in the source, "
            "or pass --keep-valid to import the valid ones and write the rest to a rejects file"
        )
        return
    if invalid:  # keep_valid: check that what is left is valid on its own (e.g. nothing pointed at a rejected row)
        remaining, files = serialise(keep)
        still = validate_ledger(remaining)
        if not still.valid:
            report.refused = f"the valid records are not valid without the rejected ones ({still.errors[0].message})"
            return
    if dry_run or not touched and not ctx.new_systems and merged_aggregates == existing_aggregates:
        return
    root = Path(report.ledger)
    if keep_valid and report.rejects:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        rejects_dir = root / "rejects"
        rejects_dir.mkdir(exist_ok=True)
        path = rejects_dir / f"{Path(report.source).stem}-{stamp}.csv"
        rows = [
            {"source_line": str(r["source_line"]), "reasons": " | ".join(r["reasons"]), **r["values"]}
            for r in report.rejects
        ]
        atomic_write_text(path, csv_text(["source_line", "reasons", *src.header], rows))
        report.rejects_file = str(path)
    commit_files(root, files)  # the text that was validated
    report.written = True


def _invalid_records(merged: Any, report: Any, order: list[str], touched: dict[str, Record]) -> dict[str, list[str]]:
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
            "invalid-ledger",
        )
    return dict(invalid)
