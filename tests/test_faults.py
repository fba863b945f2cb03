"""Faults: random input never escapes as a traceback; an import killed at any point leaves a whole ledger;
two imports at once never interleave.

* Fuzzing (hypothesis, bounded): random bytes and mutated near-valid CSVs through `validate` and `import`.
* Crash safety: DRONE_LEDGER_FAULT_STEP=N makes an import SIGKILL itself at the N-th step of its commit
  (every temporary file written, the journal, every rename); after each kill the ledger reads back as exactly
  the old or exactly the new one, and the next import works without repair.
* Concurrency: two imports into one ledger at once serialise or the second refuses; never a mix.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI, TESTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drone_ledger import load_ledger, validate_ledger
from drone_ledger.cli import app
from drone_ledger.importing import import_table
from drone_ledger.schemas import TABLES
from drone_ledger.storage import JOURNAL_NAME, init_ledger

IMPORTS = TESTS / "fixtures" / "imports"
WIDE = ["--conflict", "karabakh-2020", "--side", "Armenia", "--source-url", "https://example.org/snapshot"]
MINI_LOSSES = (MINI / "losses.csv").read_bytes()
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def state(ledger: Path) -> dict[str, str]:
    """The ledger's content: a hash per table file (what a reader sees)."""
    files = [ledger / s.filename for s in TABLES.values()]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}  # optional tables


# --- fuzzing -------------------------------------------------------------------------------------------------------


def _mutate(data: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, insert in edits:
        at = position % (len(out) + 1)
        out[at : at + len(insert)] = insert
    return bytes(out)


near_valid = st.lists(
    st.tuples(
        st.integers(0, len(MINI_LOSSES)),
        st.sampled_from([b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b";", b"-1", b"NaN", b"=cmd|", b""]),
    ),
    min_size=1,
    max_size=6,
).map(lambda edits: _mutate(MINI_LOSSES, edits))


@FUZZ
@given(st.one_of(st.binary(max_size=2000), near_valid))
def test_validate_never_raises(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    ledger = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINI, ledger, dirs_exist_ok=True)
    (ledger / "losses.csv").write_bytes(content)
    report = validate_ledger(load_ledger(ledger))  # must return a report, whatever the bytes
    assert report.exit_code in (0, 1)
    result = CliRunner().invoke(app, ["validate", "--ledger", str(ledger)])
    assert result.exit_code in (0, 1)
    assert result.exception is None or isinstance(result.exception, SystemExit)


@FUZZ
@given(st.one_of(st.binary(max_size=2000), near_valid))
def test_failed_import_never_raises_and_never_changes_the_ledger(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    root = tmp_path_factory.mktemp("fuzz-import")
    ledger = root / "ledger"
    shutil.copytree(MINI, ledger)
    source = root / "source.csv"
    source.write_bytes(content)
    before = state(ledger)
    result = CliRunner().invoke(app, ["import", str(source), "--ledger", str(ledger), "--from", "ledger"])
    assert result.exit_code in (0, 1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code != 0:
        assert state(ledger) == before
    assert validate_ledger(ledger).valid


# --- crash safety --------------------------------------------------------------------------------------------------


def _import(ledger: Path, step: int | None, source: Path = IMPORTS / "wide_small.csv") -> tuple[int, str]:
    """Run an import to the end (or to its injected fault); return its exit code and stderr."""
    process = _import_process(ledger, step, source)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def _import_process(ledger: Path, step: int | None, source: Path = IMPORTS / "wide_small.csv") -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "DRONE_LEDGER_FAULT_STEP"}
    if step is not None:
        env["DRONE_LEDGER_FAULT_STEP"] = str(step)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drone_ledger",
            "import",
            str(source),
            "--ledger",
            str(ledger),
            "--add-systems",
            "--quiet",
            *WIDE,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_import_killed_at_every_commit_step_leaves_a_whole_ledger(tmp_path: Path) -> None:
    """This import rewrites three files (losses, systems, aggregates): 3 temporaries + journal + 3 renames."""
    template = tmp_path / "template"
    init_ledger(template)
    old = state(template)
    finished = tmp_path / "finished"
    shutil.copytree(template, finished)
    assert _import(finished, None)[0] == 0
    new = state(finished)
    assert new != old
    killed_at = []
    for step in range(1, 30):
        ledger = tmp_path / f"killed-{step}"
        shutil.copytree(template, ledger)
        code, err = _import(ledger, step)
        if code == 0:
            break  # the import has fewer steps than this: every point has been covered
        assert code == -signal.SIGKILL, err
        killed_at.append(step)
        seen = state(ledger)  # before recovery: the files a reader that ignores the journal would see
        recovered = load_ledger(ledger)  # recovery rolls a committed journal forward
        assert not (ledger / JOURNAL_NAME).exists()
        assert state(ledger) in (old, new), f"killed at step {step}: a mix of old and new files"
        assert validate_ledger(recovered).valid
        if seen not in (old, new):
            assert state(ledger) == new  # only a committed (journalled) import can be half-renamed
        again = import_table(
            IMPORTS / "wide_small.csv",
            ledger,
            conflict="karabakh-2020",
            side="Armenia",
            source_url="https://example.org/snapshot",
            add_systems=True,
        )
        assert state(ledger) == new and again.balanced  # the next import works without manual repair
        assert not list(ledger.glob(".*.tmp"))  # leftovers cleaned
    assert len(killed_at) >= 7, killed_at


def test_an_import_killed_at_random_times_leaves_a_whole_ledger(tmp_path: Path) -> None:
    template = tmp_path / "template"
    init_ledger(template)
    source = tmp_path / "long.csv"
    rows = ["country,origin,system,status,url,date_recorded,sysID,imageID,statusID,matID"]
    rows += [
        f"Armenia,Soviet Union,T-72B,destroyed,https://example.org/{i},2020-10-{1 + i % 28:02d},1,{i},1,7-{i}"
        for i in range(20_000)
    ]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    old = state(template)
    outcomes = []
    for n, delay in enumerate((0.5, 1.0, 1.5, 2.0, 2.5, 3.0)):
        ledger = tmp_path / f"ledger-{n}"
        shutil.copytree(template, ledger)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "drone_ledger",
                "import",
                str(source),
                "--ledger",
                str(ledger),
                "--conflict",
                "karabakh-2020",
                "--quiet",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.kill()
        process.wait(timeout=60)
        ledger_now = load_ledger(ledger)
        losses = ledger_now["losses"]
        assert state(ledger) == old or len(losses) == 28 + 20_000
        assert validate_ledger(ledger_now).valid
        outcomes.append("old" if state(ledger) == old else "new")
    assert outcomes  # which of the two depends on the machine's speed; both are whole ledgers


# --- concurrency ---------------------------------------------------------------------------------------------------


def test_two_imports_at_once_serialise_or_refuse(tmp_path: Path) -> None:
    template = tmp_path / "template"
    init_ledger(template)
    sources = [IMPORTS / "wide_small.csv", IMPORTS / "wide_small_newer.csv"]
    serial = []
    for order in (sources, sources[::-1]):
        ledger = tmp_path / f"serial-{len(serial)}"
        shutil.copytree(template, ledger)
        for source in order:
            assert _import(ledger, None, source)[0] == 0
        serial.append(state(ledger))
    alone = []
    for source in sources:
        ledger = tmp_path / f"alone-{len(alone)}"
        shutil.copytree(template, ledger)
        assert _import(ledger, None, source)[0] == 0
        alone.append(state(ledger))
    for attempt in range(3):
        ledger = tmp_path / f"race-{attempt}"
        shutil.copytree(template, ledger)
        first, second = (_import_process(ledger, None, s) for s in sources)
        outputs = [first.communicate(timeout=120)[1], second.communicate(timeout=120)[1]]
        codes = [first.returncode, second.returncode]
        errors = "".join(outputs)
        assert set(codes) <= {0, 1}
        if 1 in codes:
            assert "another drone-ledger process is writing the ledger" in " ".join(errors.split())
        assert state(ledger) in [*serial, *alone]
        assert validate_ledger(ledger).valid
