"""What every view shares: the JSON serialisation, the width rule, table and list builders, the assumptions line.

Numbers, ranges, shares and days are written by :mod:`drone_ledger.formatting`, the same functions the library's
sentences and the report page use.
"""

from __future__ import annotations

import io
import json
import re
import sys
from typing import IO, Any, cast

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from drone_ledger.formatting import KEEP_TOGETHER
from drone_ledger.results.claims import ClaimComparison, ClaimsOverview, ConflictSummary

#: Below this width, ranges are stacked under their central figure and wide tables become blocks.
WIDE = 100

#: Spaces at the end of a line, before any closing style codes (Rich pads table and panel lines to the width).
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$")


class TrimmedLines(io.TextIOBase):
    """A text stream that writes each line without trailing spaces (what Rich pads lines with), so piped output
    has none; whether it is a terminal (colours), its descriptor and encoding are the wrapped stream's."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self._stream = stream
        self._pending = ""

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]  # the wrapped stream's
        return getattr(self._stream, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        if lines:
            self._stream.write("".join(_TRAILING.sub(r"\1", line) + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(_TRAILING.sub(r"\1", self._pending))
            self._pending = ""
        self._stream.flush()


def stdout_console() -> Console:
    """The console every table view prints on: standard output, its lines without trailing spaces."""
    return Console(soft_wrap=False, file=cast(IO[str], TrimmedLines(sys.stdout)))


def to_json(data: Any) -> str:
    """Serialise a report's ``to_dict()`` the same way everywhere."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)


def is_wide(console: Console) -> bool:
    return console.width >= WIDE


class _WholeWordsTable(Table):
    """A table whose text never ends in "…": a column that wraps is at least as wide as its longest word (up to
    30 characters), and a longer word folds onto the next line instead of being cut short."""

    def __rich_console__(self, console: Any, options: Any) -> Any:
        for column in self.columns:
            if column.no_wrap:
                continue
            words = [len(word) for cell in [column.header, *column.cells] for word in str(cell).split()]
            column.overflow = "fold"
            column.min_width = max(column.min_width or 0, min(max(words, default=0), 30))
        return super().__rich_console__(console, options)


def rich_table(title: str | None = None) -> Table:
    return _WholeWordsTable(title=title, title_justify="left", show_edge=False, pad_edge=False, title_style="bold")


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


_NBSP = "\u00a0"


def wrap_text(text: str, width: int) -> str:
    """``text`` wrapped to ``width`` at spaces, never inside a range or a date
    (:data:`~drone_ledger.formatting.KEEP_TOGETHER`); a piece longer than the width stays whole on a line of its
    own. Rich, given the result, has nothing left to wrap."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", _NBSP), paragraph).split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "\n".join(lines).replace(_NBSP, " ")


def bullets(title: str, lines: list[str], width: int | None = None) -> Group:
    """A titled list whose wrapped lines hang under their text, not under the bullet; given the console's
    ``width``, ranges and dates are never broken across lines."""
    items = Table.grid(padding=(0, 1))
    items.add_column(no_wrap=True)
    items.add_column(ratio=1)
    for line in lines:
        items.add_row("•", Text(wrap_text(line, width - 2) if width else line))
    return Group(Text(title, style="bold"), items)


def assumptions_line(c: ClaimComparison | ClaimsOverview | ConflictSummary) -> str:
    a = c.assumptions
    year = getattr(c, "dollar_year", None) or a.dollar_year or "each claim's own"
    prices = a.price_extreme + " of any choice of" if a.price_extreme else ", ".join(a.applicability)
    return (
        f"Assumptions: dollar year {year}; prices: {prices} observations (low = lowest, high = highest, "
        f"central = {a.central} of midpoints, CPI-U adjusted); damaged items at {a.damaged_weight:.0%} of full value; "
        f"attributions to the claim's means counted at confidence {', '.join(a.attributed_confidences)}, "
        f"elsewhere at {', '.join(a.excluding_confidences)}; losses only possibly in the period "
        f"{'included' if a.include_possibly_in_period else 'excluded'}."
    )
