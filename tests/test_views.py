"""Every table view reads at 80, 100 and 160 columns: nothing wider than the terminal, nothing broken inside.

On the bundled ledger, for each view and width: no line is wider than the width (a line holding a link is printed
unbroken for the terminal to wrap, so links stay clickable); every loss id, claim id and value range the view
shows appears whole on one line; the summary's verdict comes first.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console

from drone_ledger import views as view_functions
from drone_ledger.analysis import breakdown, claim_consistency, sensitivity, trace_claim
from drone_ledger.claims import compare_claim, compare_claims, summarize_conflict
from drone_ledger.validation import require_valid

WIDTHS = (80, 100, 160)
RANGE = re.compile(r"\(\$[0-9.,]+[kMbn]*–\$[0-9.,]+[kMbn]*\)")


def _views() -> dict[str, tuple[Any, Callable[[Any, Console], None]]]:
    """Each view's result, computed once (the views are what is tested here; the CLI runs them the same way)."""
    ledger = require_valid(None)
    return {
        "summary": (compare_claim(ledger), view_functions.print_summary),
        "summary-count-claim": (
            compare_claim(ledger, "AZ-2020-10-20-ADDRESS-TRUCKS-CAPTURED"),
            view_functions.print_summary,
        ),
        "claims": (compare_claims(ledger), view_functions.print_claims),
        "trace": (trace_claim(ledger, bucket="unattributed"), view_functions.print_trace),
        "breakdown": (breakdown(ledger, ["category", "status"]), view_functions.print_breakdown),
        "breakdown-systems": (breakdown(ledger, ["system", "status"]), view_functions.print_breakdown),
        "sensitivity": (sensitivity(ledger), view_functions.print_sensitivity),
        "consistency": (claim_consistency(ledger), view_functions.print_consistency),
        "conflict-summary": (summarize_conflict(ledger, "karabakh-2020"), view_functions.print_conflict_summary),
    }


VIEW_NAMES = (
    "summary",
    "summary-count-claim",
    "claims",
    "trace",
    "breakdown",
    "breakdown-systems",
    "sensitivity",
    "consistency",
    "conflict-summary",
)


@pytest.fixture(scope="module")
def views() -> dict[str, tuple[Any, Callable[[Any, Console], None]]]:
    return _views()


def _render(result: Any, show: Callable[[Any, Console], None], width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, soft_wrap=False)
    show(result, console)
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def outputs(views: dict[str, tuple[Any, Callable[[Any, Console], None]]]) -> dict[tuple[str, int], str]:
    return {(name, width): _render(*views[name], width) for name in VIEW_NAMES for width in WIDTHS}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", VIEW_NAMES)
def test_no_line_is_wider_than_the_terminal(outputs: dict[tuple[str, int], str], view: str, width: int) -> None:
    for line in outputs[(view, width)].splitlines():
        if "http://" in line or "https://" in line:
            continue  # links are printed whole, for the terminal to wrap
        assert len(line.rstrip()) <= width, f"{view} at {width}: {line!r}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", VIEW_NAMES)
def test_ranges_are_never_broken(outputs: dict[tuple[str, int], str], view: str, width: int) -> None:
    text = outputs[(view, width)]
    for range_text in set(RANGE.findall(outputs[(view, 160)])):
        assert range_text in text, f"{view} at {width} breaks {range_text}"
    assert not re.search(r"\(\$[0-9.,]+[kMbn]*–\s*$", text, re.M), f"{view} at {width}: a range ends a line"


@pytest.mark.parametrize("width", WIDTHS)
def test_ids_are_never_broken(
    views: dict[str, tuple[Any, Callable[[Any, Console], None]]], outputs: dict[tuple[str, int], str], width: int
) -> None:
    for row in views["trace"][0].rows:
        assert re.search(rf"(^|\s){re.escape(row.loss_id)}(\s|$)", outputs[("trace", width)], re.M), row.loss_id
    for claim in views["claims"][0].rows:
        claim_id = claim.claim["claim_id"]
        assert re.search(rf"^{re.escape(claim_id)} ·", outputs[("claims", width)], re.M), claim_id


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_opens_with_the_verdict(outputs: dict[tuple[str, int], str], width: int) -> None:
    text = outputs[("summary", width)]
    assert text.index("Verdict") < text.index("Documented losses in scope")
    assert text.index("The ledger attributes none of") < text.index("What the figures leave out")
    verdict = text[: text.index("For scale (another war)")]  # the claim and its verdict
    assert len(verdict.splitlines()) <= 40 and "What the figures leave out" not in verdict
    # Right after the verdict, the TB2's record in another war for scale, with its caveats: the claim, the verdict
    # and the scale fit a 50-line screen even at 80 columns (the verdict alone takes 30 lines there).
    assert len(text[: text.index("What the figures leave out")].splitlines()) <= 50


@pytest.mark.parametrize("width", (80, 100))
def test_the_claims_list_stays_short(outputs: dict[tuple[str, int], str], width: int) -> None:
    """56 claims (34 of the 2020 war, 22 of the 2022 war) in at most five lines each, a scope note included (34
    were 742 lines at 80 columns), under a heading of two lines per war."""
    text = outputs[("claims", width)]
    assert len(text.splitlines()) <= 5 * 56 + 5 + 2 * 2
    assert "karabakh-2020: 34 claims" in text and "ukraine-2022: 22 claims" in text


# --- issue 19, point 12: names never cut, ranges and dates never broken, sub-rows indented ---------------------------

DATE_RANGE = re.compile(r"\d{1,2} [A-Z][a-z]{2}(?: \d{4})? – \d{1,2} [A-Z][a-z]{2} \d{4}")
SHARE_RANGE = re.compile(r"[0-9.]+% \([0-9.]+%–[0-9.]+%\)")
MONEY = re.compile(r"\$[0-9.,]+[kMbn]* \([0-9]{4} USD; \$[0-9.,]+[kMbn]*–\$[0-9.,]+[kMbn]*\)")
MULTIPLE = re.compile(r"[0-9.,]+× \([0-9.,]+×–[0-9.,]+×\)")  # for scale: the claim as a multiple of a record


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", VIEW_NAMES)
def test_no_name_is_cut_short(outputs: dict[tuple[str, int], str], view: str, width: int) -> None:
    """At 80 columns `breakdown --by system --by status` printed "unattri…" and "bayrakt…"; a long name wraps."""
    assert "…" not in outputs[(view, width)]


def test_the_system_breakdown_shows_every_name_whole_at_80_columns(outputs: dict[tuple[str, int], str]) -> None:
    text = outputs[("breakdown-systems", 80)]
    for name in ("unattributed", "bayraktar-tb2 (unverified)", "drone-unknown (medium)", "destroyed", "abandoned"):
        assert name in text, name
    assert "loitering-munition-unknown" in text


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", ["summary", "consistency", "claims"])
def test_date_ranges_and_share_ranges_in_running_text_stay_on_one_line(
    outputs: dict[tuple[str, int], str], view: str, width: int
) -> None:
    """Read as one line, the text has the same date ranges (and, outside tables, share ranges) as the output."""
    text = outputs[(view, width)]
    flat = " ".join(text.split())
    patterns = [DATE_RANGE, MONEY] + ([SHARE_RANGE] if view in ("consistency", "claims") else [])
    patterns += [MULTIPLE] if view == "summary" else []
    found = [match for pattern in patterns for match in pattern.findall(flat)]
    assert found, "the view has ranges to check"
    for match in found:
        assert match in text, f"{view} at {width} breaks {match!r} across lines"


def test_the_verdict_keeps_its_date_range_whole_at_80_columns(outputs: dict[tuple[str, int], str]) -> None:
    verdict = outputs[("summary", 80)].split("What the figures leave out")[0]
    assert "27 Sep – 14 Oct 2020" in verdict and "$4.6M (2020 USD; $2.3M–$6.9M)" in verdict


def test_markdown_sub_rows_keep_their_indentation() -> None:
    text = view_functions.summary_markdown(compare_claim(None))
    assert "| &emsp;no attribution at all | 498 |" in text
    assert "| &emsp;of it certainly inside the period | 19 |" in text
    assert "| Ceiling: attributed + unattributed | 517 |" in text


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (1_000_000_000, "$1.0bn"),
        (26_500_000, "$26.5M"),
        (1_850_000, "$1.85M"),  # Zaluzhnyi's damaged equipment: never "$1.9M"
        (28_350_000, "$28.35M"),
        (1_234_567, "$1,234,567"),  # no short form says it exactly
        (72_100, "$72.1k"),
    ],
)
def test_a_claimed_amount_is_shown_as_stated(amount: float, shown: str) -> None:
    from drone_ledger.formatting import format_amount

    assert format_amount(amount, "USD", "value") == shown
    assert format_amount(100, "tanks", "count") == "100 tanks"
