"""Exports round-trip and are safe to open; charts are real images; the schema lists every column."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUNDLED
from typer.testing import CliRunner

from drone_ledger.cli import app
from drone_ledger.dictionary import data_package
from drone_ledger.exporting import ExportError, export_losses, neutralise
from drone_ledger.plots import PlotError, plot_claim
from drone_ledger.schemas import TABLES, columns_of
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


def test_export_refuses_an_unknown_format(mini: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="export to csv, parquet or xlsx"):
        export_losses(mini, tmp_path / "losses.ods")


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
    with pytest.raises(PlotError, match="save charts as .png or .svg"):
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
    assert exported.exit_code == 0 and exported.stdout.startswith("wrote 28 losses to")
    plotted = runner.invoke(app, ["plot", str(tmp_path / "f24.png")])
    assert plotted.exit_code == 0 and _png_size(tmp_path / "f24.png")[0] > 600


def test_frictionless_accepts_the_descriptor_and_the_bundled_ledger(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is optional (pip install frictionless)")
    ledger = tmp_path / "ledger"
    shutil.copytree(BUNDLED, ledger)
    (ledger / "datapackage.json").write_text(json.dumps(data_package()), encoding="utf-8")
    report = frictionless.validate(str(ledger / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
