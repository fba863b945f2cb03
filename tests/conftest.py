"""Shared fixtures: the tiny hand-checkable ledger, defect swapping, shared/ discovery."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from drone_ledger.errors import DroneLedgerError, IssueCode
from drone_ledger.ledger import Ledger, load_ledger
from drone_ledger.results.core import Issue, ValidationReport

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


@pytest.fixture(scope="session")
def mini_ledger() -> Ledger:
    """The mini ledger loaded once, for tests that only read it: it is validated once, on its first use
    (``validation.require_valid`` keeps the report on the object), instead of once per call."""
    return load_ledger(MINI)


def count_validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The validations that really run from now on (the ledger path of each): ``validation.validate_ledger``
    wrapped, as every analysis reaches it (through the cache, or not)."""
    from drone_ledger import validation

    calls: list[str] = []
    real = validation.validate_ledger

    def counting(ledger: object, today: dt.date | None = None) -> ValidationReport:
        calls.append(str(getattr(ledger, "path", ledger)))
        return real(ledger, today)  # type: ignore[arg-type]  # the real function decides what it accepts

    monkeypatch.setattr(validation, "validate_ledger", counting)
    return calls


@pytest.fixture
def with_defect(mini: Path) -> Callable[[str], Path]:
    """Return a function that swaps a defect file into the mini ledger.

    ``with_defect("losses_negative_quantity.csv")`` replaces ``losses.csv``
    (the table is the file name's prefix up to the first known table name).
    """

    def swap(name: str) -> Path:
        table = next(t for t in DEFECT_TABLES if name.startswith(t + "_"))
        shutil.copy(DEFECTS / name, mini / f"{table}.csv")
        return mini

    return swap


TABLE_FILES = ("category_proxies", "unit_costs", "conflicts", "aggregates", "systems", "losses", "claims", "cpi")
#: The tables a defect fixture may replace: the mini ledger's, and the optional war category list it leaves out.
DEFECT_TABLES = (*TABLE_FILES, "categories")


@pytest.fixture
def shared_sources() -> Path:
    """../shared/sources/karabakh_2020, or skip when shared/ is not beside the repository."""
    path = SHARED / "sources" / "karabakh_2020"
    if not path.is_dir():
        pytest.skip(f"needs the gathered sources at {path} (shared/ is not beside this checkout)")
    return path


# --- fuzzing: a fast default profile, and the long one CI runs too --------------------------------------------------

#: ``DRONE_LEDGER_FUZZ=long``: the tests marked ``long`` in full — every fuzz and property test with its long example
#: count, the CLI fuzz's whole matrix, more race trials, the benchmark smoke test. CI runs ``pytest -m long`` so
#: after the default run (see .ci/run); a developer's run takes the default counts.
LONG_FUZZ = os.environ.get("DRONE_LEDGER_FUZZ") == "long"
settings.register_profile(
    "drone-ledger", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
settings.load_profile("drone-ledger")


def examples(default: int, long: int) -> int:
    """How many examples a hypothesis test runs: ``default`` in a developer's run, ``long`` in the long profile."""
    return long if LONG_FUZZ else default


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run that selects no test is an error, not a green run that checked nothing."""
    if not session.items and not session.config.option.collectonly:
        raise pytest.UsageError("no test was selected: check the path, -k and -m")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The same under xdist, whose workers collect: no test run is a usage error (exit 4), never a pass."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.USAGE_ERROR


def plain(text: str) -> str:
    """Text without Rich box drawing and with whitespace folded, for asserting on messages."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", text)).strip()


# --- every code met in any test is a member of IssueCode ------------------------------------------------------------

_MEMBERS = frozenset(IssueCode)
_strays: list[str] = []


def _checking_code(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def checked(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if self.code not in _MEMBERS:
            _strays.append(f"{type(self).__name__} with code {self.code!r}")

    return checked


# The commands the tests start as processes may keep their compiled bytecode (gitignored __pycache__/): with
# PYTHONDONTWRITEBYTECODE set, as in some sandboxes, each would compile the package again (about 0.25 s).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

Issue.__init__ = _checking_code(Issue.__init__)  # type: ignore[method-assign]
DroneLedgerError.__init__ = _checking_code(DroneLedgerError.__init__)  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _every_code_is_a_member() -> Iterator[None]:
    """Each issue and error a test meets carries a code of the one enum (tests/test_errors.py checks the source)."""
    yield
    strays, _strays[:] = list(_strays), []
    assert strays == [], "codes missing from drone_ledger.errors.IssueCode"


@pytest.fixture(autouse=True, scope="session")
def _a_cache_of_the_run_s_own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Validation reports the tests cache go to a directory of this run (each worker its own), never the user's:
    a run neither reads what another run or the user's own commands left nor leaves anything behind."""
    from drone_ledger import cache

    before = os.environ.get(cache.CACHE_DIR_ENV)
    os.environ[cache.CACHE_DIR_ENV] = str(tmp_path_factory.mktemp("validation-cache"))
    yield
    if before is None:
        del os.environ[cache.CACHE_DIR_ENV]
    else:
        os.environ[cache.CACHE_DIR_ENV] = before
