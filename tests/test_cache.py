"""The validation cache never lets a changed ledger pass unvalidated (drone_ledger/cache.py).

Every test counts the validations that really run. A report is reused only for the same bytes of every table,
the same reading options, package version, table declarations, rules and day; anything unreadable is ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI, TABLE_FILES, count_validations
from typer.testing import CliRunner

import drone_ledger
from drone_ledger import cache, layout, validation
from drone_ledger.cli import app
from drone_ledger.errors import LedgerInvalidError
from drone_ledger.ledger import load_ledger
from drone_ledger.validation import require_valid, validate_ledger


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The validations that really run (ledger paths), with the cache on and in a temporary directory."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(cache, "_disabled", False)
    return count_validations(monkeypatch)


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "validation").glob("*.json"))


def test_an_unchanged_ledger_is_validated_once(mini: Path, runs: list[str], tmp_path: Path) -> None:
    first = require_valid(load_ledger(mini)).report
    second = require_valid(load_ledger(mini)).report
    assert first is not None and second is not None
    assert len(runs) == 1
    assert second.to_dict() == first.to_dict() == validate_ledger(load_ledger(mini)).to_dict()
    assert len(entries(tmp_path)) == 1


def test_the_cache_is_never_written_into_the_ledger(mini: Path, runs: list[str], tmp_path: Path) -> None:
    before = sorted(p.name for p in mini.iterdir())
    require_valid(load_ledger(mini))
    require_valid(load_ledger(mini))
    assert sorted(p.name for p in mini.iterdir()) == before
    assert entries(tmp_path)


@pytest.mark.parametrize("table", TABLE_FILES)
def test_a_one_byte_change_to_any_table_is_validated_again(
    mini: Path, runs: list[str], tmp_path: Path, table: str
) -> None:
    require_valid(load_ledger(mini))
    path = mini / f"{table}.csv"
    data = bytearray(path.read_bytes())
    assert data.endswith(b"\n")
    path.write_bytes(bytes(data) + b"\n")  # one byte more: an empty line, which reading skips
    again = require_valid(load_ledger(mini)).report
    assert len(runs) == 2
    assert again is not None and again.valid


@pytest.mark.parametrize("table", TABLE_FILES)
def test_a_same_size_change_to_any_table_gives_the_fresh_report(
    mini: Path, runs: list[str], tmp_path: Path, table: str
) -> None:
    cached = cache.cached_report(load_ledger(mini), validation.validate_ledger)
    path = mini / f"{table}.csv"
    data = bytearray(path.read_bytes())
    position = data.rindex(b",") - 1  # the last byte of a cell on the last line: same size, other content
    data[position] = ord("x") if data[position] != ord("x") else ord("y")
    path.write_bytes(bytes(data))
    changed = load_ledger(mini)
    report = cache.cached_report(changed, validation.validate_ledger)
    assert len(runs) == 2
    assert report.to_dict() == validate_ledger(load_ledger(mini)).to_dict()
    assert cached.ledger == report.ledger


def test_a_change_that_breaks_the_ledger_is_caught(mini: Path, runs: list[str]) -> None:
    require_valid(load_ledger(mini))
    losses = mini / "losses.csv"
    text = losses.read_text(encoding="utf-8")
    frame = pd.read_csv(losses, dtype=str, keep_default_na=False)
    row = frame[frame["quantity"].eq("1")].iloc[0]
    line = ",".join(row)
    assert line in text
    cells = list(row)
    cells[list(frame.columns).index("quantity")] = "0"  # one byte: at least 1 is required
    losses.write_text(text.replace(line, ",".join(cells), 1), encoding="utf-8")
    with pytest.raises(LedgerInvalidError) as caught:
        require_valid(load_ledger(mini))
    assert any(i.code == "out-of-range" for i in caught.value.report.errors)
    assert len(runs) == 2


def test_adding_an_optional_table_is_validated_again(mini: Path, runs: list[str]) -> None:
    require_valid(load_ledger(mini))
    shutil.copy(Path(drone_ledger.__file__).parent.parent / "data" / "evidence_searched.csv", mini)
    require_valid(load_ledger(mini))
    assert len(runs) == 2


def test_a_new_package_version_validates_again(mini: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    require_valid(load_ledger(mini))
    monkeypatch.setattr(drone_ledger, "__version__", "99.0.0")
    require_valid(load_ledger(mini))
    assert len(runs) == 2


def _with_column(table: str, column: str, **change: object) -> layout.TableSpec:
    """The declaration of ``table`` with one column declared otherwise."""
    spec = layout.TABLES[table]
    fields = tuple(dataclasses.replace(c, **change) if c.name == column else c for c in spec.fields)  # type: ignore[arg-type]
    return dataclasses.replace(spec, fields=fields)


def test_a_changed_rule_validates_again(mini: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule declared otherwise in this process (not in its source): the key changes, and the rule is applied."""
    assert require_valid(load_ledger(mini)).report is not None
    monkeypatch.setitem(layout.TABLES, "losses", _with_column("losses", "quantity", maximum=3))
    with pytest.raises(LedgerInvalidError) as caught:  # the mini ledger has a row of 4 items
        require_valid(load_ledger(mini))
    assert len(runs) == 2
    assert any(i.code == "out-of-range" and i.column == "quantity" for i in caught.value.report.errors)


def test_a_changed_column_type_validates_again(mini: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    require_valid(load_ledger(mini))
    monkeypatch.setitem(layout.TABLES, "losses", _with_column("losses", "quantity", type=layout.NUMBER))
    require_valid(load_ledger(mini))
    assert len(runs) == 2


def test_the_declaration_digest_is_the_same_in_every_process() -> None:
    """It depends on the declaration alone: a process that has imported Pandera and validated has the same one
    as a process that has imported nothing but the declaration."""
    here = layout.declaration_digest()
    validate_ledger(MINI)  # this process has imported Pandera and built the schemas
    code = "from drone_ledger.layout import declaration_digest; print(declaration_digest())"
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert here == there == layout.declaration_digest()


def test_pandera_is_imported_only_to_report(mini: Path, tmp_path: Path) -> None:
    """Pandera (~0.3 s to import) is needed only to report what a table breaks: a valid ledger is validated
    without it (the declaration's rules, checked in Arrow), a cached report is found without it, and a ledger
    with an error in a table imports it."""
    code = (
        "import sys; from drone_ledger.cli import run; sys.argv = ['drone-ledger', 'summary', '--claim', 'C1',"
        f" '--ledger', {str(mini)!r}]\n"
        "try:\n    run()\nexcept SystemExit as exit:\n    print('exit', exit.code)\n"
        "print('pandera' in sys.modules)"
    )
    env = {**os.environ, cache.CACHE_DIR_ENV: str(tmp_path / "cache"), "COLUMNS": "100"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.splitlines()[-2:] == ["exit 0", "False"]
    assert first.stdout == second.stdout
    assert len(list((tmp_path / "cache" / "validation").glob("*.json"))) == 1  # the second run used the cache
    shutil.copy(MINI.parent / "defects" / "losses_negative_quantity.csv", mini / "losses.csv")
    broken = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert broken.stdout.splitlines()[-2:] == ["exit 1", "True"]


def test_changed_rules_validate_again(mini: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    require_valid(load_ledger(mini))
    monkeypatch.setattr(cache, "rules_digest", lambda: "other code")
    require_valid(load_ledger(mini))
    assert len(runs) == 2


@pytest.mark.parametrize("module", ["validation.py", "schemacheck.py", "results/core.py", "textfile.py"])
def test_the_code_digest_covers_every_module_of_the_package(module: str, tmp_path: Path) -> None:
    """Nested packages too (results/ holds the Issue class): an edit anywhere changes the key."""
    package = Path(cache.__file__).resolve().parent
    copy = tmp_path / "drone_ledger"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    before = cache.source_digest(copy)
    assert before == cache.source_digest(package)
    with (copy / module).open("a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert cache.source_digest(copy) != before


def test_another_day_validates_again(mini: Path, runs: list[str]) -> None:
    cache.cached_report(load_ledger(mini), validation.validate_ledger, dt.date(2030, 1, 1))
    cache.cached_report(load_ledger(mini), validation.validate_ledger, dt.date(2030, 1, 1))
    cache.cached_report(load_ledger(mini), validation.validate_ledger, dt.date(2030, 1, 2))
    assert len(runs) == 2


def test_other_reading_options_validate_again(mini: Path, runs: list[str]) -> None:
    require_valid(load_ledger(mini))
    require_valid(load_ledger(mini, max_field=500))
    assert len(runs) == 2


def test_a_replaced_table_is_never_taken_from_the_cache(mini: Path, runs: list[str]) -> None:
    require_valid(load_ledger(mini))
    ledger = load_ledger(mini)
    require_valid(ledger.replace(losses=ledger["losses"].iloc[:1]))
    assert len(runs) == 2


def test_a_ledger_built_from_frames_is_not_cached(runs: list[str], tmp_path: Path) -> None:
    from drone_ledger import ledger_from_frames

    frames = {name: pd.read_csv(MINI / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLE_FILES}
    require_valid(ledger_from_frames(frames))
    require_valid(ledger_from_frames(frames))
    assert len(runs) == 2 and not entries(tmp_path)


CORRUPTIONS: dict[str, Callable[[str], str]] = {
    "garbage": lambda text: "\x00\x01 not json",
    "empty": lambda text: "",
    "truncated": lambda text: text[: len(text) // 2],
    "an issue removed": lambda text: text.replace('"issues": [{', '"issues": [], "x": [{', 1),
    "a message changed": lambda text: text.replace("add up to", "add up tO", 1),
    "another format": lambda text: text.replace('"format": 1', '"format": 0', 1),
    "a list, not an entry": lambda text: "[1, 2, 3]",
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_corrupt_entry_is_ignored(
    mini: Path, runs: list[str], tmp_path: Path, corruption: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(MINI.parent / "defects" / "aggregates_parts_mismatch.csv", mini / "aggregates.csv")
    fresh = require_valid(load_ledger(mini)).report
    assert fresh is not None and fresh.warnings, "the defect gives a warning to keep"
    (entry,) = entries(tmp_path)
    text = entry.read_text(encoding="utf-8")
    corrupted = CORRUPTIONS[corruption](text)
    assert corrupted != text
    entry.write_text(corrupted, encoding="utf-8", errors="surrogateescape")
    again = require_valid(load_ledger(mini)).report
    assert len(runs) == 2
    assert again is not None and again.to_dict() == fresh.to_dict()
    json.loads(entry.read_text(encoding="utf-8"))  # and the entry was written again, whole


def test_an_entry_for_another_key_is_ignored(mini: Path, runs: list[str], tmp_path: Path) -> None:
    require_valid(load_ledger(mini))
    (entry,) = entries(tmp_path)
    other = entry.with_name("0" * 64 + ".json")
    shutil.copy(entry, other)
    assert cache.read_entry(other, "0" * 64) is None
    assert cache.read_entry(entry, entry.stem) is not None


def test_an_unwritable_cache_only_means_validating_again(
    mini: Path, runs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker / "cache"))
    require_valid(load_ledger(mini))
    require_valid(load_ledger(mini))
    assert len(runs) == 2


def test_the_environment_turns_it_off(
    mini: Path, runs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    require_valid(load_ledger(mini))
    require_valid(load_ledger(mini))
    assert len(runs) == 2 and not entries(tmp_path)


def test_no_cache_on_the_command_line_turns_it_off(mini: Path, runs: list[str], tmp_path: Path) -> None:
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["--no-cache", "summary", "--ledger", str(mini), "--claim", "C1"])
        assert result.exit_code == 0, result.output
    assert len(runs) == 2 and not entries(tmp_path)
    result = runner.invoke(app, ["summary", "--ledger", str(mini), "--claim", "C1"])  # on again without the flag
    assert result.exit_code == 0 and len(runs) == 3 and len(entries(tmp_path)) == 1


def test_the_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "x"))
    assert cache.cache_dir() == tmp_path / "x"
    monkeypatch.delenv(cache.CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if cache.sys.platform not in ("win32", "darwin"):
        assert cache.cache_dir() == tmp_path / "xdg" / "drone-ledger"
