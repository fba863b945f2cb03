"""One loss, counted once: successive snapshots of an Oryx page, and WarSpotting records joined with Oryx items.

Runs between an adapter and the merge (:func:`reconcile`), for the ``oryx-page`` and ``warspotting`` formats:

* **Snapshots.** A page item already in the ledger (same ``loss_id``) takes the new page's category, model,
  status and label, but never loses what an earlier page said: the day it was first listed by (``date_latest``
  stays the earliest page's), and its attribution — a label that a later page no longer shows is kept, with the
  day of the page that showed it (``attribution_as_of``), and counted. Items of an earlier page that this page
  does not list are reported, never deleted.
* **The join.** A WarSpotting record whose ``oryx_url`` is an Oryx item's proof link (compared as
  :func:`~drone_ledger.importing.pageparse.link_key`: the same photo or post however the link is written), of
  the same war and side, with models that agree (:func:`model_agreement`), is the same loss: the Oryx item gains
  WarSpotting's id, day (an exact interval, when it is not after the page's own day), place, unit and tags, with
  ``date_place_source`` "WarSpotting N via proof link"; WarSpotting's model, status and other remarks go to the
  notes. A link that proves several items is matched to as many records, best-agreeing models first. Models that
  do not agree keep two losses, and are reported; so are statuses and days that differ.
* **Order does not matter.** Importing WarSpotting first gives WarSpotting-only rows; a page imported later joins
  them into its items (the WarSpotting rows' ids are retired: the item's id stays the page's) — the same rows as
  importing the page first.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from drone_ledger import vocab
from drone_ledger.errors import IssueCode
from drone_ledger.ledger import Ledger
from drone_ledger.loading import Table
from drone_ledger.results.core import Issue, Severity
from drone_ledger.results.ledger import ImportReport
from drone_ledger.results.sources import HeadingCount, JoinSummary, PageCheck
from drone_ledger.scopes import split_list

from .context import Context, Record
from .merge import text_rows
from .oryxpage import PAGE_ID_PREFIX, PAGE_REMARKS, PageTable
from .pageparse import HEADING_STATUSES, link_key
from .source import SourceTable
from .warspotting import WARSPOTTING_ID_PREFIX, WARSPOTTING_SITE, unknown_columns

__all__ = ["item_agreement", "merge_remarks", "model_agreement", "reconcile"]

#: The columns a WarSpotting record gives a joined Oryx item.
WARSPOTTING_FIELDS = ("warspotting_id", "nearest_location", "coordinates", "unit", "tags")
#: What a later page decides for an item it lists (the rest of an existing row is kept).
PAGE_FIELDS = (
    *("conflict", "side_losing", "category", "model", "quantity", "status", "status_as_reported"),
    *("record_kind", "source_name", "source_url"),
)
ATTRIBUTION_FIELDS = ("attributed_system", "attributed_also", "attribution_confidence", "attribution_as_of")
_PAGE_DAY = re.compile(r"Oryx's page as saved on (\d{4}-\d{2}-\d{2})")
#: The remark that keeps the label an attribution came from (written by :func:`_snapshot`).
_KEPT_LABEL = re.compile(r"attribution: from the label (.*?) on Oryx's page as saved on")
_STOP_WORDS = frozenset({"for", "and", "or", "with", "the", "of", "a"})


def reconcile(
    report: ImportReport, ledger: Ledger, records: list[Record], src: SourceTable, ctx: Context, fmt: str
) -> Ledger:
    """Fit an Oryx page's or a WarSpotting export's records to the ledger; return the ledger to merge them into.

    Records are changed in place (a record for a loss already in the ledger becomes its update); the ledger
    returned lacks the WarSpotting-only rows that records now stand for. What was found goes in ``report``
    (``page``, ``join``, ``issues``). Other formats pass through unchanged.
    """
    if fmt == "oryx-page" and isinstance(src, PageTable):
        return _Reconciler(report, ledger, src, ctx).page(records)
    if fmt == "warspotting":
        extra = unknown_columns(src.header)
        if extra:
            report.issues.append(
                _issue(
                    src,
                    IssueCode.UNKNOWN_COLUMN,
                    f"column(s) {', '.join(repr(c) for c in extra)} are in neither WarSpotting column set; their "
                    "values are kept in each loss's notes",
                    column=extra[0],
                )
            )
        return _Reconciler(report, ledger, src, ctx).warspotting(records)
    return ledger


def _issue(
    src: SourceTable, code: IssueCode, message: str, line: int | None = None, column: str | None = None
) -> Issue:
    return Issue("source", src.path.name, line, column, code, None, message, Severity.WARNING)


def _attributed(row: Mapping[str, str]) -> bool:
    return row.get("attributed_system", "") not in ("", vocab.UNATTRIBUTED)


def _remarks(text: str) -> list[str]:
    return [part for part in text.split("; ") if part]


def _key(remark: str) -> str:
    return remark.split(": ", 1)[0] if ": " in remark else remark


def merge_remarks(old: str, new: str, owned: tuple[str, ...] = ()) -> str:
    """Notes ``old`` with ``new``'s remarks: a remark with the same key (``key: value``) is replaced in place, new
    keys are added at the end, and remarks whose key is in ``owned`` (the new source's own) are dropped when the
    new notes no longer have them; every other remark (a researcher's) is kept."""
    fresh = _remarks(new)
    by_key = {_key(r): r for r in fresh}
    out: list[str] = []
    for remark in _remarks(old):
        key = _key(remark)
        if key in by_key:
            out.append(by_key.pop(key))
        elif not any(key == o or key.startswith(o) for o in owned):
            out.append(remark)
    out += [r for r in fresh if _key(r) in by_key]
    return "; ".join(dict.fromkeys(out))


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _tokens(text: str) -> set[str]:
    plain = re.sub(r"[^a-z0-9]+", " ", re.sub(r"['’‘\"“”]", "", text.lower()))
    return {t for t in plain.split() if t not in _STOP_WORDS}


@functools.lru_cache(maxsize=1 << 16)
def model_agreement(page_model: str, warspotting_model: str, *, wildcards: bool = True) -> int:
    """2 when two names are the same model (ignoring case, spaces and punctuation), 1 when they agree (one names
    a variant or a refinement of the other, shares a designation such as ``9T452`` or ``53949``, or is an unknown
    of its kind), 0 when they name different things (``122mm BM-21 Grad`` and ``Ural-4320``).

    ``wildcards=False`` leaves out the agreements that rest only on one name saying nothing definite: no model, an
    ``Unknown …``, or WarSpotting's uncertain model (``T-62 *``)."""
    a, b = _squash(page_model), _squash(warspotting_model)
    if not a or not b:
        return 1 if wildcards else 0
    if a == b:
        return 2
    if a.startswith(b) or b.startswith(a):
        return 1
    ta, tb = _tokens(page_model), _tokens(warspotting_model)
    if ta <= tb or tb <= ta:
        return 1
    if wildcards and ("unknown" in ta | tb or warspotting_model.rstrip().endswith("*")):
        return 1
    if any(any(c.isdigit() for c in t) and len(t) >= 3 and not re.fullmatch(r"\d+mm|(19|20)\d\d", t) for t in ta & tb):
        return 1
    fewer, more = sorted((ta - tb, tb - ta), key=len)
    if fewer and all(any(x.startswith(y) or y.startswith(x) for y in more) for x in fewer):
        return 1
    if not wildcards:  # "Unknown AFV" and "Unknown tank" share only the word that says nothing
        a, b = a.removeprefix("unknown"), b.removeprefix("unknown")
    prefix = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return 1 if prefix >= 5 and prefix >= 0.6 * min(len(a), len(b)) else 0


def item_agreement(page_row: Mapping[str, str], ws_row: Mapping[str, str]) -> int:
    """:func:`model_agreement` of a page item and a WarSpotting record, where a wildcard (an unknown or uncertain
    model) agrees only within one category: a Tor-M1 TLAR and WarSpotting's ``T-62 *`` (Tanks) at one proof link
    are two losses, though the uncertain model would agree with anything."""
    level = model_agreement(page_row["model"], ws_row["model"])
    if level != 1 or model_agreement(page_row["model"], ws_row["model"], wildcards=False):
        return level
    known = {row.get("category", "") for row in (page_row, ws_row)} - {"", "Unknown"}
    return 0 if len(known) == 2 else level


def _pair(
    page_rows: Sequence[Mapping[str, str]], ws_rows: Sequence[Mapping[str, str]]
) -> tuple[list[tuple[int, int, int]], list[int], list[int]]:
    """Pairs (page position, WarSpotting position, agreement) of one proof link, best-agreeing first; the unpaired."""
    candidates = sorted(
        ((item_agreement(p, w), i, j) for i, p in enumerate(page_rows) for j, w in enumerate(ws_rows)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    pairs, used_page, used_ws = [], set(), set()
    for level, i, j in candidates:
        if level and i not in used_page and j not in used_ws:
            pairs.append((i, j, level))
            used_page.add(i)
            used_ws.add(j)
    return (
        pairs,
        [i for i in range(len(page_rows)) if i not in used_page],
        [j for j in range(len(ws_rows)) if j not in used_ws],
    )


def _ws_number(row: Mapping[str, str]) -> int:
    text = row.get("warspotting_id", "")
    return int(text) if text.isdigit() else 0


def _page_day(row: Mapping[str, str]) -> str:
    """The day of the page that listed an item first (its bound: lost on or before it)."""
    found = _PAGE_DAY.search(row.get("date_as_reported", ""))
    return found.group(1) if found else row.get("date_latest", "")


class _Reconciler:
    """One import's records against the ledger's rows of the same war."""

    def __init__(self, report: ImportReport, ledger: Ledger, src: SourceTable, ctx: Context) -> None:
        self.report, self.ledger, self.src, self.ctx = report, ledger, src, ctx
        self.conflict = ctx.conflict or ""
        self.rows = text_rows(ledger["losses"])
        self.by_id = {row["loss_id"]: row for row in self.rows}
        self.summary = JoinSummary()
        self.retired: set[str] = set()

    def _side(self, row: Mapping[str, str]) -> tuple[str, str]:
        return (row.get("conflict", ""), row.get("side_losing", "").casefold())

    def _page_rows_by_link(self) -> dict[tuple[str, str, str], list[dict[str, str]]]:
        found: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
        for row in self.rows:
            if row["loss_id"].startswith(PAGE_ID_PREFIX + "-"):
                found[(*self._side(row), link_key(row.get("source_url", "")))].append(row)
        return found

    # --- an Oryx page ------------------------------------------------------------------------------------------
    def page(self, records: list[Record]) -> Ledger:
        """Snapshots and the join for the records of a page (see the module docstring)."""
        assert isinstance(self.src, PageTable)
        check = self._page_check(records)
        fresh: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        kept_labels: set[tuple[str, str, str]] = set()
        for record in records:
            existing = self.by_id.get(record.row["loss_id"])
            if existing is None:
                fresh[(*self._side(record.row), link_key(record.row["source_url"]))].append(record)
                continue
            row, kept = _snapshot(existing, record.row)
            if kept:
                check.attributions_kept += 1
                label = _KEPT_LABEL.search(row["notes"])
                kept_labels.add((row["model"], row["source_url"], label.group(1) if label else ""))
            record.row = row
        check.labels_kept = len(kept_labels)
        ws_only: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
        for row in self.rows:
            if row["loss_id"].startswith(WARSPOTTING_ID_PREFIX + "-") and row.get("source_url"):
                ws_only[(*self._side(row), link_key(row["source_url"]))].append(row)
        for key, group in fresh.items():
            candidates = sorted(ws_only.get(key, []), key=_ws_number)
            if candidates:
                self._join_group([r.row for r in group], candidates, group, page_first=False)
        ids = {record.row["loss_id"] for record in records}
        side = next(iter(records)).row["side_losing"].casefold() if records else ""
        check.items_not_on_page = [
            row["loss_id"]
            for row in self.rows
            if row["loss_id"].startswith(PAGE_ID_PREFIX + "-")
            and row["loss_id"] not in ids
            and self._side(row) == (self.conflict, side)
        ]
        self._page_issues(check)
        self.report.page = check
        self._finish()
        return self._without_retired()

    def _page_check(self, records: list[Record]) -> PageCheck:
        """The page against its own headline and heading counts; what it attributes (see :class:`PageCheck`)."""
        assert isinstance(self.src, PageTable)
        page = self.src.page
        read: dict[str, Counter[str]] = defaultdict(Counter)
        category: dict[str, str] = {}
        attributed: Counter[str] = Counter()
        labels: set[tuple[str, str]] = set()
        shared = 0
        for record, item in zip(records, page.items, strict=True):
            row = record.row
            read[item.heading][row["status"]] += 1
            category[item.heading] = row["category"]
            if _attributed(row):
                labels.add((item.link, item.label))
                for system in (row["attributed_system"], *split_list(row["attributed_also"])):
                    if system != vocab.UNATTRIBUTED:  # a partner not (yet) in systems.csv: shared, not named
                        attributed[system] += 1
                shared += bool(row["attributed_also"])
        headings = [
            HeadingCount(
                h.name,
                category.get(h.name, ""),
                h.line,
                h.printed_total,
                sum(read[h.name].values()),
                dict(h.printed_parts),
                {s: read[h.name][s] for s in (*HEADING_STATUSES, "unknown") if read[h.name][s]},
            )
            for h in page.headings
        ]
        return PageCheck(
            title=page.title,
            side=records[0].row["side_losing"] if records else page.side or "",
            as_of=self.ctx.as_of or "",
            headline=page.headline_total,
            read=len(page.items),
            headings=headings,
            unread=[u.to_dict() for u in page.unread],
            model_lines=[
                {"line": e.line, "heading": e.heading, "model": e.model, "printed": e.count, "read": e.items}
                for e in page.entries
                if e.count is not None and e.count != e.items
            ],
            attribution_labels=len(labels),
            attributed_items=dict(attributed.most_common()),
            shared_items=shared,
        )

    def _page_issues(self, check: PageCheck) -> None:
        """The page's check as coded warnings."""
        src, issues = self.src, self.report.issues
        if check.difference:
            share = check.difference_share or 0
            issues.append(
                _issue(
                    src,
                    IssueCode.PAGE_COUNT_MISMATCH,
                    f"{check.read:,} items read against the headline's {check.headline:,} "
                    f"({check.difference:+,}, {share:.2%}); the headings' differences and every unread piece of the "
                    "lists are listed",
                )
            )
        for heading in check.headings:
            if heading.printed is None:
                issues.append(
                    _issue(
                        src,
                        IssueCode.PAGE_COUNT_MISMATCH,
                        f"the heading {heading.heading!r} prints no readable total; {heading.read:,} items read under "
                        "it",
                        heading.line,
                    )
                )
            elif heading.difference:
                issues.append(
                    _issue(
                        src,
                        IssueCode.PAGE_COUNT_MISMATCH,
                        f"{heading.heading}: {heading.read:,} items read, the heading counts {heading.printed:,} "
                        f"({heading.difference:+,})",
                        heading.line,
                    )
                )
        for unread in check.unread:
            issues.append(
                _issue(
                    src,
                    IssueCode.UNREAD_PAGE_ITEM,
                    f"{unread['heading']} / {unread['model'] or '(no model)'}: {unread['text']!r} is {unread['reason']}"
                    + (f" ({unread['link']})" if unread["link"] else "")
                    + "; not imported",
                    unread["line"],
                )
            )
        if not check.attribution_labels:
            issues.append(
                _issue(
                    src,
                    IssueCode.NO_ATTRIBUTION_LABELS,
                    "no label on this page names the system that caused a loss ('destroyed by …'): every item is "
                    "imported unattributed (Oryx wrote the attacking system into Russian-loss labels until 13 Nov "
                    "2022); attributions an earlier page showed are kept",
                )
            )
        if check.attributions_kept:
            issues.append(
                _issue(
                    src,
                    IssueCode.ATTRIBUTION_KEPT,
                    f"{check.labels_kept:,} label(s) naming a system ({check.attributions_kept:,} item(s)) are no "
                    "longer on this page: each item keeps the attribution an earlier page showed "
                    "(attribution_as_of gives that page's day)",
                )
            )
        if check.items_not_on_page:
            shown = ", ".join(check.items_not_on_page[:5])
            more = len(check.items_not_on_page) - 5
            issues.append(
                _issue(
                    src,
                    IssueCode.ITEM_NOT_ON_PAGE,
                    f"{len(check.items_not_on_page):,} item(s) of an earlier page are not on this one; they are "
                    f"kept, not deleted: {shown}" + (f" and {more:,} more" if more > 0 else ""),
                )
            )

    # --- WarSpotting -------------------------------------------------------------------------------------------
    def warspotting(self, records: list[Record]) -> Ledger:
        """The join for the records of a WarSpotting export (see the module docstring)."""
        joined_by_ws = {
            (*self._side(row), row["warspotting_id"]): row
            for row in self.rows
            if row.get("warspotting_id") and row["loss_id"].startswith(PAGE_ID_PREFIX + "-")
        }
        page_rows = self._page_rows_by_link()
        no_proof = self.ctx.source_url or WARSPOTTING_SITE
        waiting: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        unlinked: Counter[tuple[str, str]] = Counter()
        first: dict[tuple[str, str, str], tuple[Mapping[str, str], Record]] = {}
        repeats: list[tuple[Mapping[str, str], Record, Record, Mapping[str, str]]] = []
        for record in records:
            row = record.row
            number = (*self._side(row), row["warspotting_id"])
            if number in first:  # the same record again: it follows the first (merge counts or rejects it)
                repeats.append((row, record, first[number][1], first[number][0]))
                continue
            first[number] = (row, record)  # an adapter's row is never changed: a record gets a new one
            joined = joined_by_ws.get(number)
            if joined is not None:
                record.row = _joined(joined, row, self.summary)
                self.summary.refreshed += 1
                self._retire_own(row)
            elif row["source_url"] != no_proof:
                waiting[(*self._side(row), link_key(row["source_url"]))].append(record)
            else:
                unlinked[self._side(row)] += 1
        self._unlinked(unlinked, page_rows)
        for key, group in waiting.items():
            candidates = [row for row in page_rows.get(key, []) if not row.get("warspotting_id")]
            if candidates:
                group.sort(key=lambda r: _ws_number(r.row))
                self._join_group(candidates, [r.row for r in group], group, page_first=True)
        for raw, record, original, original_raw in repeats:
            same = dict(raw) == dict(original_raw)
            record.row = original.row if same else {**raw, "loss_id": original.row["loss_id"]}
        self.report.join = self.summary
        self._finish()
        return self._without_retired()

    def _unlinked(
        self, unlinked: Counter[tuple[str, str]], page_rows: dict[tuple[str, str, str], list[dict[str, str]]]
    ) -> None:
        """Records with no link could not be joined: say so where the ledger holds page items they may repeat."""
        items = Counter[tuple[str, str]]()
        for (conflict, side, _), rows in page_rows.items():
            items[(conflict, side)] += len(rows)
        for (conflict, side), count in sorted(unlinked.items()):
            self.summary.unlinked += count
            if items[(conflict, side)]:
                self.report.issues.append(
                    _issue(
                        self.src,
                        IssueCode.NO_PROOF_LINK,
                        f"{count:,} WarSpotting record(s) of {conflict} carry no proof link (no oryx_url, sources or "
                        f"photos), so none could be joined to the ledger's {items[(conflict, side)]:,} Oryx item(s) "
                        "of the same side: a loss both list is counted twice. Import an export with oryx_url (the "
                        "2024 column set) first: a record it joined is then refreshed by its WarSpotting id",
                    )
                )

    def _retire_own(self, ws_row: Mapping[str, str]) -> None:
        """A WarSpotting-only row of this record, now joined into a page item, leaves the ledger."""
        if ws_row["loss_id"] in self.by_id:
            self.retired.add(ws_row["loss_id"])

    # --- both --------------------------------------------------------------------------------------------------
    def _join_group(
        self,
        page_rows: Sequence[Mapping[str, str]],
        ws_rows: Sequence[Mapping[str, str]],
        group: list[Record],
        *,
        page_first: bool,
    ) -> None:
        """Pair one proof link's page items and WarSpotting records; the group's records become the joined rows.

        ``page_first``: the page items are in the ledger and ``group`` holds the WarSpotting records (a WarSpotting
        import); otherwise ``group`` holds the page's records and the WarSpotting rows are in the ledger.
        """
        pairs, page_left, ws_left = _pair(page_rows, ws_rows)
        for i, j, level in pairs:
            page_row, ws_row = page_rows[i], ws_rows[j]
            record = group[j] if page_first else group[i]
            record.row = _joined(page_row, ws_row, self.summary)
            self.summary.joined += 1
            self.summary.other_model_names += level < 2
            if page_first:
                self._retire_own(ws_row)
            else:
                self.retired.add(ws_row["loss_id"])
        for j in ws_left:
            ws_row = ws_rows[j]
            if not page_left:
                self.summary.surplus += 1
                self.summary.disagreements.append(
                    _disagreement(
                        "count",
                        page_rows[0],
                        ws_row,
                        f"WarSpotting has {len(ws_rows)} record(s) at this proof link, the page {len(page_rows)} "
                        "item(s) (joined to other records)",
                        "kept as a loss of its own",
                    )
                )
                continue
            others = ", ".join(sorted({page_rows[i]["model"] for i in page_left}))
            self.summary.disagreements.append(
                _disagreement(
                    "model",
                    page_rows[page_left[0]],
                    ws_row,
                    f"the page's {others!r} and WarSpotting's {ws_row['model']!r} at the same proof link do not agree",
                    "kept as two losses",
                )
            )

    def _finish(self) -> None:
        """The join's disagreements as coded warnings."""
        summary = self.summary
        summary.retired = sorted(self.retired)
        for found in summary.disagreements:
            self.report.issues.append(
                _issue(
                    self.src,
                    IssueCode.JOIN_DISAGREEMENT,
                    f"WarSpotting {found['warspotting_id']} / {found['loss_id']}: {found['message']}; "
                    f"{found['outcome']}",
                    column=found["kind"],
                )
            )
        if summary.joined or summary.refreshed or summary.disagreements or summary.surplus:
            self.report.join = summary

    def _without_retired(self) -> Ledger:
        """The ledger without the WarSpotting-only rows now joined into page items."""
        if not self.retired:
            return self.ledger
        table = self.ledger.tables["losses"]
        frame = table.frame
        keep = ~frame["loss_id"].isin(self.retired).to_numpy()
        losses = Table(
            table.spec,
            table.path,
            frame[keep].reset_index(drop=True),
            issues=list(table.issues),
            readable=table.readable,
            missing_columns=list(table.missing_columns),
            lines=table.lines[keep] if len(table.lines) == len(keep) else np.zeros(0, dtype=np.int64),
            original=table.original,  # the kept rows are copied from the file by their lines (importing.merge)
        )
        return Ledger(self.ledger.path, {**self.ledger.tables, "losses": losses})


def _snapshot(existing: Mapping[str, str], new: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """An item already in the ledger as a later (or earlier) page lists it; True when its attribution was kept."""
    row = {**new, **{c: v for c, v in existing.items() if v}}
    for column in PAGE_FIELDS:
        row[column] = new.get(column, "")
    if not existing.get("date_place_source"):  # the dates are the pages' own: the earliest page bounds the loss
        earlier = existing.get("date_latest", "")
        if not earlier or (new.get("date_latest") and new["date_latest"] < earlier):
            for column in ("date_earliest", "date_latest", "date_as_reported"):
                row[column] = new.get(column, "")
    kept = False
    notes = new.get("notes", "")
    if _attributed(new):
        same = all(existing.get(c, "") == new.get(c, "") for c in ATTRIBUTION_FIELDS[:2])
        for column in ATTRIBUTION_FIELDS:
            row[column] = new.get(column, "")
        if same:
            row["attribution_as_of"] = max(existing.get("attribution_as_of", ""), new.get("attribution_as_of", ""))
        elif _attributed(existing):
            notes = merge_remarks(
                notes,
                f"earlier attribution: {existing.get('status_as_reported', '')} "
                f"(Oryx's page as saved on {existing.get('attribution_as_of', '')})",
            )
    elif _attributed(existing):
        kept = True
        for column in ATTRIBUTION_FIELDS:
            row[column] = existing.get(column, "")
        if "attribution: from the label" not in existing.get("notes", ""):
            notes = merge_remarks(
                notes,
                f"attribution: from the label {existing.get('status_as_reported', '')} on Oryx's page as saved on "
                f"{existing.get('attribution_as_of', '')}",
            )
    else:
        for column in ATTRIBUTION_FIELDS:
            row[column] = new.get(column, "")
    row["notes"] = merge_remarks(existing.get("notes", ""), notes, PAGE_REMARKS)
    return row, kept


def _joined(page_row: Mapping[str, str], ws_row: Mapping[str, str], summary: JoinSummary) -> dict[str, str]:
    """A page item with a WarSpotting record of the same loss: the page's fields, WarSpotting's day and place."""
    row = {**{c: v for c, v in ws_row.items() if v}, **{c: v for c, v in page_row.items() if v}}
    row.update({c: v for c, v in page_row.items() if c not in row})
    number = ws_row.get("warspotting_id", "")
    for column in WARSPOTTING_FIELDS:
        row[column] = ws_row.get(column, "")
    row["date_place_source"] = f"WarSpotting {number} via proof link"
    remarks = _remarks(ws_row.get("notes", ""))
    if _squash(page_row["model"]) != _squash(ws_row["model"]):
        remarks.append(f"WarSpotting model: {ws_row['model']}")
    day, bound = ws_row.get("date_latest", ""), _page_day(page_row)
    if page_row.get("status") != ws_row.get("status"):
        remarks.append(f"WarSpotting status: {ws_row.get('status_as_reported') or ws_row.get('status')}")
        summary.disagreements.append(
            _disagreement(
                "status",
                page_row,
                ws_row,
                f"the page says {page_row.get('status')!r}, WarSpotting {ws_row.get('status')!r}",
                "joined; the page's status kept, WarSpotting's in the notes",
            )
        )
    if day and (not bound or day <= bound):
        row["date_earliest"] = row["date_latest"] = day
        row["date_as_reported"] = f"{day} (WarSpotting {number}); listed on Oryx's page as saved on {bound}"
    else:  # the page's own bound (a refreshed item may hold an earlier record's day)
        row["date_earliest"], row["date_latest"] = "", bound
        row["date_as_reported"] = f"listed on Oryx's page as saved on {bound}" if bound else ""
        if day:
            remarks.append(f"WarSpotting date: {day}")
            summary.disagreements.append(
                _disagreement(
                    "date",
                    page_row,
                    ws_row,
                    f"WarSpotting dates the loss {day}, after the page of {bound} listed it",
                    "joined; the page's bound kept",
                )
            )
    row["notes"] = merge_remarks(page_row.get("notes", ""), "; ".join(remarks), ("WarSpotting ",))
    return row


def _disagreement(
    kind: str, page_row: Mapping[str, str], ws_row: Mapping[str, str], what: str, outcome: str
) -> dict[str, Any]:
    field = {"date": "date_latest", "count": "model"}.get(kind, kind)
    return {
        "kind": kind,
        "loss_id": page_row["loss_id"],
        "warspotting_id": ws_row.get("warspotting_id", ""),
        "link": page_row.get("source_url", ""),
        "page": page_row.get(field, ""),
        "warspotting": ws_row.get(field, ""),
        "outcome": outcome,
        "message": what,
    }
