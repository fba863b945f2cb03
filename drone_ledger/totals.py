"""Totals of selected losses — items, costed items, value range, share of a claim — from per-loss arrays.

A total is a handful of masked numpy sums. Each dollar sum adds the same values in the same order as pandas'
``Series.sum`` over the same rows (empty cells counted as 0, then numpy's pairwise sum), so every figure is
the same to the last bit as when the totals were taken on DataFrames.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .results.core import BucketTotal, ValueRange

#: Period codes: certainly inside a claim's period, possibly inside it, outside it.
IN, POSSIBLY, OUT = 0, 1, 2
PERIOD_NAMES = ("in", "possibly", "out")


@dataclass(frozen=True)
class Figures:
    """One entry per loss: effective quantity, whether it is costed, its value range, its period code."""

    quantity: np.ndarray
    costed: np.ndarray
    low: np.ndarray
    central: np.ndarray
    high: np.ndarray
    period: np.ndarray

    @classmethod
    def of_frame(cls, rows: pd.DataFrame) -> Figures:
        """The figures of a costed frame (``effective_quantity``, ``costed``, ``value_*`` and ``period``)."""
        period = rows["period"].map({name: code for code, name in enumerate(PERIOD_NAMES)})
        return cls(
            quantity=rows["effective_quantity"].to_numpy(dtype=np.int64),
            costed=rows["costed"].to_numpy(dtype=bool),
            low=rows["value_low"].to_numpy(dtype=np.float64),
            central=rows["value_central"].to_numpy(dtype=np.float64),
            high=rows["value_high"].to_numpy(dtype=np.float64),
            period=period.to_numpy(dtype=np.int8),
        )


def value_sum(values: np.ndarray) -> float:
    """pandas' ``Series.sum`` of a float column: empty cells count as 0, the rest summed pairwise in row order."""
    missing = np.isnan(values)
    return float((np.where(missing, 0.0, values) if missing.any() else values).sum())


def total(
    figures: Figures,
    name: str,
    rows: np.ndarray,
    amount: float | None = None,
    measure: str = "value",
    factor: float = 1.0,
    split_period: bool = False,
    shared: np.ndarray | None = None,
) -> BucketTotal:
    """Items and value of ``rows`` (positions, in ledger order), shown in dollars times ``factor``.

    The share of the claim is taken before the factor, in the claim's own dollars, so no dollar year moves it.
    With ``split_period`` the part certainly inside the claim's period is totalled too; with ``shared`` (per
    loss: credited to several systems, :meth:`~drone_ledger.lossindex.LossIndex.shared_credit`) the part on
    shared credit, when there is one.
    """
    on_shared = rows[shared[rows]] if shared is not None else rows[:0]
    quantity = figures.quantity[rows]
    is_costed = figures.costed[rows]
    costed = rows[is_costed]
    sums = ValueRange(
        low=value_sum(figures.low[costed]),
        central=value_sum(figures.central[costed]),
        high=value_sum(figures.high[costed]),
    )
    items = int(quantity.sum())
    share = None
    if amount:
        share = sums.scaled(1 / amount) if measure == "value" else ValueRange(*(items / amount,) * 3)
    period = figures.period[rows]
    return BucketTotal(
        name=name,
        items=items,
        items_costed=int(figures.quantity[costed].sum()),
        items_uncosted=int(quantity[~is_costed].sum()),
        items_possibly_in_period=int(quantity[period == POSSIBLY].sum()),
        value=sums.scaled(factor),
        share_of_claim=share,
        inside_period=total(figures, name, rows[period == IN], amount, measure, factor) if split_period else None,
        on_shared_credit=total(figures, name, on_shared, amount, measure, factor) if len(on_shared) else None,
    )


def groups(rows: np.ndarray, labels: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Split ``rows`` by ``labels`` (one per row): each label with its rows, still in ledger order."""
    if not len(rows):
        return []
    order = np.argsort(labels, kind="stable")
    ordered = labels[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    return [(int(ordered[s]), rows[order[s:e]]) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def keyed_groups(
    rows: np.ndarray, labels: np.ndarray, key: Callable[[int], Hashable | None]
) -> list[tuple[Any, np.ndarray]]:
    """Rows grouped by ``key(label)``, sorted by key, like a sorted pandas group-by (a None key is dropped).

    Several labels may share a key (an empty cell and ``unattributed`` both read as ``unattributed``); their rows
    are merged back into ledger order.
    """
    merged: dict[Any, list[np.ndarray]] = {}
    for label, members in groups(rows, labels):
        group_key = key(label)
        if group_key is not None:
            merged.setdefault(group_key, []).append(members)
    return [
        (group_key, parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts), kind="stable"))
        for group_key, parts in sorted(merged.items(), key=lambda item: item[0])
    ]


def breakdown(
    figures: Figures,
    rows: np.ndarray,
    labels: np.ndarray,
    name_of: Callable[[int], str | None],
    amount: float | None = None,
    measure: str = "value",
    factor: float = 1.0,
    shared: np.ndarray | None = None,
) -> list[BucketTotal]:
    """Totals per value (``name_of(label)``), largest central value first, then most items, then by name."""
    totals = [
        total(figures, str(name), members, amount, measure, factor, shared=shared)
        for name, members in keyed_groups(rows, labels, name_of)
    ]
    return sorted(totals, key=lambda b: (-b.value.central, -b.items, b.name))
