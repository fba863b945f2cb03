"""The one door to a ledger that changes (drone_ledger/writing.py) and what it keeps (drone_ledger/tabletext.py).

A write reads the ledger with the ledger's own settings, whatever the command's options for its source; rows it does
not change are copied byte for byte; a table it cannot read in full, or two rows under one id, stop it before it
writes anything. The scenarios of issue 21, each as a user met it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import MINI, TESTS, plain
from typer.testing import CliRunner

from drone_ledger import load_ledger, validate_ledger
from drone_ledger.cli import app
from drone_ledger.conflicts import add_conflict
from drone_ledger.errors import LedgerWriteError, UnreadableLedgerError
from drone_ledger.importing.importer import import_table
from drone_ledger.layout import columns_of
from drone_ledger.storage import csv_text
from drone_ledger.tabletext import TableText
from drone_ledger.writing import init_ledger, load_for_write, open_for_write

IMPORTS = TESTS / "fixtures" / "imports"
WIDE = ["--conflict", "karabakh-2020", "--side", "Armenia", "--source-url", "https://example.org/snapshot"]


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    ledger = tmp_path / "ledger"
    init_ledger(ledger)
    return ledger


def _files(ledger: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(ledger.iterdir()) if p.is_file() and not p.name.startswith(".")}


# --- the scenarios ---------------------------------------------------------------------------------------


def test_a_cp1252_ledger_that_validate_reads_is_never_wiped_by_an_import(bundled: Path) -> None:
    """`validate --encoding cp1252` reads a ledger re-saved by Excel; the next import refused to drop its rows."""
    losses = bundled / "losses.csv"
    text = losses.read_text(encoding="utf-8")
    losses.write_bytes(text.replace("unattributed", "unattribut\u00e9d", 1).encode("cp1252"))
    before = _files(bundled)
    runner = CliRunner()
    assert runner.invoke(app, ["validate", "-l", str(bundled), "--encoding", "cp1252"]).exit_code == 1  # an unknown
    result = runner.invoke(app, ["import", str(IMPORTS / "wide_small.csv"), "-l", str(bundled), *WIDE])
    assert result.exit_code == 1
    message = plain(result.stderr)
    assert "[unreadable-ledger]" in message and "losses.csv: not-utf8:" in message
    assert "re-save it as UTF-8" in message
    assert _files(bundled) == before  # all 28 rows still there, byte for byte


def test_the_source_options_do_not_reach_the_ledger(bundled: Path) -> None:
    """--max-bytes and --max-field bound the source: a ledger table larger than them is read with its own limits,
    and every row of it is kept."""
    losses = (bundled / "losses.csv").read_bytes()
    source = IMPORTS / "wide_small.csv"
    assert len(losses) > 4000 > source.stat().st_size
    report = import_table(
        source, bundled, conflict="karabakh-2020", side="Armenia", source_url="https://e.org/s", max_bytes=4000
    )
    assert report.written and report.added > 0
    assert (bundled / "losses.csv").read_bytes().startswith(losses)


def test_a_rejected_update_with_keep_valid_keeps_the_row(bundled: Path, tmp_path: Path) -> None:
    """An update that fails validation is rejected; the row it would have changed stays exactly as it was."""
    first = tmp_path / "first.csv"
    header = (bundled / "losses.csv").read_text(encoding="utf-8").splitlines()[0]
    row = (
        "mine-1,karabakh-2020,Armenia,2020-10-02,2020-10-02,,Tanks,T-72B,1,destroyed,destroyed,unattributed,,,item,,,,"
        "test,https://example.org/1,"
    )
    first.write_text(f"{header}\n{row}\n", encoding="utf-8")
    assert import_table(first, bundled, source_format="ledger").written
    before = (bundled / "losses.csv").read_bytes()
    second = tmp_path / "second.csv"
    bad = row.replace(",1,destroyed,", ",0,destroyed,")  # quantity 0: invalid
    other = row.replace("mine-1", "mine-2")
    second.write_text(f"{header}\n{bad}\n{other}\n", encoding="utf-8")
    report = import_table(second, bundled, source_format="ledger", keep_valid=True)
    assert (report.added, report.updated, report.rejected, report.written) == (1, 0, 1, True)
    after = (bundled / "losses.csv").read_bytes()
    assert after.startswith(before) and after.count(b"\nmine-1,") == 1  # the row is there, unchanged
    assert after[len(before) :].startswith(b"mine-2,")


def test_keep_valid_that_keeps_nothing_is_refused(bundled: Path, tmp_path: Path) -> None:
    before = _files(bundled)
    source = tmp_path / "all_bad.csv"
    source.write_text(
        (IMPORTS / "wide_bad_count.csv").read_text(encoding="utf-8").splitlines()[0] + "\nTanks,T-72B,,x,9,two,,,,,,\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["import", str(source), "-l", str(bundled), *WIDE, "--keep-valid"])
    assert result.exit_code == 1, result.stdout
    assert "refused" in result.stdout and "nothing to keep" in plain(result.stdout)
    assert _files(bundled) == before and not (bundled / "rejects").exists()


def test_conflict_add_refuses_a_symlinked_table_as_import_does(bundled: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "conflicts-elsewhere.csv"
    shutil.move(bundled / "conflicts.csv", elsewhere)
    (bundled / "conflicts.csv").symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    with pytest.raises(LedgerWriteError) as refused:
        add_conflict(bundled, "test-war", name="A test war", start="2000-01-01", source_url="https://example.org/war")
    assert refused.value.code == "symlinked-table"
    assert (bundled / "conflicts.csv").is_symlink() and elsewhere.read_bytes() == before


@pytest.mark.parametrize(
    ("table", "rows", "code"),
    [
        ("losses.csv", 2, "duplicate-id"),
        ("aggregates.csv", 2, "duplicate-id"),
        ("systems.csv", 2, "duplicate-id"),
        ("conflicts.csv", 2, "duplicate-id"),
        ("cpi.csv", 2, "duplicate-id"),
    ],
)
def test_two_rows_under_one_id_stop_every_write(bundled: Path, table: str, rows: int, code: str) -> None:
    """A keyed table with a repeated id: a write keyed by id would keep one of the two rows, so none is written."""
    path = bundled / table
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    before = _files(bundled)
    with pytest.raises(UnreadableLedgerError) as refused:
        add_conflict(bundled, "ukraine-2022")
    assert refused.value.code == "unreadable-ledger"
    assert [p.code for p in refused.value.problems] == [code] * rows
    assert {p.line for p in refused.value.problems} == {2, len(lines) + 1}
    assert _files(bundled) == before


def test_a_repeated_column_is_never_written_back_as_name_dot_1(bundled: Path) -> None:
    path = bundled / "losses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",source_name", *(line + ",x" for line in lines[1:])]) + "\n")
    with pytest.raises(UnreadableLedgerError) as refused:
        load_for_write(bundled)
    assert [(p.code, p.column) for p in refused.value.problems] == [("duplicate-column", "source_name")]
    assert b"source_name.1" not in path.read_bytes()


def test_a_missing_or_empty_table_holds_nothing_to_lose(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    init_ledger(ledger, empty=True)
    (ledger / "conflicts.csv").unlink()
    (ledger / "aggregates.csv").write_text("", encoding="utf-8")
    with open_for_write(ledger) as loaded:
        assert loaded.tables["conflicts"].original is None
    assert add_conflict(ledger, "ukraine-2022").status == "added"


# --- rows copied byte for byte ---------------------------------------------------------------------------------


def _quoted_and_spaced(line: bytes) -> bytes:
    """A row as some spreadsheets write it: its first cell quoted, spaces around its second (the reader trims them)."""
    first, second, rest = line.split(b",", 2)
    assert b'"' not in first + second
    return b'"' + first + b'",  ' + second + b"  ," + rest


@pytest.mark.parametrize(
    "variant",
    ["as written", "CRLF", "byte-order mark", "no final line break", "quoted and spaced", "blank lines"],
)
def test_an_import_copies_the_rows_it_does_not_change(bundled: Path, variant: str) -> None:
    path = bundled / "losses.csv"
    data = path.read_bytes()
    lines = data.split(b"\n")
    changed = {
        "as written": data,
        "CRLF": data.replace(b"\n", b"\r\n"),
        "byte-order mark": b"\xef\xbb\xbf" + data,
        "no final line break": data.rstrip(b"\n"),
        "quoted and spaced": b"\n".join([lines[0], _quoted_and_spaced(lines[1]), *lines[2:]]),
        "blank lines": data.replace(b"\n", b"\n\n", 3),
    }[variant]
    path.write_bytes(changed)
    report = import_table(
        IMPORTS / "wide_small.csv", bundled, conflict="karabakh-2020", side="Armenia", source_url="https://e.org/s"
    )
    assert report.written and report.added > 0
    after = path.read_bytes()
    start = changed if changed.endswith(b"\n") else changed + (b"\r\n" if b"\r\n" in changed else b"\n")
    assert after.startswith(start)
    added = after[len(start) :]
    assert added.count(b"\n") == report.added and (b"\r\n" in added) == (variant == "CRLF")  # line ends as the file's
    assert validate_ledger(load_ledger(bundled)).valid


def test_table_text_rewrites_runs_of_kept_and_new_rows() -> None:
    raw = '\ufeffid,note\r\n1,"a\r\nb"\r\n\r\n2,  x  \r\n3,y'.encode()
    text = TableText(raw, np.array([2, 5, 6]))
    assert text.header == ["id", "note"] and text.newline == "\r\n"
    assert [text.record(i) for i in range(3)] == ['1,"a\r\nb"\r\n\r\n', "2,  x  \r\n", "3,y"]
    rewritten = text.rewrite([0, ("9", "new, with a comma"), 1, 2, ("10", "")])
    assert rewritten == '\ufeffid,note\r\n1,"a\r\nb"\r\n\r\n9,"new, with a comma"\r\n2,  x  \r\n3,y\r\n10,\r\n'
    assert text.rewrite([]) == "\ufeffid,note\r\n"


def test_a_write_keeps_a_file_of_its_own_columns_and_order(bundled: Path) -> None:
    """A losses.csv with its columns in another order and one of its own keeps both; new rows follow its header."""
    path = bundled / "losses.csv"
    row = {
        **dict.fromkeys(columns_of("losses"), ""),
        **{"loss_id": "mine-1", "conflict": "karabakh-2020", "side_losing": "Armenia", "date_earliest": "2020-10-02"},
        **{"date_latest": "2020-10-02", "category": "Tanks", "model": "T-72B", "quantity": "1", "status": "destroyed"},
        **{"attributed_system": "unattributed", "record_kind": "item", "source_name": "test"},
        **{"source_url": "https://example.org/1", "note_of_mine": "kept"},
    }
    path.write_text(csv_text(["note_of_mine", *reversed(columns_of("losses"))], [row]), encoding="utf-8")
    before = path.read_bytes()
    report = import_table(
        IMPORTS / "wide_small.csv", bundled, conflict="karabakh-2020", side="Armenia", source_url="https://e.org/s"
    )
    assert report.written and report.added > 0
    assert path.read_bytes().startswith(before)
    after = load_ledger(bundled)["losses"]
    assert list(after["note_of_mine"].fillna("")) == ["kept", *[""] * report.added]
    assert path.read_text(encoding="utf-8").splitlines()[0] == before.decode().splitlines()[0]


def test_readers_see_one_state_of_the_ledger(bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader stalled between two tables while a writer commits reads again: never new losses with old
    aggregates (a writer replaces files one by one)."""
    from drone_ledger import cache, ledger

    real = ledger.read_table
    committed: list[str] = []

    def stalled(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "aggregates.csv" and not committed:  # losses.csv was read: now another process commits
            for name, extra in (("losses.csv", b"\n"), ("aggregates.csv", b"\n")):
                new = bundled / f".{name}.new"
                new.write_bytes((bundled / name).read_bytes() + extra)
                os.replace(new, bundled / name)
            committed.append(name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger, "read_table", stalled)
    loaded = ledger.load_ledger(bundled)
    assert committed
    for table in ("losses", "aggregates"):
        assert loaded.tables[table].digest == cache.digest((bundled / f"{table}.csv").read_bytes())


def test_a_writer_that_never_stops_is_a_clear_error(bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drone_ledger import errors, ledger

    real = ledger.read_table

    def always(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "cpi.csv":
            new = bundled / ".cpi.new"
            new.write_bytes((bundled / "cpi.csv").read_bytes())
            os.replace(new, bundled / "cpi.csv")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger, "read_table", always)
    monkeypatch.setattr(ledger.time, "sleep", lambda seconds: None)
    with pytest.raises(errors.LedgerLockedError, match="was written 5 times while it was being read"):
        ledger.load_ledger(bundled)


def test_the_mini_ledger_reads_the_same_kept_or_not() -> None:
    kept, plain_read = load_ledger(MINI, keep_original=True), load_ledger(MINI)
    for name, table in kept.tables.items():
        assert table.frame.equals(plain_read.tables[name].frame)
        assert plain_read.tables[name].original is None
        if (MINI / table.spec.filename).exists():
            assert table.original is not None and table.original.raw == (MINI / table.spec.filename).read_bytes()


def test_rows_left_out_of_a_loaded_table_are_never_copied_in_their_place(bundled: Path) -> None:
    """A join retires rows from the loaded losses (the frame filtered); the rows kept are found in the file by the
    line each starts on, so the file is written without the retired row, and every other row exactly."""
    from drone_ledger.importing import merge
    from drone_ledger.loading import Table

    table = load_for_write(bundled).tables["losses"]
    assert table.original is not None

    def with_lines(lines: np.ndarray, keep: np.ndarray | None = None) -> Table:
        frame = table.frame if keep is None else table.frame[keep].reset_index(drop=True)
        return Table(table.spec, table.path, frame, readable=True, lines=lines, original=table.original)

    keep = np.ones(len(table), dtype=bool)
    keep[1] = False
    numbers = merge._record_numbers(with_lines(table.lines[keep], keep))
    assert numbers == [0, *range(2, len(table))]
    text = table.original.rewrite(numbers or [])
    expected = table.original.head + "".join(table.original.record(n) for n in numbers or [])
    assert text == expected and table.original.record(1) not in text
    assert merge._record_numbers(with_lines(table.lines[::-1].copy())) is not None  # found by line, in any order
    assert merge._record_numbers(with_lines(table.lines + 1000)) is None  # a line the file lacks: nothing copied
