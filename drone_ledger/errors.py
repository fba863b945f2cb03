"""Exceptions for problems of the program's inputs (files, arguments) and of the machine (disk, permissions).

Problems *in the data* are not exceptions: they are :class:`~drone_ledger.reports.Issue`
values in a :class:`~drone_ledger.reports.ValidationReport`. Every message here is
written once, with the remedy next to it; the CLI only prints it.

Every exception drone-ledger raises on purpose derives from :class:`DroneLedgerError`
and carries a stable kebab-case ``code`` and an ``exit_code``: 2 for a usage error
(everything derived from :class:`UsageError`), 1 for anything else. Any other
exception is a bug: the CLI lets it surface as one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reports import ValidationReport


class DroneLedgerError(Exception):
    """Base of every error drone-ledger raises on purpose; ``code`` is stable and kebab-case, like Issue codes."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class UsageError(DroneLedgerError):
    """The command was asked for something it cannot do (a bad option, path or value): exit status 2."""

    exit_code = 2
    code = "usage"


# --- usage errors (exit 2) ---------------------------------------------------------------------------------------


class LedgerNotFoundError(UsageError):
    """The ledger directory does not exist or is not a directory."""

    code = "ledger-not-found"


class NotALedgerError(LedgerNotFoundError):
    """The directory exists but holds no ledger table (it is not a ledger; ``drone-ledger init`` makes one)."""

    code = "not-a-ledger"


class UnknownClaimError(UsageError):
    """The requested claim id is not in claims.csv."""

    code = "unknown-claim"


class UnknownDollarYearError(UsageError, ValueError):
    """cpi.csv has no figure for the requested dollar year (also a ValueError, as it was before)."""

    code = "unknown-dollar-year"


class ImportUsageError(UsageError):
    """The import was asked for something it cannot do (missing option, unknown format or conflict)."""

    code = "import-usage"


class MappingFileError(UsageError):
    """The TOML mapping file is unreadable or has keys of the wrong kind."""

    code = "bad-mapping-file"


class ExportError(UsageError):
    """The export cannot be written (unknown format, missing optional library, unusable output path)."""

    code = "bad-export-request"


class PlotError(UsageError):
    """The chart cannot be drawn (unknown kind or format, matplotlib missing, unusable output path)."""

    code = "bad-plot-request"


class AnalysisUsageError(UsageError):
    """An analysis was asked for a field, bucket or value it does not know."""

    code = "bad-analysis-request"


# --- problems of files and of the machine (exit 1) ---------------------------------------------------------------


class TableFileError(DroneLedgerError):
    """A table file is missing, unreadable, or not a CSV we can decode."""

    code = "unreadable-table"


class ImportSourceError(DroneLedgerError):
    """The source file cannot be read as a table (missing, binary, wrong encoding, malformed)."""

    code = "unreadable-source"


class LedgerLockedError(DroneLedgerError):
    """Another process is writing the same ledger."""

    code = "ledger-locked"


class JournalError(DroneLedgerError):
    """The ledger's commit journal is malformed or names files outside the ledger: nothing is replayed."""

    code = "bad-journal"


class LedgerWriteError(DroneLedgerError):
    """A file could not be written (disk full, read-only file system, no permission …); nothing was changed."""

    code = "write-failed"


class UnknownConflictError(UsageError):
    """The requested conflict id is not in conflicts.csv."""

    code = "unknown-conflict"


class LedgerInvalidError(DroneLedgerError):
    """The ledger has errors, so no total computed from it could be trusted."""

    code = "invalid-ledger"

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        errors = report.errors
        first = errors[0] if errors else None
        where = f" (first: {first.location()}: {first.message})" if first else ""
        Exception.__init__(
            self,
            f"the ledger at {report.ledger} has {len(errors)} error(s){where}; "
            f"run `drone-ledger validate --ledger {report.ledger}` to see them all",
        )


class ConflictUsageError(UsageError):
    """A conflict cannot be added as asked: it is not in the catalog and its name, start date or source is missing."""

    code = "missing-conflict-details"


class ReportError(UsageError):
    """The report page cannot be written where asked (a missing folder, an existing file, a ledger's own file)."""

    code = "bad-report-request"
