"""Reading a source file as text rows, each with the CSV line it starts on.

The file checks (missing, a directory, the size limit, UTF-16, binary content,
the encoding) are :mod:`drone_ledger.textfile`'s, shared with the ledger reader.
A well-formed UTF-8 source is read in one pyarrow pass
(:func:`drone_ledger.loading.scan_csv`); anything else by the strict csv module,
which names the line of each problem.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from drone_ledger.errors import ImportSourceError, IssueCode, MissingSourceError
from drone_ledger.loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD, MAX_COLUMNS, header_width, scan_csv
from drone_ledger.textfile import check_field_sizes, check_text_bytes, decode_text, is_utf8, read_file_bytes

__all__ = ["SourceRows", "SourceTable", "read_source", "sniff_delimiter"]

#: Everything up to the first line boundary str.splitlines() knows.
FIRST_LINE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]*").match


class SourceRows(Sequence[dict[str, str]]):
    """A source's rows, held column by column and made a ``{column: cell}`` dict only when one is read.

    A million-row source as a million dicts would take about a gigabyte; as Arrow string arrays it takes about
    the size of the file. Each row read (by index or by iterating) is a new dict, equal to the one a list of
    dicts would hold: the header's names in order, a repeated unnamed column holding its last cell.
    """

    #: Rows turned into Python strings at a time while iterating.
    CHUNK = 8192

    def __init__(self, header: list[str], columns: list[pa.ChunkedArray] | list[list[str]], length: int) -> None:
        self.header = header
        self.columns = columns
        self.length = length

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> dict[str, str]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, str]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, str] | list[dict[str, str]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if not -self.length <= index < self.length:
            raise IndexError(index)
        index %= self.length
        return dict(zip(self.header, (_cell(column, index) for column in self.columns), strict=True))

    def __eq__(self, other: object) -> bool:
        """Equal to rows (held either way, or a list of dicts) that read as the same dicts."""
        return isinstance(other, SourceRows | list) and len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal by value, like the list it stands for

    def __iter__(self) -> Iterator[dict[str, str]]:
        header = self.header
        for start in range(0, self.length, self.CHUNK):
            cells = [_chunk(column, start, self.CHUNK) for column in self.columns]
            for values in zip(*cells, strict=True):
                yield dict(zip(header, values, strict=True))


def _cell(column: pa.ChunkedArray | list[str], index: int) -> str:
    return column[index] if isinstance(column, list) else str(column[index].as_py())


def _chunk(column: pa.ChunkedArray | list[str], start: int, size: int) -> list[str]:
    return column[start : start + size] if isinstance(column, list) else column.slice(start, size).to_pylist()


@dataclass
class SourceTable:
    """A source file read as text rows, each with the line it starts on."""

    path: Path
    header: list[str]
    rows: SourceRows
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

    Only a regular file is read (a pipe, a socket or a device is refused before it is opened), and a cell far
    over ``max_field`` is refused in the bytes, before they are decoded: memory stays a small multiple of the
    file's size, bounded by ``max_bytes``.

    Raises
    ------
    ImportSourceError
        Missing file, not a regular file, binary content, wrong encoding, no header,
        or malformed CSV (with the line).
    """
    name = path.name
    try:
        raw = read_file_bytes(path, max_bytes, ImportSourceError)
    except ImportSourceError as exc:
        if exc.code == IssueCode.MISSING_FILE:  # a path that does not exist is a usage error, as everywhere
            raise MissingSourceError(str(exc)) from exc
        raise
    check_text_bytes(raw, name, encoding, ImportSourceError)
    check_field_sizes(raw, name, max_field, delimiter, ImportSourceError)
    text = decode_text(raw, name, encoding, ImportSourceError)
    chosen = encoding or "utf-8-sig"
    if not text or text.isspace():
        raise ImportSourceError(f"{name} is empty; it needs a header line and rows", IssueCode.EMPTY_FILE)
    match = FIRST_LINE(text)  # text.splitlines()[0], without splitting the whole file
    first_line = match.group() if match else ""  # (a pattern of "*" always matches)
    sep = delimiter or sniff_delimiter(first_line)
    if (width := header_width(first_line.encode("utf-8", errors="replace"), sep)) > MAX_COLUMNS:
        raise ImportSourceError(
            f"{name} has {width:,} columns in its header, over the limit of {MAX_COLUMNS:,}; check that it is the "
            f"right file and that the delimiter is {sep!r} (--delimiter)",
            IssueCode.TOO_MANY_COLUMNS,
        )
    if is_utf8(chosen):
        fast = _scan_source(path, raw, sep, max_field, chosen)
        if fast is not None:
            return fast
    header, columns, lines = _careful_read(name, text, sep, max_field)
    return SourceTable(path, header, SourceRows(header, columns, len(lines)), lines, chosen, sep)


def _careful_read(name: str, text: str, sep: str, max_field: int) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, columns and start lines through the strict csv module, which names the line of each problem."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    previous_limit = csv.field_size_limit(max(1, min(max_field, sys.maxsize)))  # the csv module takes a C long
    columns: list[list[str]] = []
    lines: list[int] = []
    header: list[str] = []
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not header:
                header = checked_header(name, [h.strip() for h in record])
                columns = [[] for _ in header]
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(header):
                raise ImportSourceError(
                    f"{name}:{start}: {len(record)} fields where the header has {len(header)}; check the delimiter "
                    f"({sep!r}) and the quoting on that line",
                    IssueCode.TOO_MANY_FIELDS,
                )
            for i, cells in enumerate(columns):
                cells.append(record[i].strip() if i < len(record) else "")
            lines.append(start)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportSourceError(
                f"{name}:{reader.line_num}: a cell is longer than {max_field:,} characters; pass --max-field with a "
                "larger limit if it is real, or check for an unclosed quote before that line",
                IssueCode.FIELD_TOO_LARGE,
            ) from exc
        raise ImportSourceError(
            f"{name}:{reader.line_num}: not well-formed CSV ({exc}); check the quoting", IssueCode.CSV_PARSE_ERROR
        ) from exc
    finally:
        csv.field_size_limit(previous_limit)
    return header, columns, lines


def checked_header(name: str, header: list[str]) -> list[str]:
    """The header, refused if it names a column twice: a repeated column would silently hide the other's values."""
    counts = Counter(h for h in header if h)  # unnamed columns are never read, so their repeats do not matter
    if repeated := [h for h, n in counts.items() if n > 1]:
        first = repeated[0]
        places = [str(i + 1) for i, h in enumerate(header) if h == first]
        raise ImportSourceError(
            f"{name}: the header names column {first!r} {len(places)} times (columns {', '.join(places)})"
            + (f", and {len(repeated) - 1} more repeated name(s)" if len(repeated) > 1 else "")
            + "; rename or remove the repeats so no column's values are hidden by another's",
            IssueCode.DUPLICATE_COLUMN,
        )
    return header


def _scan_source(path: Path, raw: bytes, sep: str, max_field: int, encoding: str) -> SourceTable | None:
    """A well-formed source read in one pyarrow pass (see :func:`drone_ledger.loading.scan_csv`), else None."""
    scanned = scan_csv(raw, max_field, sep)
    if scanned is None:
        return None
    header = checked_header(path.name, [h.strip() for h in scanned.header])
    blank = np.ones(len(scanned.lines), dtype=bool)  # a row whose every cell is empty is skipped
    for column in scanned.columns:
        blank &= pc.is_null(column).to_numpy(zero_copy_only=False)
    keep = ~blank
    columns = [column.filter(keep).fill_null("") for column in scanned.columns]
    lines = scanned.lines[keep].tolist()
    return SourceTable(path, header, SourceRows(header, columns, len(lines)), lines, encoding, sep)
