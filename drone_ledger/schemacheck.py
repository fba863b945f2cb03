"""A fast answer to "would Pandera find nothing wrong with this table?", so that Pandera runs only to report.

Pandera's per-check machinery costs milliseconds per column even on a table of ten rows; a valid ledger (the
usual case) needs none of it. :func:`surely_valid` reads the checks a schema declares and evaluates them with
Arrow and numpy kernels; whenever it is not sure it answers False and :mod:`drone_ledger.validation` runs
Pandera, which then reports exactly what it always did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.engines.pandas_engine import Engine

from .frames import arrow_text


def surely_valid(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> bool:
    """True only if every check ``schema`` declares passes on ``frame``: what Pandera's validation would find.

    The declared checks are read from the schema and evaluated column by column with Arrow and numpy kernels —
    types, empty cells, uniqueness, patterns (Arrow's RE2, as pandas itself runs them on Arrow strings),
    allowed values and bounds — instead of Pandera's per-check machinery, which costs milliseconds per column
    even on a table of ten rows. Anything it does not know (another kind of check, coercion, a regex column, an
    index or table-wide check) makes it answer False, and Pandera runs as before; so does any failure, so that
    Pandera reports it. tests/test_validation.py checks on random tables that it agrees with Pandera.
    """
    if schema.checks or schema.index is not None or schema.dtype is not None or schema.unique or schema.coerce:
        return False
    if schema.strict or frame.columns.has_duplicates:
        return False
    for name, column in schema.columns.items():
        if column.regex or column.coerce or getattr(column, "parsers", None):
            return False
        if name not in frame.columns:
            if column.required:
                return False
            continue
        series = frame[name]
        if column.dtype is not None and column.dtype.check(Engine.dtype(series.dtype)) is not True:
            return False
        missing = series.isna().to_numpy(dtype=bool)
        if missing.any() and not column.nullable:
            return False
        if column.unique and not _all_distinct(series):
            return False
        if not all(_check_passes(check, series, missing) for check in column.checks):
            return False
    return True


def _all_distinct(series: pd.Series) -> bool:
    """No value twice (two empty cells are the same value, as in ``Series.duplicated``)."""
    try:
        return bool(pc.count_distinct(arrow_text(series), mode="all").as_py() == len(series))
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError):
        return not bool(series.duplicated().any())


_BOUNDS: dict[str, Callable[[np.ndarray, Any], np.ndarray]] = {
    "greater_than_or_equal_to": lambda values, bound: values >= bound,
    "greater_than": lambda values, bound: values > bound,
    "less_than_or_equal_to": lambda values, bound: values <= bound,
    "less_than": lambda values, bound: values < bound,
}


def _check_passes(check: pa.Check, series: pd.Series, missing: np.ndarray) -> bool:
    """Whether one built-in check passes on a column's non-empty cells (built-in checks ignore empty ones)."""
    if check.groupby is not None or check.element_wise or not check.ignore_na:
        return False
    if missing.all():
        return True
    stats = check.statistics or {}
    try:
        text = pd.api.types.is_string_dtype(series.dtype)
        if check.name == "str_matches" and text and isinstance(stats.get("pattern"), str):
            pattern = stats["pattern"] if stats["pattern"].startswith("^") else f"^{stats['pattern']}"
            matched = pc.match_substring_regex(arrow_text(series), pattern=pattern)  # empty cells: null, skipped
            return bool(pc.all(matched).as_py())
        if check.name == "isin" and text and all(isinstance(v, str) for v in stats.get("allowed_values", [None])):
            allowed = pyarrow.array(list(stats["allowed_values"]), type=pyarrow.large_string())
            cells = arrow_text(series)
            return bool(pc.all(pc.or_kleene(pc.is_in(cells, value_set=allowed), pc.is_null(cells))).as_py())
        if check.name in _BOUNDS and series.dtype.kind in "iuf":
            values = (series[~missing] if missing.any() else series).to_numpy()
            bound = stats.get("min_value", stats.get("max_value"))
            return bool(
                isinstance(bound, int | float)
                and not np.isnan(values.astype(np.float64)).any()
                and _BOUNDS[check.name](values, bound).all()
            )
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError, TypeError, ValueError):
        return False
    return False
