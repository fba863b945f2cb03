"""Views of the library's result objects: Rich tables, Markdown, CSV, JSON.

Only this package and :mod:`drone_ledger.cli` import Rich. Every view renders the
*same* result object the Python API returns, reading its attributes. Tables are
laid out for the console's width: ids, numbers and ranges are never broken inside
a cell; below 100 columns ranges go on a line of their own, and the claims list
turns into one block per claim.

* :mod:`.claims` — ``summary`` (one claim, or a conflict's totals) and ``claims``;
* :mod:`.analysis` — ``trace``, ``breakdown``, ``sensitivity``, ``consistency``;
* :mod:`.ledger` — ``validate``, ``import``, ``conflict add`` and ``conflict list``;
* :mod:`.record` — ``record`` (a system's documented record) and the "for scale" paragraphs of ``summary``;
* :mod:`.common` — JSON, the width rule and the builders they share.

:func:`print_table` and :func:`as_text` are the one output path every command's ``--format`` goes through:
the Rich view for ``table``, the exact text for the rest — JSON is the result's ``to_dict()``. Neither lets
text from a ledger or a source drive a terminal: :func:`as_text` passes its text through
:func:`drone_ledger.visible.visible` (JSON writes such characters as escapes), and the CLI prints the Rich
views on a :class:`~drone_ledger.views.common.VisibleConsole`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console

from drone_ledger.dictionary import DataDictionary
from drone_ledger.results.analysis import Breakdown, Consistency, Sensitivity, Trace
from drone_ledger.results.claims import ClaimComparison, ClaimsOverview, ConflictSummary
from drone_ledger.results.core import ValidationReport
from drone_ledger.results.ledger import ConflictAddition, ImportReport, KnownConflicts
from drone_ledger.results.record import SystemRecord
from drone_ledger.safecsv import frame_csv_text
from drone_ledger.visible import visible

from .analysis import print_breakdown, print_consistency, print_sensitivity, print_trace
from .claims import (
    claims_csv,
    claims_markdown,
    conflict_summary_markdown,
    print_claims,
    print_conflict_summary,
    print_summary,
    summary_markdown,
)
from .common import to_json
from .ledger import print_conflict_addition, print_import, print_known_conflicts, print_validation, validation_csv
from .record import print_record, record_markdown

__all__ = ["TABLE_VIEWS", "TEXT_VIEWS", "as_text", "formats_of", "print_table"]


def _frame_csv(result: Any) -> str:
    return frame_csv_text(result.to_frame())


def _lines(view: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda result: view(result) + "\n"


#: The Rich view of each result (``--format table``).
TABLE_VIEWS: dict[type, Callable[[Any, Console], None]] = {
    ClaimComparison: print_summary,
    ConflictSummary: print_conflict_summary,
    ClaimsOverview: print_claims,
    ValidationReport: print_validation,
    ImportReport: print_import,
    ConflictAddition: print_conflict_addition,
    KnownConflicts: print_known_conflicts,
    Trace: print_trace,
    Breakdown: print_breakdown,
    Sensitivity: print_sensitivity,
    Consistency: print_consistency,
    SystemRecord: print_record,
}
#: Every other view, by result and format: the exact text printed (JSON is ``to_dict()`` unless listed here).
TEXT_VIEWS: dict[tuple[type, str], Callable[[Any], str]] = {
    (ClaimComparison, "markdown"): _lines(summary_markdown),
    (ConflictSummary, "markdown"): _lines(conflict_summary_markdown),
    (ClaimsOverview, "markdown"): _lines(claims_markdown),
    (ClaimsOverview, "csv"): claims_csv,
    (ValidationReport, "csv"): validation_csv,
    (Trace, "csv"): _frame_csv,
    (Breakdown, "csv"): _frame_csv,
    (Sensitivity, "csv"): _frame_csv,
    (SystemRecord, "markdown"): _lines(record_markdown),
    (SystemRecord, "csv"): _frame_csv,
    (DataDictionary, "markdown"): lambda d: d.markdown(),
    (DataDictionary, "json"): lambda d: to_json(d.tables()) + "\n",
    (DataDictionary, "frictionless"): lambda d: to_json(d.data_package()) + "\n",
}


def formats_of(result_type: type) -> list[str]:
    """The formats a result can be shown in (``table`` where it has a Rich view, ``json`` wherever it has
    ``to_dict``), in the order the CLI offers them."""
    offered = ["table"] if result_type in TABLE_VIEWS else []
    if hasattr(result_type, "to_dict") or (result_type, "json") in TEXT_VIEWS:
        offered.append("json")
    return offered + [fmt for (kind, fmt) in TEXT_VIEWS if kind is result_type and fmt not in offered]


def as_text(result: Any, fmt: str) -> str:
    """The exact text ``--format fmt`` prints for a result (JSON: its ``to_dict()``), every control character of
    it made visible (JSON's are escapes already: the same data)."""
    view = TEXT_VIEWS.get((type(result), fmt))
    if view is not None:
        return visible(view(result))
    if fmt == "json":
        return to_json(result.to_dict()) + "\n"
    raise ValueError(f"{type(result).__name__} has no {fmt} view")  # the CLI offers only the formats listed


def print_table(result: Any, console: Console) -> None:
    """Print a result's Rich view (``--format table``); on a :class:`~.common.VisibleConsole`, no text of it can
    drive the terminal."""
    TABLE_VIEWS[type(result)](result, console)
