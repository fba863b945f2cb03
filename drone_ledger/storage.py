"""Writing ledger files safely: atomic replacement and a per-ledger lock.

A table is written to a temporary file in the same directory, flushed to disk,
then renamed over the old one, so a reader (or a crash) sees either the old
file or the new one, never half of one. Writers take an exclusive lock on the
ledger directory first, so two imports cannot interleave.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import DroneLedgerError

LOCK_NAME = ".drone-ledger.lock"


class LedgerLockedError(DroneLedgerError):
    """Another process is writing the same ledger."""


_NEEDS_QUOTES = (",", '"', "\n", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """Serialise rows the way every ledger file is written: LF line ends, minimal quoting.

    Unlike the csv module with ``lineterminator="\\n"``, a cell holding a bare
    carriage return is quoted too, so Excel and pandas cannot split its row.
    """
    lines = [",".join(_cell(c) for c in columns)]
    lines += [",".join(_cell(row.get(c, "")) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (temporary file + fsync + rename in the same directory)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, _file_mode(path))
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the platform allows it
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


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
def ledger_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on a ledger directory, or raise :class:`LedgerLockedError` at once.

    The lock is an OS file lock (``flock``), so a writer that is killed releases
    it automatically: there is never a stale lock to clean up by hand.
    """
    path = directory / LOCK_NAME
    stream = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed in finally
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
            try:
                fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise _locked(directory) from exc
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
        raise DroneLedgerError(f"{path} already exists and is not an empty directory; choose a new path")
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
