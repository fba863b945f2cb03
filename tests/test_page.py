"""The report page: what it shows (as the terminal shows it), that it loads nothing, that the ledger's text is
escaped, and that it is written atomically and never over an existing file without --force."""

from __future__ import annotations

import csv
import datetime as dt
import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI
from test_cli import _python, invoke

from drone_ledger import build_report, report_html, write_report
from drone_ledger import page as report_module
from drone_ledger.analysis import sensitivity, trace_claim
from drone_ledger.claims import compare_claim
from drone_ledger.errors import LedgerWriteError, ReportError
from drone_ledger.formatting import format_range, format_share, format_total
from drone_ledger.results.claims import ClaimReport, bucket_rows

#: The module builds the mini ledger's and the bundled ledger's pages once (module fixtures): keep it on one worker.
pytestmark = pytest.mark.xdist_group("report-pages")

DAY = "2026-01-02"
#: Every element the page is made of; anything else would have come from the data.
PAGE_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "main", "nav", "header", "section", "footer", "div"),
    *("h1", "h2", "h3", "p", "ul", "li", "dl", "dt", "dd", "blockquote", "a", "span", "code", "strong", "em", "br"),
    *("table", "thead", "tbody", "tr", "th", "td", "details", "summary", "figure", "figcaption"),
    *("svg", "title", "desc", "g", "rect", "line", "text", "polygon", "polyline"),
}


class Page(HTMLParser):
    """The parts of a page the tests read: tags, links, sections' text and tables' cells."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.section_text: dict[str, list[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._sections: list[str] = []
        self._depth: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        if tag == "section":
            self._sections.append(str(found.get("id")))
            self.section_text.setdefault(self._sections[-1], [])
        if tag == "tr":
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self._sections:
            self._sections.pop()
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        if tag == "tr" and self._row is not None and self._sections:
            self.tables.setdefault(self._sections[-1], []).append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._sections:
            self.section_text[self._sections[-1]].append(data)
        if self._cell is not None:
            self._cell.append(data)

    def text(self, section: str) -> str:
        return re.sub(r"\s+", " ", "".join(self.section_text[section]))


@pytest.fixture(scope="module")
def c1_report() -> ClaimReport:
    return build_report(MINI, "C1")


@pytest.fixture(scope="module")
def c1_page(c1_report: ClaimReport) -> str:
    return report_html(c1_report, DAY)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch, c1_report: ClaimReport) -> ClaimReport:
    """write_report builds the mini ledger's C1 report from the cache (the writing is what is tested)."""
    monkeypatch.setattr(report_module, "build_report", lambda *args, **kwargs: c1_report)
    return c1_report


@pytest.fixture(scope="module")
def f24_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled ledger's F24 page, written once."""
    return write_report(None, tmp_path_factory.mktemp("f24") / "f24.html", generated=DAY)


def test_the_page_shows_the_claim_then_the_verdict_then_the_rest_in_order(c1_page: str) -> None:
    order = [
        '<header class="claim"',
        'id="verdict"',
        'id="figures"',
        'id="leaves-out"',
        'id="chart"',
        'id="assumptions"',
        'id="sensitivity"',
        'id="consistency"',
        'id="rows"',
        'id="searched"',
        "<footer>",
    ]
    positions = [c1_page.index(marker) for marker in order]
    assert positions == sorted(positions)
    header = c1_page[: c1_page.index('id="verdict"')]
    for shown in ("C1", "Someone", "1 Apr 2020", "TV", "Turkish drones destroyed $10,000", "https://example.org/c1"):
        assert html.escape(shown) in header


def test_the_verdict_is_the_terminal_verdict_in_a_box(c1_page: str) -> None:
    comparison = compare_claim(MINI, "C1")
    verdict = Page(c1_page).text("verdict")
    assert verdict.startswith("Verdict")
    assert len(comparison.verdict) == 3
    for sentence in comparison.verdict:
        assert sentence in verdict


def test_every_bucket_figure_is_formatted_as_the_terminal_formats_it(c1_page: str) -> None:
    comparison = compare_claim(MINI, "C1")
    expected = [
        [label, f"{b.items:,}", f"{b.items_costed:,}", format_total(b), format_share(b.share_of_claim)]
        for label, b, _ in bucket_rows(comparison)
    ]
    shown = Page(c1_page).tables["figures"][1:]  # after the header row
    assert shown == expected
    # By hand, from the mini ledger: the unattributed parts and the part certainly inside the period are there.
    assert ["no attribution at all", "7", "4", "$720 ($440–$1.2k)", "7.2% (4.4%–12.0%)"] in shown
    assert ["Ceiling: attributed + unattributed", "10", "7", "$1.3k ($770–$2.1k)", "12.6% (7.7%–21.0%)"] in shown
    assert ["of it certainly inside the period", "6", "3", "$540 ($330–$900)", "5.4% (3.3%–9.0%)"] in shown


def test_the_ceiling_section_has_every_caveat_and_the_break_even(c1_page: str) -> None:
    comparison = compare_claim(MINI, "C1")
    text = Page(c1_page).text("leaves-out")
    for caveat in comparison.caveats:
        assert caveat in text
    be = comparison.break_even
    assert be is not None and be.remainder_usd is not None and be.uncosted_by_category
    assert format_range(be.remainder_usd) in text
    for group in be.uncosted_by_category:  # each route apart, never an average over a mix
        assert f"{group.category}: {group.items:,} uncosted, each alone{format_range(group.per_item_usd)}" in text
    assert "L6" in text and "no: status 'damaged' is outside the claim's scope (destroyed)" in text


def test_the_sensitivity_table_has_every_scenario(c1_page: str) -> None:
    grid = sensitivity(MINI, "C1")
    rows = Page(c1_page).tables["sensitivity"][1:]
    assert len(rows) == len(grid.rows)
    for shown, scenario in zip(rows, grid.rows, strict=True):
        label = scenario.label if scenario.group == "default" else f"{scenario.group}: {scenario.label}"
        assert shown[0] == label
        for cell, total in zip(shown[1:], (scenario.documented, scenario.ceiling), strict=True):
            value = format_range(total.value) if total.items_costed else "—"
            assert cell == f"{total.items:,} items {value} {format_share(total.share_of_claim)}"


def test_every_row_behind_a_figure_is_listed_with_links_to_its_sources(c1_page: str) -> None:
    page = Page(c1_page)
    rows = page.text("rows")
    seen = 0
    for bucket in ("attributed", "other", "unattributed"):
        for row in trace_claim(MINI, "C1", bucket).rows:
            seen += 1
            assert row.loss_id in rows
            assert row.source_url in page.hrefs
            assert all(o.source_url in page.hrefs for o in row.observations if o.source_url)
    assert seen == 5  # L1; L2; L3, L4, L8 (the L5 and L6 attributions count in no bucket: listed above)
    assert "https://example.org/o1" in page.hrefs and "https://example.org/o2" in page.hrefs


def test_consistency_shows_the_count_claims_about_the_claims_side(c1_page: str) -> None:
    text = Page(c1_page).text("consistency")
    assert "losses of A" in text
    assert "10 tanks" in text and "4 S-300" in text
    assert "C1 $10.0k (point, destroyed, 1 Mar – 31 Mar 2020): not comparable" in text


def test_the_page_loads_nothing_and_runs_nothing(c1_page: str) -> None:
    lowered = c1_page.lower()
    for forbidden in ("<script", 'src="http', "src=", "@import", "url(", "<link", "<iframe", "<img", "<object"):
        assert forbidden not in lowered, forbidden
    assert "default-src 'none'" in c1_page  # and a browser would refuse any that slipped in
    page = Page(c1_page)
    assert set(page.tags) <= PAGE_TAGS
    assert not [a for a in page.attributes if a[1].startswith("on")]
    assert all(h.startswith(("https://", "http://", "#")) for h in page.hrefs)
    assert '{"' not in c1_page  # no JSON blob: the page is the report, not a data dump


def test_the_chart_is_inline_svg_with_error_bars_and_the_claim(c1_page: str) -> None:
    chart = c1_page[c1_page.index('id="chart"') : c1_page.index('id="assumptions"')]
    assert chart.count("<svg") == 1
    assert chart.count("<rect") == 6  # attributed, other, unattributed, ceiling, inside the period, the claim
    assert chart.count('class="whisker"') == 5  # every costed range; the claim is one figure
    assert 'class="claimline"' in chart
    assert "$10k</text>" in chart  # the axis reaches the claim
    text = re.sub(r"<[^>]+>", " ", chart)
    assert "$1.3k ($770–$2.1k) · 7 of 10 items costed" in html.unescape(text)


def test_a_count_claim_charts_items(tmp_path: Path) -> None:
    page = report_html(build_report(MINI, "C3"), DAY)
    chart = page[page.index('id="chart"') : page.index('id="assumptions"')]
    assert 'class="whisker"' not in chart
    assert "items · " in chart and "share of count" in page
    assert "Bars: documented items" in chart


def test_the_page_is_the_same_every_time_apart_from_the_date(c1_report: ClaimReport) -> None:
    report = c1_report
    assert report_html(report, DAY) == report_html(report, dt.date(2026, 1, 2))
    assert f"on {DAY}." in report_html(report, DAY)
    assert f"on {dt.date.today().isoformat()}." in report_html(report)


# --- the ledger's text is untrusted -------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def _rewrite(path: Path, change: Callable[[dict[str, str]], None]) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
        fields = list(rows[0])
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_html_in_the_ledger_comes_out_as_text(mini: Path, tmp_path: Path) -> None:
    def loss(row: dict[str, str]) -> None:
        if row["loss_id"] in ("L3", "L8"):
            row["notes"] = f"note {SCRIPT}"
            row["source_name"] = '<img src=x onerror="alert(2)">'
            row["model"] = row["model"] + "<b>"
            row["date_as_reported"] = "</td></tr></table><script>alert(3)</script>"
        if row["loss_id"] == "L8":
            row["source_url"] = 'https://example.org/l8"><script>alert(4)</script>'

    def claim(row: dict[str, str]) -> None:
        if row["claim_id"] == "C1":
            row["quote"] = f"</blockquote>{SCRIPT}"
            row["claimant"] = "<i>Someone</i>"
            row["notes"] = f"see https://example.org/x?a=1&b=<script> {SCRIPT}"

    _rewrite(mini / "losses.csv", loss)
    _rewrite(mini / "claims.csv", claim)
    out = write_report(mini, tmp_path / "page.html", "C1", generated=DAY)
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # the two notes and the quote
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert 'href="https://example.org/l8&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"' in page
    assert 'href="https://example.org/x?a=1&amp;b="' in page  # a URL in free text is linked up to the markup
    parsed = Page(page)
    assert set(parsed.tags) <= PAGE_TAGS
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    assert "note <script>alert(1)</script>" in parsed.text("rows")  # shown, as text


# --- writing ------------------------------------------------------------------------------------------------------


def test_an_existing_file_is_never_replaced_without_force(tmp_path: Path) -> None:
    target = tmp_path / "f.html"
    original = b"<p>my own page</p>\r\n\x00"
    target.write_bytes(original)
    with pytest.raises(ReportError) as caught:
        write_report(MINI, target, "C1")
    assert caught.value.code == "output-exists" and caught.value.exit_code == 2
    assert str(caught.value) == f"{target} already exists; pass --force to replace it, or choose another name"
    assert target.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.html"]  # no temporary left behind


def test_force_replaces_the_file(tmp_path: Path, built: ClaimReport) -> None:
    target = tmp_path / "f.html"
    target.write_text("old", encoding="utf-8")
    assert write_report(MINI, target, "C1", force=True, generated=DAY) == target
    assert target.read_text(encoding="utf-8") == report_html(built, DAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.html"]


def test_a_file_that_appears_while_the_page_is_made_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: ClaimReport
) -> None:
    target = tmp_path / "f.html"

    def render_and_race(*args: object, **kwargs: object) -> str:
        target.write_text("someone else's", encoding="utf-8")
        return "<!DOCTYPE html>"

    monkeypatch.setattr(report_module, "report_html", render_and_race)
    with pytest.raises(ReportError) as caught:
        write_report(MINI, target, "C1")
    assert caught.value.code == "output-exists"  # checked again just before the write, then atomically
    assert target.read_text(encoding="utf-8") == "someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: ClaimReport
) -> None:
    target = tmp_path / "f.html"
    target.write_text("old", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(LedgerWriteError) as caught:
        write_report(MINI, target, "C1", force=True)
    assert caught.value.code == "disk-full" and caught.value.exit_code == 1
    assert "the disk is full; nothing was written" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.html"]


@pytest.mark.parametrize("force", [False, True])
def test_a_ledgers_own_file_is_refused_even_with_force(mini: Path, tmp_path: Path, force: bool) -> None:
    before = (mini / "losses.csv").read_bytes()
    link = tmp_path / "page.html"
    link.symlink_to(mini / "losses.csv")
    for target in (mini / "losses.csv", link):
        with pytest.raises(ReportError) as caught:
            write_report(mini, target, "C1", force=force)
        assert caught.value.code == "output-is-a-ledger-file"
        assert "--force" in str(caught.value)
    assert (mini / "losses.csv").read_bytes() == before
    assert link.is_symlink()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("missing/f.html", "missing-directory"),
        ("a-directory", "output-is-a-directory"),
        ("f.pdf", "bad-report-suffix"),
        ("f", "bad-report-suffix"),
    ],
)
def test_unusable_paths_are_refused_before_any_work(tmp_path: Path, name: str, code: str) -> None:
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(ReportError) as caught:
        write_report(tmp_path / "no-ledger-here", tmp_path / name, force=True)  # the path is checked first
    assert caught.value.code == code and caught.value.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-directory"]


# --- the command --------------------------------------------------------------------------------------------------


def test_the_command_writes_refuses_and_forces(tmp_path: Path) -> None:
    target = tmp_path / "c1.html"
    code, out, _ = invoke("report", str(target), "--ledger", str(MINI), "--claim", "c1")
    assert (code, out.strip()) == (0, f"wrote {target}")
    first = target.read_bytes()
    assert b"Turkish drones destroyed $10,000" in first
    code, out, err = invoke("report", str(target), "--ledger", str(MINI), "--claim", "C1", columns=200)
    assert code == 2 and out == ""
    assert "output-exists" in err and "already exists; pass --force to replace it" in err
    assert target.read_bytes() == first
    code, _, _ = invoke(
        "report", str(target), "--ledger", str(MINI), "--claim", "C1", "--dollar-year", "2019", "--force"
    )
    assert code == 0 and b"2019 USD" in target.read_bytes()


def test_the_command_exit_codes(tmp_path: Path, with_defect: Callable[[str], Path]) -> None:
    assert invoke("report", str(tmp_path / "x.html"), "--ledger", str(MINI), "--claim", "NOPE")[0] == 2
    assert invoke("report", str(tmp_path / "missing" / "x.html"), "--ledger", str(MINI))[0] == 2
    broken = with_defect("losses_negative_quantity.csv")
    code, _, err = invoke("report", str(tmp_path / "x.html"), "--ledger", str(broken), "--claim", "C1", columns=200)
    assert code == 1 and "invalid-ledger" in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "mini") == []


def test_report_help_does_not_import_pandas() -> None:
    probe = _python(
        "import sys\nfrom drone_ledger.cli import app\n"
        "try:\n    app(['report', '--help'], prog_name='drone-ledger')\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules)\n"
    )
    assert probe.stdout.strip().splitlines()[-1] == "False", probe.stderr


def test_the_bundled_f24_page_has_every_source_as_a_link(f24_html: Path) -> None:
    page = Page(f24_html.read_text(encoding="utf-8"))
    comparison = compare_claim(None)
    assert comparison.claim["source_url"] in page.hrefs
    for bucket in ("attributed", "other", "unattributed"):
        for row in trace_claim(None, bucket=bucket).rows:
            assert row.source_url in page.hrefs
    for note in comparison.evidence_searched:
        assert note.source in page.text("searched")
        assert note.source_url is None or note.source_url in page.hrefs


# --- in a real browser --------------------------------------------------------------------------------------------

CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run does)"
)
HEADLESS = [
    *("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars"),
    *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
]
VERDICT_BOX = (251, 247, 238)  # the verdict's background (--verdict in the page's CSS)
CLAIM_BAR = (192, 122, 18)  # the claim's bar in the chart
CEILING_BAR = (52, 73, 94)  # the ceiling's bar


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [CHROMIUM, *HEADLESS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)


def _screenshot(tmp_path: Path, page: Path, width: int, height: int) -> Any:
    """The page as Chromium draws it, as an RGB array (height × width × 3)."""
    image = pytest.importorskip("PIL.Image")
    numpy = pytest.importorskip("numpy")
    png = tmp_path / f"shot-{width}.png"
    done = _chromium(tmp_path, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri())
    assert png.is_file(), done.stderr[-2000:]
    with image.open(png) as shot:
        return numpy.asarray(shot.convert("RGB"))


def _rows_with(pixels: Any, colour: tuple[int, int, int], wide: int = 1) -> Any:
    """The rows of the image with at least ``wide`` pixels of exactly ``colour``."""
    numpy = pytest.importorskip("numpy")
    return numpy.where((pixels == numpy.array(colour)).all(axis=2).sum(axis=1) >= wide)[0]


@needs_chromium
def test_chromium_reads_the_verdict_the_chart_and_the_links(f24_html: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", f24_html.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = Page(done.stdout)
    comparison = compare_claim(None)
    verdict = dom.text("verdict")
    assert all(sentence in verdict for sentence in comparison.verdict)
    assert "none of the $1.0bn claimed is supported by attributed evidence" in verdict
    chart = done.stdout[done.stdout.index("<svg") : done.stdout.index("</svg>")]
    assert chart.count("<rect") >= 4 and 'class="claimline"' in chart
    for bucket in ("attributed", "other", "unattributed"):
        for row in trace_claim(None, bucket=bucket).rows:
            assert row.source_url in dom.hrefs
            assert all(o.source_url in dom.hrefs for o in row.observations if o.source_url)
    assert comparison.claim["source_url"] in dom.hrefs
    assert "<script" not in done.stdout


@needs_chromium
def test_chromium_draws_the_verdict_first_and_the_chart_at_desktop_width(f24_html: Path, tmp_path: Path) -> None:
    pixels = _screenshot(tmp_path, f24_html, 1200, 5000)
    grey = pixels.mean(axis=2)
    assert grey.std() > 20 and 0.01 < (grey < 200).mean() < 0.5  # not blank, not a smear
    box = _rows_with(pixels, VERDICT_BOX)
    assert len(box) > 150 and box.min() < 1000  # a tall verdict box on the first screen
    inside = grey[box.min() : box.max(), 150:1050]
    assert (inside < 100).sum() > 5_000  # with its text drawn in it
    # The chart's bars are drawn (wider than the dashed line of the claim that crosses the chart).
    claim_bar, ceiling_bar = _rows_with(pixels, CLAIM_BAR, 500), _rows_with(pixels, CEILING_BAR, 60)
    assert len(claim_bar) >= 15 and len(ceiling_bar) >= 15
    assert box.max() < ceiling_bar.min() < claim_bar.min()  # verdict, then the chart: ceiling above the claim


@needs_chromium
def test_chromium_draws_the_verdict_on_a_phone_sized_screen(f24_html: Path, tmp_path: Path) -> None:
    pixels = _screenshot(tmp_path, f24_html, 420, 2000)
    box = _rows_with(pixels, VERDICT_BOX)
    assert len(box) > 300  # the verdict wraps to a tall box, but is on the first two screens
    columns = (pixels[box.min() : box.max()] == VERDICT_BOX).all(axis=2).any(axis=0).nonzero()[0]
    assert columns.min() >= 10 and columns.max() <= 410  # inside the screen, with a margin


# --- on a phone and on a laptop, and nothing private (issue 19, point 11) ------------------------------------------

#: Measures the laid-out page: every scrolling box's overflow, and every card row whose cells overlap or whose
#: figures spill out of their cell. Injected into a copy of the page (whose policy forbids scripts) for the test.
_MEASURE = """<script>
window.addEventListener('load', () => {
  const boxes = [...document.querySelectorAll('.scroll')].map(box => ({
    section: box.closest('section').id, overflow: box.scrollWidth - box.clientWidth}));
  const spills = [];
  document.querySelectorAll('table tr').forEach(tr => {
    const cells = [...tr.children].map(c => c.getBoundingClientRect());
    cells.forEach((a, i) => cells.slice(i + 1).forEach(b => {
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        spills.push(['cells overlap', tr.textContent.slice(0, 60)]);
    }));
    [...tr.children].forEach(cell => cell.querySelectorAll('.nw').forEach(figure => {
      const text = document.createRange();
      text.selectNodeContents(figure);
      const f = text.getBoundingClientRect(), c = cell.getBoundingClientRect();
      if (f.right > c.right + 1 || f.left < c.left - 1) spills.push(['figure spills', figure.textContent]);
    }));
  });
  const sources = [...document.querySelectorAll('#rows th a')].map(a => a.getBoundingClientRect().right);
  const out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify({boxes, spills, sources, width: document.documentElement.clientWidth});
  document.body.appendChild(out);
});
</script>"""


def _laid_out(tmp_path: Path, page: Path, width: int) -> dict[str, Any]:
    """The page laid out ``width`` pixels wide (Chromium's window is at least 500: the page is narrowed to
    ``width`` inside it, the phone rules of its style sheet apply below 640 either way)."""
    import json

    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    text = text.replace("</head>", f"<style>html{{width:{width}px}}</style></head>").replace(
        "</body>", _MEASURE + "</body>"
    )
    copy = tmp_path / f"measured-{width}.html"
    copy.write_text(text, encoding="utf-8")
    done = _chromium(
        tmp_path, f"--window-size={max(width, 500)},2000", "--virtual-time-budget=5000", "--dump-dom", copy.as_uri()
    )
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found is not None, done.stderr[-2000:]
    return dict(json.loads(html.unescape(found.group(1))))


@needs_chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_chromium_nothing_overprints_or_scrolls_sideways_on_a_phone_or_a_laptop(
    f24_html: Path, tmp_path: Path, width: int
) -> None:
    """At 390 px the dollar range and the share range of a ceiling row once overprinted each other; at 1280 px the
    rows table scrolled sideways and hid its source column."""
    laid = _laid_out(tmp_path, f24_html, width)
    assert laid["spills"] == []
    assert [b for b in laid["boxes"] if b["overflow"] > 1] == []  # no table wider than the page
    assert laid["sources"] and max(laid["sources"]) <= width  # every loss's source link is on the screen


def test_the_page_names_no_local_path_and_titles_the_claim_as_a_claim(tmp_path: Path) -> None:
    ledger = tmp_path / "private-notes-of-a-reporter"
    shutil.copytree(MINI, ledger)
    page = report_html(build_report(ledger, "C1"), DAY)
    assert str(ledger) not in page and "private-notes-of-a-reporter" not in page
    assert "a ledger of the user's own (its path is not shown)" in page
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert heading is not None
    text = re.sub(r"<[^>]+>", " ", heading.group(1))
    assert (
        text.split()
        == "Claim checked · C1 “$10.0k destroyed by Turkish-supplied drones” claimed by Someone, 1 Apr 2020".split()
    )


def test_the_bundled_page_says_it_comes_from_the_bundled_ledger(f24_html: Path) -> None:
    page = f24_html.read_text(encoding="utf-8")
    assert "from the ledger bundled with it" in page and str(f24_html.parent.parent) not in page
