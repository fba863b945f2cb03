"""Views of the analyses: the rows behind a figure (``trace``), ``breakdown``, ``sensitivity``, ``consistency``."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from drone_ledger.formatting import (
    NOT_COSTED,
    format_day,
    format_money,
    format_period,
    format_range,
    format_share,
    format_shared_credit,
    format_total,
    format_usd,
)
from drone_ledger.results.analysis import Breakdown, Consistency, Sensitivity, Trace
from drone_ledger.results.core import UNATTRIBUTED_PARTS
from drone_ledger.verdicts import price_basis_lines

from .common import is_wide, rich_table, wrap_text

__all__ = ["print_breakdown", "print_consistency", "print_sensitivity", "print_trace", "provenance_text"]


def print_trace(t: Trace, console: Console) -> None:
    """Render a trace: one block per loss (what, items, value, the prices and sources behind it), then the total.

    Blocks rather than a table: a loss id, its value range and its source link are never broken at any width.
    """
    costed = any(r.value_usd is not None for r in t.rows)
    value = format_money(t.value, t.dollar_year) if costed else f"{NOT_COSTED} ({t.dollar_year} USD)"
    filters = "".join(f", {k} {v}" for k, v in t.filters.items())
    console.print(
        Text(f"{t.claim_id}: {t.bucket}{filters} — {t.items:,} items, {value}", style="bold"),
        highlight=False,
    )
    if (shared := format_shared_credit(t.on_shared_credit, t.dollar_year)) is not None:
        console.print(Text(shared), highlight=False)
    indent = (0, 0, 0, 2)
    for r in t.rows:
        console.print()
        worth = format_range(r.value_usd) if r.value_usd is not None else f"uncosted: {r.uncosted_reason or 'no price'}"
        console.print(Text.assemble((r.loss_id, "bold"), f" · {r.items:,} item{'s' * (r.items != 1)} · {worth}"))
        system = r.system if r.confidence is None else f"{r.system} ({r.confidence})"
        part = f", {UNATTRIBUTED_PARTS[r.part]}" if r.part else ""
        when = " · certainly in the period" if r.period == "in" else " · possibly in the period"
        when += f"; when: {r.date_as_reported}" if r.date_as_reported else ""
        shared = f", shared with {r.shared_with.replace('|', ', ')}" if r.shared_with else ""
        what = f"{r.category} / {r.model or '(category aggregate)'} · {r.status} · {system}{shared}{part}{when}"
        console.print(Padding(Text(what), indent, expand=False), highlight=False)
        if r.provenance:
            console.print(Padding(Text(provenance_text(r.provenance), style="dim"), indent, expand=False))
        if r.unit_usd is not None:
            observations = ", ".join(o.obs_id for o in r.observations)
            priced = f"unit {format_range(r.unit_usd)} · priced as {r.cost_key} [{r.cost_basis}] from {observations}"
            console.print(Padding(Text(priced, style="dim"), indent, expand=False), highlight=False)
        console.print(Text(f"  source: {r.source_url}", style="dim"), highlight=False, soft_wrap=True)
    for basis in t.price_basis:
        console.print()
        console.print(Text(f"What each price observation does ({basis.cost_key})", style="bold"))
        for line in price_basis_lines(basis, "these rows", t.dollar_year):
            console.print(Padding(Text(wrap_text(line, console.width - 2)), indent, expand=False), highlight=False)
    sources = {o.obs_id: o.source_url for r in t.rows for o in r.observations}
    converted = {o.obs_id: o.converted for r in t.rows for o in r.observations if o.converted}
    if sources:
        console.print()
        console.print(Text("Sources of the prices", style="bold"))
        for obs_id, url in sorted(sources.items()):
            how = f" ({converted[obs_id]})" if obs_id in converted else ""
            console.print(Text(f"  {obs_id}: {url}{how}", style="dim"), highlight=False, soft_wrap=True)


#: How the provenance columns read in a trace: (column, what it is called).
_PROVENANCE_LABELS = (
    ("warspotting_id", "WarSpotting"),
    ("nearest_location", "near"),
    ("coordinates", "at"),
    ("unit", "unit"),
    ("tags", "tags"),
    ("date_place_source", "date and place from"),
    ("attribution_as_of", "attribution shown on Oryx's page of"),
)


def provenance_text(provenance: dict[str, str]) -> str:
    """A loss's provenance columns as one line: ``WarSpotting 1234 · near Mariupol · at 47.1,37.5 · unit …``."""
    shown = [(label, provenance[column]) for column, label in _PROVENANCE_LABELS if column in provenance]
    return " · ".join(f"{label} {value.replace('|', ', ')}" for label, value in shown)


def print_breakdown(b: Breakdown, console: Console) -> None:
    """Render a breakdown: one table per side (and war, when their dollar years differ), each with its own total;
    the sides' losses are never added together. Names are never cut short: a long one wraps."""
    wide = is_wide(console)
    apart = [name for name in b.by if b.totals and name in b.totals[0].key]
    shown = [name for name in b.by if name not in apart]
    columns = [name for name in shown if not (name == "confidence" and "system" in shown)]
    for number, total in enumerate(b.totals):
        mine = [g for g in b.groups if all(g.key.get(k) == v for k, v in total.key.items())]
        title = " · ".join(total.key[name] for name in apart) or None
        table = rich_table(title)
        cells = [[_breakdown_cell(g.key, name, shown) for g in mine] for name in columns]
        for name, values in zip(columns, cells, strict=True):
            header = "system (confidence)" if name == "system" and "confidence" in shown else name
            longest = max([len(word) for value in values for word in value.split()] + [len(header)])
            table.add_column(header, ratio=1, min_width=min(longest, 30), overflow="fold")
        table.add_column("items", justify="right", no_wrap=True)
        table.add_column("costed", justify="right", no_wrap=True)
        table.add_column(f"{total.dollar_year} USD", justify="right", no_wrap=True)
        for row, g in enumerate(mine):
            table.add_row(
                *[escape(values[row]) for values in cells],
                f"{g.total.items:,}",
                f"{g.total.items_costed:,}",
                format_total(g.total, stacked=not wide),
            )
        label = "total" + (f" ({title})" if title else "")
        table.add_row(
            *([label] + [""] * (len(columns) - 1)),
            f"{total.total.items:,}",
            f"{total.total.items_costed:,}",
            format_total(total.total, stacked=not wide),
            style="bold",
        )
        if number:
            console.print()
        console.print(table)
    for note in b.notes:
        console.print(Text(f"note: {note}", style="dim"))
    if b.where:
        console.print(Text("filters: " + "; ".join(f"{k} in {', '.join(v)}" for k, v in b.where.items()), style="dim"))


def _breakdown_cell(key: dict[str, str], name: str, shown: list[str]) -> str:
    """A group's value for a column (the system with its confidence beside it, when both are grouped by)."""
    if name == "system" and "confidence" in shown:
        confidence = key["confidence"]
        return key["system"] if confidence == "none" else f"{key['system']} ({confidence})"
    return key[name]


def print_sensitivity(s: Sensitivity, console: Console) -> None:
    """Render the scenario grid: the documented figure and the ceiling under each assumption, with their shares.

    A figure that is the same in every scenario (nothing attributed; an all-means claim's ceiling, which is its
    documented total) is said once instead of repeated in a column.
    """
    wide = is_wide(console)
    rows = s.rows
    same_as_documented = all(r.ceiling == r.documented for r in rows)
    nothing_attributed = all(r.documented.items == 0 for r in rows)
    figures = ["documented"] if same_as_documented else ["ceiling"] if nothing_attributed else ["documented", "ceiling"]
    table = rich_table(f"{s.claim_id}: {' and '.join(figures)} under each assumption")
    table.add_column("scenario", ratio=1)
    for figure in figures:
        table.add_column(f"{figure}: items", justify="right", no_wrap=True)
        if s.measure == "value":
            table.add_column("USD", justify="right", no_wrap=True)
        table.add_column("share", justify="right", no_wrap=True)
    for r in rows:
        style = "bold" if r.group.endswith("case for the claim") or r.group == "default" else ""
        cells = [escape(r.label if r.group == "default" else f"{r.group}: {r.label}")]
        for figure in figures:
            total = getattr(r, figure)
            cells.append(f"{total.items:,}")
            if s.measure == "value":
                cells.append(format_total(total, stacked=not wide))
            cells.append(format_share(total.share_of_claim, stacked=not wide))
        table.add_row(*cells, style=style)
    console.print(table)
    if nothing_attributed and not same_as_documented:
        console.print(Text("Documented (attributed to the claim's means): 0 items in every scenario.", style="bold"))
    console.print(
        Text(
            "Values are in each scenario's dollar year; shares are taken in the claim's own dollars, so the dollar "
            "year never moves them. The worst case is at most, and the best case at least, every other scenario (the "
            "price extremes take every choice of observations, central method, and each observation left out).",
            style="dim",
        )
    )
    for basis in s.price_basis:
        console.print()
        console.print(Text(f"What each price observation does to the {s.figure} ({basis.cost_key})", style="bold"))
        for line in price_basis_lines(basis, f"the {s.figure}", s.rows[0].dollar_year):
            console.print(Text(wrap_text(line, console.width)), highlight=False)


def print_consistency(c: Consistency, console: Console) -> None:
    """Render count claims priced at the ledger's unit costs, against the like-for-like dollar claims.

    Each value has its dollar year beside it; a date range or a share range is never broken across lines.
    """
    wide = is_wide(console)

    def say(text: str, style: str = "") -> None:
        console.print(Text(wrap_text(text, console.width - 2), style=style), highlight=False, soft_wrap=True)

    for g in c.groups:
        console.print(
            Text.assemble(
                (f"{g.claimant}, {format_day(g.claim_date) if g.claim_date else 'undated'}", "bold"),
                f" ({g.outlet or 'outlet not stated'}), losses of {g.side}:",
            ),
            highlight=False,
        )
        table = rich_table()
        table.add_column("claimed", ratio=2)
        table.add_column("priced as", ratio=1)
        table.add_column(f"unit, {g.dollar_year} USD", justify="right", no_wrap=True)
        table.add_column("implied value", justify="right", ratio=1)
        for line in g.claims:
            implied = (
                format_range(line.implied_usd, stacked=not wide)
                if line.implied_usd
                else escape(line.uncosted_reason or "")
            )
            table.add_row(
                escape(f"{line.count:,.0f} {line.equipment} ({line.statuses.replace('|', ' or ')})"),
                escape(line.cost_key or "—"),
                format_range(line.unit_usd, stacked=not wide),
                implied,
            )
        console.print(table)
        said = [
            f"implied by the {g.costed_claims} costed claim(s): {format_money(g.implied_usd, g.dollar_year)}; "
            f"{g.uncosted_claims} uncosted"
        ]
        unlike = []
        for a in g.against:
            if not a.matched:
                unlike.append(f"{a.claim_id} ({'; '.join(sorted(set(a.unmatched.values())))})")
                continue
            share = f" = {format_share(a.implied_share)} of it" if a.implied_share is not None else ", none priced"
            said.append(
                f"vs {a.claim_id} {format_usd(a.amount)} ({a.bound}, {a.statuses.replace('|', ' or ')}, "
                f"{format_period(a.period_start, a.period_end)}): {len(a.matched)} of {len(g.claims)} count claims are "
                f"like it, {format_money(a.implied_usd, a.dollar_year, 'none priced')}{share}"
            )
        for text in said:
            console.print(
                Padding(Text(wrap_text(text, console.width - 2)), (0, 0, 0, 2), expand=False), highlight=False
            )
        if unlike:
            reasons = Text(wrap_text(f"not comparable: {'; '.join(unlike)}", console.width - 2), style="dim")
            console.print(Padding(reasons, (0, 0, 0, 2), expand=False), highlight=False)
        console.print()
    for note in c.notes:
        say(f"Note: {note}.", "dim")
