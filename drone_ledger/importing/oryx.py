"""The Oryx adapters: per-model (``oryx-wide``) and per-item (``oryx-long``) tables become ledger rows.

* ``oryx-wide``: ``equipment, model, sub_model, manufacturer, losses_total`` and one count column per Oryx status
  string (``destroyed by Orion`` …). Each non-zero count becomes an aggregate loss; each row's ``losses_total``
  a printed total in aggregates.csv (checked against the parts by validation).
* ``oryx-long``: ``country, system, status, url, date_recorded`` (+ ids). One item loss per row; ``country`` is
  the side that lost it (``--side`` only fills rows without one, and a row that says another side keeps its own,
  counted in the report's notes). Its categories can come from a per-model table of the same war
  (``--categories-from``).

Status strings are read with the grammar of :mod:`drone_ledger.importing.grammar`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path

from drone_ledger.errors import ImportUsageError, IssueCode
from drone_ledger.loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD
from drone_ledger.textfile import shorten

from .context import (
    Context,
    LossRow,
    ProgressCallback,
    Record,
    attribute,
    category,
    join,
    ledger_category,
    norm,
    set_status,
    stable_id,
)
from .grammar import clean_model
from .source import SourceTable, read_source

__all__ = ["WIDE_FIXED", "LONG_REQUIRED", "adapt_oryx_long", "adapt_oryx_wide", "read_model_categories", "split_link"]

WIDE_FIXED = ("equipment", "model", "sub_model", "manufacturer", "losses_total")
LONG_REQUIRED = ("country", "system", "status", "url")


def _count(text: str) -> int | None:
    """Parse an Oryx count cell: empty = 0, '1.0' = 1; None for anything that is not a whole number >= 0."""
    if not text.strip():
        return 0
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0 or number > 2**53 or number != int(number):
        return None  # 'inf', 'nan', '1e400' and a 5,000-digit number (float() gives inf) are not counts
    return int(number)


def adapt_oryx_wide(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Per-model wide table -> one aggregate loss per non-zero status count, plus one printed total per row."""
    ctx.require(("conflict", "side", "source_url"), "oryx-wide", "an Oryx per-model table")
    if missing := [c for c in ("equipment", "model") if c not in src.header]:
        raise ImportUsageError(
            f"{src.path.name} lacks column(s) {', '.join(missing)} of the Oryx per-model format",
            IssueCode.MISSING_COLUMN,
        )
    status_columns = [c for c in src.header if c and c not in WIDE_FIXED and not c.lower().startswith("unnamed")]
    records: list[Record] = []
    aggregates: list[dict[str, str]] = []
    conflicting = _conflicting_wide_rows(src)
    first_remark: dict[tuple[str | None, ...], str | None] = {}
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 500 == 0:
            progress(n, len(src.rows))
        if line in conflicting:
            for column in status_columns:
                if _count(values.get(column, "")) != 0:
                    ctx.reject(line, conflicting[line], {"model": values.get("model", ""), column: values[column]})
            continue
        model, cleaned = clean_model(values.get("model", ""))
        if cleaned:
            ctx.notes["model names cleaned of scraper debris"] += 1
        key = (ctx.conflict, ctx.side, values.get("equipment", ""), model, values.get("sub_model", ""))
        # A repeat of an earlier row (the same but for debris in the model name) is the same loss: it keeps the
        # first row's remark, so its records are exact duplicates (counted as such, never a second loss).
        remark = first_remark.setdefault(key, cleaned)
        _wide_row(values, line, key, remark, status_columns, ctx, records, aggregates)
    return records, aggregates


def _wide_row(
    values: dict[str, str],
    line: int,
    key: tuple[str | None, ...],
    remark: str | None,
    status_columns: list[str],
    ctx: Context,
    records: list[Record],
    aggregates: list[dict[str, str]],
) -> None:
    """One per-model row: a record per non-zero status count, and its printed total (``losses_total``)."""
    model, sub_model = str(key[3]), str(key[4])
    full_model = f"{model} {sub_model}".strip()
    source_name = ctx.source_name or "Oryx (per-model table)"
    counts = {c: _count(values.get(c, "")) for c in status_columns}
    items = sum(v for v in counts.values() if v)
    heading = category(values.get("equipment", ""), ctx, items)
    aggregate_id = stable_id("oryx-wide-row", *key)
    total = _count(values.get("losses_total", ""))
    if total is not None and values.get("losses_total", "").strip() and items:
        aggregates.append(
            {
                "aggregate_id": aggregate_id,
                "conflict": ctx.conflict or "",
                "side_losing": ctx.side or "",
                "category": heading,
                "total_as_printed": str(total),
                "source_url": ctx.source_url or "",
                "as_quoted_on": "",
                "compiled_by": source_name,
                "notes": f"losses_total of {full_model}",
            }
        )
    manufacturer = values.get("manufacturer", "")
    for column, count in counts.items():
        if count is None:
            ctx.reject(
                line,
                f"column {column!r}: {shorten(repr(values[column]), 60)} is not a whole number of items",
                {"model": full_model, column: values[column]},
            )
            continue
        if count == 0:
            continue
        row = ctx.base_row()
        attribute(row, set_status(row, column, ctx, count), ctx, count)
        row.update(
            {
                "loss_id": stable_id("oryx-wide", *key, column),
                "date_as_reported": "whole-war tally",
                "category": heading,
                "model": full_model,
                "quantity": str(count),
                "record_kind": "aggregate",
                "aggregate_id": aggregate_id,
                "source_name": source_name,
                "source_url": ctx.source_url or "",
                "notes": join(row["notes"], f"manufacturer: {manufacturer}" if manufacturer else "", remark or ""),
            }
        )
        records.append(Record(row, line, {"model": full_model, column: values[column]}))


def _conflicting_wide_rows(src: SourceTable) -> dict[int, str]:
    """Source lines of per-model rows that name the same model as another row but differ from it, with the reason.

    Two rows for one model (same category, cleaned model and sub-model) would give the same loss ids: if they are
    identical the second is a duplicate; if they differ, neither can be trusted over the other, so both are
    rejected with both lines named — never one silently kept.
    """
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, values in enumerate(src.rows):
        model, _ = clean_model(values.get("model", ""))
        groups[(values.get("equipment", ""), model, values.get("sub_model", ""))].append(index)
    reasons: dict[int, str] = {}
    for (equipment, model, sub_model), indices in groups.items():
        if len(indices) < 2:
            continue
        rows = [{k: v for k, v in src.rows[i].items() if k != "model"} for i in indices]
        differing = [c for c in src.header if c != "model" and len({r.get(c, "") for r in rows}) > 1]
        if not differing:
            continue
        lines = [src.lines[i] for i in indices]
        column = differing[0]
        seen = ", ".join(shorten(repr(r.get(column, "")), 30) for r in rows)
        reason = (
            f"lines {', '.join(map(str, lines))} are all {f'{model} {sub_model}'.strip()!r} ({equipment}) but differ "
            f"in {column!r} ({seen}); keep one row per model in the source"
        )
        reasons.update(dict.fromkeys(lines, reason))
    return reasons


def adapt_oryx_long(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Per-item long table -> one item loss per row; ``country`` is the side that lost it (``--side`` fills only the
    rows without one)."""
    ctx.require(("conflict",), "oryx-long", "an Oryx per-item table")
    if missing := [c for c in LONG_REQUIRED if c not in src.header]:
        raise ImportUsageError(
            f"{src.path.name} lacks column(s) {', '.join(missing)} of the Oryx per-item format",
            IssueCode.MISSING_COLUMN,
        )
    source_name = ctx.source_name or "Oryx (per-item table)"
    cache = _Repeats(ctx)
    records = []
    shape: LossRow | None = None
    # Cells a source repeats (sides, models, dates, notes) are kept once, not once per row.
    same: dict[str, str] = {}
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 2000 == 0:
            progress(n, len(src.rows))
        row = ctx.base_row()
        model, cleaned = clean_model(values["system"])
        if cleaned:
            ctx.notes["model names cleaned of a leading Oryx item number"] += 1
        row.update(cache.attribution(values["status"]))
        link, label = split_link(values["url"])
        if label:
            ctx.notes["links with other text in the url cell (the text kept in notes)"] += 1
        natural = values.get("matID") or "|".join((values["system"], values["status"], values["url"]))
        date = values.get("date_recorded", "")
        origin = values.get("origin", "")
        row.update(
            {
                "loss_id": stable_id("oryx-long", ctx.conflict, values["country"], natural),
                "side_losing": ctx.side_of(values["country"]),
                "date_earliest": "",  # not stated: the conflict's start
                "date_latest": date,  # Oryx recorded the item on this day: the loss happened on or before it
                "date_as_reported": f"recorded by Oryx on {date}" if date else "",
                "category": cache.category(values.get("category", ""), model),
                "model": model,
                "quantity": "1",
                "record_kind": "item",
                "source_name": source_name,
                "source_url": link,
                "notes": join(
                    row["notes"],
                    f"origin: {origin}" if origin else "",
                    cleaned or "",
                    f"url cell also held: {label}" if label else "",
                ),
            }
        )
        for column in ("side_losing", "date_latest", "date_as_reported", "model", "notes"):
            row[column] = same.setdefault(row[column], row[column])
        shape = LossRow.of(row, shape)
        records.append(Record(shape, line, (src.rows, n)))  # the source row read again only if reported
    if ctx.model_categories is None and (missing_category := ctx.unmapped["category"].get("(not given)", 0)):
        ctx.notes[
            "items without a category (the per-item format has none; pass --categories-from with a per-model "
            "table of the same war to take them from it)"
        ] += missing_category
    return records, []


class _Repeats:
    """A per-item source repeats a few hundred status strings and categories: each is worked out once, and what
    it leaves unmapped is counted again for every row that repeats it."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.default_category = ctx.mapping.constants.get("category", "")
        self.attributions: dict[str, tuple[dict[str, str], dict[str, Counter[str]]]] = {}
        self.categories: dict[str, tuple[str, bool]] = {}

    def attribution(self, status_text: str) -> dict[str, str]:
        """The status and attribution fields of a row with this status string."""
        known = self.attributions.get(status_text)
        if known is None:
            known = self.attributions[status_text] = _attribution(status_text, self.ctx)
        else:
            for kind, counts in known[1].items():
                self.ctx.unmapped[kind].update(counts)
        return known[0]

    def category(self, text: str, model: str) -> str:
        """The category of a row with this category cell (or the mapping's constant, or --categories-from)."""
        ctx = self.ctx
        text = text or self.default_category
        if not text and ctx.model_categories is not None:
            return _model_category(model, ctx)
        cached = self.categories.get(text)
        if cached is None:
            with ctx.unmapped_counted() as unmapped:
                found = category(text, ctx, 1)
            cached = self.categories[text] = (found, bool(unmapped.get("category")))
        elif cached[1]:
            ctx.unmapped["category"][text or "(not given)"] += 1
        return cached[0]


#: An http(s) link inside a cell (Oryx-derived per-item tables sometimes put a label before it).
_LINK = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def split_link(cell: str) -> tuple[str, str]:
    """The http(s) link of an Oryx ``url`` cell and the other text in it (``"KamAZ 6x6 https://…"``).

    A cell that is a link is returned as it is with no label; a cell holding a link and other text gives the
    first link and the rest (kept in the loss's notes); a cell with no http(s) link at all is returned unchanged,
    so validation rejects it (``invalid-url``) — it is never guessed.
    """
    text = cell.strip()
    match = _LINK.search(text)
    if match is None or match.group() == text:
        return cell, ""
    rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
    return match.group(), rest


def _model_category(model: str, ctx: Context) -> str:
    """A per-item row's category from the per-model table given with --categories-from, matched by model name."""
    assert ctx.model_categories is not None
    name = ctx.categories_source
    key = norm(model)
    if key not in ctx.model_categories:
        ctx.notes[f"items whose model is not in {name} (category Unknown)"] += 1
        ctx.unmapped["category"][f"(model not in {name})"] += 1
        return "Unknown"
    found = ctx.model_categories[key]
    if found is None:
        ctx.notes[f"items whose model is under two categories in {name} (category Unknown)"] += 1
        ctx.unmapped["category"][f"(model under two categories in {name})"] += 1
        return "Unknown"
    ctx.notes[f"items given their category from {name} by model name"] += 1
    return found


def read_model_categories(
    path: Path, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, max_field: int = DEFAULT_MAX_FIELD
) -> dict[str, str | None]:
    """Model name -> category from an Oryx per-model (oryx-wide) table; None for a model under two categories.

    Each row's model is taken cleaned of scraper debris, both alone and with its sub-model, compared ignoring
    case and spacing. A category heading the vocabulary does not know is left out (the model stays unmatched).

    Raises
    ------
    ImportSourceError
        The file cannot be read.
    ImportUsageError
        It is not a per-model table (no ``equipment`` and ``model`` columns).
    """
    table = read_source(path, encoding, None, max_bytes, max_field)
    if not {"equipment", "model"} <= set(table.header):
        raise ImportUsageError(
            f"--categories-from {path.name} is not an Oryx per-model table (it has no equipment and model columns)",
            IssueCode.NOT_A_PER_MODEL_TABLE,
        )
    found: dict[str, set[str]] = defaultdict(set)
    for values in table.rows:
        heading = ledger_category(values.get("equipment", ""))
        if heading is None:
            continue
        model, _ = clean_model(values.get("model", ""))
        for name in {model, f"{model} {values.get('sub_model', '')}".strip()}:
            if name:
                found[norm(name)].add(heading)
    return {name: next(iter(c)) if len(c) == 1 else None for name, c in found.items()}


def _attribution(text: str, ctx: Context) -> tuple[dict[str, str], dict[str, Counter[str]]]:
    """The status and attribution fields one status string gives a row, and what it left unmapped (per item)."""
    row = ctx.base_row()
    with ctx.unmapped_counted() as unmapped:
        systems = set_status(row, text, ctx, 1)
        attribute(row, systems, ctx, 1)
    fields = ("status", "status_as_reported", "attributed_system", "attributed_also", "attribution_confidence", "notes")
    return {f: row[f] for f in fields}, unmapped
