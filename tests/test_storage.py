"""Storage: the journal is data, never trusted; nothing outside a ledger is touched; one door to write.

* A crafted journal (paths outside the ledger, ``..``, absolute paths, links, files that are not tables,
  malformed JSON) makes every command — even a read-only ``summary`` — refuse with ``bad-journal`` and
  change nothing, inside the ledger or outside it; the journal is left for the user.
* A directory that is not a ledger is refused (exit 2, ``not-a-ledger``) before anything is created or
  removed in it.
* ``init`` that fails half way leaves nothing behind; a symlinked table is never written through.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import MINI, TESTS, plain
from typer.testing import CliRunner

from drone_ledger import import_table, load_ledger
from drone_ledger.cli import app
from drone_ledger.errors import JournalError, LedgerWriteError, NotALedgerError, UsageError
from drone_ledger.layout import TABLES
from drone_ledger.storage import (
    JOURNAL_NAME,
    LOCK_NAME,
    TABLE_FILES,
    commit_files,
    ledger_lock,
    remove_stale_temporaries,
    write_rejects,
)
from drone_ledger.writing import init_ledger, open_for_write

IMPORTS = TESTS / "fixtures" / "imports"
WIDE = ["--conflict", "karabakh-2020", "--side", "Armenia", "--source-url", "https://example.org/snapshot"]


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (links as their target), with a hash of its bytes: the state to compare."""
    state = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            state[key] = "-> " + os.readlink(path)
        elif path.is_file():
            state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[key] = "dir"
    return state


def test_table_files_are_the_schemas_files() -> None:
    assert list(TABLE_FILES) == [spec.filename for spec in TABLES.values()]


# --- the journal is data -----------------------------------------------------------------------------------------


@pytest.fixture
def crafted(tmp_path: Path) -> tuple[Path, Path]:
    """A ledger and, beside it, a directory of files a crafted journal aims at."""
    ledger = tmp_path / "ledger"
    shutil.copytree(MINI, ledger)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("precious\n", encoding="utf-8")
    (outside / ".victim.txt.abc123.tmp").write_text("payload\n", encoding="utf-8")
    (outside / "payload.csv").write_text("payload\n", encoding="utf-8")
    return ledger, outside


CRAFTED = {
    "dot-dot": lambda o: [["../outside/.victim.txt.abc123.tmp", "../outside/victim.txt"]],
    "absolute": lambda o: [[str(o / ".victim.txt.abc123.tmp"), str(o / "victim.txt")]],
    "absolute target": lambda o: [[".losses.csv.abc123.tmp", str(o / "victim.txt")]],
    "not a table": lambda o: [[".notes.txt.abc123.tmp", "notes.txt"]],
    "temporary of another table": lambda o: [[".systems.csv.abc123.tmp", "losses.csv"]],
    "table twice": lambda o: [[".losses.csv.abc123.tmp", "losses.csv"], [".losses.csv.def456.tmp", "losses.csv"]],
    "link out": lambda o: [[".losses.csv.link01.tmp", "losses.csv"]],
}
MALFORMED = {
    "not json": "this is not json",
    "an object": '{"losses.csv": ".losses.csv.abc123.tmp"}',
    "a pair of one": '[["losses.csv"]]',
    "numbers": "[[1, 2]]",
    "nested": "[" * 100_000 + "]" * 100_000,
    "not utf-8": b"\xff\xfe[",
}


def _write_journal(ledger: Path, content: str | bytes) -> bytes:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    (ledger / JOURNAL_NAME).write_bytes(raw)
    return raw


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_a_crafted_journal_never_touches_anything(crafted: tuple[Path, Path], name: str) -> None:
    ledger, outside = crafted
    (ledger / ".systems.csv.abc123.tmp").write_text("payload\n", encoding="utf-8")
    (ledger / ".notes.txt.abc123.tmp").write_text("payload\n", encoding="utf-8")
    (ledger / ".losses.csv.abc123.tmp").write_text("payload\n", encoding="utf-8")
    (ledger / ".losses.csv.link01.tmp").symlink_to(outside / "payload.csv")
    raw = _write_journal(ledger, json.dumps(CRAFTED[name](outside)))
    before_ledger, before_outside = tree(ledger), tree(outside)
    result = CliRunner().invoke(app, ["summary", "--ledger", str(ledger), "--claim", "C1"], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.stdout
    assert "[bad-journal]" in plain(result.stderr)
    assert "Traceback" not in result.stderr
    assert tree(outside) == before_outside  # nothing outside the ledger moved or overwritten
    assert tree(ledger) == before_ledger  # nor inside it; no lock file was created either
    assert (ledger / JOURNAL_NAME).read_bytes() == raw  # left for the user


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_journal_is_a_clear_error_that_changes_nothing(crafted: tuple[Path, Path], name: str) -> None:
    ledger, _ = crafted
    raw = _write_journal(ledger, MALFORMED[name])
    before = tree(ledger)
    with pytest.raises(JournalError) as refused:
        load_ledger(ledger)
    assert refused.value.code == "bad-journal"
    assert str(ledger / JOURNAL_NAME) in str(refused.value) and "move it out of" in str(refused.value)
    result = CliRunner().invoke(app, ["validate", "--ledger", str(ledger)])
    assert result.exit_code == 1 and "[bad-journal]" in plain(result.stderr)
    assert "Traceback" not in result.stderr
    assert tree(ledger) == before
    assert (ledger / JOURNAL_NAME).read_bytes() == raw


def test_a_genuine_journal_is_still_rolled_forward(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(MINI, ledger)
    new_cpi = (ledger / "cpi.csv").read_text(encoding="utf-8") + "2021,270.97\n"
    (ledger / ".cpi.csv.k3j9x_2a.tmp").write_text(new_cpi, encoding="utf-8")
    _write_journal(ledger, json.dumps([[".cpi.csv.k3j9x_2a.tmp", "cpi.csv"]]))
    assert 2021 in set(load_ledger(ledger)["cpi"]["year"])
    assert not (ledger / JOURNAL_NAME).exists() and not (ledger / ".cpi.csv.k3j9x_2a.tmp").exists()


# --- nothing outside a ledger ------------------------------------------------------------------------------------


@pytest.fixture
def not_a_ledger(tmp_path: Path) -> Path:
    """A directory with files of its own, among them names like temporaries, and no ledger table."""
    directory = tmp_path / "etc"
    directory.mkdir()
    (directory / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    (directory / ".something.tmp").write_text("mine\n", encoding="utf-8")
    (directory / ".losses.csv.abc123.tmp").write_text("also mine\n", encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    "args",
    [
        ["import", str(IMPORTS / "wide_small.csv"), *WIDE],
        ["import", str(IMPORTS / "wide_small.csv"), "--from", "xml"],
        ["validate"],
        ["summary"],
        ["breakdown", "--by", "status"],
        ["export", "{tmp}/out.csv"],
    ],
    ids=["import", "import-usage-error", "validate", "summary", "breakdown", "export"],
)
def test_a_directory_that_is_not_a_ledger_is_refused_and_left_alone(
    not_a_ledger: Path, tmp_path: Path, args: list[str]
) -> None:
    before = tree(not_a_ledger)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(app, [*argv, "--ledger", str(not_a_ledger)], env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if args[1:3] != [str(IMPORTS / "wide_small.csv"), "--from"]:  # that one is refused for --from first
        assert "[not-a-ledger]" in plain(result.stderr)
        assert "drone-ledger init" in plain(result.stderr)
    assert tree(not_a_ledger) == before  # no lock file, no temporary removed
    assert not (not_a_ledger / LOCK_NAME).exists()
    assert not (tmp_path / "out.csv").exists()


def test_the_lock_needs_a_ledger(not_a_ledger: Path) -> None:
    with pytest.raises(NotALedgerError), ledger_lock(not_a_ledger):
        pass
    assert not (not_a_ledger / LOCK_NAME).exists()


def test_only_our_own_temporaries_are_removed(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(MINI, ledger)
    ours = [ledger / ".losses.csv.k3j9x_2a.tmp", ledger / f".{JOURNAL_NAME}.abc123.tmp"]
    theirs = [ledger / ".notes.tmp", ledger / ".my-export.csv.abc123.tmp", ledger / "draft.tmp"]
    for path in ours + theirs:
        path.write_text("x\n", encoding="utf-8")
    assert sorted(remove_stale_temporaries(ledger)) == sorted(ours)
    assert all(path.exists() for path in theirs)


def test_commit_files_only_inside_open_for_write(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(MINI, ledger)
    text = (ledger / "cpi.csv").read_text(encoding="utf-8")
    with pytest.raises(RuntimeError, match="inside open_for_write"):
        commit_files(ledger, {"cpi.csv": text})
    with open_for_write(ledger) as loaded:
        assert len(loaded["losses"]) == 8
        commit_files(loaded.path, {"cpi.csv": text + "2021,270.97\n"})
    assert (ledger / "cpi.csv").read_text(encoding="utf-8").endswith("2021,270.97\n")


def test_a_symlinked_table_stays_a_link_and_is_not_written_through(tmp_path: Path) -> None:
    """Decision: refuse, saying why — writing through would put temporaries and renames outside the ledger."""
    ledger = tmp_path / "ledger"
    init_ledger(ledger)
    shared = tmp_path / "shared-losses.csv"
    shutil.move(ledger / "losses.csv", shared)
    (ledger / "losses.csv").symlink_to(shared)
    before_target, before = shared.read_bytes(), tree(ledger)
    with pytest.raises(LedgerWriteError) as refused:
        import_table(
            IMPORTS / "wide_small.csv",
            ledger,
            conflict="karabakh-2020",
            side="Armenia",
            source_url="https://example.org/snapshot",
        )
    assert refused.value.code == "symlinked-table"
    assert "never writes through a link" in str(refused.value)
    assert (ledger / "losses.csv").is_symlink() and shared.read_bytes() == before_target
    assert tree(ledger) == {**before, LOCK_NAME: tree(ledger)[LOCK_NAME]}
    assert not list(ledger.glob(".*.tmp"))


# --- init ----------------------------------------------------------------------------------------------------------


def test_init_that_fails_half_way_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drone_ledger import storage, writing

    real = writing.atomic_write_text
    calls = []

    def fail_on_third(path: Path, text: str, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise storage.write_error(OSError(errno.ENOSPC, "No space left on device"), path, "nothing was left behind")
        real(path, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writing, "atomic_write_text", fail_on_third)
    target = tmp_path / "new" / "deeper" / "ledger"
    with pytest.raises(LedgerWriteError) as failed:
        init_ledger(target)
    assert failed.value.code == "disk-full"
    assert "free some space" in str(failed.value)
    assert list(tmp_path.iterdir()) == []  # not the ledger, not the parents it created


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda t: (t / "file.txt").write_text("x") and t / "file.txt" / "ledger", "bad-ledger-path"),
        (lambda t: (t / "full").mkdir() or (t / "full" / "x").write_text("x") and t / "full", "ledger-exists"),
        (lambda t: (t / "file.txt").write_text("x") and t / "file.txt", "ledger-exists"),
        (lambda t: t / ("n" * 300), "bad-ledger-path"),
    ],
    ids=["parent-is-a-file", "non-empty-directory", "a-file", "name-too-long"],
)
def test_init_refuses_a_path_it_cannot_use(tmp_path: Path, make: object, code: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    before = tree(tmp_path)
    with pytest.raises(UsageError) as refused:
        init_ledger(path)
    assert refused.value.code == code
    assert tree(tmp_path) == before
    result = CliRunner().invoke(app, ["init", str(path)])
    assert result.exit_code == 2 and f"[{code}]" in plain(result.stderr)


def test_init_into_an_existing_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    assert len(init_ledger(tmp_path / "here", empty=True)) == 11


# --- rejects files -------------------------------------------------------------------------------------------------


def test_rejects_files_never_share_a_name(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(MINI, ledger)
    first = write_rejects(ledger, "source.csv", "20240101T000000Z", "a\n")
    second = write_rejects(ledger, "source.csv", "20240101T000000Z", "b\n")
    assert (first.name, second.name) == ("source-20240101T000000Z.csv", "source-20240101T000000Z-2.csv")
    assert (first.read_text(), second.read_text()) == ("a\n", "b\n")
    long_name = write_rejects(ledger, "x" * 250 + ".csv", "20240101T000000Z", "c\n")
    assert len(long_name.name) < 120
    odd = write_rejects(ledger, "my source; (v2)\n.csv", "20240101T000000Z", "d\n")
    assert odd.name == "my_source_v2-20240101T000000Z.csv"


def test_rejects_are_never_written_through_a_link(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(MINI, ledger)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ledger / "rejects").symlink_to(elsewhere)
    with pytest.raises(LedgerWriteError) as refused:
        write_rejects(ledger, "source.csv", "20240101T000000Z", "a\n")
    assert refused.value.code == "rejects-not-a-directory"
    assert list(elsewhere.iterdir()) == []
    (ledger / "rejects").unlink()
    (ledger / "rejects").mkdir()
    (ledger / "rejects" / "source-20240101T000000Z.csv").symlink_to(elsewhere / "target.csv")
    path = write_rejects(ledger, "source.csv", "20240101T000000Z", "a\n")
    assert path.name == "source-20240101T000000Z-2.csv" and list(elsewhere.iterdir()) == []
