"""The bundled ledger holds only sourced figures.

Without ../shared: every row that carries a figure names an http(s) source.
With ../shared/sources: every figure equals the gathered source it was transcribed from.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import BUNDLED

from drone_ledger import load_ledger


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return {p.stem: _read(p) for p in BUNDLED.glob("*.csv")}


def test_every_figure_names_its_source(data: dict[str, pd.DataFrame]) -> None:
    url = r"^https?://\S+$"
    assert data["losses"]["source_url"].str.match(url).all()
    assert data["aggregates"]["source_url"].str.match(url).all()
    assert data["claims"]["source_url"].str.match(url).all()
    assert data["cpi"]["source_url"].str.match(url).all()
    priced = data["unit_costs"][data["unit_costs"]["price_low"] != ""]
    assert priced["source_url"].str.match(url).all()
    assert data["category_proxies"]["source_urls"].str.match(r"^https?://").all()


def test_unknowns_stay_empty(data: dict[str, pd.DataFrame]) -> None:
    costs = data["unit_costs"].set_index("obs_id")
    assert costs.loc["P12", ["price_low", "price_high", "currency"]].tolist() == ["", "", ""]  # BRDM-2: no price
    assert costs.loc["P28", "price_year"] == ""  # the source gives no year: not guessed
    claims = data["claims"].set_index("claim_id")
    assert claims.loc["AZ-POSTWAR-CAERC", "claim_date"] == ""


def _of_war(frame: pd.DataFrame, conflict: str) -> pd.DataFrame:
    return frame[frame["conflict"].eq(conflict)].reset_index(drop=True)


def test_unit_costs_equal_the_gathered_observations(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "unit_cost_observations.csv")
    pd.testing.assert_frame_equal(_of_war(data["unit_costs"], "karabakh-2020")[list(source.columns)], source)


def test_cpi_equals_the_gathered_series(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "cpi_u.csv")
    assert data["cpi"][["year", "cpi_u_annual_avg", "source"]].values.tolist() == source.values.tolist()


def test_claims_equal_the_gathered_claims(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "claims.csv")
    columns = [
        "claim_id",
        "claimant",
        "claim_date",
        "amount",
        "unit",
        "bound",
        "period_start",
        "period_end",
        "quote",
        "source_url",
        "confidence",
        "notes",
    ]
    assert _of_war(data["claims"], "karabakh-2020")[columns].values.tolist() == source[columns].values.tolist()


def test_oryx_tallies_equal_the_source(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "oryx_category_totals.csv")
    ledger = load_ledger(BUNDLED)
    losses = ledger["losses"][ledger["losses"]["conflict"].eq("karabakh-2020")]
    aggregates = ledger["aggregates"][ledger["aggregates"]["conflict"].eq("karabakh-2020")]
    assert sorted(aggregates["total_as_printed"].astype(int)) == sorted(source["total"].astype(int))
    tallied = losses[losses["aggregate_id"].notna()]
    for row in source.itertuples():
        side = tallied[tallied["side_losing"].eq(row.side_losing)]
        agg = aggregates[
            aggregates["side_losing"].eq(row.side_losing) & aggregates["total_as_printed"].eq(int(row.total))
        ]
        assert len(agg) == 1, row
        parts = side[side["aggregate_id"].eq(agg["aggregate_id"].iloc[0])]
        for status in ("destroyed", "damaged", "captured", "abandoned"):
            figure = getattr(row, status)
            got = parts.loc[parts["status"].eq(status), "quantity"]
            assert (got.tolist() == [int(figure)]) if figure else got.empty, (row.oryx_category, status)
        if not any(getattr(row, s) for s in ("destroyed", "damaged", "captured", "abandoned")):
            assert parts[["status", "quantity"]].values.tolist() == [["unknown", int(row.total)]]


def test_reported_attributions_equal_the_source(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "reported_attributions.csv")
    losses = data["losses"].set_index("loss_id")
    for row in source.itertuples():
        loss = losses.loc[f"report-{row.report_id.lower()}"]
        assert (loss["quantity"], loss["status"], loss["model"], loss["source_url"]) == (
            row.count,
            row.status,
            row.model,
            row.source_url,
        )
    tb2 = losses.loc["report-r06"]
    assert (tb2["attributed_system"], tb2["attribution_confidence"]) == ("bayraktar-tb2", "unverified")


def test_category_proxy_equals_the_source(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "category_cost_proxies.csv")
    columns = ["side_losing", "cost_key", "basis", "source_urls", "confidence"]
    proxies = _of_war(data["category_proxies"], "karabakh-2020")
    assert proxies[columns].values.tolist() == source[columns].values.tolist()


def test_build_script_reproduces_data(tmp_path: Path, shared_sources: Path) -> None:
    import runpy

    build = runpy.run_path(str(BUNDLED.parent / "scripts" / "build_bundled_ledger.py"))["build"]
    build(shared_sources, tmp_path)
    for path in BUNDLED.glob("*.csv"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


# --- the second war: the TB2's record in Ukraine (2022) -------------------------------------------------------------


@pytest.fixture
def ukraine_sources(shared_sources: Path) -> Path:
    """../shared/sources/ukraine_2022, or skip when shared/ is not beside the repository."""
    path = shared_sources.parent / "ukraine_2022"
    if not path.is_dir():
        pytest.skip(f"needs the gathered sources at {path}")
    return path


def test_2022_claims_equal_the_gathered_claims(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    source = _read(ukraine_sources / "claims.csv")
    columns = [
        *("claim_id", "claimant", "claimant_side", "claim_date", "outlet", "metric", "amount", "unit", "bound"),
        *("period_start", "period_end", "quote", "source_url", "confidence", "notes"),
    ]
    claims = _of_war(data["claims"], "ukraine-2022")
    assert claims[columns].values.tolist() == source[columns].values.tolist()
    assert len(claims) == 22
    undated = claims.set_index("claim_id").loc["UA-2022-03-SUMY-LEBEDYN-TANKS"]
    assert (undated["claim_date"], undated["period_start"], undated["period_end"]) == ("", "", "")  # never filled in
    assert set(claims["scope_side"]) == {"Russia"}
    forbes = claims[claims["claim_id"].str.startswith("FORBES")]
    assert set(forbes["scope_systems"]) == {"all"}  # all means, not the TB2: labelled so
    assert forbes["scope_note"].str.startswith("all means, not the TB2").all()


def test_2022_prices_equal_the_gathered_observations(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    source = _read(ukraine_sources / "unit_cost_observations.csv")
    costs = _of_war(data["unit_costs"], "ukraine-2022")
    pd.testing.assert_frame_equal(costs[list(source.columns)], source)
    own = costs.loc[costs["stated_in_claim"].ne(""), ["obs_id", "stated_in_claim"]].values.tolist()
    assert own == [[o, "UA-2022-09-03-ZALUZHNYI-TB2-VALUE"] for o in ("U01", "U14", "U23", "U25")]
    assert set(_of_war(data["unit_costs"], "karabakh-2020")["obs_id"]) == {f"P{n:02d}" for n in range(1, 42)}


def test_exchange_rates_equal_the_gathered_rates(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    source = _read(ukraine_sources / "exchange_rates.csv")
    pd.testing.assert_frame_equal(data["exchange_rates"], source[list(data["exchange_rates"].columns)])
    not_gathered = data["exchange_rates"][data["exchange_rates"]["currency"].isin(["GBP", "EUR"])]
    assert not_gathered["units_per_usd"].eq("").all()  # no rate found: left empty, the prices stay unusable
