"""Reading Oryx's own loss page: its headings and their counts, each model line, each proof link and its label.

Oryx's lists ("Attack On Europe: Documenting Russian Equipment Losses …" and the Ukrainian one) are blog posts
whose layout has changed over the years. What has stayed the same, and what this reader relies on:

* a headline with the side and its counts (``Russia - 7858, of which: destroyed: 4820, …``);
* per category a heading with counts (``Tanks (1477, of which destroyed: 850, damaged: 62, …)``), in an
  ``<h1>``–``<h6>``, its text split over any number of ``<span>`` elements;
* under it, lists whose items are model lines: a flag image per country of origin (``Flag_of_Russia.svg``, in
  nested ``<span class="flagicon">`` or not), the model's count and name, then one link per proof whose text
  gives the item numbers and the status (``(3 and 4, destroyed by Bayraktar TB2)``).

What varies, and is read anyway: a label split over several links (``<a>(2, </a><a>damaged</a><a>)</a>``), or
over links to two proofs; a missing parenthesis, comma or colon (``(7 abandoned)``, ``39, destroyed)``);
"9, and 10"; a qualifier before the status (``(1, with ZU-23 AA gun, destroyed)``); counts with typos in the
headings. What cannot be read (a label with no link, text that is not a label, a heading whose counts are
unreadable) is never dropped: it is returned, with its line and text, for the import to report.

Everything outside the lists (menus, sidebars, scripts) is ignored: a category's items are the model lines that
follow its heading, up to the next heading or the end of the element that holds the heading and its lists.
"""

from __future__ import annotations

import bisect
import functools
import re
import urllib.parse
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from drone_ledger.errors import ImportSourceError, IssueCode

__all__ = [
    "OryxPage",
    "PageEntry",
    "PageHeading",
    "PageItem",
    "UnreadText",
    "decompress",
    "link_key",
    "looks_like_html",
    "parse_page",
]

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_RAW_TEXT = frozenset({"script", "style", "noscript", "template", "textarea", "title"})
#: The statuses Oryx counts in its headings.
HEADING_STATUSES = ("destroyed", "damaged", "abandoned", "captured")

_NUMBER = r"\d[\d,.\s]*?\d|\d"
#: "- 7858, of which": the headline after the side's name.
_HEADLINE_COUNTS = r"\s*[-–—:]\s*(?P<total>\d[\d,.]*)\s*,?\s*\(?\s*of\s+which\b"
_HEADLINE = re.compile(
    r"^\s*(?P<side>[A-Z][\w .'’-]{1,40}?)" + _HEADLINE_COUNTS + r"(?P<parts>.*)$", re.IGNORECASE | re.DOTALL
)
#: The same headline inside other text (a paragraph, not a heading): only the two sides' lists have one.
_HEADLINE_IN_TEXT = re.compile(
    r"\b(?P<side>Russia|Ukraine)" + _HEADLINE_COUNTS + r"(?P<parts>[^\n]{0,200})", re.IGNORECASE
)
_COUNTED_HEADING = re.compile(r"^(?P<name>.*?)\s*\(\s*(?P<total>\d[\d,.]*)\b(?P<parts>[^()]*)\)?\s*$", re.DOTALL)
_PART = re.compile(r"(destroyed|damaged|abandoned|captured)\s*:?\s*(\d[\d,.]*)", re.IGNORECASE)
#: A label: optional "(", item numbers ("3", "3 and 4", "1, 2 and 3", "9, and 10", "68, 69 70"), then the status.
_LABEL = re.compile(
    r"^\(?\s*(?P<numbers>\d+(?:\s*(?:,|&|\band\b)?\s*(?:\band\b\s*)?\d+)*)\s*[,.:;]?\s*(?P<status>[A-Za-z].*?)\s*\)$",
    re.DOTALL,
)
_LOOKS_LIKE_LABEL = re.compile(
    r"\d+(?:\s*(?:,|and)\s*\d+)*\s*[,.]?\s*(?:destroyed|damaged|captured|abandoned|sunk|scuttled|stripped)",
    re.IGNORECASE,
)
_UNLINKED_LABEL = re.compile(r"\(\s*\d+(?:\s*(?:,|and)\s*\d+)*\s*[,.]?\s*[A-Za-z]")
_FLAG = re.compile(r"Flag_of_(?P<country>[^/]+?)\.(?:svg|png|jpg|gif)", re.IGNORECASE)
_COUNT_AND_MODEL = re.compile(r"^\s*(?P<count>\d+)\s+(?P<model>\S.*?)\s*$", re.DOTALL)
#: Words a status starts with (a qualifier before it, "with ZU-23 AA gun", does not).
_STATUS_START = re.compile(
    r"^(destroyed|damaged|captured|abandoned|sunk|scuttled|stripped|burned|burnt|raised|written|lost|crashed)\b",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[\s\u00a0\u200b]+")


@dataclass
class UnreadText:
    """A piece of a list that could not be read as items: its line, heading, model line, text, link and why."""

    line: int
    heading: str
    model: str
    text: str
    link: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        """Return it as a JSON-ready dict."""
        return {
            "line": self.line,
            "heading": self.heading,
            "model": self.model,
            "text": self.text,
            "link": self.link,
            "reason": self.reason,
        }


@dataclass
class PageItem:
    """One item of the page: the label's item number, its status text and its proof link."""

    heading: str
    model: str
    origins: tuple[str, ...]
    number: int
    label: str  # the label as on the page, e.g. "(3 and 4, destroyed by Bayraktar TB2)"
    status_text: str  # "destroyed by Bayraktar TB2"
    qualifier: str  # "with ZU-23 AA gun" in "(1, with ZU-23 AA gun, destroyed)"
    link: str
    other_links: tuple[str, ...]
    line: int
    items_in_label: int


@dataclass
class PageEntry:
    """A model line: its heading, model, the count it prints and the items read from it."""

    heading: str
    model: str
    count: int | None
    line: int
    items: int = 0


@dataclass
class PageHeading:
    """A category heading: its text and printed counts, and what was read under it."""

    text: str
    name: str
    line: int
    printed_total: int | None
    printed_parts: dict[str, int]
    read_statuses: Counter[str] = field(default_factory=Counter)
    read_total: int = 0


@dataclass
class OryxPage:
    """Everything read from one Oryx page."""

    title: str
    side: str | None
    headline_total: int | None
    headline_parts: dict[str, int]
    headline_line: int | None
    headings: list[PageHeading]
    entries: list[PageEntry]
    items: list[PageItem]
    unread: list[UnreadText]
    complete_document: bool


def decompress(raw: bytes, name: str, limit: int) -> bytes:
    """The bytes of a page, gunzipped if they are gzip (at most ``limit`` bytes; a cut-short stream is refused).

    Raises
    ------
    ImportSourceError
        ``truncated-page`` for a gzip stream that ends early, ``not-an-oryx-page`` for bytes that only look like
        gzip, ``file-too-large`` when the unpacked page is over ``limit`` bytes.
    """
    if not raw.startswith(b"\x1f\x8b"):
        return raw
    unpacker = zlib.decompressobj(wbits=31)
    try:
        out = unpacker.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise ImportSourceError(
            f"{name} starts like a gzip file but is not one ({exc})", IssueCode.NOT_AN_ORYX_PAGE
        ) from exc
    if len(out) > limit:
        raise ImportSourceError(
            f"{name} unpacks to more than {limit:,} bytes, over the limit; pass a larger --max-bytes to read it anyway",
            IssueCode.FILE_TOO_LARGE,
        )
    if not unpacker.eof:
        raise ImportSourceError(
            f"{name} is a gzip file cut short ({len(raw):,} bytes): the page in it ends before its end; "
            "download or save it again",
            IssueCode.TRUNCATED_PAGE,
        )
    return out


def looks_like_html(head: bytes) -> bool:
    """True when the first bytes of a file (gunzipped) are an HTML document or fragment, not a CSV table."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 4096)
        except zlib.error:
            return False
    text = head[:4096].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    while text.startswith("<!--"):  # a saved page may open with a comment
        end = text.find("-->")
        if end < 0:
            break
        text = text[end + 3 :].lstrip()
    lowered = text.lower()
    return lowered.startswith("<") and bool(
        re.match(r"<(!doctype\s+html|html|head|body|div|h[1-6]|ul|p|span|meta|article|section|main)\b", lowered)
    )


def clean(text: str) -> str:
    """Text with every run of spaces (no-break spaces too) made one space, and trimmed."""
    return _SPACES.sub(" ", text).strip()


def _number(text: str) -> int | None:
    digits = re.sub(r"[,.\s]", "", text)
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None


def _parts(text: str) -> dict[str, int]:
    parts: dict[str, int] = {}
    for status, number in _PART.findall(text):
        value = _number(number)
        if value is not None:
            parts[status.lower()] = value
    return parts


@functools.lru_cache(maxsize=1 << 17)
def link_key(url: str) -> str:
    """A proof link as the key two sources share: the same photo or post, however the link was written.

    Scheme, ``www.``/``mobile.``, letter case of the host, a trailing slash and a fragment do not matter;
    a tweet is its status id (twitter.com, x.com, any user name); a postimg image is its id (the gallery page
    ``postimg.cc/ID`` and the file ``i.postimg.cc/ID/name.png`` are the same image).
    """
    text = url.strip()
    parts = _URL.match(text)
    if parts is None:
        return text
    host = parts.group("host").lower().rsplit("@", 1)[-1].split(":")[0]
    for prefix in ("www.", "mobile.", "m."):
        host = host.removeprefix(prefix)
    path = urllib.parse.unquote(parts.group("path")).rstrip("/")
    if host in ("twitter.com", "x.com"):
        tweet = re.search(r"/status(?:es)?/(\d+)", path)
        if tweet:
            return f"tweet:{tweet.group(1)}"
    if host in ("postimg.cc", "i.postimg.cc", "postimg.org", "i.postimg.org"):
        segments = [s for s in path.split("/") if s]
        if segments and segments[0] == "image" and len(segments) > 1:
            segments = segments[1:]
        if segments:
            return f"postimg:{segments[0]}"
    query = f"?{parts.group('query')}" if parts.group("query") else ""
    return f"{host}{path}{query}"


_HTTP = re.compile(r"^https?://\S+$", re.IGNORECASE)
#: A link's parts, as urllib.parse.urlsplit reads them (scheme, host, path, query; the fragment left out).
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?P<host>[^/?#]*)(?P<path>[^?#]*)(?:\?(?P<query>[^#]*))?")


def _proof_link(href: str) -> str:
    """An ``href`` as a browser follows it: trimmed, a link without a scheme (``//host/…``) on https, spaces
    inside it encoded. Anything else is kept as written (a label with a link that is not http(s) is unread)."""
    link = href.strip()
    if link.startswith("//"):
        link = "https:" + link
    return re.sub(r"\s+", "%20", link)


def _country(match: re.Match[str]) -> str:
    name = urllib.parse.unquote(match.group("country")).replace("_", " ").strip()
    return name[4:] if name.lower().startswith("the ") else name


class _Entry:
    """A model line being read: its text as segments (text, link, line) and the flags seen in it.

    An ``implicit`` one is a line outside any list item (in a ``<p>`` or ``<div>``, or between ``<br>``s): it is
    a model line only if it reads like one (a count, a model, then labels).
    """

    __slots__ = ("segments", "origins", "line", "implicit")

    def __init__(self, line: int, implicit: bool = False) -> None:
        self.segments: list[tuple[str, str, int]] = []
        self.origins: list[str] = []
        self.line = line
        self.implicit = implicit


#: Elements that end a model line written outside a list item.
_BLOCKS = frozenset({"p", "div", "ul", "ol", "table", "tr", "td", "th", "blockquote", "section", "article", "dl"})
#: How much text before the first category heading is kept to find a headline written outside a heading.
_PREAMBLE = 20_000


class _Reader(HTMLParser):
    """One pass over the page: headings, model lines and their links (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.raw_depth = 0
        self.title_parts: list[str] = []
        self.in_title = False
        self.heading: list[str] | None = None
        self.heading_line = 0
        self.heading_parent = 0
        self.region: PageHeading | None = None
        self.region_parent = 0
        self.entry: _Entry | None = None
        self.href: str | None = None
        self.href_line = 0
        self.headings: list[PageHeading] = []
        self.entries: list[tuple[PageHeading, _Entry]] = []
        self.loose: list[UnreadText] = []
        self.headline: tuple[str, int | None, dict[str, int], int] | None = None
        self.preamble: list[str] = []
        self.saw_html_open = False
        self.saw_html_close = False

    def _in_list(self) -> bool:
        return "li" in self.stack

    def _reading(self) -> bool:
        """True inside a category, outside its heading: where model lines are."""
        return self.region is not None and self.heading is None

    def _implicit(self) -> _Entry:
        """The model line being read outside a list item (one is started)."""
        if self.entry is None:
            self.entry = _Entry(self.getpos()[0], implicit=True)
        return self.entry

    # --- the element stack -----------------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.saw_html_open = True
        if tag in _RAW_TEXT:
            self.raw_depth += 1
            self.in_title = tag == "title"
            return
        if tag in _VOID:
            self._void(tag, attrs)
            return
        if tag in _HEADINGS:
            self._flush_entry()
            self.heading = []
            self.heading_line = self.getpos()[0]
            self.heading_parent = len(self.stack)
        elif tag == "li" and self._reading():
            self._flush_entry()
            self.entry = _Entry(self.getpos()[0])
        elif tag in _BLOCKS and self.entry is not None and self.entry.implicit:
            self._flush_entry()
        elif tag == "a":
            self.href = _proof_link(dict(attrs).get("href") or "")
            self.href_line = self.getpos()[0]
            if self._reading() and not self._in_list():
                self._implicit()
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag, attrs)
        else:  # <div/> and the like: opened and closed at once
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def _void(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            if self.entry is not None and self.entry.implicit:
                self._flush_entry()  # a line break ends a model line written outside a list
            else:
                self.handle_data(" ")
        elif tag == "img" and self._reading():
            source = dict(attrs).get("src") or ""
            if flag := _FLAG.search(source):
                entry = self.entry if self.entry is not None or self._in_list() else self._implicit()
                country = _country(flag)
                if entry is not None and country not in entry.origins:
                    entry.origins.append(country)

    def handle_endtag(self, tag: str) -> None:
        if tag == "html":
            self.saw_html_close = True
        if tag in _RAW_TEXT:
            self.raw_depth = max(0, self.raw_depth - 1)
            self.in_title = False
            return
        if tag in _VOID or tag not in self.stack:
            return  # a stray end tag closes nothing
        while self.stack:
            open_tag = self.stack.pop()
            self._closed(open_tag)
            if open_tag == tag:
                break

    def _closed(self, tag: str) -> None:
        depth = len(self.stack)  # the closed element was at this depth
        if tag == "a":
            self.href = None
        elif tag in _HEADINGS and self.heading is not None and depth == self.heading_parent:
            self._end_heading()
        elif tag == "li" and self.region is not None:
            self._flush_entry()
            if self._in_list():  # the end of a nested item: the outer item's text goes on as a piece of its own
                self.entry = _Entry(self.getpos()[0])
        elif tag in _BLOCKS and self.entry is not None and self.entry.implicit:
            self._flush_entry()
        if self.region is not None and depth == self.region_parent - 1:
            self._flush_entry()
            if self.entries and self.entries[-1][0] is self.region:
                self.region = None  # the element holding the heading and its lists has ended
            else:  # the heading stood alone in its element: its lists follow in the enclosing one
                self.region_parent -= 1

    # --- text ----------------------------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.raw_depth:
            if self.in_title:
                self.title_parts.append(data)
            return
        if self.heading is not None:
            self.heading.append(data)
            return
        if self.entry is None and self._reading() and not self._in_list() and data.strip():
            self._implicit()
        if self.entry is not None:
            self.entry.segments.append((data, self.href or "", self.href_line if self.href is not None else 0))
        elif not self.headings and self.headline is None:
            self.preamble.append(data)
            if len(self.preamble) > 2 * _PREAMBLE:
                del self.preamble[:_PREAMBLE]

    def _end_heading(self) -> None:
        assert self.heading is not None
        text = clean("".join(self.heading))
        self.heading = None
        if not text:
            return  # Oryx's pages hold empty <h3> elements between sections
        headline = _HEADLINE.match(text)
        if headline and self.headline is None and not self.headings:
            self.headline = (
                clean(headline.group("side")),
                _number(headline.group("total")),
                _parts(headline.group("parts")),
                self.heading_line,
            )
            self.region = None
            return
        if self.headline is None and not self.headings:
            self._headline_from_preamble()
        counted = _COUNTED_HEADING.match(text)
        if counted and "of which" in counted.group("parts").lower() or counted and counted.group("name"):
            name = clean(counted.group("name")).rstrip(":-–").strip()
            heading = PageHeading(
                text, name, self.heading_line, _number(counted.group("total")), _parts(counted.group("parts"))
            )
        elif self.headings and len(text) <= 80 and not re.search(r"\d", text) and self._known_category(text):
            heading = PageHeading(text, text, self.heading_line, None, {})
        else:
            self.region = None  # another heading (a sidebar's, "Recommended articles" …) ends the list
            return
        self.headings.append(heading)
        self.region = heading
        self.region_parent = self.heading_parent

    def _headline_from_preamble(self) -> None:
        """A headline written outside a heading (in a paragraph before the first category)."""
        text = clean("".join(self.preamble))[-_PREAMBLE:]
        matches = list(_HEADLINE_IN_TEXT.finditer(text))
        if matches:
            found = matches[-1]
            parts = found.group("parts").split(")")[0]
            self.headline = (clean(found.group("side")), _number(found.group("total")), _parts(parts), 0)

    @staticmethod
    def _known_category(text: str) -> bool:
        from .context import ledger_category

        return ledger_category(text) is not None

    def _flush_entry(self) -> None:
        entry, self.entry = self.entry, None
        if entry is None or self.region is None or not entry.segments:
            return
        if entry.implicit and not _reads_like_a_model_line(entry):
            text = clean("".join(piece for piece, _, _ in entry.segments))
            links = [(link, line) for _, link, line in entry.segments if link]
            if links and _LOOKS_LIKE_LABEL.search(text):
                self.loose.append(
                    UnreadText(links[0][1], self.region.name, "", text, links[0][0], "a label outside a model line")
                )
            return
        self.entries.append((self.region, entry))


def _reads_like_a_model_line(entry: _Entry) -> bool:
    """A line outside a list item is a model line when it starts with a count and a name and holds a label."""
    text = "".join(piece for piece, _, _ in entry.segments)
    return bool(re.match(r"^\s*\d+\s+\S", text)) and bool(_LOOKS_LIKE_LABEL.search(text))


def _split_entry(region: PageHeading, entry: _Entry) -> tuple[PageEntry | None, list[PageItem], list[UnreadText]]:
    """A model line's model, count and items; what in it could not be read."""
    text = ""
    spans: list[tuple[int, int, str, int]] = []  # (start, end, link, line) of each linked piece of text
    for piece, link, line in entry.segments:
        start = len(text)
        text += piece
        if link:
            spans.append((start, len(text), link, line))
    first_link = spans[0][0] if spans else len(text)
    head = text[:first_link]
    colon = head.rfind(":")
    unlinked = _UNLINKED_LABEL.search(head)  # a model line without its colon, its first label without a link
    model_end = colon if colon >= 0 else unlinked.start() if unlinked else (first_link if spans else len(text))
    model_text = clean(text[:model_end])
    if not spans and not _LOOKS_LIKE_LABEL.search(text[model_end:]):
        if not model_text:
            return None, [], []
    count_model = _COUNT_AND_MODEL.match(model_text)
    count = int(count_model.group("count")) if count_model else None
    model = clean(count_model.group("model")) if count_model else model_text
    page_entry = PageEntry(region.name, model, count, entry.line)
    items: list[PageItem] = []
    unread: list[UnreadText] = []
    position = model_end + (1 if colon >= 0 else 0)
    rest = text[position:]
    chunk_start = position
    for match in re.finditer(r"\)", rest):
        end = position + match.end()
        _read_label(region, page_entry, entry, text, chunk_start, end, spans, items, unread)
        chunk_start = end
    tail = text[chunk_start:]
    if clean(tail) and clean(tail) not in {",", ".", ";", "and"}:
        links = _links_in(spans, chunk_start, len(text))
        unread.append(
            UnreadText(
                links[0][1] if links else entry.line,
                region.name,
                model,
                clean(tail),
                links[0][0] if links else "",
                "text that is not an item label (no closing parenthesis)",
            )
        )
    page_entry.items = len(items)
    return page_entry, items, unread


def _links_in(spans: list[tuple[int, int, str, int]], start: int, end: int) -> list[tuple[str, int]]:
    """The distinct links (and their lines) of the linked text that overlaps ``text[start:end]``, in order.

    ``spans`` are in text order, so the search starts at the first span ending after ``start``.
    """
    found: dict[str, int] = {}
    for span_start, span_end, link, line in spans[bisect.bisect_right(spans, start, key=_span_end) :]:
        if span_start >= end:
            break
        if span_end > start and link not in found:
            found[link] = line
    return list(found.items())


def _span_end(span: tuple[int, int, str, int]) -> int:
    return span[1]


def _read_label(
    region: PageHeading,
    page_entry: PageEntry,
    entry: _Entry,
    text: str,
    start: int,
    end: int,
    spans: list[tuple[int, int, str, int]],
    items: list[PageItem],
    unread: list[UnreadText],
) -> None:
    opening = text.rfind("(", start, end)
    if opening > start and clean(text[start:opening]):  # text before the label: a piece of its own, unread
        junk = _links_in(spans, start, opening)
        unread.append(
            UnreadText(
                junk[0][1] if junk else entry.line,
                region.name,
                page_entry.model,
                clean(text[start:opening]),
                junk[0][0] if junk else "",
                "not an item label",
            )
        )
        start = opening
    label = clean(text[start:end])
    if not label or label == ")":
        return
    links = _links_in(spans, start, end)
    line = links[0][1] if links else entry.line
    match = _LABEL.match(label)
    if match is None:
        unread.append(
            UnreadText(line, region.name, page_entry.model, label, links[0][0] if links else "", "not an item label")
        )
        return
    if not links:
        unread.append(UnreadText(line, region.name, page_entry.model, label, "", "an item label with no proof link"))
        return
    if not _HTTP.match(links[0][0]):
        reason = "an item label whose link is not an http(s) link"
        unread.append(UnreadText(line, region.name, page_entry.model, label, links[0][0], reason))
        return
    numbers = [int(n) for n in re.findall(r"\d+", match.group("numbers"))]
    status_text, qualifier = _status_and_qualifier(clean(match.group("status")))
    shown = label if label.startswith("(") else f"({label}"
    for number in numbers:
        items.append(
            PageItem(
                region.name,
                page_entry.model,
                tuple(entry.origins),
                number,
                shown,
                status_text,
                qualifier,
                links[0][0],
                tuple(link for link, _ in links[1:]),
                line,
                len(numbers),
            )
        )


def _status_and_qualifier(text: str) -> tuple[str, str]:
    """``"with ZU-23 AA gun, destroyed"`` -> (``"destroyed"``, ``"with ZU-23 AA gun"``); a status alone as it is."""
    parts = [p.strip() for p in text.split(",")]
    for n, part in enumerate(parts):
        if _STATUS_START.match(part):
            return ", ".join(parts[n:]), ", ".join(p for p in parts[:n] if p)
    return text, ""


def parse_page(text: str, name: str) -> OryxPage:
    """Read an Oryx page's text: headline, headings, model lines, items, and what could not be read.

    Raises
    ------
    ImportSourceError
        ``not-an-oryx-page``: no Oryx headings with counts; ``truncated-page``: the text ends inside the page.
    """
    reader = _Reader()
    reader.feed(text)
    leftover = reader.rawdata[reader.rawdata.rfind("<") :] if "<" in reader.rawdata else ""
    open_list = reader.region is not None and ("li" in reader.stack or "ul" in reader.stack or "ol" in reader.stack)
    cut_in_tag = bool(leftover.strip()) and ">" not in leftover
    reader.close()
    reader._flush_entry()
    if not reader.headings:
        raise ImportSourceError(
            f"{name} is an HTML page but not an Oryx loss list: it has no category headings with counts such as "
            "'Tanks (1477, of which destroyed: 850, …)'. Give the page 'Attack On Europe: Documenting … Equipment "
            "Losses' as saved by a browser (or its copy in a scraper's repository)",
            IssueCode.NOT_AN_ORYX_PAGE,
        )
    last = reader.headings[-1]
    if (reader.saw_html_open and not reader.saw_html_close) or cut_in_tag or (open_list and not reader.saw_html_close):
        raise ImportSourceError(
            f"{name} ends inside the page (last heading read: {last.text!r}, line {last.line}): the file is cut "
            "short. Save or download the page again; nothing was imported",
            IssueCode.TRUNCATED_PAGE,
        )
    entries: list[PageEntry] = []
    items: list[PageItem] = []
    unread: list[UnreadText] = list(reader.loose)
    for region, entry in reader.entries:
        page_entry, entry_items, entry_unread = _split_entry(region, entry)
        if page_entry is not None:
            entries.append(page_entry)
        items.extend(entry_items)
        unread.extend(entry_unread)
    unread.sort(key=lambda u: u.line)
    side, total, parts, line = reader.headline or (None, None, {}, None)
    title = clean("".join(reader.title_parts))
    if side is None:  # no headline: the title says whose losses the page lists
        lowered = title.lower()
        side = "Russia" if "russian equipment" in lowered else "Ukraine" if "ukrainian equipment" in lowered else None
    return OryxPage(title, side, total, parts, line, reader.headings, entries, items, unread, reader.saw_html_close)


def read_page_text(raw: bytes, name: str, limit: int) -> str:
    """The page's text from its bytes (gzip or not; UTF-8, or the charset it declares, else Windows-1252)."""
    data = decompress(raw, name, limit)
    declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.IGNORECASE)
    for encoding in (declared.group(1).decode("ascii") if declared else "utf-8", "utf-8"):
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")
