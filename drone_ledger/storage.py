"""Writing ledger files safely: atomic replacement and a per-ledger lock.

A table is written to a temporary file in the same directory, flushed to disk,
then renamed over the old one, so a reader (or a crash) sees either the old
file or the new one, never half of one. Writers take an exclusive lock on the
ledger directory first, so two imports cannot interleave.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import operator
import os
import re
import signal
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import DroneLedgerError

LOCK_NAME = ".drone-ledger.lock"
JOURNAL_NAME = ".drone-ledger.journal"

#: Test hook, SQLite-style fault injection: with DRONE_LEDGER_FAULT_STEP=N the process kills itself (SIGKILL)
#: at the N-th step of a ledger commit, so tests can prove every interruption point leaves a whole ledger.
_FAULT_ENV = "DRONE_LEDGER_FAULT_STEP"
_steps = 0


def _fault_point() -> None:
    global _steps
    _steps += 1
    wanted = os.environ.get(_FAULT_ENV)
    if wanted and int(wanted) == _steps:
        os.kill(os.getpid(), signal.SIGKILL)


class LedgerLockedError(DroneLedgerError):
    """Another process is writing the same ledger."""

    code = "ledger-locked"


_NEEDS_QUOTES = re.compile(r'[,"\r\n]').search


def _cell(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    if _NEEDS_QUOTES(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """Serialise rows the way every ledger file is written: LF line ends, minimal quoting.

    Unlike the csv module with ``lineterminator="\\n"``, a cell holding a bare
    carriage return is quoted too, so Excel and pandas cannot split its row.
    """
    names = list(columns)
    lines = [",".join(map(_cell, names))]
    if len(names) > 1 and all(len(row) >= len(names) for row in rows):
        # The csv module's C writer quotes exactly as _cell does, except for a bare CR: used when none is present.
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        try:
            writer.writerows(map(operator.itemgetter(*names), rows))
        except KeyError:
            pass  # a row lacks a column: the general path below fills it with ""
        else:
            body = buffer.getvalue()
            if "\r" not in body:
                return lines[0] + "\n" + body
    pick = operator.itemgetter(*names) if len(names) > 1 else None
    for row in rows:
        if pick is not None and len(row) >= len(names):
            try:
                values = pick(row)
            except KeyError:
                values = tuple(row.get(c, "") for c in names)
        else:
            values = tuple(row.get(c, "") for c in names)
        lines.append(",".join(map(_cell, values)))
    return "\n".join(lines) + "\n"


def _write_temporary(path: Path, text: str) -> Path:
    """Write ``text`` to a fsynced temporary file beside ``path`` (same mode as ``path``); return its path."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, _file_mode(path))
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return Path(temporary)


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # make renames durable where the platform allows it
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (temporary file + fsync + rename in the same directory)."""
    temporary = _write_temporary(path, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def commit_files(directory: Path, files: dict[str, str]) -> None:
    """Replace several files of a ledger as one unit: afterwards all are new, or (if interrupted) all are old.

    Every new file is first written to a fsynced temporary file. The commit
    point is the atomic creation of a journal naming the renames still to do;
    the renames follow, then the journal is deleted. An interruption before the
    journal leaves the old files (the temporaries are cleaned later); after it,
    :func:`recover_ledger` finishes the renames. Call it holding the ledger lock.
    """
    pending = []
    try:
        for name, text in files.items():
            pending.append((_write_temporary(directory / name, text).name, name))
            _fault_point()
    except BaseException:
        for temporary, _ in pending:
            with contextlib.suppress(OSError):
                (directory / temporary).unlink()
        raise
    atomic_write_text(directory / JOURNAL_NAME, json.dumps(pending))  # the commit point
    _fault_point()
    _roll_forward(directory, pending)


def _roll_forward(directory: Path, pending: list[tuple[str, str]] | list[list[str]]) -> None:
    for temporary, name in pending:
        if (directory / temporary).exists():
            os.replace(directory / temporary, directory / name)
            _fault_point()
    _sync_directory(directory)
    with contextlib.suppress(FileNotFoundError):
        (directory / JOURNAL_NAME).unlink()
    _sync_directory(directory)


def recover_ledger(directory: Path, timeout: float = 30.0) -> bool:
    """Finish a commit an interrupted writer left half done; return True if there was one.

    Cheap when there is nothing to do (one ``stat``). Otherwise waits for the
    ledger lock (a live writer finishes its own commit), then rolls the journal
    forward and removes stray temporary files.
    """
    if not (directory / JOURNAL_NAME).exists():
        return False
    with ledger_lock(directory, wait=timeout):
        journal = directory / JOURNAL_NAME
        if not journal.exists():  # the writer we waited for finished it
            return False
        try:
            pending = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pending = []  # a torn journal cannot exist (it is written atomically); treat it as empty
        _roll_forward(directory, pending)
        return True


def _file_mode(path: Path) -> int:
    """The mode the file has now, or what a new file gets under the current umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Delete temporary files an interrupted writer left behind; return what was removed."""
    removed = []
    for leftover in directory.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


@contextlib.contextmanager
def ledger_lock(directory: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on a ledger directory, or raise :class:`LedgerLockedError`.

    The lock is an OS file lock (``flock``), so a writer that is killed releases
    it automatically: there is never a stale lock to clean up by hand. With
    ``wait`` the call waits up to that many seconds for another writer to finish.
    Taking the lock also finishes any commit an interrupted writer left behind.
    """
    path = directory / LOCK_NAME
    try:
        stream = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed in finally
    except OSError as exc:
        raise DroneLedgerError(
            f"cannot write to the ledger at {directory} ({exc.strerror}); copy it somewhere writable with "
            "`drone-ledger init NEW_DIR` or check its permissions",
            "unwritable-ledger",
        ) from exc
    deadline = time.monotonic() + wait
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: fall back to msvcrt
            import msvcrt

            try:
                msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            except OSError as exc:
                raise _locked(directory) from exc
        else:
            while True:
                try:
                    fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError as exc:
                    if time.monotonic() >= deadline:
                        raise _locked(directory) from exc
                    time.sleep(0.05)
        journal = directory / JOURNAL_NAME
        if journal.exists():
            try:
                pending = json.loads(journal.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pending = []
            _roll_forward(directory, pending)
        remove_stale_temporaries(directory)
        yield
    finally:
        stream.close()


def _locked(directory: Path) -> LedgerLockedError:
    return LedgerLockedError(
        f"another drone-ledger process is writing the ledger at {directory}; wait for it to finish and run the "
        "command again (nothing was written)"
    )


#: Tables an empty ledger copies from the bundled one: vocabularies and reference series, not losses or claims.
REFERENCE_TABLES = ("systems", "cpi")


def init_ledger(path: Path, empty: bool = False) -> list[str]:
    """Create a new ledger directory and return the files written.

    By default it is a copy of the bundled 2020 ledger, to extend. With
    ``empty=True`` it holds the bundled systems and CPI tables and header-only
    files for the rest. Refuses a path that exists and is not an empty directory.
    """
    from .loading import default_ledger_path
    from .schemas import TABLES, columns_of

    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise DroneLedgerError(
            f"{path} already exists and is not an empty directory; choose a new path", "ledger-exists"
        )
    path.mkdir(parents=True, exist_ok=True)
    bundled = default_ledger_path()
    written = []
    for name, spec in TABLES.items():
        if not empty or name in REFERENCE_TABLES:
            text = (bundled / spec.filename).read_text(encoding="utf-8")
        else:
            text = csv_text(columns_of(name), [])
        atomic_write_text(path / spec.filename, text)
        written.append(spec.filename)
    return written
