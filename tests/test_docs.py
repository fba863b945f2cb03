"""The documentation stays true: the two README commands, CI, the data dictionary."""

from __future__ import annotations

import re

from conftest import ROOT
from test_cli import COMMANDS

from drone_ledger.dictionary import data_dictionary, data_dictionary_markdown
from drone_ledger.layout import TABLES, columns_of

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", README, re.S)
    assert block, "README has a '## Two commands' section with a sh block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_has_exactly_two_commands() -> None:
    run, test = _readme_commands()
    assert run.endswith("drone-ledger summary")
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()


def test_data_dictionary_is_current() -> None:
    assert (ROOT / "docs" / "data.md").read_text(encoding="utf-8") == data_dictionary_markdown()


def test_data_dictionary_lists_every_column_of_every_table() -> None:
    listed = {t["table"]: [c["name"] for c in t["columns"]] for t in data_dictionary()}
    assert listed == {name: columns_of(name) for name in TABLES}
    assert all(c["description"] for t in data_dictionary() for c in t["columns"])


def test_bundled_files_have_the_documented_columns() -> None:
    for name, spec in TABLES.items():
        header = (ROOT / "data" / spec.filename).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == columns_of(name), spec.filename


def test_readme_shows_every_command() -> None:
    from drone_ledger.cli import app

    commands = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    assert commands == list(COMMANDS)
    for command in commands:
        assert f"drone-ledger {command}" in README
