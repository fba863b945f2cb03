"""Views of a system's documented record (``record``) and of "for scale" (in ``summary``)."""

from __future__ import annotations

import datetime as dt

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from drone_ledger.formatting import format_day, format_money, format_period, format_range, format_total
from drone_ledger.results.core import BucketTotal
from drone_ledger.results.record import NEAR_DAYS, ClaimCheck, ForScale, MatchedItem, SystemRecord, WarRecord

from .common import bullets, is_wide, md, md_table, rich_table, wrap_text

#: A claim check lists every matched item up to this many; beyond, only those inside or near its period.
MAX_LISTED = 12

__all__ = ["for_scale_markdown", "for_scale_panel", "print_record", "record_markdown"]


def _when(first: str | None, last: str | None) -> str:
    """``24 Feb – 13 Nov 2022 (263 days)``, or what is not known."""
    if first is None or last is None:
        return "no end known" if first else "no items"
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    return f"{format_period(first, last)} ({days:,} days)"


def interval(first: str | None, last: str | None) -> str:
    """When a loss happened, in a few words: ``4 Sep 2022``, ``on or before 1 Sep 2022``, ``24 Feb – 5 Sep 2022``."""
    if first and first == last:
        return format_day(first)
    if not first:
        return f"on or before {format_day(last)}" if last else "any day of the war"
    return f"{format_day(first)} – {format_day(last)}" if last else f"on or after {format_day(first)}"


def war_headline(w: WarRecord) -> list[str]:
    """The war's record in two or three lines of plain text (every view shows these)."""
    name = f"{w.conflict_name} ({w.conflict})"
    if not w.total.items:
        lines = [f"{name}: no item credited to the {w.system_name} at an accepted confidence."]
        lines += [
            f"Not counted: {n.loss_id} ({n.items:,} {n.status} item{'' if n.items == 1 else 's'}, {n.confidence} "
            "confidence)."
            for n in w.not_counted
        ]
        return lines
    value = format_money(w.total.value, w.dollar_year) if w.total.items_costed else "nothing"
    per_day = f" Per day: {w.items_per_day:.2f} items" if w.items_per_day is not None else ""
    if w.value_per_day is not None:
        per_day += f" and {format_range(w.value_per_day)}"
    lines = [
        f"{name}, {w.side}'s losses: {w.total.items:,} items, {_when(w.first_day, w.last_day)}, worth {value} "
        f"where priced ({w.total.items_uncosted:,} uncosted).{per_day}.",
    ]
    shared = ""
    if w.shared.items:
        verb = "rests" if w.shared.items == 1 else "rest"
        worth = f", worth {format_money(w.shared.value, w.dollar_year)}," if w.shared.items_costed else ""
        shared = f"; {w.shared.items:,}{worth} {verb} on credit shared with {w.shared_with_listed}"
    lines.append(f"{w.items_dated_to_the_day:,} of the items are dated to the day{shared}.")
    return lines


def _groups_table(title: str, groups: list[BucketTotal], year: int, wide: bool) -> Table:
    table = rich_table(title)
    table.add_column("", ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("costed", justify="right", no_wrap=True)
    table.add_column(f"{year} USD", justify="right", no_wrap=True)
    for g in groups:
        table.add_row(escape(g.name), f"{g.items:,}", f"{g.items_costed:,}", format_total(g, stacked=not wide))
    return table


def _uncosted_table(w: WarRecord) -> Table:
    table = rich_table("Uncosted (left out of the value, never zero)")
    table.add_column("category / model", ratio=2)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("why", ratio=1)
    for u in w.uncosted:
        what = f"{u.category} / {u.model}" if u.model else u.category
        why = u.reason + (f" ({u.cost_key})" if u.cost_key else "")
        table.add_row(escape(what), f"{u.items:,}", escape(why))
    return table


def shown_items(check: ClaimCheck) -> tuple[list[MatchedItem], int]:
    """The matched items a table lists — those certainly inside the claim's period and those known lost by a week
    after its end at the latest — and how many others (dated only to longer spans) it leaves to ``--format json``."""
    near = {m.loss_id for m in check.matched if m.period == "in"}
    end = check.period_end
    if end:
        limit = (dt.date.fromisoformat(end) + dt.timedelta(days=NEAR_DAYS)).isoformat()
        near |= {m.loss_id for m in check.matched if m.date_latest and m.date_latest <= limit}
    listed = [m for m in check.matched if m.loss_id in near] if len(check.matched) > MAX_LISTED else check.matched
    listed = listed[:MAX_LISTED]
    return listed, len(check.matched) - len(listed)


def _matched_table(check: ClaimCheck, wide: bool) -> Table:
    """The matched items, one a row; on a narrow console the period joins the "when" cell, so that the dollar
    column keeps its width (cropped, "$500.0k" would read "$50")."""
    table = rich_table()
    table.add_column("loss", no_wrap=True)
    table.add_column("model · status", ratio=2)
    table.add_column("when" if wide else "when · period", ratio=2)
    if wide:
        table.add_column("period", no_wrap=True)
    table.add_column(f"{check.dollar_year} USD", justify="right", no_wrap=True)
    for m in shown_items(check)[0]:
        what = f"{m.model or m.category} · {m.status}" + (f" (with {m.shared_with})" if m.shared_with else "")
        period = "inside" if m.period == "in" else "possibly"
        when = escape(interval(m.date_earliest, m.date_latest))
        value = format_range(m.value, stacked=not wide)
        cells = [when, period] if wide else [f"{when} · {period}"]
        table.add_row(escape(m.loss_id), escape(what), *cells, value)
    return table


def print_record(r: SystemRecord, console: Console) -> None:
    """Render a system's record war by war, then the claims about it checked against it."""
    wide = is_wide(console)
    console.print(Text(f"{r.system_name} ({r.system}): the documented record, war by war", style="bold"))
    for w in r.wars:
        console.print()
        headline = wrap_text("\n".join(war_headline(w)), console.width - 4)  # inside the border and padding
        console.print(Panel(Text(headline), title=escape(w.conflict_name), title_align="left"))
        if w.total.items:
            _print_war_tables(w, console, wide)
        checks = r.claims.get(w.conflict, [])
        if checks:
            console.print()
            console.print(Text(f"Claims about the {r.system_name} in this war, checked item by item", style="bold"))
            for check in checks:
                console.print()
                summary = wrap_text(f"{check.claim_id} · {check.summary}", console.width)
                console.print(Text.assemble((check.claim_id, "bold"), summary[len(check.claim_id) :]))
                listed, left = shown_items(check)
                if listed:
                    console.print(_matched_table(check, wide))
                if left:
                    console.print(
                        Text(
                            f"… and {left:,} more (--format json lists every one)",
                            style="dim",
                        )
                    )
    console.print()
    console.print(
        Text(
            wrap_text(
                f"Each item counts once, with its whole value, even where the credit is shared; `drone-ledger "
                f"breakdown --where system={r.system}` lists the rows. Values are in each war's first year's dollars "
                "unless --dollar-year is given.",
                console.width,
            ),
            style="dim",
        )
    )


def _print_war_tables(w: WarRecord, console: Console, wide: bool) -> None:
    console.print(_groups_table("By category", w.by_category, w.dollar_year, wide))
    console.print()
    console.print(_groups_table("By status", w.by_status, w.dollar_year, wide))
    if w.uncosted:
        console.print()
        console.print(_uncosted_table(w))
    notes = [f"Assumption used: {a}" for a in w.cost_assumptions]
    notes += [
        f"A claimant's own price used: {p.obs_id} ({p.cost_key}), stated in {p.claim_id}" for p in w.claimant_prices
    ]
    if notes:
        console.print()
        console.print(bullets("How it is priced", notes, console.width))


def record_markdown(r: SystemRecord) -> str:
    """Render a system's record as Markdown."""
    out = [f"## {md(r.system_name)}: the documented record, war by war", ""]
    for w in r.wars:
        out += [f"### {md(w.conflict_name)}", ""] + [part for line in war_headline(w) for part in (md(line), "")]
        headers = ["", "items", "costed", f"{w.dollar_year} USD"]
        for title, groups in (("By category", w.by_category), ("By status", w.by_status)):
            rows = [[g.name, f"{g.items:,}", f"{g.items_costed:,}", format_total(g)] for g in groups]
            out += [f"**{title}**", "", md_table(headers, rows), ""] if rows else []
        out += [
            md(f"- Uncosted: {u.category} / {u.model or '(no model)'}: {u.items:,} item(s), {u.reason}")
            for u in w.uncosted
        ]
        out += [f"- Assumption used: {md(a)}" for a in w.cost_assumptions]
        out += [
            md(f"- A claimant's own price used: {p.obs_id} ({p.cost_key}), stated in {p.claim_id}")
            for p in w.claimant_prices
        ]
        for check in r.claims.get(w.conflict, []):
            out += ["", f"**{md(check.claim_id)}.** {md(check.summary)}"]
            listed, left = shown_items(check)
            if listed:
                rows = [
                    [
                        m.loss_id,
                        f"{m.model or m.category} · {m.status}" + (f" (with {m.shared_with})" if m.shared_with else ""),
                        interval(m.date_earliest, m.date_latest),
                        "inside" if m.period == "in" else "possibly",
                        format_range(m.value),
                    ]
                    for m in listed
                ]
                out += ["", md_table(["loss", "model · status", "when", "period", f"{check.dollar_year} USD"], rows)]
            if left:
                out += ["", f"… and {left:,} more (`--format json` lists every one)."]
        out += [""]
    return "\n".join(out)


def for_scale_panel(scales: list[ForScale], width: int) -> Group:
    """The "for scale" paragraphs of a claim (summary's first screen, after the verdict), for a console ``width``
    wide: no range or date broken across lines."""
    parts: list[Panel | Group] = []
    for s in scales:
        text = wrap_text(" ".join(s.sentences), width - 4)  # inside the panel's border and padding
        parts.append(Panel(Text(text), title="For scale (another war)", title_align="left"))
        parts.append(bullets("Caveats", s.caveats, width))
    return Group(*parts)


def for_scale_markdown(scales: list[ForScale]) -> list[str]:
    """The "for scale" paragraphs as Markdown lines."""
    out: list[str] = []
    for s in scales:
        out += ["", "**For scale (another war).** " + md(" ".join(s.sentences)), ""]
        out += [f"- {md(line)}" for line in s.caveats]
    return out
