"""The benchmark runs end to end at its smallest size (a smoke test: figures are printed, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import LONG_FUZZ, ROOT


@pytest.mark.long
@pytest.mark.skipif(
    not LONG_FUZZ, reason="a minute of benchmark processes: the long profile runs it (DRONE_LEDGER_FUZZ=long, CI)"
)
def test_benchmark_smoke() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "2000", "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [row["name"] for row in report["startup"]][:3] == [
        "python -c pass",
        "python -c 'import typer'",
        "python -c 'import pandas'",
    ]
    (size,) = report["sizes"]
    assert size["rows"] == 2000
    for name in ("baseline", "load", "validate", "cost", "compare", "summary", "import per-item", "import per-model"):
        figure = size["figures"][name]
        assert figure["seconds"] is not None and figure["seconds"] > 0, (name, figure)
    assert size["figures"]["import per-item"]["rows_per_second"] > 0
