"""Exceptions for problems of the program's inputs (files, arguments).

Problems *in the data* are not exceptions: they are :class:`~drone_ledger.reports.Issue`
values in a :class:`~drone_ledger.reports.ValidationReport`. Every message here is
written once, with the remedy next to it; the CLI only prints it.
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


class LedgerNotFoundError(DroneLedgerError):
    """The ledger directory does not exist or is not a directory."""

    exit_code = 2
    code = "ledger-not-found"


class TableFileError(DroneLedgerError):
    """A table file is missing, unreadable, or not a CSV we can decode."""


class UnknownClaimError(DroneLedgerError):
    """The requested claim id is not in claims.csv."""

    exit_code = 2
    code = "unknown-claim"


class UnknownConflictError(DroneLedgerError):
    """The requested conflict id is not in conflicts.csv."""

    exit_code = 2
    code = "unknown-conflict"


class AnalysisUsageError(DroneLedgerError):
    """An analysis was asked for a field, bucket or value it does not know."""

    exit_code = 2
    code = "bad-analysis-request"


class DollarYearError(DroneLedgerError):
    """CPI has no figure for the dollar year asked for."""

    exit_code = 2
    code = "no-cpi-for-year"


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


class ConflictUsageError(DroneLedgerError):
    """A conflict cannot be added as asked: it is not in the catalog and its name, start date or source is missing."""

    exit_code = 2
    code = "missing-conflict-details"


class ReportError(DroneLedgerError):
    """The report page cannot be written where asked (a missing folder, an existing file, a ledger's own file)."""

    exit_code = 2
    code = "bad-report-request"


class ReportWriteError(DroneLedgerError):
    """The report page could not be written (disk full, no permission …); no file was left half written."""

    code = "write-failed"
