"""Text from a ledger or a source made safe to show: no character in it can drive a terminal or reorder a page.

A shared ledger is data from someone else. A claim's quote, a system's name or a source's column holding an escape
sequence (``ESC [ 2 J`` clears the screen), another C0 or C1 control character (a carriage return rewrites the
line; ``U+009B`` is a one-character CSI on some terminals), or a bidirectional override (``U+202E`` shows text
backwards) would rewrite what the reader sees. :func:`visible` is the one function every view passes text through
— the terminal (Rich) and piped text, Markdown, CSV views and the HTML page — and :func:`json_safe` keeps JSON's
data exact while writing those characters as escapes.

Each such character becomes one visible character, so a column keeps its width: a C0 control its Unicode control
picture (ESC → ``␛``, a carriage return → ``␍``), DEL ``␡``, a C1 control or a bidirectional control the
replacement character ``�``. A line break and a tab are text and stay; so does a carriage return that ends a line
(``\\r\\n``).
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "json_safe", "visible"]

#: Every character :func:`visible` replaces: C0 controls but tab, line feed and the carriage return of a CRLF, DEL,
#: C1 controls, and the bidirectional controls (ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
UNSAFE = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` with every control and bidirectional-control character replaced by one visible character.

    >>> visible("ok\\x1b[2J")
    'ok␛[2J'
    >>> visible("a\\u202eb")
    'a�b'
    """
    return UNSAFE.sub(_picture, text) if UNSAFE.search(text) else text


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_safe(text: str) -> str:
    """JSON text (as :func:`json.dumps` writes it) with DEL, C1 and bidirectional controls written as ``\\uXXXX``
    escapes: the same data, and no such character reaches a terminal (JSON escapes C0 controls itself)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON_UNSAFE.search(text) else text
