"""The import's compact forms behave like the dicts and lists they replace (issue 13: memory of large imports).

Source rows are held column by column and made dicts when read (``SourceRows``), imported loss rows are tuples read
like dicts (``LossRow``), records point at their source row instead of copying it, and losses.csv is written from
rows' cells (``csv_cells_text``). Each is checked against the plain reading it stands for.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from drone_ledger import import_table
from drone_ledger.importing.context import LossRow, Record
from drone_ledger.importing.source import SourceRows, read_source
from drone_ledger.storage import _cell, csv_cells_text, csv_text
from drone_ledger.writing import init_ledger

HEADER = "country,origin,system,status,url,date_recorded,sysID,imageID,statusID,matID"


def _reference_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    """Every cell through ``_cell``, the rule csv_text's fast path must agree with."""
    lines = [",".join(map(_cell, columns))]
    lines += [",".join(_cell(row.get(c, "")) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Iterate sources three rows at a time, so a few rows cross chunk boundaries."""
    monkeypatch.setattr(SourceRows, "CHUNK", 3)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])  # the pyarrow pass and the careful csv-module path
def test_source_rows_read_as_the_dicts_of_a_csv_reader(tmp_path: Path, encoding: str) -> None:
    text = "a,b,,c\n" + "".join(f'x{i},"q,{i}", z ,é{i}\n' for i in range(8)) + ",,,\n" + "last,,,\n"
    path = tmp_path / "s.csv"
    path.write_bytes(text.encode(encoding))
    rows = read_source(path, encoding=None if encoding == "utf-8" else encoding).rows
    expected = [
        {"a": r[0].strip(), "b": r[1].strip(), "": r[2].strip(), "c": r[3].strip()}
        for r in csv.reader(io.StringIO(text))
        if any(cell.strip() for cell in r)
    ][1:]
    assert len(rows) == len(expected) == 9
    assert list(rows) == expected and rows == expected
    assert [rows[i] for i in range(len(rows))] == expected
    assert rows[-1] == expected[-1] and rows[2:5] == expected[2:5]
    with pytest.raises(IndexError):
        rows[len(rows)]


def test_a_loss_row_reads_as_the_dict_it_was_made_from() -> None:
    first = {"loss_id": "a", "quantity": "1", "notes": ""}
    row = LossRow.of(first, None)
    other = LossRow.of({"loss_id": "b", "quantity": "2", "notes": "n"}, row)
    assert dict(row) == first and list(row) == list(first) and len(row) == 3
    assert other.positions is row.positions  # rows of one shape share their column positions
    assert {**other} == {"loss_id": "b", "quantity": "2", "notes": "n"}
    assert other.get("missing", "") == "" and other["notes"] == "n"
    reordered = LossRow.of({"quantity": "3", "loss_id": "c"}, row)
    assert list(reordered) == ["quantity", "loss_id"] and reordered["loss_id"] == "c"
    record = Record(row, 7, ([{"x": "1"}, {"x": "2"}], 1))
    assert (record.source_line, record.source_values) == (7, {"x": "2"})


@pytest.mark.parametrize(
    "rows",
    [
        [{"a": "1", "b": "x,y"}, {"a": 'say "hi"', "b": ""}],
        [{"a": "1", "b": "two\nlines"}, {"a": "bare\rreturn", "b": "z"}],  # a bare CR: the careful path
        [{"a": "1"}, {"b": "only b"}, {"a": "", "b": "", "c": "extra"}],  # columns a row lacks are ""
        [],
    ],
)
def test_csv_text_from_dicts_or_cells_is_the_reference_text(rows: list[dict[str, str]]) -> None:
    columns = ["a", "b"]
    expected = _reference_csv(columns, rows)
    assert csv_text(columns, rows) == expected
    assert csv_cells_text(columns, lambda: [tuple(r.get(c, "") for c in columns) for r in rows]) == expected
    assert csv_text(["a"], rows) == _reference_csv(["a"], rows)  # one column: never the csv writer's '""'


@pytest.mark.usefixtures("small_chunks")
def test_rejected_per_item_rows_report_their_own_source_cells(tmp_path: Path) -> None:
    """Records point at their source row: rejects show that row's cells, across chunk boundaries."""
    ledger = tmp_path / "ledger"
    init_ledger(ledger)
    rows = [f"Armenia,Soviet Union,T-72B,destroyed,https://example.org/{i},2020-10-02,1,{i},1,7-{i}" for i in range(7)]
    rows[4] = "Armenia,Soviet Union,T-72B,destroyed,not a link,2020-10-02,1,4,1,7-4"
    rows.append("Armenia,Soviet Union,BMP-2,captured,https://example.org/9,2020-10-03,2,9,2,7-2")  # 7-2, differs
    rows.append(rows[0])  # the same row again: a duplicate
    source = tmp_path / "long.csv"
    source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = import_table(source, ledger, conflict="karabakh-2020", keep_valid=True)
    assert (report.added, report.duplicates, report.rejected, report.written) == (5, 1, 3, True)
    header = HEADER.split(",")
    assert [(r["source_line"], r["values"]) for r in report.rejects] == [
        (line, dict(zip(header, rows[line - 2].split(","), strict=True))) for line in (4, 6, 9)
    ]
