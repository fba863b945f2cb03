"""The doors to a ledger that changes: :func:`open_for_write` opens one, :func:`init_ledger` creates one.

Both load or copy whole ledgers, so they sit above :mod:`drone_ledger.loading`
(which reads a ledger) and :mod:`drone_ledger.storage` (which writes files, holds
the lock and keeps the journal, and imports neither).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import IssueCode, UsageError
from .layout import TABLES, columns_of
from .ledger import Ledger, default_ledger_path, load_ledger
from .loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD
from .storage import atomic_write_text, csv_text, ledger_lock, require_ledger, short_path, write_error

__all__ = ["REFERENCE_TABLES", "init_ledger", "open_for_write"]


@contextlib.contextmanager
def open_for_write(
    path: str | Path,
    *,
    wait: float = 0.0,
    encoding: str = "utf-8-sig",
    max_bytes: int | None = None,
    max_field: int | None = None,
) -> Iterator[Ledger]:
    """The one way to get a ledger to change: lock it, finish any interrupted commit, then load it.

    ::

        with open_for_write("my-ledger") as ledger:
            ...  # read ledger, work out the new tables
            commit_files(ledger.path, {"losses.csv": text})

    Because the ledger is read only once the lock is held, no other writer can
    change it between the read and the commit: a change can never be lost.

    Raises
    ------
    LedgerNotFoundError, NotALedgerError
        ``path`` is not a ledger directory (nothing is created in it).
    LedgerLockedError
        Another process is writing it (after ``wait`` seconds).
    JournalError
        Its journal is malformed or unsafe.
    """
    root = require_ledger(path)
    with ledger_lock(root, wait=wait):
        yield load_ledger(root, encoding, max_bytes or DEFAULT_MAX_BYTES, max_field or DEFAULT_MAX_FIELD)


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
