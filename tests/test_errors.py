"""The error model: every exception in errors.py, a kebab-case code and a docstring on each, exit 2 for usage;
one enum of every code an Issue or an exception can carry (mypy holds every caller to it), each documented."""

from __future__ import annotations

import errno
import inspect
import re
from pathlib import Path

import pytest
from conftest import ROOT

from drone_ledger import errors, storage
from drone_ledger.errors import DroneLedgerError, IssueCode, LedgerWriteError, UsageError
from drone_ledger.results.core import Issue, Severity

PACKAGE = Path(errors.__file__).parent

CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, DroneLedgerError)]


@pytest.mark.parametrize("cls", CLASSES, ids=[c.__name__ for c in CLASSES])
def test_every_error_has_a_code_a_docstring_and_the_right_exit(cls: type[DroneLedgerError]) -> None:
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", cls.code)
    assert cls.__doc__ and cls.__doc__.strip()
    assert cls.exit_code == (2 if issubclass(cls, UsageError) else 1)
    assert cls is DroneLedgerError or cls.code != "error"


def test_codes_are_distinct() -> None:
    codes = [c.code for c in CLASSES]
    assert len(codes) == len(set(codes))


def test_no_library_module_defines_an_exception_of_its_own() -> None:
    for module in sorted(PACKAGE.rglob("*.py")):
        if module.name == "errors.py":
            continue
        assert not re.search(r"^class \w+\((\w*Error|Exception)\)", module.read_text(encoding="utf-8"), re.M), module


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (errno.ENOSPC, "disk-full"),
        (errno.EDQUOT, "disk-full"),
        (errno.EROFS, "read-only-file-system"),
        (errno.EACCES, "permission-denied"),
        (errno.EPERM, "permission-denied"),
        (errno.ENAMETOOLONG, "name-too-long"),
        (errno.EIO, "write-failed"),
    ],
)
def test_a_failed_write_is_a_clear_error_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, code: str
) -> None:
    """As root a permission error cannot be caused for real: the rename is made to fail instead."""

    def refuse(*args: object) -> None:
        raise OSError(number, "refused")

    monkeypatch.setattr(storage.os, "replace", refuse)
    with pytest.raises(LedgerWriteError) as failed:
        storage.atomic_write_text(tmp_path / "out.csv", "a\n")
    assert failed.value.code == code and str(tmp_path / "out.csv") in str(failed.value)
    assert list(tmp_path.iterdir()) == []


# --- the codes ---------------------------------------------------------------------------------------------------


def test_every_exception_code_is_a_member() -> None:
    assert all(isinstance(cls.code, IssueCode) for cls in CLASSES)


def test_an_issue_s_code_and_severity_are_the_enums() -> None:
    """``Issue.code`` is an IssueCode and ``severity`` a Severity (mypy holds every caller to it); text given for
    them, as a cached report's JSON gives it, becomes the member; text that is neither is refused."""
    issue = Issue("losses", "losses.csv", 2, "quantity", "out-of-range", "-1", "m", "warning")  # type: ignore[arg-type]
    assert issue.code is IssueCode.OUT_OF_RANGE and issue.severity is Severity.WARNING
    assert issue.code == "out-of-range" and issue.to_dict()["code"] == "out-of-range"
    assert type(issue.to_dict()["code"]) is str and type(issue.to_dict()["severity"]) is str
    with pytest.raises(ValueError, match="brand-new-code"):
        Issue("losses", "losses.csv", 2, None, "brand-new-code", None, "m")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fatal"):
        Issue("losses", "losses.csv", 2, None, IssueCode.OUT_OF_RANGE, None, "m", "fatal")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", list(IssueCode), ids=[c.value for c in IssueCode])
def test_every_code_is_documented(code: IssueCode) -> None:
    """Each code is explained in docs/guarantees.md or in the data dictionary (docs/data.md), in backticks."""
    assert f"`{code.value}`" in DOCS, f"document {code.value!r} in docs/guarantees.md"


DOCS = "\n".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("guarantees.md", "data.md"))
