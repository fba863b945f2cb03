"""Views of claim comparisons: one claim (``summary``), every claim (``claims``), a conflict's totals."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from drone_ledger.formatting import (
    format_claimed,
    format_day,
    format_money,
    format_period,
    format_shared_credit,
    format_total,
)
from drone_ledger.results.claims import ClaimComparison, ClaimsOverview, ConflictSummary, bucket_rows
from drone_ledger.results.core import BucketTotal
from drone_ledger.safecsv import rows_csv_text

from .common import assumptions_line, bullets, is_wide, md, md_link, md_table, rich_table, wrap_text
from .record import for_scale_markdown, for_scale_panel

__all__ = [
    "claims_csv",
    "claims_markdown",
    "conflict_summary_markdown",
    "print_claims",
    "print_conflict_summary",
    "print_summary",
    "summary_markdown",
]

#: How the rows of the "Documented losses in scope" table look in a terminal: (indent, style) by kind.
_ROW_LOOK = {"bucket": ("", ""), "part": ("  ", "dim"), "figure": ("", "bold"), "inside": ("  ", "bold")}


def _bucket_rows(c: ClaimComparison) -> list[tuple[str, BucketTotal, str]]:
    """The comparison's bucket rows (:func:`~drone_ledger.results.claims.bucket_rows`) as the terminal shows them."""
    return [(_ROW_LOOK[kind][0] + label, total, _ROW_LOOK[kind][1]) for label, total, kind in bucket_rows(c)]


def _claim_header(c: ClaimComparison) -> Text:
    claim = c.claim
    statuses = claim["scope_statuses"].replace("|", " or ")
    lines = [
        Text.assemble(
            (claim["claim_id"], "bold"),
            f" · {claim['claimant']}, {format_day(claim['claim_date']) if claim['claim_date'] else 'undated'}",
            f", {claim['outlet']}" if claim.get("outlet") else "",
        ),
        Text.assemble(
            "Claimed: ",
            (f"{format_claimed(c)} ({claim['bound']})", "bold"),
            f" {statuses} by {c.means} · {claim['scope_side']}'s losses · "
            f"{claim['scope_equipment_as_stated'] or 'any equipment'} · "
            f"{format_period(claim['period_start'], claim['period_end'])}",
        ),
    ]
    if claim.get("quote"):
        lines.append(Text(f"“{claim['quote']}”", style="italic"))
    return Text("\n").join(lines)


def _totals_table(title: str, rows: list[tuple[str, BucketTotal, str]], c: ClaimComparison, wide: bool) -> Table:
    table = rich_table(title)
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
            format_total(bucket, stacked=not wide),
            c.share_cell(bucket, stacked=not wide),
            style=style,
        )
    return table


def _attribution_table(c: ClaimComparison, wide: bool) -> Table:
    table = rich_table("What the ledger records for the losses in scope (adds up to the buckets above)")
    table.add_column("bucket", no_wrap=True)
    table.add_column("system recorded (confidence)", ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column(f"{c.dollar_year} USD", justify="right", no_wrap=True)
    for g in c.by_attribution:
        bucket = g.bucket if g.part is None else f"{g.bucket}: {g.part}"
        system = g.system if g.confidence is None else f"{g.system} ({g.confidence})"
        table.add_row(escape(bucket), escape(system), f"{g.total.items:,}", format_total(g.total, stacked=not wide))
    return table


def _category_table(c: ClaimComparison, wide: bool) -> Table:
    table = rich_table("By category")
    table.add_column("", ratio=1)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("costed", justify="right", no_wrap=True)
    table.add_column(f"{c.dollar_year} USD", justify="right", no_wrap=True)
    for b in c.by_category:
        table.add_row(escape(b.name), f"{b.items:,}", f"{b.items_costed:,}", format_total(b, stacked=not wide))
    return table


def _uncosted_table(c: ClaimComparison) -> Table:
    table = rich_table("Uncosted items in scope (left out of dollar totals, never zero)")
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
    table = rich_table("Every loss attributed to the claimed means")
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


def _coverage_text(c: ClaimComparison) -> str:
    """Which of the war's categories a tally counts, reports only document, or nothing documents."""
    cov = c.coverage
    gaps = (
        f"no documented counts ({len(cov.no_documented_counts)}): {', '.join(cov.no_documented_counts) or 'none'}"
        if cov.listed
        else "no category list for this war (categories.csv), so none is named as undocumented"
    )
    return (
        f"Coverage ({c.claim['scope_side']}, of the war's categories): counted by a tally: "
        f"{', '.join(cov.counted) or 'none'}; individual reports only: {', '.join(cov.reports_only) or 'none'}; "
        f"{gaps}."
    )


def _searched(c: ClaimComparison) -> list[str]:
    return [
        f"{e.source}: {e.result}" + (f" — cannot show {e.cannot_show}" if e.cannot_show else "")
        for e in c.evidence_searched
    ]


def print_summary(c: ClaimComparison, console: Console) -> None:
    """Render a claim comparison: the verdict first, then the tables, the gaps and what was searched."""
    wide = is_wide(console)
    console.print(_claim_header(c), highlight=False)
    console.print(Text(f"Source: {c.claim['source_url']}", style="dim"), highlight=False, soft_wrap=True)
    console.print()
    verdict = wrap_text("\n\n".join(c.verdict), console.width - 4)  # inside the panel's border and padding
    console.print(Panel(Text(verdict), title="Verdict", title_align="left", border_style="bold"))
    if c.for_scale:
        console.print(for_scale_panel(c.for_scale, console.width))
    console.print(bullets("What the figures leave out", c.caveats, console.width))
    console.print()
    console.print(_totals_table("Documented losses in scope", _bucket_rows(c), c, wide))
    for line in _shared_lines([(label, total) for label, total, _ in _bucket_rows(c)], c.dollar_year):
        console.print(Text(line), highlight=False)
    console.print()
    console.print(_attribution_table(c, wide))
    console.print()
    console.print(_category_table(c, wide))
    console.print(Text(_coverage_text(c), style="dim"))
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
        listed = ", ".join(u.describe(c.claim_dollar_year) for u in c.unusable_observations)
        console.print(Text.assemble(("Price observations not used", "bold"), f" for keys in scope: {listed}"))
    if c.evidence_searched:
        console.print()
        console.print(
            bullets(
                "What was searched (so that '0 attributed' is not read as 'not collected')", _searched(c), console.width
            )
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
    console.print(Text(assumptions_line(c), style="dim"))


def _md_label(label: str) -> str:
    """A table label whose indentation (a sub-row) survives Markdown, which drops leading spaces in a cell."""
    stripped = label.lstrip(" ")
    return "&emsp;" * ((len(label) - len(stripped)) // 2) + stripped


def summary_markdown(c: ClaimComparison) -> str:
    """Render a claim comparison as Markdown (for papers, issues, notebooks): the verdict first."""
    claim = c.claim
    headers = ["", "items", "costed", f"value, {c.dollar_year} USD: central (low–high)", "share of claim"]

    def rows(buckets: list[tuple[str, BucketTotal, str]]) -> list[list[str]]:
        return [
            [_md_label(label), f"{b.items:,}", f"{b.items_costed:,}", format_total(b), c.share_cell(b)]
            for label, b, _ in buckets
        ]

    out = [
        "## " + md(f"{claim['claim_id']}: {format_claimed(c)} ({claim['bound']})"),
        "",
        md(
            f"{claim['claimant']}, {format_day(claim['claim_date']) if claim['claim_date'] else 'undated'}, "
            f"{claim['outlet'] or ''}. Scope: {claim['scope_statuses'].replace('|', ' or ')} by "
            f"{c.means}; {claim['scope_side']}'s losses; "
            f"{format_period(claim['period_start'], claim['period_end'])}."
        )
        + f" Source: {md_link(claim['source_url'])}",
        "",
    ]
    if claim.get("quote"):
        out += [f"> {md(claim['quote'])}", ""]
    out += ["**Verdict.** " + md(" ".join(c.verdict)), ""]
    out += for_scale_markdown(c.for_scale)[1:] + ([""] if c.for_scale else [])
    out += [f"- {md(line)}" for line in c.caveats]
    out += ["", md_table(headers, rows(_bucket_rows(c)))]
    if shared := _shared_lines([(label, total) for label, total, _ in _bucket_rows(c)], c.dollar_year):
        out += ["", *(md(line) for line in shared)]
    out += [
        "",
        "### What the ledger records for the losses in scope",
        "",
        md_table(
            ["bucket", "system recorded (confidence)", "items", f"value, {c.dollar_year} USD"],
            [
                [
                    g.bucket if g.part is None else f"{g.bucket}: {g.part}",
                    g.system if g.confidence is None else f"{g.system} ({g.confidence})",
                    f"{g.total.items:,}",
                    format_total(g.total),
                ]
                for g in c.by_attribution
            ],
        ),
    ]
    out += [
        "",
        "### By category",
        "",
        md_table(headers[:4], [r[:4] for r in rows([(b.name, b, "") for b in c.by_category])]),
    ]
    cov = c.coverage
    out += [
        "",
        "### Gaps (of the war's categories)",
        "",
        f"- Counted by a tally: {md(', '.join(cov.counted) or 'none')}",
        f"- Individual reports only: {md(', '.join(cov.reports_only) or 'none')}",
        f"- No documented counts: {md(', '.join(cov.no_documented_counts) or 'none')}"
        if cov.listed
        else "- No documented counts: not known (no category list for this war in categories.csv)",
    ]
    out += [
        "- "
        + md(
            f"Uncosted: {u.category} {u.model or '(no model)'}: {u.items} item(s) in {u.losses} loss row(s), "
            + u.reason
        )
        for u in c.uncosted
    ]
    out += [
        "- "
        + md(
            f"Attributed to the claimed means: {a.loss_id} ({a.system}, {a.confidence}, {a.status}, {a.items} "
            f"item(s)): {'counted' if a.counted else 'not counted — ' + (a.why_not_counted or '')}"
        )
        for a in c.scope_attributions
    ]
    out += [f"- Assumption used: {md(text)}" for text in c.cost_assumptions]
    out += [f"- Price observation not used: {md(u.describe(c.claim_dollar_year))}" for u in c.unusable_observations]
    if c.evidence_searched:
        out += ["", "### What was searched", ""] + [f"- {md(line)}" for line in _searched(c)]
    out += ["", f"_{md(assumptions_line(c))}_", ""]
    return "\n".join(out)


def _shared_lines(rows: list[tuple[str, BucketTotal]], dollar_year: int) -> list[str]:
    """One line per figure that rests partly on shared credit (none when no figure does)."""
    return [
        f"{label.strip()}: {text}"
        for label, total in rows
        if (text := format_shared_credit(total.on_shared_credit, dollar_year)) is not None
    ]


def _named_systems(rows: list[BucketTotal]) -> list[tuple[str, BucketTotal]]:
    """Totals by system but ``unattributed`` (whose shared part is a partner not in systems.csv: nothing named)."""
    return [(b.name, b) for b in rows if b.name != "unattributed"]


def _headline_cells(c: ClaimComparison) -> tuple[str, str, str, str, str]:
    """claimed, means, figure, share, gaps: the gaps describe the figure they stand beside; every dollar figure has
    its dollar year beside it."""
    h = c.headline()
    figure = c.headline_figure
    claimed = f"{format_claimed(c)} ({h.bound})"
    means = c.means
    year = c.dollar_year
    if c.measure == "value":
        value = format_money(figure.value, year) if figure.items_costed else f"{figure.items:,} items, none costed"
        if c.all_means:
            shown = f"documented {value}"
        else:
            attributed = c.buckets["attributed"]
            worth = format_money(attributed.value, year) if attributed.items_costed else f"{attributed.items:,} items"
            shown = f"attributed {worth}; ceiling {value}"
    else:
        shown = f"{'documented' if c.all_means else 'ceiling'} {figure.items:,} item{'' if figure.items == 1 else 's'}"
    gaps = []
    if c.measure == "value" and figure.items_uncosted:
        gaps.append(f"{figure.items_uncosted:,} of {figure.items:,} uncosted")
    if c.measure == "value" and h.categories_without_counts:
        gaps.append(f"{h.categories_without_counts} of the war's categories uncounted")
    if c.measure == "count" and not h.has_tally:
        gaps.append("no tally in scope")
    inside = figure.inside_period
    if figure.items_possibly_in_period and inside is not None:
        gaps.append(f"{inside.items:,} of {figure.items:,} certainly in period")
    return claimed, means, shown, c.share_cell(figure), "; ".join(gaps)


def _priced(c: ClaimComparison) -> str:
    """``; the 200 tanks claimed, priced as T-72: $201.9M (…) (2020 USD)`` for a count claim the ledger can price."""
    implied = c.implied_value
    if implied is None or implied.implied_usd is None:
        return ""
    priced = format_money(implied.implied_usd, c.dollar_year)
    return f"; the {format_claimed(c)} claimed, priced as {implied.cost_key}: {priced}"


OVERVIEW_HEADERS = ["claim", "claimed", "means", "figure", "share of claim", "gaps (of that figure)", "scope"]


def print_claims(o: ClaimsOverview, console: Console) -> None:
    """Render every claim as a block of lines: the figure it is set against, that figure's gaps, and where the
    scope differs from the claim's words.

    Blocks rather than a table: claim ids run to 58 characters, and a table of them is unreadable below 200 columns.
    """
    console.print(Text("Claims against the documented ledger (gaps describe the figure beside them)", style="bold"))
    indent = (0, 0, 0, 2)

    def say(text: str, style: str = "") -> None:
        console.print(Padding(Text(wrap_text(text, console.width - 2), style=style), indent, expand=False))

    war = None
    for c in o.rows:
        if c.claim["conflict"] != war:  # the claims of each war together, under its name
            war = c.claim["conflict"]
            count = sum(1 for other in o.rows if other.claim["conflict"] == war)
            console.print()
            console.print(Text(f"{war}: {count} claim{'' if count == 1 else 's'}", style="bold underline"))
        claimed, means, shown, share, gaps = _headline_cells(c)
        console.print(Text.assemble((c.claim["claim_id"], "bold"), f" · {claimed} · {means}"), highlight=False)
        withheld = c.share_withheld(c.headline_figure)
        say(f"{shown}: {share}{_priced(c)}" if withheld is not None else f"{shown} = {share} of the claim{_priced(c)}")
        if gaps:
            say(f"gaps: {gaps}", "dim")
        if c.claim.get("scope_note"):
            say(f"scope: {c.claim['scope_note']}", "dim")
    console.print()
    console.print(Text(assumptions_line(o), style="dim"))


def claims_markdown(o: ClaimsOverview) -> str:
    """Render every claim side by side as a Markdown table (with each claim's scope note)."""
    rows = []
    for c in o.rows:
        claimed, means, shown, share, gaps = _headline_cells(c)
        rows.append(
            [c.claim["claim_id"], claimed, means, shown + _priced(c), share, gaps, c.claim.get("scope_note") or ""]
        )
    return md_table(OVERVIEW_HEADERS, rows) + f"\n\n_{md(assumptions_line(o))}_\n"


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
    "scope_fit",
    "scope_note",
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
        cells += [h.categories_without_counts, h.scope_fit, h.scope_note or ""]
        rows.append(cells)
    return rows_csv_text(CLAIMS_CSV_COLUMNS, rows)


def _plain_table(title: str, rows: list[BucketTotal], year: int) -> Table:
    table = rich_table(title)
    for header, justify in (
        ("", "left"),
        ("items", "right"),
        ("costed", "right"),
        (f"value, {year} USD: central (low–high)", "right"),
    ):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for bucket in rows:
        table.add_row(escape(bucket.name), f"{bucket.items:,}", f"{bucket.items_costed:,}", format_total(bucket))
    return table


def _side_total(t: BucketTotal, year: int) -> str:
    """A side's documented losses with their value said to be that of the costed items only: ``7,865 items; the 56
    costed are worth $232.9M (…); the other 7,809 are uncosted, not in that figure`` (never read as the value of
    all the side's losses)."""
    if not t.items_costed:
        return f"{t.items:,} items, none costed"
    worth = format_money(t.value, year)
    if not t.items_uncosted:
        return f"{t.items:,} items, all costed, worth {worth}"
    return (
        f"{t.items:,} items; the {t.items_costed:,} costed are worth {worth}; the other {t.items_uncosted:,} are "
        "uncosted, not in that figure"
    )


def print_conflict_summary(s: ConflictSummary, console: Console) -> None:
    """Render a conflict's documented losses side by side (never added together): by system, status and category."""
    console.print(
        Text.assemble(
            (s.conflict, "bold"),
            f" — documented losses of {' and '.join(p.side for p in s.per_side) or 'no side'}, each side on its own "
            f"(never added together); values in {s.dollar_year} USD",
        ),
        highlight=False,
    )
    for side in s.per_side:
        t = side.total
        console.print()
        console.print(
            Panel(
                f"[bold]{escape(side.side)}[/]: {escape(_side_total(t, s.dollar_year))}",
                title=escape(f"Losses of {side.side}"),
                title_align="left",
            )
        )
        console.print(
            _plain_table(
                "By attributed system (a loss credited to two systems is under both)", side.by_system, s.dollar_year
            )
        )
        for line in _shared_lines(_named_systems(side.by_system), s.dollar_year):
            console.print(Text(line), highlight=False)
        console.print()
        console.print(_plain_table("By status", side.by_status, s.dollar_year))
        console.print()
        console.print(_plain_table("By category", side.by_category, s.dollar_year))
    console.print(Text(assumptions_line(s), style="dim"))


def conflict_summary_markdown(s: ConflictSummary) -> str:
    """Render a conflict summary as Markdown: each side's tables on its own (sides are never added together)."""
    headers = ["", "items", "costed", f"value, {s.dollar_year} USD: central (low–high)"]
    out = [f"## {md(s.conflict)}: documented losses, each side on its own", ""]
    for side in s.per_side:
        t = side.total
        out += [
            f"### {md(side.side)}: {md(_side_total(t, s.dollar_year))}",
            "",
            *(f"{md(line)}\n" for line in _shared_lines(_named_systems(side.by_system), s.dollar_year)),
        ]
        for title, rows in (
            ("By attributed system", side.by_system),
            ("By status", side.by_status),
            ("By category", side.by_category),
        ):
            out += [
                f"#### {title}",
                "",
                md_table(headers, [[b.name, f"{b.items:,}", f"{b.items_costed:,}", format_total(b)] for b in rows]),
                "",
            ]
    out += [f"_{md(assumptions_line(s))}_", ""]
    return "\n".join(out)
