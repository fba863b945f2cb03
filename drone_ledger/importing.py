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

import codecs
import contextlib
import csv
import datetime as dt
import difflib
import hashlib
import io
import math
import os
import re
import stat
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import vocab
from .dates import from_old_columns, interval_of
from .errors import ImportSourceError, ImportUsageError, MappingFileError
from .loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD, MAX_COLUMNS, header_width
from .oryx import ParsedStatus, clean_model, parse_status
from .safecsv import safe_csv_text
from .schemas import TABLES, columns_of, required_columns
from .scopes import split_list
from .storage import check_rejects_directory, commit_files, csv_text, open_for_write, require_ledger, write_rejects

__all__ = [
    "FORMATS",
    "ImportReport",
    "ImportSourceError",  # the three errors live in drone_ledger.errors; re-exported here, where they were
    "ImportUsageError",
    "MappingFileError",
    "Mapping",
    "import_table",
    "read_source",
]

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
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ImportSourceError(f"{path} does not exist; check the path", "missing-file") from exc
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise ImportSourceError(f"cannot open {_shorten(str(path))}: {why}; check the path", "unreadable-file") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ImportSourceError(f"{path} is a directory; give the CSV file to import", "not-a-file")
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) or stat.S_ISSOCK(info.st_mode):
        raise ImportSourceError(f"{path} is a device, not a file; give the CSV file to import", "not-a-file")
    size = info.st_size
    if size > max_bytes:
        raise ImportSourceError(
            f"{name} is {size:,} bytes, over the limit of {max_bytes:,}; pass --max-bytes {size} to read it anyway",
            "file-too-large",
        )
    try:
        with open(path, "rb") as stream:
            if stat.S_ISREG(info.st_mode):
                raw = stream.read()
            else:  # a pipe (e.g. <(curl …)) has no size: read at most the limit
                chunks, total = [], 0
                while total <= max_bytes and (chunk := stream.read(1 << 24)):
                    chunks.append(chunk)
                    total += len(chunk)
                raw = b"".join(chunks)
    except OSError as exc:
        raise ImportSourceError(
            f"cannot read {path}: {exc.strerror}; check its permissions", "unreadable-file"
        ) from exc
    if len(raw) > max_bytes:
        raise ImportSourceError(
            f"{name} is over the limit of {max_bytes:,} bytes; pass a larger --max-bytes to read it anyway",
            "file-too-large",
        )
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
    except (LookupError, TypeError) as exc:  # TypeError: a bytes-to-bytes codec such as "hex"
        raise ImportSourceError(f"{chosen!r} is not a text encoding Python knows", "unknown-encoding") from exc
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportSourceError(f"{name} is empty; it needs a header line and rows", "empty-file")
    first_line = _FIRST_LINE(text).group()  # text.splitlines()[0], without splitting the whole file
    sep = delimiter or sniff_delimiter(first_line)
    if (width := header_width(first_line.encode("utf-8", errors="replace"), sep)) > MAX_COLUMNS:
        raise ImportSourceError(
            f"{name} has {width:,} columns in its header, over the limit of {MAX_COLUMNS:,}; check that it is the "
            f"right file and that the delimiter is {sep!r} (--delimiter)",
            "too-many-columns",
        )
    if chosen.replace("_", "-").lower() in ("utf-8-sig", "utf-8", "utf8"):
        fast = _scan_source(path, raw, sep, max_field, chosen)
        if fast is not None:
            return fast
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    previous_limit = csv.field_size_limit(max(1, min(max_field, sys.maxsize)))  # the csv module takes a C long
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    header: list[str] = []
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not header:
                header = _checked_header(name, [h.strip() for h in record])
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


def _checked_header(name: str, header: list[str]) -> list[str]:
    """The header, refused if it names a column twice: a repeated column would silently hide the other's values."""
    counts = Counter(h for h in header if h)  # unnamed columns are never read, so their repeats do not matter
    if repeated := [h for h, n in counts.items() if n > 1]:
        first = repeated[0]
        places = [str(i + 1) for i, h in enumerate(header) if h == first]
        raise ImportSourceError(
            f"{name}: the header names column {first!r} {len(places)} times (columns {', '.join(places)})"
            + (f", and {len(repeated) - 1} more repeated name(s)" if len(repeated) > 1 else "")
            + "; rename or remove the repeats so no column's values are hidden by another's",
            "duplicate-column",
        )
    return header


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :]


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
    header = _checked_header(path.name, [h.strip() for h in scanned.header])
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
        path = Path(path)
        try:
            size = os.stat(path).st_size
            if size > _MAX_MAPPING_BYTES:
                raise MappingFileError(
                    f"mapping file {path} is {size:,} bytes; a mapping file is a few lines of TOML — check the path"
                )
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise MappingFileError(f"mapping file {path} does not exist") from exc
        except IsADirectoryError as exc:
            raise MappingFileError(f"mapping file {path} is a directory; give the .toml file") from exc
        except OSError as exc:
            raise MappingFileError(f"cannot read mapping file {_shorten(str(path))}: {exc.strerror}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise MappingFileError(f"mapping file {path} is not valid TOML: {exc}") from exc
        except RecursionError as exc:
            raise MappingFileError(f"mapping file {path} nests arrays or tables too deeply to be a mapping") from exc
        known = {"format", "columns", "values", "constants", "options"}
        if unknown := sorted(set(data) - known):
            raise MappingFileError(
                f"{path}: unknown section(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}"
            )
        ledger_columns = set(columns_of("losses"))

        def strings(section: str, table: object) -> dict[str, str]:
            if not isinstance(table, dict) or not all(
                isinstance(v, str | int) and not isinstance(v, bool) for v in table.values()
            ):
                raise MappingFileError(f"{path}: [{section}] must map names to text values")
            return {str(k): str(v) for k, v in table.items()}

        columns = strings("columns", data.get("columns", {}))
        if bad := sorted(set(columns.values()) - ledger_columns - {"date"}):  # date: one cell read as an interval
            raise MappingFileError(f"{path}: [columns] maps to unknown ledger column(s) {', '.join(bad)}")
        targets: dict[str, list[str]] = defaultdict(list)
        for source_column, target in columns.items():
            targets[target].append(source_column)
        if shared := {t: s for t, s in targets.items() if len(s) > 1}:
            target, sources = next(iter(shared.items()))
            raise MappingFileError(
                f"{path}: [columns] maps {' and '.join(repr(c) for c in sources)} all to {target}; a ledger column "
                "takes one source column (otherwise one's values would silently replace the other's)"
            )
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
        if not isinstance(id_columns, list) or not all(isinstance(c, str) for c in id_columns):
            raise MappingFileError(f"{path}: options.id_columns must be a list of source column names (text)")
        source_format = data.get("format")
        if source_format is not None and source_format not in FORMATS:
            raise MappingFileError(f"{path}: format must be one of {', '.join(FORMATS)}")
        return cls(
            columns,
            values,
            constants,
            check_date_format(options.get("date_format"), f"{path}: options.date_format", MappingFileError),
            check_encoding(options.get("encoding"), f"{path}: options.encoding", MappingFileError),
            check_delimiter(options.get("delimiter"), f"{path}: options.delimiter", MappingFileError),
            list(id_columns),
            source_format,
        )


#: A mapping file is a few lines of TOML; anything far bigger is the wrong file.
_MAX_MAPPING_BYTES = 1024 * 1024


def check_delimiter(value: object, where: str, error: type[ImportUsageError | MappingFileError]) -> str | None:
    """``value`` if it can separate CSV fields (one character, not a quote or a line break), else ``error``."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 1 or value in '"\r\n' or not (value == "\t" or value.isprintable()):
        raise error(
            f"{where} must be one character such as ',' ';' '|' or a tab, not {_shorten(repr(value), 60)}",
            "bad-delimiter",
        )
    return value


def check_encoding(value: object, where: str, error: type[ImportUsageError | MappingFileError]) -> str | None:
    """``value`` if it names a text encoding Python knows (utf-8, cp1252, utf-16 …), else ``error``."""
    if value is None:
        return None
    try:
        known = isinstance(value, str) and len(value) <= 64 and getattr(codecs.lookup(value), "_is_text_encoding", True)
    except (LookupError, ValueError, TypeError):
        known = False
    if not known:
        raise error(
            f"{where} must name a text encoding such as utf-8, cp1252 or utf-16, not {_shorten(repr(value), 60)}",
            "unknown-encoding",
        )
    return str(value)


def check_date_format(value: object, where: str, error: type[ImportUsageError | MappingFileError]) -> str | None:
    """``value`` if it is a usable strptime format (e.g. ``%d/%m/%Y``), else ``error``."""
    if value is None:
        return None
    try:
        usable = (
            isinstance(value, str)
            and 0 < len(value) <= 64
            and "%" in value
            and dt.datetime.strptime(dt.date(2020, 12, 31).strftime(value), value) is not None
        )
    except (ValueError, TypeError, OverflowError, re.error):
        usable = False
    if not usable:
        raise error(
            f"{where} must be a strptime format of at most 64 characters such as '%d/%m/%Y' (each directive once), "
            f"not {_shorten(repr(value), 60)}",
            "bad-date-format",
        )
    return str(value)


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


def describe_change(change: dict[str, Any]) -> str:
    """One change of an updated loss, as a reader needs it: ``column: old → new``.

    ``notes`` is a list of remarks joined by ``"; "``: only the remarks removed and added are shown, since the
    whole old and new texts mostly repeat each other (and, wrapped on a terminal, looked unchanged).
    """
    column, old, new = change["column"], change["old"] or "", change["new"] or ""
    if column == "notes":
        before, after = old.split("; ") if old else [], new.split("; ") if new else []
        parts = [f"removed {p!r}" for p in before if p not in after]
        parts += [f"added {p!r}" for p in after if p not in before]
        if parts:
            return f"notes: {'; '.join(parts)}"
    return f"{column}: {old or '∅'} → {new or '∅'}"


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
    #: --categories-from: normalised model name -> its category (None: the table gives it two), and the file's name
    model_categories: dict[str, str | None] | None = None
    categories_source: str = ""
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


def _category_key(text: str) -> str:
    """A category name compared ignoring case, punctuation and spacing ("Self Propelled Artillery")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


#: Every spelling an import recognises -> the ledger category (see vocab.CATEGORY_ALIASES for the renamings).
_CATEGORY_NAMES = {
    **{_category_key(c): c for c in vocab.LOSS_CATEGORIES},
    **{_category_key(alias): c for alias, c in vocab.CATEGORY_ALIASES.items()},
}


def ledger_category(text: str) -> str | None:
    """The ledger category an Oryx category heading names (any case or punctuation, or a known renaming)."""
    return _CATEGORY_NAMES.get(_category_key(text)) if text else None


def _category(text: str, ctx: Context, items: int) -> str:
    mapped = ctx.mapping.values.get("category", {}).get(text, text)
    if mapped in vocab.LOSS_CATEGORIES:
        return mapped
    if (known := ledger_category(mapped)) is not None:
        return known
    ctx.unmapped["category"][text or "(not given)"] += items
    return "Unknown"


def _items(quantity: str, default: int) -> int:
    """A quantity cell as a number of items for the report; ``default`` for anything else (validation says why).

    Only ASCII digits count: ``str.isdigit`` also accepts '²' and other digits ``int`` cannot read, and a
    5,000-digit number is beyond what ``int`` parses from text.
    """
    return int(quantity) if quantity.isascii() and quantity.isdigit() and len(quantity) <= 15 else default


def _closest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if not close:
        close = [c for c in choices if c.lower() == name.lower()]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _listing(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _count(text: str) -> int | None:
    """Parse an Oryx count cell: empty = 0, '1.0' = 1; None for anything that is not a whole number >= 0."""
    if not text.strip():
        return 0
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0 or number > 2**53 or number != int(number):
        return None  # 'inf', 'nan', '1e400' and a 5,000-digit number (float() gives inf) are not counts
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
    conflicting = _conflicting_wide_rows(src)
    first_remark: dict[tuple[str | None, ...], str | None] = {}
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 500 == 0:
            progress(n, len(src.rows))
        if line in conflicting:
            for column in status_columns:
                if _count(values.get(column, "")) != 0:
                    ctx.reject(line, conflicting[line], {"model": values.get("model", ""), column: values[column]})
            continue
        model, cleaned = clean_model(values.get("model", ""))
        if cleaned:
            ctx.notes["model names cleaned of scraper debris"] += 1
        sub_model = values.get("sub_model", "")
        full_model = f"{model} {sub_model}".strip()
        counts = {c: _count(values.get(c, "")) for c in status_columns}
        items = sum(v for v in counts.values() if v)
        category = _category(values.get("equipment", ""), ctx, items)
        key = (ctx.conflict, ctx.side, values.get("equipment", ""), model, sub_model)
        # A repeat of an earlier row (the same but for debris in the model name) is the same loss: it keeps the
        # first row's remark, so its records are exact duplicates (counted as such, never a second loss).
        cleaned = first_remark.setdefault(key, cleaned)
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
                    f"column {column!r}: {_shorten(repr(values[column]), 60)} is not a whole number of items",
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


def _conflicting_wide_rows(src: SourceTable) -> dict[int, str]:
    """Source lines of per-model rows that name the same model as another row but differ from it, with the reason.

    Two rows for one model (same category, cleaned model and sub-model) would give the same loss ids: if they are
    identical the second is a duplicate; if they differ, neither can be trusted over the other, so both are
    rejected with both lines named — never one silently kept.
    """
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, values in enumerate(src.rows):
        model, _ = clean_model(values.get("model", ""))
        groups[(values.get("equipment", ""), model, values.get("sub_model", ""))].append(index)
    reasons: dict[int, str] = {}
    for (equipment, model, sub_model), indices in groups.items():
        if len(indices) < 2:
            continue
        rows = [{k: v for k, v in src.rows[i].items() if k != "model"} for i in indices]
        differing = [c for c in src.header if c != "model" and len({r.get(c, "") for r in rows}) > 1]
        if not differing:
            continue
        lines = [src.lines[i] for i in indices]
        column = differing[0]
        seen = ", ".join(_shorten(repr(r.get(column, "")), 30) for r in rows)
        reason = (
            f"lines {', '.join(map(str, lines))} are all {f'{model} {sub_model}'.strip()!r} ({equipment}) but differ "
            f"in {column!r} ({seen}); keep one row per model in the source"
        )
        reasons.update(dict.fromkeys(lines, reason))
    return reasons




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
        cached = categories.get(category_text)
        if not category_text and ctx.model_categories is not None:
            known = (_model_category(model, ctx), False)
        elif cached is None:
            before = ctx.unmapped["category"].total()
            category = _category(category_text, ctx, 1)
            known = categories[category_text] = (category, ctx.unmapped["category"].total() > before)
        else:
            known = cached
            if known[1]:
                ctx.unmapped["category"][category_text or "(not given)"] += 1
        link, label = split_link(values["url"])
        if label:
            ctx.notes["links with other text in the url cell (the text kept in notes)"] += 1
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
                "source_url": link,
                "notes": _join(
                    row["notes"],
                    f"origin: {origin}" if origin else "",
                    cleaned or "",
                    f"url cell also held: {label}" if label else "",
                ),
            }
        )
        records.append(Record(row, line, values))
    if ctx.model_categories is None and (missing_category := ctx.unmapped["category"].get("(not given)", 0)):
        ctx.notes[
            "items without a category (the per-item format has none; pass --categories-from with a per-model "
            "table of the same war to take them from it)"
        ] += missing_category
    return records, []


#: An http(s) link inside a cell (Oryx-derived per-item tables sometimes put a label before it).
_LINK = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def split_link(cell: str) -> tuple[str, str]:
    """The http(s) link of an Oryx ``url`` cell and the other text in it (``"KamAZ 6x6 https://…"``).

    A cell that is a link is returned as it is with no label; a cell holding a link and other text gives the
    first link and the rest (kept in the loss's notes); a cell with no http(s) link at all is returned unchanged,
    so validation rejects it (``invalid-url``) — it is never guessed.
    """
    text = cell.strip()
    match = _LINK.search(text)
    if match is None or match.group() == text:
        return cell, ""
    rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
    return match.group(), rest


def _model_category(model: str, ctx: Context) -> str:
    """A per-item row's category from the per-model table given with --categories-from, matched by model name."""
    assert ctx.model_categories is not None
    name = ctx.categories_source
    key = _norm(model)
    if key not in ctx.model_categories:
        ctx.notes[f"items whose model is not in {name} (category Unknown)"] += 1
        ctx.unmapped["category"][f"(model not in {name})"] += 1
        return "Unknown"
    category = ctx.model_categories[key]
    if category is None:
        ctx.notes[f"items whose model is under two categories in {name} (category Unknown)"] += 1
        ctx.unmapped["category"][f"(model under two categories in {name})"] += 1
        return "Unknown"
    ctx.notes[f"items given their category from {name} by model name"] += 1
    return category


def read_model_categories(
    path: Path, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, max_field: int = DEFAULT_MAX_FIELD
) -> dict[str, str | None]:
    """Model name -> category from an Oryx per-model (oryx-wide) table; None for a model under two categories.

    Each row's model is taken cleaned of scraper debris, both alone and with its sub-model, compared ignoring
    case and spacing. A category heading the vocabulary does not know is left out (the model stays unmatched).

    Raises
    ------
    ImportSourceError
        The file cannot be read.
    ImportUsageError
        It is not a per-model table (no ``equipment`` and ``model`` columns).
    """
    table = read_source(path, encoding, None, max_bytes, max_field)
    if not {"equipment", "model"} <= set(table.header):
        raise ImportUsageError(
            f"--categories-from {path.name} is not an Oryx per-model table (it has no equipment and model columns)",
            "not-a-per-model-table",
        )
    found: dict[str, set[str]] = defaultdict(set)
    for values in table.rows:
        category = ledger_category(values.get("equipment", ""))
        if category is None:
            continue
        model, _ = clean_model(values.get("model", ""))
        for name in {model, f"{model} {values.get('sub_model', '')}".strip()}:
            if name:
                found[_norm(name)].add(category)
    return {name: next(iter(c)) if len(c) == 1 else None for name, c in found.items()}


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
    for option, names in (("[columns]", list(mapping.columns)), ("options.id_columns", mapping.id_columns)):
        if missing := [c for c in names if c not in src.header]:
            raise ImportUsageError(
                f"the mapping file's {option} names column {missing[0]!r}, which {src.path.name} does not have"
                f"{_closest(missing[0], src.header)}; its columns are {_listing(src.header)}. A mapped column that is "
                "missing would leave its ledger column empty on every row, so nothing was imported",
                "missing-mapped-column",
            )
    for source_column, target in mapping.columns.items():
        if target in src.header and target not in mapping.columns:
            raise ImportUsageError(
                f"{src.path.name} has a column {target!r} (a ledger column) and the mapping also maps "
                f"{source_column!r} to {target}; map one of them to another column, so neither's values silently "
                "replace the other's",
                "ambiguous-mapped-column",
            )
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
        items = _items(row["quantity"], 1)
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
        if row["category"] not in vocab.LOSS_CATEGORIES:
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
    categories_from: str | Path | None = None,
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
    max_bytes, max_field:
        Limits for the source and for the ledger's own tables (read and merged).
    categories_from:
        For a per-item (oryx-long) table, which has no category: an Oryx per-model
        table of the same war whose categories are taken by model name.

    Returns
    -------
    ImportReport
        ``written`` says whether the ledger changed; ``refused`` why not.

    Raises
    ------
    ImportSourceError, ImportUsageError, MappingFileError, LedgerLockedError, LedgerNotFoundError,
    NotALedgerError, JournalError, LedgerWriteError
        Each before anything is written (a failed write changes nothing).
    """
    from .loading import load_ledger

    # Everything that can be checked without the ledger is checked first: a refused command touches nothing.
    if source_format not in FORMATS:
        raise ImportUsageError(f"--from must be one of {', '.join(FORMATS)}, not {source_format!r}", "unknown-format")
    encoding = check_encoding(encoding, "--encoding", ImportUsageError)
    delimiter = check_delimiter(delimiter, "--delimiter", ImportUsageError)
    if max_bytes < 1 or max_field < 1:
        raise ImportUsageError("--max-bytes and --max-field must be at least 1", "bad-limit")
    source_path, ledger_path = Path(source), Path(ledger)
    loaded_mapping = mapping if isinstance(mapping, Mapping) else Mapping.load(Path(mapping)) if mapping else Mapping()
    loaded_mapping.date_format = check_date_format(loaded_mapping.date_format, "options.date_format", ImportUsageError)
    loaded_mapping.encoding = check_encoding(loaded_mapping.encoding, "options.encoding", ImportUsageError)
    loaded_mapping.delimiter = check_delimiter(loaded_mapping.delimiter, "options.delimiter", ImportUsageError)
    ledger_path = require_ledger(ledger_path)
    src = read_source(
        source_path, encoding or loaded_mapping.encoding, delimiter or loaded_mapping.delimiter, max_bytes, max_field
    )
    fmt = detect_format(src.header, loaded_mapping) if source_format == "auto" else source_format
    model_categories = None
    if categories_from is not None:
        if fmt != "oryx-long":
            raise ImportUsageError(
                f"--categories-from gives categories to a per-item (oryx-long) table; {source_path.name} is {fmt}",
                "categories-from-needs-oryx-long",
            )
        model_categories = read_model_categories(Path(categories_from), encoding, max_bytes, max_field)
    report = ImportReport(
        source=str(source_path), source_format=fmt, ledger=str(ledger_path), dry_run=dry_run, rows_read=len(src.rows)
    )
    # A write takes the lock *before* reading the ledger (open_for_write): no other import can commit in between,
    # so this one can never write back a stale copy over another's rows. A dry run only reads.
    opened = (
        contextlib.nullcontext(load_ledger(ledger_path, max_bytes=max_bytes, max_field=max_field))
        if dry_run
        else open_for_write(ledger_path, max_bytes=max_bytes, max_field=max_field)
    )
    with opened as existing_ledger:
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
            model_categories,
            Path(categories_from).name if categories_from is not None else "",
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
            max_field=max_field,
        )
    return report


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
    max_field: int = DEFAULT_MAX_FIELD,
) -> None:
    from .loading import Ledger, parse_table
    from .validation import validate_ledger

    loss_columns = list(dict.fromkeys([*columns_of("losses"), *ledger["losses"].columns]))
    existing = {row["loss_id"]: row for row in _text_rows(ledger["losses"])}
    order = list(existing)
    merged = dict(existing)
    touched: dict[str, Record] = {}
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
            if spec.filename in files:  # the same --max-field as the source: a long cell it accepted stays readable
                tables[name] = parse_table(files[spec.filename], ledger.path / spec.filename, spec, max_field)
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
        quantity = _items(row["quantity"], 0)
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
    changed = [i for i in touched if i not in invalid]  # a rejected record changes nothing
    if dry_run or not changed and not ctx.new_systems and merged_aggregates == existing_aggregates:
        return  # nothing new: not one file is written, not even a rejects file
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
    by_id: dict[str, list[int]] = defaultdict(list)
    for n, record in enumerate(records):
        by_id[record.row["loss_id"]].append(n)
    conflicting: dict[int, tuple[int, str, dict[str, str]]] = {}
    for loss_id, positions in by_id.items():
        if len(positions) < 2:
            continue
        rows = [records[n].row for n in positions]
        differing = [c for c in rows[0] if len({r.get(c, "") for r in rows}) > 1]
        if not differing:
            continue
        column = differing[0]
        lines = [records[n].source_line for n in positions]
        shown = ", ".join(_shorten(repr(r.get(column, "")), 30) for r in rows)
        for n in positions:
            others = ", ".join(str(line) for line in lines if line != records[n].source_line) or "the same line"
            reason = (
                f"loss_id {loss_id}: also on source line(s) {others} with a different {column} ({shown}); "
                "each id must stand for one loss: fix the source, or give the rows their own ids"
            )
            conflicting[n] = (records[n].source_line, reason, records[n].source_values)
    return conflicting


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
