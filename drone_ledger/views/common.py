"""What every view shares: the JSON serialisation, the width rule, table and list builders, the assumptions line.

Numbers, ranges, shares and days are written by :mod:`drone_ledger.formatting`, the same functions the library's
sentences and the report page use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from drone_ledger.results import ClaimComparison, ClaimsOverview, ConflictSummary
from drone_ledger.visible import UNSAFE, json_safe, visible

#: Below this width, ranges are stacked under their central figure and wide tables become blocks.
WIDE = 100


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


def rich_table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", show_edge=False, pad_edge=False, title_style="bold")


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return md(value).replace("|", "\\|")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(title: str, lines: list[str]) -> Group:
    """A titled list whose wrapped lines hang under their text, not under the bullet."""
    items = Table.grid(padding=(0, 1))
    items.add_column(no_wrap=True)
    items.add_column(ratio=1)
    for line in lines:
        items.add_row("•", Text(line))
    return Group(Text(title, style="bold"), items)


def assumptions_line(c: ClaimComparison | ClaimsOverview | ConflictSummary) -> str:
    a = c.assumptions
    year = getattr(c, "dollar_year", None) or a.dollar_year or "each claim's own"
    prices = a.price_extreme + " of any choice of" if a.price_extreme else ", ".join(a.applicability)
    return (
        f"Assumptions: dollar year {year}; prices: {prices} observations (low = lowest, high = highest, "
        f"central = median of midpoints, CPI-U adjusted); damaged items at {a.damaged_weight:.0%} of full value; "
        f"attributions to the claim's means counted at confidence {', '.join(a.attributed_confidences)}, "
        f"elsewhere at {', '.join(a.excluding_confidences)}; losses only possibly in the period "
        f"{'included' if a.include_possibly_in_period else 'excluded'}."
    )
