"""Adding a conflict without editing conflicts.csv: the catalog, exact rows, refusals, the CLI, an import after it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED, ROOT, SHARED, plain
from typer.testing import CliRunner

from drone_ledger import import_table, validate_ledger
from drone_ledger.cli import app
from drone_ledger.conflicts import COLUMNS, KNOWN_CONFLICTS, add_conflict, known_conflicts
from drone_ledger.errors import ConflictUsageError, ImportUsageError, LedgerNotFoundError, UnreadableLedgerError
from drone_ledger.layout import columns_of
from drone_ledger.writing import init_ledger

HEADER = "conflict_id,name,start_date,end_date,source_url,notes\n"
UKRAINE_URL = (
    "https://github.com/front-lines-org/astro-experiment/blob/2ab849bec5d385e2d3be0966cbf53804269721fa/"
    "src/pages/sahel/2022_russian_invasion_of_ukraine.md"
)
UKRAINE_NOTES = (
    "Wikipedia (public repository copy): the invasion began on the morning of 24 February 2022, an escalation of "
    "the Russo-Ukrainian War that began in 2014; ongoing, so no end date."
)
UKRAINE_ROW = f'ukraine-2022,2022 Russian invasion of Ukraine,2022-02-24,,{UKRAINE_URL},"{UKRAINE_NOTES}"\n'
TODAY = dt.date(2025, 1, 1)

runner = CliRunner()


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """A ledger made by `init --empty`: bundled systems and CPI, no conflict."""
    path = tmp_path / "ledger"
    init_ledger(path, empty=True)
    return path


@pytest.fixture
def with_ukraine(empty: Path) -> Path:
    """The empty ledger after `conflict add ukraine-2022`."""
    assert add_conflict(empty, "ukraine-2022").status == "added"
    return empty


def conflicts_bytes(ledger: Path) -> bytes:
    return (ledger / "conflicts.csv").read_bytes()


# --- the catalog ---------------------------------------------------------------------------------------------------


def test_catalog_columns_are_the_schema_columns() -> None:
    assert list(COLUMNS) == columns_of("conflicts")


def test_catalog_entries_are_the_bundled_rows() -> None:
    karabakh, ukraine = csv.DictReader(io.StringIO((BUNDLED / "conflicts.csv").read_text(encoding="utf-8")))
    assert KNOWN_CONFLICTS["karabakh-2020"].row() == karabakh
    assert KNOWN_CONFLICTS["ukraine-2022"].row() == ukraine


def test_catalog_entries_cite_a_pinned_source_for_their_dates() -> None:
    """Honesty: each entry's dates come from the page its source_url names, pinned to a commit so it cannot drift."""
    for known in KNOWN_CONFLICTS.values():
        assert re.fullmatch(r"https://github\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/.+\.md", known.source_url)
    assert (KNOWN_CONFLICTS["ukraine-2022"].start_date, KNOWN_CONFLICTS["ukraine-2022"].end_date) == (
        "2022-02-24",
        None,  # ongoing
    )


@pytest.mark.parametrize("conflict_id", sorted(KNOWN_CONFLICTS))
def test_every_catalog_entry_makes_a_valid_ledger(empty: Path, conflict_id: str) -> None:
    assert add_conflict(empty, conflict_id).status == "added"
    report = validate_ledger(empty)
    assert report.valid, [i.message for i in report.errors]


def test_the_catalog_does_not_load_pandas() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, drone_ledger.conflicts; print('pandas' in sys.modules)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.stdout.strip() == "False", probe.stderr


def test_known_conflicts_says_which_the_ledger_has(with_ukraine: Path) -> None:
    assert known_conflicts().to_dict()["ledger"] is None
    known = known_conflicts(with_ukraine)
    assert known.in_ledger == {"karabakh-2020": "absent", "ukraine-2022": "same"}
    assert known.ledger_only == []
    bundled = known_conflicts(BUNDLED)
    assert bundled.in_ledger == {"karabakh-2020": "same", "ukraine-2022": "same"}


def test_known_conflicts_names_the_ledger_s_own(mini: Path) -> None:
    known = known_conflicts(mini)
    assert known.ledger_only == ["war-x"]
    assert known.in_ledger == {"karabakh-2020": "absent", "ukraine-2022": "absent"}
    code, out, _ = invoke("conflict", "list", "--ledger", str(mini))
    assert code == 0 and f"Also in {mini}: war-x" in plain(out)


# --- adding ---------------------------------------------------------------------------------------------------------


def test_a_known_conflict_is_added_by_its_id(empty: Path) -> None:
    assert conflicts_bytes(empty) == HEADER.encode()
    result = add_conflict(empty, "ukraine-2022")
    assert (result.status, result.written, result.line, result.exit_code) == ("added", True, 2, 0)
    assert result.from_catalog == ["name", "start_date", "source_url", "notes"]
    assert result.message == f"added ukraine-2022 to {empty / 'conflicts.csv'} (line 2)"
    assert conflicts_bytes(empty) == (HEADER + UKRAINE_ROW).encode()


def test_a_conflict_with_explicit_options(with_ukraine: Path) -> None:
    result = add_conflict(
        with_ukraine,
        "test-war",
        name="  Test war, first phase ",
        start="2021-03-01",
        end="2021-04-30",
        source_url="https://example.org/test-war",
        notes='called "the spring war"',
    )
    assert (result.status, result.line, result.from_catalog) == ("added", 3, [])
    assert (
        conflicts_bytes(with_ukraine)
        == (
            HEADER
            + UKRAINE_ROW
            + 'test-war,"Test war, first phase",2021-03-01,2021-04-30,https://example.org/test-war,'
            '"called ""the spring war"""\n'
        ).encode()
    )
    assert validate_ledger(with_ukraine).valid


def test_options_override_the_catalog(empty: Path, tmp_path: Path) -> None:
    renamed = add_conflict(empty, "ukraine-2022", name="Full-scale invasion")
    assert renamed.from_catalog == ["start_date", "source_url", "notes"]  # the notes still describe these dates
    assert renamed.row["name"] == "Full-scale invasion" and renamed.row["notes"] == UKRAINE_NOTES
    other = tmp_path / "other"
    init_ledger(other, empty=True)
    redated = add_conflict(other, "ukraine-2022", start="2014-02-20", source_url="https://example.org/war")
    assert redated.from_catalog == ["name"]  # the catalog's notes speak of its own date and source: left out
    assert (
        conflicts_bytes(other)
        == (HEADER + "ukraine-2022,2022 Russian invasion of Ukraine,2014-02-20,,https://example.org/war,\n").encode()
    )


LINE3 = "conflicts.csv:3"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"conflict_id": "test war"},
            [
                (
                    "conflict_id",
                    "invalid-id",
                    "conflict_id must start with a letter or digit and use only letters, digits and _ . : -, "
                    "got 'test war'",
                )
            ],
        ),
        (
            {"start": "24/02/2022"},
            [("start_date", "invalid-date-format", "start_date must be an ISO date (YYYY-MM-DD), got '24/02/2022'")],
        ),
        ({"start": "2022-02-30"}, [("start_date", "impossible-date", "start_date 2022-02-30 is not a calendar date")]),
        ({"end": "2022-13-01"}, [("end_date", "impossible-date", "end_date 2022-13-01 is not a calendar date")]),
        (
            {"end": "2021-12-31"},
            [("end_date", "period-inverted", "end_date 2021-12-31 is before start_date 2022-01-01")],
        ),
        ({"start": "2025-01-02"}, [("start_date", "future-date", "start_date 2025-01-02 is in the future")]),
        ({"end": "2030-01-01"}, [("end_date", "future-date", "end_date 2030-01-01 is in the future")]),
        (
            {"source_url": "javascript:alert(1)"},
            [
                (
                    "source_url",
                    "invalid-url",
                    "source_url must be an http:// or https:// link (several separated by spaces where allowed), "
                    "got 'javascript:alert(1)'",
                )
            ],
        ),
        (
            {"start": "2022-02-30", "source_url": "ftp://example.org/war"},
            [
                (
                    "source_url",
                    "invalid-url",
                    "source_url must be an http:// or https:// link (several separated by spaces where allowed), "
                    "got 'ftp://example.org/war'",
                ),
                ("start_date", "impossible-date", "start_date 2022-02-30 is not a calendar date"),
            ],
        ),
    ],
)
def test_each_invalid_value_is_refused_and_nothing_is_written(
    with_ukraine: Path, values: dict[str, str], expected: list[tuple[str, str, str]]
) -> None:
    before = conflicts_bytes(with_ukraine)
    row = {"conflict_id": "test-war", "name": "Test war", "start": "2022-01-01", "source_url": "https://example.org"}
    row.update(values)
    result = add_conflict(with_ukraine, row.pop("conflict_id"), today=TODAY, **row)
    assert (result.status, result.written, result.exit_code, result.line) == ("refused", False, 1, 3)
    assert [(i.column, i.code, i.message) for i in result.issues] == expected
    assert all(i.location().startswith(str(with_ukraine / LINE3)) for i in result.issues)
    assert conflicts_bytes(with_ukraine) == before


def test_adding_twice_writes_nothing(with_ukraine: Path) -> None:
    path = with_ukraine / "conflicts.csv"
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    again = add_conflict(with_ukraine, "ukraine-2022")
    assert (again.status, again.written, again.exit_code, again.line) == ("unchanged", False, 0, 2)
    assert again.message == f"ukraine-2022 is already in {path} (line 2) with the same values; nothing written"
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp


def test_adding_the_bundled_war_to_a_copy_of_the_bundled_ledger_writes_nothing(tmp_path: Path) -> None:
    ledger = tmp_path / "copy"
    init_ledger(ledger)
    assert add_conflict(ledger, "karabakh-2020").status == "unchanged"


def test_the_same_id_with_other_values_is_refused_showing_both(with_ukraine: Path) -> None:
    before = conflicts_bytes(with_ukraine)
    result = add_conflict(with_ukraine, "ukraine-2022", name="Another name")
    assert (result.status, result.exit_code, result.line) == ("refused", 1, 2)
    assert result.existing is not None and result.existing["name"] == "2022 Russian invasion of Ukraine"
    assert result.row["name"] == "Another name"
    ((column, code, message),) = [(i.column, i.code, i.message) for i in result.issues]
    assert (column, code) == ("conflict_id", "conflict-exists")
    assert message == (
        "conflict_id 'ukraine-2022' is already in conflicts.csv with other values (name '2022 Russian invasion of "
        "Ukraine' there, 'Another name' given); nothing written: correct or remove that row, or choose another id"
    )
    assert conflicts_bytes(with_ukraine) == before


def test_a_directory_that_is_not_a_ledger_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.txt").write_text("not a ledger", encoding="utf-8")
    with pytest.raises(LedgerNotFoundError) as caught:
        add_conflict(folder, "ukraine-2022")
    assert (caught.value.code, caught.value.exit_code) == ("not-a-ledger", 2)
    assert str(caught.value) == (
        f"{folder} is not a ledger (it has no losses.csv); create one with `drone-ledger init NEW_DIR --empty`, "
        "or pass --ledger with the directory that holds losses.csv"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["readme.txt"]  # no conflicts.csv, no lock file
    bare = tmp_path / "bare"
    bare.mkdir()
    with pytest.raises(LedgerNotFoundError, match=re.escape(f"create one with `drone-ledger init {bare} --empty`")):
        add_conflict(bare, "ukraine-2022")
    assert list(bare.iterdir()) == []
    with pytest.raises(LedgerNotFoundError, match="does not exist"):
        add_conflict(tmp_path / "missing", "ukraine-2022")
    assert not (tmp_path / "missing").exists()


def test_an_unknown_id_needs_its_details(empty: Path) -> None:
    with pytest.raises(ConflictUsageError) as caught:
        add_conflict(empty, "ukrain-2022")
    assert caught.value.exit_code == 2
    assert str(caught.value) == (
        "'ukrain-2022' is not a known conflict, so it needs --name NAME, --start YYYY-MM-DD, --source-url URL; "
        "did you mean 'ukraine-2022'? known conflicts: karabakh-2020, ukraine-2022 (`drone-ledger conflict list`)"
    )
    with pytest.raises(ConflictUsageError, match=r"so it needs --start YYYY-MM-DD; known conflicts"):
        add_conflict(empty, "gulf-1991", name="Gulf War", source_url="https://example.org")
    assert conflicts_bytes(empty) == HEADER.encode()


def test_the_file_keeps_its_bytes_and_gains_one_line(empty: Path) -> None:
    """A hand-edited file: BOM, an extra column, no final newline. Its bytes stay; the row fills the extra cell."""
    path = empty / "conflicts.csv"
    path.write_bytes(
        "\ufeffconflict_id,name,start_date,end_date,source_url,notes,editor\n"
        "old-war,Old war,2001-01-01,2001-02-01,https://example.org/old,,me".encode()
    )
    before = path.read_bytes()
    assert add_conflict(empty, "karabakh-2020").status == "added"
    row = KNOWN_CONFLICTS["karabakh-2020"].row()
    assert (
        path.read_bytes()
        == before
        + (
            f"\n{row['conflict_id']},{row['name']},{row['start_date']},{row['end_date']},{row['source_url']},"
            f"{row['notes']},\n"
        ).encode()
    )


def test_a_missing_conflicts_file_is_created(empty: Path) -> None:
    (empty / "conflicts.csv").unlink()
    assert add_conflict(empty, "ukraine-2022").status == "added"
    assert conflicts_bytes(empty) == (HEADER + UKRAINE_ROW).encode()


def test_a_conflicts_file_that_cannot_be_read_is_not_touched(empty: Path) -> None:
    path = empty / "conflicts.csv"
    path.write_text("conflict_id,name,start,end_date,source_url,notes\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(UnreadableLedgerError) as refused:
        add_conflict(empty, "ukraine-2022")
    assert refused.value.code == "unreadable-ledger"
    assert [(i.column, i.code) for i in refused.value.problems] == [("start_date", "missing-column")]
    assert "conflicts.csv: restore the column's name in the header" in str(refused.value)
    assert path.read_bytes() == before


def test_validate_refuses_a_war_that_ends_before_it_starts(empty: Path) -> None:
    with (empty / "conflicts.csv").open("a", encoding="utf-8") as handle:
        handle.write("test-war,Test war,2022-01-02,2022-01-01,https://example.org,\n")
    (error,) = validate_ledger(empty).errors
    assert (error.line, error.column, error.code) == (2, "end_date", "period-inverted")


# --- the importer points to the command -----------------------------------------------------------------------------

WIDE_SOURCE = ROOT / "tests" / "fixtures" / "imports" / "wide_small.csv"


def test_import_of_an_unknown_conflict_suggests_the_command(empty: Path) -> None:
    options = {"side": "Ukraine", "source_url": "https://example.org/oryx"}
    with pytest.raises(ImportUsageError) as caught:
        import_table(WIDE_SOURCE, empty, conflict="ukraine-2022", **options)
    assert str(caught.value) == (
        f"conflict 'ukraine-2022' is not in {empty / 'conflicts.csv'} (it has: none); add it first with "
        f"`drone-ledger conflict add ukraine-2022 --ledger {empty}` (a known conflict: its name, dates and source "
        "come with it)"
    )
    with pytest.raises(ImportUsageError) as caught:
        import_table(WIDE_SOURCE, empty, conflict="syria-2011", **options)
    assert str(caught.value).endswith(
        f"add it first with `drone-ledger conflict add syria-2011 --ledger {empty} --name NAME --start YYYY-MM-DD "
        "[--end YYYY-MM-DD] --source-url URL`"
    )


# --- the CLI --------------------------------------------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def test_cli_add_then_again_then_otherwise(empty: Path) -> None:
    code, out, _ = invoke("conflict", "add", "ukraine-2022", "--ledger", str(empty))
    assert code == 0
    assert plain(out).startswith(f"added ukraine-2022 to {empty / 'conflicts.csv'} (line 2)")
    assert "start_date 2022-02-24 (catalog)" in plain(out) and "end_date (ongoing)" in plain(out)
    assert conflicts_bytes(empty) == (HEADER + UKRAINE_ROW).encode()
    code, out, _ = invoke("conflict", "add", "ukraine-2022", "--ledger", str(empty))
    assert code == 0 and "with the same values; nothing written" in plain(out)
    code, out, err = invoke("conflict", "add", "ukraine-2022", "--ledger", str(empty), "--name", "Other")
    assert code == 1 and out == ""  # a refusal is a diagnostic: on stderr
    text = plain(err)
    assert "ukraine-2022 was not added" in text and "error conflict-exists" in text
    assert "name ≠ ledger: 2022 Russian invasion of Ukraine given: Other start_date 2022-02-24" in text  # both
    assert conflicts_bytes(empty) == (HEADER + UKRAINE_ROW).encode()


def test_cli_explicit_options_and_invalid_data(empty: Path) -> None:
    args = ("conflict", "add", "test-war", "--ledger", str(empty), "--name", "Test war", "--source-url")
    code, out, err = invoke(*args, "https://example.org", "--start", "2022-02-30")
    assert code == 1 and out == ""
    assert (
        f"{empty / 'conflicts.csv'}:2 [start_date]: error impossible-date: start_date 2022-02-30 is not a "
        "calendar date" in plain(err)
    )
    assert conflicts_bytes(empty) == HEADER.encode()
    code, out, _ = invoke(*args, "https://example.org", "--start", "2022-02-01", "--end", "2022-03-01")
    assert code == 0
    assert (
        conflicts_bytes(empty) == (HEADER + "test-war,Test war,2022-02-01,2022-03-01,https://example.org,\n").encode()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("conflict", "add", "ukrain-2022", "--ledger", "{ledger}"),
            "'ukrain-2022' is not a known conflict, so it needs --name NAME, --start YYYY-MM-DD, --source-url URL; "
            "did you mean 'ukraine-2022'? known conflicts: karabakh-2020, ukraine-2022",
        ),
        (
            ("conflict", "add", "ukraine-2022"),
            "conflict add writes to a ledger: pass --ledger DIR (create one with `drone-ledger init DIR --empty`)",
        ),
        (("conflict", "add", "ukraine-2022", "--ledger", "{ledger}/losses.csv"), "is a file, not a ledger directory"),
        (("conflict", "add", "ukraine-2022", "--ledger", "{ledger}/nope"), "does not exist"),
        (("conflict", "list", "--ledger", "{ledger}/nope"), "does not exist"),
        (
            ("conflict", "add", "ukraine-2022", "--ledger", "{ledger}", "--format", "csv"),
            "'csv' is not one of 'table', 'json'",
        ),
    ],
)
def test_cli_usage_errors_exit_2(empty: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke(*(a.format(ledger=empty) for a in args))
    assert code == 2
    assert message in plain(err)
    assert "Traceback" not in out + err
    assert conflicts_bytes(empty) == HEADER.encode()


def test_cli_not_a_ledger_exits_2_and_creates_nothing(tmp_path: Path) -> None:
    code, _, err = invoke("conflict", "add", "ukraine-2022", "--ledger", str(tmp_path))
    assert code == 2 and "[not-a-ledger]" in err and "has no losses.csv" in plain(err)
    assert list(tmp_path.iterdir()) == []


def test_cli_json_equals_the_api(with_ukraine: Path) -> None:
    code, out, _ = invoke("conflict", "add", "ukraine-2022", "--ledger", str(with_ukraine), "--format", "json")
    assert code == 0
    assert json.loads(out) == add_conflict(with_ukraine, "ukraine-2022").to_dict()
    code, out, _ = invoke("conflict", "list", "--ledger", str(with_ukraine), "--format", "json")
    assert code == 0
    assert json.loads(out) == known_conflicts(with_ukraine).to_dict()


def test_cli_list(with_ukraine: Path) -> None:
    code, out, _ = invoke("conflict", "list", "--ledger", str(with_ukraine))
    assert code == 0
    text = plain(out)
    assert "karabakh-2020 Second Nagorno-Karabakh War 2020-09-27 2020-11-10 no" in text
    assert "ukraine-2022 2022 Russian invasion of Ukraine 2022-02-24 ongoing yes" in text
    assert f"ukraine-2022: {UKRAINE_URL}" in text
    code, out, _ = invoke("conflict", "list")
    assert code == 0 and "ongoing" in out and " yes" not in out


@pytest.mark.parametrize("args", [("conflict",), ("conflict", "add"), ("conflict", "list")])
def test_conflict_help_has_an_example_and_loads_no_pandas(args: tuple[str, ...]) -> None:
    code, out, _ = invoke(*args, "--help")
    assert code == 0
    assert "Example: drone-ledger conflict " in plain(out)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom drone_ledger.cli import app\n"
            f"try:\n    app({[*args, '--help']!r}, prog_name='drone-ledger')\nexcept SystemExit:\n    pass\n"
            "print('pandas' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        check=False,
    )
    assert probe.stdout.strip().splitlines()[-1] == "False", probe.stderr


def test_readme_shows_the_conflict_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "drone-ledger conflict add ukraine-2022" in readme
    assert "drone-ledger conflict list" in readme
    assert "to `my-ledger/conflicts.csv`" not in readme  # no more editing the CSV by hand


# --- the whole path: init --empty, conflict add, import the real Ukrainian sample ------------------------------------


def test_the_ukraine_sample_imports_after_conflict_add(tmp_path: Path) -> None:
    sample = SHARED / "samples" / "oryx_wide_ukraine_2023-01-08.csv"
    if not sample.is_file():
        pytest.skip(f"needs the third-party sample {sample} (shared/ is not beside this checkout)")
    ledger = tmp_path / "my-ledger"
    assert invoke("init", str(ledger), "--empty")[0] == 0
    options = ("--conflict", "ukraine-2022", "--side", "Ukraine", "--source-url", "https://github.com/timerdenty/Oryx")
    code, _, err = invoke("import", str(sample), "--ledger", str(ledger), *options)
    assert code == 2 and f"drone-ledger conflict add ukraine-2022 --ledger {ledger}" in plain(err)
    assert invoke("conflict", "add", "ukraine-2022", "--ledger", str(ledger))[0] == 0
    code, out, err = invoke("import", str(sample), "--ledger", str(ledger), *options, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["written"], report["balanced"], report["rejected"]) == (True, True, 0)
    assert report["added"] == 367
    assert validate_ledger(ledger).valid
