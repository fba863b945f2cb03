"""A cache of validation reports, so that every analysis of an unchanged ledger does not validate it again.

Validating even the bundled ledger (Pandera over nine tables, then the rules between them) costs more than the
analysis itself, and each command runs in a fresh process. A report is therefore kept on disk under a key of
everything the report is made from, and only from that — nothing that depends on what a process happened to import:

* the SHA-256 of every table file's bytes, as read (a table that could not be read in full is never cached);
* how they were read (the ledger path as given, ``encoding``, ``max_bytes``, ``max_field``);
* a digest of the tables' declaration (:func:`drone_ledger.layout.declaration_digest`);
* the package version — and, where the package runs from a source checkout (an editable install), a digest of its
  source, since there the code changes without the version;
* the versions of Python, pandas, pandera, pyarrow and numpy;
* today's date (a loss dated tomorrow is an error today and fine tomorrow).

Entries live in the user's cache directory (``$XDG_CACHE_HOME/drone-ledger``, ``~/Library/Caches/drone-ledger``,
``%LOCALAPPDATA%\\drone-ledger\\Cache``; ``DRONE_LEDGER_CACHE_DIR`` moves it, ``DRONE_LEDGER_NO_CACHE=1`` or the
CLI's ``--no-cache`` turns it off), in a ``validation`` folder the tool creates and marks as its own
(``CACHEDIR.TAG``, and a secret only its owner can read). A report is taken from an entry only when all holds:

* the entry is a regular file (never a pipe or a device: nothing blocks), at most :data:`MAX_ENTRY_BYTES`, owned
  by the user and writable by nobody else;
* it parses as JSON of the exact shape the tool writes (a deeply nested, truncated or foreign file is ignored);
* it names the same key and the same digest of every table as the ledger being read, and its signature (HMAC-SHA256
  under the folder's secret) holds — an entry edited, forged from the key, or copied from another user's or
  machine's cache is ignored.

Anything else is as if absent: the ledger is validated. Pruning keeps :data:`MAX_ENTRIES` entries and removes only
files the tool wrote: its own name pattern, in its marked folder, starting with its marker. A cache directory that is
a ledger or inside one is never used (a shared ledger must not carry reports, nor a cache write into a ledger).
``drone-ledger validate`` always validates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import IssueCode

if TYPE_CHECKING:
    from .ledger import Ledger
    from .results.core import ValidationReport

#: Environment variables: where the cache lives, and turning it off.
CACHE_DIR_ENV = "DRONE_LEDGER_CACHE_DIR"
NO_CACHE_ENV = "DRONE_LEDGER_NO_CACHE"
#: The layout of an entry; a new layout never reads an old one.
FORMAT = 2
#: Entries kept; the least recently written beyond this are removed when a new one is written.
MAX_ENTRIES = 256
#: An entry larger than this is not written, and not read.
MAX_ENTRY_BYTES = 64 * 1024 * 1024

#: How every entry the tool writes begins (pruning removes nothing that does not).
MARKER = b'{"drone_ledger_cache": '
#: An entry's name: the key's hex digest.
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
#: The cache directory tag (https://bford.info/cachedir/): backup tools skip the folder, and it marks it as ours.
TAG_NAME = "CACHEDIR.TAG"
TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file marks drone-ledger's validation cache: every *.json here can be deleted.\n"
)
SECRET_NAME = ".secret"
#: The folder in the cache directory the reports are kept in.
FOLDER = "reports"
#: An issue's fields and their types, as an entry must hold them (None only where an Issue allows it).
_ISSUE_FIELDS: dict[str, tuple[type, bool]] = {
    "table": (str, False),
    "file": (str, False),
    "line": (int, True),
    "column": (str, True),
    "code": (str, False),
    "value": (str, True),
    "message": (str, False),
    "severity": (str, False),
}

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
        "code": code_digest(),
        "declaration": declaration_digest(),
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
    folder = _folder()
    if key is None or folder is None:
        return validate(ledger)
    assert ledger.source is not None
    tables = ledger.source.digests
    entry = folder / f"{key}.json"
    report = read_entry(entry, key, tables)
    if report is None:
        report = validate(ledger)
        write_entry(entry, key, tables, report)
    return report


def _folder() -> Path | None:
    """The ``validation`` folder of the cache directory, or None when the cache directory is a ledger or inside
    one (then nothing is read or written there)."""
    folder = cache_dir() / FOLDER
    from .storage import is_ledger

    try:
        real = Path(os.path.realpath(folder))
    except (OSError, ValueError):
        return None
    if any(is_ledger(directory) for directory in (real, *real.parents)):
        return None
    return folder


# --- reading ------------------------------------------------------------------------------------------------------


def _owned(info: os.stat_result, private: bool = False) -> bool:
    """A regular file of this user that nobody else can write (with ``private``, nor read). Windows: a regular file."""
    if not stat.S_ISREG(info.st_mode):
        return False
    if not hasattr(os, "geteuid"):
        return True
    others = 0o077 if private else 0o022
    return info.st_uid == os.geteuid() and not info.st_mode & others


def _read_owned(path: Path, limit: int, private: bool = False, first: int | None = None) -> bytes | None:
    """The bytes of ``path`` (only the ``first`` ones, if given) if it is a regular file of this user (see
    :func:`_owned`) of at most ``limit`` bytes; else None. Opened without blocking and checked on the open file: a
    FIFO put in its place is never waited on."""
    try:
        info = os.lstat(path)
        if not _owned(info, private) or info.st_size > limit:
            return None
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(path, flags), "rb") as stream:
            if not _owned(os.fstat(stream.fileno()), private):
                return None
            data = stream.read(limit + 1 if first is None else first)
    except (OSError, ValueError):
        return None
    return data if len(data) <= limit else None


def _secret(folder: Path) -> bytes | None:
    """The folder's signing secret, if the folder is ours (tagged, its secret readable only by this user)."""
    tag = _read_owned(folder / TAG_NAME, len(TAG))
    secret = _read_owned(folder / SECRET_NAME, 128, private=True)
    if tag != TAG or secret is None or len(secret) < 32:
        return None
    return secret


def _signature(secret: bytes, key: str, tables: dict[str, str], payload: dict[str, Any]) -> str:
    signed = json.dumps({"key": key, "tables": tables, "report": payload}, sort_keys=True, ensure_ascii=False)
    return hmac.new(secret, signed.encode("utf-8"), hashlib.sha256).hexdigest()


def read_entry(path: Path, key: str, tables: dict[str, str]) -> ValidationReport | None:
    """The report kept at ``path`` for ``key`` and these table digests; None if it is missing, unreadable, not the
    tool's, not of the exact shape the tool writes, for another key or other bytes, or its signature fails."""
    secret = _secret(path.parent)
    data = _read_owned(path, MAX_ENTRY_BYTES)
    if secret is None or data is None or not data.startswith(MARKER):
        return None
    try:
        entry = json.loads(data.decode("utf-8"))
        if (
            not isinstance(entry, dict)
            or set(entry) != {"drone_ledger_cache", "key", "tables", "signature", "report"}
            or entry["drone_ledger_cache"] != FORMAT
            or entry["key"] != key
            or entry["tables"] != tables
            or not isinstance(entry["signature"], str)
            or not hmac.compare_digest(entry["signature"], _signature(secret, key, tables, entry["report"]))
        ):
            return None
        return _report(entry["report"])
    except (UnicodeDecodeError, ValueError, TypeError, RecursionError):
        return None


def _report(payload: object) -> ValidationReport | None:
    """A report from an entry's payload, if it has exactly the shape :func:`_payload` writes."""
    from .results.core import Issue, ValidationReport

    if not isinstance(payload, dict) or set(payload) != {"ledger", "tables", "issues"}:
        return None
    ledger, counts, issues = payload["ledger"], payload["tables"], payload["issues"]
    if not isinstance(ledger, str) or not isinstance(counts, dict) or not isinstance(issues, list):
        return None
    if not all(isinstance(name, str) and type(rows) is int for name, rows in counts.items()):
        return None
    for issue in issues:
        if not isinstance(issue, dict) or set(issue) != set(_ISSUE_FIELDS):
            return None
        for name, (kind, optional) in _ISSUE_FIELDS.items():
            if not (type(issue[name]) is kind or optional and issue[name] is None):
                return None
        if issue["severity"] not in ("error", "warning") or issue["code"] not in _CODES:
            return None
    return ValidationReport(ledger=ledger, issues=[Issue(**issue) for issue in issues], tables=dict(counts))


_CODES = frozenset(str(code) for code in IssueCode)


# --- writing ------------------------------------------------------------------------------------------------------


def _payload(report: ValidationReport) -> dict[str, Any]:
    return {
        "ledger": report.ledger,
        "tables": dict(report.tables),
        "issues": [issue.to_dict() for issue in report.issues],
    }


def _own_folder(folder: Path) -> bytes | None:
    """The folder's secret, creating the folder, its tag and its secret if it does not exist yet; None when the
    folder exists and is not the tool's (then nothing is written or removed in it)."""
    secret = _secret(folder)
    if secret is not None:
        return secret
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return None  # someone else's folder, or ours without its secret: left alone
    except OSError:
        return None
    secret = secrets.token_hex(32).encode("ascii")
    for name, data, mode in ((SECRET_NAME, secret, 0o600), (TAG_NAME, TAG, 0o644)):
        try:
            handle = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except OSError:
            return None
    return secret


def write_entry(path: Path, key: str, tables: dict[str, str], report: ValidationReport) -> None:
    """Keep ``report`` at ``path``: written to a temporary file, then renamed into place. Never raises: a cache
    that cannot be written (a read-only home, a full disk) only means the next command validates again."""
    secret = _own_folder(path.parent)
    if secret is None:
        return
    payload = _payload(report)
    entry = {
        "drone_ledger_cache": FORMAT,
        "key": key,
        "tables": tables,
        "signature": _signature(secret, key, tables, payload),
        "report": payload,
    }
    data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    if len(data) > MAX_ENTRY_BYTES:
        return
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        temporary = None
        prune(path.parent)
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def prune(folder: Path, keep: int = MAX_ENTRIES) -> list[Path]:
    """Remove the oldest entries beyond ``keep``; return them. Only the tool's own: in its tagged folder, named
    ``<64 hex digits>.json``, regular files of this user, starting with :data:`MARKER`."""
    if _secret(folder) is None:
        return []
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not _ENTRY_NAME.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if _owned(info):
                    found.append((info.st_mtime, Path(entry.path)))
    removed = []
    for _, old in sorted(found)[: max(0, len(found) - keep)]:
        head = _read_owned(old, MAX_ENTRY_BYTES, first=len(MARKER))
        if head == MARKER:
            with contextlib.suppress(OSError):
                old.unlink()
                removed.append(old)
    return removed


# --- what the key is made of ------------------------------------------------------------------------------------


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


def declaration_digest() -> str:
    """A digest of the tables' declaration (:func:`drone_ledger.layout.declaration_digest`: plain data, the same in
    every process, whatever it has imported)."""
    from .layout import declaration_digest as declared

    return declared()


def code_digest() -> str:
    """The package version; from a source checkout (an editable install), also a digest of every module's source,
    since there the code changes without the version."""
    from . import __version__

    checkout = _checkout_digest()
    return f"{__version__}+{checkout}" if checkout else __version__


@functools.lru_cache(maxsize=1)
def _checkout_digest() -> str | None:
    package = Path(__file__).resolve().parent
    if not (package.parent / "pyproject.toml").is_file():
        return None  # an installed wheel: its version stands for its code
    return source_digest(package)


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
