"""The ``drone-ledger`` command: a thin client of the library.

Each command parses its options, calls one public function, hands the result
to a renderer and picks the exit code. The library (and pandas) is imported
inside the commands, so ``drone-ledger --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeVar

import typer

from . import __version__, vocab
from .cli_options import (
    _MAX_BYTES,
    _MAX_FIELD,
    DollarYearOption,
    ForceOption,
    LedgerOption,
    MaxBytesOption,
    MaxFieldOption,
    Reference,
    ReferenceOption,
    TableJson,
    TableJsonCsv,
    TableJsonMarkdown,
    TableJsonMarkdownCsv,
    _Command,
    _Commands,
    _format_option,
    _State,
)
from .errors import IssueCode
from .visible import visible

if TYPE_CHECKING:
    from .results.core import Assumptions

T = TypeVar("T")


app = typer.Typer(
    name="drone-ledger",
    help="Check public claims of equipment destroyed against a ledger of documented, sourced losses.",
    epilog="Example: drone-ledger summary   (Aliyev's $1 billion claim against the bundled 2020 ledger)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    cls=_Commands,
)


def _stdout() -> Any:
    from .views.common import stdout_console

    return stdout_console()


def _print_error(message: str, error_code: str) -> None:
    from rich.markup import escape
    from rich.panel import Panel

    _stderr().print(
        Panel(escape(message), title=escape(f"drone-ledger: error [{error_code}]"), title_align="left", style="red")
    )


def _fail(message: str, code: int, error_code: str = IssueCode.USAGE) -> NoReturn:
    _print_error(message, error_code)
    raise typer.Exit(code)


def _run(action: Callable[[], T]) -> T:
    """Call the library; turn its errors into a message and an exit code (traceback only with --debug).

    Only :class:`~drone_ledger.errors.DroneLedgerError` is the library saying "no" (exit 2 for a usage error,
    1 otherwise); any other exception is a bug and surfaces as one.
    """
    from .errors import DroneLedgerError

    try:
        return action()
    except DroneLedgerError as exc:
        if _State.debug:  # the traceback, and the same exit code as without --debug
            import traceback

            traceback.print_exc(file=sys.stderr)
            raise typer.Exit(exc.exit_code) from exc
        _fail(str(exc), exc.exit_code, exc.code)


def _assumptions(dollar_year: int | None, include: list[Reference] | None) -> Assumptions:
    from .results.core import Assumptions

    extra = tuple(dict.fromkeys(r.value for r in include or []))
    return Assumptions(dollar_year=dollar_year, applicability=("direct", *extra))


def _emit(result: Any, output: str) -> None:
    """The one output path: the result's Rich view for ``table``, else the exact text of its view (JSON: to_dict)."""
    from . import views

    if output == "table":
        views.print_table(result, _stdout())
    else:
        typer.echo(views.as_text(result, output), nl=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"drone-ledger {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on errors (also accepted after the command).")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Validate the ledger again instead of using the validation cache.")
    ] = False,
) -> None:
    """Check public claims of equipment destroyed against a ledger of documented, sourced losses.

    Example: drone-ledger summary
    """
    _State.debug = debug or _State.debug_after_command
    if no_cache or "drone_ledger.cache" in sys.modules:  # in-process runs (tests) set it each time
        from . import cache

        cache.disable(no_cache)


@app.command(cls=_Command)
def summary(
    claim: Annotated[
        str | None,
        typer.Option(
            "--claim", "-c", help=f"Claim id from claims.csv (default {vocab.DEFAULT_CLAIM_ID}).", show_default=False
        ),
    ] = None,
    conflict: Annotated[
        str | None,
        typer.Option(
            "--conflict", help="Instead of a claim: total a conflict's losses by attributed system.", show_default=False
        ),
    ] = None,
    side: Annotated[
        str | None, typer.Option("--side", help="With --conflict: only this side's losses.", show_default=False)
    ] = None,
    ledger: LedgerOption = None,
    output: Annotated[TableJsonMarkdown, _format_option("table, json or markdown")] = "table",
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
) -> None:
    """Compare one claim (default: Aliyev's $1 billion to France 24) with the documented losses in its scope.

    Example: drone-ledger summary --claim AZ-2020-10-14-F24 --format markdown
    """
    if side is not None and conflict is None:
        _fail("--side goes with --conflict ID (one side's losses in a war); a claim's side is its own", 2)
    if conflict is not None and claim is not None:
        _fail("give --claim ID (one claim) or --conflict ID (a war's losses), not both", 2)
    if conflict is not None:
        from .claims import summarize_conflict

        _emit(_run(lambda: summarize_conflict(ledger, conflict, side, _assumptions(dollar_year, include))), output)
        return
    from .claims import compare_claim

    claim_id = claim or vocab.DEFAULT_CLAIM_ID
    _emit(_run(lambda: compare_claim(ledger, claim_id, _assumptions(dollar_year, include))), output)


@app.command(cls=_Command)
def claims(
    ledger: LedgerOption = None,
    output: Annotated[TableJsonMarkdownCsv, _format_option("table, json, markdown or csv")] = "table",
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
) -> None:
    """List every claim with the documented total in its scope and the share of the claim it covers.

    Example: drone-ledger claims --format csv > claims.csv
    """
    from .claims import compare_claims

    _emit(_run(lambda: compare_claims(ledger, _assumptions(dollar_year, include))), output)


@app.command(cls=_Command)
def validate(
    ledger: LedgerOption = None,
    output: Annotated[TableJsonCsv, _format_option("table, json or csv")] = "table",
    encoding: Annotated[str, typer.Option("--encoding", help="Text encoding of the CSV files.")] = "utf-8-sig",
    max_bytes: MaxBytesOption = _MAX_BYTES,
    max_field: MaxFieldOption = _MAX_FIELD,
) -> None:
    """Check every table and the rules between them; list each problem with file, line, column and code.

    Exit status: 0 valid (warnings allowed), 1 the data has errors, 2 usage error.

    Example: drone-ledger validate --ledger my-ledger/ --format json
    """
    from .ledger import load_ledger
    from .validation import validate_ledger

    report = _run(lambda: validate_ledger(load_ledger(ledger, encoding, max_bytes, max_field)))
    _emit(report, output)
    raise typer.Exit(report.exit_code)


SourceFormat = Literal["auto", "ledger", "oryx-wide", "oryx-long", "csv", "oryx-page", "warspotting"]
FromOption = Annotated[
    SourceFormat,
    typer.Option(
        "--from",
        metavar="FORMAT",
        help="The source's format: auto, ledger, oryx-wide, oryx-long, oryx-page (Oryx's page, .html or .html.gz), "
        "warspotting or csv.",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="oryx-page: the day the page was saved (its items were lost on or before it).",
        show_default=False,
    ),
]
ImportLedgerOption = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        "-l",
        help="Ledger directory to import into (required; with --dry-run the bundled ledger if left out).",
        show_default=False,
    ),
]
CategoriesFromOption = Annotated[
    Path | None,
    typer.Option(
        "--categories-from",
        help="oryx-long: take each item's category from this Oryx per-model table of the same war (by model).",
        show_default=False,
    ),
]


@app.command("import", cls=_Command)
def import_(
    source: Annotated[
        Path, typer.Argument(metavar="SOURCE", help="The CSV file (or Oryx page) to import.", show_default=False)
    ],
    ledger: ImportLedgerOption = None,
    source_format: FromOption = "auto",
    mapping: Annotated[
        Path | None, typer.Option("--map", help="TOML mapping file (columns, values, constants).", show_default=False)
    ] = None,
    conflict: Annotated[
        str | None, typer.Option("--conflict", help="Conflict id for every row.", show_default=False)
    ] = None,
    side: Annotated[
        str | None,
        typer.Option(
            "--side", help="Side that lost the items (oryx-wide; an Oryx page's headline says it).", show_default=False
        ),
    ] = None,
    source_url: Annotated[
        str | None,
        typer.Option(
            "--source-url",
            help="Link for rows without one (oryx-wide; warspotting: default WarSpotting's site).",
            show_default=False,
        ),
    ] = None,
    source_name: Annotated[
        str | None, typer.Option("--source-name", help="Who published the table.", show_default=False)
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would happen; write nothing.")] = False,
    keep_valid: Annotated[
        bool,
        typer.Option("--keep-valid", help="Write the valid records; put invalid ones in the ledger's rejects/ folder."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse if any status, system or category is unmapped.")
    ] = False,
    add_systems: Annotated[
        bool, typer.Option("--add-systems", help="Add unmapped system names to systems.csv (flags 'unknown').")
    ] = False,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Source encoding (default UTF-8).", show_default=False)
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option("--delimiter", help="Source delimiter (default: sniffed).", show_default=False)
    ] = None,
    output: Annotated[TableJson, _format_option("table or json")] = "table",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    max_bytes: MaxBytesOption = _MAX_BYTES,
    max_field: MaxFieldOption = _MAX_FIELD,
    categories_from: CategoriesFromOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Import a loss table (Oryx per-model or per-item, Oryx's own page, WarSpotting, a mapped CSV, or ledger rows).

    Validates before writing, never writes half a ledger, and reports rows read = added + updated +
    duplicates + rejected. Exit status: 0 imported (or would be, with --dry-run), 1 refused, 2 usage error.

    Example: drone-ledger import oryx_wide.csv --ledger my-ledger --conflict ukraine-2022 --side Ukraine --source-url https://github.com/timerdenty/Oryx
    """
    if ledger is None and not dry_run:
        _fail(
            "import writes to a ledger: pass --ledger DIR (create one with `drone-ledger init DIR`), "
            "or --dry-run to check the source against the bundled ledger",
            2,
        )
    from .importing.importer import import_table
    from .ledger import default_ledger_path

    def work() -> Any:
        with _progress(quiet) as progress:
            return import_table(
                source,
                ledger or default_ledger_path(),
                source_format=source_format,
                mapping=mapping,
                conflict=conflict,
                side=side,
                source_url=source_url,
                source_name=source_name,
                dry_run=dry_run,
                keep_valid=keep_valid,
                strict=strict,
                add_systems=add_systems,
                encoding=encoding,
                delimiter=delimiter,
                progress=progress,
                max_bytes=max_bytes,
                max_field=max_field,
                categories_from=categories_from,
                as_of=as_of,
            )

    report = _run(work)
    _emit(report, output)
    raise typer.Exit(report.exit_code)


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for large sources; none when stderr is not a terminal or with --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=_stderr(), transient=True) as bar:
        task = bar.add_task("reading records", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _stderr() -> Any:
    from .views.common import VisibleConsole

    return VisibleConsole(stderr=True)


@app.command(cls=_Command)
def init(
    path: Annotated[Path, typer.Argument(metavar="DIR", help="Directory to create.", show_default=False)],
    empty: Annotated[
        bool, typer.Option("--empty", help="Only the bundled systems and CPI tables; no losses or claims.")
    ] = False,
) -> None:
    """Create a new ledger directory: a copy of the bundled ledger (both wars), or an empty one to import into.

    Example: drone-ledger init my-ledger --empty
    """
    from .writing import init_ledger

    written = _run(lambda: init_ledger(path, empty=empty))
    kind = "an empty ledger (bundled systems and CPI)" if empty else "a copy of the bundled ledger"
    typer.echo(visible(f"created {path}: {kind}, {len(written)} tables"))


conflict_app = typer.Typer(
    name="conflict",
    help="List the conflicts drone-ledger knows and add one to a ledger's conflicts.csv.\n\n"
    "Example: drone-ledger conflict add ukraine-2022 --ledger my-ledger",
    no_args_is_help=True,
    cls=_Commands,
)
app.add_typer(conflict_app)


@conflict_app.command("add", cls=_Command)
def conflict_add(
    conflict_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="A known conflict (see `conflict list`) or a new id.", show_default=False),
    ],
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", "-l", help="Ledger directory to add it to (required).", show_default=False),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Common name of the war.", show_default=False)] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day of fighting, YYYY-MM-DD.", show_default=False)
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="Last day, YYYY-MM-DD (leave out if ongoing).", show_default=False)
    ] = None,
    source_url: Annotated[
        str | None, typer.Option("--source-url", help="http(s) link to the source of the dates.", show_default=False)
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free text.", show_default=False)] = None,
    output: Annotated[TableJson, _format_option("table or json")] = "table",
) -> None:
    """Add a conflict to a ledger: a known one by its id alone, or any war with its name, dates and source.

    Options override the catalog's values. The row is validated like every ledger row.

    Exit status: 0 added (or already there with the same values: nothing written), 1 refused, 2 usage error.

    Example: drone-ledger conflict add ukraine-2022 --ledger my-ledger
    """
    if ledger is None:
        _fail("conflict add writes to a ledger: pass --ledger DIR (create one with `drone-ledger init DIR --empty`)", 2)
    from .conflicts import add_conflict

    result = _run(
        lambda: add_conflict(ledger, conflict_id, name=name, start=start, end=end, source_url=source_url, notes=notes)
    )
    if result.exit_code and output == "table":  # a refusal is a diagnostic: on stderr, as every error
        from . import views

        views.print_table(result, _stderr())
    else:
        _emit(result, output)
    raise typer.Exit(result.exit_code)


@conflict_app.command("list", cls=_Command)
def conflict_list(
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger", "-l", help="Also say which of them this ledger has (default: none).", show_default=False
        ),
    ] = None,
    output: Annotated[TableJson, _format_option("table or json")] = "table",
) -> None:
    """List the known conflicts (the wars the Oryx-derived formats cover) with their dates and sources.

    Example: drone-ledger conflict list --ledger my-ledger
    """
    from .conflicts import known_conflicts

    _emit(_run(lambda: known_conflicts(ledger)), output)


TraceBucket = Literal["attributed", "other", "unattributed", "uncosted"]
ClaimOption = Annotated[str, typer.Option("--claim", "-c", help="Claim id from claims.csv.")]


@app.command(cls=_Command)
def trace(
    claim: ClaimOption = vocab.DEFAULT_CLAIM_ID,
    bucket: Annotated[
        TraceBucket,
        typer.Option(
            "--bucket",
            "-b",
            metavar="BUCKET",
            help="Which figure to expand: attributed, other, unattributed or uncosted.",
        ),
    ] = "unattributed",
    system: Annotated[
        str | None, typer.Option("--system", help="Only losses credited to this system.", show_default=False)
    ] = None,
    category: Annotated[str | None, typer.Option("--category", help="Only this category.", show_default=False)] = None,
    ledger: LedgerOption = None,
    output: Annotated[TableJsonCsv, _format_option("table, json or csv")] = "table",
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
) -> None:
    """List the losses behind a figure of `summary`: items, unit values, the prices used and every source.

    Example: drone-ledger trace --claim AZ-2020-10-14-F24 --bucket unattributed --category Tanks
    """
    from .analysis import trace_claim

    assumptions = _assumptions(dollar_year, include)
    _emit(_run(lambda: trace_claim(ledger, claim, bucket, system, category, assumptions)), output)


@app.command("breakdown", cls=_Command)
def breakdown_(
    by: Annotated[
        list[str],
        typer.Option(
            "--by",
            metavar="FIELD",
            help="Field to group by (repeatable): system, family, "
            "turkish_supplied, category, model, status, side, conflict, week, month, "
            "confidence, record_kind.",
        ),
    ],
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where", metavar="FIELD=VALUE", help="Filter FIELD=VALUE[,VALUE] (repeatable).", show_default=False
        ),
    ] = None,
    ledger: LedgerOption = None,
    output: Annotated[TableJsonCsv, _format_option("table, json or csv")] = "table",
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
) -> None:
    """Total documented losses (items and low-central-high value) grouped by any fields, with filters.

    Example: drone-ledger breakdown --by side --by status --where conflict=karabakh-2020
    """
    filters: dict[str, list[str]] = {}
    for item in where or []:
        name, sep, values = item.partition("=")
        if not sep or not values:
            _fail(f"--where takes FIELD=VALUE[,VALUE], not {item!r}", 2)
        filters.setdefault(name.strip(), []).extend(v.strip() for v in values.split(","))
    from .analysis import breakdown

    _emit(_run(lambda: breakdown(ledger, by, filters, _assumptions(dollar_year, include))), output)


@app.command("sensitivity", cls=_Command)
def sensitivity_(
    claim: ClaimOption = vocab.DEFAULT_CLAIM_ID,
    ledger: LedgerOption = None,
    output: Annotated[TableJsonCsv, _format_option("table, json or csv")] = "table",
) -> None:
    """Show a claim's documented share and ceiling under each assumption that moves them, best and worst case.

    Example: drone-ledger sensitivity --claim AZ-2020-10-14-F24
    """
    from .analysis import sensitivity

    _emit(_run(lambda: sensitivity(ledger, claim)), output)


@app.command(cls=_Command)
def consistency(
    ledger: LedgerOption = None,
    output: Annotated[TableJson, _format_option("table or json")] = "table",
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
) -> None:
    """Price count claims (e.g. Aliyev's 20 Oct 2020 list) at the ledger's unit costs, against the dollar claims.

    Example: drone-ledger consistency --include upper_reference
    """
    from .analysis import claim_consistency

    _emit(_run(lambda: claim_consistency(ledger, _assumptions(dollar_year, include))), output)


@app.command(cls=_Command)
def record(
    system: Annotated[
        str,
        typer.Argument(metavar="SYSTEM", help="A system of systems.csv, by id or name.", show_default=True),
    ] = "bayraktar-tb2",
    ledger: LedgerOption = None,
    output: Annotated[TableJsonMarkdownCsv, _format_option("table, json, markdown or csv")] = "table",
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
) -> None:
    """A system's documented record in every war the ledger holds, and the claims about it checked against it.

    Per war: items by category and status, their value (central, low-high), the days they span, items and
    dollars per day, what rests on shared credit and what is uncosted; then each claim about the system, item by
    item.

    Example: drone-ledger record bayraktar-tb2 --format markdown
    """
    from .recordcheck import documented_record

    _emit(_run(lambda: documented_record(ledger, system, _assumptions(dollar_year, include))), output)


PlotKind = Literal["bars", "timeline", "record"]


@app.command(cls=_Command)
def plot(
    output_path: Annotated[
        Path, typer.Argument(metavar="FILE", help="Where to save the chart (.png, .svg or .pdf).", show_default=False)
    ],
    claim: ClaimOption = vocab.DEFAULT_CLAIM_ID,
    kind: Annotated[PlotKind, typer.Option("--kind", metavar="KIND", help="bars, timeline or record.")] = "bars",
    ledger: LedgerOption = None,
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
    force: ForceOption = False,
) -> None:
    """Draw a claim against the documented ledger: buckets with low-high error bars, or value over time.

    Needs the plot extra (pip install 'drone-ledger[plot]'). Refuses to replace an existing FILE unless --force.

    Example: drone-ledger plot f24.png --kind timeline
    """
    from .plots import plot_claim

    saved = _run(lambda: plot_claim(ledger, output_path, claim, kind, _assumptions(dollar_year, include), force=force))
    typer.echo(visible(f"saved {saved}"))


@app.command(cls=_Command)
def report(
    output_path: Annotated[
        Path, typer.Argument(metavar="OUT.html", help="The page to write (.html).", show_default=False)
    ],
    claim: ClaimOption = vocab.DEFAULT_CLAIM_ID,
    ledger: LedgerOption = None,
    dollar_year: DollarYearOption = None,
    include: ReferenceOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT.html if it exists.")] = False,
) -> None:
    """Write a claim's report page to share: one self-contained HTML file (verdict, figures, chart, sources).

    The page loads nothing from the network; an existing file is replaced only with --force.

    Exit status: 0 written, 1 the ledger has errors, 2 usage error (a path refused, an unknown claim).

    Example: drone-ledger report f24.html --claim AZ-2020-10-14-F24
    """
    from .page import write_report

    written = _run(lambda: write_report(ledger, output_path, claim, _assumptions(dollar_year, include), force=force))
    typer.echo(visible(f"wrote {written}"))


ExportFormat = Literal["csv", "parquet", "xlsx"]


@app.command("export", cls=_Command)
def export_(
    output_path: Annotated[
        Path, typer.Argument(metavar="FILE", help="File to write (.csv, .parquet or .xlsx).", show_default=False)
    ],
    file_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="csv, parquet or xlsx (default: from the suffix).",
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOption = None,
    dollar_year: Annotated[
        int | None,
        typer.Option(
            "--dollar-year",
            help="Dollar year of the values (default: each loss's war's, the year it began).",
            show_default=False,
        ),
    ] = None,
    include: ReferenceOption = None,
    force: ForceOption = False,
) -> None:
    """Export every loss with its value range and the assumptions used; spreadsheet formulas are neutralised.

    XLSX needs the export extra (pip install 'drone-ledger[export]'). Refuses to replace an existing FILE unless
    --force, and never writes onto a ledger's own tables.

    Example: drone-ledger export losses.xlsx --dollar-year 2020
    """
    from .exporting import export_losses

    frame = _run(
        lambda: export_losses(ledger, output_path, file_format, _assumptions(dollar_year, include), force=force)
    )
    typer.echo(visible(f"wrote {len(frame):,} losses to {output_path}"))


SchemaFormat = Literal["markdown", "json", "frictionless"]


@app.command(cls=_Command)
def schema(
    output: Annotated[SchemaFormat, _format_option("markdown, json or frictionless")] = "markdown",
) -> None:
    """Print the data dictionary of every table, or a Frictionless Data Package descriptor.

    Example: drone-ledger schema --format frictionless > my-ledger/datapackage.json
    """
    from .dictionary import DataDictionary

    _emit(DataDictionary(), output)


def run() -> None:
    """Entry point for ``python -m drone_ledger`` and the console script.

    Output that cannot be written (a full disk, ``> /dev/full``) ends with a coded message on stderr and exit 1,
    never a traceback; a closed pipe (``| head``) ends quietly with exit 1.
    """
    try:
        try:
            app(prog_name="drone-ledger")
        finally:
            sys.stdout.flush()
    except OSError as exc:
        _output_failed(exc)


def _output_failed(exc: OSError) -> NoReturn:
    """Stop after a failed write to stdout: say why on stderr (unless the pipe was closed), exit 1."""
    from .storage import write_error

    with contextlib.suppress(OSError, ValueError):  # the interpreter's last flush must not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if exc.errno != errno.EPIPE:
        error = write_error(exc, "the standard output", "what was printed is incomplete")
        with contextlib.suppress(OSError):
            _print_error(str(error), error.code)
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    run()
