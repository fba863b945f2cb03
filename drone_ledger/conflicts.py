"""The wars a ledger covers: a catalog of known conflicts, and adding one to conflicts.csv without editing it.

The catalog is plain Python data: the CLI reads it for its errors without
loading pandas. Every date in it is read from the page its ``source_url``
names; a date no stored source confirmed is left out (``None``), and adding
that conflict then needs it from the user.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConflictUsageError, IssueCode, LedgerNotFoundError, NotALedgerError, TableFileError
from .layout import TABLES
from .results.core import Issue, Severity
from .results.ledger import ADDED, CONFLICTS_FILE, REFUSED, UNCHANGED, ConflictAddition, KnownConflict, KnownConflicts
from .storage import csv_text, short_path

if TYPE_CHECKING:  # the catalog is read without pandas: the loader is imported where a table is read
    from .ledger import Ledger
    from .loading import Table

__all__ = ["KNOWN_CONFLICTS", "add_conflict", "known_conflicts"]

#: The columns of conflicts.csv, in their documented order.
COLUMNS = TABLES["conflicts"].columns
#: What each column is called on the command line, for messages.
OPTIONS = {"name": "--name NAME", "start_date": "--start YYYY-MM-DD", "source_url": "--source-url URL"}

#: Public repository copies of Wikipedia articles, pinned to a commit so the text cited cannot change.
_WIKI_COPIES = "https://github.com/front-lines-org/astro-experiment/blob"


KNOWN_CONFLICTS: dict[str, KnownConflict] = {
    known.conflict_id: known
    for known in (
        # The same row as the bundled ledger's conflicts.csv (scripts/build_bundled_ledger.py): Oryx's 2020 lists.
        KnownConflict(
            "karabakh-2020",
            "Second Nagorno-Karabakh War",
            "2020-09-27",
            "2020-11-10",
            f"{_WIKI_COPIES}/836188616549bb081e25dcb2a89c32b5175e3ef6/src/pages/caucasus/2020_nagorno-karabakh_war.md",
            "27 Sep - 10 Nov 2020 (ceasefire statement); the same period the post-war claims cover.",
        ),
        # The war of Oryx's "Attack On Europe" lists, which the oryx-wide and oryx-long datasets are scraped from.
        KnownConflict(
            "ukraine-2022",
            "2022 Russian invasion of Ukraine",
            "2022-02-24",
            None,
            f"{_WIKI_COPIES}/2ab849bec5d385e2d3be0966cbf53804269721fa/src/pages/sahel/2022_russian_invasion_of_ukraine.md",
            "Wikipedia (public repository copy): the invasion began on the morning of 24 February 2022, an "
            "escalation of the Russo-Ukrainian War that began in 2014; ongoing, so no end date.",
        ),
    )
}


def known_conflicts(ledger: Ledger | str | Path | None = None) -> KnownConflicts:
    """List the catalog of known conflicts and, given a ledger, which of them it already has.

    Parameters
    ----------
    ledger:
        A loaded ledger or a ledger directory; None for the catalog alone.

    Raises
    ------
    LedgerNotFoundError
        If ``ledger`` is not a ledger directory.
    TableFileError
        If its conflicts.csv cannot be read.
    """
    result = KnownConflicts(conflicts=list(KNOWN_CONFLICTS.values()))
    if ledger is None:
        return result
    from .ledger import Ledger

    if isinstance(ledger, Ledger):
        root, table = ledger.path, ledger.tables["conflicts"]
    else:
        root = _ledger_directory(ledger)
        table = _read_conflicts(root)
    result.ledger = str(root)
    problem = _unusable(table)
    if problem:
        raise TableFileError(f"{problem[0].location()}: {problem[0].message}", IssueCode(problem[0].code))
    rows = {row["conflict_id"]: row for row in _rows(table)}
    for known in result.conflicts:
        present = rows.get(known.conflict_id)
        same = present is not None and _differences(present, known.row()) == []
        result.in_ledger[known.conflict_id] = "absent" if present is None else "same" if same else "different"
    result.ledger_only = sorted(set(rows) - set(KNOWN_CONFLICTS))
    return result


def add_conflict(
    ledger: str | Path,
    conflict_id: str,
    *,
    name: str | None = None,
    start: str | None = None,
    end: str | None = None,
    source_url: str | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
) -> ConflictAddition:
    """Add a conflict to a ledger's conflicts.csv, validated as ``drone-ledger validate`` would validate it.

    A conflict in :data:`KNOWN_CONFLICTS` needs only its id: the catalog fills
    the rest, and any value given here overrides it (given a date or a source,
    the catalog's notes are left out: they describe its own). Any other
    conflict needs ``name``, ``start`` and ``source_url``. Values are trimmed of
    surrounding whitespace, as the ledger reads them; empty means not given.

    Adding a row that is already there with the same values writes nothing;
    the same id with other values is refused, showing both.

    Parameters
    ----------
    ledger:
        The ledger directory (it must hold losses.csv; see ``drone-ledger init``).
    conflict_id:
        The conflict's id, e.g. ``ukraine-2022``.
    name, start, end, source_url, notes:
        The row's values; ``start`` and ``end`` as YYYY-MM-DD, ``end`` empty for a war still going on.
    today:
        The date after which a date counts as "in the future" (default: today).

    Returns
    -------
    ConflictAddition
        ``status`` added, unchanged or refused; ``issues`` say why it was refused.

    Raises
    ------
    LedgerNotFoundError
        If ``ledger`` is not a ledger directory (exit code 2).
    ConflictUsageError
        If the conflict is not in the catalog and a name, start date or source is missing (exit code 2).
    LedgerLockedError
        If another process is writing the ledger.
    """
    root = _ledger_directory(ledger)
    row, from_catalog = _requested_row(conflict_id, name, start, end, source_url, notes)
    return _update_conflicts(root, lambda loaded: _decide(loaded, row, from_catalog, today or dt.date.today()))


def _update_conflicts(root: Path, decide: Callable[[Ledger], tuple[ConflictAddition, str | None]]) -> ConflictAddition:
    """The one place this module writes: through :func:`~drone_ledger.writing.open_for_write` (the lock, every
    table read in full), decide, then commit conflicts.csv (a symbolic link is refused, as by an import).

    ``decide`` reads the loaded ledger and returns the result and the file's new text, or None to write nothing.
    """
    from .storage import commit_files
    from .writing import open_for_write

    with open_for_write(root) as loaded:
        result, new_text = decide(loaded)
        if new_text is not None:
            commit_files(root, {CONFLICTS_FILE: new_text})
    return result


def _ledger_directory(ledger: str | Path) -> Path:
    root = Path(ledger)
    try:
        exists, is_dir = root.exists(), root.is_dir()
        has_losses = is_dir and (root / "losses.csv").is_file()
        empty = is_dir and not has_losses and not any(root.iterdir())
    except (OSError, ValueError) as exc:  # a name too long, no permission …
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise LedgerNotFoundError(f"cannot open the ledger directory {short_path(root)}: {why}") from exc
    if not exists:
        raise LedgerNotFoundError(
            f"ledger directory {root} does not exist; create one with `drone-ledger init {root} --empty`"
        )
    if not is_dir:
        raise LedgerNotFoundError(
            f"{root} is a file, not a ledger directory; pass --ledger with the directory that holds losses.csv"
        )
    if not has_losses:
        create = f"drone-ledger init {root} --empty" if empty else "drone-ledger init NEW_DIR --empty"
        raise NotALedgerError(
            f"{root} is not a ledger (it has no losses.csv); create one with `{create}`, "
            "or pass --ledger with the directory that holds losses.csv"
        )
    return root


def _clean(value: str | None) -> str | None:
    """A value as the ledger reads it: trimmed; empty means not given."""
    if value is None:
        return None
    return value.strip() or None


def _requested_row(
    conflict_id: str,
    name: str | None,
    start: str | None,
    end: str | None,
    source_url: str | None,
    notes: str | None,
) -> tuple[dict[str, str], list[str]]:
    conflict_id = _clean(conflict_id) or ""
    given = {
        "name": _clean(name),
        "start_date": _clean(start),
        "end_date": _clean(end),
        "source_url": _clean(source_url),
        "notes": _clean(notes),
    }
    known = KNOWN_CONFLICTS.get(conflict_id)
    from_catalog = []
    values: dict[str, str | None] = dict(given)
    if known is not None:
        overridden = any(given[c] is not None for c in ("start_date", "end_date", "source_url"))
        for column in ("name", "start_date", "end_date", "source_url", "notes"):
            if column == "notes" and overridden:
                continue  # the catalog's notes describe the catalog's dates and source, not the ones given
            if given[column] is None and getattr(known, column):
                values[column] = getattr(known, column)
                from_catalog.append(column)
    missing = [column for column in ("name", "start_date", "source_url") if not values[column]]
    if missing:
        raise ConflictUsageError(_missing_message(conflict_id, known, missing))
    row = {"conflict_id": conflict_id, **{column: values[column] or "" for column in COLUMNS[1:]}}
    return row, from_catalog


def _missing_message(conflict_id: str, known: KnownConflict | None, missing: list[str]) -> str:
    needed = ", ".join(OPTIONS[column] for column in missing)
    if known is not None:  # a catalog entry without a confirmed date
        return (
            f"the catalog has no {' or '.join(missing)} for {conflict_id} (no stored source confirmed it): "
            f"pass {needed}, with --source-url naming the page that gives it"
        )
    close = difflib.get_close_matches(conflict_id, list(KNOWN_CONFLICTS), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (
        f"{conflict_id!r} is not a known conflict, so it needs {needed}; {hint}"
        f"known conflicts: {', '.join(KNOWN_CONFLICTS)} (`drone-ledger conflict list`)"
    )


def _read_conflicts(root: Path) -> Table:
    from .loading import read_table

    return read_table(root / CONFLICTS_FILE, TABLES["conflicts"])


def _unusable(table: Table) -> list[Issue]:
    """File-level errors that stop a row from being read or added (missing columns, bad encoding …)."""
    if table.readable and not table.missing_columns:
        return []
    return [issue for issue in table.issues if issue.severity is Severity.ERROR and issue.line is None] or table.issues[
        :1
    ]


def _rows(table: Table) -> list[dict[str, str]]:
    """The table's rows as the ledger reads them (trimmed; empty cells ``""``)."""
    columns = [table.frame[column] for column in COLUMNS]
    return [
        {column: value if isinstance(value, str) else "" for column, value in zip(COLUMNS, values, strict=True)}
        for values in zip(*columns, strict=True)
    ]


def _differences(existing: dict[str, str], wanted: dict[str, str]) -> list[str]:
    return [column for column in COLUMNS if existing.get(column, "") != wanted.get(column, "")]


#: Read problems that mean "there is no table yet": the row starts a new file.
_NO_TABLE_YET = (IssueCode.MISSING_TABLE, IssueCode.EMPTY_FILE)


def _decide(
    ledger: Ledger, row: dict[str, str], from_catalog: list[str], today: dt.date
) -> tuple[ConflictAddition, str | None]:
    """Validate the row against conflicts.csv as it is now; return the result and the new text (None: write nothing).

    The file's rows, header, byte-order mark and line ends are kept as they are; the row is added at the end.
    """
    from .loading import parse_table
    from .validation import validate_table

    root = ledger.path
    result = ConflictAddition(str(root), row["conflict_id"], REFUSED, row, from_catalog)
    table = ledger.tables["conflicts"]
    if any(issue.code in _NO_TABLE_YET for issue in table.issues) or table.original is None:
        new_text = csv_text(COLUMNS, [row])
    else:
        result.issues = _unusable(table)
        if result.issues:
            return result, None
        for position, existing in enumerate(_rows(table)):
            if existing["conflict_id"] == row["conflict_id"]:
                result.existing, result.line = existing, table.line_of(position)
                changed = _differences(existing, row)
                if changed:
                    message = _exists_message(row, existing, changed)
                    result.issues = [
                        table.issue(position, "conflict_id", IssueCode.CONFLICT_EXISTS, row["conflict_id"], message)
                    ]
                else:
                    result.status = UNCHANGED
                return result, None
        text = table.original
        new_text = text.rewrite([*range(len(text)), tuple(row.get(column, "") for column in text.header)])
    table = parse_table(new_text.lstrip("\ufeff"), root / CONFLICTS_FILE, TABLES["conflicts"])
    result.line = table.line_of(len(table.frame) - 1)
    result.issues = [issue for issue in validate_table(table, today) if issue.line == result.line]
    if any(issue.severity is Severity.ERROR for issue in result.issues):
        return result, None
    result.status = ADDED
    return result, new_text


def _exists_message(row: dict[str, str], existing: dict[str, str], changed: list[str]) -> str:
    both = "; ".join(f"{column} {existing[column]!r} there, {row[column]!r} given" for column in changed)
    return (
        f"conflict_id {row['conflict_id']!r} is already in conflicts.csv with other values ({both}); "
        "nothing written: correct or remove that row, or choose another id"
    )
