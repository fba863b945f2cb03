"""Shared fixtures: the tiny hand-checkable ledger, defect swapping, shared/ discovery."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI = TESTS / "fixtures" / "mini"
DEFECTS = TESTS / "fixtures" / "defects"
BUNDLED = ROOT / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the mini ledger (tests/fixtures/mini)."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def with_defect(mini: Path) -> Callable[[str], Path]:
    """Return a function that swaps a defect file into the mini ledger.

    ``with_defect("losses_negative_quantity.csv")`` replaces ``losses.csv``
    (the table is the file name's prefix up to the first known table name).
    """

    def swap(name: str) -> Path:
        table = next(t for t in TABLE_FILES if name.startswith(t + "_"))
        shutil.copy(DEFECTS / name, mini / f"{table}.csv")
        return mini

    return swap


TABLE_FILES = ("category_proxies", "unit_costs", "conflicts", "aggregates", "systems", "losses", "claims", "cpi")


@pytest.fixture
def shared_sources() -> Path:
    """../shared/sources/karabakh_2020, or skip when shared/ is not beside the repository."""
    path = SHARED / "sources" / "karabakh_2020"
    if not path.is_dir():
        pytest.skip(f"needs the gathered sources at {path} (shared/ is not beside this checkout)")
    return path


def plain(text: str) -> str:
    """Text without Rich box drawing and with whitespace folded, for asserting on messages."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", text)).strip()
