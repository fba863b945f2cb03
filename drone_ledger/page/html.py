"""Small HTML builders of the report page: escaping, links, cells and tables that never break a figure."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from drone_ledger.formatting import KEEP_TOGETHER
from drone_ledger.visible import visible

__all__ = ["URL", "cell", "count_items", "esc", "html_table", "link", "linked", "nowrap", "sentence", "stacked"]


def esc(value: object) -> str:
    """Escape any text for HTML (element content and quoted attributes), its control and bidirectional-control
    characters made visible (:func:`drone_ledger.visible.visible`): no text can reorder or hide what the page says."""
    return html.escape(visible("" if value is None else str(value)), quote=True)


def link(url: str | None, text: str | None = None) -> str:
    """An anchor for an http(s) URL (anything else is shown as text); both escaped."""
    shown = esc(text if text else url or "")
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" rel="noreferrer">{shown}</a>'
    return shown


def count_items(n: int) -> str:
    return f"{n:,} item{'' if n == 1 else 's'}"


def nowrap(text: str) -> str:
    return f'<span class="nw">{esc(text)}</span>'


def sentence(text: str) -> str:
    """Running text, escaped, with each range and date in it kept on one line (as in the terminal)."""
    out, last = [], 0
    for match in KEEP_TOGETHER.finditer(text):
        # ``$167.9M (2020 USD; $84.0M–$251.9M)`` may break after the dollar year, never inside the range: a phone's
        # line is shorter than the whole.
        head, sep, tail = match.group(0).partition("; ")
        kept = f"{nowrap(head + ';')} {nowrap(tail)}" if sep else nowrap(head)
        out += [esc(text[last : match.start()]), kept]
        last = match.end()
    return "".join(out) + esc(text[last:])


def stacked(text: str) -> str:
    """``$147.4M ($84.0M–$297.5M)`` with the range in its own span, which narrow screens put on a line below.

    The text is the same as the terminal's (the two spans are separated by the same space); neither part is ever
    broken inside.
    """
    central, sep, rest = text.partition(" (")
    if not sep:
        return nowrap(text)
    return f'{nowrap(central)} <span class="nw rng">({esc(rest)}</span>'


URL = re.compile(r"https?://[^\s<>\"']+")


def linked(text: str | None) -> str:
    """Free text, escaped, with every http(s) URL in it made a link (trailing punctuation left outside)."""
    if not text:
        return ""
    out, last = [], 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(".,;:)]")
        end = match.start() + len(url)
        out.append(esc(text[last : match.start()]))
        out.append(f'<span class="url">{link(url)}</span>')
        last = end
    out.append(esc(text[last:]))
    return "".join(out)


def html_table(headers: list[tuple[str, str]], rows: Iterable[str], kind: str = "") -> str:
    """A table in a horizontally scrolling box; ``headers`` are (text, class) pairs; rows are ``<tr>`` strings.

    ``kind``: ``stack`` puts ranges on a line below their central figure at any width (wide tables); ``cards
    c4`` / ``cards c2`` turn each row into a small card on narrow screens (cells labelled by ``data-label``).
    """
    head = "".join(f'<th scope="col" class="{cls}">{esc(text)}</th>' for text, cls in headers)
    attribute = f' class="{kind}"' if kind else ""
    body = "".join(rows)
    return f'<div class="scroll"><table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def cell(label: str, content: str, cls: str = "num") -> str:
    """A cell (right-aligned number by default), labelled for the card layout of narrow screens."""
    return f'<td class="{cls}" data-label="{esc(label)}">{content}</td>'
