"""The TOML mapping file: how a foreign table's columns and values become ledger ones.

``[columns]`` renames source columns to ledger columns, ``[values.<column>]`` maps
values, ``[constants]`` fills a column on every row, ``[options]`` says how to read
the file (``date_format``, ``encoding``, ``delimiter``, ``id_columns``). Every key is
checked when the file is read, with the bad key named.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drone_ledger import textfile
from drone_ledger.errors import ImportUsageError, IssueCode, MappingFileError
from drone_ledger.layout import columns_of
from drone_ledger.textfile import shorten

__all__ = ["FORMATS", "MappingFile", "check_date_format", "check_delimiter", "check_encoding"]

#: The source formats (``--from``); ``auto`` tells them apart by the header.
FORMATS = ("auto", "ledger", "oryx-wide", "oryx-long", "csv", "oryx-page", "warspotting")
#: A mapping file is a few lines of TOML; anything far bigger is the wrong file.
_MAX_MAPPING_BYTES = 1024 * 1024
_SECTIONS = {"format", "columns", "values", "constants", "options"}
_OPTIONS = {"date_format", "encoding", "delimiter", "id_columns"}


@dataclass
class MappingFile:
    """A TOML mapping file: how a foreign table's columns and values become ledger ones."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    id_columns: list[str] = field(default_factory=list)
    source_format: str | None = None

    @classmethod
    def load(cls, path: Path) -> MappingFile:
        """Read and check a mapping file; raise :class:`MappingFileError` naming the bad key."""
        path = Path(path)
        data = _read_toml(path)
        if unknown := sorted(set(data) - _SECTIONS):
            raise MappingFileError(
                f"{path}: unknown section(s) {', '.join(unknown)}; expected {', '.join(sorted(_SECTIONS))}"
            )
        ledger_columns = set(columns_of("losses"))
        columns = _columns(path, data.get("columns", {}), ledger_columns)
        values_raw = data.get("values", {})
        if not isinstance(values_raw, dict):
            raise MappingFileError(f"{path}: [values] must hold one table per ledger column")
        values = {column: _strings(path, f"values.{column}", table) for column, table in values_raw.items()}
        if bad := sorted(set(values) - ledger_columns):
            raise MappingFileError(f"{path}: [values] names unknown ledger column(s) {', '.join(bad)}")
        constants = _strings(path, "constants", data.get("constants", {}))
        if bad := sorted(set(constants) - ledger_columns):
            raise MappingFileError(f"{path}: [constants] names unknown ledger column(s) {', '.join(bad)}")
        options = data.get("options", {})
        if not isinstance(options, dict):
            raise MappingFileError(f"{path}: [options] must be a table")
        if unknown := sorted(set(options) - _OPTIONS):
            raise MappingFileError(f"{path}: unknown option(s) {', '.join(unknown)}")
        id_columns = options.get("id_columns", [])
        if not isinstance(id_columns, list) or not all(isinstance(c, str) for c in id_columns):
            raise MappingFileError(f"{path}: options.id_columns must be a list of source column names (text)")
        source_format = data.get("format")
        if source_format is not None and source_format not in FORMATS:
            raise MappingFileError(f"{path}: format must be one of {', '.join(FORMATS)}")
        return cls(
            columns,
            values,
            constants,
            check_date_format(options.get("date_format"), f"{path}: options.date_format", MappingFileError),
            check_encoding(options.get("encoding"), f"{path}: options.encoding", MappingFileError),
            check_delimiter(options.get("delimiter"), f"{path}: options.delimiter", MappingFileError),
            list(id_columns),
            source_format,
        )

    def checked(self) -> MappingFile:
        """The mapping with its options checked again (a mapping built in Python skipped :meth:`load`)."""
        self.date_format = check_date_format(self.date_format, "options.date_format", ImportUsageError)
        self.encoding = check_encoding(self.encoding, "options.encoding", ImportUsageError)
        self.delimiter = check_delimiter(self.delimiter, "options.delimiter", ImportUsageError)
        return self


def _read_toml(path: Path) -> dict[str, Any]:
    stream, info = textfile.open_regular_file(path, MappingFileError)  # never a pipe or a device: nothing blocks
    with stream:
        if info.st_size > _MAX_MAPPING_BYTES:
            raise MappingFileError(
                f"mapping file {path} is {info.st_size:,} bytes; a mapping file is a few lines of TOML — check the path"
            )
        try:
            data = stream.read(_MAX_MAPPING_BYTES + 1)
        except OSError as exc:
            raise MappingFileError(f"cannot read mapping file {shorten(str(path))}: {exc.strerror}") from exc
    if len(data) > _MAX_MAPPING_BYTES:
        raise MappingFileError(f"mapping file {path} grew past {_MAX_MAPPING_BYTES:,} bytes while it was read")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingFileError(f"mapping file {path} is not valid TOML: {exc}") from exc
    except RecursionError as exc:
        raise MappingFileError(f"mapping file {path} nests arrays or tables too deeply to be a mapping") from exc


def _strings(path: Path, section: str, table: object) -> dict[str, str]:
    """A section that maps names to text (numbers are read as their text)."""
    if not isinstance(table, dict) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in table.values()
    ):
        raise MappingFileError(f"{path}: [{section}] must map names to text values")
    return {str(k): str(v) for k, v in table.items()}


def _columns(path: Path, section: object, ledger_columns: set[str]) -> dict[str, str]:
    """``[columns]``: each source column to one ledger column, and no ledger column filled from two."""
    columns = _strings(path, "columns", section)
    if bad := sorted(set(columns.values()) - ledger_columns - {"date"}):  # date: one cell read as an interval
        raise MappingFileError(f"{path}: [columns] maps to unknown ledger column(s) {', '.join(bad)}")
    targets: dict[str, list[str]] = defaultdict(list)
    for source_column, target in columns.items():
        targets[target].append(source_column)
    if shared := {t: s for t, s in targets.items() if len(s) > 1}:
        target, sources = next(iter(shared.items()))
        raise MappingFileError(
            f"{path}: [columns] maps {' and '.join(repr(c) for c in sources)} all to {target}; a ledger column "
            "takes one source column (otherwise one's values would silently replace the other's)"
        )
    return columns


def check_delimiter(value: object, where: str, error: type[ImportUsageError | MappingFileError]) -> str | None:
    """``value`` if it can separate CSV fields (one character, not a quote or a line break), else ``error``."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 1 or value in '"\r\n' or not (value == "\t" or value.isprintable()):
        raise error(
            f"{where} must be one character such as ',' ';' '|' or a tab, not {shorten(repr(value), 60)}",
            IssueCode.BAD_DELIMITER,
        )
    return value


def check_encoding(value: object, where: str, error: type[ImportUsageError | MappingFileError]) -> str | None:
    """``value`` if CSV text can be read in that encoding (utf-8, cp1252, utf-16 …), else ``error``
    (:func:`drone_ledger.textfile.check_encoding`)."""
    return textfile.check_encoding(value, where, error)


def check_date_format(value: object, where: str, error: type[ImportUsageError | MappingFileError]) -> str | None:
    """``value`` if it is a usable strptime format (e.g. ``%d/%m/%Y``), else ``error``."""
    if value is None:
        return None
    try:
        usable = (
            isinstance(value, str)
            and 0 < len(value) <= 64
            and "%" in value
            and dt.datetime.strptime(dt.date(2020, 12, 31).strftime(value), value) is not None
        )
    except (ValueError, TypeError, OverflowError, re.error):
        usable = False
    if not usable:
        raise error(
            f"{where} must be a strptime format of at most 64 characters such as '%d/%m/%Y' (each directive once), "
            f"not {shorten(repr(value), 60)}",
            IssueCode.BAD_DATE_FORMAT,
        )
    return str(value)
