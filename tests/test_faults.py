"""Faults: random input never escapes as a traceback; an import killed at any point leaves a whole ledger;
two imports at once never interleave.

* Fuzzing (hypothesis, bounded): random bytes and mutated near-valid CSVs through `validate` and `import`.
* Crash safety: an import runs under tests/fault_injection.py, which makes it SIGKILL itself after the N-th step
  of its commit (every temporary file written, the journal, every rename); after each kill the ledger reads back
  as exactly the old or exactly the new one, and the next import works without repair.
* Concurrency: two imports into one ledger at once serialise or the second refuses; never a mix.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI, TESTS, examples, plain
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drone_ledger import import_table, load_ledger, validate_ledger
from drone_ledger.cli import app
from drone_ledger.layout import TABLES
from drone_ledger.results.ledger import ImportReport
from drone_ledger.storage import JOURNAL_NAME
from drone_ledger.writing import init_ledger

IMPORTS = TESTS / "fixtures" / "imports"
#: The wrapper that runs the command with a fault injected (the package itself has no fault switch).
FAULTS = TESTS / "fault_injection.py"
WIDE = ["--conflict", "karabakh-2020", "--side", "Armenia", "--source-url", "https://example.org/snapshot"]
MINI_LOSSES = (MINI / "losses.csv").read_bytes()
FUZZ = settings(max_examples=examples(12, 120))


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


@pytest.mark.long
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


@pytest.mark.long
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


def _import_process(ledger: Path, step: int | None, source: Path = IMPORTS / "wide_small.csv") -> subprocess.Popen[str]:
    """The import, killed after commit step ``step`` (None: not killed)."""
    command = ["-m", "drone_ledger"] if step is None else [str(FAULTS), "kill-after", str(step), "--"]
    return subprocess.Popen(
        [
            sys.executable,
            *command,
            "import",
            str(source),
            "--ledger",
            str(ledger),
            "--add-systems",
            "--quiet",
            *WIDE,
        ],
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
    assert _import_here(finished, IMPORTS / "wide_small.csv").written  # what the killed processes would have written
    new = state(finished)
    assert new != old
    killed_at = []
    for step, ledger, (code, err) in _killed_at_each_step(template, tmp_path, range(1, 30)):
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


def _killed_at_each_step(
    template: Path, tmp_path: Path, steps: range, batch: int = 8
) -> Iterator[tuple[int, Path, tuple[int, str]]]:
    """(step, ledger, (exit code, stderr)) of an import killed at each step, in order, each on its own copy of
    ``template``: the processes of a batch run at once (they only wait on fsync), the next batch only if needed."""
    for first in range(steps.start, steps.stop, batch):
        started = []
        for step in range(first, min(first + batch, steps.stop)):
            ledger = tmp_path / f"killed-{step}"
            shutil.copytree(template, ledger)
            started.append((step, ledger, _import_process(ledger, step)))
        results = [(step, ledger, process.communicate(timeout=120)[1]) for step, ledger, process in started]
        finished = False
        for (step, ledger, err), (_, _, process) in zip(results, started, strict=True):
            yield step, ledger, (process.returncode, err)
            finished = finished or process.returncode == 0
        if finished:
            return


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
    before = len(load_ledger(template)["losses"])
    outcomes = []
    running = []
    for n, delay in enumerate((0.5, 1.0, 1.5, 2.0, 2.5, 3.0)):  # the six run at once, each killed at its delay
        ledger = tmp_path / f"ledger-{n}"
        shutil.copytree(template, ledger)
        process = _run(ledger, source, "--conflict", "karabakh-2020")
        running.append((time.monotonic() + delay, process, ledger))
    for deadline, process, ledger in running:
        time.sleep(max(0.0, deadline - time.monotonic()))
        process.kill()
        process.communicate(timeout=60)  # reaps it and closes its pipes
        ledger_now = load_ledger(ledger)
        losses = ledger_now["losses"]
        assert state(ledger) == old or len(losses) == before + 20_000
        assert validate_ledger(ledger_now).valid
        outcomes.append("old" if state(ledger) == old else "new")
    assert outcomes  # which of the two depends on the machine's speed; both are whole ledgers


# --- concurrency ---------------------------------------------------------------------------------------------------


@pytest.mark.long
def test_two_imports_at_once_serialise_or_refuse(tmp_path: Path) -> None:
    template = tmp_path / "template"
    init_ledger(template)
    sources = [IMPORTS / "wide_small.csv", IMPORTS / "wide_small_newer.csv"]
    serial = []  # what the two imports give one after the other, in either order (in this process: no race here)
    for order in (sources, sources[::-1]):
        ledger = tmp_path / f"serial-{len(serial)}"
        shutil.copytree(template, ledger)
        for source in order:
            assert _import_here(ledger, source).written
        serial.append(state(ledger))
    alone = []
    for source in sources:
        ledger = tmp_path / f"alone-{len(alone)}"
        shutil.copytree(template, ledger)
        assert _import_here(ledger, source).written
        alone.append(state(ledger))
    for attempt in range(RACE_TRIALS):
        ledger = tmp_path / f"race-{attempt}"
        shutil.copytree(template, ledger)
        first, second = (_import_process(ledger, None, s) for s in sources)
        outputs = [first.communicate(timeout=120)[1], second.communicate(timeout=120)[1]]
        codes = [first.returncode, second.returncode]
        errors = "".join(outputs)
        assert set(codes) <= {0, 1}
        if 1 in codes:
            assert "another drone-ledger process is writing the ledger" in " ".join(errors.split())
        if codes == [0, 0]:
            assert state(ledger) in serial  # both said "written": both are in the ledger, never one lost
        else:
            assert state(ledger) == alone[codes.index(0)] if 0 in codes else state(template)
        assert validate_ledger(ledger).valid


def _import_here(ledger: Path, source: Path) -> ImportReport:
    """The import ``_import_process`` runs, in this process."""
    return import_table(
        source,
        ledger,
        conflict="karabakh-2020",
        side="Armenia",
        source_url="https://example.org/snapshot",
        add_systems=True,
    )


#: Trials of the timing-dependent race above (the deterministic one below needs one run per outcome).
RACE_TRIALS = int(os.environ.get("DRONE_LEDGER_RACE_TRIALS", str(examples(1, 3))))


def _long_source(path: Path, start: int, rows: int = 3) -> Path:
    lines = ["country,origin,system,status,url,date_recorded,sysID,imageID,statusID,matID"]
    lines += [
        f"Armenia,Soviet Union,T-72B,destroyed,https://example.org/race/{i},2020-10-0{1 + i % 9},1,{i},1,9-{i}"
        for i in range(start, start + rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(ledger: Path, source: Path, *extra: str, fault: tuple[str, str] | None = None) -> subprocess.Popen[str]:
    """The import in a process of its own; ``fault``: (kind, value) as tests/fault_injection.py takes them."""
    command = ["-m", "drone_ledger"] if fault is None else [str(FAULTS), *fault, "--"]
    return subprocess.Popen(
        [sys.executable, *command, "import", str(source), "--ledger", str(ledger), "--quiet", *extra],
        env={k: v for k, v in os.environ.items() if not k.startswith("DRONE_LEDGER_")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _new_ids(source: Path, existing: set[str]) -> set[str]:
    from drone_ledger.importing.context import stable_id

    ids = set()
    for line in source.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split(",")
        ids.add(stable_id("oryx-long", "karabakh-2020", cells[0], cells[-1]))
    return ids - existing


@pytest.mark.long
@pytest.mark.parametrize("trial", range(examples(1, 3)))
def test_an_import_that_read_the_ledger_cannot_commit_over_another(tmp_path: Path, trial: int) -> None:
    """The lost update, made deterministic: writer A pauses between reading the ledger and committing
    (tests/fault_injection.py pause-after-load); writer B runs to the end meanwhile. A must not write back the copy
    it read over B's rows: B is refused while A holds the ledger, and every import that says "written" is in it."""
    ledger = tmp_path / "ledger"
    init_ledger(ledger)
    source_a = _long_source(tmp_path / "a.csv", 100 * trial)
    source_b = _long_source(tmp_path / "b.csv", 100 * trial + 50)
    ids_a, ids_b = _new_ids(source_a, set()), _new_ids(source_b, set())
    gate = tmp_path / "gate"
    writer_a = _run(ledger, source_a, "--conflict", "karabakh-2020", fault=("pause-after-load", str(gate)))
    deadline = time.monotonic() + 60
    while not Path(str(gate) + ".paused").exists():
        assert writer_a.poll() is None, writer_a.communicate()
        assert time.monotonic() < deadline, "writer A never reached the pause"
        time.sleep(0.02)
    writer_b = _run(ledger, source_b, "--conflict", "karabakh-2020")
    _, err_b = writer_b.communicate(timeout=120)
    gate.touch()
    out_a, err_a = writer_a.communicate(timeout=120)
    assert writer_a.returncode == 0, err_a
    present = set(load_ledger(ledger)["losses"]["loss_id"])
    assert ids_a <= present
    if writer_b.returncode == 0:  # what the old code did: B said "written" ...
        assert ids_b <= present, "B's rows were lost: A committed the ledger it had read before B wrote"
    assert writer_b.returncode == 1, err_b
    assert "another drone-ledger process is writing the ledger" in " ".join(err_b.split())
    assert not ids_b & present
    again = _run(ledger, source_b, "--conflict", "karabakh-2020")  # once A is done, B goes through
    assert again.communicate(timeout=120) and again.returncode == 0
    assert ids_a | ids_b <= set(load_ledger(ledger)["losses"]["loss_id"])
    assert validate_ledger(ledger).valid


# --- full disks and read-only file systems ----------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs mounted for the test (root and Linux only; skipped, saying why, elsewhere)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs Linux and root (the full-disk and read-only tests use one)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}): no full-disk or read-only test")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path) -> None:
    """Fill the disk up to its last byte."""
    handle = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1 << 16, 512, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(handle)


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_a_full_disk_is_a_clear_error_and_changes_nothing(small_disk: Path, tmp_path: Path) -> None:
    ledger = small_disk / "ledger"
    init_ledger(ledger)
    source = _long_source(tmp_path / "more.csv", 0, rows=200)
    assert import_table(_long_source(tmp_path / "first.csv", 900), ledger, conflict="karabakh-2020").written
    _fill(small_disk)
    before = _files(ledger)
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(source), "--ledger", str(ledger), "--conflict", "karabakh-2020"])
    assert result.exit_code == 1 and "[disk-full]" in plain(result.stderr), result.stderr
    assert "nothing was changed" in plain(result.stderr)
    assert _files(ledger) == before and not list(ledger.glob(".*.tmp"))
    for output in ("losses.csv", "losses.parquet", "losses.xlsx"):
        result = runner.invoke(app, ["export", str(small_disk / output)])
        assert result.exit_code == 1 and "[disk-full]" in plain(result.stderr), (output, result.stderr)
    result = runner.invoke(app, ["plot", str(small_disk / "chart.png")])
    assert result.exit_code == 1 and "[disk-full]" in plain(result.stderr), result.stderr
    result = runner.invoke(app, ["init", str(small_disk / "second-ledger")])
    assert result.exit_code == 1 and "[disk-full]" in plain(result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "ledger"]  # nothing left over
    assert _files(ledger) == before
    (small_disk / "filler").unlink()  # with room again, the same import goes through
    assert (
        runner.invoke(app, ["import", str(source), "--ledger", str(ledger), "--conflict", "karabakh-2020"]).exit_code
        == 0
    )


def test_a_read_only_file_system_is_a_clear_error(small_disk: Path, tmp_path: Path) -> None:
    ledger = small_disk / "ledger"
    init_ledger(ledger)
    pending = small_disk / "pending"  # a ledger whose last import was interrupted after its commit point
    init_ledger(pending)
    (pending / ".cpi.csv.k3j9x_2a.tmp").write_bytes((pending / "cpi.csv").read_bytes())
    (pending / JOURNAL_NAME).write_text('[[".cpi.csv.k3j9x_2a.tmp", "cpi.csv"]]', encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    before = _files(ledger)
    runner = CliRunner()
    result = runner.invoke(
        app, ["import", str(IMPORTS / "wide_small.csv"), "--ledger", str(ledger), *WIDE], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 1 and "[unwritable-ledger]" in plain(result.stderr), result.stderr
    assert "copy it somewhere writable" in plain(result.stderr)
    for args, code in (
        (["export", str(small_disk / "out.csv")], "read-only-file-system"),
        (["export", str(small_disk / "out.xlsx")], "read-only-file-system"),
        (["plot", str(small_disk / "out.png")], "read-only-file-system"),
        (["init", str(small_disk / "new")], "read-only-file-system"),
        (["summary", "--ledger", str(pending)], "unwritable-ledger"),  # the journal cannot be finished here
    ):
        result = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 1 and f"[{code}]" in plain(result.stderr), (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert runner.invoke(app, ["summary", "--ledger", str(ledger)]).exit_code == 0  # reading still works
    assert runner.invoke(app, ["validate", "--ledger", str(ledger)]).exit_code == 0
    assert _files(ledger) == before
