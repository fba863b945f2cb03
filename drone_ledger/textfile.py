"""Reading a CSV file's bytes and text: the one place for the checks every reader of a file makes.

A ledger table (:func:`drone_ledger.loading.read_table`) and an imported source
(:func:`drone_ledger.importing.source.read_source`) are refused for the same reasons, with
the same codes and the same messages: a missing path, a directory or a device, a
file over the size limit or one that cannot be read, UTF-16 text, binary content
(a spreadsheet or an image saved as .csv), bytes that are not in the encoding
asked for, and an encoding Python does not know.

Each check raises the ``error`` class it is given (a :class:`~drone_ledger.errors.TableFileError`
by default) with an :class:`~drone_ledger.errors.IssueCode`; the ledger reader turns
it into an Issue, the importer lets it through. Plain Python: no pandas.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import IssueCode, TableFileError

__all__ = ["UTF8_NAMES", "check_text_bytes", "decode_text", "is_utf8", "read_file_bytes", "shorten"]

#: The spellings of UTF-8 under which a file may be read by the fast (pyarrow) parser.
UTF8_NAMES = ("utf-8-sig", "utf-8", "utf8")
#: How far into a file a NUL byte makes it binary rather than text.
_BINARY_PROBE = 4096
_CHUNK = 1 << 24


def shorten(text: str, limit: int = 120) -> str:
    """``text`` cut in the middle (with an ellipsis) when it is longer than ``limit``."""
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :]


def _normal(encoding: str | None) -> str:
    return (encoding or "").replace("_", "-").lower()


def is_utf8(encoding: str | None) -> bool:
    """True for every spelling of UTF-8 (with or without the byte-order mark); None means UTF-8."""
    return encoding is None or _normal(encoding) in UTF8_NAMES


def is_utf16(encoding: str | None) -> bool:
    """True for ``utf-16``, ``UTF_16``, ``utf-16-le`` …"""
    return _normal(encoding).startswith("utf-16")


def read_file_bytes(path: Path, max_bytes: int, error: type[TableFileError] = TableFileError) -> bytes:
    """The bytes of the file at ``path``, refused when it is missing, not a file, too large or unreadable.

    A pipe (``<(curl …)``) has no size: at most ``max_bytes`` of it are read.

    Raises
    ------
    TableFileError (or ``error``)
        With code ``missing-file``, ``not-a-file``, ``file-too-large`` or ``unreadable-file``.
    """
    name = path.name
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise error(f"{path} does not exist; check the path", IssueCode.MISSING_FILE) from exc
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise error(f"cannot open {shorten(str(path))}: {why}; check the path", IssueCode.UNREADABLE_FILE) from exc
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path} is a directory, not a CSV file; give the file itself", IssueCode.NOT_A_FILE)
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) or stat.S_ISSOCK(info.st_mode):
        raise error(f"{path} is a device, not a CSV file; give the file itself", IssueCode.NOT_A_FILE)
    if info.st_size > max_bytes:
        raise error(_too_large(name, max_bytes, info.st_size), IssueCode.FILE_TOO_LARGE)
    try:
        with open(path, "rb") as stream:
            if stat.S_ISREG(info.st_mode):
                raw = stream.read()
            else:
                chunks, total = [], 0
                while total <= max_bytes and (chunk := stream.read(_CHUNK)):
                    chunks.append(chunk)
                    total += len(chunk)
                raw = b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read {name}: {exc.strerror}; check its permissions", IssueCode.UNREADABLE_FILE) from exc
    if len(raw) > max_bytes:
        raise error(_too_large(name, max_bytes), IssueCode.FILE_TOO_LARGE)
    return raw


def _too_large(name: str, limit: int, size: int | None = None) -> str:
    if size is None:
        return f"{name} is over the limit of {limit:,} bytes; pass a larger --max-bytes to read it anyway"
    return f"{name} is {size:,} bytes, over the limit of {limit:,}; pass --max-bytes {size} to read it anyway"


def check_text_bytes(raw: bytes, name: str, encoding: str | None, error: type[TableFileError] = TableFileError) -> None:
    """Refuse bytes that are not CSV text in ``encoding`` (None: UTF-8): UTF-16 text, or binary content.

    Raises
    ------
    TableFileError (or ``error``)
        With code ``utf-16`` (a UTF-16 byte-order mark, the encoding not UTF-16) or ``binary-file``.
    """
    utf16 = is_utf16(encoding)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf16:
        raise error(f"{name} is UTF-16 text; pass --encoding utf-16, or re-save it as UTF-8", IssueCode.UTF_16)
    if b"\x00" in raw[:_BINARY_PROBE] and not utf16:
        raise error(
            f"{name} is a binary file (a spreadsheet or an image?), not CSV text; export it as CSV (UTF-8)",
            IssueCode.BINARY_FILE,
        )


def decode_text(raw: bytes, name: str, encoding: str | None, error: type[TableFileError] = TableFileError) -> str:
    """``raw`` decoded (None: UTF-8, with or without a byte-order mark), without the byte-order mark.

    Raises
    ------
    TableFileError (or ``error``)
        With code ``not-utf8`` (the byte and line that are not in the encoding) or ``unknown-encoding``.
    """
    chosen = encoding or "utf-8-sig"
    try:
        text = raw.decode(chosen)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        label = "UTF-8" if is_utf8(encoding) else chosen
        raise error(
            f"{name} is not {label} text (byte 0x{raw[exc.start]:02x} on line {line}); pass --encoding cp1252 if it "
            "came from Excel on Windows, or re-save it as UTF-8",
            IssueCode.NOT_UTF8,
        ) from exc
    except (LookupError, TypeError) as exc:  # TypeError: a bytes-to-bytes codec such as "hex"
        raise error(f"{chosen!r} is not a text encoding Python knows", IssueCode.UNKNOWN_ENCODING) from exc
    return text.lstrip("\ufeff")
