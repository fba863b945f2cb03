"""Benchmarks: print timing figures, each against a baseline measured in the same run.

    python benchmarks/run.py            # table
    python benchmarks/run.py --json     # the same figures as JSON, to compare across commits
    python benchmarks/run.py --repeat 3 # fewer repetitions (CI smoke test)

Nothing here is asserted: tests never time anything. Start-up figures are the
median wall time of fresh processes; library figures the median of repeated
calls in this process.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _cli() -> list[str]:
    script = shutil.which("drone-ledger")
    return [script] if script else [sys.executable, "-m", "drone_ledger"]


def median_process(argv: list[str], repeat: int) -> float:
    """Median wall time of running ``argv`` as a fresh process, in seconds."""
    env = {**os.environ, "COLUMNS": "100"}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_call(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of calling ``fn`` in this process, in seconds (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup(repeat: int) -> list[dict[str, Any]]:
    py = sys.executable
    baseline_pass = median_process([py, "-c", "pass"], repeat)
    baseline_typer = median_process([py, "-c", "import typer"], repeat)
    baseline_pandas = median_process([py, "-c", "import pandas"], repeat)
    rows = [
        {"name": "python -c pass", "seconds": baseline_pass, "baseline": None, "ratio": None},
        {"name": "python -c 'import typer'", "seconds": baseline_typer, "baseline": None, "ratio": None},
        {"name": "python -c 'import pandas'", "seconds": baseline_pandas, "baseline": None, "ratio": None},
    ]
    for args, baseline, label in (
        (["--help"], baseline_typer, "import typer"),
        (["--version"], baseline_typer, "import typer"),
        (["summary"], baseline_pandas, "import pandas"),
        (["claims"], baseline_pandas, "import pandas"),
    ):
        seconds = median_process([*_cli(), *args], repeat)
        rows.append(
            {
                "name": f"drone-ledger {' '.join(args)}",
                "seconds": seconds,
                "baseline": label,
                "ratio": seconds / baseline,
            }
        )
    return rows


def library(repeat: int) -> list[dict[str, Any]]:
    from drone_ledger import compare_claim, compare_claims, cost_losses, load_ledger, validate_ledger

    ledger = load_ledger()
    return [
        {"name": "load_ledger (bundled)", "seconds": median_call(load_ledger, repeat)},
        {"name": "validate_ledger (bundled)", "seconds": median_call(lambda: validate_ledger(ledger), repeat)},
        {"name": "cost_losses (bundled)", "seconds": median_call(lambda: cost_losses(ledger, 2020), repeat)},
        {"name": "compare_claim F24 (bundled)", "seconds": median_call(lambda: compare_claim(ledger), repeat)},
        {"name": "compare_claims, 30 claims", "seconds": median_call(lambda: compare_claims(ledger), repeat)},
    ]


MODELS = ["T-72B", "1094 BMP-2(K)", "BMP-1(P)", "122mm D-30 howitzer", "(Unknown) truck", "T-80BVM", "MT-LB"]
STATUSES = ["destroyed", "damaged", "abandoned", "captured", "destroyed by Bayraktar TB2", "damaged by Orion"]


def synthetic_long_table(path: Path, rows: int, seed: int = 20201014) -> None:
    """Write a deterministic Oryx per-item table of ``rows`` rows (the per-item format's columns)."""
    import csv
    import random

    rng = random.Random(seed)
    start = datetime.date(2022, 2, 24)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["country", "origin", "system", "status", "url", "date_recorded", "sysID", "imageID", "statusID", "matID"]
        )
        for i in range(rows):
            writer.writerow(
                [
                    "Russia",
                    "Soviet Union",
                    rng.choice(MODELS),
                    rng.choice(STATUSES),
                    f"https://example.org/proof/{i}",
                    start + datetime.timedelta(days=rng.randrange(1200)),
                    i % 900,
                    i,
                    3,
                    f"7-{i}",
                ]
            )


def importing(rows: int, repeat: int) -> list[dict[str, Any]]:
    """Import a synthetic per-item table into a fresh empty ledger; rows per second against a bare read."""
    import tempfile

    import pandas as pd

    from drone_ledger.importing import import_table
    from drone_ledger.storage import init_ledger

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "oryx_long_synthetic.csv"
        synthetic_long_table(source, rows)
        runs = []
        for n in range(repeat):
            target = Path(tmp) / f"ledger{n}"
            init_ledger(target, empty=True)
            with (target / "conflicts.csv").open("a", encoding="utf-8") as handle:
                handle.write("ukraine-2022,Russian invasion of Ukraine,2022-02-24,,https://example.org/war,\n")
            started = time.perf_counter()
            report = import_table(source, target, conflict="ukraine-2022", add_systems=True)
            runs.append(time.perf_counter() - started)
            assert report.added == rows and report.balanced, report.to_dict()
        seconds = statistics.median(runs)
        bare = median_call(lambda: pd.read_csv(source, dtype=str), repeat)
        size = source.stat().st_size
    return [
        {
            "name": f"import oryx-long, {rows:,} rows ({size / 1e6:.1f} MB) into an empty ledger",
            "seconds": seconds,
            "rows_per_second": rows / seconds,
            "baseline": "pandas.read_csv",
            "baseline_seconds": bare,
            "ratio": seconds / bare,
        }
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median taken)")
    parser.add_argument("--import-rows", type=int, default=37_000, help="rows of the synthetic per-item table")
    args = parser.parse_args()
    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "repeat": args.repeat,
        "startup": startup(args.repeat),
        "library": library(args.repeat),
        "import": importing(args.import_rows, max(1, min(args.repeat, 3))),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"Python {result['machine']['python']} on {result['machine']['platform']}, "
        f"{result['machine']['cpus']} CPUs; median of {args.repeat} runs"
    )
    print(f"\n{'start-up (fresh process)':40} {'seconds':>9} {'vs baseline':>22}")
    for row in result["startup"]:
        ratio = f"{row['ratio']:.2f}x {row['baseline']}" if row["ratio"] else ""
        print(f"{row['name']:40} {row['seconds']:9.3f} {ratio:>22}")
    print(f"\n{'library (in process)':40} {'seconds':>9}")
    for row in result["library"]:
        print(f"{row['name']:40} {row['seconds']:9.3f}")
    print()
    for row in result["import"]:
        print(
            f"{row['name']}: {row['seconds']:.2f} s, {row['rows_per_second']:,.0f} rows/s "
            f"({row['ratio']:.1f}x a bare {row['baseline']} of the same file, {row['baseline_seconds']:.3f} s)"
        )


if __name__ == "__main__":
    main()
