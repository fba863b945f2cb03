"""A ledger: the value every analysis reads, and the ways to get one (from a directory, from frames).

A :class:`Ledger` never changes once made: what a caller gets from it are copies, so its validation report and
everything derived from it stay true for it. The tables themselves are read by :mod:`drone_ledger.loading`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeAlias

import pandas as pd

from .errors import LedgerLockedError, UsageError
from .layout import TABLES, TableSpec
from .loading import DEFAULT_MAX_BYTES, DEFAULT_MAX_FIELD, Table, absent_table, parse_table, read_table
from .results.core import Issue, ValidationReport
from .storage import READ_ATTEMPTS, ledger_state, recover_ledger, require_ledger
from .textfile import check_encoding

_PACKAGE = Path(__file__).resolve().parent


def default_ledger_path() -> Path:
    """Return the bundled ledger (the 2020 Nagorno-Karabakh war, and the TB2's record in the 2022 invasion of Ukraine).

    An installed wheel carries it inside the package; a source checkout
    (including an editable install) reads the repository's ``data/``.
    """
    packaged = _PACKAGE / "data"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "data"


@dataclass(frozen=True)
class LedgerSource:
    """What a ledger was read from: each table file's digest and the reading options (see :mod:`cache`)."""

    digests: dict[str, str]
    options: dict[str, object]

    def unchanged(self, ledger: Ledger) -> bool:
        """True when ``ledger`` is the ledger read from these files (its tables cannot have changed since)."""
        return ledger.source is self


class Ledger:
    """A loaded ledger: one :class:`Table` per table name. A value: what it holds never changes.

    Nothing a caller gets from it can change it: ``ledger["losses"]`` and each table's ``frame`` are copies
    (cheap: the text columns' Arrow arrays are shared, not copied), and its tables can be neither replaced nor
    set. Its validation report and everything an analysis derives from it therefore stay true for it.
    Changing data means making a new ledger — :meth:`replace`, :func:`ledger_from_frames` — which is validated
    afresh.
    """

    __slots__ = ("__weakref__", "_path", "_report", "_source", "_tables")

    def __init__(self, path: Path, tables: Mapping[str, Table], source: LedgerSource | None = None) -> None:
        self._path = Path(path)
        self._tables: Mapping[str, Table] = MappingProxyType({name: table.seal() for name, table in tables.items()})
        self._source = source
        self._report: ValidationReport | None = None

    @property
    def path(self) -> Path:
        """The ledger directory (for a ledger built from frames, the path it was given)."""
        return self._path

    @property
    def tables(self) -> Mapping[str, Table]:
        """Every table, by name (read-only)."""
        return self._tables

    @property
    def source(self) -> LedgerSource | None:
        """What the tables were read from (None for a ledger built from frames, which is never cached)."""
        return self._source

    @property
    def report(self) -> ValidationReport | None:
        """The validation report, once :meth:`report_once` has made it (every analysis does, first)."""
        return self._report

    def report_once(self, validate: Callable[[Ledger], ValidationReport]) -> ValidationReport:
        """The ledger's validation report: made by ``validate(self)`` the first time, kept with the ledger after."""
        if self._report is None:
            self._report = validate(self)
        return self._report

    def __getitem__(self, name: str) -> pd.DataFrame:
        """A copy of table ``name``'s frame (changing it never changes the ledger)."""
        return self._tables[name].frame

    def __repr__(self) -> str:
        return f"Ledger({str(self._path)!r}, {', '.join(f'{n}: {len(t)}' for n, t in self._tables.items())})"

    @property
    def read_issues(self) -> list[Issue]:
        """Issues found while reading (file, header and type problems)."""
        return [issue for table in self._tables.values() for issue in table.issues]

    def replace(self, **frames: pd.DataFrame) -> Ledger:
        """A new ledger with the tables given replaced (``ledger.replace(losses=frame)``), the others shared.

        Each frame is read exactly as a CSV file would be (see :func:`ledger_from_frames`). The new ledger has no
        report yet: the next analysis validates it, never from the cache.

        Raises
        ------
        UsageError
            A name that is not one of the ledger's tables.
        """
        unknown = sorted(set(frames) - set(self._tables))
        if unknown:
            raise UsageError(f"a ledger has no table {unknown[0]!r}; its tables are {', '.join(self._tables)}")
        tables = dict(self._tables)
        for name, frame in frames.items():
            spec = tables[name].spec
            tables[name] = table_from_frame(frame, self._path / spec.filename, spec)
        return Ledger(self._path, tables)


#: How every public function takes a ledger: a loaded one, a ledger directory, or None for the bundled one.
LedgerLike: TypeAlias = Ledger | str | Path | None


def as_ledger(ledger: LedgerLike) -> Ledger:
    """A loaded ledger as it is; a ledger directory loaded; None: the bundled ledger, loaded."""
    return ledger if isinstance(ledger, Ledger) else load_ledger(ledger)


def load_ledger(
    path: str | Path | None = None,
    encoding: str = "utf-8-sig",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_field: int = DEFAULT_MAX_FIELD,
    *,
    keep_original: bool = False,
) -> Ledger:
    """Read every table of a ledger directory, all from one state of it: when a writer replaced a table file (or
    was committing) while they were read (:func:`~drone_ledger.storage.ledger_state`), they are read again.

    Parameters
    ----------
    path:
        The ledger directory; None for the bundled ledger.
    encoding, max_bytes, max_field:
        Text encoding of the CSV files (default UTF-8, with or without BOM); the largest file and cell read.
    keep_original:
        Keep each table's bytes (``Table.original``), for a write to copy its unchanged rows exactly.

    Returns
    -------
    Ledger
        Typed tables plus the issues met while reading them (see
        :func:`drone_ledger.validate_ledger` for the full check).

    Raises
    ------
    LedgerNotFoundError
        If ``path`` is not an existing directory.
    NotALedgerError
        If the directory holds none of the ledger's tables (a usage error: exit 2).
    UsageError
        If ``encoding`` is not one CSV text can be read in (code ``unknown-encoding``).
    JournalError
        If an interrupted commit's journal is malformed or names files outside the ledger.
    LedgerLockedError
        If writers kept replacing its files while it was read, :data:`~drone_ledger.storage.READ_ATTEMPTS` times.
    """
    encoding = check_encoding(encoding, "--encoding", UsageError) or "utf-8-sig"
    root = require_ledger(Path(path) if path is not None else default_ledger_path())
    for attempt in range(READ_ATTEMPTS):
        recover_ledger(root)  # finish a commit an interrupted import left behind, so we never read half of one
        before = ledger_state(root)
        tables = {
            name: read_table(root / spec.filename, spec, encoding, max_bytes, max_field, keep_original=keep_original)
            for name, spec in TABLES.items()
        }
        if not before.committing and ledger_state(root) == before:
            break
        time.sleep(0.02 * (attempt + 1))  # a writer is committing: read again once it has
    else:
        raise LedgerLockedError(
            f"the ledger at {root} was written {READ_ATTEMPTS} times while it was being read, so no consistent state "
            "of it could be read; run the command again when the writing is done"
        )
    digests = {name: table.digest for name, table in tables.items()}
    source = None
    if all(digests.values()):
        source = LedgerSource(
            digests={name: str(d) for name, d in digests.items()},
            options={"encoding": encoding, "max_bytes": max_bytes, "max_field": max_field},
        )
    return Ledger(root, tables, source)


def ledger_from_frames(frames: dict[str, pd.DataFrame], path: str | Path = "<memory>") -> Ledger:
    """Build a ledger from DataFrames (e.g. in a notebook), read exactly as CSV files would be.

    Each frame is written to CSV text and parsed like a file, so types, issues
    and line numbers are the same as for a ledger on disk. A table left out
    is reported as missing by validation.
    """
    root = Path(path)
    tables = {}
    for name, spec in TABLES.items():
        target = root / spec.filename
        if name in frames:
            tables[name] = table_from_frame(frames[name], target, spec)
        else:
            tables[name] = absent_table(target, spec, f"no {name} frame was given")
    return Ledger(root, tables)


def table_from_frame(frame: pd.DataFrame, path: Path, spec: TableSpec) -> Table:
    """A table read from a DataFrame exactly as from its CSV file: written to CSV text, then parsed."""
    return parse_table(frame.to_csv(index=False, lineterminator="\n"), path, spec)
