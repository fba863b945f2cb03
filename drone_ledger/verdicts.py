"""What a claim comparison means, in words: the verdict a reader can quote, the caveats, and what it would take
for the claim to hold.

Pure functions of a :class:`~drone_ledger.results.claims.ClaimComparison` (no pandas): :mod:`drone_ledger.claims`
computes the figures, this module says what they support. Only what lies certainly inside a claim's period is
called a floor; a whole-war tally set against a shorter period is neither a floor nor a ceiling for it.
"""

from __future__ import annotations

import datetime as dt

from .formatting import format_range, format_share, format_usd
from .results.claims import BreakEven, ClaimComparison
from .results.core import BucketTotal, ValueRange, means_label

#: Why a loss attributed to the claimed means does not count, when it lies outside the claim's equipment or period.
OUTSIDE_SCOPE = "outside the claim's categories, models or period"

__all__ = ["OUTSIDE_SCOPE", "break_even", "caveats", "verdict"]


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) else None


def _day(text: object) -> str:
    """``14 Oct 2020`` for an ISO date."""
    date = _date(text)
    return f"{date.day} {date:%b %Y}" if date else "an unknown day"


def break_even(c: ClaimComparison) -> BreakEven:
    """What it would take for the claim to hold, against the figure it is set against (see :class:`BreakEven`)."""
    figure = c.headline_figure
    amount = float(c.claim["amount"])
    uncounted = list(c.coverage.no_documented_counts)
    if c.measure == "count":
        remainder = max(0, int(round(amount)) - figure.items)
        return BreakEven(
            c.headline_figure.name, remainder == 0, None, remainder, figure.items_uncosted, None, uncounted
        )
    claimed = c.amount_in_dollar_year or 0.0
    value = figure.value
    rest = ValueRange(max(0.0, claimed - value.high), max(0.0, claimed - value.central), max(0.0, claimed - value.low))
    per_item = rest.scaled(1 / figure.items_uncosted) if figure.items_uncosted and rest.high > 0 else None
    return BreakEven(figure.name, rest.high == 0, rest, None, figure.items_uncosted, per_item, uncounted)


def _amount_text(c: ClaimComparison) -> str:
    amount = float(c.claim["amount"])
    if c.measure == "value":
        return format_usd(amount)
    return f"{amount:,.0f} {c.claim['unit']}"


def _period_text(c: ClaimComparison) -> str:
    start, end = c.claim["period_start"], c.claim["period_end"]
    if not end:
        return f"the period from {_day(start)} (its end not stated)"
    if start[:4] == end[:4]:
        return f"{_day(start)[:-5]} – {_day(end)}"
    return f"{_day(start)} – {_day(end)}"


def _money_text(total: BucketTotal, year: int) -> str:
    """``$147.4M (2020 USD; $84.0M–$297.5M)``."""
    value = total.value
    if value.is_point:
        return f"{format_usd(value.central)} ({year} USD)"
    return f"{format_usd(value.central)} ({year} USD; {format_usd(value.low)}–{format_usd(value.high)})"


def _items(n: int) -> str:
    return f"{n:,} item{'' if n == 1 else 's'}"


def _excluded_text(c: ClaimComparison) -> str:
    excluded: dict[tuple[str, str, str, str], int] = {}  # one clause per kind of exclusion, however many losses
    for a in c.scope_attributions:  # a loss outside the claim's equipment or period is listed, not told here
        if not a.counted and a.why_not_counted != OUTSIDE_SCOPE:
            key = (a.status, a.system, a.confidence, a.why_not_counted or "")
            excluded[key] = excluded.get(key, 0) + a.items
    return "".join(
        f"; {items:,} {status} item{'' if items == 1 else 's'} attributed to {system} ({confidence} confidence) "
        f"{'does' if items == 1 else 'do'} not count: {why}"
        for (status, system, confidence, why), items in excluded.items()
    )


def _maybe_outside(c: ClaimComparison, figure: BucketTotal) -> str:
    """``the other 498 items (in whole-war tallies) may fall outside it: … neither a floor nor a ceiling``."""
    n = figure.items_possibly_in_period
    if not c.claim["period_end"]:
        return (
            f"{_items(n)} cannot be placed inside or outside a period whose end is not stated: for it they are "
            "neither a floor nor a ceiling"
        )
    spans = n - c.whole_war_items
    kinds = [f"{c.whole_war_items:,} in whole-war tallies" if spans else "in whole-war tallies"] * bool(
        c.whole_war_items
    )
    kinds += [f"{spans:,} dated to spans of days" if c.whole_war_items else "dated to spans of days"] * (spans > 0)
    return (
        f"{_items(n)} ({', '.join(kinds)}) may fall outside it: for that period they are neither a floor nor a ceiling"
    )


def verdict(c: ClaimComparison) -> list[str]:
    """Two or three plain sentences a reader can quote: what the evidence attributes, the ceiling, what is left.

    Only what lies certainly inside the claim's period is called a floor; a whole-war tally set against a shorter
    period is said to be neither a floor nor a ceiling for it.
    """
    year = c.dollar_year
    amount = _amount_text(c)
    figure = c.headline_figure
    inside = figure.inside_period
    assert inside is not None
    period = _period_text(c)
    possibly = figure.items_possibly_in_period
    means = means_label(c.claim["scope_systems"])
    if c.measure == "count" and not c.coverage.counted:
        equipment = c.claim["scope_equipment_as_stated"] or c.claim["unit"]
        reports = c.coverage.reports_only
        if reports:
            found = f"{_items(figure.items)} of them in scope" if figure.items else "none of them in scope"
            evidence = f"no tally of {', '.join(reports)}, only individual reports ({found})"
        else:
            evidence = f"no documented counts of {', '.join(c.coverage.no_documented_counts[:3])}"
        return [
            f"The ledger has {evidence} for {equipment}, so it can neither support nor contradict the claim of "
            f"{amount}."
        ]
    sentences = []
    if not c.all_means:
        attributed = c.buckets["attributed"]
        if attributed.items == 0:
            sentences.append(
                f"The ledger attributes no loss in the claim's scope to {means}, so none of the {amount} claimed is "
                f"supported by attributed evidence{_excluded_text(c)}."
            )
        else:
            worth = (
                f", worth {_money_text(attributed, year)}" if c.measure == "value" and attributed.items_costed else ""
            )
            sentences.append(
                f"The ledger attributes {_items(attributed.items)} in the claim's scope to {means}{worth}: "
                f"{format_share(attributed.share_of_claim)} of the {amount} claimed{_excluded_text(c)}."
            )
        reach = _money_text(figure, year) if c.measure == "value" else _items(figure.items)
        sentences.append(
            f"Even crediting them with every loss in scope not attributed elsewhere, the evidence reaches {reach}, "
            f"{format_share(figure.share_of_claim)} of the claim: the ceiling of the current evidence, not of reality."
        )
        if not possibly:
            return sentences
        if c.measure == "value" and figure.items_costed and not inside.items_costed:
            where = f"are {_items(inside.items)}, none of them costed" if inside.items else "is no documented loss"
            tallies = "whole-war tallies and other losses" if c.whole_war_items else "losses"
            runs = f"may run past {_day(c.claim['period_end'])}" if c.claim["period_end"] else "cannot be placed"
            sentences.append(
                f"All of that value comes from {tallies} whose dates {runs}; certainly inside {period} {where}."
            )
        else:
            worth = (
                f", {inside.items_costed:,} of them costed at {_money_text(inside, year)}"
                if c.measure == "value" and inside.items_costed
                else ""
            )
            sentences.append(
                f"Of it, only {_items(inside.items)} lie certainly inside {period}{worth}; the other "
                f"{_maybe_outside(c, figure)}."
            )
        return sentences
    if not inside.items:
        sentences.append(f"No documented loss in the claim's scope is certainly inside {period}.")
    elif c.measure == "count":
        sentences.append(
            f"Certainly inside {period}, the ledger documents {inside.items:,} of the {amount} claimed "
            f"({format_share(inside.share_of_claim)}): a floor, as only documented losses are counted."
        )
    elif inside.items_costed:
        sentences.append(
            f"Certainly inside {period}, documented losses in the claim's scope ({_items(inside.items)}, "
            f"{inside.items_uncosted:,} uncosted) are worth {_money_text(inside, year)}: "
            f"{format_share(inside.share_of_claim)} of the {amount} claimed, a floor of the evidence for the period."
        )
    else:
        sentences.append(
            f"Certainly inside {period}: {_items(inside.items)} of documented losses, none of them costed."
        )
    if c.measure == "count":
        total = f"{figure.items:,} ({format_share(figure.share_of_claim)})"
    else:
        total = f"{_money_text(figure, year)}, {format_share(figure.share_of_claim)} of the claim"
    if possibly:
        other = "Another" if inside.items else "All"
        sentences.append(f"{other} {_maybe_outside(c, figure)}; if every one fell inside, the total would be {total}.")
    return sentences


def caveats(c: ClaimComparison) -> list[str]:
    """What the figures leave out, one short line each."""
    figure = c.headline_figure
    name = "documented total" if c.all_means else "ceiling"
    lines = []
    if figure.items_uncosted:
        lines.append(
            f"{figure.items_uncosted:,} of the {figure.items:,} items in the {name} have no usable price: they are "
            "left out of the dollar figure, never valued at zero."
        )
    gaps = c.coverage.no_documented_counts
    if gaps:
        listed = ", ".join(gaps[:4]) + (f" and {len(gaps) - 4} more" if len(gaps) > 4 else "")
        lines.append(f"{len(gaps)} categor{'y has' if len(gaps) == 1 else 'ies have'} no documented counts: {listed}.")
    be = c.break_even
    if be is not None and not be.reached and c.measure == "value" and be.remainder_usd is not None:
        if be.per_uncosted_item_usd is not None:
            lines.append(
                f"For the claim to hold, the remaining {format_range(be.remainder_usd)} would have to come from the "
                f"{be.uncosted_items:,} uncosted items, at {format_range(be.per_uncosted_item_usd)} each on average, "
                "or from the categories with no documented counts."
            )
        else:
            lines.append(
                f"For the claim to hold, the remaining {format_range(be.remainder_usd)} would have to come from "
                "categories with no documented counts."
            )
    if c.claim.get("scope_note"):
        lines.append(f"Scope: {c.claim['scope_note']}.")
    if c.measure == "value" and c.dollar_year != c.claim_dollar_year and c.amount_in_dollar_year is not None:
        lines.append(
            f"Values are in {c.dollar_year} dollars; the claim's {format_usd(float(c.claim['amount']))} "
            f"({c.claim_dollar_year} USD) is {format_usd(c.amount_in_dollar_year)} in them. Shares are the same in "
            "any dollar year."
        )
    lines.append("Oryx counts only visually confirmed losses: real losses are at least as large.")
    return lines
