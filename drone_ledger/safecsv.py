"""The one writer of every CSV drone-ledger emits for people to open: formula-safe cells.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and Excel also one that starts with a tab or a carriage return (CSV
injection). Every CSV the tool prints or writes for a reader — ``export``, the
``--format csv`` views of ``claims``, ``validate``, ``trace``, ``breakdown`` and
``sensitivity``, and the rejects file of an import — goes through
:func:`safe_csv_text`, which puts an apostrophe before such a text cell (the
OWASP advice), so the spreadsheet shows it as text.

Two decisions, so that data survives the trip:

* **Numbers are not formulas.** A value that is a number (``-5``, ``-0.25``,
  ``1e-3``) is written as it is, and so is a text cell that *is* a plain decimal
  number (``"-13"``, the value of an ``out-of-range`` issue): a spreadsheet reads
  it as that number and runs nothing. ``"-1+1"``, ``"-2 tanks"``, ``"-inf"`` are
  not plain numbers and get the apostrophe.
* **The ledger's own tables are data, not output**: they are written by
  :func:`drone_ledger.storage.csv_text` exactly as they are, and read back the
  same. Parquet exports keep values as they are too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .storage import csv_text

if TYPE_CHECKING:
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: A plain decimal number, as a spreadsheet reads one: optional sign, digits, optional fraction and exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutralise(value: Any) -> Any:
    """Prefix a text cell a spreadsheet would run as a formula with an apostrophe; leave anything else alone.

    Numbers, and text that is a plain decimal number such as ``"-5"``, are left as they are (see the module's
    docstring).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """CSV text (LF line ends, minimal quoting) with every cell and header neutralised; ``None`` is empty."""
    safe_rows = [{k: neutralise(v) for k, v in row.items()} for row in rows]
    return csv_text([neutralise(c) for c in columns], _renamed(columns, safe_rows))


def _renamed(columns: Sequence[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows keyed by the neutralised header names (a header cell can itself look like a formula)."""
    renames = {c: neutralise(c) for c in columns if neutralise(c) != c}
    if not renames:
        return rows
    return [{renames.get(k, k): v for k, v in row.items()} for row in rows]


def frame_csv_text(frame: pd.DataFrame) -> str:
    """A DataFrame as formula-safe CSV: missing values empty, numbers as numbers, text neutralised."""
    cells = frame.astype(object).where(frame.notna(), None)
    cells.columns = [str(c) for c in frame.columns]
    return safe_csv_text(list(cells.columns), cells.to_dict("records"))  # type: ignore[arg-type]


def rows_csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows given as sequences (in header order) as formula-safe CSV."""
    return safe_csv_text(header, [dict(zip(header, row, strict=True)) for row in rows])
