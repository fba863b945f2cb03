"""A write reads everything it keeps: no writing command loses a row it could not read (issue 21).

The property: damage one table of a ledger — in every way the hostile corpus (tests/fixtures/hostile) damages a
source and every way a spreadsheet's re-save damages a file — then run a writing command (an import in every format:
Oryx per-model, per-item and page, WarSpotting, a mapped CSV, ledger rows; with and without --keep-valid and
--add-systems; and `conflict add`). Each run either refuses, with a code and
without changing a byte, or succeeds and keeps every row of every table byte for byte (the new rows come after
them). Never a traceback, never a hang.

The default run tries every damage and every command at least once (each damage on a table and with a command of
its own); the long profile (DRONE_LEDGER_FUZZ=long) tries every damage on every table with every command.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pages
import pytest
from conftest import LONG_FUZZ, TESTS
from typer.testing import CliRunner

from drone_ledger.cli import app
from drone_ledger.conflicts import add_conflict
from drone_ledger.errors import IssueCode
from drone_ledger.layout import TABLES
from drone_ledger.writing import init_ledger

IMPORTS = TESTS / "fixtures" / "imports"
FILES = [spec.filename for spec in TABLES.values()]
WIDE = ["--conflict", "karabakh-2020", "--side", "Armenia", "--source-url", "https://example.org/snapshot"]
#: A row of losses.csv for `import --from ledger` (a loss the bundled ledger does not have).
LEDGER_ROWS = (
    "loss_id,conflict,side_losing,date_earliest,date_latest,date_as_reported,category,model,quantity,status,"
    "status_as_reported,attributed_system,attributed_also,attribution_confidence,record_kind,aggregate_id,counted_in,"
    "cost_key,source_name,source_url,notes\n"
    "damage-test-1,karabakh-2020,Armenia,2020-10-02,2020-10-02,,Tanks,T-72B,1,destroyed,destroyed,unattributed,,,"
    "item,,,,test,https://example.org/1,\n"
)


# --- the damages: each takes a table file's bytes (UTF-8, LF, a header and rows) and returns them damaged --------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _first_row(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    lines = _lines(data)
    if len(lines) > 1 and lines[1]:
        lines[1] = change(lines[1])
    return b"\n".join(lines)


def _second_cell(line: bytes, prefix: bytes) -> bytes:
    first, sep, rest = line.partition(b",")
    return first + sep + prefix + rest


def _rewritten(data: bytes, **options: object) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", **options).writerows(rows)  # type: ignore[arg-type]
    return out.getvalue().encode("utf-8")


def _each_row(data: bytes, change: Callable[[bytes], bytes], header: Callable[[bytes], bytes]) -> bytes:
    lines = _lines(data)
    return b"\n".join([header(lines[0]), *(change(line) if line else line for line in lines[1:])])


def _repeat_first_row(data: bytes, change: Callable[[bytes], bytes] = lambda line: line) -> bytes:
    lines = _lines(data)
    if len(lines) > 1 and lines[1]:
        lines.insert(2, change(lines[1]))
    return b"\n".join(lines)


#: Damages that leave bytes (the file is replaced by them); the others (directory, pipe, links) are in SPECIAL.
DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    # a spreadsheet's re-save
    "utf-16 (Unicode text)": lambda d: d.decode().encode("utf-16"),
    "utf-16-le without a byte-order mark": lambda d: d.decode().encode("utf-16-le"),
    "cp1252 with one accented character": lambda d: (
        _first_row(d, lambda r: _second_cell(r, "é".encode())).decode().encode("cp1252", errors="replace")
    ),  # as Excel saves it (what cp1252 lacks becomes '?')
    "semicolons": lambda d: _rewritten(d, delimiter=";"),
    "tabs": lambda d: _rewritten(d, delimiter="\t"),
    "every cell quoted": lambda d: _rewritten(d, quoting=csv.QUOTE_ALL),
    "byte-order mark": lambda d: b"\xef\xbb\xbf" + d,
    "CRLF line ends": lambda d: d.replace(b"\n", b"\r\n"),
    "CR line ends (old Mac)": lambda d: d.replace(b"\n", b"\r"),
    "no final line break": lambda d: d.rstrip(b"\n"),
    "blank lines between rows": lambda d: d.replace(b"\n", b"\n\n"),
    "surplus header columns": lambda d: _each_row(d, lambda r: r, lambda h: h + b",extra,more"),
    "empty header columns (trailing)": lambda d: _each_row(d, lambda r: r + b",,", lambda h: h + b",,"),
    "a short row (trailing cells dropped)": lambda d: _first_row(d, lambda r: r.rsplit(b",", 1)[0]),
    "spaces after the commas": lambda d: _first_row(d, lambda r: r.replace(b",", b", ")),
    # the hostile corpus
    "NUL byte": lambda d: _first_row(d, lambda r: _second_cell(r, b"\x00")),
    "NUL byte past 4 KiB": lambda d: d + b"\n" * 4097 + b"\x00\n",
    "unclosed quote": lambda d: _first_row(d, lambda r: _second_cell(r, b'"')),
    "one extra field": lambda d: _first_row(d, lambda r: r + b",extra"),
    "cell over the field limit": lambda d: _first_row(d, lambda r: r + b"x" * 1_000_001),
    "duplicate column": lambda d: _each_row(d, lambda r: r + b",x", lambda h: h + b"," + h.rsplit(b",", 1)[-1]),
    "missing column": lambda d: _each_row(d, lambda r: r.split(b",", 1)[-1], lambda h: h.split(b",", 1)[-1]),
    "misspelt column": lambda d: _each_row(d, lambda r: r, lambda h: h.replace(b",", b"x,", 1)),
    "duplicate id": _repeat_first_row,
    "duplicate id, other values": lambda d: _repeat_first_row(d, lambda r: r + b" (changed)"),
    "empty id": lambda d: _first_row(d, lambda r: b"," + r.split(b",", 1)[-1]),
    "PNG image": lambda d: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
    "xlsx workbook": lambda d: b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64 + b"[Content_Types].xml",
    "empty file": lambda d: b"",
    "header only": lambda d: _lines(d)[0] + b"\n",
}


def _directory(path: Path, data: bytes) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.csv").write_bytes(data)


def _fifo(path: Path, data: bytes) -> None:
    path.unlink()
    os.mkfifo(path)


def _symlink(path: Path, data: bytes) -> None:
    target = path.parent.parent / f"elsewhere-{path.name}"
    target.write_bytes(data)
    path.unlink()
    path.symlink_to(target)


def _dangling(path: Path, data: bytes) -> None:
    path.unlink()
    path.symlink_to(path.parent.parent / "nowhere.csv")


def _deleted(path: Path, data: bytes) -> None:
    path.unlink()


SPECIAL: dict[str, Callable[[Path, bytes], None]] = {
    "a directory": _directory,
    "a FIFO": _fifo,
    "a symbolic link to the file": _symlink,
    "a link to nothing": _dangling,
    "deleted": _deleted,
}
KINDS = [*DAMAGES, *SPECIAL]


# --- the writing commands ---------------------------------------------------------------------------------------


def _ledger_rows(tmp: Path) -> str:
    source = tmp / "ledger_rows.csv"
    source.write_text(LEDGER_ROWS, encoding="utf-8")
    return str(source)


def _page(tmp: Path) -> str:
    """A small Oryx page of the 2022 war: two tanks, one credited to the TB2."""
    body = pages.page(
        pages.headline("Russia", 2, "destroyed: 2"),
        pages.heading("Tanks (2, of which destroyed: 2)"),
        "<ul>",
        pages.model(
            pages.SOVIET,
            2,
            "T-72B",
            pages.link("https://example.org/p1.png", "(1, destroyed)"),
            pages.link("https://example.org/p2.png", "(2, destroyed by Bayraktar TB2)"),
        ),
        "</ul>",
    )
    return str(pages.write(tmp / "page.html", body))


def _warspotting(tmp: Path) -> str:
    """A small WarSpotting export of the 2022 war."""
    rows = [
        {
            "id": "7",
            "type": "Tanks",
            "model": "T-80BV",
            "status": "Destroyed",
            "lost_by": "Russia",
            "date": "2022-03-16",
        }
    ]
    return str(pages.warspotting(tmp / "ws.csv", pages.WS_2024, rows))


WRITERS: dict[str, Callable[[Path, Path], list[str]]] = {
    "import oryx-wide": lambda ledger, tmp: ["import", str(IMPORTS / "wide_small.csv"), "-l", str(ledger), *WIDE],
    "import oryx-wide --add-systems": lambda ledger, tmp: [
        *["import", str(IMPORTS / "wide_small.csv"), "-l", str(ledger), *WIDE, "--add-systems"]
    ],
    "import oryx-wide --keep-valid": lambda ledger, tmp: [
        *["import", str(IMPORTS / "wide_bad_count.csv"), "-l", str(ledger), *WIDE, "--keep-valid"]
    ],
    "import oryx-long --keep-valid": lambda ledger, tmp: [  # (its javascript: link is rejected)
        *["import", str(IMPORTS / "long_small.csv"), "-l", str(ledger), "--conflict", "karabakh-2020", "--keep-valid"]
    ],
    "import csv (mapping)": lambda ledger, tmp: [
        *["import", str(IMPORTS / "researcher_semicolon_cp1252.csv"), "-l", str(ledger)],
        *["--map", str(IMPORTS / "researcher_mapping.toml"), "--encoding", "cp1252"],
    ],
    "import ledger rows": lambda ledger, tmp: ["import", _ledger_rows(tmp), "-l", str(ledger), "--from", "ledger"],
    "import oryx-page": lambda ledger, tmp: [
        *["import", _page(tmp), "-l", str(ledger), "--conflict", "ukraine-2022", "--as-of", "2022-11-13"]
    ],
    "import warspotting": lambda ledger, tmp: [
        *["import", _warspotting(tmp), "-l", str(ledger), "--conflict", "ukraine-2022", "--from", "warspotting"]
    ],
    "conflict add": lambda ledger, tmp: [
        *["conflict", "add", "gulf-1991", "--ledger", str(ledger), "--name", "Gulf War", "--start", "1991-01-17"],
        *["--end", "1991-02-28", "--source-url", "https://example.org/gulf"],
    ],
}


# --- one run, and what it did -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one writing command did to one damaged ledger."""

    exit_code: int
    code: str | None  # the refusal's code: an error's [code], or "refused" for an import that refused its records
    lost: list[str]  # files whose rows did not all survive, byte for byte
    traceback: str | None = None
    hang: bool = False


def _snapshot(ledger: Path) -> dict[str, bytes | None]:
    """Every table file's bytes (through a link), None for what is not a regular file."""
    files: dict[str, bytes | None] = {}
    for name in FILES:
        path = ledger / name
        files[name] = path.read_bytes() if path.is_file() else None
    return files


def _kept(before: bytes | None, after: bytes | None) -> bool:
    """The old rows all there, byte for byte, at the start of the new file (new rows come after them)."""
    if before is None or before == after:
        return True
    if after is None:
        return False
    start = before if not before or before.endswith((b"\n", b"\r")) else before + b"\n"
    return after.startswith(start) or (not before.endswith((b"\n", b"\r")) and after.startswith(before + b"\r\n"))


def _listing(tmp: Path) -> list[str]:
    return sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if ".drone-ledger.lock" not in p.name)


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def damaged(base: Path, tmp: Path, table: str, damage: str) -> Path:
    """A copy of ``base`` in ``tmp`` with ``table`` damaged so."""
    ledger = tmp / "ledger"
    shutil.copytree(base, ledger)
    path = ledger / table
    data = path.read_bytes()
    if damage in DAMAGES:
        path.write_bytes(DAMAGES[damage](data))
    else:
        SPECIAL[damage](path, data)
    return ledger


def run(base: Path, tmp: Path, table: str, damage: str, writer: str) -> Outcome:
    ledger = damaged(base, tmp, table, damage)
    args = WRITERS[writer](ledger, tmp)
    before = _snapshot(ledger)
    listing = _listing(tmp)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        result = CliRunner().invoke(app, args)
    except _Hang:
        return Outcome(-1, None, [], hang=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return Outcome(result.exit_code, None, [], traceback=repr(result.exception))
    after = _snapshot(ledger)
    lost = [name for name in FILES if not _kept(before[name], after[name])]
    if result.exit_code == 0:
        return Outcome(0, None, lost)
    coded = re.search(r"drone-ledger: error \[([a-z0-9-]+)\]", result.stderr)
    code = coded.group(1) if coded else ("refused" if "refused" in result.stdout else None)
    changed = [name for name in FILES if before[name] != after[name]]
    if _listing(tmp) != listing:
        changed.append("a file created")
    return Outcome(result.exit_code, code, lost + [f"{name} (changed by a refused command)" for name in changed])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled ledger (all nine tables) that also knows the 2022 war, to damage."""
    path = tmp_path_factory.mktemp("damaged") / "base"
    init_ledger(path)
    add_conflict(path, "ukraine-2022")
    return path


def _cases(every: bool) -> Iterator[tuple[str, str, str]]:
    """(table, damage, command): every combination, or each damage once on a table and with a command of its own
    (and so every command and every table too)."""
    writers = list(WRITERS)
    for n, damage in enumerate(KINDS):
        if every:
            for table in FILES:
                for writer in writers:
                    yield table, damage, writer
        else:
            yield FILES[n % len(FILES)], damage, writers[n % len(writers)]
            yield "losses.csv", damage, writers[(n + 3) % len(writers)]  # the table users lose most


DEFAULT_CASES = list(dict.fromkeys(_cases(every=False)))
#: What the property tried, and what happened (for the report in the long profile: see test_the_whole_matrix).
TALLY: Counter[str] = Counter()


def _check(outcome: Outcome, case: tuple[str, str, str]) -> None:
    assert not outcome.hang, f"{case}: hung"
    assert outcome.traceback is None, f"{case}: {outcome.traceback}"
    assert outcome.lost == [], f"{case}: rows lost in {outcome.lost}"
    if outcome.exit_code != 0:
        assert outcome.code in {*IssueCode, "refused"}, f"{case}: exit {outcome.exit_code} without a code"


@pytest.mark.parametrize(("table", "damage", "writer"), DEFAULT_CASES, ids=[" / ".join(c) for c in DEFAULT_CASES])
def test_a_write_refuses_or_keeps_every_row(base: Path, tmp_path: Path, table: str, damage: str, writer: str) -> None:
    _check(run(base, tmp_path, table, damage, writer), (table, damage, writer))


@pytest.mark.parametrize(
    ("table", "damage", "refusal"),
    [
        ("losses.csv", "cp1252 with one accented character", "not-utf8"),
        ("losses.csv", "utf-16 (Unicode text)", "utf-16"),
        ("losses.csv", "semicolons", "wrong-delimiter"),
        ("losses.csv", "NUL byte past 4 KiB", "binary-file"),
        ("losses.csv", "unclosed quote", "csv-parse-error"),
        ("losses.csv", "one extra field", "too-many-fields"),
        ("losses.csv", "cell over the field limit", "field-too-large"),
        ("losses.csv", "duplicate column", "duplicate-column"),
        ("losses.csv", "duplicate id", "duplicate-id"),
        ("aggregates.csv", "duplicate id, other values", "duplicate-id"),
        ("systems.csv", "empty id", "missing-value"),
        ("evidence_searched.csv", "a FIFO", "not-a-file"),
        ("claims.csv", "a directory", "not-a-file"),
    ],
)
def test_each_damage_is_named_in_the_refusal(base: Path, tmp_path: Path, table: str, damage: str, refusal: str) -> None:
    """The import refuses with unreadable-ledger, naming the file, the problem's own code and how to repair it."""
    ledger = damaged(base, tmp_path, table, damage)
    result = CliRunner().invoke(app, WRITERS["import oryx-wide"](ledger, tmp_path), env={"COLUMNS": "2000"})
    assert result.exit_code == 1
    message = " ".join(result.stderr.replace("│", " ").split())
    assert "[unreadable-ledger]" in message
    assert re.search(re.escape(str(ledger / table)) + rf"(:\d+)?( \[\w+\])?: {refusal}: ", message), message
    assert "To repair it:" in message and "nothing was written" in message


@pytest.mark.long
@pytest.mark.skipif(not LONG_FUZZ, reason="the whole matrix: the long profile only (DRONE_LEDGER_FUZZ=long)")
def test_the_whole_matrix(base: Path, tmp_path: Path) -> None:
    """Every damage on every table with every writing command; prints the counts for the record."""
    tally: Counter[str] = Counter()
    failures = []
    for n, case in enumerate(_cases(every=True)):
        work = tmp_path / str(n)
        work.mkdir()
        outcome = run(base, work, *case)
        tally["runs"] += 1
        tally["refused" if outcome.exit_code != 0 else "kept"] += 1
        tally["rows lost"] += bool(outcome.lost)
        tally["tracebacks"] += outcome.traceback is not None
        tally["hangs"] += outcome.hang
        try:
            _check(outcome, case)
        except AssertionError as failure:
            failures.append(str(failure))
        shutil.rmtree(work)
    print(f"\ndamage kinds {len(KINDS)} x tables {len(FILES)} x commands {len(WRITERS)}: {dict(tally)}")
    assert failures == []
