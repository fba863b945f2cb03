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

_API = {
    "load_ledger": "loading",
    "ledger_from_frames": "loading",
    "default_ledger_path": "loading",
    "Ledger": "loading",
    "validate_ledger": "validation",
    "price_observations": "costing",
    "cost_losses": "costing",
    "compare_claim": "claims",
    "compare_claims": "claims",
    "ClaimComparison": "results",
    "ClaimsOverview": "results",
    "require_valid": "validation",
    "Assumptions": "results",
    "Issue": "results",
    "ValidationReport": "results",
    "BucketTotal": "results",
    "ValueRange": "results",
    "add_conflict": "conflicts",
    "known_conflicts": "conflicts",
    "ConflictAddition": "results",
    "ImportReport": "results",
    "import_table": "importing",
    "DroneLedgerError": "errors",
    "LedgerInvalidError": "errors",
    "LedgerNotFoundError": "errors",
    "UnknownClaimError": "errors",
    "build_report": "page",
    "report_html": "page",
    "write_report": "page",
    "ClaimReport": "results",
}

__all__ = ["__version__", *_API]

if TYPE_CHECKING:
    from .claims import compare_claim, compare_claims
    from .conflicts import add_conflict, known_conflicts
    from .costing import cost_losses, price_observations
    from .errors import DroneLedgerError, LedgerInvalidError, LedgerNotFoundError, UnknownClaimError
    from .importing import import_table
    from .loading import Ledger, default_ledger_path, ledger_from_frames, load_ledger
    from .page import build_report, report_html, write_report
    from .results import (
        Assumptions,
        BucketTotal,
        ClaimComparison,
        ClaimReport,
        ClaimsOverview,
        ConflictAddition,
        ImportReport,
        Issue,
        ValidationReport,
        ValueRange,
    )
    from .validation import require_valid, validate_ledger


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'drone_ledger' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
