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
    return sorted((tmp_path / "cache" / "reports").glob("*.json"))


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


def test_the_key_does_not_depend_on_what_the_process_imported(mini: Path, tmp_path: Path) -> None:
    """The key is the tables' bytes, their declaration and the code: the same whether or not a process imported the
    Pandera models (which a command whose report is cached never does)."""
    code = (
        "import datetime, sys\n"
        "from drone_ledger import cache, ledger\n"
        "if sys.argv[1] == 'models':\n    from drone_ledger.schemacheck import pandera_schema\n"
        "    from drone_ledger.layout import TABLES\n"
        "    [pandera_schema(spec) for spec in TABLES.values()]\n"
        f"print(cache.report_key(ledger.load_ledger({str(mini)!r}), datetime.date(2030, 1, 1)))"
    )
    env = {**os.environ, cache.CACHE_DIR_ENV: str(tmp_path / "cache")}
    keys = {
        subprocess.run(
            [sys.executable, "-c", code, imported], capture_output=True, text=True, env=env, check=True
        ).stdout.strip()
        for imported in ("models", "none")
    }
    assert len(keys) == 1 and len(next(iter(keys))) == 64


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


def _summary_process(ledger: Path) -> str:
    """A Python program that runs `drone-ledger summary --claim C1` on ``ledger``."""
    return (
        "import sys; from drone_ledger.cli import run; sys.argv = ['drone-ledger', 'summary', '--claim', 'C1',"
        f" '--ledger', {str(ledger)!r}]\n"
    )


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
    assert len(list((tmp_path / "cache" / "reports").glob("*.json"))) == 1  # the second run used the cache
    shutil.copy(MINI.parent / "defects" / "losses_negative_quantity.csv", mini / "losses.csv")
    broken = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert broken.stdout.splitlines()[-2:] == ["exit 1", "True"]


def test_changed_rules_validate_again(mini: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    require_valid(load_ledger(mini))
    monkeypatch.setattr(cache, "code_digest", lambda: "other code")
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
    "another format": lambda text: text.replace('"drone_ledger_cache": 2', '"drone_ledger_cache": 1', 1),
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
    tables = load_ledger(mini).source.digests  # type: ignore[union-attr]
    assert cache.read_entry(other, "0" * 64, tables) is None
    assert cache.read_entry(entry, entry.stem, tables) is not None


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


# --- an entry that cannot lie or harm (issue 21) -----------------------------------------------------------------


def _invalid_mini(mini: Path) -> Path:
    """The mini ledger with one error: a quantity of 0 on the first row."""
    losses = mini / "losses.csv"
    lines = losses.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[8] = "0"  # quantity: at least 1
    lines[1] = ",".join(cells)
    losses.write_text("".join(lines), encoding="utf-8")
    return mini


def _valid_entry_for(ledger_path: Path, folder: Path, secret: bytes | None) -> tuple[Path, str]:
    """Write, as a forger would, an entry saying the ledger is valid (signed with ``secret``, or not at all)."""
    ledger = load_ledger(ledger_path)
    key = cache.report_key(ledger, dt.date.today())
    assert key is not None and ledger.source is not None
    tables = ledger.source.digests
    payload = {"ledger": str(ledger_path), "tables": {"losses": 8}, "issues": []}
    signature = cache._signature(secret, key, tables, payload) if secret else "0" * 64
    entry = {"drone_ledger_cache": cache.FORMAT, "key": key, "tables": tables, "signature": signature}
    path = folder / f"{key}.json"
    path.write_text(json.dumps({**entry, "report": payload}), encoding="utf-8")
    path.chmod(0o600)
    return path, key


def test_a_forged_entry_never_makes_an_invalid_ledger_pass(mini: Path, runs: list[str], tmp_path: Path) -> None:
    require_valid(load_ledger(mini))  # the cache folder now exists, with its secret
    folder = tmp_path / "cache" / "reports"
    ledger = _invalid_mini(mini)
    for secret in (None, b"a secret that is not the folder's" * 2):  # unsigned; signed with another secret
        _valid_entry_for(ledger, folder, secret)
        with pytest.raises(LedgerInvalidError):
            require_valid(load_ledger(ledger))
    assert len(runs) == 3


def test_an_entry_copied_from_another_cache_is_ignored(
    mini: Path, runs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_valid(load_ledger(mini))
    (entry,) = entries(tmp_path)
    other = tmp_path / "other-cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(other))
    require_valid(load_ledger(mini))
    (fresh,) = sorted((other / "reports").glob("*.json"))
    shutil.copy(entry, fresh)  # an entry signed under the first folder's secret
    require_valid(load_ledger(mini))
    assert len(runs) == 3


def test_an_entry_is_used_only_for_the_bytes_it_was_made_from(mini: Path, runs: list[str], tmp_path: Path) -> None:
    require_valid(load_ledger(mini))
    (entry,) = entries(tmp_path)
    ledger = load_ledger(mini)
    assert ledger.source is not None
    other_bytes = {**ledger.source.digests, "losses": "0" * 64}
    assert cache.read_entry(entry, entry.stem, ledger.source.digests) is not None
    assert cache.read_entry(entry, entry.stem, other_bytes) is None


def test_a_deeply_nested_entry_is_ignored(mini: Path, runs: list[str], tmp_path: Path) -> None:
    require_valid(load_ledger(mini))
    (entry,) = entries(tmp_path)
    entry.write_text('{"drone_ledger_cache": 2, "report": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    for _ in range(2):  # every analysis, not only the first
        assert require_valid(load_ledger(mini)).report is not None
    assert len(runs) == 2  # the entry was ignored once, then written again whole


@pytest.mark.parametrize("mode", [0o666, 0o620])
def test_an_entry_others_can_write_is_ignored(mini: Path, runs: list[str], tmp_path: Path, mode: int) -> None:
    require_valid(load_ledger(mini))
    (entry,) = entries(tmp_path)
    entry.chmod(mode)
    require_valid(load_ledger(mini))
    assert len(runs) == 2


def test_a_fifo_as_an_entry_never_blocks(mini: Path, tmp_path: Path) -> None:
    """A pipe where an entry is (or its folder's tag or secret) is ignored without waiting for a writer."""
    code = _summary_process(mini) + "run()"
    env = {**os.environ, cache.CACHE_DIR_ENV: str(tmp_path / "cache"), "COLUMNS": "100"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    folder = tmp_path / "cache" / "reports"
    for name in [entries(tmp_path)[0].name, cache.TAG_NAME, cache.SECRET_NAME]:
        (folder / name).unlink()
        os.mkfifo(folder / name)
        again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
        assert (again.returncode, again.stdout) == (0, first.stdout), again.stderr


def test_pruning_removes_only_the_tool_s_own_entries(mini: Path, runs: list[str], tmp_path: Path) -> None:
    require_valid(load_ledger(mini))
    folder = tmp_path / "cache" / "reports"
    (ours,) = entries(tmp_path)
    theirs = {
        "notes.json": b'{"mine": true}',
        "a" * 64 + ".json": b'{"not": "drone-ledger"}',  # our name pattern, not our marker
        "b" * 63 + ".json": ours.read_bytes(),  # our marker, not our name pattern
    }
    for name, data in theirs.items():
        (folder / name).write_bytes(data)
    (folder / ("c" * 64 + ".json")).symlink_to(ours)
    old = os.stat(ours).st_mtime - 1000
    for path in folder.iterdir():
        if not path.is_symlink():
            os.utime(path, (old, old))  # all older than the entry written next
    assert cache.prune(folder, keep=0) == [ours]
    assert {p.name for p in folder.iterdir()} == {*theirs, "c" * 64 + ".json", cache.TAG_NAME, cache.SECRET_NAME}


def test_a_folder_that_is_not_the_tool_s_is_left_alone(
    mini: Path, runs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DRONE_LEDGER_CACHE_DIR pointing at the user's own folder, which has a reports/ of its own: nothing is
    written, read or removed there."""
    mine = tmp_path / "my-folder"
    (mine / "reports").mkdir(parents=True)
    files = {"a" * 64 + ".json": b'{"drone_ledger_cache": 2}', "notes.json": b"{}"}
    for name, data in files.items():
        (mine / "reports" / name).write_bytes(data)
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(mine))
    for _ in range(2):
        require_valid(load_ledger(mini))
    assert len(runs) == 2
    assert {p.name: p.read_bytes() for p in (mine / "reports").iterdir()} == files
    assert cache.prune(mine / "reports", keep=0) == []


@pytest.mark.parametrize("where", ["the ledger", "a folder inside it"])
def test_a_cache_directory_inside_a_ledger_is_never_used(
    mini: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    before = sorted(p.name for p in mini.iterdir())
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(mini if where == "the ledger" else mini / "cache"))
    for _ in range(2):
        require_valid(load_ledger(mini))
    assert len(runs) == 2
    assert sorted(p.name for p in mini.iterdir()) == before
