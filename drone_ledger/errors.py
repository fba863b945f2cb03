"""The error model: one enum of codes, and every exception drone-ledger raises on purpose.

Problems *in the data* are not exceptions: they are :class:`~drone_ledger.results.core.Issue`
values in a :class:`~drone_ledger.results.core.ValidationReport`. Problems of the program's
inputs (files, arguments) and of the machine (disk, permissions) are the exceptions
below. Every message is written once, with the remedy next to it; the CLI only prints it.

Both carry a stable kebab-case code, and every code either can carry is a member of
:class:`IssueCode` (a ``StrEnum``: a member *is* its text, so ``issue.code ==
"missing-column"`` holds). ``docs/guarantees.md`` and the data dictionary document
each one (``tests/test_errors.py`` checks both).

Every exception derives from :class:`DroneLedgerError` and has an ``exit_code``: 2 for
a usage error (everything derived from :class:`UsageError`), 1 for anything else. Any
other exception is a bug: the CLI lets it surface as one.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results.core import Issue, ValidationReport


class IssueCode(enum.StrEnum):
    """Every code an :class:`~drone_ledger.results.core.Issue` or a :class:`DroneLedgerError` can carry."""

    # --- reading a file (an Issue for a ledger table; an ImportSourceError for an imported source) ---------------
    MISSING_TABLE = "missing-table"
    MISSING_FILE = "missing-file"
    NOT_A_FILE = "not-a-file"
    UNREADABLE_FILE = "unreadable-file"
    FILE_TOO_LARGE = "file-too-large"
    EMPTY_FILE = "empty-file"
    UTF_16 = "utf-16"
    BINARY_FILE = "binary-file"
    NOT_UTF8 = "not-utf8"
    UNKNOWN_ENCODING = "unknown-encoding"
    TOO_MANY_COLUMNS = "too-many-columns"
    TOO_MANY_FIELDS = "too-many-fields"
    FIELD_TOO_LARGE = "field-too-large"
    CSV_PARSE_ERROR = "csv-parse-error"
    WRONG_DELIMITER = "wrong-delimiter"
    # --- a table's header and cells ---------------------------------------------------------------------------------
    DUPLICATE_COLUMN = "duplicate-column"
    MISSING_COLUMN = "missing-column"
    UNKNOWN_COLUMN = "unknown-column"
    OLD_DATE_COLUMNS = "old-date-columns"
    UNCONVERTIBLE_DATE = "unconvertible-date"
    NOT_A_NUMBER = "not-a-number"
    NOT_FINITE = "not-finite"
    NOT_A_WHOLE_NUMBER = "not-a-whole-number"
    NUMBER_TOO_LARGE = "number-too-large"
    MISSING_VALUE = "missing-value"
    INVALID_VALUE = "invalid-value"
    OUT_OF_RANGE = "out-of-range"
    INVALID_URL = "invalid-url"
    INVALID_ID = "invalid-id"
    INVALID_DATE_FORMAT = "invalid-date-format"
    IMPOSSIBLE_DATE = "impossible-date"
    FUTURE_DATE = "future-date"
    DUPLICATE_ID = "duplicate-id"
    SCHEMA_CHECK_FAILED = "schema-check-failed"
    # --- rules within a row and between tables ----------------------------------------------------------------------
    DATE_INTERVAL_INVERTED = "date-interval-inverted"
    DATE_OUTSIDE_CONFLICT = "date-outside-conflict"
    PERIOD_INVERTED = "period-inverted"
    PRICE_RANGE_INVERTED = "price-range-inverted"
    UNKNOWN_SYSTEM = "unknown-system"
    UNKNOWN_CONFLICT = "unknown-conflict"
    UNKNOWN_AGGREGATE = "unknown-aggregate"
    UNKNOWN_LOSS = "unknown-loss"
    UNKNOWN_CATEGORY = "unknown-category"
    UNKNOWN_STATUS = "unknown-status"
    UNKNOWN_SYSTEM_GROUP = "unknown-system-group"
    UNKNOWN_COST_KEY = "unknown-cost-key"
    MISSING_CONFIDENCE = "missing-confidence"
    MISSING_SOURCE = "missing-source"
    MISSING_PRICE_YEAR = "missing-price-year"
    UNUSABLE_CURRENCY = "unusable-currency"
    NO_CPI_FOR_YEAR = "no-cpi-for-year"
    UNDATED_DOLLAR_CLAIM = "undated-dollar-claim"
    AGGREGATE_MISMATCH = "aggregate-mismatch"
    AGGREGATE_PARTS_MISMATCH = "aggregate-parts-mismatch"
    COUNTED_IN_MISMATCH = "counted-in-mismatch"
    COUNTED_IN_EXCEEDS_AGGREGATE = "counted-in-exceeds-aggregate"
    CONFLICT_EXISTS = "conflict-exists"
    # --- warnings of an import of Oryx's page or WarSpotting (ImportReport.issues) ----------------------------------
    PAGE_COUNT_MISMATCH = "page-count-mismatch"
    UNREAD_PAGE_ITEM = "unread-page-item"
    NO_ATTRIBUTION_LABELS = "no-attribution-labels"
    ATTRIBUTION_KEPT = "attribution-kept"
    ITEM_NOT_ON_PAGE = "item-not-on-page"
    JOIN_DISAGREEMENT = "join-disagreement"
    NO_PROOF_LINK = "no-proof-link"
    # --- exceptions: the base classes ------------------------------------------------------------------------------
    ERROR = "error"
    USAGE = "usage"
    # --- exceptions: usage (exit 2) ---------------------------------------------------------------------------------
    LEDGER_NOT_FOUND = "ledger-not-found"
    NOT_A_LEDGER = "not-a-ledger"
    BAD_LEDGER_PATH = "bad-ledger-path"
    LEDGER_EXISTS = "ledger-exists"
    UNKNOWN_CLAIM = "unknown-claim"
    UNKNOWN_SIDE = "unknown-side"
    UNKNOWN_DOLLAR_YEAR = "unknown-dollar-year"
    MISSING_CONFLICT_DETAILS = "missing-conflict-details"
    BAD_ANALYSIS_REQUEST = "bad-analysis-request"
    BAD_EXPORT_REQUEST = "bad-export-request"
    XLSX_CONTROL_CHARACTER = "xlsx-control-character"
    BAD_PLOT_REQUEST = "bad-plot-request"
    BAD_REPORT_REQUEST = "bad-report-request"
    BAD_REPORT_SUFFIX = "bad-report-suffix"
    BAD_OUTPUT_PATH = "bad-output-path"
    MISSING_DIRECTORY = "missing-directory"
    OUTPUT_EXISTS = "output-exists"
    OUTPUT_IS_A_DIRECTORY = "output-is-a-directory"
    OUTPUT_NOT_A_FILE = "output-not-a-file"
    OUTPUT_IS_A_LEDGER_FILE = "output-is-a-ledger-file"
    IMPORT_USAGE = "import-usage"
    UNKNOWN_FORMAT = "unknown-format"
    MISSING_OPTION = "missing-option"
    BAD_LIMIT = "bad-limit"
    BAD_DELIMITER = "bad-delimiter"
    BAD_DATE_FORMAT = "bad-date-format"
    NO_MAPPING = "no-mapping"
    BAD_MAPPING_FILE = "bad-mapping-file"
    MISSING_MAPPED_COLUMN = "missing-mapped-column"
    AMBIGUOUS_MAPPED_COLUMN = "ambiguous-mapped-column"
    CATEGORIES_FROM_NEEDS_ORYX_LONG = "categories-from-needs-oryx-long"
    NOT_A_PER_MODEL_TABLE = "not-a-per-model-table"
    SOURCE_FORMAT_MISMATCH = "source-format-mismatch"
    # --- exceptions: files and the machine (exit 1) ----------------------------------------------------------------
    UNREADABLE_TABLE = "unreadable-table"
    UNREADABLE_SOURCE = "unreadable-source"
    UNREADABLE_LEDGER = "unreadable-ledger"
    NOT_AN_ORYX_PAGE = "not-an-oryx-page"
    TRUNCATED_PAGE = "truncated-page"
    INVALID_LEDGER = "invalid-ledger"
    LEDGER_LOCKED = "ledger-locked"
    BAD_JOURNAL = "bad-journal"
    WRITE_FAILED = "write-failed"
    DISK_FULL = "disk-full"
    READ_ONLY_FILE_SYSTEM = "read-only-file-system"
    PERMISSION_DENIED = "permission-denied"
    NAME_TOO_LONG = "name-too-long"
    IS_A_DIRECTORY = "is-a-directory"
    NOT_A_DIRECTORY = "not-a-directory"
    SYMBOLIC_LINK = "symbolic-link"
    SYMLINKED_TABLE = "symlinked-table"
    UNWRITABLE_LEDGER = "unwritable-ledger"
    REJECTS_NOT_A_DIRECTORY = "rejects-not-a-directory"
    REJECTS_FULL = "rejects-full"


class DroneLedgerError(Exception):
    """Base of every error drone-ledger raises on purpose; ``code`` is stable and kebab-case, like Issue codes."""

    exit_code = 1
    code: IssueCode = IssueCode.ERROR

    def __init__(self, message: str, code: IssueCode | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class UsageError(DroneLedgerError):
    """The command was asked for something it cannot do (a bad option, path or value): exit status 2."""

    exit_code = 2
    code = IssueCode.USAGE


# --- usage errors (exit 2) ---------------------------------------------------------------------------------------


class LedgerNotFoundError(UsageError):
    """The ledger directory does not exist or is not a directory."""

    code = IssueCode.LEDGER_NOT_FOUND


class NotALedgerError(LedgerNotFoundError):
    """The directory exists but holds no ledger table (it is not a ledger; ``drone-ledger init`` makes one)."""

    code = IssueCode.NOT_A_LEDGER


class UnknownClaimError(UsageError):
    """The requested claim id is not in claims.csv."""

    code = IssueCode.UNKNOWN_CLAIM


class UnknownConflictError(UsageError):
    """The requested conflict id is not in conflicts.csv."""

    code = IssueCode.UNKNOWN_CONFLICT


class UnknownSideError(UsageError):
    """The requested side is not one the ledger has for that conflict (the message lists those it has)."""

    code = IssueCode.UNKNOWN_SIDE


class UnknownDollarYearError(UsageError):
    """cpi.csv has no figure for the requested dollar year."""

    code = IssueCode.UNKNOWN_DOLLAR_YEAR


class ImportUsageError(UsageError):
    """The import was asked for something it cannot do (missing option, unknown format or conflict)."""

    code = IssueCode.IMPORT_USAGE


class MappingFileError(UsageError):
    """The TOML mapping file is unreadable or has keys of the wrong kind."""

    code = IssueCode.BAD_MAPPING_FILE


class ExportError(UsageError):
    """The export cannot be written (unknown format, missing optional library, unusable output path)."""

    code = IssueCode.BAD_EXPORT_REQUEST


class PlotError(UsageError):
    """The chart cannot be drawn (unknown kind or format, matplotlib missing, unusable output path)."""

    code = IssueCode.BAD_PLOT_REQUEST


class ReportError(UsageError):
    """The report page cannot be written where asked (a missing folder, an existing file, a ledger's own file)."""

    code = IssueCode.BAD_REPORT_REQUEST


class AnalysisUsageError(UsageError):
    """An analysis was asked for a field, bucket or value it does not know."""

    code = IssueCode.BAD_ANALYSIS_REQUEST


class ConflictUsageError(UsageError):
    """A conflict cannot be added as asked: it is not in the catalog and its name, start date or source is missing."""

    code = IssueCode.MISSING_CONFLICT_DETAILS


# --- problems of files and of the machine (exit 1) ---------------------------------------------------------------


class TableFileError(DroneLedgerError):
    """A file cannot be read as CSV text (missing, a directory, too large, binary, UTF-16, not in its encoding)."""

    code = IssueCode.UNREADABLE_TABLE


class UnreadableLedgerError(TableFileError):
    """A command that writes a ledger found a table it could not read in full and exactly: nothing was written.

    ``problems`` lists each problem as an issue with its own code (``not-utf8``, ``csv-parse-error``,
    ``duplicate-id`` …).
    """

    code = IssueCode.UNREADABLE_LEDGER

    def __init__(self, message: str, problems: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class ImportSourceError(TableFileError):
    """The source file cannot be read as a table (missing, binary, wrong encoding, malformed)."""

    code = IssueCode.UNREADABLE_SOURCE


class MissingSourceError(UsageError, ImportSourceError):
    """The file to import does not exist: a usage error (exit 2), like every other missing path."""

    code = IssueCode.MISSING_FILE


class LedgerLockedError(DroneLedgerError):
    """Another process is writing the same ledger."""

    code = IssueCode.LEDGER_LOCKED


class JournalError(DroneLedgerError):
    """The ledger's commit journal is malformed or names files outside the ledger: nothing is replayed."""

    code = IssueCode.BAD_JOURNAL


class LedgerWriteError(DroneLedgerError):
    """A file could not be written (disk full, read-only file system, no permission …); nothing was changed."""

    code = IssueCode.WRITE_FAILED


class LedgerInvalidError(DroneLedgerError):
    """The ledger has errors, so no total computed from it could be trusted."""

    code = IssueCode.INVALID_LEDGER

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        errors = report.errors
        first = errors[0] if errors else None
        where = f" (first: {first.location()}: {first.message})" if first else ""
        super().__init__(
            f"the ledger at {report.ledger} has {len(errors)} error(s){where}; "
            f"run `drone-ledger validate --ledger {report.ledger}` to see them all"
        )
