"""Imports: exact records from small fixtures, conservation, idempotence, atomic refusal, mapping files, samples.

tests/fixtures/imports/wide_small.csv, imported as Armenian losses of the 2020 war, holds 8 non-zero counts
(12 items): T-72B destroyed 2, damaged-and-captured 1, by TB2 3, by Orion-and-captured 1, 'obliterated' 2;
T-72AV destroyed 1 (scraper debris in the name); a patrol boat by TB2 and Harpoon 1, scuttled 1.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import SHARED, TESTS, plain
from typer.testing import CliRunner

from drone_ledger import import_table, load_ledger, validate_ledger
from drone_ledger.claims import summarize_conflict
from drone_ledger.cli import app
from drone_ledger.errors import (
    ImportSourceError,
    ImportUsageError,
    LedgerLockedError,
    LedgerWriteError,
    MappingFileError,
)
from drone_ledger.storage import ledger_lock
from drone_ledger.writing import init_ledger

IMPORTS = TESTS / "fixtures" / "imports"
WIDE = {"conflict": "karabakh-2020", "side": "Armenia", "source_url": "https://example.org/oryx-snapshot"}
WIDE_ARGS = ["--conflict", "karabakh-2020", "--side", "Armenia", "--source-url", "https://example.org/oryx-snapshot"]
UKRAINE = (
    "ukraine-2022,Russian invasion of Ukraine,2022-02-24,,https://en.wikipedia.org/wiki/Russian_invasion_of_Ukraine,\n"
)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A fresh copy of the bundled ledger."""
    path = tmp_path / "ledger"
    init_ledger(path)
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """An empty ledger that knows the 2022 war."""
    path = tmp_path / "empty"
    init_ledger(path, empty=True)
    with (path / "conflicts.csv").open("a", encoding="utf-8") as handle:
        handle.write(UKRAINE)
    return path


def snapshot(path: Path) -> dict[str, str]:
    """Hash of every file in a ledger directory (the lock file aside)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.iterdir())
        if p.is_file() and p.name != ".drone-ledger.lock"
    }


def imported(ledger: Path, prefix: str) -> list[dict[str, object]]:
    losses = load_ledger(ledger)["losses"]
    return losses[losses["loss_id"].str.startswith(prefix)].to_dict("records")


def test_wide_records_statuses_and_attributions(ledger: Path) -> None:
    report = import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    assert (report.rows_read, report.records, report.added, report.rejected) == (4, 8, 8, 0)
    assert report.written and report.balanced
    rows = {(r["model"], r["status_as_reported"]): r for r in imported(ledger, "oryx-wide")}
    assert {k: (r["status"], r["quantity"], r["attributed_system"]) for k, r in rows.items()} == {
        ("T-72B", "destroyed"): ("destroyed", 2, "unattributed"),
        ("T-72B", "damaged and captured"): ("captured", 1, "unattributed"),
        ("T-72B", "destroyed by Bayraktar TB2"): ("destroyed", 3, "bayraktar-tb2"),
        ("T-72B", "damaged by Orion and captured"): ("captured", 1, "unattributed"),
        ("T-72B", "obliterated"): ("unknown", 2, "unattributed"),
        ("T-72AV", "destroyed"): ("destroyed", 1, "unattributed"),
        ("Patrol boat 'P190'", "destroyed by Bayraktar TB2 and Harpoon AShM"): ("destroyed", 1, "bayraktar-tb2"),
        ("Patrol boat 'P190'", "scuttled to prevent capture by Russia"): ("destroyed", 1, "unattributed"),
    }
    # The bundled ledger knows the Harpoon (its 2022 war credits one): only Orion is unmapped.
    assert report.unmapped == {"status": {"obliterated": 2}, "system": {"Orion": 1}}
    assert report.items_by_system == {"unattributed": 8, "bayraktar-tb2": 4, "harpoon-ashm": 1}
    assert "not mapped to a system: Orion" in rows[("T-72B", "damaged by Orion and captured")]["notes"]
    assert "model cleaned from 'T-72AV (1, destroyed) (2, damaged)'" in rows[("T-72AV", "destroyed")]["notes"]
    assert validate_ledger(ledger).valid


def test_wide_rows_keep_their_printed_totals(ledger: Path) -> None:
    import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    aggregates = load_ledger(ledger)["aggregates"]
    mine = aggregates[aggregates["aggregate_id"].str.startswith("oryx-wide-row")]
    assert sorted(mine["total_as_printed"]) == [1, 2, 9]  # the all-zero Ural row adds no tally


def test_add_systems_keeps_compound_attribution(ledger: Path) -> None:
    report = import_table(IMPORTS / "wide_small.csv", ledger, add_systems=True, **WIDE)
    assert report.new_systems == ["orion"]  # the bundled ledger already has the Harpoon
    assert report.unmapped == {"status": {"obliterated": 2}}
    assert report.items_by_system == {"unattributed": 7, "bayraktar-tb2": 4, "harpoon-ashm": 1, "orion": 1}
    boat = next(r for r in imported(ledger, "oryx-wide") if str(r["status_as_reported"]).endswith("Harpoon AShM"))
    assert (boat["attributed_system"], boat["attributed_also"]) == ("bayraktar-tb2", "harpoon-ashm")
    systems = load_ledger(ledger)["systems"].set_index("system_id")
    assert systems.loc["orion", ["name", "family", "is_drone", "turkish_supplied"]].tolist() == [
        "Orion",
        "unknown",
        "unknown",
        "unknown",
    ]


def test_imported_attribution_reaches_the_claim(ledger: Path) -> None:
    """The 4 TB2-credited items (3 T-72B; 1 boat shared with Harpoon) count for the France 24 claim's means."""
    from drone_ledger import compare_claim

    import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    c = compare_claim(ledger, "AZ-2020-10-14-F24")
    counted = {a.loss_id: a.items for a in c.scope_attributions if a.counted}
    assert sum(counted.values()) == 4
    assert c.buckets["attributed"].items == 4


def test_importing_twice_adds_nothing_and_writes_nothing(ledger: Path) -> None:
    import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    before = snapshot(ledger)
    again = import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    assert (again.added, again.updated, again.duplicates, again.written) == (0, 0, 8, False)
    assert snapshot(ledger) == before


def test_newer_snapshot_updates_changed_counts(ledger: Path) -> None:
    import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    newer = import_table(IMPORTS / "wide_small_newer.csv", ledger, **WIDE)
    assert (newer.added, newer.updated, newer.duplicates) == (0, 1, 7)
    assert [(c["column"], c["old"], c["new"]) for c in newer.changes] == [("quantity", "2", "3")]
    totals = load_ledger(ledger)["aggregates"]["total_as_printed"]
    assert 10 in set(totals) and 9 not in set(totals)  # the row's printed total follows the snapshot


def test_failed_import_leaves_the_ledger_byte_for_byte(ledger: Path) -> None:
    before = snapshot(ledger)
    report = import_table(IMPORTS / "wide_bad_count.csv", ledger, **WIDE)
    assert report.refused and not report.written
    assert report.rejects == [
        {
            "source_line": 2,
            "reasons": ["column 'destroyed': 'two' is not a whole number of items"],
            "values": {"model": "T-72B", "destroyed": "two"},
        }
    ]
    assert (report.records, report.added, report.rejected) == (8, 7, 1)  # would-be additions, then refused
    assert report.balanced
    assert snapshot(ledger) == before


def test_keep_valid_writes_valid_records_and_a_rejects_file(ledger: Path, tmp_path: Path) -> None:
    report = import_table(IMPORTS / "long_small.csv", ledger, conflict="karabakh-2020", keep_valid=True)
    assert (report.records, report.added, report.rejected, report.written) == (4, 3, 1, True)
    assert report.rejects[0]["source_line"] == 5
    assert report.rejects[0]["reasons"] == [
        "source_url: invalid-url: source_url must be an http:// or https:// link (several separated by spaces where "
        "allowed), got 'javascript:alert(1)'"
    ]
    assert report.rejects_file is not None
    with open(report.rejects_file, encoding="utf-8", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["source_line"], r["url"]) for r in rejects] == [("5", "javascript:alert(1)")]
    assert validate_ledger(ledger).valid


def test_long_rows_count_repeated_unmapped_values_once_per_row(ledger: Path, tmp_path: Path) -> None:
    """Each status string is parsed once per import; what it leaves unmapped still counts for every row."""
    source = tmp_path / "long_repeats.csv"
    header = "country,origin,system,status,url,date_recorded,sysID,imageID,statusID,matID"
    rows = [
        "Armenia,Soviet Union,T-72B,obliterated,https://example.org/1,2020-10-02,1,1,1,7-1",
        "Armenia,Soviet Union,T-72B,destroyed by Orion,https://example.org/2,2020-10-03,1,2,1,7-2",
        "Armenia,Soviet Union,BMP-2,obliterated,https://example.org/3,2020-10-04,2,3,2,7-3",
        "Armenia,Soviet Union,BMP-2,destroyed by Orion,https://example.org/4,2020-10-05,2,4,3,7-4",
        "Armenia,Soviet Union,2S3,obliterated,https://example.org/5,2020-10-06,3,5,4,7-5",
    ]
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    report = import_table(source, ledger, conflict="karabakh-2020")
    assert report.unmapped == {
        "status": {"obliterated": 3},
        "system": {"Orion": 2},
        "category": {"(not given)": 5},
    }
    imported_rows = sorted(imported(ledger, "oryx-long"), key=lambda r: str(r["date_latest"]))
    assert [(r["status"], r["attributed_system"]) for r in imported_rows] == [
        ("unknown", "unattributed"),
        ("destroyed", "unattributed"),
        ("unknown", "unattributed"),
        ("destroyed", "unattributed"),
        ("unknown", "unattributed"),
    ]
    notes = [str(r["notes"]) for r in imported_rows]
    assert [n.count("attribution not mapped to a system: Orion") for n in notes] == [0, 1, 0, 1, 0]


def test_long_rows(ledger: Path) -> None:
    report = import_table(IMPORTS / "long_small.csv", ledger, conflict="karabakh-2020", keep_valid=True)
    assert report.unmapped == {"category": {"(not given)": 4}}  # every source row, the rejected one too
    rows = sorted(imported(ledger, "oryx-long"), key=lambda r: str(r["date_latest"]))
    assert [(r["date_latest"], r["model"], r["status"], r["attributed_system"], r["category"]) for r in rows] == [
        ("2020-10-02", "T-72B", "destroyed", "unattributed", "Unknown"),
        ("2020-10-03", "T-72B", "destroyed", "bayraktar-tb2", "Unknown"),
        ("2020-10-04", "BMP-2", "captured", "unattributed", "Unknown"),
    ]
    # Oryx records an item on the day it is documented: the loss happened on or before it, since the war began.
    assert all(pd.isna(r["date_earliest"]) for r in rows)
    assert [r["date_as_reported"] for r in rows] == [f"recorded by Oryx on 2020-10-0{d}" for d in (2, 3, 4)]
    assert all(r["side_losing"] == "Armenia" for r in rows)


def test_strict_refuses_unmapped_values(ledger: Path) -> None:
    before = snapshot(ledger)
    report = import_table(IMPORTS / "wide_small.csv", ledger, strict=True, **WIDE)
    assert report.refused == (
        "--strict: 2 status, 1 system value(s) are unmapped; map them in a mapping file (--map) or with "
        "--add-systems, then import again"
    )
    assert snapshot(ledger) == before


def test_dry_run_writes_nothing(ledger: Path) -> None:
    before = snapshot(ledger)
    report = import_table(IMPORTS / "wide_small.csv", ledger, dry_run=True, **WIDE)
    assert (report.added, report.written) == (8, False)
    assert snapshot(ledger) == before


def test_a_second_writer_is_refused_while_the_lock_is_held(ledger: Path) -> None:
    before = snapshot(ledger)
    with ledger_lock(ledger), pytest.raises(LedgerLockedError, match="another drone-ledger process is writing"):
        import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    assert snapshot(ledger) == before


def test_mapping_file_reads_a_semicolon_cp1252_export(ledger: Path) -> None:
    report = import_table(
        IMPORTS / "researcher_semicolon_cp1252.csv", ledger, mapping=IMPORTS / "researcher_mapping.toml"
    )
    assert (report.source_format, report.records, report.added, report.rejected) == ("csv", 3, 3, 0)
    rows = sorted(imported(ledger, "csv"), key=lambda r: str(r["date_latest"]))
    assert all(r["date_earliest"] == r["date_latest"] for r in rows)  # one day each: 02/10/2020 -> 2020-10-02
    assert [
        (r["date_latest"], r["model"], r["category"], r["status"], r["status_as_reported"], r["attributed_system"])
        for r in rows
    ] == [
        ("2020-10-02", "T-72B", "Tanks", "destroyed", "burnt out", "bayraktar-tb2"),
        ("2020-10-03", "BMP-2", "Infantry Fighting Vehicles", "destroyed", "destroyed", "iai-harop"),
        ("2020-10-04", "Ural-4320", "Trucks, Vehicles and Jeeps", "destroyed", "destroyed", "unattributed"),
    ]
    again = import_table(
        IMPORTS / "researcher_semicolon_cp1252.csv", ledger, mapping=IMPORTS / "researcher_mapping.toml"
    )
    assert (again.added, again.duplicates) == (0, 3)


def test_wrong_encoding_is_refused_with_the_remedy(ledger: Path) -> None:
    with pytest.raises(
        ImportSourceError,
        match=re.escape(
            "researcher_semicolon_cp1252.csv is not UTF-8 text (byte 0xeb on line 2); pass --encoding cp1252"
        ),
    ):
        import_table(IMPORTS / "researcher_semicolon_cp1252.csv", ledger, source_format="csv")


def test_bad_mapping_file_names_the_key(ledger: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "bad.toml"
    mapping.write_text('[columns]\n"Vehicle" = "vehicle_model"\n', encoding="utf-8")
    with pytest.raises(MappingFileError, match="maps to unknown ledger column"):
        import_table(IMPORTS / "researcher_semicolon_cp1252.csv", ledger, mapping=mapping)


def test_oryx_wide_needs_the_war_the_side_and_a_link(ledger: Path) -> None:
    with pytest.raises(ImportUsageError, match="pass --side NAME and --source-url URL"):
        import_table(IMPORTS / "wide_small.csv", ledger, conflict="karabakh-2020")


def test_unknown_conflict_is_refused(ledger: Path) -> None:
    with pytest.raises(ImportUsageError, match="conflict 'syria-2015' is not in"):
        import_table(IMPORTS / "wide_small.csv", ledger, **{**WIDE, "conflict": "syria-2015"})


def test_cli_import_json_and_exit_codes(ledger: Path) -> None:
    runner = CliRunner()
    args = [
        "import",
        str(IMPORTS / "wide_small.csv"),
        "--ledger",
        str(ledger),
        *WIDE_ARGS,
        "--format",
        "json",
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0
    assert json.loads(first.stdout)["added"] == 8
    refused = runner.invoke(app, ["import", str(IMPORTS / "wide_bad_count.csv"), *args[2:]])
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["refused"].startswith("1 record(s) are invalid, so nothing was written")
    usage = runner.invoke(app, ["import", str(IMPORTS / "wide_small.csv")])
    assert usage.exit_code == 2
    assert "import writes to a ledger: pass --ledger DIR" in plain(usage.stderr)


# --- the real samples in ../shared/samples -----------------------------------------------------------------------


@pytest.fixture
def samples() -> Path:
    path = SHARED / "samples"
    if not (path / "oryx_wide_ukraine_2023-01-08.csv").is_file():
        pytest.skip(f"needs the third-party samples at {path} (shared/ is not beside this checkout)")
    return path


def _attributed_column_sums(path: Path) -> Counter[str]:
    """Independently of the importer: items per system named after ' by ' in the wide file's column names."""
    sums: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column, cell in row.items():
                if " by " in column and cell and not column.startswith(("scuttled", "sunk")):
                    system = column.split(" by ", 1)[1].removesuffix(" and captured")
                    sums[system] += int(float(cell))
    return sums


def test_sample_wide_into_an_empty_ledger(samples: Path, empty: Path) -> None:
    source = samples / "oryx_wide_ukraine_2023-01-08.csv"
    report = import_table(
        source,
        empty,
        conflict="ukraine-2022",
        side="Ukraine",
        source_url="https://github.com/timerdenty/Oryx",
        add_systems=True,
    )
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert report.rows_read == len(rows) == 217
    assert report.balanced and report.written and report.rejected == 0
    expected = _attributed_column_sums(source)
    assert expected == {"Forpost-R": 4, "Orion": 9, "loitering munition": 1}
    assert report.items_by_system["forpost-r"] == expected["Forpost-R"]
    assert report.items_by_system["orion"] == expected["Orion"]
    assert report.items_by_system["loitering-munition-unknown"] == expected["loitering munition"]
    assert sum(report.items_by_system.values()) == sum(int(r["losses_total"]) for r in rows)
    summary = summarize_conflict(empty, "ukraine-2022")
    assert [s.side for s in summary.per_side] == ["Ukraine"]
    assert {b.name: b.items for b in summary.per_side[0].by_system}["orion"] == 9
    again = import_table(
        source,
        empty,
        conflict="ukraine-2022",
        side="Ukraine",
        source_url="https://github.com/timerdenty/Oryx",
        add_systems=True,
    )
    assert (again.added, again.duplicates) == (0, report.records)


def test_sample_long_into_empty_then_bundled(samples: Path, empty: Path, ledger: Path) -> None:
    source = samples / "oryx_long_damaged_sample.csv"
    for target in (empty, ledger):
        before = len(load_ledger(target)["losses"])
        report = import_table(source, target, conflict="ukraine-2022")
        assert (report.rows_read, report.records, report.added, report.rejected) == (1500, 1500, 1500, 0)
        assert report.balanced and validate_ledger(target).valid
        assert len(load_ledger(target)["losses"]) == before + 1500


def test_sample_wide_into_the_bundled_ledger(samples: Path, ledger: Path) -> None:
    before = snapshot(ledger)
    report = import_table(
        samples / "oryx_wide_ukraine_2023-01-08.csv",
        ledger,
        conflict="ukraine-2022",
        side="Ukraine",
        source_url="https://github.com/timerdenty/Oryx",
    )
    assert report.written and report.balanced
    assert report.unmapped["system"] == {"Orion": 9, "Forpost-R": 4}
    assert snapshot(ledger) != before
    # The 2020 ledger's own answer is untouched by the other war's rows.
    from drone_ledger import compare_claim

    assert compare_claim(ledger).ceiling.items == 517


def test_cli_import_table_view_names_the_remedy(ledger: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "import",
            str(IMPORTS / "wide_small.csv"),
            "--ledger",
            str(ledger),
            *WIDE_ARGS,
            "--dry-run",
        ],
        env={"COLUMNS": "200"},
    )
    text = plain(result.stdout)
    assert result.exit_code == 0
    assert "4 rows read, 8 records: would add 8, would update 0, duplicates 0, rejected 0 (balanced)" in text
    assert "Unmapped system: Orion (1 items)" in text
    assert "Map them in a mapping file ([values.attributed_system]) or pass --add-systems" in text


def test_an_invalid_ledger_is_refused_before_anything_is_written(ledger: Path) -> None:
    losses = (ledger / "losses.csv").read_text(encoding="utf-8")
    (ledger / "losses.csv").write_text(losses.replace(",146,destroyed,", ",-146,destroyed,"), encoding="utf-8")
    before = snapshot(ledger)
    with pytest.raises(ImportUsageError) as refused:
        import_table(IMPORTS / "wide_small.csv", ledger, **WIDE)
    assert refused.value.code == "invalid-ledger"
    assert "already has errors (first: " in str(refused.value) and "losses.csv:2 [quantity]" in str(refused.value)
    assert snapshot(ledger) == before


# --- no silent drops (issue 11, point 4) ---------------------------------------------------------------------------

LONG_HEADER = "country,origin,system,status,url,date_recorded,sysID,imageID,statusID,matID"


def _long(tmp_path: Path, *rows: str, name: str = "long.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([LONG_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_rows_that_share_an_id_but_differ_are_rejected_with_both_lines(ledger: Path, tmp_path: Path) -> None:
    source = _long(
        tmp_path,
        "Armenia,Soviet Union,T-72B,destroyed,https://example.org/1,2020-10-02,1,1,1,7-1",
        "Armenia,Soviet Union,T-72B,destroyed,https://example.org/1,2020-10-02,1,1,1,7-1",  # the same row again
        "Armenia,Soviet Union,BMP-2,captured,https://example.org/2,2020-10-03,2,2,2,7-2",
        "Armenia,Soviet Union,BMP-2,destroyed,https://example.org/3,2020-10-04,2,3,2,7-2",  # id 7-2 again, differs
    )
    before = snapshot(ledger)
    report = import_table(source, ledger, conflict="karabakh-2020")
    assert (report.records, report.added, report.duplicates, report.rejected) == (4, 1, 1, 2) and report.balanced
    assert report.refused and not report.written
    assert [r["source_line"] for r in report.rejects] == [4, 5]
    assert all(r["reasons"][0].startswith("loss_id oryx-long-") for r in report.rejects)
    assert "also on source line(s) 5 with a different" in report.rejects[0]["reasons"][0]
    assert "also on source line(s) 4 with a different" in report.rejects[1]["reasons"][0]
    assert snapshot(ledger) == before
    kept = import_table(source, ledger, conflict="karabakh-2020", keep_valid=True)
    assert (kept.added, kept.rejected, kept.written) == (1, 2, True)


def test_per_model_rows_for_one_model_that_differ_are_rejected(ledger: Path, tmp_path: Path) -> None:
    source = tmp_path / "wide_twice.csv"
    source.write_text(
        "equipment,model,sub_model,manufacturer,losses_total,destroyed,captured\n"
        "Tanks,T-72B,,the Soviet Union,3,2,1\n"
        'Tanks,"T-72B (1, destroyed)",,the Soviet Union,3,2,1\n'  # the same model twice, the same counts: a repeat
        "Tanks,T-80BV,,the Soviet Union,2,2,\n"
        "Tanks,T-80BV,,the Soviet Union,5,4,1\n",  # the same model twice, different counts
        encoding="utf-8",
    )
    report = import_table(source, ledger, **WIDE)
    assert (report.records, report.added, report.duplicates, report.rejected) == (7, 2, 2, 3) and report.balanced
    assert {r["source_line"] for r in report.rejects} == {4, 5}
    assert all(
        "lines 4, 5 are all 'T-80BV' (Tanks) but differ in 'losses_total'" in r["reasons"][0] for r in report.rejects
    )


def test_a_mapped_column_the_file_lacks_is_an_error_naming_the_closest(ledger: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "misspelt.toml"
    text = (IMPORTS / "researcher_mapping.toml").read_text(encoding="utf-8")
    mapping.write_text(text.replace('"Weapon" = "attributed_system"', '"Weapons" = "attributed_system"'), "utf-8")
    before = snapshot(ledger)
    with pytest.raises(ImportUsageError) as refused:
        import_table(IMPORTS / "researcher_semicolon_cp1252.csv", ledger, mapping=mapping)
    assert refused.value.code == "missing-mapped-column"
    assert "names column 'Weapons', which researcher_semicolon_cp1252.csv does not have (did you mean 'Weapon'?)" in (
        str(refused.value)
    )
    assert snapshot(ledger) == before


def test_two_columns_for_one_ledger_column_are_refused(ledger: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "twice.toml"
    mapping.write_text('[columns]\n"Vehicle" = "model"\n"Type" = "model"\n', encoding="utf-8")
    with pytest.raises(MappingFileError, match="maps 'Vehicle' and 'Type' all to model"):
        import_table(IMPORTS / "researcher_semicolon_cp1252.csv", ledger, mapping=mapping)
    source = tmp_path / "both.csv"
    source.write_text("model,Vehicle,category,status,source_url\nT-72,T-80,Tanks,destroyed,https://e.org/1\n", "utf-8")
    mapping.write_text('[columns]\n"Vehicle" = "model"\n[constants]\nconflict = "karabakh-2020"\n', encoding="utf-8")
    with pytest.raises(ImportUsageError) as refused:
        import_table(source, ledger, mapping=mapping, source_format="csv")
    assert refused.value.code == "ambiguous-mapped-column"


def test_a_repeated_source_header_is_an_error(ledger: Path, tmp_path: Path) -> None:
    for body in ("a,b\n", 'a,"b\nc"\n'):  # the fast reader and the careful one
        source = _long(tmp_path, "Armenia,Soviet Union,T-72B,destroyed,https://example.org/1,2020-10-02,1,1,1,7-1")
        source.write_text(
            source.read_text(encoding="utf-8")
            .replace(LONG_HEADER, LONG_HEADER + ",status,notes")
            .replace("7-1\n", "7-1,captured," + body),
            encoding="utf-8",
        )
        before = snapshot(ledger)
        with pytest.raises(ImportSourceError) as refused:
            import_table(source, ledger, conflict="karabakh-2020")
        assert refused.value.code == "duplicate-column"
        assert "names column 'status' 2 times (columns 4, 11)" in str(refused.value)
        assert snapshot(ledger) == before


# --- links with a label (point 7) ----------------------------------------------------------------------------------


def test_a_url_cell_with_a_label_keeps_the_link_and_the_label(ledger: Path, tmp_path: Path) -> None:
    source = _long(
        tmp_path,
        "Russia,Russia,KamAZ 6x6,destroyed,KamAZ 6x6 https://postimg.cc/abc,2022-03-01,1,1,1,7-1",
        "Russia,Russia,Ural-4320,destroyed,https://postimg.cc/def,2022-03-02,1,2,1,7-2",
        "Russia,Russia,GAZ-66,destroyed,see the photo,2022-03-03,1,3,1,7-3",
    )
    report = import_table(source, ledger, conflict="ukraine-2022", keep_valid=True)  # the bundled ledger knows it
    assert (report.added, report.rejected) == (2, 1)
    assert report.rejects[0]["source_line"] == 4 and "invalid-url" in report.rejects[0]["reasons"][0]
    assert "links with other text in the url cell (the text kept in notes): 1" in report.notes
    kamaz = next(r for r in imported(ledger, "oryx-long") if r["model"] == "KamAZ 6x6")
    assert kamaz["source_url"] == "https://postimg.cc/abc"
    assert "url cell also held: KamAZ 6x6" in str(kamaz["notes"])


# --- every failure a clear error (point 8) -------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["inf", "-inf", "nan", "1e400", "9" * 5000, "²"])
def test_an_impossible_oryx_count_is_rejected_at_its_cell(ledger: Path, tmp_path: Path, cell: str) -> None:
    source = tmp_path / "wide_bad.csv"
    source.write_text(
        "equipment,model,sub_model,manufacturer,losses_total,destroyed\nTanks,T-72B,,,1," + cell + "\n",
        encoding="utf-8",
    )
    report = import_table(source, ledger, **WIDE)
    assert report.refused and report.rejects[0]["source_line"] == 2
    assert report.rejects[0]["reasons"][0].startswith("column 'destroyed': ")
    assert report.rejects[0]["reasons"][0].endswith("is not a whole number of items")
    assert len(report.rejects[0]["reasons"][0]) < 200


#: A losses.csv row without its notes (an item of the 2020 war).
LEDGER_ROW = (
    "X1,karabakh-2020,Armenia,2020-10-02,2020-10-02,,Tanks,T-72B,1,destroyed,destroyed,unattributed,,item,,,,test,"
    "https://e.org/1"
)


@pytest.mark.parametrize("source_format", ["ledger", "csv"])
@pytest.mark.parametrize("quantity", ["²", "9" * 5000, "١٢"])
def test_a_quantity_that_is_no_number_is_rejected_with_line_and_column(
    ledger: Path, tmp_path: Path, quantity: str, source_format: str
) -> None:
    header = (IMPORTS.parent / "mini" / "losses.csv").read_text(encoding="utf-8").splitlines()[0]
    row = LEDGER_ROW + ","
    assert len(row.split(",")) == len(header.split(","))
    source = tmp_path / "ledger_rows.csv"
    source.write_text(header + "\n" + row.replace(",T-72B,1,", f",T-72B,{quantity},") + "\n", encoding="utf-8")
    report = import_table(source, ledger, source_format=source_format)
    assert report.refused and [r["source_line"] for r in report.rejects] == [2]
    assert report.rejects[0]["reasons"][0].startswith("quantity: not-a-number: ")


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ("date_format = 5", "bad-date-format"),
        ('date_format = "%Y%Y"', "bad-date-format"),
        ('date_format = "%Q"', "bad-date-format"),
        (f'date_format = "{"%d" * 40}"', "bad-date-format"),
        ("encoding = 123", "unknown-encoding"),
        ('encoding = "hex"', "unknown-encoding"),
        ('encoding = "no-such-codec"', "unknown-encoding"),
        ('delimiter = "ab"', "bad-delimiter"),
        ('delimiter = "\\""', "bad-delimiter"),
        ("delimiter = 1", "bad-delimiter"),
        ('id_columns = "Link"', "bad-mapping-file"),
    ],
)
def test_a_mapping_value_of_the_wrong_kind_is_a_clear_error(
    ledger: Path, tmp_path: Path, options: str, code: str
) -> None:
    mapping = tmp_path / "bad.toml"
    mapping.write_text(f'[columns]\n"Vehicle" = "model"\n[options]\n{options}\n', encoding="utf-8")
    with pytest.raises(MappingFileError) as refused:
        import_table(IMPORTS / "researcher_semicolon_cp1252.csv", ledger, mapping=mapping)
    assert refused.value.code == code and refused.value.exit_code == 2
    assert str(mapping) in str(refused.value)


@pytest.mark.parametrize(
    "content",
    ["a = " + "[" * 100_000 + "]" * 100_000, "[" + "a." * 50_000 + "b]\n", "x" * (2 * 1024 * 1024)],
    ids=["nested-arrays", "nested-tables", "two-megabytes"],
)
def test_a_pathological_mapping_file_is_a_clear_error(ledger: Path, tmp_path: Path, content: str) -> None:
    mapping = tmp_path / "deep.toml"
    mapping.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["import", str(IMPORTS / "wide_small.csv"), "--ledger", str(ledger), "--map", str(mapping)]
    )
    assert result.exit_code == 2 and "[bad-mapping-file]" in plain(result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("option", "value", "code"),
    [
        ("--delimiter", "ab", "bad-delimiter"),
        ("--encoding", "123", "unknown-encoding"),
        ("--encoding", "hex", "unknown-encoding"),
    ],
)
def test_bad_reading_options_are_usage_errors(ledger: Path, option: str, value: str, code: str) -> None:
    result = CliRunner().invoke(
        app, ["import", str(IMPORTS / "wide_small.csv"), "--ledger", str(ledger), option, value, *WIDE_ARGS]
    )
    assert result.exit_code == 2 and f"[{code}]" in plain(result.stderr), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_max_field_is_for_the_source_and_a_cell_the_ledger_cannot_hold_is_rejected(
    ledger: Path, tmp_path: Path
) -> None:
    """--max-field lets the source be read; the ledger is read with its own limit (1,000,000 characters), so a
    record with a longer cell is rejected with the column and its length, and nothing is written."""
    header = (IMPORTS.parent / "mini" / "losses.csv").read_text(encoding="utf-8").splitlines()[0]
    long_note = "x" * 1_500_000
    row = f"{LEDGER_ROW},{long_note}"
    source = tmp_path / "long_note.csv"
    source.write_text(header + "\n" + row + "\n", encoding="utf-8")
    before = snapshot(ledger)
    with pytest.raises(ImportSourceError, match="pass --max-field"):
        import_table(source, ledger, source_format="ledger")
    report = import_table(source, ledger, source_format="ledger", max_field=2_000_000)
    assert (report.added, report.rejected, report.written) == (0, 1, False)
    (reject,) = report.rejects
    assert reject["reasons"] == [
        "notes: field-too-large: 1,500,000 characters, over the 1,000,000 a ledger cell is read with; shorten it "
        "in the source"
    ]
    assert snapshot(ledger) == before
    assert validate_ledger(load_ledger(ledger)).valid


def test_rejects_as_a_file_or_a_link_is_refused_before_anything_is_written(ledger: Path, tmp_path: Path) -> None:
    (ledger / "rejects").write_text("my notes\n", encoding="utf-8")
    before = snapshot(ledger)
    result = CliRunner().invoke(
        app,
        [
            "import",
            str(IMPORTS / "long_small.csv"),
            "--ledger",
            str(ledger),
            "--conflict",
            "karabakh-2020",
            "--keep-valid",
        ],
    )
    assert result.exit_code == 1 and "[rejects-not-a-directory]" in plain(result.stderr), result.stderr
    assert snapshot(ledger) == before
    (ledger / "rejects").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ledger / "rejects").symlink_to(elsewhere)
    with pytest.raises(LedgerWriteError, match="never writes rejects through a link"):
        import_table(IMPORTS / "long_small.csv", ledger, conflict="karabakh-2020", keep_valid=True)
    assert list(elsewhere.iterdir()) == []


def test_two_imports_in_one_second_get_two_rejects_files(
    ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Frozen:
            return cls(2024, 1, 1, 12, 0, 0, tzinfo=tz)

    monkeypatch.setattr(dt, "datetime", Frozen)  # the rejects file is named after the time
    second = _long(
        tmp_path,
        "Armenia,Soviet Union,T-72B,destroyed,https://example.org/9,2020-10-02,1,9,1,7-9",
        "Armenia,Soviet Union,T-72B,destroyed,ftp://example.org/10,2020-10-02,1,10,1,7-10",
    )
    first = import_table(IMPORTS / "long_small.csv", ledger, conflict="karabakh-2020", keep_valid=True)
    again = import_table(second, ledger, conflict="karabakh-2020", keep_valid=True, source_name="x")
    assert first.rejects_file and again.rejects_file
    assert Path(first.rejects_file).name == "long_small-20240101T120000Z.csv"
    assert Path(again.rejects_file).name == "long-20240101T120000Z.csv"
    third = _long(
        tmp_path,
        "Armenia,Soviet Union,T-72B,destroyed,ftp://example.org/11,2020-10-02,1,11,1,7-11",
        "Armenia,Soviet Union,T-72B,destroyed,https://example.org/12,2020-10-02,1,12,1,7-12",
        name="long_small.csv",
    )
    fourth = import_table(third, ledger, conflict="karabakh-2020", keep_valid=True)
    assert Path(str(fourth.rejects_file)).name == "long_small-20240101T120000Z-2.csv"
    assert len(list((ledger / "rejects").iterdir())) == 3


def test_an_over_long_source_name_gets_a_short_rejects_file(ledger: Path, tmp_path: Path) -> None:
    source = tmp_path / ("s" * 240 + ".csv")
    source.write_bytes((IMPORTS / "long_small.csv").read_bytes())
    report = import_table(source, ledger, conflict="karabakh-2020", keep_valid=True)
    assert report.written and report.rejects_file and len(Path(report.rejects_file).name) < 120


def test_an_idempotent_reimport_touches_no_file(ledger: Path) -> None:
    import_table(IMPORTS / "long_small.csv", ledger, conflict="karabakh-2020", keep_valid=True)
    stamps = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in ledger.rglob("*")}
    again = import_table(IMPORTS / "long_small.csv", ledger, conflict="karabakh-2020", keep_valid=True)
    assert (again.added, again.written, again.rejects_file) == (0, False, None)
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in ledger.rglob("*")} == stamps


# --- Oryx's vocabulary and categories for per-item tables (issue 14, point 6) -----------------------------------


def test_oryx_russian_page_categories_are_known(ledger: Path, tmp_path: Path) -> None:
    source = tmp_path / "wide_ru.csv"
    source.write_text(
        "equipment,model,sub_model,manufacturer,losses_total,destroyed\n"
        "Heavy Mortars,2S4 Tyulpan,,the Soviet Union,1,1\n"
        "Radars,1L22 Parol,,Russia,1,1\n"
        "Logistics Trains,Fuel train,,Russia,1,1\n"
        "Naval Ships and Submarines,Moskva,,the Soviet Union,1,1\n"
        '"Trucks, Vehicles, and Jeeps",GAZ-66,,the Soviet Union,1,1\n'
        "Self Propelled Artillery,2S19 Msta-S,,Russia,1,1\n"
        "Unmanned Combat Aerial Vehicles,Orion,,Russia,1,1\n"
        "Spaceships,Soyuz,,Russia,1,1\n",
        encoding="utf-8",
    )
    report = import_table(source, ledger, conflict="ukraine-2022", side="Russia", source_url="https://e.org/ru")
    assert report.unmapped == {"category": {"Spaceships": 1}}
    categories = {r["model"]: r["category"] for r in imported(ledger, "oryx-wide")}
    assert categories == {
        "2S4 Tyulpan": "Heavy Mortars",
        "1L22 Parol": "Radars",
        "Fuel train": "Logistics Trains",
        "Moskva": "Naval Ships",
        "GAZ-66": "Trucks, Vehicles and Jeeps",
        "2S19 Msta-S": "Self-Propelled Artillery",
        "Orion": "Unmanned Combat Aerial Vehicles",
        "Soyuz": "Unknown",
    }


def test_per_item_categories_from_a_per_model_table(samples: Path, empty: Path) -> None:
    long_source, wide_source = samples / "oryx_long_damaged_sample.csv", samples / "oryx_wide_ukraine_2023-01-08.csv"
    without = import_table(long_source, empty, conflict="ukraine-2022", dry_run=True)
    assert any(
        n.startswith("items without a category (the per-item format has none; pass --categories-from")
        for n in without.notes
    )
    report = import_table(long_source, empty, conflict="ukraine-2022", categories_from=wide_source, dry_run=True)
    notes = dict(n.rsplit(": ", 1) for n in report.notes)
    matched = int(notes.get(f"items given their category from {wide_source.name} by model name", 0))
    missing = int(notes.get(f"items whose model is not in {wide_source.name} (category Unknown)", 0))
    ambiguous = int(notes.get(f"items whose model is under two categories in {wide_source.name} (category Unknown)", 0))
    assert matched + missing + ambiguous == report.records == 1500
    assert matched > 0 and missing > 0  # the Ukrainian table names some of the Russian items' models
    assert report.unmapped["category"] == {
        k: v
        for k, v in {
            f"(model not in {wide_source.name})": missing,
            f"(model under two categories in {wide_source.name})": ambiguous,
        }.items()
        if v
    }
    with pytest.raises(ImportUsageError, match="--categories-from gives categories to a per-item"):
        import_table(
            wide_source,
            empty,
            categories_from=wide_source,
            conflict="ukraine-2022",
            side="Ukraine",
            source_url="https://github.com/timerdenty/Oryx",
            dry_run=True,
        )


def test_per_item_categories_match_by_model_name(ledger: Path, tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "equipment,model,sub_model,manufacturer,losses_total,destroyed\n"
        "Tanks,T-72B,,,1,1\nTanks,T-72B3,obr. 2016,,1,1\nHeavy Mortars,2B11,,,1,1\n"
        "Towed Artillery,2A65 Msta-B,,,1,1\nSelf-Propelled Artillery,2A65 Msta-B,,,1,1\n",
        encoding="utf-8",
    )
    source = _long(
        tmp_path,
        "Armenia,Soviet Union,1094 T-72B,destroyed,https://example.org/1,2020-10-02,1,1,1,7-1",
        "Armenia,Soviet Union,t-72b3  OBR. 2016,destroyed,https://example.org/2,2020-10-02,1,2,1,7-2",
        "Armenia,Soviet Union,2B11,destroyed,https://example.org/3,2020-10-02,1,3,1,7-3",
        "Armenia,Soviet Union,2A65 Msta-B,destroyed,https://example.org/4,2020-10-02,1,4,1,7-4",
        "Armenia,Soviet Union,BMP-2,destroyed,https://example.org/5,2020-10-02,1,5,1,7-5",
    )
    report = import_table(source, ledger, conflict="karabakh-2020", categories_from=wide)
    rows = {r["model"]: r["category"] for r in imported(ledger, "oryx-long")}
    assert rows == {
        "T-72B": "Tanks",
        "t-72b3 OBR. 2016": "Tanks",
        "2B11": "Heavy Mortars",
        "2A65 Msta-B": "Unknown",
        "BMP-2": "Unknown",
    }
    assert "items given their category from wide.csv by model name: 3" in report.notes
    assert "items whose model is under two categories in wide.csv (category Unknown): 1" in report.notes
    assert "items whose model is not in wide.csv (category Unknown): 1" in report.notes


# --- what the report says (issue 14, point 7) ------------------------------------------------------------------------


def test_a_change_line_shows_only_what_changed(samples: Path, empty: Path) -> None:
    source = samples / "oryx_wide_ukraine_2023-01-08.csv"
    args = [
        "import",
        str(source),
        "--ledger",
        str(empty),
        "--conflict",
        "ukraine-2022",
        "--side",
        "Ukraine",
        "--source-url",
        "https://github.com/timerdenty/Oryx",
    ]
    assert CliRunner().invoke(app, args).exit_code == 0
    result = CliRunner().invoke(app, [*args, "--add-systems"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    changes = [line for line in plain_lines(result.stdout) if line.startswith("changed ")]
    assert changes and all(" → " in c or "notes: removed 'attribution not mapped to a system: " in c for c in changes)
    assert not [c for c in changes if re.search(r"(manufacturer: [^→]+) → \1$", c)]
    assert "notes: removed 'attribution not mapped to a system: Orion'" in result.stdout.replace("\n", " ")


def plain_lines(text: str) -> list[str]:
    """Logical lines of a Rich print, whatever the terminal width wrapped."""
    joined = re.sub(r"\n(?! {2}\S|\S)", " ", text)
    return [" ".join(line.split()) for line in joined.splitlines()]


def test_a_per_item_source_says_the_side_and_side_only_fills_rows_without_one(ledger: Path, tmp_path: Path) -> None:
    """The source's own country wins over --side; --side fills a row that has none; each disagreement is reported
    (never overwritten in silence: in the real per-item data 1,156 of 3,389 Ukrainian losses said another side)."""
    source = tmp_path / "sides.csv"
    source.write_text(
        "country,origin,system,status,url,date_recorded,matID\n"
        "Armenia,x,T-72B,destroyed,https://example.org/1,2020-10-02,s-1\n"
        "Azerbaijan,x,T-72B,destroyed,https://example.org/2,2020-10-02,s-2\n"
        ",x,T-72B,destroyed,https://example.org/3,2020-10-02,s-3\n"
        "armenia,x,T-72B,destroyed,https://example.org/4,2020-10-02,s-4\n",
        encoding="utf-8",
    )
    report = import_table(source, ledger, conflict="karabakh-2020", side="Armenia")
    assert report.written and report.added == 4
    losses = load_ledger(ledger)["losses"]
    sides = dict(zip(losses["source_url"], losses["side_losing"], strict=True))
    assert [sides[f"https://example.org/{n}"] for n in range(1, 5)] == ["Armenia", "Azerbaijan", "Armenia", "armenia"]
    assert "rows whose own side (Azerbaijan) is not --side Armenia: their own side was kept: 1" in report.notes
    assert not any("(armenia)" in note for note in report.notes)  # the same side, spelt in lower case
