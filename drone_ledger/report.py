"""A claim's report page: one self-contained HTML file a fact-checker can attach to an article.

The page shows, in this order: the claim, the verdict, the buckets, the ceiling and what it leaves out, a bar
chart, the assumptions, the sensitivity grid, the consistency of the side's count claims, the rows behind every
figure with links to their sources, and what was searched. It makes no network request: the CSS is inline, the
chart is SVG drawn here from the numbers (matplotlib is not needed), and sources are plain ``<a href>`` links.

Every text taken from the ledger is escaped (ledger cells are untrusted), and only ``http(s)`` links become
anchors. A Content-Security-Policy in the page forbids scripts and every external resource, so a browser would
refuse them even if one slipped in.

* :func:`build_report` — compute everything the page shows (one validation of the ledger).
* :func:`report_html` — render a :class:`~drone_ledger.reports.ClaimReport` as HTML (pure).
* :func:`write_report` — both, then write the file atomically; never over an existing file unless ``force``.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import textwrap
from collections.abc import Iterable
from pathlib import Path

from . import __version__, vocab
from .errors import ReportError
from .loading import Ledger
from .reports import (
    UNATTRIBUTED_PARTS,
    Assumptions,
    BucketTotal,
    ClaimComparison,
    ClaimReport,
    Consistency,
    ConsistencyGroup,
    LossSource,
    ObservationUsed,
    Sensitivity,
    Trace,
    ValueRange,
    format_range,
    format_share,
    format_usd,
    means_label,
)
from .storage import check_output_path, write_output

__all__ = ["REPORT_SUFFIXES", "build_report", "check_report_path", "report_html", "write_report"]

#: What a report page can be saved as.
REPORT_SUFFIXES = (".html", ".htm")
#: The buckets whose rows the page lists (``uncosted`` cuts across them).
TRACED_BUCKETS = ("attributed", "other", "unattributed")
BUCKET_LABELS = {
    "attributed": "Attributed to {means}",
    "other": "Attributed to other systems",
    "unattributed": "Unattributed or too vague",
}
#: Files drone-ledger keeps in a ledger directory besides its tables (storage.LOCK_NAME, storage.JOURNAL_NAME).
COLOURS = {
    "attributed": "#a4432f",
    "other": "#3d6a96",
    "unattributed": "#8a939c",
    "figure": "#34495e",
    "inside": "#6b7f93",
    "claim": "#c07a12",
}


# --- building ----------------------------------------------------------------------------------------------------


def build_report(
    ledger: Ledger | str | Path | None,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    assumptions: Assumptions | None = None,
) -> ClaimReport:
    """Compute everything a claim's report page shows, validating the ledger once.

    Parameters
    ----------
    ledger:
        A loaded ledger, a ledger directory, or None for the bundled one.
    claim_id:
        Key into claims.csv (default: Aliyev's $1 billion to France 24).
    assumptions:
        Dollar year and price observations for the comparison, the traces and the consistency; the sensitivity
        grid varies its own scenarios from the defaults.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownClaimError
        If ``claim_id`` is not in claims.csv.
    """
    from .analysis import claim_consistency, sensitivity, trace_claim
    from .claims import compare_claim
    from .validation import require_valid

    loaded = require_valid(ledger)
    assumptions = assumptions or Assumptions()
    comparison = compare_claim(loaded, claim_id, assumptions)
    exact_id = str(comparison.claim["claim_id"])
    traces = {bucket: trace_claim(loaded, exact_id, bucket, assumptions=assumptions) for bucket in TRACED_BUCKETS}
    everything = claim_consistency(loaded, assumptions)
    side = comparison.claim["scope_side"]
    consistency = Consistency(
        everything.dollar_year, [g for g in everything.groups if g.side == side], list(everything.notes)
    )
    wanted = {row.loss_id for trace in traces.values() for row in trace.rows}
    losses = loaded["losses"]
    sources = {}
    for row in losses[losses["loss_id"].isin(sorted(wanted))].itertuples():
        loss_id = str(row.loss_id)
        sources[loss_id] = LossSource(loss_id, _text(row.source_name), str(row.source_url), _text(row.notes))
    return ClaimReport(
        comparison=comparison,
        sensitivity=sensitivity(loaded, exact_id),
        consistency=consistency,
        traces=traces,
        sources=sources,
        ledger=str(loaded.path),
        version=__version__,
    )


def _text(value: object) -> str | None:
    """A cell as text; None for an empty or missing one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return text if text and text not in ("<NA>", "nan") else None


# --- writing -----------------------------------------------------------------------------------------------------


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
            f"save the report as .html (a web page), not {target.suffix or 'no suffix'!r}", "bad-report-suffix"
        )
    return target


def write_report(
    ledger: Ledger | str | Path | None,
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


# --- small formatters ------------------------------------------------------------------------------------------

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _e(value: object) -> str:
    """Escape any text for HTML (element content and quoted attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str | None, text: str | None = None) -> str:
    """An anchor for an http(s) URL (anything else is shown as text); both escaped."""
    shown = _e(text if text else url or "")
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noreferrer">{shown}</a>'
    return shown


def _day(iso: str | None) -> str:
    if not iso:
        return "not stated"
    try:
        year, month, day = iso.split("-")
        return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return iso


def _period(start: str, end: str | None) -> str:
    if end and start[:4] == end[:4]:
        return f"{_day(start)[:-5]} – {_day(end)}"
    return f"{_day(start)} – {_day(end) if end else '(end not stated)'}"


def _amount(c: ClaimComparison) -> str:
    amount = float(c.claim["amount"])
    return format_usd(amount) if c.measure == "value" else f"{amount:,.0f} {c.claim['unit']}"


def _value(total: BucketTotal) -> str:
    """The terminal's value cell: ``$147.4M ($84.0M–$297.5M)``, or a dash when nothing is costed."""
    return format_range(total.value) if total.items_costed else "—"


def _money(value: ValueRange | None) -> str:
    return format_range(value)


def _items(n: int) -> str:
    return f"{n:,} item{'' if n == 1 else 's'}"


def _nowrap(text: str) -> str:
    return f'<span class="nw">{_e(text)}</span>'


def _stacked(text: str) -> str:
    """``$147.4M ($84.0M–$297.5M)`` with the range in its own span, which narrow screens put on a line below.

    The text is the same as the terminal's (the two spans are separated by the same space); neither part is ever
    broken inside.
    """
    central, sep, rest = text.partition(" (")
    if not sep:
        return _nowrap(text)
    return f'{_nowrap(central)} <span class="nw rng">({_e(rest)}</span>'


_URL = re.compile(r"https?://[^\s<>\"']+")


def _linked(text: str | None) -> str:
    """Free text, escaped, with every http(s) URL in it made a link (trailing punctuation left outside)."""
    if not text:
        return ""
    out, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:)]")
        end = match.start() + len(url)
        out.append(_e(text[last : match.start()]))
        out.append(f'<span class="url">{_link(url)}</span>')
        last = end
    out.append(_e(text[last:]))
    return "".join(out)


def _table(headers: list[tuple[str, str]], rows: Iterable[str], kind: str = "") -> str:
    """A table in a horizontally scrolling box; ``headers`` are (text, class) pairs; rows are ``<tr>`` strings.

    ``kind``: ``stack`` puts ranges on a line below their central figure at any width (wide tables); ``cards
    c4`` / ``cards c2`` turn each row into a small card on narrow screens (cells labelled by ``data-label``).
    """
    head = "".join(f'<th scope="col" class="{cls}">{_e(text)}</th>' for text, cls in headers)
    attribute = f' class="{kind}"' if kind else ""
    body = "".join(rows)
    return f'<div class="scroll"><table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _cell(label: str, content: str, cls: str = "num") -> str:
    """A cell (right-aligned number by default), labelled for the card layout of narrow screens."""
    return f'<td class="{cls}" data-label="{_e(label)}">{content}</td>'


# --- the page ----------------------------------------------------------------------------------------------------


def report_html(report: ClaimReport, generated: dt.date | str | None = None) -> str:
    """Render a claim report as one self-contained HTML page (no scripts, no external resources).

    ``generated`` is the date printed in the footer (default: today); everything else on the page depends only
    on the report, so two pages of the same report on the same day are identical.
    """
    c = report.comparison
    day = generated.isoformat() if isinstance(generated, dt.date) else generated or dt.date.today().isoformat()
    claim_id = str(c.claim["claim_id"])
    sections = [
        _claim_section(c),
        _verdict_section(c),
        _buckets_section(c),
        _leaves_out_section(c),
        _chart_section(c),
        _assumptions_section(c),
        _sensitivity_section(report.sensitivity),
        _consistency_section(c, report.consistency),
        _rows_section(c, report),
        _searched_section(c),
    ]
    title = f"{claim_id}: {_amount(c)} claimed — drone-ledger report"
    footer = (
        f"Generated by drone-ledger {_e(report.version)} from the ledger at <code>{_e(report.ledger)}</code> "
        f"on {_e(day)}. The same figures in a terminal: <code>drone-ledger summary --claim {_e(claim_id)}</code>; "
        f"the rows: <code>drone-ledger trace --claim {_e(claim_id)}</code>."
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # No scripts, no fetches of any kind: only the inline style and the page's own SVG.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">",
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="drone-ledger {_e(report.version)}">',
            f"<title>{_e(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            _nav(),
            *sections,
            "</main>",
            f"<footer><p>{footer}</p></footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _nav() -> str:
    links = [
        ("verdict", "Verdict"),
        ("figures", "Figures"),
        ("leaves-out", "What it leaves out"),
        ("chart", "Chart"),
        ("assumptions", "Assumptions"),
        ("sensitivity", "Sensitivity"),
        ("consistency", "Consistency"),
        ("rows", "Rows and sources"),
        ("searched", "What was searched"),
    ]
    items = "".join(f'<li><a href="#{anchor}">{text}</a></li>' for anchor, text in links)
    return f'<nav aria-label="Sections"><p class="kicker">drone-ledger · claim report</p><ul>{items}</ul></nav>'


def _claim_section(c: ClaimComparison) -> str:
    claim = c.claim
    statuses = str(claim["scope_statuses"]).replace("|", " or ")
    means = means_label(str(claim["scope_systems"]))
    heading = f"{_amount(c)} {statuses} by {means}"
    facts = [
        ("Claim", f"<code>{_e(claim['claim_id'])}</code> ({_e(claim['bound'])})"),
        ("Claimant", _e(claim["claimant"])),
        ("Date", _e(_day(claim.get("claim_date")) if claim.get("claim_date") else "undated")),
        ("Outlet", _e(claim.get("outlet") or "not stated")),
        (
            "Scope",
            _e(
                f"{statuses} by {means} · {claim['scope_side']}'s losses · "
                f"{claim.get('scope_equipment_as_stated') or 'any equipment'} · "
                f"{_period(str(claim['period_start']), claim.get('period_end'))}"
            ),
        ),
    ]
    if claim.get("scope_means_as_stated"):
        facts.append(("Means as stated", _e(claim["scope_means_as_stated"])))
    facts.append(("Source", f'<span class="url">{_link(claim.get("source_url"))}</span>'))
    rows = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    quote = f"<blockquote><p>“{_e(claim['quote'])}”</p></blockquote>" if claim.get("quote") else ""
    return (
        f'<header class="claim"><h1><span class="claimid">{_e(claim["claim_id"])}</span> {_e(heading)}</h1>'
        f'{quote}<dl class="facts">{rows}</dl></header>'
    )


def _verdict_section(c: ClaimComparison) -> str:
    sentences = "".join(f"<p>{_e(s)}</p>" for s in c.verdict)
    return f'<section id="verdict" class="verdict" aria-label="Verdict"><h2>Verdict</h2>{sentences}</section>'


def bucket_rows(c: ClaimComparison) -> list[tuple[str, BucketTotal, str]]:
    """The buckets, the unattributed bucket's parts, and the headline figure with its part inside the period.

    Each row is (label, total, kind) with kind ``bucket``, ``part``, ``figure`` or ``inside`` — the rows and
    labels of the terminal's "Documented losses in scope" table.
    """
    means = means_label(str(c.claim["scope_systems"]))
    rows = []
    for name, bucket in c.buckets.items():
        rows.append((BUCKET_LABELS[name].format(means=means), bucket, "bucket"))
        if name == "unattributed":
            rows += [(UNATTRIBUTED_PARTS[part], total, "part") for part, total in c.unattributed_parts.items()]
    figure = c.headline_figure
    label = "Documented in scope (any means)" if c.all_means else "Ceiling: attributed + unattributed"
    rows.append((label, figure, "figure"))
    if figure.inside_period is not None and figure.items_possibly_in_period:
        rows.append(("of it certainly inside the period", figure.inside_period, "inside"))
    return rows


def _buckets_section(c: ClaimComparison) -> str:
    share = "share of claim" if c.measure == "value" else "share of count"
    headers = [("", ""), ("items", "num"), ("costed", "num"), (f"{c.dollar_year} USD", "num"), (share, "num")]
    rows = [
        f'<tr class="{kind}"><th scope="row">{_e(label)}</th>{_cell("items", f"{b.items:,}")}'
        f"{_cell('costed', f'{b.items_costed:,}')}{_cell(f'{c.dollar_year} USD', _stacked(_value(b)))}"
        f"{_cell(share, _stacked(format_share(b.share_of_claim)))}</tr>"
        for label, b, kind in bucket_rows(c)
    ]
    figure = c.headline_figure
    notes = []
    if figure.items_possibly_in_period:
        period = _period(str(c.claim["period_start"]), c.claim.get("period_end"))
        notes.append(
            f"{figure.items_possibly_in_period:,} of these items are dated only to a span of days (a month, the "
            f"whole war), so they are only possibly inside {period}."
        )
    if c.measure == "value":
        notes.append(
            f"Values in {c.dollar_year} US dollars: central (low–high). Shares are taken in the claim's own "
            f"({c.claim_dollar_year}) dollars."
        )
    note = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    return (
        f'<section id="figures"><h2>Documented losses in scope</h2>{_table(headers, rows, "cards c4")}{note}</section>'
    )


def _leaves_out_section(c: ClaimComparison) -> str:
    figure_name = "documented total" if c.all_means else "ceiling"
    parts = [
        f'<section id="leaves-out"><h2>The {figure_name} and what it leaves out</h2>',
        "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in c.caveats) + "</ul>",
    ]
    be = c.break_even
    if be is not None:
        facts = [("Set against", "the documented total" if be.figure == "documented" else "the ceiling")]
        if be.reached:
            facts.append(("Claim reached", "yes: the figure reaches the claimed amount"))
        elif c.measure == "value":
            facts.append(("Remaining to reach the claim", format_range(be.remainder_usd, "—")))
            facts.append(("Uncosted items in the figure", f"{be.uncosted_items:,}"))
            if be.per_uncosted_item_usd is not None:
                facts.append(("Each would have to be worth, on average", format_range(be.per_uncosted_item_usd)))
        elif be.remainder_items is not None:
            facts.append(("Items still needed to reach the claim", f"{be.remainder_items:,}"))
        if be.uncounted_categories:
            n = len(be.uncounted_categories)
            facts.append(
                ("Categories with no documented counts", f"{n} (listed under Coverage below); they could hold it too")
            )
        rows = "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in facts)
        parts.append(f'<h3>Break-even</h3><dl class="facts">{rows}</dl>')
    cov = c.coverage
    parts.append(
        '<p class="note">'
        + _e(
            f"Coverage ({c.claim['scope_side']}): counted by a tally: {', '.join(cov.counted) or 'none'}; "
            f"individual reports only: {', '.join(cov.reports_only) or 'none'}; no documented counts "
            f"({len(cov.no_documented_counts)}): {', '.join(cov.no_documented_counts) or 'none'}."
        )
        + "</p>"
    )
    if c.uncosted:
        rows_html = []
        for u in c.uncosted:
            loss = u.example_loss_id if u.losses == 1 else f"{u.losses:,} losses"
            what = f"{u.category} / {u.model}" if u.model else u.category
            rows_html.append(
                f'<tr><th scope="row"><code class="id">{_e(loss)}</code></th>'
                f"{_cell('category / model', _e(what), 'wrap')}"
                f"{_cell('items', f'{u.items:,}')}{_cell('why', f'{_e(u.reason)} ({_e(u.bucket)})', 'span2')}</tr>"
            )
        parts.append("<h3>Uncosted items in scope (left out of dollar totals, never valued at zero)</h3>")
        headers = [("loss", ""), ("category / model", ""), ("items", "num"), ("why", "")]
        parts.append(_table(headers, rows_html, "cards c3"))
    parts.append("<h3>Every loss attributed to the claimed means</h3>")
    if c.scope_attributions:
        rows_html = [
            f'<tr><th scope="row"><code class="id">{_e(a.loss_id)}</code></th>'
            f"{_cell('system (confidence)', f'{_e(a.system)} ({_e(a.confidence)})', '')}"
            f"{_cell('status', _e(a.status), '')}{_cell('items', f'{a.items:,}')}"
            f"{_cell('counted', 'yes' if a.counted else _e('no: ' + (a.why_not_counted or '')), 'wrap')}"
            f"{_cell('source', _link(a.source_url, 'source'), 'wrap')}</tr>"
            for a in c.scope_attributions
        ]
        headers = [("loss", ""), ("system (confidence)", ""), ("status", ""), ("items", "num"), ("counted", "")]
        parts.append(_table([*headers, ("source", "")], rows_html, "cards c3"))
    else:
        parts.append("<p>No loss in the ledger is attributed to the claimed means at any confidence.</p>")
    parts.append("</section>")
    return "".join(parts)


# --- the chart -----------------------------------------------------------------------------------------------------


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals up to ``top``."""
    raw = top / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _tick_label(value: float, measure: str) -> str:
    if measure != "value":
        return f"{value:,.0f}"
    return format_usd(value).replace(".0M", "M").replace(".0bn", "bn").replace(".0k", "k")


def _pct(value: float, top: float) -> str:
    """Where a value sits across the chart, in % of its width (1% margin each side, so end caps stay visible)."""
    return f"{1 + 97 * max(value, 0.0) / top:.3f}%"


def chart_svg(c: ClaimComparison) -> str:
    """The buckets, the headline figure and the claim as horizontal bars (inline SVG, no script).

    Dollar claims: central values with low–high whiskers. Count claims: items. Shapes are placed in % of the
    width and text in pixels, so the chart fills any screen and its text stays readable.
    """
    value = c.measure == "value"
    amount = float(c.claim["amount"])
    means = means_label(str(c.claim["scope_systems"]))
    rows: list[tuple[str, BucketTotal | None, str]] = [
        (BUCKET_LABELS[name].format(means=means), bucket, name) for name, bucket in c.buckets.items()
    ]
    figure = c.headline_figure
    name = "documented total" if c.all_means else "ceiling"
    label = "Documented in scope (any means)" if c.all_means else "Ceiling: attributed + unattributed"
    rows.append((label, figure, "figure"))
    if figure.inside_period is not None and figure.items_possibly_in_period:
        rows.append((f"Of the {name}, certainly inside the period", figure.inside_period, "inside"))
    rows.append((f"Claimed ({c.claim['bound']})", None, "claim"))

    def extent(total: BucketTotal) -> float:
        if not value:
            return float(total.items)
        return total.value.high if total.items_costed else 0.0

    top = max([amount, *(extent(t) for _, t, _ in rows if t is not None)]) or 1.0
    step = _nice_step(top)
    top = max(top, step)
    parts: list[str] = []
    y = 8
    for label, total, kind in rows:
        if total is None:
            details = [f"{_amount(c)}, {c.claim['claimant']}"]
        elif value:
            costed = f"{total.items_costed:,} of {_items(total.items)} costed"
            worth = _value(total) if total.items_costed else "no costed value"
            details = [f"{worth} · {costed}", f"{format_share(total.share_of_claim) or '—'} of the claim"]
        else:
            details = [f"{_items(total.items)} · {format_share(total.share_of_claim)} of the claim"]
        detail = "; ".join(details)
        lines = textwrap.wrap(label, 40) or [""]
        for line in lines:
            y += 19
            parts.append(f'<text x="0" y="{y}" class="label">{_e(line)}</text>')
        y += 7
        bar_top = y
        colour = COLOURS.get(kind, COLOURS["figure"])
        central = amount if total is None else (total.value.central if value else float(total.items))
        shown = total is None or not value or total.items_costed > 0
        if shown and central > 0:
            width = f"{97 * central / top:.3f}%"
            parts.append(
                f'<rect x="1%" y="{bar_top}" width="{width}" height="18" fill="{colour}" rx="2">'
                f"<title>{_e(label)}: {_e(detail)}</title></rect>"
            )
        else:
            parts.append(f'<line x1="1%" x2="1%" y1="{bar_top}" y2="{bar_top + 18}" class="zero"/>')
        if value and total is not None and total.items_costed and not total.value.is_point:
            low, high, mid = _pct(total.value.low, top), _pct(total.value.high, top), bar_top + 9
            parts.append(
                f'<g class="whisker"><line x1="{low}" x2="{high}" y1="{mid}" y2="{mid}"/>'
                f'<line x1="{low}" x2="{low}" y1="{mid - 6}" y2="{mid + 6}"/>'
                f'<line x1="{high}" x2="{high}" y1="{mid - 6}" y2="{mid + 6}"/></g>'
            )
        y = bar_top + 18
        for line in [wrapped for text in details for wrapped in textwrap.wrap(text, 52)]:
            y += 17
            parts.append(f'<text x="0" y="{y}" class="detail">{_e(line)}</text>')
        y += 14
    axis_top = 8
    axis_bottom = y
    grid = []
    tick = 0.0
    while tick <= top + step * 1e-9:
        x = _pct(tick, top)
        anchor = "start" if tick == 0 else "end" if 97 * tick / top > 90 else "middle"
        grid.append(f'<line x1="{x}" x2="{x}" y1="{axis_top}" y2="{axis_bottom}" class="grid"/>')
        label_text = _e(_tick_label(tick, c.measure))
        grid.append(f'<text x="{x}" y="{axis_bottom + 16}" text-anchor="{anchor}" class="tick">{label_text}</text>')
        tick += step
    claim_x = _pct(amount, top)
    claim_line = f'<line x1="{claim_x}" x2="{claim_x}" y1="{axis_top}" y2="{axis_bottom}" class="claimline"/>'
    height = axis_bottom + 24
    what = "value" if value else "items"
    description = (
        f"Horizontal bars: the documented {what} in each bucket of claim {c.claim['claim_id']}, the "
        f"{'documented total' if c.all_means else 'ceiling'}, and the claim ({_amount(c)})."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" height="{height}" role="img" '
        f'aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">{_e(c.claim["claim_id"])}: documented losses against the claim</title>'
        f'<desc id="chart-desc">{_e(description)}</desc>'
        f"{''.join(grid)}{''.join(parts)}{claim_line}</svg>"
    )


def _chart_section(c: ClaimComparison) -> str:
    if c.measure == "value":
        caption = (
            f"Bars: central value in {c.dollar_year} US dollars; whiskers: low–high range of the price "
            "observations; dashed line: the claim. Uncosted items add nothing to a bar: they are not valued at zero, "
            "they are unknown."
        )
    else:
        caption = "Bars: documented items; dashed line: the count claimed."
    return (
        '<section id="chart"><h2>The figures against the claim</h2>'
        f"<figure>{chart_svg(c)}<figcaption>{_e(caption)}</figcaption></figure></section>"
    )


# --- assumptions, sensitivity, consistency -----------------------------------------------------------------------


def _assumptions_section(c: ClaimComparison) -> str:
    a = c.assumptions
    prices = (
        f"the {a.price_extreme} unit value any choice of observations gives"
        if a.price_extreme
        else f"{', '.join(a.applicability)} observations (low = lowest, high = highest, central = median of "
        "midpoints), CPI-U adjusted"
    )
    facts = [
        ("Dollar year", f"{c.dollar_year} (the claim's own: {c.claim_dollar_year})"),
        ("Prices", prices),
        ("Damaged items", f"{a.damaged_weight:.0%} of full value"),
        ("Attributions to the claim's means count at confidence", ", ".join(a.attributed_confidences)),
        ("Attributions elsewhere take a loss out of the ceiling at", ", ".join(a.excluding_confidences)),
        ("Losses only possibly inside the period", "included" if a.include_possibly_in_period else "excluded"),
    ]
    rows = "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in facts)
    extra = ""
    if c.cost_assumptions:
        extra += "<h3>Cost assumptions used</h3><ul>" + "".join(f"<li>{_e(t)}</li>" for t in c.cost_assumptions)
        extra += "</ul>"
    if c.unusable_observations:
        listed = "".join(
            f"<li><code>{_e(u.obs_id)}</code> ({_e(u.cost_key)}): {_e(u.reason)}</li>" for u in c.unusable_observations
        )
        extra += f"<h3>Price observations not used, for keys in scope</h3><ul>{listed}</ul>"
    return f'<section id="assumptions"><h2>Assumptions</h2><dl class="facts">{rows}</dl>{extra}</section>'


def _figure_cell(label: str, total: BucketTotal, measure: str) -> str:
    lines = [_nowrap(_items(total.items))]
    if measure == "value":
        lines.append(_stacked(_value(total)))
    lines.append(f"<strong>{_stacked(format_share(total.share_of_claim))}</strong>")
    return _cell(label, " ".join(f'<span class="ln">{line}</span>' for line in lines))


def _sensitivity_section(s: Sensitivity) -> str:
    rows = []
    for r in s.rows:
        label = r.label if r.group == "default" else f"{r.group}: {r.label}"
        kind = "key" if r.group == "default" or r.group.endswith("case for the claim") else ""
        rows.append(
            f'<tr class="{kind}"><th scope="row">{_e(label)}</th>'
            f"{_figure_cell('documented', r.documented, s.measure)}{_figure_cell('ceiling', r.ceiling, s.measure)}</tr>"
        )
    headers = [("scenario", ""), ("documented", "num"), ("ceiling", "num")]
    note = (
        "Each scenario changes one assumption from the defaults; the best and worst cases change them all at once. "
        "Values are in each scenario's dollar year; shares are taken in the claim's own dollars, so the dollar year "
        "never moves them. The worst case is at most, and the best case at least, every other scenario."
    )
    return (
        '<section id="sensitivity"><h2>Sensitivity: the same claim under other assumptions</h2>'
        f'{_table(headers, rows, "cards c2")}<p class="note">{_e(note)}</p></section>'
    )


def _consistency_group(group: ConsistencyGroup, c: ClaimComparison, year: int) -> str:
    claim_id = str(c.claim["claim_id"])
    when = _day(group.claim_date) if group.claim_date else "undated"
    head = f"{group.claimant}, {when} ({group.outlet or 'outlet not stated'}), losses of {group.side}"
    rows = []
    for line in group.claims:
        mine = ' class="this-claim"' if line.claim_id == claim_id else ""
        implied = _stacked(_money(line.implied_usd)) if line.implied_usd else _e(line.uncosted_reason or "")
        rows.append(
            f'<tr{mine}><th scope="row">{_e(f"{line.count:,.0f} {line.equipment}")} '
            f'<span class="muted">({_e(line.statuses.replace("|", " or "))})</span><br>'
            f'<code class="small">{_e(line.claim_id)}</code></th>'
            f"{_cell('priced as', _e(line.cost_key or '—'), '')}"
            f"{_cell(f'unit, {year} USD', _stacked(_money(line.unit_usd)))}{_cell('implied value', implied)}</tr>"
        )
    headers = [("claimed", ""), ("priced as", ""), (f"unit, {year} USD", "num"), ("implied value", "num")]
    parts = [
        f"<h3>{_e(head)}</h3>",
        _table(headers, rows, "stack cards c3"),
        f'<p class="note">{_e(f"Implied by the {group.costed_claims} costed claim(s): {_money(group.implied_usd)}")}'
        f"{_e(f'; {group.uncosted_claims} uncosted.')}</p>",
    ]
    if c.measure == "value":
        against = [a for a in group.against if a.claim_id == claim_id]
        title = "Against this claim"
    else:  # a count claim: how its own group compares with the side's dollar claims
        against = group.against if any(line.claim_id == claim_id for line in group.claims) else []
        title = "Against the dollar claims about the same side's losses"
    items = []
    for a in against:
        what = (
            f"{a.claim_id} {format_usd(a.amount)} ({a.bound}, {a.statuses.replace('|', ' or ')}, "
            f"{_period(a.period_start, a.period_end)})"
        )
        if a.matched:
            share = f" = {format_share(a.implied_share)} of it" if a.implied_share is not None else ", none costed"
            priced = _money(a.implied_usd) if a.implied_usd else "none priced"
            text = (
                f"{what}: {len(a.matched)} of {len(group.claims)} count claims are like it "
                f"({', '.join(a.matched)}): {priced}{share}"
            )
        else:
            text = f"{what}: not comparable"
        items.append(f"<li>{_e(text)}{_unmatched(a.unmatched)}</li>")
    if items:
        parts.append(f'<p class="sub">{title}</p><ul>{"".join(items)}</ul>')
    return "".join(parts)


def _unmatched(unmatched: dict[str, str]) -> str:
    """Why count claims are not like a dollar claim: one line per reason, the claims' ids folded under it."""
    if not unmatched:
        return ""
    by_reason: dict[str, list[str]] = {}
    for claim_id, why in unmatched.items():
        by_reason.setdefault(why, []).append(claim_id)
    lines = []
    for why, ids in by_reason.items():
        listed = ", ".join(f"<code>{_e(i)}</code>" for i in ids)
        if len(ids) == 1:
            lines.append(f"<li>{listed}: {_e(why)}</li>")
        else:
            lines.append(f"<li>{_e(why)}: <details><summary>{len(ids)} count claims</summary>{listed}</details></li>")
    return f'<ul class="reasons">{"".join(lines)}</ul>'


def _consistency_section(c: ClaimComparison, consistency: Consistency) -> str:
    side = c.claim["scope_side"]
    intro = (
        f"Count claims about {side}'s losses, priced at the ledger's unit costs ({consistency.dollar_year} USD), "
        "and which of them are like this claim (statuses, period, means and equipment within its own)."
    )
    body = "".join(_consistency_group(g, c, consistency.dollar_year) for g in consistency.groups)
    if not body:
        body = f"<p>The ledger has no count claims about {_e(side)}'s losses.</p>"
    notes = "".join(f'<p class="note">Note: {_e(n)}.</p>' for n in consistency.notes)
    return (
        f'<section id="consistency"><h2>Consistency with the count claims</h2><p>{_e(intro)}</p>{body}{notes}</section>'
    )


# --- rows and sources ------------------------------------------------------------------------------------------


def _prices_cell(observations: list[ObservationUsed], basis: str, assumption: str | None, reason: str | None) -> str:
    if not observations:
        return _e(reason or "—")
    links = ", ".join(_link(o.source_url, o.obs_id) for o in observations)
    if assumption:
        links += f' <span class="muted">[{_e(basis)}]</span>'
    return links


def _trace_table(c: ClaimComparison, bucket: str, trace: Trace, sources: dict[str, LossSource]) -> str:
    means = means_label(str(c.claim["scope_systems"]))
    label = BUCKET_LABELS[bucket].format(means=means)
    costed = any(r.value_usd is not None for r in trace.rows)
    total = format_range(trace.value) if costed else "none costed"
    head = f"<h3>{_e(label)}: {_items(trace.items)}, {_e(total)} ({trace.dollar_year} USD)</h3>"
    if not trace.rows:
        return head + "<p>No loss in this figure.</p>"
    rows = []
    for r in trace.rows:
        system = r.system if r.confidence is None else f"{r.system} ({r.confidence})"
        what = f"{r.category} / {r.model or '—'} · {r.status} · {system}"
        details = []
        if r.period != "in":
            details.append(f"{r.period} in the claim's period")
        if r.date_as_reported:
            details.append(f"dated: {r.date_as_reported}")
        source = sources.get(r.loss_id)
        if source is not None and source.notes:
            details.append(source.notes)
        extra = "".join(f'<br><span class="muted small">{_linked(d)}</span>' for d in details)
        publisher = source.source_name if source is not None and source.source_name else "source"
        prices = _prices_cell(r.observations, r.cost_basis, r.cost_assumption, r.uncosted_reason)
        rows.append(
            f'<tr><th scope="row"><code class="id" id="loss-{_e(r.loss_id)}">{_e(r.loss_id)}</code><br>'
            f"{_e(what)}{extra}</th>{_cell('items', f'{r.items:,}')}"
            f"{_cell('unit value', _stacked(_money(r.unit_usd)))}{_cell('value', _stacked(_money(r.value_usd)))}"
            f"{_cell('prices used', prices, 'wrap')}"
            f"{_cell('source', _link(r.source_url, publisher), 'wrap')}</tr>"
        )
    headers = [
        ("loss: what (status · system recorded)", ""),
        ("items", "num"),
        ("unit value", "num"),
        ("value", "num"),
        ("prices used", ""),
        ("source", ""),
    ]
    loss_links = "".join(
        f'<li><code>{_e(r.loss_id)}</code>: <span class="url">{_link(r.source_url)}</span></li>' for r in trace.rows
    )
    observations = {o.obs_id: o for r in trace.rows for o in r.observations}
    price_links = "".join(
        f"<li><code>{_e(obs_id)}</code>"
        + (f" ({_e(o.applicability)})" if o.applicability else "")
        + f': <span class="url">{_link(o.source_url) if o.source_url else "no link"}</span></li>'
        for obs_id, o in sorted(observations.items())
    )
    lists = f'<p class="sub">Sources of the losses</p><ul class="urls">{loss_links}</ul>'
    if price_links:
        lists += f'<p class="sub">Sources of the prices</p><ul class="urls">{price_links}</ul>'
    return head + _table(headers, rows, "stack cards c3") + lists


def _rows_section(c: ClaimComparison, report: ClaimReport) -> str:
    intro = (
        "Every loss behind each figure above, with the price observations used and the source of each. Values are "
        f"in {c.dollar_year} US dollars: central (low–high)."
    )
    tables = "".join(
        _trace_table(c, bucket, report.traces[bucket], report.sources)
        for bucket in TRACED_BUCKETS
        if bucket in report.traces
    )
    return f'<section id="rows"><h2>The rows behind every figure</h2><p>{_e(intro)}</p>{tables}</section>'


def _searched_section(c: ClaimComparison) -> str:
    parts = ['<section id="searched"><h2>Scope and what was searched</h2>']
    claim = c.claim
    if claim.get("scope_note"):
        parts.append(f"<p><strong>Scope note.</strong> {_e(claim['scope_note'])}.</p>")
    if claim.get("notes"):
        parts.append(f"<p><strong>Notes on the claim.</strong> {_linked(claim['notes'])}</p>")
    if c.evidence_searched:
        parts.append("<p>What was searched, so that “0 attributed” is not read as “not collected”:</p><ul>")
        for e in c.evidence_searched:
            line = f"<strong>{_e(e.source)}</strong>: {_e(e.result)}."
            if e.can_show:
                line += f" <em>Can show:</em> {_e(e.can_show)}."
            if e.cannot_show:
                line += f" <em>Cannot show:</em> {_e(e.cannot_show)}."
            if e.source_url:
                line += f' <span class="url">{_link(e.source_url)}</span>'
            parts.append(f"<li>{line}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>The ledger records no searches for this claim's evidence.</p>")
    parts.append("</section>")
    return "".join(parts)


# --- style -------------------------------------------------------------------------------------------------------

_CSS = """
:root{--ink:#1f2328;--muted:#5a636e;--rule:#d5dbe1;--soft:#f5f7f9;--accent:#34495e;--link:#0b5394;
--verdict:#fbf7ee;--verdict-rule:#b9852b}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Noto Sans",sans-serif}
main,footer{max-width:62rem;margin:0 auto;padding:0 1.5rem}
main{padding-top:1.25rem}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .75rem;font-weight:650}
h2{font-size:1.25rem;margin:2.25rem 0 .75rem;padding-top:1rem;border-top:1px solid var(--rule);font-weight:650}
h3{font-size:1.02rem;margin:1.5rem 0 .5rem;font-weight:650}
p{margin:.5rem 0}
a{color:var(--link);text-decoration-thickness:1px;text-underline-offset:2px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em}
.claimid{display:block;font:600 .8rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);
letter-spacing:.02em;margin-bottom:.25rem;overflow-wrap:anywhere}
nav .kicker{margin:0;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.08em}
nav ul{list-style:none;margin:.35rem 0 1rem;padding:0;display:flex;flex-wrap:wrap;gap:.15rem .9rem;font-size:.88rem}
blockquote{margin:.75rem 0;padding:.25rem 0 .25rem 1rem;border-left:3px solid var(--rule);color:#39424c;
font-style:italic;font-size:1.05rem}
dl.facts{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.2rem 1rem;margin:.75rem 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;min-width:0;overflow-wrap:anywhere}
.verdict{margin:1.5rem 0;padding:1rem 1.25rem;background:var(--verdict);border:1px solid #eadfc6;
border-left:5px solid var(--verdict-rule);border-radius:4px}
.verdict h2{margin:0 0 .5rem;padding:0;border:0;font-size:.85rem;text-transform:uppercase;letter-spacing:.08em;
color:#7a5a1d}
.verdict p{font-size:1.06rem;margin:.55rem 0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5rem 0;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.92rem;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);font-size:.85rem;padding-bottom:.25rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{font-weight:600;color:var(--muted);border-bottom:2px solid #b8c1ca;white-space:nowrap}
tbody th{font-weight:normal}
.num{text-align:right;white-space:nowrap}
tr.part th{padding-left:1.6rem;color:var(--muted)}
tr.part td{color:var(--muted)}
tr.figure th,tr.figure td{font-weight:650;border-top:2px solid #b8c1ca}
tr.inside th{padding-left:1.6rem}
tr.inside th,tr.inside td{font-weight:600}
tr.key th,tr.key td{background:var(--soft);font-weight:600}
tr.this-claim td{background:var(--verdict)}
.nw{white-space:nowrap}
.ln{display:block}
td.wrap{overflow-wrap:anywhere;min-width:8.5rem}
table.stack .rng{display:block}
code.id{white-space:nowrap;font-weight:600}
details{margin:.1rem 0 .3rem}
summary{cursor:pointer;color:var(--link)}
details code{display:inline-block;margin-right:.4rem}
.muted{color:var(--muted)}
.small{font-size:.85em}
.note{color:var(--muted);font-size:.9rem}
.sub{font-weight:600;margin:.9rem 0 .25rem;font-size:.92rem}
ul{padding-left:1.3rem}
li{margin:.2rem 0}
ul.urls{font-size:.88rem}
.url,ul.urls{overflow-wrap:anywhere;word-break:break-word}
ul.reasons{font-size:.9rem;color:var(--muted)}
figure{margin:.75rem 0}
figcaption{color:var(--muted);font-size:.88rem;margin-top:.25rem}
svg.chart{display:block;overflow:visible}
svg.chart .label{font-size:15px;fill:var(--ink);font-weight:600}
svg.chart .detail{font-size:13px;fill:var(--muted)}
svg.chart .tick{font-size:12px;fill:var(--muted)}
svg.chart .grid{stroke:#e3e7eb;stroke-width:1}
svg.chart .zero{stroke:#9aa3ad;stroke-width:2}
svg.chart .whisker line{stroke:#1f2328;stroke-width:1.6}
svg.chart .claimline{stroke:#c07a12;stroke-width:2;stroke-dasharray:6 4}
footer{margin-top:2.5rem;padding-bottom:2rem;color:var(--muted);font-size:.85rem}
footer p{border-top:1px solid var(--rule);padding-top:1rem;margin:0}
footer code{overflow-wrap:anywhere}
@media (max-width:640px){
body{font-size:15px}
main,footer{padding-left:.9rem;padding-right:.9rem}
h1{font-size:1.3rem}
dl.facts{grid-template-columns:1fr;gap:0}
dl.facts dd{margin-bottom:.4rem}
.verdict{padding:.8rem .9rem}
th,td{padding:.35rem .45rem}
.rng{display:block}
table.cards,table.cards tbody{display:block}
table.cards thead{display:none}
table.cards tr{display:grid;column-gap:.6rem;padding:.45rem 0;border-bottom:1px solid var(--rule);font-size:.9rem}
table.cards.c4 tr{grid-template-columns:3.2rem 3.6rem minmax(0,1fr) minmax(0,1fr)}
table.cards.c2 tr{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
table.cards.c3 tr{grid-template-columns:minmax(0,.8fr) minmax(0,1.1fr) minmax(0,1.1fr);row-gap:.35rem}
table.cards td.wrap{grid-column:1/-1;min-width:0}
table.cards td.span2{grid-column:span 2}
table.cards th[scope=row]{grid-column:1/-1;border:0;padding:0 0 .2rem}
table.cards td{border:0;padding:0;text-align:left;overflow-wrap:anywhere}
table.cards td::before{content:attr(data-label);display:block;font-size:.75rem;color:var(--muted);font-weight:400}
table.cards tr.figure{border-top:2px solid #b8c1ca}
table.cards tr.key{background:var(--soft)}
table.cards tr.key th,table.cards tr.key td{background:transparent}
table.cards tr.figure th,table.cards tr.figure td{border-top:0}
table.cards tr.part th,table.cards tr.inside th{padding-left:1.2rem}
}
@media print{nav{display:none}.scroll{overflow:visible}h2{break-after:avoid}tr{break-inside:avoid}}
"""
