"""Export the costed losses (every loss with its value range and the assumptions used) to CSV, Parquet or XLSX.

Text cells that a spreadsheet would execute — starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — are neutralised in CSV and XLSX by a leading
apostrophe (the OWASP advice for CSV injection). Parquet is not opened by
spreadsheets and keeps values as they are. Files are written atomically.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from .costing import cost_losses
from .errors import DroneLedgerError
from .loading import Ledger
from .reports import Assumptions
from .schemas import columns_of
from .storage import atomic_write_text, csv_text
from .validation import require_valid

EXPORT_FORMATS = ("csv", "parquet", "xlsx")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Columns of the export, in order: the loss (as in losses.csv), how it was valued, the value, the assumptions.
EXPORT_COLUMNS = [
    *columns_of("losses"),
    "effective_quantity",
    "cost_key_used",
    "cost_basis",
    "cost_assumption",
    "obs_ids",
    "n_obs",
    "unit_low",
    "unit_central",
    "unit_high",
    "value_weight",
    "value_low",
    "value_central",
    "value_high",
    "costed",
    "uncosted_reason",
    "dollar_year",
    "price_applicability",
]


class ExportError(DroneLedgerError):
    """The export cannot be written (unknown format, missing optional library, unwritable path)."""

    exit_code = 2
    code = "bad-export-request"


def neutralise(value: Any) -> Any:
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe; leave anything else alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_frame(
    ledger: Ledger | str | Path | None, dollar_year: int = 2020, assumptions: Assumptions | None = None
) -> pd.DataFrame:
    """Every loss with its value range in ``dollar_year`` USD and the assumptions used (not neutralised)."""
    loaded = require_valid(ledger)
    assumptions = assumptions or Assumptions()
    costed = cost_losses(loaded, dollar_year, assumptions)
    costed["price_applicability"] = "|".join(assumptions.applicability)
    return costed.reindex(columns=EXPORT_COLUMNS).reset_index(drop=True)


def export_losses(
    ledger: Ledger | str | Path | None,
    path: str | Path,
    file_format: str | None = None,
    dollar_year: int = 2020,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """Write the costed losses to ``path`` (format from ``file_format`` or the suffix); return what was written.

    Raises
    ------
    ExportError
        Unknown format, a missing optional library (openpyxl for XLSX), or a path whose
        directory does not exist.
    """
    target = Path(path)
    fmt = (file_format or target.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise ExportError(
            f"export to csv, parquet or xlsx (from --format or the file suffix), not {fmt or 'nothing'!r}"
        )
    if not target.parent.is_dir():
        raise ExportError(f"{target.parent} does not exist; create it or choose another path")
    frame = export_frame(ledger, dollar_year, assumptions)
    if fmt == "parquet":
        _write_binary(target, lambda stream: _to_parquet(frame, stream))
        return frame
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    if fmt == "csv":
        cells = safe.astype(object).where(safe.notna(), "")
        records: list[dict[str, Any]] = cells.to_dict("records")  # type: ignore[assignment]
        atomic_write_text(target, csv_text(list(safe.columns), records))
    else:
        _write_binary(target, lambda stream: _to_xlsx(safe, stream))
    return safe


def _to_parquet(frame: pd.DataFrame, stream: io.BufferedWriter) -> None:
    frame.to_parquet(stream, index=False)  # pyarrow is a core dependency


def _to_xlsx(frame: pd.DataFrame, stream: io.BufferedWriter) -> None:
    try:
        frame.to_excel(stream, index=False, sheet_name="losses", engine="openpyxl")
    except ImportError as exc:
        raise ExportError("XLSX needs openpyxl: pip install 'drone-ledger[export]'") from exc


def _write_binary(target: Path, write: Any) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
