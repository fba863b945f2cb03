"""Costing on the mini ledger, whose figures are worked out by hand here.

CPI: 2019 = 100, 2020 = 110. T-72 direct observations: O1 100 (2019) -> 110 in
2020 dollars; O2 200-300 (2020). Unit value in 2020 USD: low 110, high 300,
central = median of midpoints (110, 250) = 180.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from drone_ledger import Assumptions, cost_losses, load_ledger, price_observations
from drone_ledger.costing import unit_values
from drone_ledger.errors import LedgerInvalidError, UnknownDollarYearError


def _by_id(frame: pd.DataFrame, column: str = "loss_id") -> pd.DataFrame:
    return frame.set_index(column)


def test_usable_observations_are_cpi_adjusted(mini: Path) -> None:
    obs = _by_id(price_observations(mini, Assumptions(dollar_year=2020)), "obs_id")
    assert obs.loc["O1", ["low_usd", "central_usd", "high_usd"]].tolist() == pytest.approx([110, 110, 110])
    assert obs.loc["O2", ["low_usd", "central_usd", "high_usd"]].tolist() == pytest.approx([200, 250, 300])


@pytest.mark.parametrize(
    ("obs_id", "reason"),
    [
        ("O3", "excluded-applicability"),
        ("O4", "unusable-currency"),
        ("O5", "missing-price-year"),
        ("O6", "no-price-found"),
    ],
)
def test_unusable_observations_say_why(mini: Path, obs_id: str, reason: str) -> None:
    obs = _by_id(price_observations(mini, Assumptions(dollar_year=2020)), "obs_id")
    assert not obs.loc[obs_id, "usable"]
    assert obs.loc[obs_id, "unusable_reason"] == reason
    assert math.isnan(obs.loc[obs_id, "central_usd"])


def test_unit_value_is_min_median_max(mini: Path) -> None:
    values = unit_values(price_observations(mini, Assumptions(dollar_year=2020)))
    assert values.loc["T-72", ["unit_low", "unit_central", "unit_high"]].tolist() == pytest.approx([110, 180, 300])
    assert values.loc["T-72", "obs_ids"] == "O1;O2"
    assert values.loc["BMP-2", "uncosted_reason"] == "unusable-currency"


def test_other_dollar_year(mini: Path) -> None:
    values = unit_values(price_observations(mini, Assumptions(dollar_year=2019)))
    # O1 stays 100; O2 200-300 becomes 181.82-272.73 (x 100/110); midpoints 100 and 227.27.
    assert values.loc["T-72", ["unit_low", "unit_central", "unit_high"]].tolist() == pytest.approx(
        [100, (100 + 2500 / 11) / 2, 3000 / 11]
    )


def test_upper_references_widen_the_range(mini: Path) -> None:
    assumptions = Assumptions(dollar_year=2020, applicability=("direct", "upper_reference"))
    values = unit_values(price_observations(mini, assumptions))
    assert values.loc["T-72", ["unit_low", "unit_central", "unit_high"]].tolist() == pytest.approx([110, 250, 1000])


def test_dollar_year_without_cpi_is_refused(mini: Path) -> None:
    with pytest.raises(UnknownDollarYearError, match="cpi.csv has no figure for 1985 \\(it covers 2019-2020\\)"):
        price_observations(mini, Assumptions(dollar_year=1985))


def test_losses_are_valued_by_model_family_and_proxy(mini: Path) -> None:
    costed = _by_id(cost_losses(load_ledger(mini), Assumptions(dollar_year=2020)))
    assert costed.loc["L1", ["cost_key_used", "cost_basis"]].tolist() == ["T-72", "model"]
    assert costed.loc["L1", ["value_low", "value_central", "value_high"]].tolist() == pytest.approx([220, 360, 600])
    assert costed.loc["L2", ["cost_key_used", "cost_basis"]].tolist() == ["T-72", "model-family"]
    assert costed.loc["L4", ["cost_key_used", "cost_basis"]].tolist() == ["T-72", "category-proxy"]
    assert "priced as T-72" in costed.loc["L4", "cost_assumption"]


def test_counted_in_rows_are_netted_from_their_aggregate(mini: Path) -> None:
    costed = _by_id(cost_losses(load_ledger(mini), Assumptions(dollar_year=2020)))
    assert costed.loc["L4", "quantity"] == 5
    assert costed.loc["L4", "effective_quantity"] == 4  # L8 (1 item) is counted in L4
    assert costed.loc["L4", "value_central"] == pytest.approx(4 * 180)


def test_uncosted_is_never_zero(mini: Path) -> None:
    costed = _by_id(cost_losses(load_ledger(mini), Assumptions(dollar_year=2020)))
    assert not costed.loc["L3", "costed"]
    assert costed.loc["L3", "uncosted_reason"] == "unusable-currency"
    assert math.isnan(costed.loc["L3", "value_central"])


def test_damaged_weight_scales_damaged_items_only(mini: Path) -> None:
    costed = _by_id(cost_losses(mini, Assumptions(dollar_year=2020, damaged_weight=0.5)))
    assert costed.loc["L6", "value_central"] == pytest.approx(90)  # damaged: 0.5 x 180
    assert costed.loc["L5", "value_central"] == pytest.approx(180)  # destroyed: full value


def test_explicit_cost_key_wins(mini: Path) -> None:
    losses = (
        (mini / "losses.csv")
        .read_text()
        .replace(
            "unattributed,,aggregate,,,,test,https://example.org/l3",
            "unattributed,,aggregate,,,T-72,test,https://example.org/l3",
        )
    )
    (mini / "losses.csv").write_text(losses)
    costed = _by_id(cost_losses(load_ledger(mini), Assumptions(dollar_year=2020)))
    assert costed.loc["L3", ["cost_key_used", "cost_basis"]].tolist() == ["T-72", "explicit"]
    assert costed.loc["L3", "value_central"] == pytest.approx(3 * 180)


def test_each_assumption_has_one_source(mini: Path) -> None:
    """The dollar year comes from the assumptions (by default the first year of the ledger's earliest conflict,
    2020 here), never from a second argument that could disagree with them."""
    ledger = load_ledger(mini)
    with pytest.raises(TypeError):
        cost_losses(ledger, 2020, Assumptions(dollar_year=2019))  # type: ignore[call-arg]
    default = _by_id(cost_losses(ledger))
    in_2019 = _by_id(cost_losses(ledger, Assumptions(dollar_year=2019)))
    assert (default["dollar_year"] == 2020).all() and (in_2019["dollar_year"] == 2019).all()
    # L1: 2 T-72s; the 2019 unit value is 100 (O1) .. 3000/11 (O2's 300 x 100/110), central (100 + 2500/11) / 2.
    assert in_2019.loc["L1", ["value_low", "value_central", "value_high"]].tolist() == pytest.approx(
        [200, 100 + 2500 / 11, 6000 / 11]
    )
    assert default.loc["L1", "value_central"] == pytest.approx(360)


def test_an_invalid_ledger_is_never_costed(mini: Path) -> None:
    losses = load_ledger(mini)["losses"]
    losses.loc[0, "quantity"] = -13
    broken = load_ledger(mini).replace(losses=losses)
    with pytest.raises(LedgerInvalidError):
        cost_losses(broken)
    with pytest.raises(LedgerInvalidError):
        price_observations(broken)
