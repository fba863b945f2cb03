"""The fast paths change no output: every command prints the same bytes with and without them.

The everyday commands are fast because of three shortcuts (issue 13): a cache of validation reports keyed on the
tables' bytes, the code and the day (:mod:`drone_ledger.cache`); a check of each table's declared Pandera
checks with Arrow kernels that lets Pandera run only when something fails (:mod:`drone_ledger.schemacheck`);
and costing and claim lookups shared per loaded ledger. Each command here is run three ways on the same ledger
and must print the same thing (stdout, exit code and any file it writes):

* the **reference**: no cache, and Pandera validating every table as before the shortcuts;
* **cold**: the cache on and empty (the report is made with the Arrow check and stored);
* **warm**: the same command again (the report comes from the cache).

Ledgers: the bundled one, the mini fixture, a synthetic ledger of 2,000 generated losses and the same with 3 %
broken rows (benchmarks/synthetic.py), so that the reports compared include errors.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BUNDLED, MINI, ROOT
from typer.testing import CliRunner

from drone_ledger import cache, validation
from drone_ledger.cli import app

sys.path.insert(0, str(ROOT / "benchmarks"))

F24 = "AZ-2020-10-14-F24"
MIRKISHILI = "AZ-2020-10-01-MIRKISHILI"

CASES: list[tuple[str, tuple[str, ...]]] = [
    ("bundled", ("summary",)),
    ("bundled", ("summary", "--format", "json", "--dollar-year", "2024")),
    ("bundled", ("summary", "--claim", MIRKISHILI, "--format", "markdown")),
    ("bundled", ("claims", "--format", "json")),
    ("bundled", ("claims",)),
    ("bundled", ("trace", "--format", "json")),
    ("bundled", ("breakdown", "--by", "system", "--by", "status", "--format", "csv")),
    ("bundled", ("sensitivity", "--format", "json")),
    ("bundled", ("consistency", "--format", "json")),
    ("bundled", ("summary", "--conflict", "karabakh-2020", "--format", "json")),
    ("bundled", ("export", "out.csv")),
    ("bundled", ("validate", "--format", "json")),
    ("mini", ("claims", "--format", "csv")),
    ("mini", ("sensitivity", "--claim", "C1")),
    ("mini", ("validate",)),
    ("synthetic", ("summary", "--format", "json")),
    ("synthetic", ("claims", "--format", "csv")),
    ("synthetic", ("trace", "--bucket", "attributed", "--claim", MIRKISHILI, "--format", "json")),
    ("synthetic", ("validate", "--format", "json")),
    ("invalid", ("validate", "--format", "csv")),
    ("invalid", ("summary",)),
]

runner = CliRunner()


def _build(name: str, target: Path) -> None:
    if name in ("bundled", "mini"):
        shutil.copytree(BUNDLED if name == "bundled" else MINI, target)
        return
    from synthetic import synthetic_ledger

    synthetic_ledger(target, 2000, invalid_share=0.03 if name == "invalid" else 0.0)


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            home = tmp_path_factory.mktemp(name)
            _build(name, home / "ledger")
            built[name] = home
        return built[name]

    return get


def _run(home: Path, args: tuple[str, ...]) -> str:
    previous = Path.cwd()
    os.chdir(home)
    try:
        result = runner.invoke(app, [*args, "--ledger", "ledger"], env={"COLUMNS": "100"})
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    output = f"{result.stdout}\n[exit {result.exit_code}]\n"
    written = home / "out.csv"
    if "out.csv" in args and written.exists():
        output += "--- out.csv\n" + written.read_text(encoding="utf-8")
        written.unlink()
    return output


@pytest.fixture
def reference(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path, tuple[str, ...]], str]]:
    def run(home: Path, args: tuple[str, ...]) -> str:
        with monkeypatch.context() as patch:
            patch.setenv(cache.NO_CACHE_ENV, "1")
            patch.setattr(validation, "surely_valid", lambda spec, frame, missing: False)
            return _run(home, args)

    yield run


@pytest.mark.parametrize(("ledger", "args"), CASES, ids=[f"{c[0]}-{'-'.join(c[1])}" for c in CASES])
def test_the_fast_paths_print_what_the_reference_prints(
    ledgers: Callable[[str], Path],
    reference: Callable[[Path, tuple[str, ...]], str],
    ledger: str,
    args: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = ledgers(ledger)
    expected = reference(home, args)
    assert "Traceback" not in expected
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    cold = _run(home, args)
    validations: list[object] = []
    real = validation._cross_table_issues
    monkeypatch.setattr(validation, "_cross_table_issues", lambda *a, **k: validations.append(a) or real(*a, **k))
    warm = _run(home, args)
    assert cold == expected
    assert warm == expected
    if args[0] != "validate":  # `validate` always validates; every other command keeps and reuses its report
        assert list((tmp_path / "cache").rglob("*.json")), "the cold run kept no report"
        assert validations == [], "the warm run validated again"
