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
    "documented_record": "recordcheck",
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
    "SystemRecord": "results.record",
    "WarRecord": "results.record",
    "ForScale": "results.record",
    "IssueCode": "errors",
    "DroneLedgerError": "errors",
    "UsageError": "errors",
    "LedgerInvalidError": "errors",
    "LedgerNotFoundError": "errors",
    "UnknownClaimError": "errors",
}

__all__ = ["__version__", *_API]

if TYPE_CHECKING:  # the same names for type checkers, each re-exported explicitly (``x as x``) for a user's --strict
    from .analysis import breakdown as breakdown
    from .analysis import claim_consistency as claim_consistency
    from .analysis import sensitivity as sensitivity
    from .analysis import trace_claim as trace_claim
    from .claims import compare_claim as compare_claim
    from .claims import compare_claims as compare_claims
    from .claims import summarize_conflict as summarize_conflict
    from .conflicts import add_conflict as add_conflict
    from .conflicts import known_conflicts as known_conflicts
    from .context import cost_losses as cost_losses
    from .context import price_observations as price_observations
    from .errors import DroneLedgerError as DroneLedgerError
    from .errors import IssueCode as IssueCode
    from .errors import LedgerInvalidError as LedgerInvalidError
    from .errors import LedgerNotFoundError as LedgerNotFoundError
    from .errors import UnknownClaimError as UnknownClaimError
    from .errors import UsageError as UsageError
    from .exporting import export_losses as export_losses
    from .importing.importer import import_table as import_table
    from .ledger import Ledger as Ledger
    from .ledger import LedgerLike as LedgerLike
    from .ledger import default_ledger_path as default_ledger_path
    from .ledger import ledger_from_frames as ledger_from_frames
    from .ledger import load_ledger as load_ledger
    from .page import write_report as write_report
    from .page.build import build_report as build_report
    from .page.markup import report_html as report_html
    from .plots import plot_claim as plot_claim
    from .recordcheck import documented_record as documented_record
    from .results.analysis import Breakdown as Breakdown
    from .results.analysis import Consistency as Consistency
    from .results.analysis import Sensitivity as Sensitivity
    from .results.analysis import Trace as Trace
    from .results.claims import ClaimComparison as ClaimComparison
    from .results.claims import ClaimReport as ClaimReport
    from .results.claims import ClaimsOverview as ClaimsOverview
    from .results.claims import ConflictSummary as ConflictSummary
    from .results.core import Assumptions as Assumptions
    from .results.core import BucketTotal as BucketTotal
    from .results.core import Issue as Issue
    from .results.core import Severity as Severity
    from .results.core import ValidationReport as ValidationReport
    from .results.core import ValueRange as ValueRange
    from .results.ledger import ConflictAddition as ConflictAddition
    from .results.ledger import ImportReport as ImportReport
    from .results.ledger import KnownConflicts as KnownConflicts
    from .results.record import ForScale as ForScale
    from .results.record import SystemRecord as SystemRecord
    from .results.record import WarRecord as WarRecord
    from .validation import require_valid as require_valid
    from .validation import validate_ledger as validate_ledger
    from .writing import init_ledger as init_ledger


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'drone_ledger' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
