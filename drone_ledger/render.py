"""Views of the library's report objects: Rich tables, Markdown, CSV, JSON.

Only this module and :mod:`drone_ledger.cli` import Rich. Every view renders the
*same* report object the Python API returns, reading its attributes. Tables are
laid out for the console's width: ids, numbers and ranges are never broken inside
a cell; below 100 columns ranges go on a line of their own, and the claims list
turns into one block per claim.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .reports import (
    UNATTRIBUTED_PARTS,
    BucketTotal,
    ClaimComparison,
    ClaimsOverview,
    ConflictSummary,
    Issue,
    ValidationReport,
    ValueRange,
    format_share,
    format_usd,
    means_label,
)
from .safecsv import rows_csv_text, safe_csv_text

if TYPE_CHECKING:
    from .conflicts import ConflictAddition, KnownConflicts
    from .importing import ImportReport
    from .reports import Breakdown, Consistency, Sensitivity, Trace

#: Below this width, ranges are stacked under their central figure and wide tables become blocks.
WIDE = 100

BUCKET_LABELS = {
    "attributed": "Attributed to {means}",
    "other": "Attributed to other systems",
    "unattributed": "Unattributed or too vague",
}


def to_json(data: Any) -> str:
    """Serialise a report's ``to_dict()`` the same way everywhere."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)


def _wide(console: Console) -> bool:
    return console.width >= WIDE


def _money(value: ValueRange | None, stacked: bool = False, costed: bool = True) -> str:
    """``$147.4M ($84.0M–$297.5M)``; stacked: the range on a second line; a dash when nothing is costed."""
    if value is None or not costed:
        return "—"
    if value.is_point:
        return format_usd(value.central)
    joiner = "\n" if stacked else " "
    return f"{format_usd(value.central)}{joiner}({format_usd(value.low)}–{format_usd(value.high)})"


def _share(share: ValueRange | None, stacked: bool = False) -> str:
    """``14.7% (8.4%–29.8%)``; stacked: the range on a second line."""
    text = format_share(share)
    return text.replace(" (", "\n(") if stacked else text


def _value(bucket: BucketTotal, stacked: bool = False) -> str:
    return _money(bucket.value, stacked, bucket.items_costed > 0)


def _table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", show_edge=False, pad_edge=False, title_style="bold")


def _day(iso: str | None) -> str:
    if not iso:
        return "not stated"
    year, month, day = iso.split("-")
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{int(day)} {months[int(month) - 1]} {year}"


def _period(start: str, end: str | None) -> str:
    if end and start[:4] == end[:4]:
        return f"{_day(start)[:-5]} – {_day(end)}"
    return f"{_day(start)} – {_day(end) if end else '(end not stated)'}"


def _amount(c: ClaimComparison) -> str:
    amount = float(c.claim["amount"])
    return format_usd(amount) if c.measure == "value" else f"{amount:,.0f} {c.claim['unit']}"


# --- summary ---------------------------------------------------------------------------------------------------


def _claim_header(c: ClaimComparison) -> Text:
    claim = c.claim
    statuses = claim["scope_statuses"].replace("|", " or ")
    lines = [
        Text.assemble(
            (claim["claim_id"], "bold"),
            f" · {claim['claimant']}, {_day(claim['claim_date']) if claim['claim_date'] else 'undated'}",
            f", {claim['outlet']}" if claim.get("outlet") else "",
        ),
        Text.assemble(
            "Claimed: ",
            (f"{_amount(c)} ({claim['bound']})", "bold"),
            f" {statuses} by {means_label(claim['scope_systems'])} · {claim['scope_side']}'s losses · "
            f"{claim['scope_equipment_as_stated'] or 'any equipment'} · "
            f"{_period(claim['period_start'], claim['period_end'])}",
        ),
    ]
    if claim.get("quote"):
        lines.append(Text(f"“{claim['quote']}”", style="italic"))
    return Text("\n").join(lines)


def _bucket_rows(c: ClaimComparison) -> list[tuple[str, BucketTotal, str]]:
    """The buckets, the unattributed bucket's parts, and the headline figure with its part inside the period."""
    means = means_label(c.claim["scope_systems"])
    rows = []
    for name, bucket in c.buckets.items():
        rows.append((BUCKET_LABELS[name].format(means=means), bucket, ""))
        if name == "unattributed" and len(c.unattributed_parts) > 0:
            rows += [(f"  {UNATTRIBUTED_PARTS[part]}", total, "dim") for part, total in c.unattributed_parts.items()]
    figure = c.headline_figure
    label = "Documented in scope (any means)" if c.all_means else "Ceiling: attributed + unattributed"
    rows.append((label, figure, "bold"))
    if figure.inside_period is not None and figure.items_possibly_in_period:
        rows.append(("  of it certainly inside the period", figure.inside_period, "bold"))
    return rows


def _totals_table(title: str, rows: list[tuple[str, BucketTotal, str]], c: ClaimComparison, wide: bool) -> Table:
    table = _table(title)
    table.add_column("", ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("costed", justify="right", no_wrap=True)
    table.add_column(f"{c.dollar_year} USD", justify="right", no_wrap=True)
    table.add_column("share of claim" if c.measure == "value" else "share of count", justify="right", no_wrap=True)
    for label, bucket, style in rows:
        table.add_row(
            escape(label),
            f"{bucket.items:,}",
            f"{bucket.items_costed:,}",
            _value(bucket, not wide),
            _share(bucket.share_of_claim, not wide),
            style=style,
        )
    return table


def _attribution_table(c: ClaimComparison, wide: bool) -> Table:
    table = _table("What the ledger records for the losses in scope (adds up to the buckets above)")
    table.add_column("bucket", no_wrap=True)
    table.add_column("system recorded (confidence)", ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column(f"{c.dollar_year} USD", justify="right", no_wrap=True)
    for g in c.by_attribution:
        bucket = g.bucket if g.part is None else f"{g.bucket}: {g.part}"
        system = g.system if g.confidence is None else f"{g.system} ({g.confidence})"
        table.add_row(escape(bucket), escape(system), f"{g.total.items:,}", _value(g.total, not wide))
    return table


def _category_table(c: ClaimComparison, wide: bool) -> Table:
    table = _table("By category")
    table.add_column("", ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("costed", justify="right", no_wrap=True)
    table.add_column(f"{c.dollar_year} USD", justify="right", no_wrap=True)
    for b in c.by_category:
        table.add_row(escape(b.name), f"{b.items:,}", f"{b.items_costed:,}", _value(b, not wide))
    return table


def _uncosted_table(c: ClaimComparison) -> Table:
    table = _table("Uncosted items in scope (left out of dollar totals, never zero)")
    table.add_column("loss", no_wrap=True)
    table.add_column("category / model", ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("why", ratio=1)
    for u in c.uncosted:
        loss = u.example_loss_id if u.losses == 1 else f"{u.losses:,} losses"
        what = f"{u.category} / {u.model}" if u.model else u.category
        table.add_row(loss, escape(what), f"{u.items:,}", escape(f"{u.reason} ({u.bucket})"))
    return table


def _attribution_rows(c: ClaimComparison, limit: int = 20) -> list[tuple[str, str, str, str, int, bool, str]]:
    """The attributions to the claimed means, or grouped by system, confidence, status and outcome when many."""
    rows = [
        (a.loss_id, a.system, a.confidence, a.status, a.items, a.counted, a.why_not_counted or "")
        for a in c.scope_attributions
    ]
    if len(rows) <= limit:
        return rows
    groups: dict[tuple[str, str, str, bool, str], list[int]] = {}
    for _, system, confidence, status, items, counted, why in rows:
        group = groups.setdefault((system, confidence, status, counted, why), [0, 0])
        group[0] += items
        group[1] += 1
    return [
        (f"{losses:,} losses", *key[:3], items, key[3], key[4])
        for key, (items, losses) in sorted(groups.items(), key=lambda kv: -kv[1][0])
    ]


def _means_table(c: ClaimComparison) -> Table:
    table = _table("Every loss attributed to the claimed means")
    table.add_column("loss", no_wrap=True)
    table.add_column("system (confidence)", ratio=1)
    table.add_column("status", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("counted", ratio=2)
    for loss, system, confidence, status, items, counted, why in _attribution_rows(c):
        table.add_row(
            loss, escape(f"{system} ({confidence})"), status, f"{items:,}", "yes" if counted else escape(f"no: {why}")
        )
    return table


def _bullets(title: str, lines: list[str]) -> Group:
    """A titled list whose wrapped lines hang under their text, not under the bullet."""
    items = Table.grid(padding=(0, 1))
    items.add_column(no_wrap=True)
    items.add_column(ratio=1)
    for line in lines:
        items.add_row("•", Text(line))
    return Group(Text(title, style="bold"), items)


def _assumptions_line(c: ClaimComparison | ClaimsOverview | ConflictSummary) -> str:
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


def _searched(c: ClaimComparison) -> list[str]:
    return [
        f"{e.source}: {e.result}" + (f" — cannot show {e.cannot_show}" if e.cannot_show else "")
        for e in c.evidence_searched
    ]


def print_summary(c: ClaimComparison, console: Console) -> None:
    """Render a claim comparison: the verdict first, then the tables, the gaps and what was searched."""
    wide = _wide(console)
    console.print(_claim_header(c), highlight=False)
    console.print(Text(f"Source: {c.claim['source_url']}", style="dim"), highlight=False, soft_wrap=True)
    console.print()
    console.print(Panel(Text("\n\n".join(c.verdict)), title="Verdict", title_align="left", border_style="bold"))
    console.print(_bullets("What the figures leave out", c.caveats))
    console.print()
    console.print(_totals_table("Documented losses in scope", _bucket_rows(c), c, wide))
    console.print()
    console.print(_attribution_table(c, wide))
    console.print()
    console.print(_category_table(c, wide))
    cov = c.coverage
    console.print(
        Text(
            f"Coverage ({c.claim['scope_side']}): counted by a tally: {', '.join(cov.counted) or 'none'}; individual "
            f"reports only: {', '.join(cov.reports_only) or 'none'}; no documented counts "
            f"({len(cov.no_documented_counts)}): {', '.join(cov.no_documented_counts) or 'none'}.",
            style="dim",
        )
    )
    if c.uncosted:
        console.print()
        console.print(_uncosted_table(c))
    console.print()
    if c.scope_attributions:
        console.print(_means_table(c))
    else:
        console.print(Text("No loss in the ledger is attributed to the claimed means at any confidence."))
    for text in c.cost_assumptions:
        console.print(Text.assemble(("Assumption used: ", "bold"), text))
    if c.unusable_observations:
        listed = ", ".join(f"{u.obs_id} ({u.cost_key}: {u.reason})" for u in c.unusable_observations)
        console.print(Text.assemble(("Price observations not used", "bold"), f" for keys in scope: {listed}"))
    if c.evidence_searched:
        console.print()
        console.print(
            _bullets("What was searched (so that '0 attributed' is not read as 'not collected')", _searched(c))
        )
    console.print()
    console.print(
        Text(
            f"Next: `drone-ledger trace --claim {c.claim['claim_id']}` lists the rows behind each figure; "
            "`drone-ledger consistency` prices the claimants' own per-type counts at the ledger's unit costs; "
            f"`drone-ledger sensitivity --claim {c.claim['claim_id']}` varies the assumptions.",
            style="dim",
        )
    )
    console.print(Text(_assumptions_line(c), style="dim"))


def _md_table(headers: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def summary_markdown(c: ClaimComparison) -> str:
    """Render a claim comparison as Markdown (for papers, issues, notebooks): the verdict first."""
    claim = c.claim
    headers = ["", "items", "costed", f"value, {c.dollar_year} USD: central (low–high)", "share of claim"]

    def rows(buckets: list[tuple[str, BucketTotal, str]]) -> list[list[str]]:
        return [
            [label.strip(), f"{b.items:,}", f"{b.items_costed:,}", _value(b), format_share(b.share_of_claim)]
            for label, b, _ in buckets
        ]

    out = [
        f"## {claim['claim_id']}: {_amount(c)} ({claim['bound']})",
        "",
        f"{claim['claimant']}, {_day(claim['claim_date']) if claim['claim_date'] else 'undated'}, "
        f"{claim['outlet'] or ''}. Scope: {claim['scope_statuses'].replace('|', ' or ')} by "
        f"{means_label(claim['scope_systems'])}; {claim['scope_side']}'s losses; "
        f"{_period(claim['period_start'], claim['period_end'])}. Source: <{claim['source_url']}>",
        "",
    ]
    if claim.get("quote"):
        out += [f"> {claim['quote']}", ""]
    out += ["**Verdict.** " + " ".join(c.verdict), ""]
    out += [f"- {line}" for line in c.caveats]
    out += ["", _md_table(headers, rows(_bucket_rows(c)))]
    out += [
        "",
        "### What the ledger records for the losses in scope",
        "",
        _md_table(
            ["bucket", "system recorded (confidence)", "items", f"value, {c.dollar_year} USD"],
            [
                [
                    g.bucket if g.part is None else f"{g.bucket}: {g.part}",
                    g.system if g.confidence is None else f"{g.system} ({g.confidence})",
                    f"{g.total.items:,}",
                    _value(g.total),
                ]
                for g in c.by_attribution
            ],
        ),
    ]
    out += [
        "",
        "### By category",
        "",
        _md_table(headers[:4], [r[:4] for r in rows([(b.name, b, "") for b in c.by_category])]),
    ]
    cov = c.coverage
    out += [
        "",
        "### Gaps",
        "",
        f"- Counted by a tally: {', '.join(cov.counted) or 'none'}",
        f"- Individual reports only: {', '.join(cov.reports_only) or 'none'}",
        f"- No documented counts: {', '.join(cov.no_documented_counts) or 'none'}",
    ]
    out += [
        f"- Uncosted: {u.category} {u.model or '(no model)'}: {u.items} item(s) in {u.losses} loss row(s), {u.reason}"
        for u in c.uncosted
    ]
    out += [
        f"- Attributed to the claimed means: {a.loss_id} ({a.system}, {a.confidence}, {a.status}, {a.items} "
        f"item(s)): {'counted' if a.counted else 'not counted — ' + (a.why_not_counted or '')}"
        for a in c.scope_attributions
    ]
    out += [f"- Assumption used: {text}" for text in c.cost_assumptions]
    if c.evidence_searched:
        out += ["", "### What was searched", ""] + [f"- {line}" for line in _searched(c)]
    out += ["", f"_{_assumptions_line(c)}_", ""]
    return "\n".join(out)


# --- claims ------------------------------------------------------------------------------------------------------


def _headline_cells(c: ClaimComparison) -> tuple[str, str, str, str, str]:
    """claimed, means, figure, share, gaps: the gaps describe the figure they stand beside."""
    h = c.headline()
    figure = c.headline_figure
    claimed = f"{_amount(c)} ({h.bound})"
    means = means_label(h.scope_systems)
    if c.measure == "value":
        value = _value(figure) if figure.items_costed else f"{figure.items:,} items, none costed"
        if c.all_means:
            shown = f"documented {value}"
        else:
            attributed = c.buckets["attributed"]
            shown = (
                f"attributed {_value(attributed) if attributed.items_costed else f'{attributed.items:,} items'}; "
                f"ceiling {value}"
            )
    else:
        shown = f"{'documented' if c.all_means else 'ceiling'} {figure.items:,} items"
    gaps = []
    if c.measure == "value" and figure.items_uncosted:
        gaps.append(f"{figure.items_uncosted:,} of {figure.items:,} uncosted")
    if c.measure == "value" and h.categories_without_counts:
        gaps.append(f"{h.categories_without_counts} categories uncounted")
    if c.measure == "count" and not h.has_tally:
        gaps.append("no tally in scope")
    inside = figure.inside_period
    if figure.items_possibly_in_period and inside is not None:
        gaps.append(f"{inside.items:,} of {figure.items:,} certainly in period")
    return claimed, means, shown, format_share(figure.share_of_claim), "; ".join(gaps)


def _priced(c: ClaimComparison) -> str:
    """``; the 200 tanks claimed, priced as T-72: $201.9M (…)`` for a count claim the ledger can price."""
    implied = c.implied_value
    if implied is None or implied.implied_usd is None:
        return ""
    return (
        f"; the {_amount(c)} claimed, priced as {implied.cost_key}: {_money(implied.implied_usd)} ({c.dollar_year} USD)"
    )


OVERVIEW_HEADERS = ["claim", "claimed", "means", "figure", "share of claim", "gaps (of that figure)"]


def print_claims(o: ClaimsOverview, console: Console) -> None:
    """Render every claim as a block of two or three lines: the figure it is set against, and that figure's gaps.

    Blocks rather than a table: claim ids run to 58 characters, and a table of them is unreadable below 200 columns.
    """
    console.print(Text("Claims against the documented ledger (gaps describe the figure beside them)", style="bold"))
    for c in o.rows:
        claimed, means, shown, share, gaps = _headline_cells(c)
        console.print(Text.assemble((c.claim["claim_id"], "bold"), f" · {claimed} · {means}"), highlight=False)
        line = f"{shown} = {share} of the claim{_priced(c)}"
        console.print(Padding(Text(line), (0, 0, 0, 2), expand=False), highlight=False)
        if gaps:
            console.print(Padding(Text(f"gaps: {gaps}", style="dim"), (0, 0, 0, 2), expand=False), highlight=False)
    console.print()
    console.print(Text(_assumptions_line(o), style="dim"))


def claims_markdown(o: ClaimsOverview) -> str:
    """Render every claim side by side as a Markdown table."""
    rows = []
    for c in o.rows:
        claimed, means, shown, share, gaps = _headline_cells(c)
        rows.append([c.claim["claim_id"], claimed, means, shown + _priced(c), share, gaps])
    return _md_table(OVERVIEW_HEADERS, rows) + f"\n\n_{_assumptions_line(o)}_\n"


CLAIMS_CSV_COLUMNS = [
    "claim_id",
    "claim_date",
    "amount",
    "unit",
    "bound",
    "scope_systems",
    "measure",
    "dollar_year",
    "documented_items",
    "documented_low",
    "documented_central",
    "documented_high",
    "documented_items_inside_period",
    "ceiling_items",
    "ceiling_low",
    "ceiling_central",
    "ceiling_high",
    "ceiling_items_inside_period",
    "categories_without_counts",
]


def claims_csv(o: ClaimsOverview) -> str:
    """Every claim as CSV rows (flat columns), formula-safe (:mod:`drone_ledger.safecsv`)."""
    rows = []
    for c in o.rows:
        h = c.headline()
        cells: list[object] = [h.claim_id, h.claim_date or "", h.amount, h.unit, h.bound, h.scope_systems, h.measure]
        cells.append(h.dollar_year)
        for figure in (c.documented, c.ceiling):
            cells += [figure.items, *figure.value.to_dict().values()]
            cells.append(figure.inside_period.items if figure.inside_period else "")
        cells.append(h.categories_without_counts)
        rows.append(cells)
    return rows_csv_text(CLAIMS_CSV_COLUMNS, rows)


# --- validation, conflict summary, import -------------------------------------------------------------------------

ISSUE_COLUMNS = ["severity", "file", "line", "column", "code", "value", "message"]


def print_validation(report: ValidationReport, console: Console) -> None:
    """Render a validation report, then the verdict.

    Piped (or NO_COLOR): one compiler-style line per issue, ``file:line [column]: severity code: message``, for
    grep and editors. On a terminal: the location and code on one line, the message wrapped under it.
    """
    if console.color_system is None:  # piped or NO_COLOR: the same lines without Rich's markup pass (35k lines: 9 s)
        console.file.write(
            "".join(
                f"{i.location()}: {i.severity} {i.code}: {i.message}"
                + (f" (value: {i.value})" if i.value is not None else "")
                + "\n"
                for i in report.issues
            )
        )
    for i in report.issues if console.color_system is not None else []:
        style = "red" if i.severity == "error" else "yellow"
        console.print(Text.assemble(i.location() + ": ", (i.severity, style), " ", (i.code, "bold")), highlight=False)
        value = f" (value: {i.value})" if i.value is not None else ""
        console.print(Padding(Text(i.message + value), (0, 0, 0, 2), expand=False), highlight=False)
    rows = sum(report.tables.values())
    verdict = "[green]valid[/]" if report.valid else "[red]invalid[/]"
    console.print(
        f"{escape(report.ledger)}: {verdict} — {len(report.errors)} error(s), {len(report.warnings)} warning(s) "
        f"in {len(report.tables)} tables, {rows:,} rows",
        highlight=False,
    )


def validation_csv(report: ValidationReport) -> str:
    """The issues as CSV, one per row, formula-safe (:mod:`drone_ledger.safecsv`)."""
    return safe_csv_text(ISSUE_COLUMNS, [issue.to_dict() for issue in report.issues])


def _plain_table(title: str, rows: list[BucketTotal], year: int) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for header, justify in (
        ("", "left"),
        ("items", "right"),
        ("costed", "right"),
        (f"value, {year} USD: central (low–high)", "right"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for bucket in rows:
        table.add_row(escape(bucket.name), f"{bucket.items:,}", f"{bucket.items_costed:,}", _value(bucket))
    return table


def print_conflict_summary(s: ConflictSummary, console: Console) -> None:
    """Render a conflict's documented losses by system, status and category."""
    who = s.side or " and ".join(s.sides) or "no side"
    console.print(
        Panel(
            f"[bold]{escape(s.conflict)}[/] — losses of {escape(who)}: {s.total.items:,} items, "
            f"{s.total.items_costed:,} costed ({_value(s.total)} in {s.dollar_year} USD), "
            f"{s.total.items_uncosted:,} uncosted",
            title="Conflict",
            title_align="left",
        )
    )
    console.print(
        _plain_table("By attributed system (a loss credited to two systems is under both)", s.by_system, s.dollar_year)
    )
    console.print()
    console.print(_plain_table("By status", s.by_status, s.dollar_year))
    console.print()
    console.print(_plain_table("By category", s.by_category, s.dollar_year))
    console.print(Text(_assumptions_line(s), style="dim"))


def conflict_summary_markdown(s: ConflictSummary) -> str:
    """Render a conflict summary as Markdown tables."""
    headers = ["", "items", "costed", f"value, {s.dollar_year} USD: central (low–high)"]
    out = [f"## {s.conflict}: losses of {s.side or ' and '.join(s.sides)}", ""]
    for title, rows in (
        ("By attributed system", s.by_system),
        ("By status", s.by_status),
        ("By category", s.by_category),
    ):
        out += [
            f"### {title}",
            "",
            _md_table(headers, [[b.name, f"{b.items:,}", f"{b.items_costed:,}", _value(b)] for b in rows]),
            "",
        ]
    out += [f"_{_assumptions_line(s)}_", ""]
    return "\n".join(out)


def print_import(report: ImportReport, console: Console) -> None:
    """Render an import report: the counts, what was unmapped, what each system gained, what was refused."""
    would = "would " if report.dry_run else ""
    state = (
        "[red]refused[/]"
        if report.refused
        else "[yellow]dry run, nothing written[/]"
        if report.dry_run
        else "[green]written[/]"
        if report.written
        else "[green]nothing new[/]"
    )
    console.print(
        f"{escape(report.source)} ({report.source_format}) → {escape(report.ledger)}: {state}\n"
        f"{report.rows_read:,} rows read, {report.records:,} records: {would}add{'' if report.dry_run else 'ed'} "
        f"{report.added:,}, {would}update{'' if report.dry_run else 'd'} {report.updated:,}, "
        f"duplicates {report.duplicates:,}, rejected {report.rejected:,} "
        f"({'balanced' if report.balanced else '[red]NOT balanced[/]'})",
        highlight=False,
    )
    if report.items_by_system:
        console.print("Items added or updated, by attributed system:")
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("system")
        table.add_column("items", justify="right")
        for system, items in report.items_by_system.items():
            table.add_row(escape(system), f"{items:,}")
        console.print(table)
    for kind, values in report.unmapped.items():
        listed = ", ".join(f"{escape(v)} ({n:,} items)" for v, n in values.items())
        console.print(f"[yellow]Unmapped {kind}[/]: {listed}", highlight=False)
    if report.unmapped.get("system"):
        console.print(
            escape(
                "  Map them in a mapping file ([values.attributed_system]) or pass --add-systems; "
                "until then those losses stay unattributed, with the text kept in status_as_reported."
            )
        )
    if report.new_systems:
        console.print(f"New systems added to systems.csv (classify them): {escape(', '.join(report.new_systems))}")
    from .importing import describe_change

    for change in report.changes[:10]:
        console.print(f"  changed {change['loss_id']} {escape(describe_change(change))}", highlight=False)
    if len(report.changes) > 10:
        console.print(f"  … and {len(report.changes) - 10:,} more changes (--format json lists them all)")
    for reject in report.rejects[:20]:
        console.print(
            f"  [red]rejected[/] {escape(report.source)}:{reject['source_line']}: "
            f"{escape('; '.join(reject['reasons']))}",
            highlight=False,
        )
    if len(report.rejects) > 20:
        console.print(f"  … and {len(report.rejects) - 20:,} more rejected records")
    for note in report.notes:
        console.print(f"  note: {escape(note)}", highlight=False)
    if report.rejects_file:
        console.print(f"Rejected records written to {escape(report.rejects_file)}")
    if report.refused:
        console.print(f"[red]{escape(report.refused)}[/]")


# --- analysis ----------------------------------------------------------------------------------------------------


def print_trace(t: Trace, console: Console) -> None:
    """Render a trace: one block per loss (what, items, value, the prices and sources behind it), then the total.

    Blocks rather than a table: a loss id, its value range and its source link are never broken at any width.
    """
    value = _money(t.value, costed=any(r.value_usd is not None for r in t.rows))
    filters = "".join(f", {k} {v}" for k, v in t.filters.items())
    console.print(
        Text(f"{t.claim_id}: {t.bucket}{filters} — {t.items:,} items, {value} ({t.dollar_year} USD)", style="bold"),
        highlight=False,
    )
    indent = (0, 0, 0, 2)
    for r in t.rows:
        console.print()
        worth = _money(r.value_usd) if r.value_usd is not None else f"uncosted: {r.uncosted_reason or 'no price'}"
        console.print(Text.assemble((r.loss_id, "bold"), f" · {r.items:,} item{'s' * (r.items != 1)} · {worth}"))
        system = r.system if r.confidence is None else f"{r.system} ({r.confidence})"
        part = f", {UNATTRIBUTED_PARTS[r.part]}" if r.part else ""
        when = " · certainly in the period" if r.period == "in" else " · possibly in the period"
        when += f"; when: {r.date_as_reported}" if r.date_as_reported else ""
        what = f"{r.category} / {r.model or '(category aggregate)'} · {r.status} · {system}{part}{when}"
        console.print(Padding(Text(what), indent, expand=False), highlight=False)
        if r.unit_usd is not None:
            observations = ", ".join(o.obs_id for o in r.observations)
            priced = f"unit {_money(r.unit_usd)} · priced as {r.cost_key} [{r.cost_basis}] from {observations}"
            console.print(Padding(Text(priced, style="dim"), indent, expand=False), highlight=False)
        console.print(Text(f"  source: {r.source_url}", style="dim"), highlight=False, soft_wrap=True)
    sources = {o.obs_id: o.source_url for r in t.rows for o in r.observations}
    if sources:
        console.print()
        console.print(Text("Sources of the prices", style="bold"))
        for obs_id, url in sorted(sources.items()):
            console.print(Text(f"  {obs_id}: {url}", style="dim"), highlight=False, soft_wrap=True)


def print_breakdown(b: Breakdown, console: Console) -> None:
    """Render a breakdown: one row per group, then the total."""
    wide = _wide(console)
    table = _table()
    for field_name in b.by:
        table.add_column(field_name, ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("costed", justify="right", no_wrap=True)
    table.add_column(f"{b.dollar_year} USD", justify="right", no_wrap=True)
    for g in b.groups:
        table.add_row(
            *[escape(g.key[f]) for f in b.by],
            f"{g.total.items:,}",
            f"{g.total.items_costed:,}",
            _value(g.total, not wide),
        )
    table.add_row(
        *(["total"] + [""] * (len(b.by) - 1)),
        f"{b.total.items:,}",
        f"{b.total.items_costed:,}",
        _value(b.total, not wide),
        style="bold",
    )
    console.print(table)
    for note in b.notes:
        console.print(Text(f"note: {note}", style="dim"))
    if b.where:
        console.print(Text("filters: " + "; ".join(f"{k} in {', '.join(v)}" for k, v in b.where.items()), style="dim"))


def print_sensitivity(s: Sensitivity, console: Console) -> None:
    """Render the scenario grid: the documented figure and the ceiling under each assumption, with their shares.

    A figure that is the same in every scenario (nothing attributed; an all-means claim's ceiling, which is its
    documented total) is said once instead of repeated in a column.
    """
    wide = _wide(console)
    rows = s.rows
    same_as_documented = all(r.ceiling == r.documented for r in rows)
    nothing_attributed = all(r.documented.items == 0 for r in rows)
    figures = ["documented"] if same_as_documented else ["ceiling"] if nothing_attributed else ["documented", "ceiling"]
    table = _table(f"{s.claim_id}: {' and '.join(figures)} under each assumption")
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
                cells.append(_value(total, not wide))
            cells.append(_share(total.share_of_claim, not wide))
        table.add_row(*cells, style=style)
    console.print(table)
    if nothing_attributed and not same_as_documented:
        console.print(Text("Documented (attributed to the claim's means): 0 items in every scenario.", style="bold"))
    console.print(
        Text(
            "Values are in each scenario's dollar year; shares are taken in the claim's own dollars, so the dollar "
            "year never moves them. The worst case is at most, and the best case at least, every other scenario.",
            style="dim",
        )
    )


def print_consistency(c: Consistency, console: Console) -> None:
    """Render count claims priced at the ledger's unit costs, against the like-for-like dollar claims."""
    wide = _wide(console)
    for g in c.groups:
        console.print(
            Text.assemble(
                (f"{g.claimant}, {_day(g.claim_date) if g.claim_date else 'undated'}", "bold"),
                f" ({g.outlet or 'outlet not stated'}), losses of {g.side}:",
            ),
            highlight=False,
        )
        table = _table()
        table.add_column("claimed", ratio=2)
        table.add_column("priced as", ratio=1)
        table.add_column(f"unit, {c.dollar_year} USD", justify="right", no_wrap=True)
        table.add_column("implied value", justify="right", ratio=1)
        for line in g.claims:
            implied = _money(line.implied_usd, not wide) if line.implied_usd else escape(line.uncosted_reason or "")
            table.add_row(
                escape(f"{line.count:,.0f} {line.equipment} ({line.statuses.replace('|', ' or ')})"),
                escape(line.cost_key or "—"),
                _money(line.unit_usd, not wide),
                implied,
            )
        console.print(table)
        console.print(
            Padding(
                Text(
                    f"implied by the {g.costed_claims} costed claim(s): {_money(g.implied_usd)}; {g.uncosted_claims} "
                    "uncosted"
                ),
                (0, 0, 0, 2),
                expand=False,
            ),
            highlight=False,
        )
        unlike = []
        for a in g.against:
            if not a.matched:
                unlike.append(f"{a.claim_id} ({'; '.join(sorted(set(a.unmatched.values())))})")
                continue
            share = f" = {format_share(a.implied_share)} of it" if a.implied_share is not None else ", none priced"
            head = (
                f"vs {a.claim_id} {format_usd(a.amount)} ({a.bound}, {a.statuses.replace('|', ' or ')}, "
                f"{_period(a.period_start, a.period_end)}): {len(a.matched)} of {len(g.claims)} count claims are like "
                f"it, {_money(a.implied_usd) if a.implied_usd else 'none priced'}{share}"
            )
            console.print(Padding(Text(head), (0, 0, 0, 2), expand=False), highlight=False)
        if unlike:
            text = Text(f"not comparable: {'; '.join(unlike)}", style="dim")
            console.print(Padding(text, (0, 0, 0, 2), expand=False), highlight=False)
        console.print()
    for note in c.notes:
        console.print(Text(f"Note: {note}.", style="dim"))


def _issue_line(issue: Issue) -> str:
    """One issue, compiler-style, as `validate` prints it."""
    style = "red" if issue.severity == "error" else "yellow"
    value = f" (value: {escape(issue.value)!s})" if issue.value is not None else ""
    where = escape(issue.location())
    return f"{where}: [{style}]{issue.severity}[/] [bold]{issue.code}[/]: {escape(issue.message)}{value}"


def print_conflict_addition(result: ConflictAddition, console: Console) -> None:
    """Render `conflict add`: what happened, each problem, and the row (beside the ledger's, where they differ).

    One line per column, soft-wrapped, so a long link is never broken inside.
    """
    style = "red" if result.status == "refused" else "green"
    console.print(f"[{style}]{escape(result.message)}[/]", highlight=False)
    for issue in result.issues:
        console.print(_issue_line(issue), highlight=False, soft_wrap=True)
    existing = result.existing if result.existing is not None and result.existing != result.row else None
    width = max(len(column) for column in result.row) + 2
    for column, value in result.row.items():
        if existing is not None and existing.get(column, "") != value:
            console.print(f"  {escape(column + ' ≠'):<{width}}  ledger: {escape(existing.get(column, ''))}", **_PLAIN)
            console.print(f"  {'':<{width}}  given:  {escape(value)}", **_PLAIN)
            continue
        shown = value or ("(ongoing)" if column == "end_date" else "")
        source = "  [dim](catalog)[/]" if column in result.from_catalog and existing is None else ""
        console.print(f"  {escape(column):<{width}}  {escape(shown)}{source}", **_PLAIN)


_PLAIN: dict[str, Any] = {"highlight": False, "soft_wrap": True}
_IN_LEDGER = {"same": "yes", "different": "[yellow]yes, other values[/]", "absent": "no"}


def print_known_conflicts(known: KnownConflicts, console: Console) -> None:
    """Render `conflict list`: the catalog with its dates, whether the ledger has each, and every source."""
    if known.ledger is not None:
        console.print(f"Known conflicts, and whether {escape(known.ledger)} has them:", highlight=False)
    table = Table(show_edge=False, pad_edge=False)
    for column in ("conflict", "name", "start", "end"):
        table.add_column(column, no_wrap=column != "name")
    if known.ledger is not None:
        table.add_column("in ledger", no_wrap=True)
    for c in known.conflicts:
        cells = [
            escape(c.conflict_id),
            escape(c.name),
            c.start_date or "[yellow]unknown: pass --start[/]",
            c.end_date or "ongoing",
        ]
        if known.ledger is not None:
            cells.append(_IN_LEDGER[known.in_ledger.get(c.conflict_id, "absent")])
        table.add_row(*cells)
    console.print(table)
    for c in known.conflicts:
        console.print(f"{escape(c.conflict_id)}: {escape(c.source_url)}", highlight=False, soft_wrap=True)
    if known.ledger is not None and known.ledger_only:
        console.print(f"Also in {escape(known.ledger)}: {escape(', '.join(known.ledger_only))}", highlight=False)
    console.print("Add one with `drone-ledger conflict add ID --ledger DIR`.", highlight=False)
