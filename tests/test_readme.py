"""The README's example outputs are the tool's real output at 100 columns, and no wider.

A ```text block preceded by ``<!-- checked … -->`` holds one or more ``$ drone-ledger …`` commands, each followed
by its output on the bundled ledger at 100 columns; a line ``...`` stands for lines left out. ``<!-- checked:
terminal … -->`` blocks show what a terminal shows (colours forced, then stripped here). ``--ledger broken`` is a
copy of the bundled ledger with the two mistakes the README describes. Every text block of the README, checked or
not, is at most 100 columns wide.
"""

from __future__ import annotations

import csv
import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from drone_ledger.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
CHECKED = re.findall(r"<!-- checked(: terminal)?[^>]*-->\n```text\n(.*?)```", README, re.S)
WIDTH = 100
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _examples() -> list[tuple[list[str], list[str], bool]]:
    examples: list[tuple[list[str], list[str], bool]] = []
    for terminal, block in CHECKED:
        for line in block.splitlines():
            if line.startswith("$ drone-ledger "):
                examples.append((shlex.split(line)[2:], [], bool(terminal)))
            elif line.startswith("$ "):
                break  # a shell command that is not drone-ledger (echo $?): the rest of the block is prose
            elif examples:
                examples[-1][1].append(line.rstrip())
    return examples


def _broken_ledger(where: Path) -> None:
    """The bundled ledger with a negative quantity on losses.csv line 27 and a misspelt system on line 28."""
    shutil.copytree(ROOT / "data", where / "broken")
    path = where / "broken" / "losses.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    rows[26][header.index("quantity")] = "-13"
    rows[27][header.index("attributed_system")] = "harpo"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _runs(expected: list[str]) -> list[list[str]]:
    """The expected lines split at each ``...`` (an empty run at either end: output may be left out there)."""
    runs: list[list[str]] = [[]]
    for line in expected:
        if line == "...":
            runs.append([])
        else:
            runs[-1].append(line)
    return runs


def _find(lines: list[str], run: list[str], start: int) -> int:
    for at in range(start, len(lines) - len(run) + 1):
        if lines[at : at + len(run)] == run:
            return at
    return -1


def test_the_readme_has_checked_examples() -> None:
    assert len(_examples()) >= 5


@pytest.mark.parametrize(
    "argv, expected, terminal",
    _examples(),
    ids=lambda v: " ".join(v) if isinstance(v, list) and v and not v[0].startswith(" ") else "",
)
def test_a_readme_example_is_the_real_output(
    argv: list[str], expected: list[str], terminal: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if "broken" in argv:
        _broken_ledger(tmp_path)
    env = {"COLUMNS": str(WIDTH), **({"FORCE_COLOR": "1"} if terminal else {"NO_COLOR": "1"})}
    result = CliRunner().invoke(app, argv, env=env)
    assert result.exit_code in (0, 1), result.stderr
    lines = [ANSI.sub("", line).rstrip() for line in result.stdout.splitlines()]
    runs = _runs(expected)
    position = 0
    for index, run in enumerate(runs):
        if not run:
            continue
        found = _find(lines, run, position)
        assert found >= 0, f"not in the output of drone-ledger {' '.join(argv)}:\n" + "\n".join(run)
        if index == 0:
            assert found == 0, "the example starts where the output starts (or begins with ...)"
        position = found + len(run)
    if runs[-1]:
        assert position == len(lines), "the example ends where the output ends (or ends with ...)"


def test_the_readme_examples_are_at_most_100_columns_wide() -> None:
    for block in re.findall(r"```text\n(.*?)```", README, re.S):
        for line in block.splitlines():
            assert len(line) <= WIDTH, line
