"""A table file's text as it was read, so that a write keeps every row it does not change byte for byte.

A command that changes a ledger table (an import, ``conflict add``) replaces the whole file, but the rows it does
not touch are written back as the very bytes they were read from — their quoting, spacing, line ends and the
file's byte-order mark included — and only new or changed rows are serialised. So a ledger kept under version
control shows, after an import, exactly the lines the import added or changed, and nothing a reader parsed
(and might have parsed differently) is ever written in place of what the file said.

:class:`TableText` holds the bytes and where each record starts; :meth:`TableText.rewrite` builds the new file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from .storage import csv_cells_text

__all__ = ["TableText"]

_NEWLINE, _RETURN = 10, 13


class TableText:
    """The bytes of a table file read in full (valid UTF-8), and the CSV line each of its records starts on.

    ``lines`` is :attr:`drone_ledger.loading.Table.lines`: the line numbers the parser gave each record (header =
    line 1), counting line breaks as the csv module does (LF, CRLF and a bare CR).
    """

    def __init__(self, raw: bytes, lines: np.ndarray) -> None:
        self.raw = raw
        self.lines = np.asarray(lines, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.lines)

    @cached_property
    def _line_starts(self) -> np.ndarray:
        """The byte offset each physical line starts at (line 1 at 0), and the file's length after the last."""
        buf = np.frombuffer(self.raw, dtype=np.uint8)
        breaks = np.flatnonzero(buf == _NEWLINE)
        if b"\r" in self.raw:
            returns = np.flatnonzero(buf == _RETURN)
            following = buf[np.minimum(returns + 1, len(buf) - 1)]
            bare = returns[(returns == len(buf) - 1) | (following != _NEWLINE)]
            if len(bare):
                breaks = np.sort(np.concatenate([breaks, bare]))
        return np.concatenate([[0], breaks + 1, [len(self.raw)]]).astype(np.int64)

    @cached_property
    def _bounds(self) -> np.ndarray:
        """Byte offsets: where the header starts (0), where each record starts, and the end of the file.

        A record runs to the start of the next one, so blank lines after it belong to it.
        """
        starts = self._line_starts
        first = np.minimum(self.lines - 1, len(starts) - 1)
        return np.concatenate([[0], starts[first], [len(self.raw)]]).astype(np.int64)

    @cached_property
    def head(self) -> str:
        """The header line(s) as they are in the file, with the byte-order mark and any blank lines after it."""
        return self.raw[: int(self._bounds[1])].decode("utf-8")

    @cached_property
    def header(self) -> list[str]:
        """The header's column names, trimmed as the reader trims them."""
        return [cell.strip() for cell in next(csv.reader(io.StringIO(self.head.lstrip("\ufeff"), newline="")), [])]

    @cached_property
    def newline(self) -> str:
        """The line end the file's header uses (``\\r\\n`` or ``\\n``): new rows get the same."""
        end = self.head.find("\n")
        return "\r\n" if end > 0 and self.head[end - 1] == "\r" else "\n"

    def record(self, index: int) -> str:
        """Record ``index`` (0-based) exactly as it is in the file, with its line end."""
        bounds = self._bounds
        return self.raw[int(bounds[index + 1]) : int(bounds[index + 2])].decode("utf-8")

    def rewrite(self, rows: Iterable[int | Sequence[str]]) -> str:
        """The file with ``rows``: an ``int`` is that record of this file, kept byte for byte; a sequence of cells
        (in the order of :attr:`header`) is a new row, written as drone-ledger writes every ledger row.

        Runs of consecutive records are copied in one slice, runs of new rows serialised by the csv module in one
        pass, so a million kept or new rows take one copy each.
        """
        bounds = self._bounds
        parts = [self.head]
        names = self.header

        def ended(text: str) -> str:
            return text if not text or text.endswith(("\n", "\r")) else text + self.newline

        for kept, run in _runs(rows):
            if parts:
                parts[-1] = ended(parts[-1])
            if kept:
                start, stop = run[0], run[-1]
                parts.append(self.raw[int(bounds[start + 1]) : int(bounds[stop + 2])].decode("utf-8"))
            else:
                parts.append(csv_cells_text(names, _given(run), header=False, newline=self.newline))
        return "".join(parts)


def _given(rows: list[Sequence[str]]) -> Callable[[], list[Sequence[str]]]:
    return lambda: rows


def _runs(rows: Iterable[int | Sequence[str]]) -> Iterator[tuple[bool, list[Any]]]:
    """Consecutive kept records (``True`` and their indices, each one more than the last) and runs of new rows."""
    run: list[Any] = []
    kept_run = False
    for row in rows:
        kept = isinstance(row, int | np.integer)
        if run and (kept != kept_run or (kept and int(row) != run[-1] + 1)):  # type: ignore[arg-type]
            yield kept_run, run
            run = []
        kept_run = kept
        run.append(int(row) if kept else row)  # type: ignore[arg-type]
    if run:
        yield kept_run, run
