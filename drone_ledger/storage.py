"""Writing files safely: atomic replacement, a per-ledger lock, one door to a writable ledger.

A table is written to a temporary file in the same directory, flushed to disk,
then renamed over the old one, so a reader (or a crash) sees either the old
file or the new one, never half of one. Writers take an exclusive lock on the
ledger directory first, so two imports cannot interleave, and load the ledger
only once they hold it (:func:`open_for_write`), so none commits a stale copy.

What this module touches, and nothing else:

* inside a directory that *is* a ledger (it holds at least one of the table
  files, :data:`TABLE_FILES`): the table files, their temporaries
  (``.<table>.csv.<random>.tmp``), the lock file, the journal and ``rejects/``;
* outside a ledger: only the output file a command was given (``export``,
  ``plot``, ``init``), and a temporary beside it while it is written.

A journal is read as data, never trusted: recovery replays only renames of a
ledger's own temporaries onto its own tables, in its own directory.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import operator
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import (
    IssueCode,
    JournalError,
    LedgerLockedError,
    LedgerNotFoundError,
    LedgerWriteError,
    NotALedgerError,
    UsageError,
)
from .layout import TABLE_FILES

__all__ = [
    "JOURNAL_NAME",
    "LOCK_NAME",
    "TABLE_FILES",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output_path",
    "check_replaceable",
    "commit_files",
    "csv_text",
    "is_ledger",
    "ledger_lock",
    "ledger_state",
    "recover_ledger",
    "remove_stale_temporaries",
    "require_ledger",
    "write_error",
    "write_output",
    "write_rejects",
]

LOCK_NAME = ".drone-ledger.lock"
JOURNAL_NAME = ".drone-ledger.journal"

#: A temporary this module writes beside a ledger file: ``.<name>.<random>.tmp`` (tempfile.mkstemp's letters).
_TEMPORARY = re.compile(r"\.(?P<name>[A-Za-z0-9_.\-]+)\.[a-z0-9_]+\.tmp")

#: A journal is a short list of file-name pairs; anything bigger was not written by drone-ledger.
_MAX_JOURNAL_BYTES = 64 * 1024

#: Ledger directories (real paths) whose lock this process holds: the only ones :func:`commit_files` writes.
_held: set[str] = set()


# --- what fails, said plainly ------------------------------------------------------------------------------------

_WHY = {
    errno.ENOSPC: (IssueCode.DISK_FULL, "the disk is full"),
    errno.EDQUOT: (IssueCode.DISK_FULL, "the disk quota is used up"),
    errno.EROFS: (IssueCode.READ_ONLY_FILE_SYSTEM, "the file system is read-only"),
    errno.EACCES: (IssueCode.PERMISSION_DENIED, "permission denied"),
    errno.EPERM: (IssueCode.PERMISSION_DENIED, "the operation is not permitted"),
    errno.ENAMETOOLONG: (IssueCode.NAME_TOO_LONG, "the file name is too long"),
    errno.EISDIR: (IssueCode.IS_A_DIRECTORY, "a directory is in the way"),
    errno.ENOTDIR: (IssueCode.NOT_A_DIRECTORY, "a part of the path is a file, not a directory"),
    errno.ELOOP: (IssueCode.SYMBOLIC_LINK, "a symbolic link is in the way"),
}


def write_error(exc: OSError, path: Path | str, outcome: str = "nothing was changed") -> LedgerWriteError:
    """A clear :class:`LedgerWriteError` for an ``OSError`` met while writing ``path``."""
    code, why = _WHY.get(exc.errno or 0, (IssueCode.WRITE_FAILED, exc.strerror or str(exc)))
    remedy = {
        IssueCode.DISK_FULL: "free some space and run the command again",
        IssueCode.READ_ONLY_FILE_SYSTEM: (
            "copy it somewhere writable (drone-ledger init NEW_DIR) or choose another path"
        ),
        IssueCode.PERMISSION_DENIED: "check the permissions, or choose another path",
        IssueCode.NAME_TOO_LONG: "choose a shorter name",
    }.get(code, "check the path and run the command again")
    return LedgerWriteError(f"cannot write {path}: {why}; {outcome} — {remedy}", code)


# --- what is a ledger ------------------------------------------------------------------------------------------------


def is_ledger(directory: str | Path) -> bool:
    """True when ``directory`` is a directory holding at least one ledger table file (see :data:`TABLE_FILES`)."""
    try:
        return os.path.isdir(directory) and any(os.path.lexists(os.path.join(directory, n)) for n in TABLE_FILES)
    except (OSError, ValueError):
        return False


def require_ledger(path: str | Path) -> Path:
    """Return ``path`` if it is a ledger directory; otherwise raise a usage error that says what to do.

    Raises
    ------
    LedgerNotFoundError
        The path does not exist, cannot be looked at, or is a file.
    NotALedgerError
        The directory holds none of the ledger's tables.
    """
    root = Path(path)
    try:
        info = os.stat(root)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise LedgerNotFoundError(
            f"ledger directory {root} does not exist; pass --ledger with a directory of tables "
            "(`drone-ledger init DIR` creates one)"
        ) from exc
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise LedgerNotFoundError(f"cannot open the ledger directory {short_path(root)}: {why}") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise LedgerNotFoundError(
            f"{root} is a file, not a ledger directory; pass --ledger with the directory that holds losses.csv"
        )
    if not is_ledger(root):
        raise NotALedgerError(
            f"{root} is not a ledger: it holds none of the ledger tables ({', '.join(TABLE_FILES[:3])} …); "
            "pass --ledger with the directory that holds losses.csv, or create a ledger with "
            "`drone-ledger init NEW_DIR`"
        )
    return root


def short_path(path: Path | str, limit: int = 120) -> str:
    """A path for a message, cut in the middle when it is very long."""
    text = str(path)
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :]


# --- atomic writes --------------------------------------------------------------------------------------------------


_NEEDS_QUOTES = re.compile(r'[,"\r\n]').search


def _cell(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if _NEEDS_QUOTES(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """Serialise rows the way every ledger file is written: LF line ends, minimal quoting.

    Unlike the csv module with ``lineterminator="\\n"``, a cell holding a bare
    carriage return is quoted too, so Excel and pandas cannot split its row.
    """
    names = list(columns)
    pick = operator.itemgetter(*names) if len(names) > 1 else None

    def cells() -> Iterator[Sequence[Any]]:
        for row in rows:
            if pick is not None and len(row) >= len(names):
                try:
                    yield pick(row)
                    continue
                except KeyError:
                    pass
            yield tuple(row.get(c, "") for c in names)  # a column the row lacks is written as ""

    return csv_cells_text(names, cells)


def csv_cells_text(
    columns: Sequence[str],
    cells: Callable[[], Iterable[Sequence[Any]]],
    *,
    header: bool = True,
    newline: str = "\n",
) -> str:
    """:func:`csv_text` of rows given as their cells in the order of ``columns`` (``cells()`` may be called twice).

    The text is built in one buffer, header first: a million-row file is never copied to prepend its header.
    ``header=False`` leaves the header line out (rows to add to a file); ``newline`` ends each line (``\n`` or
    ``\r\n``, to match a file's own).
    """
    names = list(columns)
    head = ",".join(map(_cell, names)) + newline if header else ""
    if len(names) > 1 or newline == "\r\n":
        # The csv module's C writer quotes exactly as _cell does, except for a bare CR when lines end in LF (with
        # CRLF it quotes every cell holding a CR): used when that cannot happen.
        buffer = io.StringIO()
        buffer.write(head)
        csv.writer(buffer, lineterminator=newline).writerows(cells())
        text = buffer.getvalue()
        del buffer
        if newline == "\r\n" or "\r" not in text:
            return text
        del text
    lines = [",".join(map(_cell, values)) for values in cells()]
    return head + "".join(line + newline for line in lines)


def _temporary_prefix(path: Path) -> str:
    # A ledger table's temporary must carry its full name (recovery checks it); an output's name may be long.
    name = path.name if len(path.name) <= 100 else path.name[:100]
    return f".{name}."


def _write_temporary(path: Path, write: Callable[[IO[bytes]], object]) -> Path:
    """Write through ``write`` to a fsynced temporary file beside ``path`` (same mode as ``path``); return it."""
    handle, temporary = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, _file_mode(path))
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return Path(temporary)


def _text_writer(text: str) -> Callable[[IO[bytes]], object]:
    def write(stream: IO[bytes]) -> None:
        stream.write(text.encode("utf-8", errors="surrogateescape"))

    return write


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # make renames durable where the platform allows it
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _publish(temporary: Path, path: Path, overwrite: bool) -> None:
    """Move a finished temporary to ``path``: replacing what is there, or only if nothing is (never clobbering)."""
    if overwrite:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # atomic, and fails if anything (a file, a link) already has the name
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network file systems): claim the name, then replace it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def atomic_write_bytes(
    path: Path, write: Callable[[IO[bytes]], object], *, overwrite: bool = True, outcome: str = "nothing was changed"
) -> None:
    """Replace ``path`` in one step with what ``write`` puts in a stream (temporary file + fsync + rename).

    With ``overwrite=False`` the file must not exist yet (checked atomically: an existing file, or a symbolic
    link, is never replaced or written through). A file that already exists keeps its permissions; a new one
    gets the user's umask.

    Raises
    ------
    LedgerWriteError
        The disk is full, the file system read-only, permission denied … (the temporary is removed).
    FileExistsError
        ``overwrite=False`` and ``path`` exists.
    """
    try:
        temporary = _write_temporary(path, write)
    except OSError as exc:
        raise write_error(exc, path, outcome) from exc
    try:
        _publish(temporary, path, overwrite)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError) and not isinstance(exc, FileExistsError):
            raise write_error(exc, path, outcome) from exc
        raise
    _sync_directory(path.parent)


def atomic_write_text(path: Path, text: str, *, overwrite: bool = True, outcome: str = "nothing was changed") -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, _text_writer(text), overwrite=overwrite, outcome=outcome)


def _file_mode(path: Path) -> int:
    """The mode the file has now, or what a new file gets under the current umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# --- output files outside a ledger ---------------------------------------------------------------------------------


def check_output_path(path: Path, force: bool, error: type[UsageError]) -> None:
    """Refuse an output path that cannot or must not be written, before any work is done.

    Refused always: a missing folder, a directory, something that is not a regular file (a device, a pipe),
    and a ledger's own files (its tables, lock and journal) — even with ``force``. Refused unless ``force``:
    a file that exists. ``error`` is the caller's usage-error class (codes ``missing-directory``,
    ``output-is-a-directory``, ``output-not-a-file``, ``output-is-a-ledger-file``, ``output-exists``).
    """
    parent = path.parent
    try:
        parent_is_dir = os.path.isdir(parent)
        info = os.stat(path) if os.path.lexists(path) else None
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise error(
            f"cannot use {short_path(path)} as an output file: {why}; choose another path", IssueCode.BAD_OUTPUT_PATH
        ) from exc
    if not parent_is_dir:
        raise error(
            f"{parent} does not exist (or is not a directory); create it or choose another path",
            IssueCode.MISSING_DIRECTORY,
        )
    ledger_files = (*TABLE_FILES, LOCK_NAME, JOURNAL_NAME)
    real = Path(os.path.realpath(path))
    for candidate in {path, real}:
        if candidate.name in ledger_files and is_ledger(candidate.parent):
            raise error(
                f"{path} is a file of the ledger at {candidate.parent}; drone-ledger never writes its output onto "
                "a ledger's own files (not even with --force): choose a path outside the ledger",
                IssueCode.OUTPUT_IS_A_LEDGER_FILE,
            )
    if info is None:
        if os.path.islink(path):
            raise error(
                f"{path} is a symbolic link to nothing; remove it or choose another path", IssueCode.OUTPUT_EXISTS
            )
        return
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path} is a directory; give the name of a file to write", IssueCode.OUTPUT_IS_A_DIRECTORY)
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"{path} is not a regular file (a device or a pipe?); drone-ledger only writes files: choose another path",
            IssueCode.OUTPUT_NOT_A_FILE,
        )
    if not force:
        raise error(
            f"{path} already exists; pass --force to replace it, or choose another name", IssueCode.OUTPUT_EXISTS
        )


def write_output(path: Path, write: Callable[[IO[bytes]], object], force: bool, error: type[UsageError]) -> None:
    """Write an output file atomically, refusing what :func:`check_output_path` refuses (checked again here)."""
    check_output_path(path, force, error)
    try:
        atomic_write_bytes(path, write, overwrite=force, outcome="nothing was written")
    except FileExistsError as exc:
        raise error(
            f"{path} appeared while it was being written; nothing was replaced (pass --force to replace it)",
            IssueCode.OUTPUT_EXISTS,
        ) from exc


# --- the commit journal -----------------------------------------------------------------------------------------------


def _journal_problem(directory: Path, why: str) -> JournalError:
    return JournalError(
        f"{directory / JOURNAL_NAME} {why}, so drone-ledger will not replay it and has changed nothing; "
        "an interrupted import leaves a journal naming only the ledger's own table files and their "
        f"temporaries (.losses.csv.….tmp). Look at it, then move it out of {directory} to use the ledger as it is"
    )


def read_journal(directory: Path) -> list[tuple[str, str]]:
    """The renames a journal asks for, checked: each ``(temporary, table file)`` is a ledger file in ``directory``.

    An empty list when the journal is gone (its writer finished while this was reading it).

    Raises
    ------
    JournalError
        The journal is unreadable, not JSON, of the wrong shape, or names anything else (another directory,
        ``..``, an absolute path, a file that is not one of the ledger's tables, a symbolic link).
    """
    journal = directory / JOURNAL_NAME
    try:
        info = os.lstat(journal)
    except FileNotFoundError:
        return []  # the writer that left it finished meanwhile: nothing to do
    except OSError as exc:
        raise _journal_problem(directory, f"cannot be read ({exc.strerror})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise _journal_problem(directory, "is not a regular file (a symbolic link?)")
    if info.st_size > _MAX_JOURNAL_BYTES:
        raise _journal_problem(directory, f"is {info.st_size:,} bytes, far more than a journal holds")
    try:
        data = json.loads(journal.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _journal_problem(directory, f"cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _journal_problem(directory, "is not a JSON list") from exc
    if not isinstance(data, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair) for pair in data
    ):
        raise _journal_problem(directory, "is not a list of [temporary, table file] pairs")
    pending: list[tuple[str, str]] = []
    for temporary, name in data:
        if name not in TABLE_FILES:
            raise _journal_problem(directory, f"names {name[:80]!r}, which is not one of the ledger's table files")
        match = _TEMPORARY.fullmatch(temporary)
        if match is None or match["name"] != name:
            raise _journal_problem(directory, f"names {temporary[:80]!r}, which is not a temporary of {name}")
        pending.append((temporary, name))
    if len({name for _, name in pending}) != len(pending):
        raise _journal_problem(directory, "names a table file twice")
    for temporary, _ in pending:
        try:
            info = os.lstat(directory / temporary)
        except FileNotFoundError:
            continue  # renamed before the interruption
        except OSError as exc:
            raise _journal_problem(
                directory, f"points at {temporary!r}, which cannot be read ({exc.strerror})"
            ) from exc
        if not stat.S_ISREG(info.st_mode):
            raise _journal_problem(directory, f"points at {temporary!r}, which is not a regular file (a link?)")
    return pending


def _roll_forward(directory: Path, pending: list[tuple[str, str]]) -> None:
    """Finish a commit: rename each temporary still there onto its table, then drop the journal.

    ``pending`` comes from :func:`read_journal` (checked) or from :func:`commit_files` (written by us).
    """
    present = [(temporary, name) for temporary, name in pending if os.path.lexists(directory / temporary)]
    try:
        for temporary, name in present:
            _rename(directory, temporary, name)
        _sync_directory(directory)
        with contextlib.suppress(FileNotFoundError):
            (directory / JOURNAL_NAME).unlink()
    except OSError as exc:
        raise write_error(
            exc, directory, "the interrupted commit is still journalled and will be finished by the next command"
        ) from exc
    _sync_directory(directory)


def check_replaceable(directory: Path, names: Iterable[str]) -> None:
    """Refuse to replace any of these tables of a ledger: one that is not a ledger table, or a symbolic link.

    Raises
    ------
    LedgerWriteError
        A table is a symbolic link (code ``symlinked-table``: drone-ledger would have to write outside the ledger).
    """
    for name in names:
        if name not in TABLE_FILES:
            raise RuntimeError(f"commit_files writes only ledger tables, not {name!r}")
        if os.path.islink(directory / name):
            raise LedgerWriteError(
                f"{directory / name} is a symbolic link (to {os.readlink(directory / name)}); drone-ledger replaces a "
                "table atomically inside its ledger and never writes through a link to another place, so nothing "
                "was written. Replace the link with a copy of the file (or import into the ledger it points to)",
                IssueCode.SYMLINKED_TABLE,
            )


def commit_files(directory: Path, files: dict[str, str]) -> None:
    """Replace several tables of a ledger as one unit: afterwards all are new, or (if interrupted) all are old.

    Every new file is first written to a fsynced temporary file. The commit
    point is the atomic creation of a journal naming the renames still to do;
    the renames follow, then the journal is deleted. An interruption before the
    journal leaves the old files (the temporaries are cleaned later); after it,
    :func:`recover_ledger` finishes the renames. Only inside :func:`open_for_write`
    (it checks that this process holds the ledger's lock).

    Raises
    ------
    LedgerWriteError
        A table is a symbolic link (code ``symlinked-table``: drone-ledger would have to write outside the
        ledger), or the disk is full, read-only … (nothing was changed).
    """
    if os.path.realpath(directory) not in _held:
        raise RuntimeError("commit_files writes a ledger only inside open_for_write(), holding its lock")
    check_replaceable(directory, files)
    pending: list[tuple[str, str]] = []
    try:
        for name, text in files.items():
            pending.append((_stage(directory, name, text), name))
        _write_journal(directory, pending)  # the commit point
    except BaseException as exc:
        for temporary, _ in pending:
            with contextlib.suppress(OSError):
                (directory / temporary).unlink()
        if isinstance(exc, OSError):
            raise write_error(exc, directory, "nothing was changed") from exc
        raise
    _roll_forward(directory, pending)


# The three steps of a commit, each a function of its own so that a test can interrupt a process after any of them
# (tests/test_faults.py kills an import after each step and checks the ledger is whole).


def _stage(directory: Path, name: str, text: str) -> str:
    """Write a table's new text to a fsynced temporary beside it; return the temporary's name."""
    return _write_temporary(directory / name, _text_writer(text)).name


def _write_journal(directory: Path, pending: list[tuple[str, str]]) -> None:
    """Write the journal naming the renames still to do, atomically: the commit point."""
    atomic_write_text(directory / JOURNAL_NAME, json.dumps(pending))


def _rename(directory: Path, temporary: str, name: str) -> None:
    """Rename one finished temporary onto its table."""
    os.replace(directory / temporary, directory / name)


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Delete the temporaries an interrupted writer left in a ledger (only ours: ``.<table>.csv.….tmp``)."""
    ours = (*TABLE_FILES, JOURNAL_NAME)
    removed = []
    with contextlib.suppress(OSError):
        for leftover in directory.glob(".*.tmp"):
            match = _TEMPORARY.fullmatch(leftover.name)
            if match is None or match["name"] not in ours or not leftover.is_file() or leftover.is_symlink():
                continue
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
    return removed


# --- the lock, recovery and the one door to a writable ledger ---------------------------------------------------------


@contextlib.contextmanager
def _flock(directory: Path, wait: float) -> Iterator[None]:
    path = directory / LOCK_NAME
    try:
        handle = os.open(
            path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o666
        )
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LedgerWriteError(
                f"{path} is a symbolic link; drone-ledger never follows one for its lock: remove the link",
                IssueCode.SYMBOLIC_LINK,
            ) from exc
        raise LedgerWriteError(
            f"cannot write to the ledger at {directory} ({exc.strerror}); copy it somewhere writable with "
            "`drone-ledger init NEW_DIR` or check its permissions",
            IssueCode.UNWRITABLE_LEDGER,
        ) from exc
    deadline = time.monotonic() + wait
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: fall back to msvcrt
            import msvcrt

            try:
                msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            except OSError as exc:
                raise _locked(directory) from exc
        else:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError as exc:
                    if time.monotonic() >= deadline:
                        raise _locked(directory) from exc
                    time.sleep(0.05)
        yield
    finally:
        os.close(handle)


@contextlib.contextmanager
def ledger_lock(directory: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on a ledger directory, or raise :class:`LedgerLockedError`.

    The lock is an OS file lock (``flock``), so a writer that is killed releases
    it automatically: there is never a stale lock to clean up by hand. With
    ``wait`` the call waits up to that many seconds for another writer to finish.
    Taking the lock also finishes any commit an interrupted writer left behind
    and removes its temporaries. Refuses (creating nothing) a directory that is
    not a ledger, and a journal that is malformed or names anything but the
    ledger's own files.
    """
    directory = require_ledger(directory)
    if os.path.lexists(directory / JOURNAL_NAME):
        read_journal(directory)  # refuse a bad journal before creating or touching anything
    with _flock(directory, wait):
        if os.path.lexists(directory / JOURNAL_NAME):
            _roll_forward(directory, read_journal(directory))
        remove_stale_temporaries(directory)
        key = os.path.realpath(directory)
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)


def _locked(directory: Path) -> LedgerLockedError:
    return LedgerLockedError(
        f"another drone-ledger process is writing the ledger at {directory}; wait for it to finish and run the "
        "command again (nothing was written)"
    )


#: How many times a reader reads a ledger whose files keep being replaced while it reads them.
READ_ATTEMPTS = 5


@dataclass(frozen=True)
class LedgerState:
    """What changes when a writer commits: whether a journal is there (a commit under way), and each table file's
    identity and size. A commit writes its journal, then renames each new file over its table (a new inode), so a
    read that begins and ends in the same state, with no journal, saw no commit in between."""

    committing: bool
    files: tuple[tuple[int, int, int, int] | None, ...]


def ledger_state(directory: Path) -> LedgerState:
    """The state of a ledger's files now (see :class:`LedgerState`): a few ``stat`` calls."""
    files: list[tuple[int, int, int, int] | None] = []
    for name in TABLE_FILES:
        try:
            info = os.stat(directory / name)
        except (OSError, ValueError):
            files.append(None)
            continue
        files.append((info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns))
    return LedgerState(os.path.lexists(directory / JOURNAL_NAME), tuple(files))


def recover_ledger(directory: Path, timeout: float = 30.0) -> bool:
    """Finish a commit an interrupted writer left half done; return True if there was a journal.

    Cheap when there is nothing to do (one ``lstat``). Otherwise checks the journal
    (see :func:`read_journal`), waits for the ledger lock (a live writer finishes its
    own commit), then rolls the journal forward and removes stray temporary files.

    Raises
    ------
    JournalError
        The journal is malformed or names files that are not the ledger's own: it is left for the user.
    """
    if not os.path.lexists(directory / JOURNAL_NAME):
        return False
    with ledger_lock(directory, wait=timeout):
        return True


# --- rejects -------------------------------------------------------------------------------------------------------

REJECTS_DIR = "rejects"


def check_rejects_directory(root: Path) -> Path:
    """The ledger's ``rejects/`` folder if it is a real directory or absent; refuse a file or a link there."""
    folder = root / REJECTS_DIR
    if os.path.islink(folder):
        raise LedgerWriteError(
            f"{folder} is a symbolic link; drone-ledger never writes rejects through a link: replace it with a "
            "directory (nothing was written)",
            IssueCode.REJECTS_NOT_A_DIRECTORY,
        )
    if os.path.lexists(folder) and not os.path.isdir(folder):
        raise LedgerWriteError(
            f"{folder} is a file, so the rejects folder cannot be created; move it away (nothing was written)",
            IssueCode.REJECTS_NOT_A_DIRECTORY,
        )
    return folder


def write_rejects(root: Path, source_name: str, stamp: str, text: str) -> Path:
    """Write a rejects file under ``root/rejects/`` with a name no other import has used; return its path.

    The name is ``<source>-<stamp>.csv`` (the source's name made safe and short), then ``-2``, ``-3`` … if
    taken: a file is created only where none exists, never through a symbolic link.
    """
    folder = check_rejects_directory(root)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise write_error(exc, folder) from exc
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(source_name).stem).strip("._")[:80] or "source"
    for n in range(1, 1000):
        path = folder / f"{stem}-{stamp}{'' if n == 1 else f'-{n}'}.csv"
        try:
            atomic_write_text(path, text, overwrite=False)
        except FileExistsError:
            continue
        return path
    raise LedgerWriteError(
        f"{folder} already holds 999 rejects files for {stem}-{stamp}; clear it", IssueCode.REJECTS_FULL
    )
