"""The Python API as a notebook user meets it: typed (py.typed; tests/typed_notebook.py under mypy --strict) and
every answer a table."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pandas as pd
import pytest
from conftest import LONG_FUZZ, MINI, TESTS
from typed_notebook import session


def test_the_typed_notebook_session_runs_and_every_answer_is_a_table() -> None:
    frames = session(MINI, 2019)
    assert all(isinstance(frame, pd.DataFrame) and not frame.empty for frame in frames.values())
    assert frames["claims"]["claim_id"].tolist() == ["C1", "C2", "C3", "C4"]
    assert frames["costed"]["dollar_year"].eq(2019).all()  # the one dollar year: the assumptions'
    assert frames["buckets"].set_index("name").loc["documented", "value_usd_central"] == pytest.approx(1620)
    in_2019 = frames["claims"].set_index("claim_id").loc["C2", "documented_value_usd_central"]
    assert in_2019 == pytest.approx(1620 * 100 / 110, abs=0.005)  # CPI 2019 = 100, 2020 = 110; cents


def test_the_package_says_it_is_typed() -> None:
    """PEP 561: the marker that makes a user's type checker read the package's annotations (the wheel carries
    every file of the package)."""
    assert files("drone_ledger").joinpath("py.typed").is_file()


@pytest.mark.long
@pytest.mark.skipif(not LONG_FUZZ, reason="a cold mypy run (~15 s): the long profile runs it (DRONE_LEDGER_FUZZ=long)")
def test_a_user_s_mypy_strict_sees_the_types(tmp_path: Path) -> None:
    """The notebook session in a project of its own, checked as its author would check it: the package is found
    installed (not as source under test), and ``assert_type`` holds for every result — it fails without py.typed."""
    shutil.copy(TESTS / "typed_notebook.py", tmp_path)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".cache"), "typed_notebook.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
