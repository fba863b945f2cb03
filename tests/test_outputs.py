"""Exports round-trip and are safe to open; charts are real images; the schema lists every column."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
import struct
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUNDLED, plain
from typer.testing import CliRunner

from drone_ledger.cli import app
from drone_ledger.dictionary import data_package
from drone_ledger.errors import ExportError, PlotError
from drone_ledger.exporting import export_losses
from drone_ledger.layout import TABLES, columns_of
from drone_ledger.ledger import Ledger
from drone_ledger.plots import plot_claim
from drone_ledger.safecsv import neutralise
from drone_ledger.storage import csv_text

HOSTILE_NOTES = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain"]


@pytest.fixture
def hostile(mini: Path) -> Path:
    """The mini ledger with spreadsheet formulas in the notes of L1..L7."""
    losses = pd.read_csv(mini / "losses.csv", dtype=str, keep_default_na=False)
    losses.loc[: len(HOSTILE_NOTES) - 1, "notes"] = HOSTILE_NOTES
    # The csv module quotes a cell holding a carriage return; pandas.to_csv does not.
    (mini / "losses.csv").write_text(csv_text(list(losses.columns), losses.to_dict("records")), encoding="utf-8")
    return mini


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("-2 tanks", "'-2 tanks"),
        ("-inf", "'-inf"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("T-72", "T-72"),
        (3.5, 3.5),
        (-5, -5),  # a number is not a formula
        ("-5", "-5"),  # nor is text that is a plain number: a spreadsheet reads it as -5 (e.g. an issue's value)
        ("+1", "+1"),
        ("-0.25e3", "-0.25e3"),
    ],
)
def test_neutralise(value: object, safe: object) -> None:
    assert neutralise(value) == safe


def test_csv_export_round_trips_with_formulas_neutralised(hostile: Path, tmp_path: Path) -> None:
    written = export_losses(hostile, tmp_path / "losses.csv")
    back = pd.read_csv(tmp_path / "losses.csv", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(written.columns)
    assert len(back) == 8
    notes = dict(zip(back["loss_id"], back["notes"], strict=True))
    # Reading a ledger strips a cell's surrounding white space, so the tab and CR notes arrive as plain text.
    assert [notes[f"L{i}"] for i in range(1, 8)] == [
        '\'=HYPERLINK("http://evil")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "TAB",
        "CR",
        "plain",
    ]
    assert not any(str(cell).startswith(("=", "+", "@")) for cell in back.to_numpy().ravel())
    central = back.set_index("loss_id")["value_central"]
    assert float(central["L1"]) == pytest.approx(360.0)  # 2 x 180, in 2020 dollars
    assert central["L3"] == ""  # uncosted stays empty, never 0


def test_xlsx_export_round_trips(hostile: Path, tmp_path: Path) -> None:
    written = export_losses(hostile, tmp_path / "losses.xlsx")
    back = pd.read_excel(tmp_path / "losses.xlsx", sheet_name="losses", dtype=str, keep_default_na=False)
    assert back["notes"].tolist() == written["notes"].fillna("").tolist()
    assert back.loc[0, "notes"] == '\'=HYPERLINK("http://evil")'


def test_parquet_export_round_trips_unchanged(hostile: Path, tmp_path: Path) -> None:
    written = export_losses(hostile, tmp_path / "losses.parquet")
    back = pd.read_parquet(tmp_path / "losses.parquet")
    assert back["loss_id"].tolist() == written["loss_id"].tolist()
    assert back["notes"].iloc[0] == '=HYPERLINK("http://evil")'  # Parquet keeps the data as it is
    assert back["value_central"].tolist()[:2] == pytest.approx([360.0, 180.0])


def test_export_refuses_an_unknown_format(mini_ledger: Ledger, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="export to csv, parquet or xlsx"):
        export_losses(mini_ledger, tmp_path / "losses.ods")


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("kind", ["bars", "timeline"])
def test_charts_are_real_images(kind: str, tmp_path: Path) -> None:
    png = plot_claim(None, tmp_path / f"{kind}.png", kind=kind)
    width, height = _png_size(png)
    assert 600 <= width <= 2000 and 400 <= height <= 1200
    assert png.stat().st_size > 10_000
    svg = plot_claim(None, tmp_path / f"{kind}.svg", kind=kind)
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_chart_of_a_count_claim_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PlotError, match="claims a count"):
        plot_claim(None, tmp_path / "x.png", "AZ-2020-10-20-ADDRESS-TANKS-DESTROYED")
    with pytest.raises(PlotError, match="save charts as .png, .svg or .pdf"):
        plot_claim(None, tmp_path / "x.jpg")


def test_frictionless_descriptor_lists_every_column_of_every_table() -> None:
    package = data_package()
    assert package["profile"] == "tabular-data-package"
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    for resource in package["resources"]:
        assert [f["name"] for f in resource["schema"]["fields"]] == columns_of(resource["name"])
    losses = package["resources"][0]["schema"]
    quantity = next(f for f in losses["fields"] if f["name"] == "quantity")
    assert quantity == {
        "name": "quantity",
        "type": "integer",
        "description": "Number of items (whole number, at least 1).",
        "constraints": {"required": True, "minimum": 1},
    }
    assert {"fields": ["attributed_system"], "reference": {"resource": "systems", "fields": ["system_id"]}} in (
        losses["foreignKeys"]
    )


@pytest.mark.parametrize("fmt", ["markdown", "json", "frictionless"])
def test_cli_schema(fmt: str) -> None:
    result = CliRunner().invoke(app, ["schema", "--format", fmt])
    assert result.exit_code == 0
    if fmt == "frictionless":
        assert json.loads(result.stdout) == data_package()
    elif fmt == "json":
        assert [t["table"] for t in json.loads(result.stdout)] == list(TABLES)
    else:
        assert all(f"## `{spec.filename}`" in result.stdout for spec in TABLES.values())


def test_cli_export_and_plot(tmp_path: Path) -> None:
    runner = CliRunner()
    exported = runner.invoke(app, ["export", str(tmp_path / "l.csv")])
    # 28 rows of the 2020 war; of the 2022 war, the TB2's 75 items and Oryx's 78 per-category status counts
    assert exported.exit_code == 0 and exported.stdout.startswith(f"wrote {28 + 75 + 78} losses to")
    plotted = runner.invoke(app, ["plot", str(tmp_path / "f24.png")])
    assert plotted.exit_code == 0 and _png_size(tmp_path / "f24.png")[0] > 600


def test_frictionless_accepts_the_descriptor_and_the_bundled_ledger(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is optional (pip install frictionless)")
    ledger = tmp_path / "ledger"
    shutil.copytree(BUNDLED, ledger)
    (ledger / "datapackage.json").write_text(json.dumps(data_package()), encoding="utf-8")
    report = frictionless.validate(str(ledger / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]


# --- never overwrite silently (issue 11, point 5) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["export", "{out}.csv"], ["export", "{out}.xlsx"], ["export", "{out}.parquet"], ["plot", "{out}.png"]],
    ids=["csv", "xlsx", "parquet", "png"],
)
def test_an_existing_file_is_replaced_only_with_force(mini: Path, tmp_path: Path, command: list[str]) -> None:
    target = Path(command[1].format(out=tmp_path / "out"))
    target.write_bytes(b"my work\n")
    args = [command[0], str(target), "--ledger", str(mini), *(["--claim", "C1"] if command[0] == "plot" else [])]
    refused = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert refused.exit_code == 2 and "[output-exists]" in plain(refused.stderr)
    assert "pass --force to replace it" in plain(refused.stderr)
    assert target.read_bytes() == b"my work\n"
    forced = CliRunner().invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert target.read_bytes() != b"my work\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, "mini"])  # no temporary left


@pytest.mark.parametrize("command", ["export", "plot"])
@pytest.mark.parametrize("table", ["losses.csv", "claims.csv"])
def test_a_ledger_table_is_never_an_output(mini: Path, command: str, table: str) -> None:
    before = (mini / table).read_bytes()
    target = str(mini / table) if command == "export" else str(mini / table).replace(".csv", ".png")
    if command == "plot":  # a chart named like a table is fine; one that *is* a table cannot be made: use a link
        (mini / "chart.png").symlink_to(mini / table)
        target = str(mini / "chart.png")
    for force in ([], ["--force"]):
        result = CliRunner().invoke(
            app,
            [command, target, "--ledger", str(mini), *(["--claim", "C1"] if command == "plot" else []), *force],
            env={"COLUMNS": "200"},
        )
        assert result.exit_code == 2 and "[output-is-a-ledger-file]" in plain(result.stderr), result.stderr
        assert "not even with --force" in plain(result.stderr)
        assert (mini / table).read_bytes() == before


OUTPUT_PATHS = [
    ("{tmp}/out.{suffix}", "output-is-a-directory"),
    ("/dev/null", "output-not-a-file"),
    ("{tmp}/no/such/dir/out.{suffix}", "missing-directory"),
    ("{tmp}/file.txt/out.{suffix}", "missing-directory"),
]


@pytest.mark.parametrize(
    ("command", "suffix", "path", "code"),
    [("export", "csv", *p) for p in OUTPUT_PATHS] + [("plot", "png", *p) for p in OUTPUT_PATHS if p[0] != "/dev/null"],
)
def test_an_output_path_that_cannot_be_a_file_is_refused(
    tmp_path: Path, path: str, code: str, command: str, suffix: str
) -> None:
    (tmp_path / f"out.{suffix}").mkdir()
    (tmp_path / "file.txt").write_text("x\n", encoding="utf-8")
    target = path.format(tmp=tmp_path, suffix=suffix)
    result = CliRunner().invoke(
        app, [command, target, "--force", "--format", suffix][: 3 if command == "plot" else 5], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2 and f"[{code}]" in plain(result.stderr), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", f"out.{suffix}"]


def test_binary_exports_get_the_users_umask(mini_ledger: Ledger, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        for suffix in ("csv", "xlsx", "parquet"):
            export_losses(mini_ledger, tmp_path / f"losses.{suffix}")
            assert stat.S_IMODE((tmp_path / f"losses.{suffix}").stat().st_mode) == 0o644, suffix
        plot_claim(mini_ledger, tmp_path / "chart.png", "C1")
        assert stat.S_IMODE((tmp_path / "chart.png").stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_a_control_character_is_a_clear_error_for_xlsx(hostile: Path, tmp_path: Path) -> None:
    text = (hostile / "losses.csv").read_text(encoding="utf-8").replace(",plain", ",bell\x07here")
    (hostile / "losses.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ExportError) as refused:
        export_losses(hostile, tmp_path / "losses.xlsx")
    assert refused.value.code == "xlsx-control-character"
    assert "loss L7 has control character 0x07 in notes" in str(refused.value)
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*.tmp"))
    export_losses(hostile, tmp_path / "losses.csv")  # CSV keeps it
    assert "bell\x07here" in (tmp_path / "losses.csv").read_text(encoding="utf-8")


# --- every CSV the tool emits is formula-safe (point 6) --------------------------------------------------------------


FORMULA = re.compile(r"^[=+\-@\t\r]")
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.fixture
def formulas(mini: Path) -> Path:
    """The mini ledger with formulas where free text is allowed: a model, notes, a claim's unit and quote."""
    losses = pd.read_csv(mini / "losses.csv", dtype=str, keep_default_na=False)
    losses.loc[0, "model"] = '=HYPERLINK("http://evil","x")'
    losses.loc[1, "notes"] = "@SUM(A1)"
    losses.loc[2, "model"] = "-2+3"
    (mini / "losses.csv").write_text(csv_text(list(losses.columns), losses.to_dict("records")), encoding="utf-8")
    return mini


@pytest.mark.parametrize(
    "args",
    [
        ["trace", "--claim", "C1", "--bucket", "attributed"],
        ["trace", "--claim", "C1", "--bucket", "unattributed"],
        ["breakdown", "--by", "model", "--by", "status"],
        ["claims"],
        ["sensitivity", "--claim", "C1"],
    ],
    ids=["trace-attributed", "trace-unattributed", "breakdown", "claims", "sensitivity"],
)
def test_every_csv_view_is_formula_safe(formulas: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--ledger", str(formulas), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    cells = _cells(result.stdout)
    assert cells
    assert [c for c in cells if FORMULA.match(c) and not PLAIN_NUMBER.fullmatch(c)] == []
    if args[0] in ("trace", "breakdown"):
        assert any(c.startswith("'=HYPERLINK") or c == "'-2+3" for c in cells)


def test_the_validate_csv_view_is_formula_safe(mini: Path) -> None:
    text = (mini / "losses.csv").read_text(encoding="utf-8").replace(",T-72B,1,", ",T-72B,=1+1,", 1)
    text = text.replace(",T-72,2,", ",T-72,-13,", 1)
    (mini / "losses.csv").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--ledger", str(mini), "--format", "csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    values = [r["value"] for r in rows if r["column"] == "quantity"]
    assert sorted(values) == ["'=1+1", "-13"]  # the formula neutralised; the negative number kept as a number
    assert [c for c in _cells(result.stdout) if FORMULA.match(c) and not PLAIN_NUMBER.fullmatch(c)] == []
