"""Whole-column helpers that keep per-row work off the Python interpreter.

A ledger of a million losses holds a few thousand distinct (model, category, side) or (date, precision,
conflict) combinations. Rules that depend only on such columns are worked out once per distinct combination and
broadcast back to every row with one array ``take``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa


def distinct_rows(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Return each row's code and the distinct combinations of ``columns`` (row ``code`` of the second).

    Empty cells count as a value of their own, as in ``drop_duplicates``.
    """
    if frame.empty:
        return np.zeros(0, dtype=np.intp), frame[columns].reset_index(drop=True)
    codes = frame.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    _, first = np.unique(codes, return_index=True)
    return codes, frame[columns].iloc[first].reset_index(drop=True)


def by_distinct(
    frame: pd.DataFrame, columns: list[str], compute: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    """Apply ``compute`` to the distinct combinations of ``columns`` and give every row its combination's result.

    ``compute`` receives a frame of distinct combinations (index 0..k-1) and returns a frame with the same index.
    """
    codes, distinct = distinct_rows(frame, columns)
    result = compute(distinct)
    out = result.iloc[codes]
    out.index = frame.index
    return out


def arrow_text(values: pd.Series) -> pa.ChunkedArray:
    """A text column as Arrow large strings: pandas' own Arrow buffers when it has them (no copy), else converted.

    Raises ``pyarrow.ArrowInvalid`` or ``ArrowTypeError`` when the column is not text.
    """
    array = values.array
    if hasattr(array, "__arrow_array__"):
        converted = array.__arrow_array__()
        arrow = converted if isinstance(converted, pa.ChunkedArray) else pa.chunked_array([converted])
    else:
        arrow = pa.chunked_array([pa.array(values.to_numpy(dtype=object), from_pandas=True)])
    return arrow if arrow.type == pa.large_string() else arrow.cast(pa.large_string())
