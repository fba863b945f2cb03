"""Reading a CSV file's bytes and text: the one place for the checks every reader of a file makes.

A ledger table (:func:`drone_ledger.loading.read_table`) and an imported source
(:func:`drone_ledger.importing.source.read_source`) are refused for the same reasons, with
the same codes and the same messages: a missing path, anything but a regular file
(a directory, a pipe, a socket or a device: refused before it is opened for reading,
so nothing ever blocks on a FIFO or reads a device), a file over the size limit or one
that cannot be read, a cell far over the field limit (found in the bytes, before they
are decoded), UTF-16 text, binary content (a spreadsheet or an image saved as .csv),
bytes that are not in the encoding asked for, and an encoding that cannot read CSV text.

Each check raises the ``error`` class it is given (a :class:`~drone_ledger.errors.TableFileError`
by default) with an :class:`~drone_ledger.errors.IssueCode`; the ledger reader turns
it into an Issue, the importer lets it through. Plain Python: no pandas.
"""

from __future__ import annotations

import codecs
import os
import stat
import warnings
from pathlib import Path
from typing import IO

from .errors import DroneLedgerError, IssueCode, TableFileError

__all__ = [
    "UTF8_NAMES",
    "check_encoding",
    "check_field_sizes",
    "check_text_bytes",
    "decode_text",
    "is_utf8",
    "open_regular_file",
    "read_file_bytes",
    "shorten",
]

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


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _not_a_file(path: Path, mode: int, error: type[DroneLedgerError]) -> DroneLedgerError:
    kind = _kind(mode)
    remedy = (
        "give the file itself"
        if stat.S_ISDIR(mode)
        else "drone-ledger reads only regular files (never waiting on a pipe or reading a device): save what it "
        "holds to a file first and give that"
    )
    return error(f"{shorten(str(path))} is {kind}, not a file; {remedy}", IssueCode.NOT_A_FILE)


#: How a file is opened for reading: never blocking (a FIFO with no writer would wait forever), never becoming
#: the controlling terminal, not inherited by child processes.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def open_regular_file(path: Path, error: type[DroneLedgerError] = TableFileError) -> tuple[IO[bytes], os.stat_result]:
    """Open ``path`` for reading if it is a regular file (a link to one is fine); return the stream and its status.

    The file type is checked before the file is opened (a pipe, a socket, a device or a directory is refused
    without being touched) and again on the open file, which is opened without blocking: a file replaced by a
    FIFO in between is refused too, never waited on.

    Raises
    ------
    TableFileError (or ``error``)
        With code ``missing-file``, ``not-a-file`` or ``unreadable-file``.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise error(f"{shorten(str(path))} does not exist; check the path", IssueCode.MISSING_FILE) from exc
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise error(f"cannot open {shorten(str(path))}: {why}; check the path", IssueCode.UNREADABLE_FILE) from exc
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_file(path, info.st_mode, error)
    try:
        handle = os.open(path, _READ_FLAGS)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise error(f"{shorten(str(path))} does not exist; check the path", IssueCode.MISSING_FILE) from exc
    except OSError as exc:
        raise error(
            f"cannot read {path.name}: {exc.strerror}; check its permissions", IssueCode.UNREADABLE_FILE
        ) from exc
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(path, info.st_mode, error)
        return os.fdopen(handle, "rb"), info
    except BaseException:
        os.close(handle)
        raise


def read_file_bytes(path: Path, max_bytes: int, error: type[TableFileError] = TableFileError) -> bytes:
    """The bytes of the regular file at ``path``, refused when it is missing, not a file, too large or unreadable.

    At most ``max_bytes`` + 1 bytes are ever read, even from a file that grows while it is read.

    Raises
    ------
    TableFileError (or ``error``)
        With code ``missing-file``, ``not-a-file``, ``file-too-large`` or ``unreadable-file``.
    """
    name = path.name
    stream, info = open_regular_file(path, error)
    with stream:
        if info.st_size > max_bytes:
            raise error(_too_large(name, max_bytes, info.st_size), IssueCode.FILE_TOO_LARGE)
        try:
            chunks, total, want = [], 0, info.st_size + 1
            while total <= max_bytes and (chunk := stream.read(min(want, max_bytes + 1 - total))):
                chunks.append(chunk)
                total += len(chunk)
                want = _CHUNK
        except OSError as exc:
            raise error(
                f"cannot read {name}: {exc.strerror}; check its permissions", IssueCode.UNREADABLE_FILE
            ) from exc
    if total > max_bytes:
        raise error(_too_large(name, max_bytes), IssueCode.FILE_TOO_LARGE)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


#: Bytes that end a cell in any delimiter a source may use (comma, semicolon, tab, pipe) or a line.
_CELL_ENDS = (b",", b"\n", b"\r", b";", b"\t", b"|")


def check_field_sizes(
    raw: bytes, name: str, max_field: int, delimiter: str | None = None, error: type[TableFileError] = TableFileError
) -> None:
    """Refuse bytes holding a cell far over ``max_field`` characters, before they are decoded or parsed.

    A window of ``4 * max_field + 9`` bytes without a delimiter or a line break lies inside one cell, and that
    cell has more than ``max_field`` characters (no character takes more than four bytes). Windows overlapping
    by half are searched with ``bytes.find``, without copying, so every such stretch of 1.5 windows is found: a
    1 GB line is refused holding only its bytes, where parsing it would take several times as much. Shorter
    over-long cells are left to the parser, which refuses them with their line.

    Raises
    ------
    TableFileError (or ``error``)
        With code ``field-too-large``.
    """
    window = 4 * max_field + 9
    if len(raw) < window or (delimiter is not None and not delimiter.isascii()):
        return  # no cell can be that long; or a delimiter whose bytes depend on the encoding
    ends = _CELL_ENDS if delimiter is None else (delimiter.encode("ascii"), b"\n", b"\r")
    step = max(1, window // 2)
    for start in range(0, len(raw) - window + 1, step):
        stop = start + window
        if all(raw.find(end, start, stop) < 0 for end in ends):
            line = raw.count(b"\n", 0, start) + 1
            raise error(
                f"{name}:{line}: a cell is longer than {max_field:,} characters; pass --max-field with a larger "
                "limit if it is real, or look for an unclosed quote or a missing line break on that line",
                IssueCode.FIELD_TOO_LARGE,
            )


def _too_large(name: str, limit: int, size: int | None = None) -> str:
    if size is None:
        return f"{name} is over the limit of {limit:,} bytes; pass a larger --max-bytes to read it anyway"
    return f"{name} is {size:,} bytes, over the limit of {limit:,}; pass --max-bytes {size} to read it anyway"


def check_text_bytes(raw: bytes, name: str, encoding: str | None, error: type[TableFileError] = TableFileError) -> None:
    """Refuse bytes that are not CSV text in ``encoding`` (None: UTF-8): UTF-16 text, or binary content.

    A NUL byte anywhere is binary content (no CSV text in an 8-bit encoding holds one; a spreadsheet or an image
    does) unless the encoding is UTF-16 or UTF-32.

    Raises
    ------
    TableFileError (or ``error``)
        With code ``utf-16`` (a UTF-16 byte-order mark, the encoding not UTF-16) or ``binary-file``.
    """
    wide = is_utf16(encoding) or _normal(encoding).replace("-", "").startswith("utf32")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and not wide:
        raise error(f"{name} is UTF-16 text; pass --encoding utf-16, or re-save it as UTF-8", IssueCode.UTF_16)
    if wide:
        return
    if b"\x00" in raw[:_BINARY_PROBE]:
        raise error(
            f"{name} is a binary file (a spreadsheet or an image?), not CSV text; export it as CSV (UTF-8)",
            IssueCode.BINARY_FILE,
        )
    if (at := raw.find(b"\x00")) >= 0:
        line = raw.count(b"\n", 0, at) + 1
        raise error(
            f"{name} holds a NUL byte on line {line}, which CSV text never does (a damaged "
            "file, or a spreadsheet's export gone wrong); remove it, or export the file again as CSV (UTF-8)",
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
    except (LookupError, TypeError, UnicodeError) as exc:  # TypeError: a bytes-to-bytes codec such as "hex"
        raise error(f"{chosen!r} is not an encoding CSV text can be read in", IssueCode.UNKNOWN_ENCODING) from exc
    return text.lstrip("\ufeff")


#: Printable ASCII, a tab, line breaks and text that some codecs read as escapes: every encoding a CSV file is
#: saved in, except UTF-16 and UTF-32, reads these bytes as exactly these characters.
_PROBE = bytes(range(0x20, 0x7F)) + b"\t\r\n\\n\\x41\\u0041+AGE-.xn--bcher-kva.ab"


def check_encoding(value: object, where: str, error: type[DroneLedgerError]) -> str | None:
    """``value`` if it names an encoding CSV text can be read in (utf-8, cp1252, latin-1, utf-16 …), else ``error``.

    Every name Python knows or does not know gets an answer, never a traceback: an unknown name, a codec that is
    not a text encoding (``hex``, ``rot13``), and one that does not read plain ASCII as itself (``punycode``,
    ``idna``, ``utf-7``, ``unicode_escape``, ``undefined``, EBCDIC) are refused with code ``unknown-encoding``.
    UTF-16 and UTF-32 are the only encodings accepted that are not ASCII-compatible.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise error(
            f"{where} must name a text encoding such as utf-8, cp1252 or utf-16, not {shorten(repr(value), 60)}",
            IssueCode.UNKNOWN_ENCODING,
        )
    try:
        info = codecs.lookup(value)
    except (LookupError, ValueError, TypeError) as exc:
        raise error(
            f"{where} must name a text encoding such as utf-8, cp1252 or utf-16, not {shorten(repr(value), 60)}",
            IssueCode.UNKNOWN_ENCODING,
        ) from exc
    if getattr(info, "_is_text_encoding", True) and info.name.replace("-", "_").startswith(("utf_16", "utf_32")):
        return value
    try:
        with warnings.catch_warnings():  # unicode_escape warns about escapes it does not know
            warnings.simplefilter("ignore")
            reads_ascii = getattr(info, "_is_text_encoding", True) and _PROBE.decode(value) == _PROBE.decode("ascii")
    except (LookupError, ValueError, TypeError, UnicodeError):
        reads_ascii = False
    if not reads_ascii:
        raise error(
            f"{where}: {shorten(repr(value), 60)} is not an encoding CSV files are saved in (it does not read plain "
            "text as itself); use utf-8, cp1252, latin-1 or utf-16",
            IssueCode.UNKNOWN_ENCODING,
        )
    return value
