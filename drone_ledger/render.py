"""Views of the library's report objects: Rich tables, Markdown, CSV, JSON.

Only this module and :mod:`drone_ledger.cli` import Rich. Every view renders the
*same* report object the Python API returns.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .reports import BucketTotal, ValidationReport, format_usd, means_label
from .safecsv import rows_csv_text, safe_csv_text

if TYPE_CHECKING:
    from .analysis import Breakdown, Consistency, Sensitivity, Trace
    from .claims import ClaimComparison, ClaimsOverview, ConflictSummary
    from .importing import ImportReport

BUCKET_LABELS = {
    "attributed": "Attributed to {means}",
    "other": "Attributed to other systems",
    "unattributed": "Unattributed or too vague",
}


def to_json(data: Any) -> str:
    """Serialise a report's ``to_dict()`` the same way everywhere."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)


def _usd(value: float) -> str:
    return format_usd(value)


def _share(bucket: BucketTotal) -> str:
    """``19.0% (8.4–29.8%)``: central share, then the low–high range when it differs."""
    share = bucket.share_of_claim
    if share is None:
        return ""
    if round(share.low, 3) == round(share.high, 3):
        return f"{share.central:.1%}"
    return f"{share.central:.1%} ({share.low:.1%}–{share.high:.1%})"


def _value(bucket: BucketTotal) -> str:
    """``$189.9M ($84.0M–$297.5M)``, or a dash when nothing is costed."""
    if bucket.items_costed == 0:
        return "—"
    v = bucket.value
    if v.low == v.high:
        return _usd(v.central)
    return f"{_usd(v.central)} ({_usd(v.low)}–{_usd(v.high)})"


def _bucket_rows(c: ClaimComparison) -> list[tuple[str, BucketTotal, str]]:
    means = means_label(c.claim["scope_systems"])
    rows = [(BUCKET_LABELS[name].format(means=means), c.buckets[name], "") for name in c.buckets]
    if c.claim["scope_systems"] == "all":
        rows.append(("Documented in scope (any means)", c.documented, "bold"))
    else:
        rows.append(("Ceiling: attributed + unattributed", c.ceiling, "bold"))
    return rows


def _totals_table(title: str, rows: list[tuple[str, BucketTotal, str]], c: ClaimComparison) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("")
    table.add_column("items", justify="right")
    table.add_column("costed", justify="right")
    table.add_column(f"value, {c.dollar_year} USD: central (low–high)", justify="right")
    table.add_column("share of claim" if c.measure == "value" else "share of claimed count", justify="right")
    for label, bucket, style in rows:
        table.add_row(
            escape(label), f"{bucket.items:,}", f"{bucket.items_costed:,}", _value(bucket), _share(bucket), style=style
        )
    return table


def _period_note(c: ClaimComparison) -> str:
    total = c.documented if c.claim["scope_systems"] == "all" else c.ceiling
    if not total.items_possibly_in_period:
        return ""
    return (
        f"{total.items_possibly_in_period:,} of these items are dated only to the month or the whole war, so "
        f"they are only possibly inside {c.claim['period_start']} to {c.claim['period_end']}."
    )


def _claim_header(c: ClaimComparison) -> Panel:
    claim = c.claim
    amount = _usd(claim["amount"]) if c.measure == "value" else f"{claim['amount']:,.0f} {claim['unit']}"
    lines = [
        f"[bold]{escape(claim['claim_id'])}[/] — {escape(claim['claimant'])}, "
        f"{claim['claim_date'] or 'undated'}, {escape(claim['outlet'] or '')}",
        f"Claimed: [bold]{amount}[/] ({claim['bound']}) — {escape(claim['metric'])}",
    ]
    if claim.get("quote"):
        lines.append(f"[italic]“{escape(claim['quote'])}”[/]")
    lines.append(
        f"Scope: means: {escape(means_label(claim['scope_systems']))} · losing side: {escape(claim['scope_side'])} · "
        f"equipment: {escape(claim['scope_equipment_as_stated'] or 'any')} · "
        f"status: {claim['scope_statuses'].replace('|', ' or ')} · "
        f"period: {claim['period_start']} to {claim['period_end']}"
    )
    lines.append(f"Source: {escape(claim['source_url'])}")
    return Panel("\n".join(lines), title="Claim", title_align="left")


def _attribution_rows(rows: list[dict[str, Any]], limit: int = 20) -> list[dict[str, Any]]:
    """The attributions as they are, or grouped by system, confidence, status and outcome when there are many."""
    if len(rows) <= limit:
        return rows
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for a in rows:
        key = (a["system"], a["confidence"], a["status"], a["counted"], a["why_not_counted"])
        group = groups.setdefault(key, {**a, "items": 0, "losses": 0})
        group["items"] += a["items"]
        group["losses"] += 1
    return [{**g, "loss_id": f"{g['losses']:,} losses"} for g in sorted(groups.values(), key=lambda g: -g["items"])]


def _gaps(c: ClaimComparison) -> Group:
    parts: list[Any] = []
    cov = c.coverage
    parts.append(
        Text.from_markup(
            f"[bold]Coverage[/] ({escape(c.claim['scope_side'])}): counted by a tally: "
            f"{escape(', '.join(cov['counted']) or 'none')}; individual reports only: "
            f"{escape(', '.join(cov['reports_only']) or 'none')}; "
            f"no documented counts ({len(cov['no_documented_counts'])}): "
            f"{escape(', '.join(cov['no_documented_counts']) or 'none')}."
        )
    )
    if c.uncosted:
        table = Table(
            title="Uncosted items in scope (left out of dollar totals, never zero)",
            title_justify="left",
            show_edge=False,
            pad_edge=False,
        )
        for header in ("loss", "category", "model", "items", "bucket", "why"):
            table.add_column(header, justify="right" if header == "items" else "left", no_wrap=header == "loss")
        for u in c.uncosted:
            loss = u["example_loss_id"] if u["losses"] == 1 else f"{u['losses']:,} losses"
            table.add_row(loss, u["category"], u["model"] or "", f"{u['items']:,}", u["bucket"], u["reason"])
        parts.append(table)
    if c.scope_attributions:
        table = Table(
            title="Every loss attributed to the claimed means", title_justify="left", show_edge=False, pad_edge=False
        )
        for header in ("loss", "system", "confidence", "status", "items", "counted", "why not"):
            table.add_column(header)
        for a in _attribution_rows(c.scope_attributions):
            table.add_row(
                a["loss_id"],
                a["system"],
                a["confidence"],
                a["status"],
                f"{a['items']:,}",
                "yes" if a["counted"] else "no",
                escape(a["why_not_counted"] or ""),
            )
        parts.append(table)
    else:
        parts.append(Text("No loss in the ledger is attributed to the claimed means at any confidence."))
    for text in c.cost_assumptions:
        parts.append(Text.from_markup(f"[bold]Assumption used:[/] {escape(text)}"))
    if c.unusable_observations:
        listed = ", ".join(f"{u['obs_id']} ({u['cost_key']}: {u['reason']})" for u in c.unusable_observations)
        parts.append(Text.from_markup(f"[bold]Price observations not used[/] for keys in scope: {escape(listed)}"))
    return Group(*parts)


def _assumptions_line(c: ClaimComparison | ClaimsOverview | ConflictSummary) -> str:
    a = c.assumptions
    year = getattr(c, "dollar_year", None) or a.dollar_year or "each claim's year"
    return (
        f"Assumptions: dollar year {year}; prices: {', '.join(a.applicability)} observations "
        f"(low = lowest, high = highest, central = median of midpoints, CPI-U adjusted); damaged items at "
        f"{a.damaged_weight:.0%} of full value; "
        f"attributions counted at confidence {', '.join(a.attributed_confidences)}; "
        f"coarse-dated losses {'included' if a.include_possibly_in_period else 'excluded'}."
    )


def print_summary(c: ClaimComparison, console: Console) -> None:
    """Render a claim comparison as a Rich view a researcher reads in ten seconds."""
    console.print(_claim_header(c))
    console.print(_totals_table("Documented losses in scope", _bucket_rows(c), c))
    if note := _period_note(c):
        console.print(Text(note, style="dim"))
    console.print()
    console.print(_totals_table("By system family", [(b.name, b, "") for b in c.by_family], c))
    console.print()
    console.print(_totals_table("By category", [(b.name, b, "") for b in c.by_category], c))
    console.print()
    console.print(_gaps(c))
    console.print(Panel(escape(c.conclusion), title="What the evidence supports", title_align="left", style="bold"))
    console.print(Text(_assumptions_line(c), style="dim"))


def _md_table(headers: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def summary_markdown(c: ClaimComparison) -> str:
    """Render a claim comparison as Markdown (for papers, issues, notebooks)."""
    claim = c.claim
    headers = ["", "items", "costed", f"value, {c.dollar_year} USD: central (low–high)", "share of claim"]

    def rows(buckets: list[tuple[str, BucketTotal, str]]) -> list[list[str]]:
        return [[label, f"{b.items:,}", f"{b.items_costed:,}", _value(b), _share(b)] for label, b, _ in buckets]

    amount = _usd(claim["amount"]) if c.measure == "value" else f"{claim['amount']:,.0f} {claim['unit']}"
    out = [
        f"## {claim['claim_id']}: {amount} ({claim['bound']})",
        "",
        f"{claim['claimant']}, {claim['claim_date'] or 'undated'}, {claim['outlet'] or ''}. "
        f"Scope: {means_label(claim['scope_systems'])}; {claim['scope_side']}; "
        f"{claim['scope_statuses'].replace('|', ' or ')}; {claim['period_start']} to {claim['period_end']}. "
        f"Source: <{claim['source_url']}>",
        "",
    ]
    if claim.get("quote"):
        out += [f"> {claim['quote']}", ""]
    out.append(_md_table(headers, rows(_bucket_rows(c))))
    if note := _period_note(c):
        out += ["", f"_{note}_"]
    out += ["", "### By system family", "", _md_table(headers, rows([(b.name, b, "") for b in c.by_family]))]
    out += ["", "### By category", "", _md_table(headers, rows([(b.name, b, "") for b in c.by_category]))]
    cov = c.coverage
    out += [
        "",
        "### Gaps",
        "",
        f"- Counted by a tally: {', '.join(cov['counted']) or 'none'}",
        f"- Individual reports only: {', '.join(cov['reports_only']) or 'none'}",
        f"- No documented counts: {', '.join(cov['no_documented_counts']) or 'none'}",
        f"- Uncosted items in scope: {c.ceiling.items_uncosted:,}",
    ]
    out += [
        f"- Uncosted: {u['category']} {u['model'] or '(no model)'}: {u['items']} item(s) in {u['losses']} loss row(s), "
        f"{u['reason']}"
        for u in c.uncosted
    ]
    out += [
        f"- Attributed to the claimed means: {a['loss_id']} ({a['system']}, {a['confidence']}, {a['status']}, "
        f"{a['items']} item(s)): {'counted' if a['counted'] else 'not counted — ' + (a['why_not_counted'] or '')}"
        for a in c.scope_attributions
    ]
    out += [f"- Assumption used: {text}" for text in c.cost_assumptions]
    out += ["", f"**Conclusion.** {c.conclusion}", "", f"_{_assumptions_line(c)}_", ""]
    return "\n".join(out)


def _overview_rows(o: ClaimsOverview) -> list[list[str]]:
    rows = []
    for c in o.rows:
        row = c.headline()
        if c.measure == "value":
            claimed = f"{_usd(row['amount'])} ({row['bound']})"
            documented = (
                _value(c.documented) if c.documented.items_costed else f"{c.documented.items:,} items, none costed"
            )
            if row["scope_systems"] != "all":
                documented += f"; ceiling {_value(c.ceiling)}"
            gaps = f"{c.documented.items_uncosted:,} uncosted; {row['categories_without_counts']} categories uncounted"
        else:
            claimed = f"{row['amount']:,.0f} {row['unit']} ({row['bound']})"
            documented = f"{c.documented.items:,} items"
            gaps = "" if c.coverage["counted"] else "no tally in scope"
        if c.documented.items_possibly_in_period:
            gaps = "; ".join(filter(None, [gaps, f"{c.documented.items_possibly_in_period:,} only possibly in period"]))
        rows.append(
            [row["claim_id"], claimed, means_label(row["scope_systems"]), documented, _share(c.documented), gaps]
        )
    return rows


OVERVIEW_HEADERS = ["claim", "claimed", "means", "documented in scope", "share of claim", "gaps"]


def print_claims(o: ClaimsOverview, console: Console) -> None:
    """Render every claim side by side."""
    table = Table(title="Claims against the documented ledger", title_justify="left", show_edge=False, pad_edge=False)
    for header in OVERVIEW_HEADERS:
        table.add_column(header, overflow="fold", no_wrap=header == "claim")
    for row in _overview_rows(o):
        table.add_row(*[escape(v) for v in row])
    console.print(table)
    console.print(Text(_assumptions_line(o), style="dim"))


def claims_markdown(o: ClaimsOverview) -> str:
    """Render every claim side by side as a Markdown table."""
    return _md_table(OVERVIEW_HEADERS, _overview_rows(o)) + f"\n\n_{_assumptions_line(o)}_\n"


def claims_csv(o: ClaimsOverview) -> str:
    """Every claim as CSV rows (flat columns), formula-safe (:mod:`drone_ledger.safecsv`)."""
    header = [
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
        "ceiling_items",
        "ceiling_low",
        "ceiling_central",
        "ceiling_high",
        "categories_without_counts",
    ]
    rows = []
    for c in o.rows:
        r = c.headline()
        d, ce = r["documented"], r["ceiling"]
        rows.append(
            [
                r["claim_id"],
                r["claim_date"] or "",
                r["amount"],
                r["unit"],
                r["bound"],
                r["scope_systems"],
                r["measure"],
                r["dollar_year"],
                d["items"],
                *d["value_usd"].values(),
                ce["items"],
                *ce["value_usd"].values(),
                r["categories_without_counts"],
            ]
        )
    return rows_csv_text(header, rows)


ISSUE_COLUMNS = ["severity", "file", "line", "column", "code", "value", "message"]


def print_validation(report: ValidationReport, console: Console) -> None:
    """Render a validation report: one compiler-style line per issue, then the verdict."""
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
        value = f" (value: {escape(i.value)!s})" if i.value is not None else ""
        console.print(
            f"{escape(i.location())}: [{style}]{i.severity}[/] [bold]{i.code}[/]: {escape(i.message)}{value}",
            highlight=False,
            soft_wrap=True,
        )
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


def _usd_dict(value: dict[str, Any] | None) -> str:
    if not value or value.get("central") is None:
        return "—"
    if value["low"] == value["high"]:
        return _usd(value["central"])
    return f"{_usd(value['central'])} ({_usd(value['low'])}–{_usd(value['high'])})"


def _share_dict(share: dict[str, Any] | None) -> str:
    if not share:
        return ""
    if round(share["low"], 3) == round(share["high"], 3):
        return f"{share['central']:.1%}"
    return f"{share['central']:.1%} ({share['low']:.1%}–{share['high']:.1%})"


def print_trace(t: Trace, console: Console) -> None:
    """Render a trace: one row per loss, the prices and sources behind it, and the total."""
    table = Table(
        title=f"{t.claim_id}: {t.bucket} ({t.items:,} items, {_usd_dict(t.value.to_dict())}, {t.dollar_year} USD)",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    for header in (
        "loss",
        "category / model",
        "status",
        "items",
        "system",
        "unit value",
        "value",
        "prices used",
    ):
        table.add_column(header, overflow="fold", justify="right" if header == "items" else "left")
    for r in t.rows:
        prices = ", ".join(o["obs_id"] for o in r["observations"]) or (r["uncosted_reason"] or "")
        if r["cost_assumption"]:
            prices += f" [{r['cost_basis']}]"
        table.add_row(
            r["loss_id"],
            escape(f"{r['category']} / {r['model'] or '—'}"),
            r["status"],
            f"{r['items']:,}",
            escape(r["system"]),
            _usd_dict(r["unit_usd"]),
            _usd_dict(r["value_usd"]),
            escape(prices),
        )
    console.print(table)
    console.print("Sources of the losses:")
    for r in t.rows:
        console.print(f"  {r['loss_id']}: {escape(r['source_url'])}", highlight=False, soft_wrap=True)
    console.print("Sources of the prices:")
    sources = {o["obs_id"]: o["source_url"] for r in t.rows for o in r["observations"]}
    for obs_id, url in sorted(sources.items()):
        console.print(f"  {obs_id}: {escape(str(url))}", highlight=False)


def print_breakdown(b: Breakdown, console: Console) -> None:
    """Render a breakdown: one row per group, then the total."""
    table = Table(show_edge=False, pad_edge=False)
    for field_name in b.by:
        table.add_column(field_name)
    for header in ("items", "costed", f"value, {b.dollar_year} USD: central (low–high)"):
        table.add_column(header, justify="right")
    for g in b.groups:
        value = _usd_dict(g["value_usd"]) if g["items_costed"] else "—"
        table.add_row(*[escape(g["key"][f]) for f in b.by], f"{g['items']:,}", f"{g['items_costed']:,}", value)
    table.add_row(
        *(["total"] + [""] * (len(b.by) - 1)),
        f"{b.total.items:,}",
        f"{b.total.items_costed:,}",
        _value(b.total),
        style="bold",
    )
    console.print(table)
    if b.where:
        console.print(Text("filters: " + "; ".join(f"{k} in {', '.join(v)}" for k, v in b.where.items()), style="dim"))


def print_sensitivity(s: Sensitivity, console: Console) -> None:
    """Render the scenario grid: documented and ceiling share of the claim under each assumption."""
    table = Table(
        title=f"{s.claim_id}: share of the claim under each assumption",
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    for header in ("assumption", "scenario", "documented", "documented share", "ceiling", "ceiling share"):
        table.add_column(header, overflow="fold")
    for r in s.rows:
        style = "bold" if r["group"].endswith("case for the claim") or r["group"] == "default" else ""
        table.add_row(
            escape(r["group"]),
            escape(r["scenario"]),
            f"{r['documented_items']:,} items, {_usd_dict(r['documented_usd'])}",
            _share_dict(r["documented_share"]),
            f"{r['ceiling_items']:,} items, {_usd_dict(r['ceiling_usd'])}",
            _share_dict(r["ceiling_share"]),
            style=style,
        )
    console.print(table)


def print_consistency(c: Consistency, console: Console) -> None:
    """Render count claims priced at the ledger's unit costs, against the dollar claims."""
    for g in c.groups:
        console.print(
            f"[bold]{escape(str(g['claimant']))}, {g['claim_date'] or 'undated'}[/] "
            f"({escape(str(g['outlet']))}), losses of {escape(str(g['side']))}:",
            highlight=False,
        )
        table = Table(show_edge=False, pad_edge=False)
        for header in ("claimed", "status", "priced as", f"unit, {c.dollar_year} USD", "implied value"):
            table.add_column(header, overflow="fold")
        for line in g["claims"]:
            table.add_row(
                f"{line['count']:,.0f} {escape(str(line['equipment']))}",
                line["statuses"],
                escape(line["cost_key"] or "—"),
                _usd_dict(line["unit_usd"]),
                _usd_dict(line["implied_usd"]) if line["implied_usd"] else escape(line["uncosted_reason"]),
            )
        console.print(table)
        console.print(
            f"  implied by the {g['costed_claims']} costed claim(s): {_usd_dict(g['implied_usd'])}; "
            f"{g['uncosted_claims']} uncosted",
            highlight=False,
        )
        against = [a for a in g["against"] if a["implied_share"]["central"] is not None]
        if g["costed_claims"] and against:
            listed = "; ".join(
                f"{a['claim_id']} {_usd(a['amount'])} ({a['bound']}): {_share_dict(a['implied_share'])}"
                for a in against
            )
            console.print(f"  as a share of the dollar claims: {escape(listed)}", highlight=False)
        console.print()
    for note in c.notes:
        console.print(Text(f"Note: {note}.", style="dim"))
