"""Golden outputs: every analysis command prints byte for byte what it printed before the performance work.

The files under ``tests/golden/`` were recorded from the code as it stood before the caches and the vectorised
comparison went in (branch ``perf``, first commit). Each holds one command's stdout and exit code, run in-process
at 100 columns, on:

* ``bundled`` — a copy of ``data/``;
* ``mini`` — a copy of ``tests/fixtures/mini``;
* ``synthetic`` — ``benchmarks/synthetic.py``'s ledger of 2,000 generated losses, and ``invalid`` the same with 3 %
  broken rows;
* ``oryx`` — the bundled ledger plus 1,500 synthetic Oryx per-item rows imported into a second war.

Each ledger is copied into a temporary directory as ``./ledger`` and the command is run from there with
``--ledger ledger``, so paths printed in the output do not depend on where the checkout lives.

Regenerate (only when an output is meant to change, and say why in the commit)::

    DRONE_LEDGER_REGOLD=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BUNDLED, MINI, ROOT
from typer.testing import CliRunner

from drone_ledger.cli import app

sys.path.insert(0, str(ROOT / "benchmarks"))

GOLDEN = Path(__file__).resolve().parent / "golden"
REGOLD = os.environ.get("DRONE_LEDGER_REGOLD") == "1"
runner = CliRunner()

F24 = "AZ-2020-10-14-F24"
FORMATS_TJ = (("table",), ("json",))


def _cases() -> list[tuple[str, str, tuple[str, ...]]]:
    cases: list[tuple[str, str, tuple[str, ...]]] = []

    def add(ledger: str, name: str, *args: str, formats: tuple[str, ...] = ("table", "json")) -> None:
        for fmt in formats:
            cases.append((ledger, f"{name}.{fmt}", (*args, "--format", fmt)))

    # The bundled ledger: every command, several kinds of claim.
    add("bundled", "summary", "summary", formats=("table", "json", "markdown"))
    for claim in (
        "AZ-2020-10-01-MIRKISHILI",  # all means, lower bound
        "AZ-2020-10-14-HABERTURK-TANKS",  # a count claim
        "AZ-2020-10-20-ADDRESS-MORTARS-DESTROYED",  # a count claim with no tally in scope
        "AZ-2020-10-20-ADDRESS-TANKS-CAPTURED",
        "PRESS-2020-11-23-DRONES-TANKS",  # drones, count
        "PRESS-2020-10-YENISAFAK-SIHA-S300",  # armed drones, undated
        "AZ-POSTWAR-CAERC",  # no claim date
        "AZ-2020-12-06-UNEC",
    ):
        add("bundled", f"summary-{claim}", "summary", "--claim", claim)
    add("bundled", "summary-2024", "summary", "--dollar-year", "2024")
    add("bundled", "summary-MIRKISHILI-2024", "summary", "--claim", "AZ-2020-10-01-MIRKISHILI", "--dollar-year", "2024")
    add("bundled", "summary-upper", "summary", "--include", "upper_reference", "--include", "floor_reference")
    add("bundled", "claims", "claims", formats=("table", "json", "markdown", "csv"))
    add("bundled", "claims-2024-upper", "claims", "--dollar-year", "2024", "--include", "upper_reference")
    add("bundled", "trace", "trace", formats=("table", "json", "csv"))
    add("bundled", "trace-uncosted", "trace", "--bucket", "uncosted")
    add("bundled", "trace-attributed", "trace", "--bucket", "attributed", "--claim", "AZ-2020-10-01-MIRKISHILI")
    add("bundled", "trace-tanks-2024", "trace", "--category", "Tanks", "--dollar-year", "2024")
    add("bundled", "trace-system", "trace", "--bucket", "other", "--system", "artillery")
    add("bundled", "breakdown", "breakdown", "--by", "system", "--by", "status", formats=("table", "json", "csv"))
    add("bundled", "breakdown-month", "breakdown", "--by", "month", "--by", "category", "--where", "side=Armenia")
    add("bundled", "breakdown-week-2024", "breakdown", "--by", "week", "--dollar-year", "2024")
    add("bundled", "sensitivity", "sensitivity", formats=("table", "json", "csv"))
    add("bundled", "sensitivity-MIRKISHILI", "sensitivity", "--claim", "AZ-2020-10-01-MIRKISHILI")
    add("bundled", "sensitivity-TANKS", "sensitivity", "--claim", "AZ-2020-10-14-HABERTURK-TANKS")
    add("bundled", "consistency", "consistency")
    add("bundled", "consistency-upper", "consistency", "--include", "upper_reference", "--dollar-year", "2024")
    add("bundled", "conflict", "summary", "--conflict", "karabakh-2020", formats=("table", "json", "markdown"))
    add("bundled", "conflict-armenia", "summary", "--conflict", "karabakh-2020", "--side", "Armenia")
    add("bundled", "validate", "validate", formats=("table", "json", "csv"))

    # The mini ledger: every claim.
    for claim in ("C1", "C2", "C3", "C4"):
        add("mini", f"summary-{claim}", "summary", "--claim", claim)
    add("mini", "summary-C1-2024", "summary", "--claim", "C1", "--dollar-year", "2024")
    add("mini", "claims", "claims", formats=("table", "json", "csv"))
    add("mini", "trace", "trace", "--claim", "C1", formats=("table", "json", "csv"))
    add("mini", "trace-uncosted", "trace", "--claim", "C2", "--bucket", "uncosted")
    add("mini", "breakdown", "breakdown", "--by", "system", "--by", "category")
    add("mini", "sensitivity", "sensitivity", "--claim", "C1", formats=("table", "json", "csv"))
    add("mini", "sensitivity-C2", "sensitivity", "--claim", "C2")
    add("mini", "consistency", "consistency")
    add("mini", "conflict", "summary", "--conflict", "war-x")
    add("mini", "validate", "validate", formats=("table", "json", "csv"))

    # Synthetic ledgers: the shapes the benchmarks time.
    add("synthetic", "summary", "summary")
    add("synthetic", "summary-MIRKISHILI", "summary", "--claim", "AZ-2020-10-01-MIRKISHILI", formats=("json",))
    add("synthetic", "summary-TANKS", "summary", "--claim", "AZ-2020-10-14-HABERTURK-TANKS", formats=("json",))
    add("synthetic", "claims", "claims", formats=("json", "csv"))
    add("synthetic", "sensitivity", "sensitivity", formats=("json",))
    add("synthetic", "consistency", "consistency", formats=("json",))
    add("synthetic", "breakdown", "breakdown", "--by", "system", "--by", "month", formats=("json",))
    add(
        "synthetic",
        "trace-attributed",
        "trace",
        "--bucket",
        "attributed",
        "--claim",
        "AZ-2020-10-01-MIRKISHILI",
        "--category",
        "Tanks",
        formats=("json",),
    )
    add("synthetic", "conflict", "summary", "--conflict", "karabakh-2020", formats=("json",))
    add("synthetic", "validate", "validate", formats=("json",))
    add("invalid", "validate", "validate", formats=("table", "json", "csv"))
    add("oryx", "conflict", "summary", "--conflict", "ukraine-2022", formats=("table", "json"))
    add(
        "oryx",
        "conflict-russia-2024",
        "summary",
        "--conflict",
        "ukraine-2022",
        "--side",
        "Russia",
        "--dollar-year",
        "2024",
        formats=("json",),
    )
    add("oryx", "breakdown", "breakdown", "--by", "system", "--where", "conflict=ukraine-2022", formats=("json",))
    add("oryx", "summary", "summary", formats=("json",))
    add("oryx", "validate", "validate", formats=("json",))

    # Commands that write a file: the file is compared too.
    for ledger in ("bundled", "mini", "synthetic"):
        cases.append((ledger, "export.csv", ("export", "out.csv")))
    cases.append(
        (
            "bundled",
            "export-2024-upper.csv",
            ("export", "out.csv", "--dollar-year", "2024", "--include", "upper_reference"),
        )
    )
    cases.append(("bundled", "report.html", ("report", "out.html")))
    cases.append(("bundled", "report-TANKS.html", ("report", "out.html", "--claim", "AZ-2020-10-14-HABERTURK-TANKS")))
    cases.append(("mini", "report-C1.html", ("report", "out.html", "--claim", "C1")))
    return cases


CASES = _cases()


def _oryx_ledger(target: Path) -> None:
    from synthetic import synthetic_long_table

    from drone_ledger.importing import import_table

    shutil.copytree(BUNDLED, target)
    with (target / "conflicts.csv").open("a", encoding="utf-8") as handle:
        handle.write("ukraine-2022,Russian invasion of Ukraine,2022-02-24,,https://example.org/war,\n")
    source = synthetic_long_table(target.parent / "oryx-long.csv", 1500)
    report = import_table(source, target, conflict="ukraine-2022", add_systems=True)
    assert report.balanced and report.rejected == 0, report.refused


def _builders() -> dict[str, Callable[[Path], object]]:
    def synthetic(rows: int, invalid: float = 0.0) -> Callable[[Path], object]:
        def build(target: Path) -> object:
            from synthetic import synthetic_ledger

            return synthetic_ledger(target, rows, invalid_share=invalid)

        return build

    return {
        "bundled": lambda target: shutil.copytree(BUNDLED, target),
        "mini": lambda target: shutil.copytree(MINI, target),
        "synthetic": synthetic(2000),
        "invalid": synthetic(2000, 0.03),
        "oryx": _oryx_ledger,
    }


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Build each ledger once per module, in its own directory, as ``<dir>/ledger``."""
    built: dict[str, Path] = {}
    builders = _builders()

    def get(name: str) -> Path:
        if name not in built:
            home = tmp_path_factory.mktemp(name)
            builders[name](home / "ledger")
            built[name] = home
        return built[name]

    return get


def run_case(home: Path, args: tuple[str, ...]) -> str:
    """One command's stdout, exit code and written file, run from ``home`` with ``--ledger ledger``, 100 wide."""
    previous = Path.cwd()
    os.chdir(home)
    try:
        result = runner.invoke(app, [*args, "--ledger", "ledger"], env={"COLUMNS": "100"})
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    output = f"{result.stdout}\n[exit {result.exit_code}]\n"
    for name in ("out.csv", "out.html"):
        written = home / name
        if name in args and written.exists():
            output += f"--- {name}\n{written.read_text(encoding='utf-8')}"
            written.unlink()
    return output


@pytest.mark.parametrize(("ledger", "name", "args"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_output_is_unchanged(
    ledgers: Callable[[str], Path], ledger: str, name: str, args: tuple[str, ...], tmp_path: Path
) -> None:
    output = run_case(ledgers(ledger), args)
    golden = GOLDEN / ledger / name
    digest = golden.with_name(f"{name}.sha256")  # outputs over 256 kB are kept as a digest, not in the repository
    if REGOLD:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.unlink(missing_ok=True)
        digest.unlink(missing_ok=True)
        if len(output) > BIG:
            digest.write_text(f"{_sha256(output)}\n", encoding="utf-8")
        else:
            golden.write_text(output, encoding="utf-8")
    if digest.exists():
        actual = tmp_path / name
        actual.write_text(output, encoding="utf-8")
        assert _sha256(output) == digest.read_text(encoding="utf-8").strip(), (
            f"{' '.join(args)} on {ledger} differs from the recorded digest; the output is in {actual}"
        )
        return
    expected = golden.read_text(encoding="utf-8")
    assert output == expected, f"{' '.join(args)} on {ledger} differs from {golden}"


BIG = 256_000


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_every_golden_file_has_a_case() -> None:
    """A stale golden file (its case removed) would silently stop being compared."""
    names = {(ledger, name) for ledger, name, _ in CASES}
    on_disk = {(p.parent.name, p.name.removesuffix(".sha256")) for p in GOLDEN.glob("*/*")}
    assert on_disk <= names, sorted(on_disk - names)
