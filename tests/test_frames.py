"""frames.distinct_rows numbers combinations exactly as pandas' own first-appearance grouping does."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from drone_ledger.frames import by_distinct, distinct_rows

cells = st.one_of(st.none(), st.sampled_from(["a", "b", "é", "", " ", "a b"]))


@pytest.mark.long
@settings(max_examples=examples(100, 400))
@given(st.lists(st.tuples(cells, cells, st.one_of(st.none(), st.integers(0, 3))), max_size=30))
def test_distinct_rows_matches_a_first_appearance_group_by(rows: list[tuple[object, object, object]]) -> None:
    frame = pd.DataFrame(rows, columns=["x", "y", "n"]).astype({"x": "str", "y": "str", "n": "Int64"})
    codes, distinct = distinct_rows(frame, ["x", "y", "n"])
    expected = frame.groupby(["x", "y", "n"], dropna=False, sort=False).ngroup().to_numpy()
    assert codes.tolist() == expected.tolist()
    pd.testing.assert_frame_equal(distinct, frame[["x", "y", "n"]].drop_duplicates().reset_index(drop=True))


def test_by_distinct_gives_every_row_its_combinations_result() -> None:
    frame = pd.DataFrame({"k": ["p", "q", None, "p"], "v": [1, 2, 3, 4]}, index=[10, 11, 12, 13]).astype({"k": "str"})
    seen: list[int] = []

    def compute(distinct: pd.DataFrame) -> pd.DataFrame:
        seen.append(len(distinct))
        return pd.DataFrame({"label": distinct["k"].fillna("none") + "!"}, index=distinct.index)

    out = by_distinct(frame, ["k"], compute)
    assert seen == [3]  # p, q and the empty cell, each computed once
    assert out["label"].tolist() == ["p!", "q!", "none!", "p!"]
    assert out.index.tolist() == [10, 11, 12, 13]
