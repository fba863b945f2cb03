"""A claim's report page: one self-contained HTML file a fact-checker can attach to an article.



The page shows, in this order: the claim, the verdict, the buckets, the ceiling and what it leaves out, a bar
chart, the assumptions, the sensitivity grid, the consistency of the side's count claims, the rows behind every
figure with links to their sources, and what was searched. It makes no network request: the CSS is inline, the
chart is SVG drawn here from the numbers (matplotlib is not needed), and sources are plain ``<a href>`` links.

Every text taken from the ledger is escaped (ledger cells are untrusted), and only ``http(s)`` links become
anchors. A Content-Security-Policy in the page forbids scripts and every external resource, so a browser would
refuse them even if one slipped in.

* :func:`build_report` (:mod:`.build`) — compute everything the page shows (one validation of the ledger).
* :func:`report_html` (:mod:`.markup`, with :mod:`.chart` and :mod:`.html`) — render a
  :class:`~drone_ledger.results.claims.ClaimReport` as HTML (pure).
* :func:`write_report` — both, then write the file atomically; never over an existing file unless ``force``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from drone_ledger import vocab
from drone_ledger.errors import IssueCode, ReportError
from drone_ledger.ledger import LedgerLike
from drone_ledger.results.core import Assumptions
from drone_ledger.storage import check_output_path, write_output

from .build import build_report
from .markup import report_html

__all__ = ["REPORT_SUFFIXES", "check_report_path", "write_report"]

#: What a report page can be saved as.
REPORT_SUFFIXES = (".html", ".htm")


def check_report_path(path: str | Path, force: bool = False) -> Path:
    """Refuse a path the report must not be written to, before any work is done; return it as a Path.

    Refused always (even with ``force``): a file of a ledger (its tables, lock or journal, also through a
    symbolic link), a missing folder, a directory, something that is not a regular file, a suffix other than
    .html or .htm. Refused unless ``force``: a file that exists.

    Raises
    ------
    ReportError
        With code ``output-is-a-ledger-file``, ``missing-directory``, ``output-is-a-directory``,
        ``output-not-a-file``, ``bad-report-suffix`` or ``output-exists``.
    """
    target = Path(path)
    check_output_path(target, force, ReportError)
    if target.suffix.lower() not in REPORT_SUFFIXES:
        raise ReportError(
            f"save the report as .html (a web page), not {target.suffix or 'no suffix'!r}", IssueCode.BAD_REPORT_SUFFIX
        )
    return target


def write_report(
    ledger: LedgerLike,
    path: str | Path,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    assumptions: Assumptions | None = None,
    force: bool = False,
    generated: dt.date | str | None = None,
) -> Path:
    """Write a claim's report page to ``path`` as one self-contained HTML file; return the path.

    The path is checked before the ledger is read (see :func:`check_report_path`). The file is written to a
    temporary file in the same folder and moved into place in one step; without ``force`` the move itself
    refuses a file that appeared in the meantime, so an existing file is never replaced.

    Raises
    ------
    ReportError
        The path is refused (see :func:`check_report_path`); exit status 2.
    LedgerWriteError
        The file could not be written (disk full, no permission); nothing is left behind.
    LedgerInvalidError, UnknownClaimError
        As :func:`build_report`.
    """
    target = check_report_path(path, force)
    page = report_html(build_report(ledger, claim_id, assumptions), generated).encode("utf-8")
    write_output(target, lambda stream: stream.write(page), force, ReportError)
    return target
