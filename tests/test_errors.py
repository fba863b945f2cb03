"""The error model: every exception in errors.py, a kebab-case code and a docstring on each, exit 2 for usage;
one enum of every code an Issue or an exception can carry, each documented."""

from __future__ import annotations

import ast
import errno
import inspect
import re
from pathlib import Path

import pytest
from conftest import ROOT

from drone_ledger import analysis, errors, exporting, importing, plots, storage
from drone_ledger.errors import DroneLedgerError, IssueCode, LedgerWriteError, UsageError

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


def test_the_moved_errors_are_still_importable_where_they_were() -> None:
    assert importing.ImportSourceError is errors.ImportSourceError
    assert importing.ImportUsageError is errors.ImportUsageError
    assert importing.MappingFileError is errors.MappingFileError
    assert exporting.ExportError is errors.ExportError
    assert plots.PlotError is errors.PlotError
    assert analysis.AnalysisUsageError is errors.AnalysisUsageError
    assert storage.LedgerLockedError is errors.LedgerLockedError
    assert issubclass(errors.UnknownDollarYearError, ValueError)  # it was a bare ValueError before


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

#: Kebab-case strings in the package that are not codes: formats, ids, encodings, scope groups, cost bases and
#: uncosted reasons (costing's own vocabulary, in the costed table), HTML anchors, Frictionless profiles.
NOT_CODES = {
    *("oryx-wide", "oryx-long", "oryx-wide-row", "oryx-page", "utf-8", "utf-8-sig", "drone-ledger", "leaves-out"),
    *("karabakh-2020", "ukraine-2022", "tabular-data-package", "tabular-data-resource"),
    *("armed-drones", "turkish-supplied", "turkish-supplied-drones", "not-accepted"),
    *("bayraktar-tb2", "tb-2", "iai-harop", "elbit-skystriker", "aeronautics-orbiter", "orbiter-1k"),
    *("loitering-munition-unknown", "drone-unknown"),
    *("category-proxy", "model-family", "no-cost-key", "no-price-found", "excluded-applicability", "same-observation"),
}
KEBAB = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+")


def _string_literals(source: str) -> list[tuple[int, str]]:
    """Every plain string literal of a module's source, docstrings and f-string parts left out."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in ast.walk(node))
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skipped.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
    ]


def test_every_code_the_package_can_emit_is_a_member_of_the_enum() -> None:
    """A code is written as a kebab-case literal (or an IssueCode member): every such literal anywhere in the
    package, whatever call it is passed to, is either a member or named above as not a code."""
    members = {code.value for code in IssueCode}
    strays = [
        f"{module.relative_to(PACKAGE)}:{line}: {text!r}"
        for module in sorted(PACKAGE.rglob("*.py"))
        for line, text in _string_literals(module.read_text(encoding="utf-8"))
        if KEBAB.fullmatch(text) and text not in members and text not in NOT_CODES
    ]
    assert strays == []


def test_every_exception_code_is_a_member() -> None:
    assert all(isinstance(cls.code, IssueCode) for cls in CLASSES)


def test_the_scan_would_see_a_new_code() -> None:
    """The scan finds a literal wherever it is passed, so a code added without the enum cannot hide."""
    source = 'raise UsageError(f"{x}-y", "brand-new-code")\nproblem = ("a b", "other-new-code")\n'
    found = [text for _, text in _string_literals('"""a-docstring"""\n' + source) if KEBAB.fullmatch(text)]
    assert found == ["brand-new-code", "other-new-code"]


@pytest.mark.parametrize("code", list(IssueCode), ids=[c.value for c in IssueCode])
def test_every_code_is_documented(code: IssueCode) -> None:
    """Each code is explained in docs/guarantees.md or in the data dictionary (docs/data.md), in backticks."""
    assert f"`{code.value}`" in DOCS, f"document {code.value!r} in docs/guarantees.md"


DOCS = "\n".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("guarantees.md", "data.md"))
