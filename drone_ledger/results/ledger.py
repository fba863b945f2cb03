"""The results of commands that change a ledger: an import, a conflict added, the catalog of known conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drone_ledger.layout import CONFLICTS

from .core import Issue, Severity, records_frame
from .sources import JoinSummary, PageCheck

if TYPE_CHECKING:
    import pandas as pd

CONFLICTS_FILE = CONFLICTS.filename


@dataclass(frozen=True)
class KnownConflict:
    """A war the Oryx-derived import formats cover, with the dates its ``source_url`` gives.

    ``start_date`` is None when no stored source confirmed it (adding the
    conflict then needs ``--start``); ``end_date`` is None for a war still
    going on.
    """

    conflict_id: str
    name: str
    start_date: str | None
    end_date: str | None
    source_url: str
    notes: str = ""

    def row(self) -> dict[str, str]:
        """The conflicts.csv row, empty cells as ``""``."""
        return {column: getattr(self, column) or "" for column in CONFLICTS.columns}


@dataclass
class ImportReport:
    """What an import read, added, updated, skipped and rejected — and whether it wrote anything.

    ``issues`` are coded warnings about the source that do not refuse it (an Oryx page's counts that differ from
    what was read, links that could not be read, sources that disagree); ``page`` and ``join`` are filled by the
    imports of an Oryx page and of WarSpotting. ``to_dict`` leaves out each of the three when it is empty.
    """

    source: str
    source_format: str
    ledger: str
    dry_run: bool
    rows_read: int = 0
    records: int = 0
    added: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    written: bool = False
    refused: str | None = None
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    items_by_system: dict[str, int] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    new_systems: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    issues: list[Issue] = field(default_factory=list)
    page: PageCheck | None = None
    join: JoinSummary | None = None

    @property
    def balanced(self) -> bool:
        """True when every record is accounted for: added + updated + duplicates + rejected = records."""
        return self.added + self.updated + self.duplicates + self.rejected == self.records

    @property
    def exit_code(self) -> int:
        """0 when the import went through (or would, for a dry run); 1 when it was refused."""
        return 1 if self.refused else 0

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "source": self.source,
            "source_format": self.source_format,
            "ledger": self.ledger,
            "dry_run": self.dry_run,
            "written": self.written,
            "refused": self.refused,
            "rows_read": self.rows_read,
            "records": self.records,
            "added": self.added,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "balanced": self.balanced,
            "unmapped": self.unmapped,
            "items_by_system": self.items_by_system,
            "new_systems": self.new_systems,
            "changes": self.changes,
            "rejects": self.rejects,
            "rejects_file": self.rejects_file,
            "notes": self.notes,
            **({"issues": [issue.to_dict() for issue in self.issues]} if self.issues else {}),
            **({"page": self.page.to_dict()} if self.page is not None else {}),
            **({"join": self.join.to_dict()} if self.join is not None else {}),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per change to a loss already in the ledger (``outcome`` updated: ``loss_id``, ``column``, ``old``,
        ``new``), per rejected record (``outcome`` rejected: ``source_line``, ``reason``) and per issue about the
        source (``outcome`` its severity: ``source_line``, ``reason`` its code and message). Added records and
        duplicates are only counted (``to_dict``)."""
        import pandas as pd

        rows = [{"outcome": "updated", **change} for change in self.changes]
        rows += [
            {"outcome": "rejected", "source_line": r["source_line"], "reason": " | ".join(r["reasons"])}
            for r in self.rejects
        ]
        rows += [
            {"outcome": i.severity.value, "source_line": i.line, "reason": f"{i.code}: {i.message}"}
            for i in self.issues
        ]
        columns = ["outcome", "loss_id", "column", "old", "new", "source_line", "reason"]
        frame = pd.DataFrame(rows, columns=columns)
        frame["source_line"] = frame["source_line"].astype("Int64")
        return frame


def describe_change(change: dict[str, Any]) -> str:
    """One change of an updated loss, as a reader needs it: ``column: old → new``.

    ``notes`` is a list of remarks joined by ``"; "``: only the remarks removed and added are shown, since the
    whole old and new texts mostly repeat each other (and, wrapped on a terminal, looked unchanged).
    """
    column, old, new = change["column"], change["old"] or "", change["new"] or ""
    if column == "notes":
        before, after = old.split("; ") if old else [], new.split("; ") if new else []
        parts = [f"removed {p!r}" for p in before if p not in after]
        parts += [f"added {p!r}" for p in after if p not in before]
        if parts:
            return f"notes: {'; '.join(parts)}"
    return f"{column}: {old or '∅'} → {new or '∅'}"


ADDED, UNCHANGED, REFUSED = "added", "unchanged", "refused"


@dataclass
class ConflictAddition:
    """What adding a conflict did: the row, whether it was written, and why not.

    ``status`` is ``added`` (written), ``unchanged`` (the same row was already
    there: nothing written) or ``refused`` (see ``issues``; nothing written).
    """

    ledger: str
    conflict_id: str
    status: str
    row: dict[str, str]
    #: The columns whose values came from the catalog (the rest were given).
    from_catalog: list[str] = field(default_factory=list)
    #: The row already in conflicts.csv under the same id, if any.
    existing: dict[str, str] | None = None
    #: The CSV line the row is on (or would have been on).
    line: int | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def file(self) -> str:
        """The conflicts.csv written (or not)."""
        return str(Path(self.ledger) / CONFLICTS_FILE)

    @property
    def written(self) -> bool:
        """True when conflicts.csv changed."""
        return self.status == ADDED

    @property
    def exit_code(self) -> int:
        """0 when the row is in the ledger now (added or already there), 1 when it was refused."""
        return 1 if self.status == REFUSED else 0

    @property
    def message(self) -> str:
        """One sentence saying what happened."""
        where = f"{self.file} (line {self.line})" if self.line else self.file
        if self.status == ADDED:
            return f"added {self.conflict_id} to {where}"
        if self.status == UNCHANGED:
            return f"{self.conflict_id} is already in {where} with the same values; nothing written"
        errors = sum(issue.severity is Severity.ERROR for issue in self.issues)
        return f"{self.conflict_id} was not added to {self.file}: {errors} error(s); nothing written"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return {
            "ledger": self.ledger,
            "file": self.file,
            "conflict_id": self.conflict_id,
            "status": self.status,
            "written": self.written,
            "message": self.message,
            "line": self.line,
            "row": dict(self.row),
            "from_catalog": list(self.from_catalog),
            "existing": None if self.existing is None else dict(self.existing),
            "issues": [issue.to_dict() for issue in self.issues],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row: the conflicts.csv row (added, already there or refused), its ``status`` and CSV ``line``."""
        return records_frame([{**self.row, "status": self.status, "line": self.line}])


@dataclass
class KnownConflicts:
    """The catalog, and for a ledger which of its conflicts it already has."""

    conflicts: list[KnownConflict]
    ledger: str | None = None
    #: conflict_id -> ``same`` (in the ledger with the catalog's values), ``different`` or ``absent``.
    in_ledger: dict[str, str] = field(default_factory=dict)
    #: Conflicts of the ledger that the catalog does not know.
    ledger_only: list[str] = field(default_factory=list)

    def _entry(self, known: KnownConflict) -> dict[str, Any]:
        entry: dict[str, Any] = {**known.row(), "start_date": known.start_date, "end_date": known.end_date}
        if self.ledger is not None:
            entry["in_ledger"] = self.in_ledger.get(known.conflict_id, "absent")
        return entry

    def to_dict(self) -> dict[str, Any]:
        """Return the catalog as a JSON-ready dict (unknown dates and an ongoing war's end as null)."""
        return {
            "ledger": self.ledger,
            "conflicts": [self._entry(known) for known in self.conflicts],
            "ledger_only": list(self.ledger_only),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per known conflict (with ``in_ledger`` when a ledger was given)."""
        return records_frame([self._entry(known) for known in self.conflicts])
