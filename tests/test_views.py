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
    assert len(text[: text.index("What the figures leave out")].splitlines()) <= 40  # the first screen


@pytest.mark.parametrize("width", (80, 100))
def test_the_claims_list_stays_short(outputs: dict[tuple[str, int], str], width: int) -> None:
    """34 claims in at most five lines each, a scope note included (it was 742 lines at 80 columns)."""
    assert len(outputs[("claims", width)].splitlines()) <= 5 * 34 + 5
