"""A cache of validation reports, so that every analysis of an unchanged ledger does not validate it again.

Validating even the bundled ledger (Pandera over nine tables, then the rules between them) costs more than the
analysis itself, and each command runs in a fresh process. A report is therefore kept on disk, under a key made
of everything the report depends on, so that a cached report can only be found for exactly the bytes, code and
day it was made for:

* the SHA-256 of every table file's bytes, as read (a table that could not be read in full is never cached);
* how they were read (the ledger path as given, ``encoding``, ``max_bytes``, ``max_field``);
* the package version, a digest of the table declarations (:func:`drone_ledger.layout.declaration_digest`),
  and a digest of the source of every module of the package;
* the versions of Python, pandas, pandera, pyarrow and numpy;
* today's date (a loss dated tomorrow is an error today and fine tomorrow).

Entries live in the user's cache directory (``$XDG_CACHE_HOME/drone-ledger``, ``~/Library/Caches/drone-ledger``,
``%LOCALAPPDATA%\\drone-ledger\\Cache``), never in a ledger; ``DRONE_LEDGER_CACHE_DIR`` moves it and
``DRONE_LEDGER_NO_CACHE=1`` (or the CLI's ``--no-cache``) turns it off. Each entry is written to a temporary file
and renamed into place, carries its key and a checksum of its content, and is ignored — as if absent — when it
cannot be read, does not parse, or does not match. ``drone-ledger validate`` always validates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ledger import Ledger
    from .results.core import ValidationReport

#: Environment variables: where the cache lives, and turning it off.
CACHE_DIR_ENV = "DRONE_LEDGER_CACHE_DIR"
NO_CACHE_ENV = "DRONE_LEDGER_NO_CACHE"
#: The layout of an entry; a new layout never reads an old one.
FORMAT = 1
#: Entries kept; the least recently written beyond this are removed when a new one is written.
MAX_ENTRIES = 256

_disabled = False


def disable(off: bool = True) -> None:
    """Turn the cache off (or on again) for this process: the CLI's ``--no-cache``."""
    global _disabled
    _disabled = off


def enabled() -> bool:
    """True unless turned off by :func:`disable` or ``DRONE_LEDGER_NO_CACHE`` (any value but empty or 0)."""
    return not _disabled and os.environ.get(NO_CACHE_ENV, "").strip() in ("", "0")


def cache_dir() -> Path:
    """Where validation reports are kept: ``DRONE_LEDGER_CACHE_DIR``, else the platform's user cache directory."""
    configured = os.environ.get(CACHE_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "drone-ledger" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "drone-ledger"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drone-ledger"


def digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes (about 1 GB/s: 0.15 s for a million-row losses.csv)."""
    return hashlib.sha256(data).hexdigest()


def report_key(ledger: Ledger, today: dt.date) -> str | None:
    """The key of ``ledger``'s validation report on ``today``, or None when it cannot be cached.

    Only a ledger read from files by :func:`~drone_ledger.ledger.load_ledger`, every table read in full, and
    none of its tables replaced since, has a key.
    """
    source = ledger.source
    if source is None or not source.unchanged(ledger):
        return None
    parts = {
        "format": FORMAT,
        "version": _version(),
        "schema": schema_digest(),
        "rules": rules_digest(),
        "libraries": _libraries(),
        "ledger": str(ledger.path),
        "read": source.options,
        "tables": source.digests,
        "today": today.isoformat(),
    }
    return digest(json.dumps(parts, sort_keys=True).encode("utf-8"))


def cached_report(
    ledger: Ledger, validate: Callable[[Ledger], ValidationReport], today: dt.date | None = None
) -> ValidationReport:
    """``validate(ledger)``, or the report kept for exactly this ledger's bytes, code and day (default: today)."""
    if not enabled():
        return validate(ledger)
    key = report_key(ledger, today or dt.date.today())
    if key is None:
        return validate(ledger)
    entry = cache_dir() / "validation" / f"{key}.json"
    report = read_entry(entry, key)
    if report is None:
        report = validate(ledger)
        write_entry(entry, key, report)
    return report


def _payload(report: ValidationReport) -> dict[str, Any]:
    return {
        "ledger": report.ledger,
        "tables": dict(report.tables),
        "issues": [issue.to_dict() for issue in report.issues],
    }


def _checksum(payload: dict[str, Any]) -> str:
    return digest(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def read_entry(path: Path, key: str) -> ValidationReport | None:
    """The report kept at ``path`` for ``key``; None if it is missing, unreadable, corrupt or for another key."""
    from .results.core import Issue, ValidationReport

    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry["format"] != FORMAT or entry["key"] != key or entry["checksum"] != _checksum(entry["report"]):
            return None
        payload = entry["report"]
        return ValidationReport(
            ledger=str(payload["ledger"]),
            issues=[Issue(**issue) for issue in payload["issues"]],
            tables={str(name): int(rows) for name, rows in payload["tables"].items()},
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_entry(path: Path, key: str, report: ValidationReport) -> None:
    """Keep ``report`` at ``path``: written to a temporary file, then renamed into place. Never raises: a cache
    that cannot be written (a read-only home, a full disk) only means the next command validates again."""
    payload = _payload(report)
    text = json.dumps({"format": FORMAT, "key": key, "checksum": _checksum(payload), "report": payload})
    import tempfile

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
        temporary = None
        _prune(path.parent)
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            old.unlink()


def _version() -> str:
    from . import __version__

    return __version__


def _libraries() -> dict[str, str]:
    import platform
    from importlib.metadata import version

    import numpy
    import pandas
    import pyarrow

    return {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "pandera": version("pandera"),  # from its metadata: importing Pandera costs ~0.3 s
        "pyarrow": pyarrow.__version__,
    }


def schema_digest() -> str:
    """A digest of every table's declaration as it stands in this process (:func:`layout.declaration_digest`)."""
    from .layout import declaration_digest

    return declaration_digest()


@functools.lru_cache(maxsize=1)
def rules_digest() -> str:
    """A digest of the package's source: every module, so that no change to the code that makes a report (its
    rules, messages, the reading of files, the report classes) can find a report the old code made."""
    return source_digest(Path(__file__).resolve().parent)


def source_digest(package: Path) -> str:
    """The SHA-256 of every ``.py`` file under ``package``, with its path."""
    hasher = hashlib.sha256()
    modules = sorted(package.rglob("*.py"))
    for module in modules:
        hasher.update(module.relative_to(package).as_posix().encode("utf-8") + b"\0")
        try:
            hasher.update(module.read_bytes())
        except OSError:  # unreadable source: the version stands for the code
            hasher.update(b"?")
    if not modules:  # a frozen or zipped install
        hasher.update(b"?")
    return hasher.hexdigest()
