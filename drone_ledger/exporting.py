"""Export the costed losses (every loss with its value range and the assumptions used) to CSV, Parquet or XLSX.

Text cells that a spreadsheet would execute — starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — are neutralised in CSV and XLSX by a leading
apostrophe (the OWASP advice for CSV injection; :mod:`drone_ledger.safecsv`).
Parquet is not opened by spreadsheets and keeps values as they are. Files are
written atomically, get the user's umask, never replace an existing file unless
asked (``force``), and never land on a ledger's own tables.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pandas as pd

from .context import cost_losses_by_war
from .errors import ExportError, IssueCode
from .layout import columns_of
from .ledger import LedgerLike
from .results.core import Assumptions
from .safecsv import frame_csv_text, neutralise
from .storage import check_output_path, write_output

__all__ = ["EXPORT_COLUMNS", "EXPORT_FORMATS", "export_frame", "export_losses"]

EXPORT_FORMATS = ("csv", "parquet", "xlsx")
#: What an XLSX file cannot hold (openpyxl refuses these control characters).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

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


def export_frame(ledger: LedgerLike, assumptions: Assumptions | None = None) -> pd.DataFrame:
    """Every loss with its value range and the assumptions used (not neutralised).

    Values are in ``assumptions.dollar_year`` dollars, by default each loss's war's (the year it began; the
    ``dollar_year`` column says which).
    """
    assumptions = assumptions or Assumptions()
    costed = cost_losses_by_war(ledger, assumptions)
    costed["price_applicability"] = "|".join(assumptions.applicability)
    return costed.reindex(columns=EXPORT_COLUMNS).reset_index(drop=True)


def export_losses(
    ledger: LedgerLike,
    path: str | Path,
    file_format: str | None = None,
    assumptions: Assumptions | None = None,
    *,
    force: bool = False,
) -> pd.DataFrame:
    """Write the costed losses to ``path`` (format from ``file_format`` or the suffix); return what was written.

    Values are in ``assumptions.dollar_year`` dollars (default: see :func:`export_frame`).

    ``path`` must not exist unless ``force``; a directory, a device and a ledger's own files are refused even
    then. The file is written to a temporary beside it and renamed into place, with the user's umask.

    Raises
    ------
    ExportError
        Unknown format, a missing optional library (openpyxl for XLSX), a path refused as above
        (codes ``output-exists``, ``output-is-a-directory``, ``output-is-a-ledger-file`` …), or a control
        character that XLSX cannot hold.
    LedgerWriteError
        The disk is full, the file system read-only, permission denied (nothing was written).
    """
    target = Path(path)
    fmt = (file_format or target.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise ExportError(
            f"export to csv, parquet or xlsx (from --format or the file suffix), not {fmt or 'nothing'!r}"
        )
    check_output_path(target, force, ExportError)  # before the work, so a refusal is immediate
    frame = export_frame(ledger, assumptions)
    if fmt == "parquet":
        data = _in_memory(lambda stream: _to_parquet(frame, stream))
        write_output(target, lambda stream: stream.write(data), force, ExportError)
        return frame
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    if fmt == "csv":
        text = frame_csv_text(frame)
        write_output(target, lambda stream: stream.write(text.encode("utf-8")), force, ExportError)
    else:
        _check_xlsx_cells(safe)
        data = _in_memory(lambda stream: _to_xlsx(safe, stream))
        write_output(target, lambda stream: stream.write(data), force, ExportError)
    return safe


def _in_memory(write: Callable[[IO[bytes]], object]) -> bytes:
    """The file's bytes, made in memory first: a full disk then fails one plain write, not a library's half-written
    zip or Parquet stream (whose clean-up would print warnings of its own)."""
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


def _check_xlsx_cells(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        if not (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])):
            continue
        text = frame[column].astype("str")
        bad = text.str.contains(_XLSX_ILLEGAL.pattern, regex=True, na=False)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            char = _XLSX_ILLEGAL.search(str(frame[column].iloc[row]))
            code = f"0x{ord(char.group()):02x}" if char else "a control character"
            raise ExportError(
                f"loss {frame['loss_id'].iloc[row]} has control character {code} in {column}, which an XLSX file "
                f"cannot hold ({int(bad.sum())} cell(s) in {column}); remove it from the ledger, or export to CSV or "
                "Parquet, which keep it",
                IssueCode.XLSX_CONTROL_CHARACTER,
            )


def _to_parquet(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    frame.to_parquet(stream, index=False)  # pyarrow is a core dependency


def _to_xlsx(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    try:
        frame.to_excel(stream, index=False, sheet_name="losses", engine="openpyxl")
    except ImportError as exc:
        raise ExportError("XLSX needs openpyxl: pip install 'drone-ledger[export]'") from exc
