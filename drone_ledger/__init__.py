"""drone-ledger: check claims of equipment destroyed against documented, sourced losses.

The public API is imported lazily so that ``import drone_ledger`` (and the
CLI's ``--help``) never loads pandas::

    >>> from drone_ledger import compare_claim
    >>> compare_claim().conclusion  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Every public name, by the module that defines it: imported only when first used.
_API = {
    "load_ledger": "ledger",
    "ledger_from_frames": "ledger",
    "default_ledger_path": "ledger",
    "Ledger": "ledger",
    "LedgerLike": "ledger",
    "validate_ledger": "validation",
    "require_valid": "validation",
    "price_observations": "context",
    "cost_losses": "context",
    "compare_claim": "claims",
    "compare_claims": "claims",
    "summarize_conflict": "claims",
    "trace_claim": "analysis",
    "breakdown": "analysis",
    "sensitivity": "analysis",
    "claim_consistency": "analysis",
    "export_losses": "exporting",
    "plot_claim": "plots",
    "add_conflict": "conflicts",
    "known_conflicts": "conflicts",
    "import_table": "importing.importer",
    "init_ledger": "writing",
    "build_report": "page.build",
    "report_html": "page.markup",
    "write_report": "page",
    "Assumptions": "results.core",
    "Issue": "results.core",
    "Severity": "results.core",
    "ValidationReport": "results.core",
    "BucketTotal": "results.core",
    "ValueRange": "results.core",
    "ClaimComparison": "results.claims",
    "ClaimsOverview": "results.claims",
    "ConflictSummary": "results.claims",
    "ClaimReport": "results.claims",
    "Trace": "results.analysis",
    "Breakdown": "results.analysis",
    "Sensitivity": "results.analysis",
    "Consistency": "results.analysis",
    "ImportReport": "results.ledger",
    "ConflictAddition": "results.ledger",
    "KnownConflicts": "results.ledger",
    "IssueCode": "errors",
    "DroneLedgerError": "errors",
    "UsageError": "errors",
    "LedgerInvalidError": "errors",
    "LedgerNotFoundError": "errors",
    "UnknownClaimError": "errors",
}

__all__ = ["__version__", *_API]

if TYPE_CHECKING:  # the same names, for type checkers (tests/test_api.py keeps the two lists equal)
    from .analysis import breakdown, claim_consistency, sensitivity, trace_claim
    from .claims import compare_claim, compare_claims, summarize_conflict
    from .conflicts import add_conflict, known_conflicts
    from .context import cost_losses, price_observations
    from .errors import (
        DroneLedgerError,
        IssueCode,
        LedgerInvalidError,
        LedgerNotFoundError,
        UnknownClaimError,
        UsageError,
    )
    from .exporting import export_losses
    from .importing.importer import import_table
    from .ledger import Ledger, LedgerLike, default_ledger_path, ledger_from_frames, load_ledger
    from .page import write_report
    from .page.build import build_report
    from .page.markup import report_html
    from .plots import plot_claim
    from .results.analysis import Breakdown, Consistency, Sensitivity, Trace
    from .results.claims import ClaimComparison, ClaimReport, ClaimsOverview, ConflictSummary
    from .results.core import Assumptions, BucketTotal, Issue, Severity, ValidationReport, ValueRange
    from .results.ledger import ConflictAddition, ImportReport, KnownConflicts
    from .validation import require_valid, validate_ledger
    from .writing import init_ledger


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'drone_ledger' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
