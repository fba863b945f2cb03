"""The error model: every exception in errors.py, a kebab-case code and a docstring on each, exit 2 for usage."""

from __future__ import annotations

import errno
import inspect
import re
from pathlib import Path

import pytest

from drone_ledger import analysis, errors, exporting, importing, plots, storage
from drone_ledger.errors import DroneLedgerError, LedgerWriteError, UsageError

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
    package = Path(errors.__file__).parent
    for module in sorted(package.glob("*.py")):
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
