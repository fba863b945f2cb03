"""A table checked against its declaration (:mod:`drone_ledger.layout`): fast in Arrow, reported by Pandera.

* :func:`surely_valid` answers "would Pandera find nothing wrong with this table?" with Arrow and numpy kernels,
  reading the rules the declaration gives each column. A valid table (the usual case) needs nothing more.
* :func:`pandera_schema` is the same declaration as a Pandera schema, run only to report what is wrong: its
  failure cases become issues in :mod:`drone_ledger.validation`.

tests/test_validation.py checks on random tables that the two agree.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from .frames import arrow_text
from .layout import INTEGER, NUMBER, Column, TableSpec

if TYPE_CHECKING:
    import pandera.pandas as pa

#: The pandas dtype a column of each type is read as (drone_ledger.loading).
DTYPES = {"text": "str", INTEGER: "Int64", NUMBER: "Float64"}


def surely_valid(spec: TableSpec, frame: pd.DataFrame, missing: tuple[str, ...] = ()) -> bool:
    """True only if every rule ``spec`` declares passes on ``frame``: what :func:`pandera_schema` would find.

    Each column's rules are evaluated with Arrow and numpy kernels — its type, empty cells, uniqueness, pattern
    (Arrow's RE2, as pandas itself runs it on Arrow strings), allowed values and bounds. Columns in ``missing``
    (reported as missing by the loader) are not checked. Whenever it is not sure (a column of another type than
    the loader gives, a column name twice) it answers False, and so does any failure: Pandera then reports it.
    """
    if frame.columns.has_duplicates:
        return False
    for column in spec.fields:
        if column.name in missing:
            continue
        if column.name not in frame.columns:
            if column.may_be_left_out:
                continue
            return False
        series = frame[column.name]
        if series.dtype != DTYPES[column.type]:
            return False
        empty = series.isna().to_numpy(dtype=bool)
        if column.required and empty.any():
            return False
        if column.unique and not _all_distinct(series):
            return False
        if not empty.all() and not _rules_pass(column, series, empty):
            return False
    return True


def _all_distinct(series: pd.Series) -> bool:
    """No value twice (two empty cells are the same value, as in ``Series.duplicated``)."""
    try:
        return bool(pc.count_distinct(arrow_text(series), mode="all").as_py() == len(series))
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError):
        return not bool(series.duplicated().any())


_BOUNDS: dict[str, Callable[[np.ndarray, Any], np.ndarray]] = {
    "minimum": lambda values, bound: values >= bound,
    "above": lambda values, bound: values > bound,
    "maximum": lambda values, bound: values <= bound,
}


def _rules_pass(column: Column, series: pd.Series, empty: np.ndarray) -> bool:
    """Whether a column's pattern, allowed values and bounds hold on its non-empty cells (empty ones are skipped)."""
    try:
        if column.pattern is not None:
            pattern = column.pattern if column.pattern.startswith("^") else f"^{column.pattern}"  # as re.match
            matched = pc.match_substring_regex(arrow_text(series), pattern=pattern)  # empty cells: null
            if not pc.all(matched).as_py():
                return False
        if column.allowed is not None:
            allowed = pyarrow.array(list(column.allowed), type=pyarrow.large_string())
            cells = arrow_text(series)
            if not pc.all(pc.or_kleene(pc.is_in(cells, value_set=allowed), pc.is_null(cells))).as_py():
                return False
        bounds = [(name, getattr(column, name)) for name in _BOUNDS if getattr(column, name) is not None]
        if bounds:
            values = (series[~empty] if empty.any() else series).to_numpy()
            if np.isnan(values.astype(np.float64)).any():
                return False
            return all(bool(_BOUNDS[name](values, bound).all()) for name, bound in bounds)
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError, TypeError, ValueError):
        return False
    return True


@functools.lru_cache(maxsize=64)
def pandera_schema(spec: TableSpec, missing: tuple[str, ...] = ()) -> pa.DataFrameSchema:
    """``spec`` as a Pandera schema (without the columns in ``missing``), to validate lazily and report.

    Columns outside the declaration are kept (the loader reports them as unknown). Pandera is imported here, when
    a table has something to report: a command whose report is cached never needs it.
    """
    import pandera.pandas as pa

    columns = {}
    for column in spec.fields:
        if column.name in missing:
            continue
        checks = []
        if column.minimum is not None:
            checks.append(pa.Check.ge(column.minimum))
        if column.above is not None:
            checks.append(pa.Check.gt(column.above))
        if column.maximum is not None:
            checks.append(pa.Check.le(column.maximum))
        if column.allowed is not None:
            checks.append(pa.Check.isin(column.allowed))
        if column.pattern is not None:
            checks.append(pa.Check.str_matches(column.pattern))
        columns[column.name] = pa.Column(
            DTYPES[column.type],
            checks,
            nullable=not column.required,
            unique=column.unique,
            required=not column.may_be_left_out,
            description=column.description,
        )
    return pa.DataFrameSchema(columns, strict=False, name=spec.name)
