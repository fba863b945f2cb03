"""Nothing in the data drives a terminal or a page (issue 21): a shared ledger or an imported source whose text holds
escape sequences, other C0 and C1 controls and bidirectional overrides prints them as visible characters in every
command and every format — on a terminal (Rich, with its own colours) and piped, as Markdown, CSV and JSON, on the
report page — and Markdown shows data as text, never as HTML or a link other than http(s).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import MINI
from typer.testing import CliRunner

from drone_ledger import compare_claim
from drone_ledger.cli import app
from drone_ledger.storage import csv_text
from drone_ledger.views.common import md, md_link
from drone_ledger.visible import json_safe, visible

#: What a hostile ledger hides in its text: clear the screen and home the cursor (ESC), a C1 CSI, a bidi override
#: that shows the rest backwards, a bell, a backspace, DEL, a carriage return that rewrites the line.
PAYLOAD = "x\x1b[2J\x1b[H\x9b2J\u202eTCIDREV EKAF\x07\x08\x7f\r\u2066y"
#: What a link may hold (its pattern refuses spaces and line breaks, not escape sequences).
LINK_PAYLOAD = "/\x1b[2J\x9b2J\u202eevil"
#: Each byte or character that must never reach the output raw.
FORBIDDEN = ["\x1b", "\x9b", "\u202e", "\u2066", "\x07", "\x08", "\x7f"]
#: The styling Rich itself writes on a terminal (select graphic rendition): the only escape sequences allowed.
SGR = re.compile(r"\x1b\[[0-9;]*m")

#: Text columns of the mini ledger that hold the payload (validation accepts any text there).
TEXT_COLUMNS = {
    "claims": ["claimant", "outlet", "quote", "notes", "scope_means_as_stated", "scope_equipment_as_stated"],
    "losses": ["notes", "source_name", "date_as_reported", "status_as_reported"],
    "systems": ["name", "notes"],
    "conflicts": ["name", "notes"],
    "unit_costs": ["model_as_reported", "notes", "basis"],
    "aggregates": ["compiled_by", "notes"],
    "category_proxies": ["basis"],
}
#: The side names and every link hold it too (a side is free text; a link's pattern allows any non-space).
SIDE = {"A": "A" + PAYLOAD, "B": "B" + PAYLOAD}
SIDE_COLUMNS = ("side_losing", "claimant_side", "scope_side")


def _hostile(target: Path) -> Path:
    """The mini ledger with the payload in every free-text column, the side names and the links; still valid."""
    shutil.copytree(MINI, target)
    for path in target.glob("*.csv"):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = list(rows[0]) if rows else []
        for row in rows:
            for column in TEXT_COLUMNS.get(path.stem, []):
                row[column] = (row[column] or "") + PAYLOAD
            for column in SIDE_COLUMNS:
                if column in row and row[column] in SIDE:
                    row[column] = SIDE[row[column]]
            for column in ("source_url", "source_urls"):
                if row.get(column):
                    row[column] = row[column] + LINK_PAYLOAD
        path.write_text(csv_text(header, rows), encoding="utf-8")  # a bare CR in a cell quoted, as the tool writes
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ledger = _hostile(tmp_path_factory.mktemp("hostile") / "ledger")
    assert compare_claim(ledger, "C1").claim["claimant"].endswith(PAYLOAD.strip())  # valid, and the text is there
    return ledger


def _prepare(ledger: Path, tmp: Path) -> None:
    """The files some commands need: a hostile source to import, a copy of the ledger to write into."""
    (tmp / "hostile_source.csv").write_text(
        "country,origin,system,status,url,date_recorded\n"
        f'A,x,"T-72{PAYLOAD}","destroyed by Evil{PAYLOAD}",https://example.org/s,2020-03-05\n',
        encoding="utf-8",
    )
    shutil.copytree(ledger, tmp / "writable")


def _commands(ledger: Path, tmp: Path) -> dict[str, list[str]]:
    """Every command that shows ledger text, in every format it has."""
    source, writable = tmp / "hostile_source.csv", tmp / "writable"
    base = {
        "summary": ["summary", "-l", str(ledger), "--claim", "C1"],
        "summary --conflict": ["summary", "-l", str(ledger), "--conflict", "war-x"],
        "claims": ["claims", "-l", str(ledger)],
        "validate": ["validate", "-l", str(ledger)],
        "trace": ["trace", "-l", str(ledger), "--claim", "C1", "--bucket", "attributed"],
        "trace unattributed": ["trace", "-l", str(ledger), "--claim", "C2", "--bucket", "unattributed"],
        "breakdown": ["breakdown", "-l", str(ledger), "--by", "system", "--by", "side", "--by", "model"],
        "sensitivity": ["sensitivity", "-l", str(ledger), "--claim", "C1"],
        "consistency": ["consistency", "-l", str(ledger)],
        "conflict list": ["conflict", "list", "-l", str(ledger)],
        "conflict add (exists, other values)": ["conflict", "add", "war-x", "-l", str(writable), "--name", "other"],
        "import (dry run)": ["import", str(source), "-l", str(writable), "--conflict", "war-x", "--dry-run"],
        "an unknown claim": ["summary", "-l", str(ledger), "--claim", "C9" + PAYLOAD],
        "record": ["record", "tb2", "-l", str(ledger)],
    }
    formats = {
        "summary": ["table", "json", "markdown"],
        "summary --conflict": ["table", "json", "markdown"],
        "claims": ["table", "json", "markdown", "csv"],
        "validate": ["table", "json", "csv"],
        "trace": ["table", "json", "csv"],
        "trace unattributed": ["table", "json", "csv"],
        "breakdown": ["table", "json", "csv"],
        "sensitivity": ["table", "json", "csv"],
        "consistency": ["table", "json"],
        "conflict list": ["table", "json"],
        "conflict add (exists, other values)": ["table", "json"],
        "import (dry run)": ["table", "json"],
        "an unknown claim": ["table"],
        "record": ["table", "json", "markdown", "csv"],
    }
    return {f"{name} -f {fmt}": [*args, "-f", fmt] for name, args in base.items() for fmt in formats[name]}


COMMAND_NAMES = list(_commands(Path("L"), Path(".")))


def _assert_clean(text: str, where: str) -> None:
    found = [repr(c) for c in FORBIDDEN if c in text]
    lone_cr = re.search(r"\r(?!\n)", text)
    assert not found and not lone_cr, f"{where}: {found or 'a carriage return'} reached the output"


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_no_control_character_reaches_the_output(hostile: Path, tmp_path: Path, command: str, terminal: bool) -> None:
    _prepare(hostile, tmp_path)
    args = _commands(hostile, tmp_path)[command]
    env = {"COLUMNS": "100", **({"FORCE_COLOR": "1", "TERM": "xterm-256color"} if terminal else {"NO_COLOR": "1"})}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        _assert_clean(SGR.sub("", text) if terminal else text, f"{command} ({stream})")
    if args[-1] == "json" and result.stdout.strip():
        json.loads(result.stdout)  # still JSON, with the data exact: the escapes decode to the payload


def test_the_terminal_shows_the_payload_made_visible(hostile: Path) -> None:
    result = CliRunner().invoke(app, ["summary", "-l", str(hostile), "--claim", "C1"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.stderr
    # each escape one visible character (Rich itself removes a bell, a backspace and a carriage return)
    assert "Someonex␛[2J␛[H\ufffd2J\ufffdTCIDREV EKAF" in result.stdout


def test_json_keeps_the_data_exact(hostile: Path) -> None:
    result = CliRunner().invoke(app, ["summary", "-l", str(hostile), "--claim", "C1", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["claim"]["claimant"] == "Someone" + PAYLOAD
    assert "\\u001b[2J" in result.stdout and "\\u202e" in result.stdout and "\\u009b" in result.stdout


def test_the_report_page_shows_no_control_character(hostile: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["report", str(page), "-l", str(hostile), "--claim", "C1"])
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    _assert_clean(html, "the report page")
    assert "␛[2J" in html


def test_visible_shows_each_control_as_one_character() -> None:
    assert visible("a\x1b[2J\r\nb\rc\x9bd\u202ee\x00\t\x7f") == "a␛[2J\r\nb␍c\ufffdd\ufffde␀\t␡"
    assert visible("plain text, “quoted”, 日本語") == "plain text, “quoted”, 日本語"
    assert json.loads(json_safe(json.dumps({"a": "\x85\u202e\x1b"}, ensure_ascii=False))) == {"a": "\x85\u202e\x1b"}


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("![x](https://evil.example/pixel.png)", "!\\[x\\](https://evil.example/pixel.png)"),
        ("a & b\nsecond line", "a &amp; b second line"),
        ("C:\\path", "C:\\\\path"),
        ("ESC\x1b[2J", "ESC␛\\[2J"),
    ],
)
def test_markdown_shows_data_as_text(data: str, shown: str) -> None:
    assert md(data) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.org/a?b=1", "<https://example.org/a?b=1>"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("https://example.org/><script>", "https://example.org/&gt;&lt;script&gt;"),
        ("https://example.org/\u202eevil", "https://example.org/\ufffdevil"),
    ],
)
def test_markdown_links_only_http(url: str, shown: str) -> None:
    assert md_link(url) == shown


def test_markdown_summary_has_no_html_or_script_link(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(MINI, ledger)
    claims = ledger / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace("Someone,B,2020-04-01,TV", "<img src=x onerror=alert(1)>,B,2020-04-01,[TV](javascript:x)", 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["summary", "-l", str(ledger), "--claim", "C1", "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert "<img" not in result.stdout and not re.search(r"(?<!\\)\]\(javascript:", result.stdout)
    assert "&lt;img src=x onerror=alert(1)&gt;, 1 Apr 2020, \\[TV\\](javascript:x)." in result.stdout
    assert "Source: <https://example.org/c1>" in result.stdout
