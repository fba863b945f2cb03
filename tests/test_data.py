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


def test_unit_costs_equal_the_gathered_observations(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "unit_cost_observations.csv")
    bundled = data["unit_costs"][list(source.columns)]
    figures = [c for c in source.columns if c not in ("applicability", "notes")]
    pd.testing.assert_frame_equal(bundled[figures], source[figures])  # every figure exactly as gathered
    # The ageing rule: the direct observations priced before 2000 (more than 20 years before the 2020 war) are
    # read as upper references: P01 (T-72, 1994-96) and P38 (Su-25TM, 1998), as the sources read P22 (1998).
    changed = bundled[bundled["applicability"].ne(source["applicability"])]
    assert changed["obs_id"].tolist() == ["P01", "P38"]
    assert set(source.loc[changed.index, "applicability"]) == {"direct"}
    assert set(changed["applicability"]) == {"upper_reference"}
    for index in changed.index:
        assert bundled.loc[index, "notes"].startswith(source.loc[index, "notes"] + " Ageing rule")
    same = bundled.index.difference(changed.index)
    assert bundled.loc[same, "notes"].tolist() == source.loc[same, "notes"].tolist()
    kept = source[source["applicability"].eq("direct") & source["price_year"].ne("")]
    assert kept.loc[kept.index.difference(changed.index), "price_year"].astype(int).min() >= 2000


def test_each_war_s_categories_come_from_its_own_sources(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    categories = data["categories"]
    assert set(categories["conflict"]) == {"karabakh-2020"}
    listed = set(categories["category"])
    # Oryx's tallies (3 per side + An-2 decoys), the six reports, the claims' scopes, and the helicopters the
    # Armenian MoD's release names: nothing from Oryx's 2022 headings that no 2020 source uses.
    assert {"Tanks", "Armoured Fighting Vehicles", "Trucks, Vehicles and Jeeps", "Aircraft"} <= listed
    assert {"Infantry Fighting Vehicles", "Self-Propelled Artillery", "Surface-To-Air Missile Systems"} <= listed
    assert {"Towed Artillery", "Multiple Rocket Launchers", "Unmanned Aerial Vehicles", "Helicopters"} <= listed
    assert not listed & {"Naval Ships", "Mine-Resistant Ambush Protected", "Infantry Mobility Vehicles"}
    assert len(listed) == 15
    sources = {
        row["source_url"]
        for name in ("oryx_category_totals", "reported_attributions", "claims")
        for row in _read(shared_sources / f"{name}.csv").to_dict("records")
    }
    for urls in categories["source_urls"]:
        assert set(urls.split()) <= sources
    afv = categories.set_index("category").loc["Armoured Fighting Vehicles"]
    assert afv["may_include"] == "Infantry Fighting Vehicles"


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
    assert data["claims"][columns].values.tolist() == source[columns].values.tolist()


def test_oryx_tallies_equal_the_source(data: dict[str, pd.DataFrame], shared_sources: Path) -> None:
    source = _read(shared_sources / "oryx_category_totals.csv")
    ledger = load_ledger(BUNDLED)
    losses = ledger["losses"]
    aggregates = ledger["aggregates"]
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
    assert data["category_proxies"][columns].values.tolist() == source[columns].values.tolist()


def test_build_script_reproduces_data(tmp_path: Path, shared_sources: Path) -> None:
    import runpy

    build = runpy.run_path(str(BUNDLED.parent / "scripts" / "build_bundled_ledger.py"))["build"]
    build(shared_sources, tmp_path)
    for path in BUNDLED.glob("*.csv"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
