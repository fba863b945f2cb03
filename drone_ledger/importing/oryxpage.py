"""The ``oryx-page`` format: Oryx's own loss page (HTML, or HTML gzipped) becomes one item loss per item number.

The page is read by :mod:`drone_ledger.importing.pageparse`; here its items become ledger rows:

* each item number of a label is one item (``(3 and 4, destroyed)`` is two), with the label's status, the proof
  link as ``source_url``, the label as reported (``status_as_reported``), the model, and the flag's country of
  origin in the notes;
* ``by X`` in a label is the attribution (``attributed_system``, Oryx's plain statement read at ``medium``
  confidence); ``by X and Y`` is shared credit, the first system in ``attributed_system`` and the others in
  ``attributed_also`` — a partner that is not (yet) a system of the ledger stands as ``unattributed`` there, so
  the credit is never silently full; ``attribution_as_of`` is the day of the page that showed the label;
* the page was saved on ``--as-of`` D: every item on it was lost on or before D (``date_latest``);
* each item's ``loss_id`` comes from the page's own identity of it, the proof link (and, for a link that proves
  several items, the item's place among them): Oryx renumbers items as it inserts new ones, and renames and
  moves models, but keeps each item's proof.

Successive snapshots, the page's check of itself against its headline counts, and the join with WarSpotting are
:mod:`drone_ledger.importing.join`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from drone_ledger import vocab
from drone_ledger.errors import ImportSourceError, ImportUsageError, IssueCode, TableFileError
from drone_ledger.loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD
from drone_ledger.textfile import open_regular_file, read_file_bytes, shorten

from .context import Context, ProgressCallback, Record, attribute, category, join, set_status, stable_id
from .pageparse import OryxPage, link_key, looks_like_html, parse_page
from .pageparse import read_page_text as _page_text
from .source import SourceRows, SourceTable, read_source

__all__ = [
    "PAGE_COLUMNS",
    "PAGE_REMARKS",
    "PageTable",
    "adapt_oryx_page",
    "check_as_of",
    "read_page_source",
    "read_table_or_page",
]

#: The columns of the page read as a table: one row per item (what an import counts as "rows read").
PAGE_COLUMNS = ("heading", "model", "origin", "label", "item", "status", "link", "other_links", "qualifier")
#: The remarks (``key: value`` in ``notes``, matched by the start of the key) a page import writes from a label or
#: a model line; a later page's replace an earlier page's, and one the later page no longer gives goes.
PAGE_REMARKS = ("origin", "variant", "also shown by", "attribution not mapped to a system", "'by ")
#: The prefix of every loss id a page import gives.
PAGE_ID_PREFIX = "oryx-page"
#: Oryx's own statement of the attacking system, read as the ledger's other Oryx formats read it.
ORYX_CONFIDENCE = "medium"


@dataclass
class PageTable(SourceTable):
    """An Oryx page read as a table of items (one row per item number), and the page itself."""

    page: OryxPage


def check_as_of(value: str | None, required: bool) -> str | None:
    """``--as-of``: the day the page was saved, as YYYY-MM-DD, not after today.

    Raises
    ------
    ImportUsageError
        ``missing-option`` when a page needs it and it is missing, ``invalid-date-format`` when it is not a day,
        ``future-date`` when it is after today.
    """
    if value is None:
        if required:
            raise ImportUsageError(
                "an Oryx page does not say when it was saved: pass --as-of YYYY-MM-DD (the day it was saved; every "
                "item on it was lost on or before that day)",
                IssueCode.MISSING_OPTION,
            )
        return None
    try:
        day = dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        day = None
    if day is None:
        raise ImportUsageError(
            f"--as-of must be a day as YYYY-MM-DD, not {shorten(repr(value), 40)}", IssueCode.INVALID_DATE_FORMAT
        )
    if day > dt.date.today():
        raise ImportUsageError(
            f"--as-of {value} is after today; give the day the page was saved", IssueCode.FUTURE_DATE
        )
    return value


def _is_html(path: Path) -> bool:
    """True when a regular file's first bytes are an HTML page (gzipped or not); pipes and devices are not peeked."""
    try:
        stream, _ = open_regular_file(path)  # a pipe swapped in after a check is refused, never waited on
        with stream:
            head = stream.read(4096)
    except (TableFileError, OSError, ValueError):
        return False  # read_source names the problem
    return looks_like_html(head)


def read_table_or_page(
    path: Path,
    source_format: str,
    encoding: str | None,
    delimiter: str | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field: int = DEFAULT_MAX_FIELD,
) -> SourceTable:
    """The source read as the format asks: an Oryx page for ``oryx-page`` (and ``auto`` on HTML), else a CSV table.

    The file's content decides, not its name: an HTML file given as a table, or a table given as a page, is
    refused with the format to use.

    Raises
    ------
    ImportUsageError
        ``source-format-mismatch``: an HTML page given with a table's format, or not a page with ``oryx-page``.
    ImportSourceError
        The file cannot be read (see :func:`read_source` and :func:`read_page_source`).
    """
    html = _is_html(path)
    if source_format == "oryx-page" or (source_format == "auto" and html):
        if not html and path.exists() and path.is_file():
            raise ImportUsageError(
                f"{path.name} is not an HTML page (it reads as text that is not HTML); --from oryx-page reads Oryx's "
                "page as a browser saves it (.html or .html.gz): pass --from auto, or the format of this table",
                IssueCode.SOURCE_FORMAT_MISMATCH,
            )
        return read_page_source(path, max_bytes)
    if html:
        raise ImportUsageError(
            f"{path.name} is an HTML page, not a CSV table; if it is Oryx's list of losses, import it with --from "
            f"oryx-page (not --from {source_format})",
            IssueCode.SOURCE_FORMAT_MISMATCH,
        )
    return read_source(path, encoding, delimiter, max_bytes, max_field)


def read_page_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> PageTable:
    """Read an Oryx page (``.html`` or ``.html.gz``) as a table of items.

    Raises
    ------
    ImportSourceError
        The file is missing, not a file, over ``max_bytes`` (packed or unpacked), not Oryx's loss list
        (``not-an-oryx-page``) or cut short (``truncated-page``).
    """
    name = path.name
    raw = read_file_bytes(path, max_bytes, ImportSourceError)
    page = parse_page(_page_text(raw, name, max_bytes), name)
    columns: list[list[str]] = [[] for _ in PAGE_COLUMNS]
    for item in page.items:
        cells = (
            item.heading,
            item.model,
            " / ".join(item.origins),
            item.label,
            str(item.number),
            item.status_text,
            item.link,
            " ".join(item.other_links),
            item.qualifier,
        )
        for column, cell in zip(columns, cells, strict=True):
            column.append(cell)
    header = list(PAGE_COLUMNS)
    rows = SourceRows(header, columns, len(page.items))
    return PageTable(path, header, rows, [item.line for item in page.items], "utf-8", "", page)


def page_side(page: OryxPage, ctx: Context) -> str:
    """The side that lost the page's items: ``--side``, or the page's own headline; refused if they differ."""
    if ctx.side and page.side and ctx.side.casefold() != page.side.casefold():
        raise ImportUsageError(
            f"the page's headline gives {page.side}'s losses, but --side says {ctx.side}; leave --side out, or "
            "check that this is the right page",
            IssueCode.IMPORT_USAGE,
        )
    side = page.side or ctx.side  # the page's own spelling, so that ids do not depend on how --side was typed
    if not side:
        raise ImportUsageError(
            "this page has no headline naming the side that lost the items ('Russia - 7858, of which …'); pass "
            "--side NAME",
            IssueCode.MISSING_OPTION,
        )
    return side


def adapt_oryx_page(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """One item loss per item number of the page (see the module docstring)."""
    if not isinstance(src, PageTable):
        raise ImportUsageError(
            f"{src.path.name} is a table; --from oryx-page reads Oryx's page (HTML)", IssueCode.SOURCE_FORMAT_MISMATCH
        )
    ctx.require(("conflict",), "oryx-page", "an Oryx page")
    as_of = check_as_of(ctx.as_of, required=True) or ""
    side = page_side(src.page, ctx)
    source_name = ctx.source_name or "Oryx"
    occurrences: Counter[str] = Counter()
    labels: dict[str, dict[str, str]] = {}
    categories: dict[str, str] = {}
    records = []
    for n, item in enumerate(src.page.items):
        if progress and n % 2000 == 0:
            progress(n, len(src.page.items))
        key = link_key(item.link)
        place = occurrences[key]
        occurrences[key] += 1
        row = ctx.base_row()
        status = labels.get(item.status_text)
        if status is None:
            status = labels[item.status_text] = _label_fields(item.status_text, ctx)
        else:
            _count_unmapped_again(item.status_text, status, ctx)
        row.update(status)
        heading = categories.get(item.heading)
        if heading is None:
            heading = categories[item.heading] = category(item.heading, ctx, 0)
        if heading == "Unknown":
            ctx.unmapped["category"][item.heading] += 1
        model = f"{item.model} {item.qualifier}".strip() if item.qualifier.startswith("with ") else item.model
        row.update(
            {
                "loss_id": stable_id(PAGE_ID_PREFIX, ctx.conflict, side, key, place),
                "side_losing": side,
                "date_earliest": "",
                "date_latest": as_of,
                "date_as_reported": f"listed on Oryx's page as saved on {as_of}",
                "category": heading,
                "model": model,
                "quantity": "1",
                "record_kind": "item",
                "status_as_reported": item.label,
                "attribution_as_of": as_of if row["attributed_system"] != vocab.UNATTRIBUTED else "",
                "source_name": source_name,
                "source_url": item.link,
                "notes": join(
                    row["notes"],
                    f"origin: {' / '.join(item.origins)}" if item.origins else "",
                    f"variant: {item.qualifier}" if item.qualifier and not item.qualifier.startswith("with ") else "",
                    f"also shown by: {' '.join(item.other_links)}" if item.other_links else "",
                ),
            }
        )
        records.append(Record(row, src.lines[n], (src.rows, n)))
    return records, []


def _label_fields(status_text: str, ctx: Context) -> dict[str, str]:
    """The status and attribution fields one label's status gives (shared credit never read as full credit)."""
    row = ctx.base_row()
    systems = set_status(row, status_text, ctx, 1)
    attribute(row, systems, ctx, 1)
    if len(systems) > 1 and row["attributed_system"] != vocab.UNATTRIBUTED:
        partners = len(set(filter(None, row["attributed_also"].split(vocab.LIST_SEPARATOR))))
        if partners < len(set(systems)) - 1:  # a partner that is not a system of the ledger: credit stays shared
            also = [*filter(None, row["attributed_also"].split(vocab.LIST_SEPARATOR)), vocab.UNATTRIBUTED]
            row["attributed_also"] = vocab.LIST_SEPARATOR.join(dict.fromkeys(also))
    if row["attributed_system"] != vocab.UNATTRIBUTED:
        row["attribution_confidence"] = row["attribution_confidence"] or ORYX_CONFIDENCE
    fields = ("status", "attributed_system", "attributed_also", "attribution_confidence", "notes")
    return {f: row[f] for f in fields}


def _count_unmapped_again(status_text: str, fields: dict[str, str], ctx: Context) -> None:
    """An item repeating a label whose status or systems went unmapped is counted again (per item)."""
    if fields["status"] == "unknown":
        ctx.unmapped["status"][status_text] += 1
    for name in ctx.status(status_text).systems:
        if name in ctx.unmapped["system"]:
            ctx.unmapped["system"][name] += 1


def is_page_loss(loss_id: str) -> bool:
    """True for a loss id a page import gives."""
    return loss_id.startswith(PAGE_ID_PREFIX + "-")
