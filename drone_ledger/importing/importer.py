"""``import_table``: check the options, read the source, adapt its rows, then merge, validate and write.

Everything that can be checked without the ledger (the options, the mapping file,
the source file) is checked first, so a refused import touches nothing. A writing
import then opens the ledger through :func:`drone_ledger.writing.open_for_write`
(lock, recover, load every table in full with the ledger's own settings); a dry run
reads it the same way without the lock, so it refuses what the import would.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from pathlib import Path

from drone_ledger.conflicts import KNOWN_CONFLICTS
from drone_ledger.errors import ImportUsageError, IssueCode, UnknownSideError
from drone_ledger.layout import URL_PATTERN
from drone_ledger.ledger import Ledger
from drone_ledger.loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD
from drone_ledger.results.ledger import ImportReport
from drone_ledger.storage import require_ledger
from drone_ledger.textfile import shorten
from drone_ledger.writing import load_for_write, open_for_write

from .adapters import ADAPTERS, detect_format
from .context import Context, ProgressCallback, Record, system_resolver
from .join import reconcile
from .mapping import FORMATS, MappingFile, check_delimiter, check_encoding
from .merge import merge_and_write
from .oryx import read_model_categories
from .oryxpage import check_as_of, read_table_or_page
from .source import SourceTable

__all__ = ["import_table"]


def import_table(
    source: str | Path,
    ledger: str | Path,
    *,
    source_format: str = "auto",
    mapping: str | Path | MappingFile | None = None,
    conflict: str | None = None,
    side: str | None = None,
    source_url: str | None = None,
    source_name: str | None = None,
    dry_run: bool = False,
    keep_valid: bool = False,
    strict: bool = False,
    add_systems: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: ProgressCallback | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field: int = DEFAULT_MAX_FIELD,
    categories_from: str | Path | None = None,
    as_of: str | None = None,
) -> ImportReport:
    """Import a loss table into a ledger directory; return what it read, added, updated, rejected and wrote.

    Parameters
    ----------
    source, ledger:
        The CSV file to import, and the ledger directory to import into (see ``drone-ledger init``).
    source_format:
        ``auto`` (from the content and the header), ``oryx-wide``, ``oryx-long``, ``oryx-page`` (Oryx's own page,
        ``.html`` or ``.html.gz``), ``warspotting``, ``csv`` or ``ledger``.
    mapping:
        A TOML mapping file (or a loaded :class:`MappingFile`): needed for ``csv``, optional elsewhere (value
        maps for statuses, systems, categories).
    conflict, side, source_url, source_name:
        What the source does not say on each row (Oryx tables name neither the war nor, per model, the side or a
        link).
    dry_run, keep_valid, strict, add_systems:
        Do everything but write; when some records are invalid, write the valid ones and put the others in
        ``<ledger>/rejects/`` with their reason and source line; refuse if any status, system or category is
        unmapped; add a systems.csv row (family and flags ``unknown``) for each unmapped system name.
    encoding, delimiter, max_bytes, max_field:
        How to read the source and ``categories_from`` (default UTF-8 and the header's delimiter) and the limits
        for them. The ledger is always read with its own settings (UTF-8, the default limits), and a record with
        a cell over the ledger's limit is rejected.
    progress:
        Called with (rows done, rows total) while records are built.
    categories_from:
        For a per-item (oryx-long) table, which has no category: an Oryx per-model table of the same war whose
        categories are taken by model name.
    as_of:
        For an Oryx page: the day it was saved (YYYY-MM-DD); its items were lost on or before it.

    Raises
    ------
    ImportSourceError, ImportUsageError, MappingFileError, LedgerLockedError, LedgerNotFoundError, NotALedgerError,
    JournalError, LedgerWriteError, UnreadableLedgerError, UnknownSideError (a near miss of a side the ledger has),
    MissingSourceError
        Each before anything is written. ``ImportReport.refused`` says why a readable import wrote nothing.
    """
    # Everything that can be checked without the ledger is checked first: a refused command touches nothing.
    encoding, delimiter = _checked_options(source_format, encoding, delimiter, max_bytes, max_field, as_of)
    _check_source_url(source_url)
    loaded_mapping = (
        mapping if isinstance(mapping, MappingFile) else MappingFile.load(Path(mapping)) if mapping else MappingFile()
    ).checked()
    ledger_path = require_ledger(ledger)
    src = _read(Path(source), source_format, loaded_mapping, encoding, delimiter, max_bytes, max_field)
    fmt = detect_format(src.header, loaded_mapping) if source_format == "auto" else source_format
    model_categories = _model_categories(categories_from, fmt, src, encoding, max_bytes, max_field)
    report = ImportReport(str(source), fmt, str(ledger_path), dry_run, rows_read=len(src.rows))
    with _opened(ledger_path, dry_run) as existing:
        wanted_conflict = conflict or loaded_mapping.constants.get("conflict")
        _check_conflict(wanted_conflict, existing)
        wanted_side = side or loaded_mapping.constants.get("side_losing")
        _check_side(wanted_side, wanted_conflict, existing)
        resolver = system_resolver(existing["systems"])
        ctx = Context(wanted_conflict, wanted_side, source_url, source_name, loaded_mapping, resolver, add_systems)
        ctx.model_categories, ctx.as_of = model_categories, as_of
        ctx.categories_source = Path(categories_from).name if categories_from is not None else ""
        records, aggregates = _adapt(report, src, fmt, ctx, progress)
        into = reconcile(report, existing, records, src, ctx, fmt)  # Oryx pages and WarSpotting: one loss once
        merge_and_write(
            report,
            into,
            records,
            aggregates,
            ctx,
            dry_run=dry_run,
            keep_valid=keep_valid,
            strict=strict,
            src=src,
        )
    return report


def _checked_options(
    source_format: str, encoding: str | None, delimiter: str | None, max_bytes: int, max_field: int, as_of: str | None
) -> tuple[str | None, str | None]:
    """The encoding and delimiter, checked with the other options that need no file."""
    check_as_of(as_of, required=False)
    if source_format not in FORMATS:
        raise ImportUsageError(
            f"--from must be one of {', '.join(FORMATS)}, not {source_format!r}", IssueCode.UNKNOWN_FORMAT
        )
    encoding = check_encoding(encoding, "--encoding", ImportUsageError)
    delimiter = check_delimiter(delimiter, "--delimiter", ImportUsageError)
    if max_bytes < 1 or max_field < 1:
        raise ImportUsageError("--max-bytes and --max-field must be at least 1", IssueCode.BAD_LIMIT)
    return encoding, delimiter


def _read(
    path: Path,
    source_format: str,
    mapping: MappingFile,
    encoding: str | None,
    delimiter: str | None,
    max_bytes: int,
    max_field: int,
) -> SourceTable:
    """The source, a CSV table or an Oryx page (told apart by its content), read with the mapping's defaults."""
    return read_table_or_page(
        path, source_format, encoding or mapping.encoding, delimiter or mapping.delimiter, max_bytes, max_field
    )


def _opened(path: Path, dry_run: bool) -> contextlib.AbstractContextManager[Ledger]:
    """The ledger to import into: a write takes the lock *before* reading it (:func:`open_for_write`), so no other
    import can commit in between and this one can never write back a stale copy over another's rows; a dry run only
    reads, the same way (:func:`load_for_write`)."""
    if dry_run:
        return contextlib.nullcontext(load_for_write(path))
    return open_for_write(path)


def _model_categories(
    categories_from: str | Path | None, fmt: str, src: SourceTable, encoding: str | None, max_bytes: int, max_field: int
) -> dict[str, str | None] | None:
    """--categories-from: the categories of a per-model table by model name (only for a per-item source)."""
    if categories_from is None:
        return None
    if fmt != "oryx-long":
        raise ImportUsageError(
            f"--categories-from gives categories to a per-item (oryx-long) table; {src.path.name} is {fmt}",
            IssueCode.CATEGORIES_FROM_NEEDS_ORYX_LONG,
        )
    return read_model_categories(Path(categories_from), encoding, max_bytes, max_field)


def _adapt(
    report: ImportReport, src: SourceTable, fmt: str, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """Run the format's adapter; count in ``report`` the records, what was rejected, unmapped, added and noted."""
    records, aggregates = ADAPTERS[fmt](src, ctx, progress)
    if progress:
        progress(len(src.rows), len(src.rows))
    report.records = len(records) + len(ctx.rejects)
    report.rejects = ctx.rejects
    report.unmapped = {kind: dict(counter.most_common()) for kind, counter in ctx.unmapped.items()}
    report.new_systems = sorted(ctx.new_systems)
    report.notes = [f"{what}: {n}" for what, n in ctx.notes.items()]
    return records, aggregates


def _check_source_url(url: str | None) -> None:
    """--source-url must be one http(s) link, as every ledger row's source_url is."""
    if url is not None and not re.match(URL_PATTERN, url):
        raise ImportUsageError(
            f"--source-url must be an http(s) link (https://…) to the table's source, not {shorten(url)!r}",
            IssueCode.INVALID_URL,
        )


def _check_side(wanted: str | None, conflict: str | None, ledger: Ledger) -> None:
    """Refuse a side that is a near miss of one the ledger has for the conflict (``Ukrane`` for ``Ukraine``), listing
    them; a side the ledger does not have yet, and close to none of them, is a new side and is taken as given."""
    if not wanted:
        return
    known: set[str] = set()
    for table, column in (("losses", "side_losing"), ("aggregates", "side_losing"), ("claims", "scope_side")):
        frame = ledger[table]
        rows = frame if conflict is None else frame[frame["conflict"].eq(conflict)]
        known |= {s for s in rows[column].dropna().tolist() if isinstance(s, str)}
    if not known or wanted in known:
        return
    close = [k for k in known if k.casefold() == wanted.casefold()] or difflib.get_close_matches(
        wanted, sorted(known), n=1, cutoff=0.8
    )
    if close:
        where = f" for {conflict}" if conflict else ""
        raise UnknownSideError(
            f"--side {shorten(wanted)!r} is not a side the ledger has{where} (it has: {', '.join(sorted(known))}); "
            f"did you mean {close[0]!r}? A new side needs a name unlike these."
        )


def _check_conflict(wanted: str | None, ledger: Ledger) -> None:
    """Refuse a conflict the ledger does not have, saying how to add it."""
    conflicts = set(ledger["conflicts"]["conflict_id"])
    if not wanted or wanted in conflicts:
        return
    add = f"drone-ledger conflict add {wanted} --ledger {ledger.path}"
    raise ImportUsageError(
        f"conflict {wanted!r} is not in {ledger.path / 'conflicts.csv'} (it has: "
        f"{', '.join(sorted(conflicts)) or 'none'}); add it first with "
        + (
            f"`{add}` (a known conflict: its name, dates and source come with it)"
            if wanted in KNOWN_CONFLICTS
            else f"`{add} --name NAME --start YYYY-MM-DD [--end YYYY-MM-DD] --source-url URL`"
        ),
        IssueCode.UNKNOWN_CONFLICT,
    )
