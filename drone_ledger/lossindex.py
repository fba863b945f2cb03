"""The columns a claim's scope reads, numbered once per ledger, so that a claim is a few array lookups.

A comparison selects the losses in a claim's scope (its conflict, side, statuses, equipment, period and means)
and totals them a dozen ways. Each such column is dictionary-encoded once (Arrow, no Python object per row) and
kept with the ledger's other facts (:class:`drone_ledger.context.LedgerFacts`): a claim decides each rule once
per *distinct value* (a few dozen statuses, categories, models, systems, date intervals) and broadcasts the
answer to every loss with one ``take``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .frames import arrow_text, distinct_rows, encode


@dataclass(frozen=True)
class Coded:
    """A text column as codes: ``values[codes[i]]`` is row ``i``'s value (None for an empty cell)."""

    codes: np.ndarray
    values: list[Any]

    @classmethod
    def of(cls, column: pd.Series) -> Coded:
        """Encode a text column."""
        codes, values = encode(column)
        return cls(codes, values)

    def where(self, test: Callable[[Any], bool]) -> np.ndarray:
        """Rows whose value passes ``test``, decided once per distinct value."""
        table = np.fromiter((bool(test(v)) for v in self.values), dtype=bool, count=len(self.values))
        return table[self.codes] if len(table) else np.zeros(len(self.codes), dtype=bool)

    def isin(self, wanted: Collection[Any]) -> np.ndarray:
        """Rows whose value is one of ``wanted`` (an empty cell never is, as with pandas' ``isin``)."""
        return self.where(lambda value: value is not None and value in wanted)

    def eq(self, wanted: object) -> np.ndarray:
        """Rows whose value equals ``wanted``."""
        return self.where(lambda value: value is not None and value == wanted)

    def at(self, rows: np.ndarray) -> list[Any]:
        """The values of ``rows``, as Python objects."""
        return [self.values[code] for code in self.codes[rows].tolist()]

    def distinct(self, rows: np.ndarray) -> list[Any]:
        """The distinct values among ``rows`` (in code order)."""
        return [self.values[code] for code in np.unique(self.codes[rows]).tolist()]


@dataclass
class LossIndex:
    """A ledger's losses as codes and arrays (one entry per loss, in the order of losses.csv)."""

    rows: int
    conflict: Coded
    side: Coded
    status: Coded
    category: Coded
    model: Coded
    system: Coded  # attributed_system
    confidence: Coded  # attribution_confidence
    has_aggregate: np.ndarray  # aggregate_id present
    whole_war: np.ndarray  # both date bounds empty
    #: Each loss's (attributed_system, attributed_also) pair, numbered in ``attributions``.
    attribution: np.ndarray
    attributions: list[tuple[Any, Any]]
    #: Each loss's (conflict, date_earliest, date_latest), numbered; the first and last day per combination.
    dates: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    loss_id: Any = field(repr=False)  # the Arrow column, for the rows a result lists
    _rank: np.ndarray | None = field(default=None, repr=False)

    @property
    def rank(self) -> np.ndarray:
        """Each loss's place when loss ids are sorted (computed on first use)."""
        if self._rank is None:
            order = pc.sort_indices(self.loss_id).to_numpy()  # UTF-8 byte order: code-point order, as Python's
            self._rank = np.empty(self.rows, dtype=np.int64)
            self._rank[order] = np.arange(self.rows)
        return self._rank

    def shared_credit(self) -> np.ndarray:
        """Per loss: True when its source credits it to several systems ("by X and Y": ``attributed_also`` beside
        an attributed system), so no figure should read it as any one system's alone."""
        pairs = np.asarray(
            [also is not None and primary not in (None, "unattributed") for primary, also in self.attributions],
            dtype=bool,
        )
        return pairs[self.attribution] if len(pairs) else np.zeros(self.rows, dtype=bool)

    def sorted_ids(self, rows: np.ndarray) -> list[str]:
        """The loss ids of ``rows``, sorted (as ``sorted()`` sorts them)."""
        picked = rows[np.argsort(self.rank[rows], kind="stable")]
        return [str(v) for v in self.loss_id.take(picked).to_pylist()]


def loss_interval(losses: pd.DataFrame, conflicts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The first and last day each loss can have happened on (NaT last: open, the war goes on)."""
    bounds = conflicts.drop_duplicates("conflict_id").set_index("conflict_id")
    c_start = pd.to_datetime(losses["conflict"].map(bounds["start_date"]), errors="coerce")
    c_end = pd.to_datetime(losses["conflict"].map(bounds["end_date"]), errors="coerce")
    first = pd.to_datetime(losses["date_earliest"], errors="coerce", format="%Y-%m-%d").fillna(c_start)
    last = pd.to_datetime(losses["date_latest"], errors="coerce", format="%Y-%m-%d").fillna(c_end)
    return first, last


def build_loss_index(losses: pd.DataFrame, conflicts: pd.DataFrame) -> LossIndex:
    """The :class:`LossIndex` of a (valid) ledger's losses; ``conflicts`` gives the dates of an open interval."""
    attribution, pairs = distinct_rows(losses, ["attributed_system", "attributed_also"])
    dates, distinct_dates = distinct_rows(losses, ["conflict", "date_earliest", "date_latest"])
    first, last = loss_interval(distinct_dates, conflicts)
    return LossIndex(
        rows=len(losses),
        conflict=Coded.of(losses["conflict"]),
        side=Coded.of(losses["side_losing"]),
        status=Coded.of(losses["status"]),
        category=Coded.of(losses["category"]),
        model=Coded.of(losses["model"]),
        system=Coded.of(losses["attributed_system"]),
        confidence=Coded.of(losses["attribution_confidence"]),
        has_aggregate=losses["aggregate_id"].notna().to_numpy(dtype=bool),
        whole_war=(losses["date_earliest"].isna() & losses["date_latest"].isna()).to_numpy(dtype=bool),
        attribution=attribution,
        attributions=[
            (_text(primary), _text(also))
            for primary, also in zip(pairs["attributed_system"], pairs["attributed_also"], strict=True)
        ],
        dates=dates,
        first_day=first.to_numpy(dtype="datetime64[ns]"),
        last_day=last.to_numpy(dtype="datetime64[ns]"),
        loss_id=arrow_text(losses["loss_id"]),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
