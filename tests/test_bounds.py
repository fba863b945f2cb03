"""Linear in the input, bounded in memory, never blocked (issue 21).

* No path is quadratic in rows, ids or distinct names: reading, adapting and merging a source four times larger
  executes about four times the Python lines (counted with ``sys.settrace``; a quadratic path would take about
  sixteen) — for rows that share one id but differ, and for a source whose every row names another unmapped
  system (left unmapped, or added with --add-systems).
* A source is refused before it is decoded when a cell is far over ``--max-field``; nothing reads more than
  ``--max-bytes`` + 1 bytes.
* A pipe, a socket, a device or a directory in place of any table (optional ones too), the source, ``--map`` or
  ``--categories-from`` is refused by its file type before anything is read: no command waits on a FIFO or reads
  ``/dev/zero``.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import LONG_FUZZ, TESTS
from typer.testing import CliRunner

from drone_ledger.cli import app
from drone_ledger.conflicts import add_conflict
from drone_ledger.errors import ImportSourceError, MappingFileError
from drone_ledger.importing import importer, merge
from drone_ledger.importing.context import Context
from drone_ledger.importing.importer import import_table
from drone_ledger.importing.mapping import MappingFile
from drone_ledger.layout import TABLES
from drone_ledger.results.ledger import ImportReport
from drone_ledger.textfile import check_field_sizes, read_file_bytes
from drone_ledger.writing import init_ledger

IMPORTS = TESTS / "fixtures" / "imports"
LONG_HEADER = "country,origin,system,status,url,date_recorded,matID\n"


class LineEvents:
    """Counts the Python lines executed inside the functions it watches (and all they call, the standard library
    included): an operation count, not a clock."""

    def __init__(self) -> None:
        self.count = 0

    def _tracer(self, frame: object, event: str, arg: object) -> Callable[..., object]:
        if event == "line":
            self.count += 1
        return self._tracer

    def watch(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> None:
        real = getattr(module, name)

        def counted(*args: object, **kwargs: object) -> object:
            sys.settrace(self._tracer)
            try:
                return real(*args, **kwargs)
            finally:
                sys.settrace(None)

        monkeypatch.setattr(module, name, counted)


def _one_id_rows(n: int) -> str:
    """``n`` per-item rows that share one id (matID) but differ in their date."""
    return LONG_HEADER + "".join(
        f"Armenia,x,T-72B,destroyed,https://example.org/{i},2020-10-{1 + i % 28:02d},same-id\n" for i in range(n)
    )


def _distinct_unmapped(n: int) -> str:
    """``n`` per-item rows, each destroyed by a system no ledger knows, each with its own id."""
    return LONG_HEADER + "".join(
        f"Armenia,x,T-72B,destroyed by System {i},https://example.org/{i},2020-10-02,id-{i}\n" for i in range(n)
    )


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """An empty ledger (the bundled systems and CPI) that knows the 2020 war."""
    ledger = tmp_path / "ledger"
    init_ledger(ledger, empty=True)
    add_conflict(ledger, "karabakh-2020")
    return ledger


def _growth(
    make: Callable[[int], str], empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: object
) -> tuple[float, list[ImportReport]]:
    """Lines executed by the work that grows with the source — reading it, adapting its rows, merging them — in a
    dry-run import of ``make(n)`` and of ``make(4 * n)``: the ratio (linear: ~4; quadratic: ~16), and the reports.
    """
    events = LineEvents()
    for module, name in ((importer, "_read"), (importer, "_adapt"), (merge, "_merge")):
        events.watch(monkeypatch, module, name)
    counts, reports = [], []
    for n in (300, 1200):
        source = tmp_path / f"source-{n}.csv"
        source.write_text(make(n), encoding="utf-8")
        events.count = 0
        reports.append(import_table(source, empty, conflict="karabakh-2020", dry_run=True, **options))
        counts.append(events.count)
    return counts[1] / counts[0], reports


def test_rows_sharing_an_id_take_linear_work(empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ratio, (small, large) = _growth(_one_id_rows, empty, tmp_path, monkeypatch)
    assert (small.rejected, large.rejected) == (300, 1200)
    assert ratio < 5, f"4x the rows took {ratio:.1f}x the lines (quadratic would be ~16x)"
    reason = large.rejects[-1]["reasons"][0]
    assert "also on source line(s) 2, 3, 4, 5, 6 and 1,194 more lines" in reason, reason
    assert len(reason) < 400  # each reason names a few lines, whatever the number of rows


@pytest.mark.parametrize("add_systems", [False, True], ids=["unmapped", "--add-systems"])
def test_distinct_unmapped_systems_take_linear_work(
    empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, add_systems: bool
) -> None:
    ratio, (_, large) = _growth(_distinct_unmapped, empty, tmp_path, monkeypatch, add_systems=add_systems)
    assert len(large.new_systems if add_systems else large.unmapped["system"]) == 1200
    assert ratio < 5, f"4x the names took {ratio:.1f}x the lines (quadratic would be ~16x)"


class _CountingSystems(dict[str, str]):
    """A resolver that counts how often all its system ids are looked through (a scan of every id)."""

    scans = 0

    def values(self):  # type: ignore[override]
        _CountingSystems.scans += 1
        return super().values()


def test_adding_distinct_systems_never_scans_every_id_again() -> None:
    """--add-systems with n new names: the ids taken are looked up in a set, not scanned once per name (which,
    in C, no line count sees: n = 100,000 would be 5 * 10^9 comparisons)."""
    ctx = Context(None, None, None, None, MappingFile(), _CountingSystems({"tb2": "bayraktar-tb2"}), True)
    for n in range(1000):
        ctx.resolve_systems([f"System {n}"], 1)
    assert len(ctx.new_systems) == 1000
    assert _CountingSystems.scans <= 1


# --- reading bounds ---------------------------------------------------------------------------------------------


def test_a_cell_far_over_the_limit_is_refused_in_the_bytes() -> None:
    raw = b"a,b\n1," + b"x" * 6_100_000 + b"\n"  # 1.5 windows of 4 * max_field bytes: always found
    with pytest.raises(ImportSourceError) as refused:
        check_field_sizes(raw, "big.csv", 1_000_000, None, ImportSourceError)
    assert refused.value.code == "field-too-large" and "big.csv:2:" in str(refused.value)
    check_field_sizes(raw, "big.csv", 7_000_000, None, ImportSourceError)  # within the limit: left to the parser
    check_field_sizes(b"a,b\n" * 2_000_000, "many.csv", 10, None, ImportSourceError)  # short cells, big file: fine


def test_a_single_line_source_is_refused_before_it_is_decoded(tmp_path: Path, empty: Path) -> None:
    source = tmp_path / "one_line.csv"
    source.write_bytes(b"x" * 5_000_000)
    with pytest.raises(ImportSourceError) as refused:
        import_table(source, empty, conflict="karabakh-2020", max_field=1_000)
    assert refused.value.code == "field-too-large"


def test_no_more_than_max_bytes_plus_one_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.csv"
    path.write_bytes(b"a,b\n" * 10)
    reads: list[int] = []
    real = os.fdopen

    def counting(*args: object, **kwargs: object) -> object:
        stream = real(*args, **kwargs)  # type: ignore[call-overload]
        read = stream.read

        def recorded(size: int = -1) -> bytes:
            data = read(size)
            reads.append(len(data))
            return data + (b"x" * 100 if data else b"")  # the file grows while it is read

        stream.read = recorded
        return stream

    monkeypatch.setattr(os, "fdopen", counting)
    with pytest.raises(ImportSourceError) as refused:
        read_file_bytes(path, 50, ImportSourceError)
    assert refused.value.code == "file-too-large"
    assert sum(reads) <= 51


# --- files that are not regular files ----------------------------------------------------------------------------


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def _guarded(args: list[str]) -> tuple[int, str]:
    """Run the CLI in-process; a command that would block fails the test instead of hanging it."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        result = CliRunner().invoke(app, args, env={"COLUMNS": "400"})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not isinstance(result.exception, _Hang), f"{args} blocked"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def _special(kind: str, path: Path) -> Iterator[None]:
    if kind == "fifo":
        os.mkfifo(path)
        yield
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        try:
            yield
        finally:
            server.close()
    elif kind == "device":
        path.symlink_to("/dev/zero")
        yield
    else:
        path.mkdir()
        yield


KINDS = ["fifo", "socket", "device", "directory"]


#: Every table as a FIFO, and every kind of special file as losses.csv and as the optional evidence_searched.csv;
#: the long profile tries every kind as every table.
SPECIAL_TABLES = [
    (table, kind)
    for table in (spec.filename for spec in TABLES.values())
    for kind in KINDS
    if LONG_FUZZ or kind == "fifo" or table in ("losses.csv", "evidence_searched.csv")
]


@pytest.mark.parametrize(("table", "kind"), SPECIAL_TABLES)
def test_a_table_that_is_not_a_file_is_refused_without_blocking(
    tmp_path: Path, empty: Path, table: str, kind: str
) -> None:
    target = empty / table
    target.unlink(missing_ok=True)  # evidence_searched.csv (optional) is absent from the mini ledger
    context = _special(kind, target)
    next(context)
    try:
        code, out = _guarded(["validate", "-l", str(empty)])
        assert code == 1 and f"{table}: error not-a-file" in out, out
        code, out = _guarded(["claims", "-l", str(empty)])
        assert code == 1 and "[invalid-ledger]" in out, out
        code, out = _guarded(
            ["import", str(IMPORTS / "long_small.csv"), "-l", str(empty), "--conflict", "karabakh-2020"]
        )
        assert code == 1 and "[unreadable-ledger]" in out and f"{table}: not-a-file" in out, out
    finally:
        next(context, None)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["source", "--map", "--categories-from"])
def test_an_import_file_that_is_not_a_file_is_refused_without_blocking(
    tmp_path: Path, empty: Path, role: str, kind: str
) -> None:
    special = tmp_path / f"special-{role.strip('-')}"
    context = _special(kind, special)
    next(context)
    try:
        source = special if role == "source" else IMPORTS / "long_small.csv"
        args = ["import", str(source), "-l", str(empty), "--conflict", "karabakh-2020"]
        if role != "source":
            args += [role, str(special)]
        code, out = _guarded(args)
        assert code in (1, 2) and "[not-a-file]" in out, out
    finally:
        next(context, None)


def test_dev_zero_as_a_mapping_is_refused_without_reading_it() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with pytest.raises(MappingFileError) as refused:
        MappingFile.load(Path("/dev/zero"))
    assert refused.value.code == "not-a-file" and "a device" in str(refused.value)
