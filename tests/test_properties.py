"""Hypothesis properties of the arithmetic, on random ledgers built around the mini ledger's reference tables.

* low <= central <= high for every unit value and total; nothing negative;
* the three buckets partition the losses in scope (items and dollars);
* the ceiling is at least what is documented;
* row order does not change any figure;
* a share of a claim is the same in every dollar year;
* the worst case for a claim is at most, and the best case at least, every scenario of the sensitivity grid.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import MINI, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from drone_ledger import Assumptions, cost_losses, ledger_from_frames
from drone_ledger.analysis import sensitivity
from drone_ledger.claims import compare_claim

pytestmark = pytest.mark.long

REFERENCE = {
    name: pd.read_csv(MINI / f"{name}.csv", dtype=str, keep_default_na=False)
    for name in ("conflicts", "systems", "cpi", "claims", "category_proxies")
}
LOSS_COLUMNS = list(pd.read_csv(MINI / "losses.csv", nrows=0).columns)
COST_COLUMNS = list(pd.read_csv(MINI / "unit_costs.csv", nrows=0).columns)

observation = st.tuples(
    st.integers(min_value=0, max_value=5_000_000),
    st.integers(min_value=0, max_value=5_000_000),
    st.sampled_from(["2019", "2020"]),
    st.sampled_from(["T-72", "BMP-2"]),
)
loss = st.fixed_dictionaries(
    {
        "side_losing": st.sampled_from(["A", "B"]),
        "when": st.sampled_from(
            [
                ("2020-03-05", "2020-03-05"),  # a day
                ("2020-05-01", "2020-05-01"),
                ("2020-03-01", "2020-03-31"),  # a month
                ("", ""),  # the whole war
                ("", "2020-03-20"),  # recorded on 20 March: on or before it
                ("2020-02-25", "2020-03-05"),
            ]
        ),
        "what": st.sampled_from(
            [
                ("Tanks", "T-72"),
                ("Tanks", "T-72B"),
                ("Tanks", ""),
                ("Infantry Fighting Vehicles", "BMP-2"),
                ("Aircraft", ""),
            ]
        ),
        "quantity": st.integers(min_value=1, max_value=500),
        "status": st.sampled_from(["destroyed", "damaged", "captured", "abandoned"]),
        "attribution": st.sampled_from(
            [
                ("tb2", "high"),
                ("tb2", "unverified"),
                ("harop", "medium"),
                ("drone-unknown", "low"),
                ("unattributed", ""),
            ]
        ),
    }
)


def _ledger(observations: list[tuple[int, int, str, str]], losses: list[dict[str, object]]) -> object:
    costs = pd.DataFrame(
        [
            {
                "obs_id": f"O{i}",
                "cost_key": key,
                "model_as_reported": key,
                "category": "x",
                "price_low": min(a, b),
                "price_high": max(a, b),
                "currency": "USD",
                "price_year": year,
                "basis": "test",
                "applicability": "direct",
                "derived_from_contract_total": "no",
                "confidence": "medium",
                "source_url": "https://example.org/o",
                "notes": "",
            }
            for i, (a, b, year, key) in enumerate(observations)
        ],
        columns=COST_COLUMNS,
    )
    rows = []
    for i, spec in enumerate(losses):
        earliest, latest = spec["when"]  # type: ignore[misc]
        category, model = spec["what"]  # type: ignore[misc]
        system, confidence = spec["attribution"]  # type: ignore[misc]
        rows.append(
            {
                "loss_id": f"L{i}",
                "conflict": "war-x",
                "side_losing": spec["side_losing"],
                "date_earliest": earliest,
                "date_latest": latest,
                "category": category,
                "model": model,
                "quantity": spec["quantity"],
                "status": spec["status"],
                "status_as_reported": spec["status"],
                "attributed_system": system,
                "attribution_confidence": confidence,
                "record_kind": "aggregate",
                "aggregate_id": "",
                "counted_in": "",
                "cost_key": "",
                "source_name": "test",
                "source_url": "https://example.org/l",
                "notes": "",
            }
        )
    frames = {
        **REFERENCE,
        "unit_costs": costs,
        "losses": pd.DataFrame(rows, columns=LOSS_COLUMNS),
        "aggregates": pd.read_csv(MINI / "aggregates.csv", nrows=0),
    }
    return ledger_from_frames(frames)


ledgers = st.builds(
    _ledger,
    st.lists(observation, min_size=0, max_size=4),
    st.lists(loss, min_size=1, max_size=12),
)


@settings(max_examples=examples(20, 80))
@given(ledgers)
def test_costed_values_are_ordered_and_non_negative(ledger: object) -> None:
    costed = cost_losses(ledger, Assumptions(dollar_year=2020))  # type: ignore[arg-type]
    valued = costed[costed["costed"]]
    assert (valued["unit_low"] <= valued["unit_central"] + 1e-6).all()
    assert (valued["unit_central"] <= valued["unit_high"] + 1e-6).all()
    assert (valued[["value_low", "value_central", "value_high"]] >= 0).all().all()
    assert costed.loc[~costed["costed"], "value_central"].isna().all()  # uncosted is never zero


@settings(max_examples=examples(10, 60))
@given(ledgers, st.sampled_from(["C1", "C2", "C3"]))
def test_buckets_partition_the_scope(ledger: object, claim_id: str) -> None:
    c = compare_claim(ledger, claim_id)  # type: ignore[arg-type]
    buckets = list(c.buckets.values())
    everything = c.ceiling if c.claim["scope_systems"] == "all" else None
    total_items = sum(b.items for b in buckets)
    assert sum(b.items_costed + b.items_uncosted for b in buckets) == total_items
    assert sum(g.total.items for g in c.by_attribution) == total_items == sum(b.items for b in c.by_category)
    assert sum(b.value.central for b in c.by_category) == pytest.approx(sum(b.value.central for b in buckets))
    for b in [*buckets, c.documented, c.ceiling]:
        assert 0 <= b.value.low <= b.value.central + 1e-6 <= b.value.high + 2e-6
    assert c.ceiling.items >= c.documented.items
    assert c.ceiling.value.central >= c.documented.value.central - 1e-6
    if everything is not None:
        assert everything.items == total_items


@settings(max_examples=examples(6, 50))
@given(st.lists(observation, min_size=1, max_size=4), st.lists(loss, min_size=2, max_size=10), st.randoms())
def test_row_order_does_not_matter(
    observations: list[tuple[int, int, str, str]], losses: list[dict[str, object]], rng: object
) -> None:
    shuffled_losses = list(losses)
    shuffled_obs = list(observations)
    rng.shuffle(shuffled_losses)  # type: ignore[attr-defined]
    rng.shuffle(shuffled_obs)  # type: ignore[attr-defined]
    a = compare_claim(_ledger(observations, losses), "C2")  # type: ignore[arg-type]
    # ids follow positions, so re-key the shuffled copy's ids to keep each loss's identity.
    b = compare_claim(_ledger(shuffled_obs, shuffled_losses), "C2")  # type: ignore[arg-type]
    for name in a.buckets:
        assert a.buckets[name].items == b.buckets[name].items
        assert a.buckets[name].value.central == pytest.approx(b.buckets[name].value.central)
        assert a.buckets[name].value.low == pytest.approx(b.buckets[name].value.low)
        assert a.buckets[name].value.high == pytest.approx(b.buckets[name].value.high)
    assert [(x.name, x.items) for x in a.by_category] == [(x.name, x.items) for x in b.by_category]


cpi_series = st.lists(st.floats(min_value=50, max_value=400), min_size=8, max_size=8).map(
    lambda values: pd.DataFrame(
        {
            "year": [str(y) for y in range(2015, 2023)],
            "cpi_u_annual_avg": [f"{v:.3f}" for v in values],
            "series": "CUUR0000SA0",
            "source": "test",
            "source_url": "https://example.org/cpi",
            "notes": "",
        }
    )
)


@settings(max_examples=examples(3, 25))
@given(ledgers, cpi_series, st.sampled_from(["C1", "C2", "C3"]))
def test_shares_are_the_same_in_every_dollar_year(ledger: object, cpi: pd.DataFrame, claim_id: str) -> None:
    """A share of a claim is taken in the claim's own dollars: no dollar year CPI covers can move it."""
    frames = {name: table.frame for name, table in ledger.tables.items()}  # type: ignore[attr-defined]
    frames["cpi"] = cpi
    frames["unit_costs"] = frames["unit_costs"].assign(price_year=2019)  # a year the random CPI covers
    moved = ledger_from_frames(frames)
    base = compare_claim(moved, claim_id)  # type: ignore[arg-type]
    for year in range(2015, 2023):
        other = compare_claim(moved, claim_id, Assumptions(dollar_year=year))  # type: ignore[arg-type]
        for name in ("documented", "ceiling"):
            assert getattr(other, name).share_of_claim == getattr(base, name).share_of_claim, (year, name)


@settings(max_examples=examples(3, 30))
@given(ledgers, st.sampled_from(["C1", "C2", "C3"]))
def test_the_worst_case_is_at_most_and_the_best_at_least_every_scenario(ledger: object, claim_id: str) -> None:
    grid = sensitivity(ledger, claim_id)  # type: ignore[arg-type]
    best, worst = grid.rows[-2], grid.rows[-1]
    assert (best.group, worst.group) == ("best case for the claim", "worst case for the claim")
    for row in grid.rows:
        for name in ("documented", "ceiling"):
            low, mid, high = (getattr(r, name) for r in (worst, row, best))
            assert low.items <= mid.items <= high.items, (row.label, name)
            for level in ("low", "central", "high"):
                lo, md, hi = (getattr(t.share_of_claim, level) for t in (low, mid, high))
                assert lo <= md * (1 + 1e-9) + 1e-12 and md <= hi * (1 + 1e-9) + 1e-12, (row.label, name, level)
