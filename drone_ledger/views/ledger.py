"""Views of what checks or changes a ledger: ``validate``, ``import``, ``conflict add`` and ``conflict list``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from drone_ledger.results.core import Issue, ValidationReport
from drone_ledger.results.ledger import ConflictAddition, ImportReport, KnownConflicts, describe_change
from drone_ledger.safecsv import safe_csv_text
from drone_ledger.visible import visible

__all__ = [
    "print_conflict_addition",
    "print_import",
    "print_known_conflicts",
    "print_sources",
    "print_validation",
    "validation_csv",
]


ISSUE_COLUMNS = ["severity", "file", "line", "column", "code", "value", "message"]


def print_validation(report: ValidationReport, console: Console) -> None:
    """Render a validation report, then the verdict.

    Piped (or NO_COLOR): one compiler-style line per issue, ``file:line [column]: severity code: message``, for
    grep and editors. On a terminal: the location and code on one line, the message wrapped under it.
    """
    if console.color_system is None:  # piped or NO_COLOR: the same lines without Rich's markup pass (35k lines: 9 s)
        console.file.write(
            visible(
                "".join(
                    f"{i.location()}: {i.severity} {i.code}: {i.message}"
                    + (f" (value: {i.value})" if i.value is not None else "")
                    + "\n"
                    for i in report.issues
                )
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
    print_sources(report, console)
    if report.refused:
        console.print(f"[red]{escape(report.refused)}[/]")


#: How many warnings of one code the table view shows (``--format json`` lists them all).
WARNINGS_SHOWN = 5


def print_sources(report: ImportReport, console: Console) -> None:
    """What an import of Oryx's page or WarSpotting found beside its rows: the page against its own counts, what
    it attributes (and how much on shared credit), the join, and the warnings, a few of each code."""
    page, joined = report.page, report.join
    if page is not None:
        against = (
            f" against the headline's {page.headline:,} ({page.difference:+,}, {page.difference_share or 0:.2%})"
            if page.headline is not None and page.difference is not None
            else " (the page has no readable headline)"
        )
        console.print(
            f"Oryx's page ({escape(page.side)}, saved {page.as_of}): {page.read:,} items read{against}; "
            f"{len(page.unread):,} piece(s) of the lists unread",
            highlight=False,
        )
        if page.attributed_items:
            credited = ", ".join(f"{escape(s)} {n:,}" for s, n in page.attributed_items.items())
            console.print(
                f"  {page.attribution_labels:,} labels credit a system: {credited} items; "
                f"{page.shared_items:,} item(s) on shared credit ('by X and Y')",
                highlight=False,
            )
        if page.model_lines:
            console.print(
                f"  {len(page.model_lines):,} model line(s) print another count than the items read under them "
                "(--format json lists them)",
                highlight=False,
            )
        if page.attributions_kept:
            console.print(
                f"  {page.labels_kept:,} label(s) naming a system ({page.attributions_kept:,} item(s)) no longer on "
                "the page: the attributions an earlier page showed are kept",
                highlight=False,
            )
        if page.items_not_on_page:
            console.print(f"  {len(page.items_not_on_page):,} item(s) of an earlier page not on this one (kept)")
    if joined is not None:
        console.print(
            f"Joined by proof link (one loss, counted once): {joined.joined:,} WarSpotting record(s) and Oryx "
            f"item(s) ({joined.other_model_names:,} under other model names, WarSpotting's in the notes); "
            f"{joined.refreshed:,} refreshed; {len(joined.retired):,} WarSpotting-only row(s) merged into Oryx items; "
            f"{joined.surplus:,} record(s) beyond their link's items",
            highlight=False,
        )
    by_code: dict[str, list[Issue]] = {}
    for issue in report.issues:
        by_code.setdefault(issue.code, []).append(issue)
    for code, issues in by_code.items():
        console.print(f"[yellow]{len(issues):,} warning(s)[/] [bold]{escape(code)}[/]", highlight=False)
        for issue in issues[:WARNINGS_SHOWN]:
            where = f"line {issue.line}: " if issue.line is not None else ""
            console.print(f"  {escape(where + issue.message)}", highlight=False)
        if len(issues) > WARNINGS_SHOWN:
            console.print(f"  … and {len(issues) - WARNINGS_SHOWN:,} more (--format json lists them all)")


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
