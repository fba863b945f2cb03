"""Find and read a ledger directory's CSV tables.

Reading never stops at the first problem: a file that cannot be read becomes an
:class:`Issue` and an empty table, so that ``validate`` reports everything at
once (a command that writes refuses such a ledger: :mod:`drone_ledger.writing`).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from . import cache
from .dates import OLD_PRECISIONS, from_old_columns
from .errors import IssueCode, TableFileError
from .frames import arrow_text, by_distinct
from .layout import TableSpec
from .results.core import Issue, Severity
from .tabletext import TableText
from .textfile import check_field_sizes, check_text_bytes, decode_text, is_utf8, read_file_bytes

#: Documented resource limits (``--max-bytes``, ``--max-field`` raise them): a clear refusal, not a memory blow-up.
DEFAULT_MAX_BYTES = 2 * 1024**3
DEFAULT_MAX_FIELD = 1_000_000

#: Integers beyond this cannot be held exactly by a float64 and are refused.
MAX_SAFE_INTEGER = 2**53

#: A table (or an imported source) with more columns than this is refused before it is parsed: no ledger or
#: loss table needs more than a few dozen, and a header of a million cells is a broken file, not data.
MAX_COLUMNS = 1_000


class Table:
    """One ledger table as read: its typed frame, the CSV line of each row, the issues met while reading it.

    While the loader reads it, it is filled in; once in a :class:`Ledger` it is sealed: nothing can be set on it,
    ``frame`` is a copy and ``lines`` is read-only, so what a caller does with them never changes the table. The
    copy is cheap: text columns are Arrow arrays, which are shared, not copied; only number columns are copied
    (a nullable number column would otherwise hand out its own buffer through ``.array``).
    """

    spec: TableSpec
    path: Path
    issues: list[Issue]
    #: False when the file could not be read at all (missing, binary, malformed CSV ...).
    readable: bool
    missing_columns: list[str]
    #: The CSV line each data row starts on (header = 1): quoted newlines and blank lines make it differ from row + 2.
    lines: np.ndarray
    #: The SHA-256 of the bytes read, when the validation cache is on (see :func:`read_table`).
    digest: str | None
    #: The file's bytes (``keep_original``): a write copies the rows it does not change from them.
    original: TableText | None

    def __init__(
        self,
        spec: TableSpec,
        path: Path,
        frame: pd.DataFrame,
        issues: list[Issue] | None = None,
        readable: bool = False,
        missing_columns: list[str] | None = None,
        lines: np.ndarray | None = None,
        digest: str | None = None,
        original: TableText | None = None,
    ) -> None:
        self._sealed = False
        self.spec, self.path, self.frame = spec, path, frame
        self.issues = list(issues or [])
        self.readable = readable
        self.missing_columns = list(missing_columns or [])
        self.lines = np.zeros(0, dtype=np.int64) if lines is None else lines
        self.digest = digest
        self.original = original

    @property
    def frame(self) -> pd.DataFrame:
        """The typed frame (a copy of it once the table is sealed)."""
        return self._frame.copy() if self._sealed else self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def __setattr__(self, name: str, value: object) -> None:
        if getattr(self, "_sealed", False):
            raise AttributeError(
                f"the {self.spec.name} table of a loaded ledger cannot be changed ({name}); make a new ledger "
                f"with ledger.replace({self.spec.name}=frame), which is validated afresh"
            )
        super().__setattr__(name, value)

    def __len__(self) -> int:
        """The number of data rows."""
        return len(self._frame)

    def __repr__(self) -> str:
        return f"Table({self.spec.name!r}, {str(self.path)!r}, {len(self)} rows, {len(self.issues)} issues)"

    def seal(self) -> Table:
        """Make the table read-only (see the class); return it."""
        if not self._sealed:
            self.lines.flags.writeable = False
            self._sealed = True
        return self

    def line_of(self, row: int) -> int | None:
        """Return the CSV line number (header = 1) where data row ``row`` starts."""
        return int(self.lines[row]) if 0 <= row < len(self.lines) else None

    def row_at_line(self, line: int) -> int | None:
        """Return the 0-based data row that starts on CSV line ``line`` (the inverse of :meth:`line_of`)."""
        position = int(np.searchsorted(self.lines, line, side="right")) - 1
        return position if position >= 0 else None

    def issue(
        self,
        row: int | None,
        column: str | None,
        code: IssueCode,
        value: object,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> Issue:
        """Build an issue located in this table (``row`` is a 0-based data row)."""
        return Issue(
            table=self.spec.name,
            file=str(self.path),
            line=None if row is None else self.line_of(row),
            column=column,
            code=code,
            value=None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value),
            message=message,
            severity=severity,
        )


def absent_table(path: Path, spec: TableSpec, why: str) -> Table:
    """A table not given (no file, no frame): empty; unless the table is optional, with a missing-table issue
    saying ``why``."""
    if spec.optional:
        return Table(spec=spec, path=path, frame=_empty_frame(spec), readable=True)
    return _file_problem(path, spec, IssueCode.MISSING_TABLE, why)


def _columns_of(spec: TableSpec) -> list[str]:
    """The table's columns in their documented order (:mod:`drone_ledger.layout`; no Pandera needed)."""
    return list(spec.columns)


def _required_columns(spec: TableSpec) -> list[str]:
    """The columns the table cannot do without."""
    return [name for name in spec.columns if name not in spec.optional_columns]


def _empty_frame(spec: TableSpec) -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype="str") for column in _columns_of(spec)})
    return _type_columns(frame, spec, Table(spec, Path(), frame))


def _file_problem(path: Path, spec: TableSpec, code: IssueCode, message: str) -> Table:
    table = Table(spec=spec, path=path, frame=pd.DataFrame())
    table.frame = _empty_frame(spec)
    table.issues.append(table.issue(None, None, code, None, message))
    return table


def read_table(
    path: Path,
    spec: TableSpec,
    encoding: str = "utf-8-sig",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field: int = DEFAULT_MAX_FIELD,
    *,
    keep_original: bool = False,
) -> Table:
    """Read one table file into a typed frame, collecting issues instead of raising.

    When the validation cache is on (:mod:`drone_ledger.cache`), ``table.digest`` is the SHA-256 of the bytes
    read (or says the file is absent, a directory, or over ``max_bytes``): the table's part of a report's key.
    With ``keep_original``, ``table.original`` holds a UTF-8 file's bytes read in full (:mod:`.tabletext`).
    """
    name = spec.filename
    if not os.path.lexists(path) and spec.optional:
        return _described(Table(spec=spec, path=path, frame=_empty_frame(spec), readable=True), "absent")
    if not os.path.lexists(path):
        return _described(
            _file_problem(
                path,
                spec,
                IssueCode.MISSING_TABLE,
                f"the ledger has no {name}; every ledger needs it (copy the header from data/{name})",
            ),
            "missing",
        )
    try:  # the same checks, codes and messages as an imported source (drone_ledger.textfile)
        raw = read_file_bytes(path, max_bytes)
        check_text_bytes(raw, name, encoding)
        check_field_sizes(raw, name, max_field, ",")
    except TableFileError as exc:  # a file that could not be read in full: never cached
        return _file_problem(path, spec, exc.code, str(exc))
    table = _parse_bytes(raw, path, spec, encoding, max_field)
    if keep_original and table.readable and is_utf8(encoding):
        table.original = TableText(raw, table.lines)
    return _described(table, cache.digest(raw)) if cache.enabled() else table


def _described(table: Table, digest: str) -> Table:
    table.digest = digest if cache.enabled() else None
    return table


def _parse_bytes(raw: bytes, path: Path, spec: TableSpec, encoding: str, max_field: int) -> Table:
    if (width := header_width(raw)) > MAX_COLUMNS:
        return _too_wide(path, spec, width)
    if is_utf8(encoding):
        fast = _fast_parse(raw, path, spec, max_field)
        if fast is not None:
            return fast
    try:
        text = decode_text(raw, spec.filename, encoding)
    except TableFileError as exc:
        return _file_problem(path, spec, exc.code, str(exc))
    return parse_table(text, path, spec, max_field)


def parse_table(text: str, path: Path, spec: TableSpec, max_field: int = DEFAULT_MAX_FIELD) -> Table:
    """Parse one table's CSV text (already decoded) into a typed frame, collecting issues."""
    raw = text.encode("utf-8", errors="surrogatepass")
    if (width := header_width(raw)) > MAX_COLUMNS:
        return _too_wide(path, spec, width)
    fast = _fast_parse(raw, path, spec, max_field)
    return fast if fast is not None else _careful_parse(text, path, spec, max_field)


def header_width(raw: bytes, delimiter: str = ",") -> int:
    """The number of cells in the header line, counted in one linear pass (0 for an empty file).

    Counts delimiters on the first physical line; only when that is over :data:`MAX_COLUMNS` is the line
    parsed as CSV, so quoted delimiters are not counted. Other bytes than UTF-8 are fine: the delimiter is ASCII.
    """
    end = raw.find(b"\n")
    first = raw if end < 0 else raw[:end]
    sep = delimiter.encode("ascii", errors="ignore")[:1] or b","
    rough = first.count(sep) + 1 if first.strip() else 0
    if rough <= MAX_COLUMNS:
        return rough
    try:
        return len(next(csv.reader([first.decode("utf-8", errors="replace")], delimiter=sep.decode())))
    except (csv.Error, StopIteration):
        return rough


def _too_wide(path: Path, spec: TableSpec, width: int) -> Table:
    return _file_problem(
        path,
        spec,
        IssueCode.TOO_MANY_COLUMNS,
        f"{spec.filename} has {width:,} columns in its header, over the limit of {MAX_COLUMNS:,}; a ledger table "
        f"has {len(_columns_of(spec))} (see docs/data.md): check that the file is the right one, or that its "
        "header line is not broken",
    )


def _careful_parse(text: str, path: Path, spec: TableSpec, max_field: int) -> Table:
    """The reference parser: Python's strict ``csv`` module finds every problem and the line it is on."""
    name = spec.filename
    if not text.strip():
        return _file_problem(path, spec, IssueCode.EMPTY_FILE, f"{name} is empty; it needs at least the header line")

    table = Table(spec=spec, path=path, frame=pd.DataFrame(), readable=True)
    previous_limit = csv.field_size_limit(max(1, min(max_field, sys.maxsize)))  # the csv module takes a C long
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    starts: list[int] = []
    try:
        header = next(reader)
        previous_end = reader.line_num
        for record in reader:  # the parse line numbers come from: malformed CSV is caught here, with its line
            if record:  # pandas skips blank lines; so do we
                starts.append(previous_end + 1)
            previous_end = reader.line_num
            if len(record) > len(header) and _sniff(header) == ",":  # another delimiter: said below
                table.issues.append(
                    table.issue(
                        None,
                        None,
                        IssueCode.TOO_MANY_FIELDS,
                        str(len(record)),
                        f"{name}:{reader.line_num}: {len(record)} fields where the header names {len(header)}; "
                        "a column name is missing from the header, or a cell holding a comma is not quoted",
                    )
                )
                table.frame = _empty_frame(spec)
                return table
    except csv.Error as exc:
        too_long = "field larger than field limit" in str(exc)
        message = (
            f"{name}:{reader.line_num}: a cell is longer than {max_field:,} characters; pass --max-field with a "
            "larger limit if it is real, or look for an unclosed quote before that line"
            if too_long
            else f"{name}:{reader.line_num}: not well-formed CSV ({exc}); check the quoting on and before that line"
        )
        table.issues.append(
            table.issue(None, None, IssueCode.FIELD_TOO_LARGE if too_long else IssueCode.CSV_PARSE_ERROR, None, message)
        )
        table.frame = _empty_frame(spec)
        return table
    finally:
        csv.field_size_limit(previous_limit)
    if (delimiter := _sniff(header)) != ",":
        table.issues.append(
            table.issue(
                None,
                None,
                IssueCode.WRONG_DELIMITER,
                delimiter,
                f"{name} separates fields with {delimiter!r}; ledger tables are comma-separated: re-save it with "
                "commas (drone-ledger import reads other delimiters)",
            )
        )
        table.frame = _empty_frame(spec)
        return table
    table.lines = np.asarray(starts, dtype=np.int64)
    header_clean = [column.strip() for column in header]
    _check_header(table, header_clean)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=True,
            header=0,
            names=_unique_names(header_clean),
            index_col=False,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        table.issues.append(
            table.issue(
                None,
                None,
                IssueCode.CSV_PARSE_ERROR,
                None,
                f"{name} is not well-formed CSV ({str(exc).strip()}); check quoting and the number of fields per line",
            )
        )
        table.frame = _empty_frame(spec)
        return table
    for column in frame.columns:
        stripped = frame[column].str.strip()
        frame[column] = stripped.where(stripped.ne("")).astype("str")
    return _finish(table, frame, header_clean)


def _finish(table: Table, frame: pd.DataFrame, header: list[str]) -> Table:
    """Add the columns the file lacks (reported as missing-column) and type the numeric ones."""
    if table.spec.name == "losses" and {"date", "date_precision"} <= set(header):
        frame, header = _migrate_dates(table, frame, header)
    for column in _columns_of(table.spec):
        if column not in frame.columns:  # an empty column keeps later checks simple
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="str")
    table.frame = _type_columns(frame, table.spec, table)
    table.missing_columns = [c for c in _columns_of(table.spec) if c not in header]
    return table


OLD_DATE_COLUMNS = ("date", "date_precision")


NEW_DATE_COLUMNS = ("date_earliest", "date_latest", "date_as_reported")


def _migrate_dates(table: Table, frame: pd.DataFrame, header: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Read drone-ledger 0.1's ``date`` + ``date_precision`` as a date interval, and say so (a warning).

    Each distinct pair is converted once (:func:`drone_ledger.dates.from_old_columns`); a pair that cannot be is an
    error at its row. A file that also has the new columns keeps them, and the old ones are left as unknown columns.
    """
    if {"date_earliest", "date_latest"} & set(header):
        return frame, header
    old = list(OLD_DATE_COLUMNS)
    table.issues = [
        i
        for i in table.issues
        if not (
            i.code == IssueCode.UNKNOWN_COLUMN
            and i.column in old
            or i.code == IssueCode.MISSING_COLUMN
            and i.column in NEW_DATE_COLUMNS
        )
    ]

    def convert(distinct: pd.DataFrame) -> pd.DataFrame:
        cells = [
            from_old_columns(date if isinstance(date, str) else None, precision if isinstance(precision, str) else None)
            for date, precision in zip(distinct["date"], distinct["date_precision"], strict=True)
        ]
        return pd.DataFrame(
            {
                "date_earliest": [c[0] if c else "" for c in cells],
                "date_latest": [c[1] if c else "" for c in cells],
                "date_as_reported": [c[2] if c else "" for c in cells],
                "converted": [c is not None for c in cells],
            },
            index=distinct.index,
        )

    converted = by_distinct(frame, old, convert)
    for row in np.flatnonzero(~converted["converted"].to_numpy(dtype=bool)):
        date, precision = frame["date"].iloc[row], frame["date_precision"].iloc[row]
        table.issues.append(
            table.issue(
                int(row),
                "date",
                IssueCode.UNCONVERTIBLE_DATE,
                date,
                f"date {date!r} with date_precision {precision!r} cannot be read as a date interval (day: YYYY-MM-DD; "
                "month: YYYY-MM; war: empty); give date_earliest and date_latest instead",
            )
        )
    as_reported = frame["date_as_reported"] if "date_as_reported" in header else None  # the file's own words win
    for column in ("date_earliest", "date_latest", "date_as_reported"):
        frame[column] = converted[column].where(converted[column].ne("")).astype("str")
    if as_reported is not None:
        frame["date_as_reported"] = as_reported.fillna(frame["date_as_reported"])
    frame = frame.drop(columns=old)
    rules = "; ".join(f"{precision}: {reading}" for precision, reading in OLD_PRECISIONS.items())
    table.issues.append(
        table.issue(
            None,
            "date",
            IssueCode.OLD_DATE_COLUMNS,
            None,
            f"{table.spec.filename} has the date and date_precision columns of drone-ledger 0.1; they were read as "
            f"date_earliest and date_latest ({rules}); the next import into this ledger writes the new columns",
            severity=Severity.WARNING,
        )
    )
    return frame, [c for c in header if c not in old] + [c for c in NEW_DATE_COLUMNS if c not in header]


_NEWLINE, _RETURN, _QUOTE = 10, 13, 34
#: Control characters whose handling could differ between the two parsers: such files take the careful path.
_ODD_BYTES = bytes([0, 11, 12, 28, 29, 30, 31])


def _positions(buf: np.ndarray, byte: int, chunk: int = 1 << 22) -> np.ndarray:
    """Offsets of ``byte`` in ``buf``, scanned in chunks so no buffer-sized temporary is allocated."""
    found = []
    scratch = np.empty(min(chunk, len(buf)), dtype=bool)
    for start in range(0, len(buf), chunk):
        part = buf[start : start + chunk]
        mask = scratch[: len(part)]
        np.equal(part, byte, out=mask)
        hits = np.flatnonzero(mask)
        if len(hits):
            found.append(hits + start)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _may_need_trim(column: pa.ChunkedArray) -> bool:
    """True if a cell may start or end with whitespace: its first or last byte is a space, control or non-ASCII."""
    for chunk in column.chunks:
        if chunk.null_count == len(chunk):
            continue
        data_buffer = chunk.buffers()[2]
        if data_buffer is None:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data_buffer, dtype=np.uint8)
        filled = offsets[1:] > offsets[:-1]
        first = data[offsets[:-1][filled]]
        last = data[offsets[1:][filled] - 1]
        if ((first <= 32) | (first >= 128) | (last <= 32) | (last >= 128)).any():
            return True
    return False


@dataclass
class Scanned:
    """A CSV read in one pyarrow pass: its header, one trimmed text column per header cell (empty cells null), and
    the line each record starts on."""

    header: list[str]
    columns: list[pa.ChunkedArray]
    lines: np.ndarray


def scan_csv(raw: bytes, max_field: int = DEFAULT_MAX_FIELD, delimiter: str = ",") -> Scanned | None:
    """Read a well-formed UTF-8 CSV in one multi-threaded pyarrow pass, or return None.

    None means "read it with the csv module", which finds and locates every problem. This
    path only takes files on which both parsers must agree: RFC 4180 quoting (every quote
    opens or closes a field, or is doubled inside one), line endings of LF or CRLF, the same
    number of fields on every record, valid UTF-8, no field over ``max_field``. The quoting
    and the record start lines are worked out with whole-buffer numpy operations on the
    quote and line-break positions; blank lines are skipped, as pandas and the csv module do.
    """
    body = memoryview(raw)[3:] if raw.startswith(b"\xef\xbb\xbf") else memoryview(raw)
    buf = np.frombuffer(body, dtype=np.uint8)
    size = len(buf)
    if len(delimiter) != 1 or not delimiter.isascii() or delimiter in '"\r\n':
        return None
    separator = ord(delimiter)
    if size == 0 or buf[0] in (_NEWLINE, _RETURN) or any(byte in raw for byte in _ODD_BYTES):
        return None
    quotes = _positions(buf, _QUOTE) if b'"' in raw else np.zeros(0, dtype=np.int64)
    if len(quotes) % 2:
        return None
    openers, closers = quotes[0::2], quotes[1::2]
    before = buf[np.maximum(openers - 1, 0)]
    after = buf[np.minimum(closers + 1, size - 1)]
    field_start = (openers == 0) | np.isin(before, (separator, _NEWLINE, _RETURN, _QUOTE))
    field_end = (closers == size - 1) | np.isin(after, (separator, _NEWLINE, _RETURN, _QUOTE))
    if not (field_start.all() and field_end.all()):
        return None  # a quote inside an unquoted field, or text after a closing quote
    breaks = _positions(buf, _NEWLINE)  # what the csv module counts as line breaks: LF, CRLF (once) and a bare CR
    if b"\r" in raw:
        returns = _positions(buf, _RETURN)
        bare = returns[(returns == size - 1) | (buf[np.minimum(returns + 1, size - 1)] != _NEWLINE)]
        if len(bare):
            if (np.searchsorted(quotes, bare) % 2 == 0).any():
                return None  # old Mac line endings: the careful path reads those
            breaks = np.sort(np.concatenate([breaks, bare]))
    outside = np.searchsorted(quotes, breaks) % 2 == 0  # a line break outside quotes ends a record
    record_breaks = np.flatnonzero(outside)  # positions in `breaks`, whose index + 2 is the next line's number
    starts = breaks[record_breaks] + 1
    nonblank = starts < size
    nonblank[nonblank] = ~np.isin(buf[starts[nonblank]], (_NEWLINE, _RETURN))
    lines = (record_breaks + 2)[nonblank]
    header_end = int(breaks[record_breaks[0]]) if len(record_breaks) else size
    try:
        header_text = bytes(body[:header_end]).decode("utf-8").rstrip("\r")
        header = next(csv.reader([header_text], delimiter=delimiter, strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if len(header) < 2:
        return None  # an empty file, or one column that may be another delimiter: the careful path says which
    names = [f"c{i}" for i in range(len(header))]
    try:
        arrow = (
            pacsv.read_csv(
                pa.py_buffer(body),
                # Blocks of 1/4 of the file (at least 1 MiB): few chunks make later takes and filters cheaper.
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=max(1 << 20, size // 4 + 1)),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=len(record_breaks) < len(breaks)
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.large_string()),  # what pandas' Arrow strings hold
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            if len(lines)
            else pa.table({name: pa.array([], pa.large_string()) for name in names})
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None  # a record with too few or too many fields, or invalid UTF-8
    if arrow.num_rows != len(lines):
        return None
    columns = []
    for name in names:
        column = arrow.column(name)
        if arrow.num_rows and (pc.max(pc.binary_length(column)).as_py() or 0) > max_field:
            return None
        if _may_need_trim(column):  # trimming every column would cost more than the parse
            column = pc.utf8_trim_whitespace(column)
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.large_string()), column)
        columns.append(column)
    return Scanned(header, columns, lines)


def _fast_parse(raw: bytes, path: Path, spec: TableSpec, max_field: int) -> Table | None:
    """A table through :func:`scan_csv`, or None when the careful parse must read it."""
    scanned = scan_csv(raw, max_field)
    if scanned is None:
        return None
    header_clean = [column.strip() for column in scanned.header]
    names = _unique_names(header_clean)
    table = Table(spec=spec, path=path, frame=pd.DataFrame(), readable=True, lines=scanned.lines)
    _check_header(table, header_clean)
    frame = pa.table(dict(zip(names, scanned.columns, strict=True))).to_pandas()
    for name in names:
        if frame[name].dtype != "str":  # pandas < 3 or without Arrow strings
            frame[name] = frame[name].astype("str")
    return _finish(table, frame, header_clean)


def _sniff(header: list[str]) -> str:
    """The delimiter a header parsed with commas really uses, when it is one cell holding ; or tab or |."""
    if len(header) == 1:
        for candidate in (";", "\t", "|"):
            if header[0].count(candidate) >= 2:
                return candidate
    return ","


def _unique_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for column in header:
        count = seen.get(column, 0)
        seen[column] = count + 1
        names.append(column if count == 0 else f"{column}.{count}")
    return names


def _check_header(table: Table, header: list[str]) -> None:
    expected = _columns_of(table.spec)
    # Linear in the header's width (a Counter and sets, not header.count per cell): wide files stay fast.
    duplicates = sorted(c for c, n in Counter(header).items() if n > 1)
    for column in duplicates:
        table.issues.append(
            table.issue(
                None,
                column,
                IssueCode.DUPLICATE_COLUMN,
                column,
                f"column {column!r} appears more than once in the header; keep one",
            )
        )
    expected_set, present = set(expected), set(header)
    unknown = list(dict.fromkeys(c for c in header if c not in expected_set))
    for column in _required_columns(table.spec):
        if column in present:
            continue
        close = difflib.get_close_matches(column, unknown, n=1)
        hint = f" (is {close[0]!r} a misspelling of it?)" if close else ""
        table.issues.append(
            table.issue(
                None,
                column,
                IssueCode.MISSING_COLUMN,
                None,
                f"{table.spec.filename} has no column {column!r}{hint}; add it to the header",
            )
        )
    for column in unknown:
        close = difflib.get_close_matches(column, expected, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; it is kept but not checked"
        table.issues.append(
            table.issue(
                None,
                column,
                IssueCode.UNKNOWN_COLUMN,
                column,
                f"{table.spec.filename} has a column {column!r} that is not part of the schema{hint}",
                severity=Severity.WARNING,
            )
        )


def _type_columns(frame: pd.DataFrame, spec: TableSpec, table: Table) -> pd.DataFrame:
    """Convert numeric columns, turning each unparseable cell into an issue."""
    for column in spec.int_columns + spec.float_columns:
        if column not in frame.columns:
            continue
        raw = frame[column]
        whole = column in spec.int_columns
        if whole and (digits := _plain_whole_numbers(raw)) is not None:
            frame[column] = digits  # the common case, without pandas' per-cell number parser
            continue
        numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
        present = raw.notna()
        kind = "a whole number" if whole else "a number"
        bad = present & numbers.isna()
        infinite = present & numbers.abs().eq(math.inf)
        fractional = present & ~bad & ~infinite & (numbers % 1 != 0) if whole else pd.Series(False, index=raw.index)
        huge = present & ~infinite & (numbers.abs() > MAX_SAFE_INTEGER)
        for mask, code, why in (
            (bad, IssueCode.NOT_A_NUMBER, f"must be {kind}"),
            (infinite, IssueCode.NOT_FINITE, "must be finite"),
            (fractional, IssueCode.NOT_A_WHOLE_NUMBER, "must be a whole number"),
            (huge, IssueCode.NUMBER_TOO_LARGE, f"is beyond {MAX_SAFE_INTEGER:,}, too large to be a real figure"),
        ):
            for row in mask[mask].index:
                table.issues.append(
                    table.issue(
                        int(row),
                        column,
                        code,
                        raw.iloc[int(row)],
                        f"{column} {why}, got {raw.iloc[int(row)]!r}",
                    )
                )
        numbers = numbers.mask(bad | infinite | fractional | huge)
        frame[column] = numbers.round().astype("Int64") if whole else numbers.astype("Float64")
    return frame


def _plain_whole_numbers(raw: pd.Series) -> pd.Series | None:
    """The column as Int64 when every non-empty cell is 1 to 15 ASCII digits (so exact and in range), else None."""
    try:
        cells = arrow_text(raw)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if pc.all(pc.match_substring_regex(cells, r"^[0-9]{1,15}$"), skip_nulls=True).as_py() is False:
        return None
    numbers = pc.cast(cells, pa.int64())
    values = pc.fill_null(numbers, 0).to_numpy()
    missing = pc.is_null(numbers).to_numpy()
    return pd.Series(pd.arrays.IntegerArray(values, missing), index=raw.index)
