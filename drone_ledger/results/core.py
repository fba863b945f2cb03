"""The building blocks every result is made of: issues, value ranges, totals, assumptions, labels.

No pandas at import time: the CLI's help path imports this module.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from drone_ledger import vocab
from drone_ledger.errors import IssueCode
from drone_ledger.scopes import split_list

if TYPE_CHECKING:
    import pandas as pd


class Severity(enum.StrEnum):
    """How much an issue matters: an error makes a ledger invalid; a warning is worth a look and nothing more."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem found in the data: where it is, a stable code, and what to do.

    ``line`` is the line number a researcher sees in an editor (the header is
    line 1), not a DataFrame index; it is None for file- or table-level issues.
    ``code`` and ``severity`` are enum members (``StrEnum``: each is also its text, so
    ``issue.code == "missing-column"`` holds); text given for them is turned into the member, and text that is
    not one is refused (ValueError).
    """

    table: str
    file: str
    line: int | None
    column: str | None
    code: IssueCode
    value: str | None
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", IssueCode(self.code))
        object.__setattr__(self, "severity", Severity(self.severity))

    def location(self) -> str:
        """Return ``file:line`` (plus the column) for messages."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} [{self.column}]" if self.column else where

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as JSON-ready dict."""
        return {**asdict(self), "code": self.code.value, "severity": self.severity.value}


@dataclass
class ValidationReport:
    """Every issue in a ledger, errors and warnings, found in one pass."""

    ledger: str
    issues: list[Issue] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        """Issues that make the ledger invalid."""
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """Issues worth a look that do not invalidate the ledger."""
        return [i for i in self.issues if i.severity is Severity.WARNING]

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

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: table, file, line, column, code, value, message, severity (in the report's order)."""
        return issues_frame(self.issues)


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """One row per issue (the columns of :class:`Issue`; lines as nullable integers)."""
    import pandas as pd

    columns = [f.name for f in fields(Issue)]
    frame = pd.DataFrame([issue.to_dict() for issue in issues], columns=columns)
    frame["line"] = frame["line"].astype("Int64")
    return frame


def records_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per record, nested dicts flattened into ``outer_inner`` columns (``value_usd_low`` …): how every
    result's ``to_frame`` turns the dicts its ``to_dict`` gives into a table."""
    import pandas as pd

    if not records:
        return pd.DataFrame()
    frame = pd.json_normalize(records, sep="_")
    # A nested figure that is missing in some records leaves an empty column beside its flattened ones: dropped.
    empty = [c for c in frame.columns if frame[c].isna().all() and any(o.startswith(f"{c}_") for o in frame.columns)]
    return frame.drop(columns=empty)


def clean_number(value: float | None, digits: int = 2) -> float | None:
    """Round a float for JSON; NaN and None become None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


@dataclass(frozen=True)
class ValueRange:
    """A low / central / high range: dollars in one dollar year, or a share of a claim."""

    low: float
    central: float
    high: float

    def to_dict(self, digits: int = 2) -> dict[str, float | None]:
        """Return the range rounded (to cents by default)."""
        return {
            "low": clean_number(self.low, digits),
            "central": clean_number(self.central, digits),
            "high": clean_number(self.high, digits),
        }

    def scaled(self, factor: float) -> ValueRange:
        """The range multiplied by ``factor`` (another dollar year, a share)."""
        return ValueRange(self.low * factor, self.central * factor, self.high * factor)

    @property
    def is_point(self) -> bool:
        """True when low and high are the same figure."""
        return self.low == self.high


def range_dict(value: ValueRange | None, digits: int = 2) -> dict[str, float | None] | None:
    """``value.to_dict(digits)``, or None."""
    return None if value is None else value.to_dict(digits)


@dataclass
class BucketTotal:
    """Items and value of one group of losses (a claim bucket, a category, a system …).

    ``inside_period`` is the part of the group that lies certainly inside the claim's period (None where no
    period applies): the rest is only *possibly* inside it, or the figure would not contain it.
    """

    name: str
    items: int
    items_costed: int
    items_uncosted: int
    items_possibly_in_period: int
    value: ValueRange
    share_of_claim: ValueRange | None = None
    inside_period: BucketTotal | None = None
    #: The part of the group its sources credit to several systems ("by X and Y"), when there is one.
    on_shared_credit: BucketTotal | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the bucket as a JSON-ready dict (``on_shared_credit`` only when some of it is)."""
        data: dict[str, Any] = {
            "name": self.name,
            "items": self.items,
            "items_costed": self.items_costed,
            "items_uncosted": self.items_uncosted,
            "items_possibly_in_period": self.items_possibly_in_period,
            "value_usd": self.value.to_dict(),
            "share_of_claim": range_dict(self.share_of_claim, 6),
        }
        if self.inside_period is not None:
            data["inside_period"] = self.inside_period.part_dict()
        if self.on_shared_credit is not None:
            data["on_shared_credit"] = self.on_shared_credit.part_dict()
        return data

    def part_dict(self) -> dict[str, Any]:
        """The total as part of another (``inside_period``, ``on_shared_credit``): without its name and its items
        possibly in the period."""
        return {k: v for k, v in self.to_dict().items() if k not in ("name", "items_possibly_in_period")}


#: Every confidence level, from the most to the least sure (``vocab.CONFIDENCES``).
CONFIDENCE_LEVELS = vocab.CONFIDENCES
#: Price-observation choices the scenarios use (see :attr:`Assumptions.price_extreme`).
PRICE_EXTREMES = ("lowest", "highest")
#: How a cost key's central unit value is made from its observations' midpoints (see :attr:`Assumptions.central`).
CENTRAL_METHODS = ("median", "mean")


@dataclass(frozen=True)
class Assumptions:
    """Every choice that moves a dollar figure; printed with every result.

    Parameters
    ----------
    dollar_year:
        Year to express dollar values in; None means the claim's own year. Shares of a claim never depend on
        it: they are computed in the claim's own dollars.
    applicability:
        Which price observations count: ``direct`` only by default; add
        ``upper_reference`` and/or ``floor_reference`` to widen the range.
    damaged_weight:
        Fraction of a unit's value counted for a damaged item (1.0 = full).
    attributed_confidences:
        Confidences at which an attribution to the claim's means counts as attributed; others are treated as
        unattributed and listed separately.
    other_confidences:
        Confidences at which an attribution to a system *outside* the claim's means takes the loss out of the
        ceiling; None: the same as ``attributed_confidences``.
    include_possibly_in_period:
        Whether losses whose date interval is not wholly inside the claim's period (whole-war tallies, month
        dates) count toward it.
    price_extreme:
        None, or ``lowest`` / ``highest``: each unit value the lowest (highest) that any choice of price
        observations gives — the price side of the worst (best) case for a claim. For the central value the
        choices include leaving one observation out and either central method.
    central:
        ``median`` (the default) or ``mean`` of the usable observations' midpoints: a cost key's central unit value.
    """

    dollar_year: int | None = None
    applicability: tuple[str, ...] = ("direct",)
    damaged_weight: float = 1.0
    attributed_confidences: tuple[str, ...] = vocab.DEFAULT_ATTRIBUTED_CONFIDENCES
    include_possibly_in_period: bool = True
    other_confidences: tuple[str, ...] | None = None
    price_extreme: str | None = None
    central: str = "median"

    @property
    def excluding_confidences(self) -> tuple[str, ...]:
        """Confidences at which an attribution elsewhere takes a loss out of the ceiling."""
        return self.attributed_confidences if self.other_confidences is None else self.other_confidences

    def to_dict(self) -> dict[str, Any]:
        """Return the assumptions as a JSON-ready dict."""
        data = asdict(self)
        data["applicability"] = list(self.applicability)
        data["attributed_confidences"] = list(self.attributed_confidences)
        data["other_confidences"] = list(self.excluding_confidences)
        return data


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


#: The parts of the unattributed bucket.
UNATTRIBUTED_PARTS = {
    "none": "no attribution at all",
    "vague": "attribution too vague to decide",
    "not-accepted": "attribution below the accepted confidence",
}
