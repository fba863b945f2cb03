"""WarSpotting exports (``--from warspotting``, both column sets) and the join with Oryx's page: one loss, once.

Every file below is written in the test; the expectations are counted from it by hand.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED, plain
from pages import (
    RUSSIA,
    SOVIET,
    WS_2024,
    WS_2026,
    codes,
    files,
    heading,
    headline,
    link,
    model,
    page,
    rows,
    war_ledger,
    warspotting,
    write,
)
from typer.testing import CliRunner

from drone_ledger import import_table, validate_ledger
from drone_ledger.cli import app
from drone_ledger.errors import ImportUsageError
from drone_ledger.importing.join import item_agreement, model_agreement
from drone_ledger.importing.mapping import MappingFile
from drone_ledger.importing.warspotting import WARSPOTTING_SITE

WAR = {"conflict": "ukraine-2022"}
PAGE = {"conflict": "ukraine-2022", "source_format": "oryx-page", "as_of": "2022-11-13"}
P = "https://i.postimg.cc"


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """An empty ledger (bundled systems) that knows the 2022 war."""
    return war_ledger(tmp_path / "ledger")


def ws(number: int, kind: str, name: str, status: str, day: str, **more: str) -> dict[str, str]:
    """A WarSpotting record of a Russian loss."""
    return {"id": str(number), "type": kind, "model": name, "status": status, "lost_by": "Russia", "date": day, **more}


# --- WarSpotting alone ---------------------------------------------------------------------------------------


def test_the_2024_column_set_keeps_id_day_place_unit_and_link(empty: Path, tmp_path: Path) -> None:
    source = warspotting(
        tmp_path / "ws.csv",
        WS_2024,
        [
            ws(
                2,
                "Tanks",
                "T-64BV",
                "Destroyed",
                "2022-03-16",
                nearest_location="Mariupol, Mariupol raion",
                geolocation="47.0991,37.5237",
                unit="1st Guards Tank Army",
                oryx_url=f"{P}/vTVp/4fhh.png",
                Latitude="47.0991",
                Longitude="37.5237",
            ),
            ws(5, "Transport", "KamAZ 6x6", "Captured", "2022-03-17", geolocation="49.01122,38.39844"),
            ws(6, "Infantry fighting vehicles", "BMP-2(K)", "Abandoned", "2022-03-31"),
        ],
    )
    report = import_table(source, empty, **WAR)
    assert (report.source_format, report.rows_read, report.added, report.rejected) == ("warspotting", 3, 3, 0)
    assert report.written and validate_ledger(empty).valid
    got = {r["warspotting_id"]: r for r in rows(empty)}
    tank = got["2"]
    assert (tank["date_earliest"], tank["date_latest"], tank["side_losing"], tank["status"], tank["category"]) == (
        "2022-03-16",
        "2022-03-16",
        "Russia",
        "destroyed",
        "Tanks",
    )
    assert (tank["nearest_location"], tank["coordinates"], tank["unit"], tank["source_url"]) == (
        "Mariupol, Mariupol raion",
        "47.0991,37.5237",
        "1st Guards Tank Army",
        f"{P}/vTVp/4fhh.png",
    )
    assert (tank["date_place_source"], tank["attributed_system"], tank["source_name"]) == (
        "WarSpotting 2",
        "unattributed",
        "WarSpotting",
    )
    truck = got["5"]
    assert (truck["category"], truck["status"], truck["coordinates"], truck["source_url"]) == (
        "Trucks, Vehicles and Jeeps",
        "captured",
        "49.01122,38.39844",  # from geolocation when there are no Latitude/Longitude cells
        WARSPOTTING_SITE,  # no link of its own: WarSpotting's site
    )
    ifv = got["6"]
    assert (ifv["category"], ifv["notes"]) == ("Unknown", "WarSpotting type: Infantry fighting vehicles")
    assert report.unmapped["category"] == {"Infantry fighting vehicles": 1}


def test_the_later_column_set_keeps_tags_comment_and_sources(empty: Path, tmp_path: Path) -> None:
    source = warspotting(
        tmp_path / "ws2026.csv",
        WS_2026,
        [
            ws(
                602,
                "Tanks",
                "T-80BVM",
                "Destroyed",
                "2022-02-24T00:00:00",
                nearest_location="Kharkiv, Kharkiv raion",
                geo="50.0549042,36.3615697",
                latitude="50.0549042",
                longitude="36.3615697",
                unit="71st Guards Motor Rifle Division",
                tags="Turretless, Mine plow/roller",
                comment="burnt out",
                sources="https://t.me/ch/1 https://t.me/ch/2",
            )
        ],
    )
    report = import_table(source, empty, **WAR, source_url="https://ukr.warspotting.net/")
    assert report.added == 1 and not report.issues
    (row,) = rows(empty)
    assert (row["date_earliest"], row["date_latest"], row["coordinates"], row["tags"]) == (
        "2022-02-24",
        "2022-02-24",
        "50.0549042,36.3615697",
        "Turretless|Mine plow/roller",
    )
    assert row["source_url"] == "https://t.me/ch/1"
    assert row["notes"] == (
        "WarSpotting type: Tanks; WarSpotting comment: burnt out; "
        "WarSpotting sources: https://t.me/ch/1 https://t.me/ch/2"
    )


def test_the_place_is_taken_as_written_never_rounded(empty: Path, tmp_path: Path) -> None:
    """The later API's latitude and longitude round geo: geo is kept; a latitude naming another place is noted."""
    source = warspotting(
        tmp_path / "ws.csv",
        WS_2026,
        [
            ws(
                31,
                "Tanks",
                "T-72B",
                "Destroyed",
                "2022-04-01",
                geo="46.780108183536385,33.58799011497186",
                latitude="46.78010818353639",
                longitude="33.58799011497186",
            ),
            ws(32, "Tanks", "T-72B", "Destroyed", "2022-04-01", geo="50.1,36.1", latitude="49.0", longitude="36.1"),
        ],
    )
    import_table(source, empty, **WAR)
    got = {r["warspotting_id"]: (r["coordinates"], r["notes"]) for r in rows(empty)}
    assert got == {
        "31": ("46.780108183536385,33.58799011497186", "WarSpotting type: Tanks"),
        "32": ("50.1,36.1", "WarSpotting type: Tanks; WarSpotting latitude, longitude: 49.0, 36.1"),
    }


def test_unknown_columns_are_kept_in_the_notes_and_reported(empty: Path, tmp_path: Path) -> None:
    source = warspotting(
        tmp_path / "ws.csv",
        (*WS_2024, "crew_fate"),
        [ws(7, "Tanks", "T-72B", "Destroyed", "2022-04-01", crew_fate="KIA")],
    )
    report = import_table(source, empty, **WAR)
    assert report.added == 1 and codes(report) == {"unknown-column": 1}
    assert "'crew_fate' are in neither WarSpotting column set" in report.issues[0].message
    assert rows(empty)[0]["notes"] == "WarSpotting type: Tanks; crew_fate: KIA"


def test_a_file_without_warspotting_s_columns_says_which_it_needs(empty: Path, tmp_path: Path) -> None:
    source = tmp_path / "ws.csv"
    source.write_text("id,type,model\n1,Tanks,T-72B\n", encoding="utf-8")
    with pytest.raises(ImportUsageError) as error:
        import_table(source, empty, **WAR, source_format="warspotting")
    assert error.value.code == "missing-column" and error.value.exit_code == 2
    assert "lacks WarSpotting column(s) status, lost_by, date" in str(error.value)
    assert "needs id, type, model, status, lost_by, date" in str(error.value)


@pytest.mark.parametrize(
    ("day", "code"),
    [("16/03/2022", "invalid-date-format"), ("2022-02-30", "impossible-date"), ("yesterday", "invalid-date-format")],
)
def test_a_date_that_is_not_a_day_rejects_the_record_and_writes_nothing(
    empty: Path, tmp_path: Path, day: str, code: str
) -> None:
    source = warspotting(
        tmp_path / "ws.csv",
        WS_2024,
        [ws(8, "Tanks", "T-72B", "Destroyed", "2022-04-01"), ws(9, "Tanks", "T-72B", "Destroyed", day)],
    )
    before = files(empty)
    report = import_table(source, empty, **WAR)
    assert (report.added, report.rejected, report.written, report.exit_code) == (1, 1, False, 1)
    (reject,) = report.rejects
    assert reject["source_line"] == 3 and any(f"date_earliest: {code}" in r for r in reject["reasons"])
    assert files(empty) == before
    result = CliRunner().invoke(app, ["import", str(source), "--ledger", str(empty), "--conflict", "ukraine-2022"])
    assert result.exit_code == 1 and code in result.output and "Traceback" not in result.output


def test_a_mapping_file_reads_other_date_and_status_wordings(empty: Path, tmp_path: Path) -> None:
    source = warspotting(tmp_path / "ws.csv", WS_2024, [ws(30, "Tanks", "T-72B", "Burnt out", "16.03.2022")])
    mapping = MappingFile(values={"status": {"Burnt out": "destroyed"}}, date_format="%d.%m.%Y")
    report = import_table(source, empty, **WAR, mapping=mapping)
    assert (report.added, report.unmapped) == (1, {})
    (row,) = rows(empty)
    assert (row["status"], row["status_as_reported"], row["date_earliest"], row["date_latest"]) == (
        "destroyed",
        "Burnt out",
        "2022-03-16",
        "2022-03-16",
    )


def test_records_without_an_id_a_side_or_a_place_on_earth_are_rejected(empty: Path, tmp_path: Path) -> None:
    source = warspotting(
        tmp_path / "ws.csv",
        WS_2024,
        [
            {**ws(10, "Tanks", "T-72B", "Destroyed", "2022-04-01"), "id": ""},
            {**ws(11, "Tanks", "T-72B", "Destroyed", "2022-04-01"), "lost_by": ""},
            ws(12, "Tanks", "T-72B", "Destroyed", "2022-04-01", Latitude="147.1", Longitude="37.5"),
            ws(13, "Tanks", "T-72B", "Destroyed", "2022-04-01", geolocation="north of Kharkiv"),
            ws(14, "Tanks", "T-72B", "Destroyed", "2022-04-01"),
        ],
    )
    report = import_table(source, empty, **WAR, keep_valid=True)
    assert (report.records, report.added, report.rejected) == (5, 1, 4) and report.balanced
    reasons = [r["reasons"][0].split(":")[:2] for r in report.rejects]
    assert reasons == [
        ["id", " missing-value"],
        ["lost_by", " missing-value"],
        ["coordinates", " out-of-range"],
        ["coordinates", " invalid-value"],
    ]


def test_auto_tells_both_column_sets_apart_from_other_tables(empty: Path, tmp_path: Path) -> None:
    for columns in (WS_2024, WS_2026):
        source = warspotting(tmp_path / "ws.csv", columns, [ws(20, "Tanks", "T-72B", "Destroyed", "2022-04-01")])
        assert import_table(source, empty, **WAR, dry_run=True).source_format == "warspotting"


# --- the join --------------------------------------------------------------------------------------------------

#: Page of 2022-11-13: six items behind five proofs (A: a TB2-labelled T-72B3; B: "2 and 3"; C: a captured tank;
#: D: a truck; E: a Grad).
A, B, C, D, E = (
    "https://twitter.com/UAWeapons/status/2001",
    f"{P}/jj02/2.png",
    f"{P}/jj03/3.png",
    f"{P}/jj04/4.png",
    f"{P}/jj05/5.png",
)
JOIN_PAGE = page(
    headline("Russia", 6, "destroyed: 5, captured: 1"),
    heading("Tanks (4, of which destroyed: 3, captured: 1)"),
    "<ul>",
    model(
        RUSSIA,
        4,
        "T-72B3",
        link(A, "(1, destroyed by Bayraktar TB2)"),
        link(B, "(2 and 3, destroyed)"),
        link(C, "(1, captured)"),
    ),
    "</ul>",
    heading("Multiple Rocket Launchers (1, of which destroyed: 1)"),
    "<ul>" + model(SOVIET, 1, "122mm BM-21 Grad", link(E, "(1, destroyed)")) + "</ul>",
    heading("Trucks, Vehicles and Jeeps (1, of which destroyed: 1)"),
    "<ul>" + model(SOVIET, 1, "Ural-4320", link(D, "(1, destroyed)")) + "</ul>",
)
#: WarSpotting: 11 is A (another spelling of the tweet, another model name); 12 and 13 are B's two items, 14 a
#: third record at B; 15 is C, damaged where the page says captured; 16 is D, dated after the page; 17 links E but
#: is a truck; 18 has no Oryx link.
JOIN_RECORDS = [
    ws(
        11,
        "Tanks",
        "T-72B3 Obr. 2016",
        "Destroyed",
        "2022-03-16",
        nearest_location="Mariupol, Mariupol raion",
        unit="1st Guards Tank Army",
        oryx_url="https://x.com/someone/status/2001",
        Latitude="47.1",
        Longitude="37.5",
    ),
    ws(12, "Tanks", "T-72B3", "Destroyed", "2022-04-01", oryx_url="http://i.postimg.cc/jj02/2.png"),
    ws(13, "Tanks", "T-72B3", "Destroyed", "2022-04-02", oryx_url=B),
    ws(14, "Tanks", "T-72B3", "Destroyed", "2022-04-03", oryx_url=B),
    ws(15, "Tanks", "T-72B3", "Damaged", "2022-05-01", oryx_url=C),
    ws(16, "Transport", "Ural-4320", "Destroyed", "2022-12-01", oryx_url=D),
    ws(17, "Transport", "Ural-4320", "Destroyed", "2022-06-01", oryx_url=E),
    ws(18, "Infantry fighting vehicles", "BMP-2(K)", "Captured", "2022-07-01"),
]


def _join_sources(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "page.html", JOIN_PAGE), warspotting(tmp_path / "ws.csv", WS_2024, JOIN_RECORDS)


def test_a_warspotting_record_of_an_oryx_item_is_the_same_loss_counted_once(empty: Path, tmp_path: Path) -> None:
    page_file, ws_file = _join_sources(tmp_path)
    import_table(page_file, empty, **PAGE)
    report = import_table(ws_file, empty, **WAR)
    assert report.written and report.balanced and validate_ledger(empty).valid
    # 6 items + 8 records - 5 joined (11, 12, 13, 15, 16) = 9 losses
    assert (report.added, report.updated, len(rows(empty))) == (3, 5, 9)
    assert report.join is not None
    assert (report.join.joined, report.join.other_model_names, report.join.surplus) == (5, 1, 1)
    assert Counter(d["kind"] for d in report.join.disagreements) == {"model": 1, "status": 1, "date": 1, "count": 1}
    assert codes(report) == {"join-disagreement": 4, "no-proof-link": 1}  # 18 has no link at all
    by_ws = {r["warspotting_id"]: r for r in rows(empty) if r["warspotting_id"]}
    tb2 = by_ws["11"]
    assert tb2["loss_id"].startswith("oryx-page-") and tb2["source_url"] == A  # the page's item, its proof
    assert (tb2["attributed_system"], tb2["date_earliest"], tb2["date_latest"]) == (
        "bayraktar-tb2",
        "2022-03-16",
        "2022-03-16",
    )
    assert (tb2["nearest_location"], tb2["coordinates"], tb2["unit"], tb2["date_place_source"]) == (
        "Mariupol, Mariupol raion",
        "47.1,37.5",
        "1st Guards Tank Army",
        "WarSpotting 11 via proof link",
    )
    assert tb2["date_as_reported"] == "2022-03-16 (WarSpotting 11); listed on Oryx's page as saved on 2022-11-13"
    assert "WarSpotting model: T-72B3 Obr. 2016" in tb2["notes"] and tb2["model"] == "T-72B3"
    assert {by_ws["12"]["source_url"], by_ws["13"]["source_url"]} == {B}  # "2 and 3": two records, two items
    assert by_ws["12"]["loss_id"] != by_ws["13"]["loss_id"]
    assert by_ws["14"]["loss_id"].startswith("warspotting-")  # a third record at B: its own loss
    captured = by_ws["15"]
    assert (captured["status"], captured["date_latest"]) == ("captured", "2022-05-01")  # the page's status
    assert "WarSpotting status: Damaged" in captured["notes"]
    truck = by_ws["16"]
    assert (truck["date_earliest"], truck["date_latest"]) == ("", "2022-11-13")  # the page's bound kept
    assert "WarSpotting date: 2022-12-01" in truck["notes"]
    assert by_ws["17"]["loss_id"].startswith("warspotting-")  # a truck at the Grad's proof: two losses
    assert by_ws["18"]["source_url"] == WARSPOTTING_SITE


def test_the_order_of_the_two_imports_does_not_matter(tmp_path: Path) -> None:
    page_file, ws_file = _join_sources(tmp_path)
    page_first, ws_first = war_ledger(tmp_path / "page-first"), war_ledger(tmp_path / "ws-first")
    import_table(page_file, page_first, **PAGE)
    import_table(ws_file, page_first, **WAR)
    import_table(ws_file, ws_first, **WAR)
    report = import_table(page_file, ws_first, **PAGE)
    assert report.join is not None and (report.join.joined, len(report.join.retired)) == (5, 5)
    assert (report.added, len(rows(ws_first))) == (6, 9)  # 6 items; 5 WarSpotting rows merged into them

    def as_set(ledger: Path) -> set[tuple[tuple[str, str], ...]]:
        return {tuple(sorted(r.items())) for r in rows(ledger)}

    assert as_set(page_first) == as_set(ws_first)


def test_importing_warspotting_again_writes_nothing_and_a_later_export_refreshes(empty: Path, tmp_path: Path) -> None:
    page_file, ws_file = _join_sources(tmp_path)
    import_table(page_file, empty, **PAGE)
    import_table(ws_file, empty, **WAR)
    before = files(empty)
    again = import_table(ws_file, empty, **WAR)
    assert (again.added, again.updated, again.duplicates, again.written) == (0, 0, 8, False)
    assert files(empty) == before
    later = [dict(r) for r in JOIN_RECORDS]
    later[0]["unit"] = "4th Guards Tank Division"  # WarSpotting corrected the unit of 11
    refreshed = import_table(warspotting(tmp_path / "later.csv", WS_2024, later), empty, **WAR)
    assert (refreshed.added, refreshed.updated) == (0, 1)
    assert refreshed.changes == [
        {
            "loss_id": next(r["loss_id"] for r in rows(empty) if r["warspotting_id"] == "11"),
            "column": "unit",
            "old": "1st Guards Tank Army",
            "new": "4th Guards Tank Division",
        }
    ]
    later[0]["date"] = "2022-11-20"  # and then dated it after the page of the 13th listed it
    import_table(warspotting(tmp_path / "latest.csv", WS_2024, later), empty, **WAR)
    tb2 = next(r for r in rows(empty) if r["warspotting_id"] == "11")
    assert (tb2["date_earliest"], tb2["date_latest"], tb2["date_as_reported"]) == (
        "",
        "2022-11-13",
        "listed on Oryx's page as saved on 2022-11-13",
    )
    assert "WarSpotting date: 2022-11-20" in tb2["notes"]


def test_records_without_a_proof_link_beside_page_items_are_reported(empty: Path, tmp_path: Path) -> None:
    """The later column set has no oryx_url: such records cannot be joined, and the import says what that risks;
    a record an earlier export joined is still refreshed by its WarSpotting id."""
    page_file, ws_file = _join_sources(tmp_path)
    import_table(page_file, empty, **PAGE)
    later = warspotting(
        tmp_path / "ws2026.csv",
        WS_2026,
        [
            ws(11, "Tanks", "T-72B3 Obr. 2016", "Destroyed", "2022-03-16"),
            ws(40, "Tanks", "T-72B3", "Destroyed", "2022-08-01"),
        ],
    )
    report = import_table(later, empty, **WAR)
    assert report.join is not None and (report.join.joined, report.join.unlinked) == (0, 2)
    assert codes(report) == {"no-proof-link": 1}
    assert "2 WarSpotting record(s) of ukraine-2022 carry no proof link" in report.issues[0].message
    assert "the ledger's 6 Oryx item(s) of the same side" in report.issues[0].message
    import_table(ws_file, empty, **WAR)  # the 2024 export joins 11 to the TB2 item ...
    again = import_table(later, empty, **WAR)  # ... and the later export refreshes it by its id
    assert again.join is not None and (again.join.refreshed, again.join.unlinked) == (1, 1)
    tb2 = next(r for r in rows(empty) if r["warspotting_id"] == "11")
    assert tb2["loss_id"].startswith("oryx-page-") and tb2["attributed_system"] == "bayraktar-tb2"


@pytest.mark.parametrize(
    ("page_model", "ws_model", "level"),
    [
        ("T-72B3", "T-72B3", 2),
        ("152mm 2S19 Msta-S", "152mm 2S19 'Msta-S'", 2),
        ("BMP-2", "BMP-2(K)", 1),
        ("T-72B3", "T-72B3 Obr. 2016", 1),
        ("Unknown T-80", "T-80BV", 1),
        ("9T452 transporter-loader (for BM-27 'Uragan' MRL)", "9T452 transloader (for BM-27 'Uragan')", 1),
        ("K-53949 Linza", "KamAZ-53949 'Linza'", 1),
        ("122mm BM-21 Grad", "Ural-4320", 0),
        ("152mm 2S33 Msta-SM2", "152mm 2S19M2 'Msta-S'", 0),
    ],
)
def test_when_two_model_names_agree(page_model: str, ws_model: str, level: int) -> None:
    assert model_agreement(page_model, ws_model) == level


@pytest.mark.parametrize(
    ("page", "record", "level"),
    [
        # An uncertain or unknown model agrees only within one category.
        (("9A331 TLAR (for 9K331 Tor-M1)", "Surface-To-Air Missile Systems"), ("T-62 *", "Tanks"), 0),
        (("Unknown AFV", "Armoured Fighting Vehicles"), ("KamAZ 6x6", "Trucks, Vehicles and Jeeps"), 0),
        (("Unknown AFV", "Armoured Fighting Vehicles"), ("Unknown tank", "Tanks"), 0),
        (("T-72B3", "Tanks"), ("T-62 *", "Tanks"), 1),
        (("(Unknown) vehicle", "Trucks, Vehicles and Jeeps"), ("Unknown vehicle", "Unknown"), 2),
        (("Unknown T-80", "Tanks"), ("T-80BV", "Unknown"), 1),
        # A model named alike in two categories is one model, whichever category each source files it under.
        (
            ("KamAZ-63968 Typhoon", "Mine-Resistant Ambush Protected"),
            ("KamAZ-63968 Typhoon", "Infantry Mobility Vehicles"),
            2,
        ),
        (
            ("K-53949 Linza", "Mine-Resistant Ambush Protected"),
            ("KamAZ-53949 'Linza'", "Infantry Mobility Vehicles"),
            1,
        ),
    ],
)
def test_an_uncertain_model_joins_only_within_its_category(
    page: tuple[str, str], record: tuple[str, str], level: int
) -> None:
    assert item_agreement({"model": page[0], "category": page[1]}, {"model": record[0], "category": record[1]}) == level


def test_a_tor_and_an_uncertain_tank_at_one_proof_link_stay_two_losses(empty: Path, tmp_path: Path) -> None:
    """Oryx's page files a Tor-M1 under one tweet; WarSpotting files an uncertain 'T-62 *' (Tanks) under it."""
    tweet = "https://twitter.com/UAWeapons/status/3001"
    tor = page(
        headline("Russia", 1, "destroyed: 1"),
        heading("Surface-To-Air Missile Systems (1, of which destroyed: 1)"),
        "<ul>"
        + model(RUSSIA, 1, "9A331 TLAR (for 9K331 Tor-M1)", link(tweet, "(1, destroyed by Bayraktar TB2)"))
        + "</ul>",
    )
    import_table(write(tmp_path / "page.html", tor), empty, **PAGE)
    records = [ws(21, "Tanks", "T-62 *", "Destroyed", "2022-09-05", oryx_url=tweet)]
    report = import_table(warspotting(tmp_path / "ws.csv", WS_2024, records), empty, **WAR)
    assert report.join is not None and report.join.joined == 0
    assert [(d["kind"], d["outcome"]) for d in report.join.disagreements] == [("model", "kept as two losses")]
    by_model = {r["model"]: r for r in rows(empty)}
    assert set(by_model) == {"9A331 TLAR (for 9K331 Tor-M1)", "T-62 *"}
    the_tor = by_model["9A331 TLAR (for 9K331 Tor-M1)"]
    assert (the_tor["warspotting_id"], the_tor["date_earliest"], the_tor["date_latest"]) == ("", "", "2022-11-13")


def test_the_cli_prints_the_join(empty: Path, tmp_path: Path) -> None:
    page_file, ws_file = _join_sources(tmp_path)
    import_table(page_file, empty, **PAGE)
    result = CliRunner().invoke(
        app, ["import", str(ws_file), "--ledger", str(empty), "--conflict", "ukraine-2022"], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert "Joined by proof link (one loss, counted once): 5 WarSpotting record(s) and Oryx item(s)" in out
    assert "4 warning(s) join-disagreement" in out
    data = json.loads(
        CliRunner()
        .invoke(app, ["import", str(ws_file), "--ledger", str(empty), "--conflict", "ukraine-2022", "-f", "json"])
        .output
    )
    assert (data["duplicates"], data["join"]["refreshed"]) == (8, 5)


# --- the samples -------------------------------------------------------------------------------------------------


@pytest.fixture
def samples() -> Path:
    path = SHARED / "samples"
    if not (path / "warspotting_russia_2024-04-10.csv").is_file():
        pytest.skip(f"needs the third-party samples at {path} (shared/ is not beside this checkout)")
    return path


def test_the_two_sample_exports_import_with_nothing_lost(samples: Path, empty: Path) -> None:
    for name in ("warspotting_russia_2024-04-10.csv", "warspotting_russia_2026_tags_sample.csv"):
        with (samples / name).open(encoding="utf-8", newline="") as handle:
            source = list(csv.DictReader(handle))
        report = import_table(samples / name, empty, **WAR, dry_run=True)
        assert (report.rows_read, report.rejected) == (len(source), 0) and report.balanced
        assert report.added + report.updated + report.duplicates == len(source)


def test_the_sample_page_and_warspotting_make_one_ledger_of_each_loss_once(samples: Path, empty: Path) -> None:
    page_report = import_table(samples / "oryx_page_russia_2022-11-13.html.gz", empty, **PAGE)
    ws_report = import_table(samples / "warspotting_russia_2024-04-10.csv", empty, **WAR)
    assert ws_report.written and ws_report.join is not None
    losses = rows(empty)
    items, records = page_report.rows_read, ws_report.rows_read
    assert items + records > 22_000 and 15_500 <= len(losses) <= 16_500  # about 16,000, not 22,000
    assert len(losses) == items + records - ws_report.join.joined
    tb2 = [r for r in losses if "bayraktar-tb2" in (r["attributed_system"], *r["attributed_also"].split("|"))]
    dated = [r for r in tb2 if r["date_earliest"] and r["date_earliest"] == r["date_latest"]]
    assert len(tb2) == 75 and len(dated) >= 35
    assert all(r["date_place_source"].endswith("via proof link") for r in dated)
