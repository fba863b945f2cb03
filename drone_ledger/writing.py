"""The doors to a ledger that changes: :func:`open_for_write` opens one, :func:`init_ledger` creates one.

Both load or copy whole ledgers, so they sit above :mod:`drone_ledger.loading`
(which reads a ledger) and :mod:`drone_ledger.storage` (which writes files, holds
the lock and keeps the journal, and imports neither).

**A write reads everything it keeps.** :func:`open_for_write` reads the ledger with
the ledger's own settings — UTF-8, files up to 2 GiB, cells up to 1,000,000
characters, whatever options a command has for what it reads besides — and
refuses (:class:`~drone_ledger.errors.UnreadableLedgerError`, nothing written) when
any table that exists could not be read in full and exactly: a file it cannot
open or decode, CSV it cannot parse, a header with a column missing or repeated,
an old date it cannot convert, or two rows (or a row without one) under one id in
a keyed table. A missing or empty table holds nothing to lose and is not refused.
Each table is kept with its bytes (:mod:`drone_ledger.tabletext`), so a write copies
the rows it does not change exactly as they were.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import IssueCode, UnreadableLedgerError, UsageError
from .layout import TABLES, columns_of
from .ledger import Ledger, default_ledger_path, load_ledger
from .loading import Table
from .results.core import Issue
from .storage import atomic_write_text, csv_text, ledger_lock, require_ledger, short_path, write_error

__all__ = ["REFERENCE_TABLES", "init_ledger", "load_for_write", "open_for_write", "unkept_problems"]


@contextlib.contextmanager
def open_for_write(path: str | Path, *, wait: float = 0.0) -> Iterator[Ledger]:
    """The one way to get a ledger to change: lock it, finish any interrupted commit, then load it.

    ::

        with open_for_write("my-ledger") as ledger:
            ...  # read ledger, work out the new tables
            commit_files(ledger.path, {"losses.csv": text})

    Because the ledger is read only once the lock is held, no other writer can
    change it between the read and the commit: a change can never be lost. It is
    read by :func:`load_for_write`: with the ledger's own settings, every table in
    full, or not at all.

    Raises
    ------
    LedgerNotFoundError, NotALedgerError
        ``path`` is not a ledger directory (nothing is created in it).
    LedgerLockedError
        Another process is writing it (after ``wait`` seconds).
    JournalError
        Its journal is malformed or unsafe.
    UnreadableLedgerError
        A table could not be read in full and exactly (nothing is written; the message says how to repair it).
    """
    root = require_ledger(path)
    with ledger_lock(root, wait=wait):
        yield load_for_write(root)


#: The problems met reading a table that mean it was not read in full and exactly: a write would lose (or
#: rewrite) what the reader could not see. ``missing-table`` and ``empty-file`` hold nothing to lose.
UNKEPT_CODES = frozenset(
    {
        IssueCode.MISSING_FILE,
        IssueCode.NOT_A_FILE,
        IssueCode.UNREADABLE_FILE,
        IssueCode.FILE_TOO_LARGE,
        IssueCode.UTF_16,
        IssueCode.BINARY_FILE,
        IssueCode.NOT_UTF8,
        IssueCode.UNKNOWN_ENCODING,
        IssueCode.TOO_MANY_COLUMNS,
        IssueCode.TOO_MANY_FIELDS,
        IssueCode.FIELD_TOO_LARGE,
        IssueCode.CSV_PARSE_ERROR,
        IssueCode.WRONG_DELIMITER,
        IssueCode.DUPLICATE_COLUMN,
        IssueCode.MISSING_COLUMN,
        IssueCode.UNCONVERTIBLE_DATE,
    }
)

#: What to do about each problem, said for a write (the reader's own advice is about reading options).
_REPAIR: dict[str, str] = {
    IssueCode.MISSING_FILE: "restore the file, or remove the broken link",
    IssueCode.NOT_A_FILE: "put the table file itself in its place",
    IssueCode.UNREADABLE_FILE: "check its permissions",
    IssueCode.FILE_TOO_LARGE: "a ledger table is read up to 2 GiB: split the ledger",
    IssueCode.UTF_16: "re-save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')",
    IssueCode.BINARY_FILE: "remove the NUL byte named, or, if the file is not CSV text, restore it from a backup or "
    "export it as CSV UTF-8",
    IssueCode.NOT_UTF8: "re-save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)'); `drone-ledger validate "
    "--encoding cp1252` shows whether it reads in another encoding",
    IssueCode.UNKNOWN_ENCODING: "re-save it as UTF-8",
    IssueCode.TOO_MANY_COLUMNS: "check that the file is the right one and that its header line is not broken",
    IssueCode.TOO_MANY_FIELDS: "quote the cell that holds a comma, or add the missing column name to the header",
    IssueCode.FIELD_TOO_LARGE: "a ledger cell is read up to 1,000,000 characters: look for an unclosed quote, or "
    "shorten the cell",
    IssueCode.CSV_PARSE_ERROR: "fix the quoting on that line (an unclosed or stray quote)",
    IssueCode.WRONG_DELIMITER: "re-save it with commas as the delimiter",
    IssueCode.DUPLICATE_COLUMN: "keep one of the repeated columns (each would hide the other's values)",
    IssueCode.MISSING_COLUMN: "restore the column's name in the header (docs/data.md lists every column)",
    IssueCode.UNCONVERTIBLE_DATE: "give the row date_earliest and date_latest (see the message)",
    IssueCode.DUPLICATE_ID: "give each row its own id, or remove the repeated row",
    IssueCode.MISSING_VALUE: "give the row its id",
}


def load_for_write(path: str | Path) -> Ledger:
    """Read a ledger as a write must: with the ledger's own settings, every table in full and exactly.

    The settings are the defaults of :func:`~drone_ledger.loading.load_ledger` (UTF-8, files up to 2 GiB, cells up
    to 1,000,000 characters): an import's ``--encoding``, ``--max-bytes`` and ``--max-field`` are for its source.
    Each table keeps its bytes (``Table.original``), for the write to copy the rows it does not change.

    Raises
    ------
    UnreadableLedgerError
        A table could not be read in full and exactly (see :func:`unkept_problems`).
    """
    ledger = load_ledger(path, keep_original=True)
    problems = unkept_problems(ledger)
    if problems:
        raise UnreadableLedgerError(_refusal(ledger, problems), problems)
    return ledger


def unkept_problems(ledger: Ledger) -> list[Issue]:
    """What keeps a write from keeping every row of the ledger as it is: each table's problems of reading (see
    :data:`UNKEPT_CODES`), and, in a table with a key, ids that are empty or repeated (a write keyed by id would
    keep one of two rows)."""
    problems: list[Issue] = []
    for table in ledger.tables.values():
        own = [i for i in table.issues if i.severity == "error" and i.code in UNKEPT_CODES]
        if not own and table.readable and table.spec.key is not None:
            own = _key_problems(table)
        problems += own
    return problems


def _key_problems(table: Table) -> list[Issue]:
    key = table.spec.key
    assert key is not None
    column = table.frame[key]
    missing = column.isna().to_numpy()
    repeated = (column.duplicated(keep=False) & ~column.isna()).to_numpy()
    problems = []
    for row in missing.nonzero()[0][:5]:
        problems.append(
            table.issue(
                int(row), key, IssueCode.MISSING_VALUE, None, f"the row has no usable {key}; every row needs its own"
            )
        )
    for row in repeated.nonzero()[0][:10]:
        value = str(column.iloc[int(row)])
        problems.append(
            table.issue(
                int(row), key, IssueCode.DUPLICATE_ID, value, f"{key} {value!r} is on more than one row of the table"
            )
        )
    return problems


def _refusal(ledger: Ledger, problems: list[Issue]) -> str:
    """The message of a refused write: which files, each problem where it is, then what to do about it."""
    files = list(dict.fromkeys(p.file for p in problems))
    shown = problems[:6]
    lines = [f"{p.location()}: {p.code}: {p.message.split('; ')[0]}" for p in shown]  # the reader's advice left out
    if len(problems) > len(shown):
        lines.append(f"… and {len(problems) - len(shown)} more problem(s)")
    repairs = list(
        dict.fromkeys(f"{Path(p.file).name}: {_REPAIR.get(p.code, 'fix what the message says')}" for p in problems)
    )
    return (
        f"nothing was written: drone-ledger writes a ledger only after reading every row it keeps, and "
        f"{' and '.join(files[:3])}{' …' if len(files) > 3 else ''} cannot be read in full and exactly:\n"
        + "\n".join(f"  {line}" for line in lines)
        + "\nTo repair it: "
        + "; ".join(repairs)
        + f". Then check the ledger with `drone-ledger validate --ledger {ledger.path}` and run the command again. "
        "(An import's --encoding, --max-bytes and --max-field are for its source; a ledger is always read as "
        "UTF-8, with the default limits.)"
    )


#: Tables an empty ledger copies from the bundled one: vocabularies and reference series, not losses or claims.
REFERENCE_TABLES = ("systems", "cpi")


def init_ledger(path: Path, empty: bool = False) -> list[str]:
    """Create a new ledger directory and return the files written.

    By default it is a copy of the bundled ledger (both wars), to extend. With
    ``empty=True`` it holds the bundled systems and CPI tables and header-only
    files for the rest. Refuses a path that exists and is not an empty directory.
    If anything fails (a full disk, a read-only file system) everything it created
    is removed again: no half ledger and no empty directory is left behind.

    Raises
    ------
    UsageError
        The path exists and is not an empty directory (``ledger-exists``), or cannot be a directory.
    LedgerWriteError
        A file could not be written (nothing is left behind).
    """
    path = Path(path)
    try:
        exists = os.path.lexists(path)
        occupied = exists and (not path.is_dir() or any(path.iterdir()))
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise UsageError(
            f"cannot create a ledger at {short_path(path)}: {why}; choose another path", IssueCode.BAD_LEDGER_PATH
        ) from exc
    if occupied:
        raise UsageError(
            f"{path} already exists and is not an empty directory; choose a new path", IssueCode.LEDGER_EXISTS
        )
    created: list[Path] = []
    written: list[Path] = []
    try:
        missing = [p for p in [path, *path.parents] if not os.path.lexists(p)]
        for directory in reversed(missing):
            directory.mkdir()
            created.append(directory)
        bundled = default_ledger_path()
        for name, spec in TABLES.items():
            if not empty or name in REFERENCE_TABLES:
                text = (bundled / spec.filename).read_text(encoding="utf-8")
            else:
                text = csv_text(columns_of(name), [])
            atomic_write_text(path / spec.filename, text, overwrite=False, outcome="nothing was left behind")
            written.append(path / spec.filename)
    except BaseException as exc:
        for file in written:
            with contextlib.suppress(OSError):
                file.unlink()
        for directory in reversed(created):
            with contextlib.suppress(OSError):
                directory.rmdir()
        if isinstance(exc, FileExistsError):
            raise UsageError(
                f"{path} is being filled by another process; choose a new path", IssueCode.LEDGER_EXISTS
            ) from exc
        if isinstance(exc, NotADirectoryError | OSError) and exc.errno in (errno.ENOTDIR, errno.ENAMETOOLONG):
            why = (
                "a part of the path is a file, not a directory"
                if exc.errno == errno.ENOTDIR
                else "the name is too long"
            )
            raise UsageError(
                f"cannot create a ledger at {short_path(path)}: {why}; choose another path", IssueCode.BAD_LEDGER_PATH
            ) from exc
        if isinstance(exc, OSError):
            raise write_error(exc, path, "nothing was left behind") from exc
        raise
    return [file.name for file in written]
