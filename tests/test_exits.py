"""The remaining exits (issue 21): every encoding name Python knows or does not, a full stdout, a closed pipe.

Each ends with one coded message and exit 1 or 2, or works — never a traceback.
"""

from __future__ import annotations

import encodings.aliases
import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, TESTS, plain
from typer.testing import CliRunner

from drone_ledger.cli import app, run
from drone_ledger.errors import TableFileError, UsageError
from drone_ledger.textfile import check_encoding, decode_text

#: Every name Python's codec registry lists, its canonical names, and names it does not know.
NAMES = sorted(
    {*encodings.aliases.aliases, *encodings.aliases.aliases.values()}
    | {"punycode", "undefined", "latin-9x", "utf-7", "unicode_escape", "raw_unicode_escape", "idna", "rot13"}
    | {"hex", "base64", "zlib", "bz2", "uu", "quopri", "mbcs", "oem", "cp65001", "", " ", "utf-8\x00", "\u00e9"}
)
#: Bytes that every accepted encoding must decode, or refuse with a coded error.
SAMPLES = [b"a,b\r\n1,2\n", bytes(range(256)), "na\u00efve,\u65e5\u672c\n".encode(), b"\xff\xfe\x00\x00a\x00"]


def test_every_encoding_name_works_or_is_a_usage_error() -> None:
    answers = {"accepted": 0, "refused": 0}
    for name in NAMES:
        try:
            accepted = check_encoding(name, "--encoding", UsageError)
        except UsageError as refused:
            assert refused.code == "unknown-encoding" and refused.exit_code == 2, name
            answers["refused"] += 1
            continue
        assert accepted == name
        answers["accepted"] += 1
        for sample in SAMPLES:  # an accepted encoding never escapes as anything but a coded file error
            try:
                decode_text(sample, "f.csv", name)
            except TableFileError as error:
                assert error.code in ("not-utf8", "unknown-encoding"), name
    assert answers["accepted"] > 100 and answers["refused"] > 10, answers


@pytest.mark.parametrize("name", ["latin-9x", "punycode", "undefined", "hex", "utf-7"])
def test_validate_with_an_unusable_encoding_is_one_usage_error(name: str) -> None:
    result = CliRunner().invoke(app, ["validate", "-l", str(MINI), "--encoding", name], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert plain(result.stderr).count("[unknown-encoding]") == 1 and result.stdout == ""
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("name", ["punycode", "undefined", "latin-9x"])
def test_import_with_an_unusable_encoding_is_a_usage_error(name: str, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    for table in MINI.iterdir():
        (ledger / table.name).write_bytes(table.read_bytes())
    before = {p.name: p.read_bytes() for p in ledger.iterdir()}
    source = TESTS / "fixtures" / "imports" / "long_small.csv"
    result = CliRunner().invoke(
        app, ["import", str(source), "-l", str(ledger), "--conflict", "war-x", "--encoding", name]
    )
    assert result.exit_code == 2 and "[unknown-encoding]" in plain(result.stderr)
    assert {p.name: p.read_bytes() for p in ledger.iterdir()} == before


def _cli(args: list[str], stdout: int | object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drone_ledger", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["--version"], ["conflict", "list"]], ids=["typer's echo", "a Rich table"])
def test_a_full_stdout_is_a_coded_error(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = _cli(args, full)
    assert result.returncode == 1
    assert "[disk-full]" in result.stderr and "cannot write the standard output" in plain(result.stderr)
    assert "Traceback" not in result.stderr


class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone away (``| head -c 10``): every write and flush meets EPIPE."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The reader goes away: the command stops with exit 1 and says nothing (no traceback, no error panel)."""
    monkeypatch.setattr(sys, "argv", ["drone-ledger", "conflict", "list", "--format", "json"])
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    with pytest.raises(SystemExit) as stopped:
        run()
    assert stopped.value.code == 1
    assert capsys.readouterr().err == ""
