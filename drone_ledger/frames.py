"""Whole-column helpers that keep per-row work off the Python interpreter.

A ledger of a million losses holds a few thousand distinct (model, category, side) or (date, precision,
conflict) combinations. Rules that depend only on such columns are worked out once per distinct combination and
broadcast back to every row with one array ``take``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa


def distinct_rows(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Return each row's code and the distinct combinations of ``columns`` (row ``code`` of the second).

    Combinations are numbered in order of first appearance; empty cells count as a value of their own, as in
    ``drop_duplicates``. Each column is dictionary-encoded by Arrow and the codes are combined arithmetically (no
    multi-column group-by on text).
    """
    rows = len(frame)
    if rows == 0:
        return np.zeros(0, dtype=np.intp), frame[columns].reset_index(drop=True)
    codes = np.zeros(rows, dtype=np.int64)
    space = 1
    for column in columns:
        labels, size = _labels(frame[column])
        if space * size >= 2**62:  # keep the combined codes inside int64: renumber what we have so far
            codes, seen = pd.factorize(codes)
            space = len(seen)
        codes = codes * size + labels
        space *= size
    numbered, distinct = pd.factorize(codes)  # numbered by first appearance
    first = np.empty(len(distinct), dtype=np.int64)
    first[numbered[::-1]] = np.arange(rows - 1, -1, -1)  # the last write wins: each code's first row
    return numbered, frame[columns].iloc[first].reset_index(drop=True)


def encode(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Each row's code and the distinct values of a text column, numbered in order of first appearance (empty
    cells are None, a value of their own). Arrow dictionary-encodes the column, without a Python object per row."""
    try:
        arrow = arrow_text(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return codes.astype(np.int64), [None if _missing(u) else u for u in uniques]
    encoded = arrow.combine_chunks().dictionary_encode(null_encoding="encode")
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _labels(values: pd.Series) -> tuple[np.ndarray, int]:
    """Integer labels 0..size-1 for a column's values, empty cells included as a label."""
    try:
        arrow = arrow_text(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        labels, uniques = pd.factorize(values, use_na_sentinel=False)
        return labels.astype(np.int64), max(len(uniques), 1)
    encoded = arrow.combine_chunks().dictionary_encode(null_encoding="encode")
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), max(len(encoded.dictionary), 1)


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
