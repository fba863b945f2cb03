"""Benchmarks: every figure next to a baseline measured in the same run. Nothing here is asserted.

    python benchmarks/run.py                         # everyday commands, then 10k and 100k rows
    python benchmarks/run.py --sizes 10000,100000,1000000
    python benchmarks/run.py --sizes 10000 --repeat 1 --json   # the CI smoke test
    python benchmarks/run.py --sizes '' --repeat 7 --before /tmp/drone-ledger-main   # everyday, before vs after

**Everyday commands** (``everyday``): each command is a fresh process, timed against the *import floor* —
``python -c "import pandas, pandera.pandas, pyarrow"``, the least any command that validates can cost — and
``--help`` against ``import typer``. All processes of a round are run one after another and the rounds repeated,
so the floor and every command see the same machine load; the median of the rounds is reported. Commands run on
the bundled ledger and on a ~40k-row ledger (the bundled one plus 37,500 synthetic Oryx per-item rows imported
as a second war: the size of the full Oryx per-item dataset), with the validation cache warm (the state after
the first command on an unchanged ledger) and off (``DRONE_LEDGER_NO_CACHE=1``). ``--before DIR`` also times
the same commands from another source tree (e.g. ``git archive`` of main), interleaved in the same rounds.

**Million-row phases** (``sized``): each phase runs in a fresh process (``--phase``), repeats its operation and
reports the median time and the process's peak resident memory, so memory is measured per phase. They run
with the validation cache off, so validation is always measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _environ() -> dict[str, str]:
    """The environment of every timed process: this one's, except that Python may keep compiled bytecode.

    With ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes and CI images) every process compiles
    drone-ledger's ~13,000 lines again (about 0.25 s here), a cost no installed copy pays after its first run;
    the warm-up runs write the bytecode, the timed runs use it, for every source tree alike.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_phase(phase: str, target: str, repeat: int) -> dict[str, Any]:
    """Time one phase in this (fresh) process; called through ``--phase``."""
    path = Path(target)
    if phase == "baseline":  # what a user would otherwise run: a bare read and the equivalent group-by sum
        import pandas as pd

        def work() -> object:
            frame = pd.read_csv(path / "losses.csv")
            return frame.groupby(["category", "status"])["quantity"].sum()
    elif phase == "frictionless":
        from frictionless import validate as fl_validate  # optional: pip install frictionless

        def work() -> object:
            return fl_validate(str(path / "datapackage.json"))
    else:
        from drone_ledger import Assumptions, compare_claim, cost_losses, import_table, load_ledger, validate_ledger
        from drone_ledger.writing import init_ledger

        if phase == "load":

            def work() -> object:
                return load_ledger(path)
        elif phase == "validate":

            def work() -> object:
                return validate_ledger(load_ledger(path))
        elif phase == "cost":
            ledger = load_ledger(path)

            def work() -> object:
                return cost_losses(ledger, Assumptions(dollar_year=2020))
        elif phase == "compare":
            ledger = load_ledger(path)

            def work() -> object:
                return compare_claim(ledger)  # validates, costs, compares
        elif phase == "summary":

            def work() -> object:
                return compare_claim(load_ledger(path))  # what `drone-ledger summary` computes, each step once
        elif phase in ("import-long", "import-wide"):
            runs = iter(range(repeat))

            def work() -> object:
                target_dir = Path(tempfile.mkdtemp()) / f"ledger{next(runs)}"
                init_ledger(target_dir, empty=True)
                with (target_dir / "conflicts.csv").open("a", encoding="utf-8") as handle:
                    handle.write("ukraine-2022,Russian invasion of Ukraine,2022-02-24,,https://example.org/war,\n")
                extra = {"side": "Ukraine", "source_url": "https://example.org/oryx"} if phase == "import-wide" else {}
                report = import_table(path, target_dir, conflict="ukraine-2022", add_systems=True, **extra)
                assert report.balanced and report.rejected == 0, report.refused
                return report
        else:
            raise SystemExit(f"unknown phase {phase}")
    seconds = _median(work, repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"phase": phase, "seconds": seconds, "peak_rss_mb": peak}


def phase(name: str, target: Path, repeat: int) -> dict[str, Any]:
    """Run a phase in a fresh process and return its figures (None if it could not run, e.g. no frictionless)."""
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--target", str(target), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=False,
        env={**_environ(), **NO_CACHE},  # validation is always measured
    )
    if result.returncode != 0:
        return {"phase": name, "seconds": None, "peak_rss_mb": None, "error": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout)


def median_process(argv: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            env={**_environ(), "COLUMNS": "100", **(env or {})},
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cli() -> list[str]:
    script = shutil.which("drone-ledger")
    return [script] if script else [sys.executable, "-m", "drone_ledger"]


NO_CACHE = {"DRONE_LEDGER_NO_CACHE": "1"}
FLOOR = "import pandas, pandera.pandas, pyarrow"
#: The everyday commands: (name, arguments after ``drone-ledger``, which ledger, budget as a multiple of the floor).
EVERYDAY = (
    ("summary", ["summary"], "bundled", 1.5),
    ("claims", ["claims"], "bundled", 1.5),
    ("sensitivity", ["sensitivity"], "bundled", 2.0),
    ("summary --conflict", ["summary", "--conflict", "ukraine-2022"], "oryx-40k", 2.0),
    ("summary", ["summary"], "oryx-40k", None),
    ("claims", ["claims"], "oryx-40k", None),
    ("sensitivity", ["sensitivity"], "oryx-40k", None),
)


def oryx_ledger(target: Path, rows: int = 37_500) -> Path:
    """The bundled ledger plus ``rows`` synthetic Oryx per-item rows, imported into the 2022 war (ukraine-2022,
    which the bundled ledger has from its TB2 record, and a tree from before it may not)."""
    from synthetic import synthetic_long_table

    from drone_ledger import import_table
    from drone_ledger.ledger import default_ledger_path

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(default_ledger_path(), target)
    conflicts = target / "conflicts.csv"
    if "\nukraine-2022," not in conflicts.read_text(encoding="utf-8"):
        with conflicts.open("a", encoding="utf-8") as handle:
            handle.write("ukraine-2022,Russian invasion of Ukraine,2022-02-24,,https://example.org/war,\n")
    source = synthetic_long_table(target.parent / f"oryx-long-{rows}.csv", rows)
    report = import_table(source, target, conflict="ukraine-2022", add_systems=True)
    assert report.balanced and report.rejected == 0, report.refused
    return target


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env, cwd=cwd)
    return time.perf_counter() - start


def everyday(repeat: int, work: Path, before: Path | None = None, after: Path | None = None) -> dict[str, Any]:
    """Fresh-process timings of the everyday commands, interleaved with their baselines (see the module doc).

    Each source tree is put first on ``PYTHONPATH`` and the processes run from a scratch directory, so that
    ``python -m drone_ledger`` imports that tree's package and no other.
    """
    py = sys.executable
    ledgers = {"bundled": None, "oryx-40k": oryx_ledger(work / "oryx-40k")}
    cache_dir = work / "cache"
    base_env = {**_environ(), "COLUMNS": "100", "DRONE_LEDGER_CACHE_DIR": str(cache_dir)}
    trees = {"after": (after or Path(__file__).resolve().parent.parent).resolve()}
    if before is not None:
        trees["before"] = before.resolve()
    scratch = work / "cwd"
    scratch.mkdir(exist_ok=True)
    baselines = {"floor": [py, "-c", FLOOR], "import typer": [py, "-c", "import typer"]}
    runs: dict[str, tuple[list[str], dict[str, str], str]] = {}
    for tree, source in trees.items():
        env = {**base_env, "PYTHONPATH": str(source)}
        runs[f"{tree}: --help"] = ([py, "-m", "drone_ledger", "--help"], env, "import typer")
        for name, args, ledger, _ in EVERYDAY:
            where = [] if ledgers[ledger] is None else ["--ledger", str(ledgers[ledger])]
            argv = [py, "-m", "drone_ledger", *args, *where]
            runs[f"{tree}: {name} [{ledger}]"] = (argv, env, "floor")
            if tree == "after":
                runs[f"{tree}: {name} [{ledger}] (no cache)"] = (argv, {**env, **NO_CACHE}, "floor")
    for argv, env, _ in runs.values():  # warm the OS file cache, the bytecode and the validation cache; not timed
        _run(argv, env, scratch)
    # Each command is timed right after its baseline, so both see the same load on a shared machine; the ratio
    # reported is the median over the rounds of these paired ratios.
    times: dict[str, list[float]] = {name: [] for name in [*baselines, *runs]}
    ratios: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (argv, env, baseline) in runs.items():
            base = _run(baselines[baseline], base_env, scratch)
            seconds = _run(argv, env, scratch)
            times[baseline].append(base)
            times[name].append(seconds)
            ratios[name].append(seconds / base)
    rows = []
    for name, values in times.items():
        baseline = runs[name][2] if name in runs else None
        budget = next((b for n, _, ledger, b in EVERYDAY if name == f"after: {n} [{ledger}]"), None)
        rows.append(
            {
                "name": name,
                "seconds": statistics.median(values),
                "baseline": baseline,
                "ratio": statistics.median(ratios[name]) if name in ratios else None,
                "budget": 3.0 if name == "after: --help" else budget,
                "ratios": ratios.get(name, []),
            }
        )
    rows_40k = sum(1 for _ in (ledgers["oryx-40k"] / "losses.csv").open(encoding="utf-8")) - 1
    return {"repeat": repeat, "rows_40k": rows_40k, "commands": rows}


#: The primary sources' samples (read where they are, never copied into the repository).
SAMPLES = HERE.parent.parent / "shared" / "samples"
UKRAINE_ROW = "ukraine-2022,Russian invasion of Ukraine,2022-02-24,,https://example.org/war,\n"
#: Imports of the primary sources: (name, sample, extra arguments, ledger to import into), each <= 3x the floor.
PRIMARY = (
    ("import oryx-page (Oryx's page of 2022-11-13)", "oryx_page_russia_2022-11-13.html.gz", ["--as-of", "2022-11-13"]),
    ("import warspotting (2024 export, 14,183 rows)", "warspotting_russia_2024-04-10.csv", []),
)


def primary_imports(repeat: int, work: Path) -> dict[str, Any] | None:
    """Fresh-process imports of Oryx's page and of WarSpotting's 14k-row export into an empty ledger (and of the
    export into a ledger that holds the page: the join), each timed right after the import floor, as the everyday
    commands are; None when the samples are not beside the checkout."""
    from drone_ledger import import_table
    from drone_ledger.writing import init_ledger

    if not all((SAMPLES / sample).is_file() for _, sample, _ in PRIMARY):
        return None
    py = sys.executable
    empty = work / "primary-empty"
    init_ledger(empty, empty=True)
    with (empty / "conflicts.csv").open("a", encoding="utf-8") as handle:
        handle.write(UKRAINE_ROW)
    with_page = work / "primary-page"
    shutil.copytree(empty, with_page)
    _, page_sample, page_args = PRIMARY[0]
    import_table(SAMPLES / page_sample, with_page, conflict="ukraine-2022", as_of=page_args[1])
    cases = [(name, sample, extra, empty) for name, sample, extra in PRIMARY]
    cases.append(("import warspotting into the page's ledger (the join)", PRIMARY[1][1], [], with_page))
    env = {**_environ(), "COLUMNS": "100", "DRONE_LEDGER_CACHE_DIR": str(work / "cache"), **NO_CACHE}
    scratch = work / "cwd"
    scratch.mkdir(exist_ok=True)
    target = work / "primary-target"
    rows = []
    for name, sample, extra, base in cases:
        argv = [py, "-m", "drone_ledger", "import", str(SAMPLES / sample), "--ledger", str(target)]
        argv += ["--conflict", "ukraine-2022", "--quiet", *extra]
        times, ratios = [], []
        for attempt in range(repeat + 1):  # the first run warms the OS file cache and the bytecode: not timed
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(base, target)
            floor = _run([py, "-c", FLOOR], env, scratch)
            seconds = _run(argv, env, scratch)
            if attempt:
                times.append(seconds)
                ratios.append(seconds / floor)
        rows.append(
            {"name": name, "seconds": statistics.median(times), "ratio": statistics.median(ratios), "budget": 3.0}
        )
    return {"repeat": repeat, "imports": rows}


def startup(repeat: int) -> list[dict[str, Any]]:
    py = sys.executable
    typer_s = median_process([py, "-c", "import typer"], repeat)
    pandas_s = median_process([py, "-c", "import pandas"], repeat)
    rows = [
        {"name": "python -c pass", "seconds": median_process([py, "-c", "pass"], repeat)},
        {"name": "python -c 'import typer'", "seconds": typer_s},
        {"name": "python -c 'import pandas'", "seconds": pandas_s},
    ]
    for args, base, label in (
        (["--help"], typer_s, "import typer"),
        (["--version"], typer_s, "import typer"),
        (["summary"], pandas_s, "import pandas"),
    ):
        seconds = median_process([*_cli(), *args], repeat)
        rows.append(
            {"name": f"drone-ledger {' '.join(args)}", "seconds": seconds, "baseline": label, "ratio": seconds / base}
        )
    return rows


def sized(rows: int, repeat: int, work: Path) -> dict[str, Any]:
    from synthetic import synthetic_ledger, synthetic_long_table, synthetic_wide_table

    from drone_ledger.dictionary import data_package

    ledger = synthetic_ledger(work / f"ledger-{rows}", rows)
    (ledger / "datapackage.json").write_text(json.dumps(data_package()), encoding="utf-8")
    invalid = synthetic_ledger(work / f"invalid-{rows}", rows, invalid_share=0.03)
    size_mb = (ledger / "losses.csv").stat().st_size / 1e6
    names = ("baseline", "load", "validate", "cost", "compare", "summary")
    figures = {name: phase(name, ledger, repeat) for name in names}
    figures["validate (3% invalid)"] = phase("validate", invalid, repeat)
    figures["frictionless"] = phase("frictionless", ledger, 1)
    cli = median_process([*_cli(), "summary", "--ledger", str(ledger)], max(1, repeat // 2), NO_CACHE)
    figures["summary (CLI, end to end)"] = {"phase": "summary", "seconds": cli, "peak_rss_mb": None}
    long_source = synthetic_long_table(work / f"long-{rows}.csv", rows)
    figures["import per-item"] = phase("import-long", long_source, max(1, min(repeat, 3)))
    wide_rows = max(10, rows // 12)  # one per-model row holds about a dozen loss records
    wide_source = synthetic_wide_table(work / f"wide-{wide_rows}.csv", wide_rows)
    figures["import per-model"] = phase("import-wide", wide_source, max(1, min(repeat, 3)))
    base = figures["baseline"]["seconds"]
    for figure in figures.values():
        seconds = figure.get("seconds")
        figure["ratio_to_baseline"] = None if seconds is None or not base else seconds / base
        if figure.get("peak_rss_mb"):
            figure["peak_rss_over_csv_size"] = figure["peak_rss_mb"] / size_mb
    if figures["import per-item"]["seconds"]:
        figures["import per-item"]["rows_per_second"] = rows / figures["import per-item"]["seconds"]
    if figures["import per-model"]["seconds"]:
        figures["import per-model"]["rows_per_second"] = wide_rows / figures["import per-model"]["seconds"]
    validate_summary = figures["summary"]["seconds"] or 0  # load + validate + cost + compare, once each
    budgets = {
        "validate + summary vs bare read + group-by (budget 3x)": validate_summary / base if base else None,
        "frictionless validate / (validate + summary) (budget >= 20x)": (
            figures["frictionless"]["seconds"] / validate_summary if figures["frictionless"]["seconds"] else None
        ),
        "import per-item rows/s (budget >= 50,000 at 100k rows)": figures["import per-item"].get("rows_per_second"),
        "peak memory of validate + summary / CSV size (budget < 4x at 1M rows)": figures["summary"].get(
            "peak_rss_over_csv_size"
        ),
    }
    return {"rows": rows, "csv_mb": size_mb, "figures": figures, "budgets": budgets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is reported)")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated row counts ('' for none)")
    parser.add_argument("--before", type=Path, help="also time the everyday commands from this source tree")
    parser.add_argument("--after", type=Path, help="the source tree to time (default: this one)")
    parser.add_argument("--no-everyday", action="store_true", help="skip the everyday commands")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.target, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        result = {
            "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
            "repeat": args.repeat,
            "startup": startup(max(3, args.repeat)),
            "everyday": None if args.no_everyday else everyday(max(5, args.repeat), Path(tmp), args.before, args.after),
            "primary": None if args.no_everyday else primary_imports(args.repeat, Path(tmp)),
            "sizes": [sized(int(n), args.repeat, Path(tmp)) for n in args.sizes.split(",") if n.strip()],
        }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"Python {result['machine']['python']} on {result['machine']['platform']}, {result['machine']['cpus']} CPUs; "
        f"median of {args.repeat} runs per phase"
    )
    print(f"\n{'start-up (fresh process)':34} {'seconds':>8}  vs baseline")
    for row in result["startup"]:
        ratio = f"{row['ratio']:.2f}x {row['baseline']}" if row.get("ratio") else ""
        print(f"{row['name']:34} {row['seconds']:8.3f}  {ratio}")
    if result["everyday"]:
        day = result["everyday"]
        print(
            f"\neveryday commands, fresh processes, median of {day['repeat']} interleaved rounds "
            f"(oryx-40k: {day['rows_40k']:,} losses)"
        )
        print(f"{'command':58} {'seconds':>8} {'ratio':>7}  budget")
        for row in day["commands"]:
            ratio = f"{row['ratio']:6.2f}x" if row["ratio"] else f"{'':>7}"
            budget = f"<= {row['budget']}x {row['baseline']}" if row["budget"] else ""
            if row["budget"] and row["ratio"]:
                budget += " met" if row["ratio"] <= row["budget"] else " NOT met"
            print(f"{row['name']:58} {row['seconds']:8.3f} {ratio}  {budget}")
    if result["primary"]:
        rounds = result["primary"]["repeat"]
        print(f"\nprimary sources, fresh processes, median of {rounds} rounds (each against the import floor)")
        for row in result["primary"]["imports"]:
            met = "met" if row["ratio"] <= row["budget"] else "NOT met"
            print(f"{row['name']:58} {row['seconds']:8.3f} {row['ratio']:6.2f}x  <= {row['budget']}x floor {met}")
    elif not args.no_everyday:
        print(f"\nprimary sources: not timed (the samples are not in {SAMPLES})")
    for size in result["sizes"]:
        print(f"\n{size['rows']:,} rows ({size['csv_mb']:.1f} MB losses.csv)")
        print(f"  {'phase':30} {'seconds':>8} {'x baseline':>10} {'peak MB':>8} {'x CSV':>6} {'rows/s':>9}")
        for name, f in size["figures"].items():
            cells = [
                f"{f['seconds']:8.3f}" if f.get("seconds") is not None else f"{'n/a':>8}",
                f"{f['ratio_to_baseline']:10.2f}" if f.get("ratio_to_baseline") else f"{'':>10}",
                f"{f['peak_rss_mb']:8.0f}" if f.get("peak_rss_mb") else f"{'':>8}",
                f"{f['peak_rss_over_csv_size']:6.1f}" if f.get("peak_rss_over_csv_size") else f"{'':>6}",
                f"{f['rows_per_second']:9,.0f}" if f.get("rows_per_second") else f"{'':>9}",
            ]
            note = f"  ({f['error'][0]})" if f.get("error") else ""
            print(f"  {name:30} {' '.join(cells)}{note}")
        for name, value in size["budgets"].items():
            print(f"  {name}: {'n/a' if value is None else f'{value:,.0f}' if value >= 100 else f'{value:.2f}'}")


if __name__ == "__main__":
    main()
