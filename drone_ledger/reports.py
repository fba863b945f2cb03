"""Plain result objects: what the library returns and every view serialises.

No pandas at import time: the CLI's help path imports this module.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from .scopes import split_list

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Issue:
    """One problem found in the data: where it is, a stable code, and what to do.

    ``line`` is the line number a researcher sees in an editor (the header is
    line 1), not a DataFrame index; it is None for file- or table-level issues.
    """

    table: str
    file: str
    line: int | None
    column: str | None
    code: str
    value: str | None
    message: str
    severity: str = "error"

    def location(self) -> str:
        """Return ``file:line`` (plus the column) for messages."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} [{self.column}]" if self.column else where

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as JSON-ready dict."""
        return asdict(self)


@dataclass
class ValidationReport:
    """Every issue in a ledger, errors and warnings, found in one pass."""

    ledger: str
    issues: list[Issue] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        """Issues that make the ledger invalid."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """Issues worth a look that do not invalidate the ledger."""
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def exit_code(self) -> int:
        """0 when valid, 1 when the data has errors."""
        return 0 if self.valid else 1

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "ledger": self.ledger,
            "valid": self.valid,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "rows": dict(self.tables),
            "issues": [i.to_dict() for i in self.issues],
        }


def clean_number(value: float | None, digits: int = 2) -> float | None:
    """Round a float for JSON; NaN and None become None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


@dataclass(frozen=True)
class ValueRange:
    """A low / central / high dollar range in one dollar year."""

    low: float
    central: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        """Return the range rounded to cents."""
        return {"low": clean_number(self.low), "central": clean_number(self.central), "high": clean_number(self.high)}


@dataclass
class BucketTotal:
    """Items and value of one group of losses (a claim bucket, a family, a category)."""

    name: str
    items: int
    items_costed: int
    items_uncosted: int
    items_possibly_in_period: int
    value: ValueRange
    share_of_claim: ValueRange | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the bucket as a JSON-ready dict."""
        return {
            "name": self.name,
            "items": self.items,
            "items_costed": self.items_costed,
            "items_uncosted": self.items_uncosted,
            "items_possibly_in_period": self.items_possibly_in_period,
            "value_usd": self.value.to_dict(),
            "share_of_claim": None
            if self.share_of_claim is None
            else {k: clean_number(v, 6) for k, v in asdict(self.share_of_claim).items()},
        }


@dataclass(frozen=True)
class Assumptions:
    """Every choice that moves a dollar figure; printed with every result.

    Parameters
    ----------
    dollar_year:
        Year to express prices in; None means the claim's own year.
    applicability:
        Which price observations count: ``direct`` only by default; add
        ``upper_reference`` and/or ``floor_reference`` to widen the range.
    damaged_weight:
        Fraction of a unit's value counted for a damaged item (1.0 = full).
    attributed_confidences:
        Attribution confidences that count as attributed; others are treated
        as unattributed and listed separately.
    include_possibly_in_period:
        Whether losses whose date is too coarse to place inside the claim's
        period (whole-war aggregates, month dates) count toward it.
    """

    dollar_year: int | None = None
    applicability: tuple[str, ...] = ("direct",)
    damaged_weight: float = 1.0
    attributed_confidences: tuple[str, ...] = ("high", "medium", "low")
    include_possibly_in_period: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Return the assumptions as a JSON-ready dict."""
        data = asdict(self)
        data["applicability"] = list(self.applicability)
        data["attributed_confidences"] = list(self.attributed_confidences)
        return data


def format_usd(value: float) -> str:
    """Format dollars compactly: $1.0bn, $189.9M, $72.1k."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"${value / size:,.1f}{suffix}"
    return f"${value:,.0f}"


MEANS_LABELS = {
    "all": "any means",
    "drones": "drones (all types)",
    "armed-drones": "armed drones (type not named)",
    "turkish-supplied": "Turkish-supplied systems",
    "turkish-supplied-drones": "Turkish-supplied drones",
}


def means_label(scope: str) -> str:
    """A readable name for a claim's ``scope_systems``."""
    return " or ".join(MEANS_LABELS.get(token, token) for token in split_list(scope))
