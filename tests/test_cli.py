"""The CLI at three depths: in-process CliRunner, JSON parity with the API, and real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import plain
from typer.testing import CliRunner

from drone_ledger import __version__, compare_claim, compare_claims, validate_ledger
from drone_ledger.cli import app

runner = CliRunner()
COMMANDS = (
    "summary",
    "claims",
    "validate",
    "import",
    "init",
    "trace",
    "breakdown",
    "sensitivity",
    "consistency",
    "record",
    "plot",
    "report",
    "export",
    "schema",
)


def invoke(*args: str, columns: int = 80) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout, result.stderr


def test_summary_json_equals_the_api(mini: Path) -> None:
    code, out, _ = invoke("summary", "--ledger", str(mini), "--claim", "C1", "--format", "json")
    assert code == 0
    assert json.loads(out) == compare_claim(mini, "C1").to_dict()


def test_bundled_summary_json_equals_the_api() -> None:
    code, out, _ = invoke("summary", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data == compare_claim(None, "AZ-2020-10-14-F24").to_dict()
    assert data["claim"]["claim_id"] == "AZ-2020-10-14-F24"


def test_claims_json_equals_the_api(mini: Path) -> None:
    code, out, _ = invoke("claims", "--ledger", str(mini), "--format", "json")
    assert code == 0
    assert json.loads(out) == compare_claims(mini).to_dict()


def test_validate_json_equals_the_api(with_defect: Callable[[str], Path]) -> None:
    ledger = with_defect("losses_negative_quantity.csv")
    code, out, _ = invoke("validate", "--ledger", str(ledger), "--format", "json")
    assert code == 1
    assert json.loads(out) == validate_ledger(ledger).to_dict()


def test_summary_table_tells_the_story(mini: Path) -> None:
    code, out, _ = invoke("summary", "--ledger", str(mini), "--claim", "C1", columns=200)
    text = plain(out)
    assert code == 0
    assert "Attributed to Turkish-supplied drones" in text
    # the attributed bucket: items, costed, central (low–high) value and share of the $10,000 claim
    assert "Attributed to Turkish-supplied drones 2 2 $360 ($220–$600) 3.6% (2.2%–6.0%)" in text
    assert "Ceiling: attributed + unattributed 10 7 $1.3k ($770–$2.1k) 12.6% (7.7%–21.0%)" in text
    assert "of it certainly inside the period 6 3 $540 ($330–$900) 5.4% (3.3%–9.0%)" in text
    assert "no attribution at all 7 4" in text and "attribution too vague to decide 1 1" in text
    # the verdict comes first, before any table
    assert text.index("Verdict") < text.index("Documented losses in scope")
    verdict = "The ledger attributes 2 items of A's equipment destroyed 1 Mar – 31 Mar 2020 to Turkish-supplied drones"
    assert text.index(verdict) < text.index("Documented losses in scope")


def test_summary_markdown(mini: Path) -> None:
    code, out, _ = invoke("summary", "--ledger", str(mini), "--claim", "C1", "--format", "markdown")
    assert code == 0
    assert out.startswith("## C1: $10.0k (point)")
    assert "| Attributed to Turkish-supplied drones | 2 | 2 | $360 ($220–$600) | 3.6% (2.2%–6.0%) |" in out


def test_claims_csv(mini: Path) -> None:
    code, out, _ = invoke("claims", "--ledger", str(mini), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["claim_id"] for r in rows] == ["C1", "C2", "C3", "C4"]
    assert (rows[1]["documented_items"], rows[1]["documented_central"]) == ("12", "1620.0")


def test_validate_exit_codes(mini: Path, with_defect: Callable[[str], Path]) -> None:
    assert invoke("validate", "--ledger", str(mini))[0] == 0
    code, out, _ = invoke("validate", "--ledger", str(with_defect("losses_negative_quantity.csv")))
    assert code == 1
    assert "losses.csv:3 [quantity]: error out-of-range: quantity must be at least 1, got -1" in out
    assert invoke("validate", "--format", "yaml")[0] == 2


def test_validate_csv_view(with_defect: Callable[[str], Path]) -> None:
    code, out, _ = invoke("validate", "--ledger", str(with_defect("losses_unknown_system.csv")), "--format", "csv")
    assert code == 1
    errors = [r for r in csv.DictReader(io.StringIO(out)) if r["severity"] == "error"]
    assert [(Path(r["file"]).name, r["line"], r["column"], r["code"], r["value"]) for r in errors] == [
        ("losses.csv", "3", "attributed_system", "unknown-system", "kargu")
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("summary", "--claim", "NOPE"), 2, "no claim 'NOPE' in claims.csv"),
        (("summary", "--ledger", "/nonexistent/ledger"), 2, "ledger directory /nonexistent/ledger does not exist"),
        (("summary", "--format", "csv"), 2, "'csv' is not one of 'table', 'json', 'markdown'"),
        (("summary", "--dollar-year", "1950"), 2, "cpi.csv has no figure for 1950 (it covers 1990-2025)"),
    ],
)
def test_usage_errors_are_messages_not_tracebacks(args: tuple[str, ...], code: int, message: str) -> None:
    exit_code, out, err = invoke(*args)
    assert exit_code == code
    assert message in plain(err)
    assert "Traceback" not in out + err


def test_invalid_ledger_summary_is_refused(with_defect: Callable[[str], Path]) -> None:
    code, _, err = invoke("summary", "--ledger", str(with_defect("losses_unknown_system.csv")), "--claim", "C1")
    assert code == 1
    text = plain(err)
    assert "has 1 error(s)" in text and "attributed_system 'kargu' is not in systems.csv" in text
    assert "drone-ledger validate --ledger" in text


def test_debug_shows_the_traceback_and_keeps_the_exit_code() -> None:
    plain_run = runner.invoke(app, ["summary", "--claim", "NOPE"])
    result = runner.invoke(app, ["--debug", "summary", "--claim", "NOPE"])
    assert plain_run.exit_code == result.exit_code == 2  # a usage error, with or without --debug
    assert "Traceback (most recent call last)" in result.stderr
    assert "drone_ledger.errors.UnknownClaimError: no claim 'NOPE'" in result.stderr
    missing = runner.invoke(app, ["--debug", "import", "missing.csv", "--dry-run"])
    assert missing.exit_code == 2 and "MissingSourceError" in missing.stderr


def test_version() -> None:
    assert invoke("--version") == (0, f"drone-ledger {__version__}\n", "")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0
    assert f"Example: drone-ledger {command}" in plain(out)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["summary", "--help"], ["import", "--help"]])
def test_help_and_version_do_not_import_pandas(args: list[str]) -> None:
    probe = _python(
        "import sys\n"
        "from drone_ledger.cli import app\n"
        f"try:\n    app({args!r}, prog_name='drone-ledger')\n"
        "except SystemExit:\n    pass\n"
        "print('pandas' in sys.modules, 'pandera' in sys.modules)\n"
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip().splitlines()[-1] == "False False"


def test_cli_limits_match_the_library() -> None:
    from drone_ledger import cli_options as cli
    from drone_ledger import loading

    assert (cli._MAX_BYTES, cli._MAX_FIELD) == (loading.DEFAULT_MAX_BYTES, loading.DEFAULT_MAX_FIELD)


def test_importing_the_package_loads_neither_pandas_nor_the_cli() -> None:
    probe = _python(
        "import sys, drone_ledger\nprint(sorted(m for m in ('pandas', 'typer', 'rich') if m in sys.modules))"
    )
    assert probe.stdout.strip() == "[]", probe.stderr


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "drone_ledger", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "summary" in result.stdout and "validate" in result.stdout


def test_validation_lines_are_the_same_on_a_terminal_and_in_a_pipe(with_defect: Callable[[str], Path]) -> None:
    """Piped output skips Rich's markup pass for speed; a terminal gets colours; the words must not differ."""
    from rich.console import Console

    from drone_ledger.views.ledger import print_validation

    report = validate_ledger(with_defect("losses_duplicate_id.csv"))
    assert len(report.issues) >= 3
    piped, coloured = io.StringIO(), io.StringIO()
    print_validation(report, Console(file=piped, color_system=None, width=400))
    print_validation(report, Console(file=coloured, force_terminal=True, color_system="standard", width=400))
    assert "\x1b[" in coloured.getvalue()
    terminal = re.sub(r"\x1b\[[0-9;]*m", "", coloured.getvalue())
    # a terminal puts the message on its own indented line; a pipe keeps file:line [column]: severity code: message
    assert terminal.splitlines()[0].endswith("error duplicate-id")
    assert terminal.splitlines()[1].startswith("  ")
    assert "]: error duplicate-id: loss_id " in piped.getvalue().splitlines()[0]

    def words(text: str) -> list[str]:
        return [w.rstrip(":") for w in text.split()]

    assert words(terminal) == words(piped.getvalue())


def test_the_claims_gaps_describe_the_figure_beside_them(mini: Path) -> None:
    """C1 credits Turkish drones: its figure is the ceiling (10 items, 3 uncosted), not the 2 attributed items."""
    code, out, _ = invoke("claims", "--ledger", str(mini), "--format", "markdown")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("| C1 |"))
    # The mini ledger has no category list (categories.csv) for its war: no category is called uncounted.
    assert row == (
        "| C1 | $10.0k (point) | Turkish-supplied drones | attributed $360 (2020 USD; $220–$600); ceiling $1.3k "
        "(2020 USD; $770–$2.1k) | 12.6% (7.7%–21.0%) | 3 of 10 uncosted; 6 of 10 certainly in period |  |"
    )
    code, out, _ = invoke("claims", "--ledger", str(mini), columns=80)
    block = plain(out)
    assert (
        "C1 · $10.0k (point) · Turkish-supplied drones attributed $360 (2020 USD; $220–$600); ceiling $1.3k "
        "(2020 USD; $770–$2.1k) = 12.6% (7.7%–21.0%) of the claim gaps: 3 of 10 uncosted; 6 of 10 certainly in "
        "period" in block
    )


# --- usage errors are usage errors; bugs are bugs (issue 11, points 8 and 9) ----------------------------------------


def test_claim_ids_are_matched_ignoring_case(mini: Path) -> None:
    code, out, _ = invoke("summary", "--ledger", str(mini), "--claim", "c1", "--format", "json")
    assert code == 0
    assert json.loads(out) == compare_claim(mini, "C1").to_dict()
    assert invoke("trace", "--ledger", str(mini), "--claim", "c1", "--format", "json")[0] == 0


def test_an_unknown_claim_id_gets_a_suggestion() -> None:
    code, _, err = invoke("summary", "--claim", "AZ-2020-10-14-F42", columns=200)
    assert code == 2
    assert "[unknown-claim]" in plain(err)
    assert "no claim 'AZ-2020-10-14-F42' in claims.csv (did you mean AZ-2020-10-14-F24 or" in plain(err)


@pytest.mark.parametrize("args", [["--debug", "summary", "--claim", "NOPE"], ["summary", "--claim", "NOPE", "--debug"]])
def test_debug_is_accepted_before_and_after_the_command(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "UnknownClaimError" in result.stderr
    plain_result = runner.invoke(app, ["summary", "--claim", "NOPE"])  # and it does not stick to the next run
    assert plain_result.exit_code == 2 and isinstance(plain_result.exception, SystemExit)


def test_debug_after_a_double_dash_is_an_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "--empty", "--", "--debug"])
    assert result.exit_code == 0 and (tmp_path / "--debug" / "losses.csv").is_file()


def test_a_value_error_from_a_bug_is_not_a_usage_error(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drone_ledger import claims

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug")

    monkeypatch.setattr(claims, "compare_claim", broken)
    result = runner.invoke(app, ["summary", "--ledger", str(mini), "--claim", "C1"])
    assert isinstance(result.exception, ValueError) and str(result.exception) == "a bug"  # surfaces as a bug
    assert result.exit_code != 2


def test_a_directory_that_is_not_a_ledger_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("summary", "--ledger", str(tmp_path), columns=200)
    assert code == 2 and "[not-a-ledger]" in plain(err)
    assert f"{tmp_path} is not a ledger" in plain(err) and "drone-ledger init" in plain(err)


# --- help that helps -------------------------------------------------------------------------------------------------

#: Each command with --format, and the result it prints (its formats are the ones views has a view for).
RESULT_OF = {
    "summary": "ClaimComparison",
    "claims": "ClaimsOverview",
    "validate": "ValidationReport",
    "import": "ImportReport",
    "conflict add": "ConflictAddition",
    "conflict list": "KnownConflicts",
    "trace": "Trace",
    "breakdown": "Breakdown",
    "sensitivity": "Sensitivity",
    "consistency": "Consistency",
    "schema": "DataDictionary",
}


@pytest.mark.parametrize("command", list(RESULT_OF))
def test_format_lists_and_takes_only_the_formats_the_command_has(command: str) -> None:
    import drone_ledger
    from drone_ledger import dictionary, views

    result_type = getattr(drone_ledger, RESULT_OF[command], None) or getattr(dictionary, RESULT_OF[command])
    has = views.formats_of(result_type)
    code, out, _ = invoke(*command.split(), "--help", columns=80)
    assert code == 0
    listed = re.search(r"--format -f FORMAT (.+?)\.", plain(out))
    assert listed is not None
    assert sorted(re.split(r", | or ", listed.group(1))) == sorted(has)
    arguments = {"import": ["missing.csv"], "conflict add": ["x"]}.get(command, [])
    for fmt in sorted({"table", "json", "csv", "markdown", "frictionless", "yaml"} - set(has)):
        code, _, err = invoke(*command.split(), *arguments, "--format", fmt)  # refused while the options are parsed
        assert code == 2 and f"'{fmt}' is not one of" in plain(err), (command, fmt)


@pytest.mark.parametrize("command", [*COMMANDS, "conflict add", "conflict list"])
def test_help_shows_flags_as_flags_and_breaks_no_word(command: str) -> None:
    code, out, _ = invoke(*command.split(), "--help", columns=80)
    assert code == 0
    assert "<bool>" not in out and "--help" in out
    # A value list in the type column would be folded mid-word at 80 columns: lists are in the help text instead.
    assert not re.search(r"<[^>\s]*\|[^>\s]*>", out), out


def test_import_help_says_the_ledger_is_required() -> None:
    text = plain(invoke("import", "--help", columns=100)[1])
    assert "default: the bundled" not in text
    assert "Ledger directory to import into (required; with --dry-run the bundled ledger if left out)." in text


@pytest.mark.parametrize(("command", "extra"), [("plot", "plot"), ("export", "export")])
def test_the_commands_that_need_an_extra_say_which(command: str, extra: str) -> None:
    assert f"pip install 'drone-ledger[{extra}]'" in plain(invoke(command, "--help", columns=100)[1])


# --- issue 19: options checked, sides never added, scope notes on the same screen, no trailing spaces -------------


def test_an_unknown_side_is_a_usage_error_listing_the_sides() -> None:
    code, out, err = invoke("summary", "--conflict", "karabakh-2020", "--side", "Armenai")
    assert (code, out) == (2, "")
    assert "[unknown-side]" in plain(err)
    assert (
        "--side 'Armenai' has no losses in karabakh-2020 (its sides: Armenia, Azerbaijan); did you mean "
        "'Armenia'?" in plain(err)
    )


def test_side_without_conflict_is_not_ignored() -> None:
    code, out, err = invoke("summary", "--side", "Armenia")
    assert (code, out) == (2, "")
    assert "--side goes with --conflict ID" in plain(err)
    code, _, err = invoke("summary", "--claim", "AZ-2020-10-14-F24", "--conflict", "karabakh-2020")
    assert code == 2 and "not both" in plain(err)


def test_import_checks_the_source_url_and_the_side_before_the_ledger(tmp_path: Path) -> None:
    from conftest import TESTS

    source = TESTS / "fixtures" / "imports" / "wide_small.csv"
    args = ("import", str(source), "--dry-run", "--conflict", "karabakh-2020")
    code, _, err = invoke(*args, "--side", "Armenia", "--source-url", "github.com/x")
    assert code == 2 and "[invalid-url]" in plain(err)
    assert "--source-url must be an http(s) link (https://…) to the table's source, not 'github.com/x'" in plain(err)
    assert "validate" not in plain(err)
    code, _, err = invoke(*args, "--side", "Armnia", "--source-url", "https://example.org/x")
    assert code == 2 and "[unknown-side]" in plain(err)
    assert "(it has: Armenia, Azerbaijan); did you mean 'Armenia'?" in plain(err)
    code, _, _ = invoke(*args, "--side", "Armenia", "--source-url", "https://example.org/x")
    assert code == 0


def test_a_missing_source_exits_2_like_every_missing_path() -> None:
    code, _, err = invoke("import", "missing.csv", "--dry-run")
    assert code == 2 and "[missing-file]" in plain(err) and "missing.csv does not exist" in plain(err)


def test_summary_on_a_ledger_without_claims_points_to_what_works(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path / "empty"), "--empty")[0] == 0
    code, _, err = invoke("summary", "--ledger", str(tmp_path / "empty"))
    assert code == 2 and "(e.g. )" not in err
    text = plain(err)
    assert "this ledger's claims.csv has no claims" in text and "--claim" in text and "summary --conflict ID" in text


def test_summary_of_a_conflict_never_adds_the_sides_together() -> None:
    code, out, _ = invoke("summary", "--conflict", "karabakh-2020", columns=100)
    text = plain(out)
    assert code == 0 and "1,260" not in text
    # Armenia: tanks 146+6+103, AFV 25+1+52, trucks 331+18+387 and R05, R06, plus R02, R03, R04 (13) = 1,086;
    # Azerbaijan: tanks 38+16+7+1, AFV 6+3+9+7, trucks 40+22+6+8, 11 An-2 = 174.
    assert "Armenia: 1,086 items; the 255 costed are worth $293.3M (2020 USD; $146.7M–$440.0M); the other" in text
    assert "831 are uncosted, not in that figure" in text
    assert "Azerbaijan: 174 items, none costed" in text
    code, out, _ = invoke("breakdown", "--by", "category")
    assert code == 0 and "1,260" not in out  # the bundled ledger's two wars: a total per war and side
    assert "total (karabakh-2020 · Armenia)" in out and "total (karabakh-2020 · Azerbaijan)" in out


def test_claims_print_each_scope_note_in_every_format() -> None:
    note = "wider than claimed: Oryx's category also holds jeeps, cars and buses"
    code, out, _ = invoke("claims", columns=100)
    block = plain(out.split("AZ-2020-10-20-ADDRESS-TRUCKS-CAPTURED")[1].split("AZ-2021-")[0])
    assert code == 0 and "documented 387 items: more than claimed" in block and f"scope: {note}" in block
    code, out, _ = invoke("claims", "--format", "markdown")
    row = next(line for line in out.splitlines() if line.startswith("| AZ-2020-10-20-ADDRESS-TRUCKS-CAPTURED |"))
    assert row.endswith(f"| {note} |")
    code, out, _ = invoke("claims", "--format", "csv")
    rows = {r["claim_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (
        rows["AZ-2020-10-20-ADDRESS-TRUCKS-CAPTURED"]["scope_note"],
        rows["AZ-2020-10-20-ADDRESS-TRUCKS-CAPTURED"]["scope_fit"],
    ) == (note, "wider")
    code, out, _ = invoke("claims", "--format", "json")
    listed = {c["claim_id"]: c for c in json.loads(out)["claims"]}
    assert listed["AZ-2020-10-20-ADDRESS-TRUCKS-CAPTURED"]["scope_note"] == note


@pytest.mark.parametrize(
    "args",
    [
        ["summary"],
        ["claims"],
        ["summary", "--conflict", "karabakh-2020"],
        ["trace"],
        ["breakdown", "--by", "system", "--by", "status"],
        ["sensitivity"],
        ["consistency"],
        ["validate"],
        ["conflict", "list"],
    ],
    ids=lambda a: " ".join(a),
)
def test_piped_output_has_no_trailing_spaces(args: list[str]) -> None:
    code, out, _ = invoke(*args, columns=100)
    assert code == 0
    assert [line for line in out.splitlines() if line != line.rstrip()] == []
