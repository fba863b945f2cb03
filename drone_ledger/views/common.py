"""What every view shares: the JSON serialisation, the width rule, table and list builders, the assumptions line.

Numbers, ranges, shares and days are written by :mod:`drone_ledger.formatting`, the same functions the library's
sentences and the report page use.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterable
from typing import IO, Any, cast

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from drone_ledger.formatting import KEEP_TOGETHER
from drone_ledger.results.claims import ClaimComparison, ClaimsOverview, ConflictSummary
from drone_ledger.visible import UNSAFE, json_safe, visible

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
    """The console every table view prints on: standard output, its lines without trailing spaces, no text of the
    data able to drive the terminal (:class:`VisibleConsole`)."""
    return VisibleConsole(soft_wrap=False, file=cast(IO[str], TrimmedLines(sys.stdout)))


def to_json(data: Any) -> str:
    """Serialise a report's ``to_dict()`` the same way everywhere (control characters as escapes: the same data)."""
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


class VisibleConsole(Console):
    """A Rich console on which no text it prints can drive the terminal: every control or bidirectional-control
    character of a string, a :class:`~rich.text.Text` or any renderable is shown as a visible one
    (:func:`drone_ledger.visible.visible`). The console's own styling and cursor codes are not text and are kept."""

    def render_str(self, text: str, **kwargs: Any) -> Text:  # before layout, so widths are measured right
        return super().render_str(visible(text), **kwargs)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        if isinstance(renderable, Text) and UNSAFE.search(renderable.plain):  # before it is wrapped
            renderable = renderable.copy()
            renderable.plain = visible(renderable.plain)  # one character for one: the styles stay where they were
        for segment in super().render(renderable, options):
            if segment.control is None and UNSAFE.search(segment.text):
                yield Segment(visible(segment.text), segment.style)
            else:
                yield segment


#: What Markdown would read as markup in a piece of data: HTML (``<``, ``&``), links and images (``[``), escapes.
_MARKDOWN_SPECIAL = re.compile(r"[\\&<>\[\]]")
_MARKDOWN_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "\\": "\\\\"}


def md(text: object) -> str:
    """A piece of data for a Markdown document: shown as text, never as HTML, a link or an image.

    Control characters are made visible, line breaks folded (one item stays on one line), ``&``, ``<`` and ``>``
    written as entities, and ``[``, ``]`` and ``\\`` escaped with a backslash.
    """
    shown = visible(" ".join(str(text).splitlines()) if text is not None else "")
    return _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN_ESCAPES[m.group()], shown)


#: A link Markdown may show as one: http(s), and nothing in it that could end or break the autolink.
_MARKDOWN_LINK = re.compile(r"https?://[^\s<>\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def md_link(url: str | None) -> str:
    """An http(s) URL as a Markdown autolink (``<https://…>``); anything else as text (:func:`md`)."""
    if url and _MARKDOWN_LINK.fullmatch(url):
        return f"<{url}>"
    return md(url or "")


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


#: The indentation a table label may start with (Markdown drops leading spaces in a cell): kept as it is.
_INDENT = re.compile(r"(?:&emsp;)*")


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        indent = _INDENT.match(value)
        start = indent.end() if indent else 0
        return value[:start] + md(value[start:]).replace("|", "\\|")

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
