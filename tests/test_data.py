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
    bundled = _of_war(data["unit_costs"], "karabakh-2020")[list(source.columns)]
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
    categories = _of_war(data["categories"], "karabakh-2020")
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
    fits = claims.set_index("claim_id")["scope_fit"]
    assert set(fits) == {"exact", "wider", "narrower", "unrecordable"}
    assert fits["PRESS-2022-05-TELEGRAPH-800-STRIKES"] == "unrecordable"  # strikes: no loss ledger records them
    assert fits["UA-2022-03-SUMY-ODA-180"] == "wider"  # 'vehicles' read as any equipment
    assert (fits[forbes["claim_id"]] == "wider").all()  # Snake Island cannot be selected: every loss of the days


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


def test_2022_the_tb2_items_come_from_oryx_s_page(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    """The 75 items Oryx credited to the TB2 on its 13 Nov 2022 page (60 labels), one row each with its own proof
    link, as the sources' README counts them; shared credit kept as shared."""
    losses = _of_war(data["losses"], "ukraine-2022")
    items = losses[losses["record_kind"].eq("item")]
    assert len(items) == 75 and items["quantity"].eq("1").all()
    assert items["source_url"].str.match(r"^https?://\S+$").all() and items["source_name"].eq("Oryx").all()
    assert items[["source_url", "status_as_reported", "model"]].drop_duplicates().shape[0] == 60  # the labels
    assert (items["attributed_system"].eq("bayraktar-tb2") | items["attributed_also"].str.contains("bayraktar")).all()
    counts = items["category"].value_counts()
    assert [counts[c] for c in ("Trucks, Vehicles and Jeeps", "Surface-To-Air Missile Systems", "Helicopters")] == [
        24,
        11,
        10,
    ]
    assert [counts[c] for c in ("Naval Ships", "Towed Artillery", "Armoured Fighting Vehicles", "Tanks")] == [
        6,
        5,
        5,
        1,
    ]
    assert items["status"].value_counts().to_dict() == {"destroyed": 70, "damaged": 5}
    assert items["attributed_also"].value_counts().to_dict() == {"": 65, "artillery": 9, "harpoon-ashm": 1}
    assert items["model"][items["category"].eq("Tanks")].tolist() == ["T-72B3"]


def test_2022_each_item_is_dated_by_its_sources(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    """On or before the page's day unless WarSpotting or a dated strike narrows it; a publication date bounds a
    strike from above only; where two sources disagree the interval holds both."""
    losses = _of_war(data["losses"], "ukraine-2022").set_index("model", drop=False)
    items = losses[losses["record_kind"].eq("item")]
    assert items["date_latest"].le("2022-11-13").all() and items["date_latest"].ne("").all()
    when = {
        m: (r["date_earliest"], r["date_latest"]) for m, r in items.iterrows() if items.index.tolist().count(m) == 1
    }
    assert when["T-72B3"] == ("2022-09-04", "2022-09-04")  # WarSpotting, joined on the proof link
    assert when["Project 22870 SB-739 Vasily Bekh rescue tug"] == ("2022-06-17", "2022-06-17")  # the strike's day
    assert when["152mm 2S3(M) Akatsiya"] == ("", "2022-09-01")  # a proof posted that day: on or before it
    raptors = items.loc["Project 03160 Raptor class patrol boat"]
    assert sorted(zip(raptors["status"], raptors["date_latest"], strict=True)) == [
        ("damaged", "2022-05-07"),
        ("destroyed", "2022-05-02"),  # #1: the strike of 2 May
        ("destroyed", "2022-05-07"),  # #2: first listed 8 May, WarSpotting's day 7 May
    ]
    ka52 = items.loc["Ka-52 'Alligator' attack helicopter"]
    assert ka52["date_earliest"].eq("").all() and ka52["date_latest"].eq("2022-06-19").all()  # listed by 24 Mar
    assert ka52["date_as_reported"].str.contains("disagrees").all()  # … WarSpotting says 19 Jun: both held
    assert (items["date_earliest"].ne("") & items["date_earliest"].eq(items["date_latest"])).sum() == 33


def test_2022_oryx_s_totals_hold_the_tb2_items(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    aggregates = _of_war(data["aggregates"], "ukraine-2022").set_index("category")
    assert len(aggregates) == 25 and aggregates["as_quoted_on"].eq("2022-11-13").all()
    assert (
        aggregates.loc["Tanks", "total_as_printed"] == "1477"
        and aggregates.loc["Naval Ships", "total_as_printed"] == "12"
    )
    losses = _of_war(data["losses"], "ukraine-2022").set_index("loss_id")
    tallies = losses[losses["record_kind"].eq("aggregate")]
    assert tallies.loc["oryx-rus-tanks-destroyed", "quantity"] == "850"  # 'Tanks (1477, of which destroyed: 850, …'
    items = losses[losses["record_kind"].eq("item")]
    parents = tallies.loc[items["counted_in"]]
    assert (parents["category"].values == items["category"].values).all()
    assert (parents["status"].values == items["status"].values).all()
    assert tallies["attributed_system"].eq("unattributed").all()


def test_2022_categories_are_the_headings_of_oryx_s_page(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    """The 2022 war's own category list: the 25 headings of the page its items come from, nothing of 2020's, and no
    heading that may hold another (the page gives infantry fighting vehicles a heading of their own)."""
    categories = _of_war(data["categories"], "ukraine-2022")
    headings = set(_of_war(data["aggregates"], "ukraine-2022")["category"])
    assert set(categories["category"]) == headings and len(categories) == 25
    assert categories["basis"].str.startswith("a heading of Oryx's page of 2022-11-13").all()
    assert categories["may_include"].eq("").all()
    claimed = {c for cell in _of_war(data["claims"], "ukraine-2022")["scope_categories"] for c in cell.split("|") if c}
    assert claimed <= headings
    for category in claimed:
        assert "claims of" in categories.set_index("category").loc[category, "basis"]


def test_2022_prices_reach_the_items_as_documented(data: dict[str, pd.DataFrame], ukraine_sources: Path) -> None:
    proxies = _of_war(data["category_proxies"], "ukraine-2022")
    items = _of_war(data["losses"], "ukraine-2022")
    assert set(proxies["model"]) <= set(items["model"]) and proxies["model"].ne("").all()
    for unpriced in (
        "23mm ZU-23-2",
        "R-330ZH Zhitel",
        "120mm 2B11/2S12A",
        "Unknown communications station",
        "Fuel train",
    ):
        assert unpriced not in set(proxies["model"])  # no average fits: uncosted, never zero
    keys = dict(zip(items["model"], items["cost_key"], strict=False))
    assert keys["152mm 2S3(M) Akatsiya"] == "2S3 Akatsiya" and keys["9A39M1-2 TEL (for Buk-M1-2)"] == ""
