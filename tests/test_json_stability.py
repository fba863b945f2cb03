"""Every command's JSON on the bundled ledger is what the previous release printed, apart from documented renames.

tests/fixtures/json/ holds the output of drone-ledger 0.1.0 (before the code moved into packages, see
CHANGELOG.md), with the paths that depend on the machine replaced by ROOT, TESTS and LEDGER.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, ROOT, TESTS
from typer.testing import CliRunner

from drone_ledger.cli import app

GOLDEN = TESTS / "fixtures" / "json"
IMPORTS = TESTS / "fixtures" / "imports"
CASES = {
    "summary": ["summary"],
    "summary-conflict": ["summary", "--conflict", "karabakh-2020"],
    "claims": ["claims"],
    "validate": ["validate"],
    "trace": ["trace"],
    "breakdown": ["breakdown", "--by", "system", "--by", "status"],
    "sensitivity": ["sensitivity"],
    "consistency": ["consistency"],
    "conflict-list": ["conflict", "list", "--ledger", "LEDGER"],
    "conflict-add": ["conflict", "add", "ukraine-2022", "--ledger", "LEDGER"],
    "import-dry-run": [
        *("import", str(IMPORTS / "wide_small.csv"), "--dry-run", "--conflict", "karabakh-2020", "--side", "Armenia"),
        *("--source-url", "https://example.org/oryx-snapshot"),
    ],
    "schema": ["schema", "--format", "json"],
    "schema-frictionless": ["schema", "--format", "frictionless"],
}
#: Keys renamed since the previous release (CHANGELOG, Unreleased): case -> {old key: new key}.
RENAMED = {"import-dry-run": {"format": "source_format"}}


def _renamed(data: Any, renames: dict[str, str]) -> Any:
    if isinstance(data, dict):
        return {renames.get(k, k): _renamed(v, renames) for k, v in data.items()}
    if isinstance(data, list):
        return [_renamed(v, renames) for v in data]
    return data


@pytest.mark.parametrize("case", list(CASES))
def test_json_is_the_previous_releases(case: str, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    if "LEDGER" in CASES[case]:
        shutil.copytree(BUNDLED, ledger)
    args = [str(ledger) if a == "LEDGER" else a for a in CASES[case]]
    if "--format" not in args:
        args += ["--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    text = result.stdout.replace(str(ledger), "LEDGER").replace(str(TESTS), "TESTS").replace(str(ROOT), "ROOT")
    expected = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    assert json.loads(text) == _renamed(expected, RENAMED.get(case, {}))
