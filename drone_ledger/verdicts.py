"""What a claim comparison means, in words: the verdict a reader can quote, the caveats, and what it would take
for the claim to hold.

Pure functions of a :class:`~drone_ledger.results.claims.ClaimComparison` (no pandas): :mod:`drone_ledger.claims`
computes the figures, this module says what they support. The words are fixed here, once:

* the **ceiling of the current evidence** is the most that documented, costed losses could support — every loss in
  the claim's scope not attributed to another system, credited to the claimed means; it is not a limit on what was
  really lost;
* only what lies certainly inside a claim's period is called a **floor**, and only of what the claim names: items
  in a category wider than the claim's words (trucks among jeeps and buses) are no floor of it;
* a whole-war tally set against a shorter period is **neither a floor nor a ceiling** for it: some of its items may
  fall after the period, and it counts only the losses its compiler could confirm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from . import vocab
from .formatting import format_amount, format_money, format_range, format_share, format_usd, one_of
from .results.analysis import PriceBasis
from .results.claims import BreakEven, ClaimComparison, UnconfirmedRoute, UncostedCategory
from .results.core import MEANS_LABELS, BucketTotal, ValueRange, means_label
from .scopes import split_list

#: Why a loss attributed to the claimed means does not count, when it lies outside the claim's equipment or period.
OUTSIDE_SCOPE = "outside the claim's categories, models or period"

#: The buckets whose losses make a means-specific claim's ceiling (an all-means claim's figure holds all three).
CEILING_BUCKETS = ("attributed", "unattributed")

__all__ = ["CEILING_BUCKETS", "OUTSIDE_SCOPE", "break_even", "caveats", "money", "price_basis_lines", "verdict"]


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) else None


def _day(text: object) -> str:
    """``14 Oct 2020`` for an ISO date."""
    date = _date(text)
    return f"{date.day} {date:%b %Y}" if date else "an unknown day"


def break_even(c: ClaimComparison, unconfirmed: Iterable[UnconfirmedRoute] = ()) -> BreakEven:
    """What it would take for the claim to hold, against the figure it is set against (see :class:`BreakEven`).

    ``unconfirmed`` are the routes through the claimant side's own counts (worked out by
    :mod:`drone_ledger.claims`, which has the ledger's claims and prices).
    """
    figure = c.headline_figure
    amount = float(c.claim["amount"])
    uncounted = list(c.coverage.no_documented_counts)
    unrecordable = c.claim.get("scope_note") if c.claim.get("scope_fit") == "unrecordable" else None
    if c.measure == "count":
        remainder = max(0, int(round(amount)) - figure.items)
        return BreakEven(
            figure.name, remainder == 0, None, remainder, figure.items_uncosted, None, uncounted, [], [], unrecordable
        )
    claimed = c.amount_in_dollar_year or 0.0
    value = figure.value
    rest = ValueRange(max(0.0, claimed - value.high), max(0.0, claimed - value.central), max(0.0, claimed - value.low))
    open_rest = rest.high > 0
    per_item = rest.scaled(1 / figure.items_uncosted) if figure.items_uncosted and open_rest else None
    buckets = set(CEILING_BUCKETS) if not c.all_means else {g.bucket for g in c.uncosted}
    items: dict[str, int] = {}
    for group in c.uncosted:
        if group.bucket in buckets:
            items[group.category] = items.get(group.category, 0) + group.items
    by_category = [
        UncostedCategory(category, n, rest.scaled(1 / n) if open_rest else None)
        for category, n in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return BreakEven(
        figure.name,
        not open_rest,
        rest,
        None,
        figure.items_uncosted,
        per_item,
        uncounted,
        list(unconfirmed),
        by_category,
        unrecordable,
    )


def _amount_text(c: ClaimComparison) -> str:
    return format_amount(float(c.claim["amount"]), str(c.claim["unit"]), c.measure)


def _share_words(c: ClaimComparison, total: BucketTotal, amount: str, *, claimed: bool = True) -> str:
    """``29.5% of the $26.5M claimed`` (``… of the claim`` without ``claimed``), or the words that stand in for a
    share that would mislead (:meth:`ClaimComparison.share_withheld`)."""
    withheld = c.share_withheld(total)
    if withheld is not None:
        return f"{withheld} (no share is given)"
    return (
        f"{format_share(total.share_of_claim)} of the {amount} claimed"
        if claimed
        else (f"{format_share(total.share_of_claim)} of the claim")
    )


def _period_text(c: ClaimComparison) -> str:
    start, end = c.claim["period_start"], c.claim["period_end"]
    if not start and not end:
        return "the claim's period (neither its start nor its end stated)"
    if not start:
        return f"the period up to {_day(end)} (its start not stated)"
    if not end:
        return f"the period from {_day(start)} (its end not stated)"
    if start[:4] == end[:4]:
        return f"{_day(start)[:-5]} – {_day(end)}"
    return f"{_day(start)} – {_day(end)}"


def money(value: ValueRange, year: int) -> str:
    """``$147.4M (2020 USD; $84.0M–$297.5M)``: a dollar range with its dollar year beside it."""
    return format_money(value, year)


def _money_text(total: BucketTotal, year: int) -> str:
    return money(total.value, year)


def _items(n: int) -> str:
    return f"{n:,} item{'' if n == 1 else 's'}"


def _statuses(c: ClaimComparison) -> str:
    return " or ".join(split_list(c.claim["scope_statuses"]))


def _equipment(c: ClaimComparison) -> str:
    """The claim's equipment in its own words (``equipment`` when it is about every category)."""
    if not split_list(c.claim["scope_categories"]) and not split_list(c.claim.get("scope_models")):
        return "equipment"
    return str(c.claim.get("scope_equipment_as_stated") or c.claim["unit"])


def _scope_words(c: ClaimComparison) -> str:
    """The claim's scope said concretely: ``Armenia's equipment destroyed 27 Sep – 14 Oct 2020``, ``… destroyed in
    the period up to 27 Feb 2022 (its start not stated)``."""
    period = _period_text(c)
    period = f"in {period}" if period.startswith("the ") else period
    return f"{c.claim['scope_side']}'s {_equipment(c)} {_statuses(c)} {period}"


def _means_words(c: ClaimComparison) -> str:
    """The claimed means by name: ``Turkish-supplied drones (Bayraktar TB2, STM Kargu)``, ``Bayraktar TB2``."""
    scope = str(c.claim["scope_systems"])
    if all(token in MEANS_LABELS for token in split_list(scope)):
        label = means_label(scope)
        return f"{label} ({', '.join(c.means_systems)})" if 0 < len(c.means_systems) <= 3 else label
    return ", ".join(c.means_systems) or means_label(scope)


def _excluded_text(c: ClaimComparison) -> str:
    """``; 1 damaged item attributed to Bayraktar TB2 (unverified confidence) does not count, as …``."""
    excluded: dict[tuple[str, str, str, str], int] = {}  # one clause per kind of exclusion, however many losses
    statuses = split_list(c.claim["scope_statuses"])
    for a in c.scope_attributions:  # a loss outside the claim's equipment or period is listed, not told here
        if not a.counted and a.why_not_counted != OUTSIDE_SCOPE:
            if a.status not in statuses:
                why = f"as the claim is about {' or '.join(statuses)} equipment only"
            else:
                why = f"as {a.confidence} attributions are not counted"
            key = (a.status, a.system_name or a.system, a.confidence, why)
            excluded[key] = excluded.get(key, 0) + a.items
    return "".join(
        f"; {items:,} {status} item{'' if items == 1 else 's'} attributed to {system} ({confidence} confidence) "
        f"{'does' if items == 1 else 'do'} not count, {why}"
        for (status, system, confidence, why), items in excluded.items()
    )


def _basis_clause(c: ClaimComparison) -> str:
    """`` — all of it 146 tanks priced as T-72 at the median of 2 price observations; leaving either out …``."""
    if c.measure != "value" or not c.price_basis:
        return ""
    b: PriceBasis = c.price_basis[0]
    part = "all of it" if b.share_of_figure >= 0.995 else f"{b.share_of_figure:.0%} of it"
    what = f"{b.items:,} {b.categories[0].lower()}" if len(b.categories) == 1 else f"{b.items:,} items"
    if b.items == 1:
        what = one_of(b.categories[0].lower()) if len(b.categories) == 1 else "1 item"
    n = len(b.observations)
    if n == 1:
        return f" — {part} {what} priced as {b.cost_key} from a single price observation"
    clause = f" — {part} {what} priced as {b.cost_key} at the {b.method} of {n} price observations"
    spread = b.figure_central_range
    if spread is None:
        return clause
    low, high = (format_usd(v) for v in spread)
    moves = f"to {low} or {high}" if n == 2 else f"to between {low} and {high}"
    whole = format_usd(sum(basis.value.central for basis in c.price_basis))
    return f"{clause}; leaving {'either' if n == 2 else 'one of them'} out moves the {whole} {moves}"


def _maybe_outside(c: ClaimComparison, figure: BucketTotal) -> str:
    """The items not certainly inside the period, and why they are neither a floor nor a ceiling for it."""
    n = figure.items_possibly_in_period
    if not c.claim["period_end"]:
        return (
            f"{_items(n)} cannot be placed inside or outside a period whose end is not stated: for it they are "
            "neither a floor nor a ceiling"
        )
    spans = n - c.whole_war_items
    end = _day(c.claim["period_end"])
    if not c.claim["period_start"]:
        return (
            f"{_items(n)} are dated on or before {end}, or to spans that run past it: a claim that states no start "
            "may not reach back to them, so for the period they are neither a floor nor a ceiling"
        )
    if c.whole_war_items and spans > 0:
        where = f"({c.whole_war_items:,} in whole-war tallies, {spans:,} dated to spans of days) run past {end}"
    elif c.whole_war_items:
        where = f"are in whole-war tallies that run past {end}"
    else:
        where = f"are dated to spans of days that run past {end}"
    return (
        f"{_items(n)} {where}: they may fall inside the period or after it, so for the period they are neither a "
        "floor (some may be later) nor a ceiling (only documented losses are counted)"
    )


def _wide_text(c: ClaimComparison) -> str | None:
    """The claim read widely (its categories plus a tally that may include them), as one sentence."""
    wide = c.wide_reading
    if wide is None:
        return None
    own = ", ".join(x for x in wide.categories if x not in wide.added)
    tally = " and ".join(wide.added)
    figure = wide.figure
    twice = f", {wide.possibly_counted_twice:,} of them possibly counted twice" if wide.possibly_counted_twice else ""
    worth = f", worth {_money_text(figure, c.dollar_year)}" if c.measure == "value" and figure.items_costed else ""
    period = (
        f" and {figure.items_possibly_in_period:,} of its items may fall outside {_period_text(c)}"
        if figure.items_possibly_in_period
        else ""
    )
    return (
        f"Read widely — if the {tally} tally includes {own}, which the sources do not say — the ledger documents "
        f"{_items(figure.items)}{worth} ({format_share(figure.share_of_claim)} of the claim){twice}; but that "
        f"tally also holds other kinds of equipment{period}, so read so the figure is neither a floor nor a ceiling "
        f"of the {_equipment(c)} claimed."
    )


def verdict(c: ClaimComparison) -> list[str]:
    """Plain sentences a reader can quote: what the evidence attributes, the ceiling and what it rests on, what lies
    certainly inside the claim's period.

    The claimed means and the scope are named concretely (``Turkish-supplied drones (Bayraktar TB2, STM Kargu)``,
    ``Armenia's equipment destroyed 27 Sep – 14 Oct 2020``); see the module's docstring for the words it fixes.
    """
    year = c.dollar_year
    amount = _amount_text(c)
    figure = c.headline_figure
    inside = figure.inside_period
    assert inside is not None
    period = _period_text(c)
    possibly = figure.items_possibly_in_period
    wide = _wide_text(c)
    if c.measure == "count" and not c.coverage.counted:
        equipment = c.claim["scope_equipment_as_stated"] or c.claim["unit"]
        reports = c.coverage.reports_only
        if reports:
            found = f"{_items(figure.items)} of them in scope" if figure.items else "none of them in scope"
            evidence = f"no tally of {', '.join(reports)}, only individual reports ({found})"
        else:
            evidence = f"no documented counts of {', '.join(c.coverage.no_documented_counts[:3])}"
        sentences = [
            f"The ledger has {evidence} for {equipment}, so it can neither support nor contradict the claim of "
            f"{amount}."
        ]
        return sentences + ([wide] if wide else [])
    if c.claim["metric"] in vocab.NOT_ITEM_METRICS:
        return [_not_items(c, amount, figure)]
    sentences = []
    if not c.all_means:
        means = _means_words(c)
        attributed = c.buckets["attributed"]
        if attributed.items == 0:
            sentences.append(
                f"The ledger attributes none of {_scope_words(c)} to {means}, so none of the {amount} claimed is "
                f"supported by attributed evidence{_excluded_text(c)}."
            )
        else:
            worth = (
                f", worth {_money_text(attributed, year)}" if c.measure == "value" and attributed.items_costed else ""
            )
            sentences.append(
                f"The ledger attributes {_items(attributed.items)} of {_scope_words(c)} to {means}{worth}: "
                f"{_share_words(c, attributed, amount)}{_excluded_text(c)}."
                + _attributed_dates(attributed, period)
                + _own_prices_text(c)
            )
        reach = _money_text(figure, year) if c.measure == "value" else _items(figure.items)
        sentences.append(
            f"Even crediting {c.means} with every one of {c.claim['scope_side']}'s "
            f"losses in that scope that the ledger does not attribute to another system, the documented losses reach "
            f"{reach}, {_share_words(c, figure, amount, claimed=False)}{_basis_clause(c)}. That is the ceiling of "
            "the current evidence: the most the documented, costed losses could support, not a limit on what was "
            "really lost."
        )
        if possibly:
            sentences.append(_period_sentence(c, figure, inside, period, year))
        return sentences + ([wide] if wide else [])
    if not inside.items:
        sentences.append(f"No documented loss of {_scope_words(c)} is certainly inside the period.")
    elif c.measure == "count":
        sentences.append(_count_floor(c, inside, period, amount))
    elif inside.items_costed and c.claim.get("scope_fit") == "wider":
        sentences.append(
            f"Certainly inside {period}, the ledger documents {_items(inside.items)} ({inside.items_uncosted:,} "
            f"uncosted) worth {_money_text(inside, year)} in a scope wider than the claim's own — every such loss in "
            f"the war, as it cannot select what the claim names (see Scope): {format_share(inside.share_of_claim)} of "
            f"the {amount} claimed, not a floor of the claim's own losses, as that scope holds others too."
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
        whole = f"{figure.items:,} ({format_share(figure.share_of_claim)})"
    else:
        whole = f"{_money_text(figure, year)}, {format_share(figure.share_of_claim)} of the claim{_basis_clause(c)}"
    if possibly:
        other = "The other" if inside.items else "All"
        sentences.append(f"{other} {_maybe_outside(c, figure)}; if every one fell inside, the total would be {whole}.")
    return sentences + ([wide] if wide else [])


def _not_items(c: ClaimComparison, amount: str, figure: BucketTotal) -> str:
    """A claim that counts no items (strikes): no loss ledger can check it; the documented items only for scale."""
    attributed = c.buckets["attributed"] if not c.all_means else figure
    whom = "" if c.all_means else f" to {_means_words(c)}"
    return (
        f"The claim counts {amount}, not items lost, so no loss ledger can check it and no share of it is given. "
        f"For scale only, the ledger attributes {_items(attributed.items)} of {_scope_words(c)}{whom}."
    )


def _own_prices_text(c: ClaimComparison) -> str:
    """`` That value uses the claimant's own unit values …``: a claim checked with its own prices is circular, so
    the verdict gives the figure without them beside it."""
    found = c.claimant_prices
    if found is None or c.measure != "value":
        return ""
    without = found.documented_without
    n = len(found.observations)
    worth = (
        f"{_money_text(without, c.dollar_year)}, {format_share(without.share_of_claim)} of the claim"
        if without.items_costed
        else "uncosted"
    )
    return (
        f" That value uses the claimant's own unit values for {n:,} model{'' if n == 1 else 's'}, which is circular "
        f"for this claim; without them it is {worth}."
    )


def _attributed_dates(attributed: BucketTotal, period: str) -> str:
    """`` Only 1 of the 28 is certainly inside …``: said when some attributed items are only dated to spans of days
    that overlap the claim's period (or, for a claim that states no start, may lie before it), so the count above is
    not read as all inside it."""
    inside = attributed.inside_period
    possibly = attributed.items_possibly_in_period
    if inside is None or not possibly:
        return ""
    no_start = period.endswith("(its start not stated)")
    if not inside.items:
        where = "may fall before its unstated start" if no_start else "overlap it"
        return (
            f" None of the {attributed.items:,} is certainly inside {period}: all are dated to spans of days that "
            + (f"{where}.")
        )
    verb = "is" if inside.items == 1 else "are"
    if possibly == 1:
        other = "the other is dated to a span of days that " + (
            "may fall before its unstated start" if no_start else "overlaps it"
        )
    else:
        other = f"the other {possibly:,} are dated to spans of days that " + (
            "may fall before its unstated start" if no_start else "overlap it"
        )
    return f" Only {inside.items:,} of the {attributed.items:,} {verb} certainly inside {period}; {other}."


def _period_sentence(c: ClaimComparison, figure: BucketTotal, inside: BucketTotal, period: str, year: int) -> str:
    """How much of a means-specific claim's ceiling lies certainly inside the claim's period."""
    if c.measure == "value" and figure.items_costed and not inside.items_costed:
        where = f"are {_items(inside.items)}, none of them costed" if inside.items else "is no documented loss"
        tallies = "whole-war tallies and other losses" if c.whole_war_items else "losses"
        runs = f"may run past {_day(c.claim['period_end'])}" if c.claim["period_end"] else "cannot be placed"
        return f"All of that value comes from {tallies} whose dates {runs}; certainly inside {period} {where}."
    worth = (
        f" ({inside.items_costed:,} of them costed, worth {_money_text(inside, year)})"
        if c.measure == "value" and inside.items_costed
        else ""
    )
    inside_text = (
        f"Of it, only {_items(inside.items)} {'lies' if inside.items == 1 else 'lie'} certainly inside {period}{worth}"
        if inside.items
        else f"None of it lies certainly inside {period}"
    )
    if not inside.items:
        return f"{inside_text}: all {_maybe_outside(c, figure)}."
    return f"{inside_text}; the other {_maybe_outside(c, figure)}."


def _count_floor(c: ClaimComparison, inside: BucketTotal, period: str, amount: str) -> str:
    """The part of a count claim certainly inside its period: a floor, unless the scope's category is wider than
    what the claim names (then the items may not be of the claimed kind)."""
    if c.claim.get("scope_fit") == "wider":
        what = f" ({', '.join(c.inside_models)})" if c.inside_models else ""
        categories = ", ".join(split_list(c.claim["scope_categories"])) or "its categories"
        return (
            f"Certainly inside {period}, the ledger documents {_items(inside.items)} in {categories}{what}, a category "
            f"wider than the {_equipment(c)} claimed: not a floor of them, as it also holds other kinds."
        )
    return (
        f"Certainly inside {period}, the ledger documents {inside.items:,} of the {amount} claimed "
        f"({format_share(inside.share_of_claim)}): a floor, as only documented losses are counted."
    )


def _bound_words(bound: str) -> str:
    return {"lower": "more than ", "approx": "about ", "upper": "at most "}.get(bound, "")


def _route_lines(c: ClaimComparison, be: BreakEven) -> list[str]:
    """The break-even of a dollar claim not reached: the rest, then each route on its own line."""
    year = c.dollar_year
    assert be.remainder_usd is not None
    lines = [
        f"For the claim to hold, the remaining {money(be.remainder_usd, year)} would have to come from losses the "
        "ledger does not document or cannot price, by one or more of the routes below."
    ]
    statuses = " or ".join(split_list(c.claim["scope_statuses"]))
    if be.unconfirmed:
        for r in be.unconfirmed:
            priced = (
                f"priced as {r.cost_key}, they would add {money(r.value_usd, year)}"
                if r.value_usd is not None
                else f"they have no usable price ({r.uncosted_reason})"
            )
            lines.append(
                f"Route 1, losses no tally confirmed in a category it counts: {r.claimant}'s own count of "
                f"{_bound_words(r.bound)}{r.claimed:,.0f} {r.equipment} {r.statuses.replace('|', ' or ')} by "
                f"{_day(r.claim_date or c.claim['period_end'])} ({r.claim_id}) is {r.unconfirmed:,} above the "
                f"{r.documented:,} the ledger documents; {priced}."
            )
    elif c.coverage.counted:
        lines.append(
            f"Route 1, losses no tally confirmed in a category it counts ({', '.join(c.coverage.counted)}): no count "
            f"claim of {c.claim['claimant_side']}'s within the claim's period and statuses ({statuses}) names more "
            "than the ledger documents, so this route is not sized."
        )
    if be.uncosted_by_category:
        shown = be.uncosted_by_category[:4]
        groups = "; ".join(_uncosted_group(g) for g in shown)
        more = len(be.uncosted_by_category) - len(shown)
        lines.append(
            f"Route 2, the {be.uncosted_items:,} uncosted items, if one group alone made up the rest: {groups}"
            f"{f'; {more} more group' + 's' * (more > 1) if more > 0 else ''} (central, {year} USD)."
        )
    if be.uncounted_categories:
        listed = ", ".join(be.uncounted_categories)
        lines.append(
            f"Route 3, the {len(be.uncounted_categories)} categor{'y' if len(be.uncounted_categories) == 1 else 'ies'}"
            f" with no documented counts, which the ledger cannot size: {listed}."
        )
    elif not c.coverage.listed:
        lines.append("Route 3, categories the ledger has no counts of: it has no category list for this war.")
    return lines


def _uncosted_group(g: UncostedCategory) -> str:
    each = format_usd(g.per_item_usd.central) if g.per_item_usd is not None else "—"
    return f"{g.category}: {g.items:,} at {each} each"


def caveats(c: ClaimComparison) -> list[str]:
    """What the figures leave out, one short line each; the break-even's routes one line each."""
    figure = c.headline_figure
    name = "documented total" if c.all_means else "ceiling"
    lines = []
    if figure.items_uncosted and c.measure == "value":
        lines.append(
            f"{figure.items_uncosted:,} of the {figure.items:,} items in the {name} have no usable price: they are "
            "left out of the dollar figure, never valued at zero."
        )
    gaps = c.coverage.no_documented_counts
    be = c.break_even
    routes = be is not None and not be.reached and c.measure == "value" and be.remainder_usd is not None
    if gaps and not routes:  # else the break-even's third route lists them
        listed = ", ".join(gaps[:4]) + (f" and {len(gaps) - 4} more" if len(gaps) > 4 else "")
        lines.append(
            f"{len(gaps)} of the war's categories {'has' if len(gaps) == 1 else 'have'} no documented counts: {listed}."
        )
    elif not c.coverage.listed:
        lines.append(
            "The ledger has no category list for this war (categories.csv), so no category can be named as lacking "
            "documented counts."
        )
    for d in c.possibly_counted_twice:
        ids = ", ".join(d.loss_ids[:3]) + (" …" if len(d.loss_ids) > 3 else "")
        lines.append(
            f"{_items(d.items)} in {d.category} ({ids}) may already be in the {d.tally_category} tally, if that tally "
            f"includes {d.category} (the sources do not say): the {name} may count {'it' if d.items == 1 else 'them'}"
            " twice."
        )
    if routes:
        assert be is not None
        lines += _route_lines(c, be)
    if be is not None and be.unrecordable:
        lines.append(f"Part of the claim can never be documented in a loss ledger: {be.unrecordable}.")
    if c.claim.get("scope_note") and not (be is not None and be.unrecordable):
        lines.append(f"Scope: {c.claim['scope_note']}.")
    if c.measure == "value" and c.dollar_year != c.claim_dollar_year and c.amount_in_dollar_year is not None:
        lines.append(
            f"Values are in {c.dollar_year} dollars; the claim's {format_usd(float(c.claim['amount']))} "
            f"({c.claim_dollar_year} USD) is {format_usd(c.amount_in_dollar_year)} in them. Shares are the same in "
            "any dollar year."
        )
    if c.coverage.counted:
        lines.append(
            "Oryx counts only the losses it could confirm from photos or video: its whole-war tallies are a floor of "
            "the war's real losses, never of a shorter period's."
        )
    return lines


def price_basis_lines(basis: PriceBasis, figure: str, year: int) -> list[str]:
    """What a figure's value rests on for one cost key, in words: the central unit value and how it is made, each
    observation left out in turn, and the other central method (values in ``year`` dollars)."""
    mids = ", ".join(f"{o.obs_id} {format_usd(o.midpoint_usd)}" for o in basis.observations)
    n = len(basis.observations)
    lines = [
        f"{basis.items:,} items of {', '.join(basis.categories)} priced as {basis.cost_key}: "
        f"{format_usd(basis.value.central)} ({year} USD), {basis.share_of_figure:.0%} of the central value of "
        f"{figure}. Unit value {format_range(basis.unit_usd)}: central = {basis.method} of the midpoints of {n} "
        f"price observation{'s' * (n != 1)} ({mids})."
    ]
    if n > 1:
        left = "; ".join(
            f"without {o.obs_id}: {format_usd(o.unit_central_without or 0.0)} a unit, "
            f"{figure} {format_usd(o.figure_central_without or 0.0)}"
            for o in basis.observations
        )
        lines.append(f"Leaving one out: {left}.")
    else:
        lines.append("Nothing to leave out: the unit value rests on a single observation.")
    lines.append(
        f"The {basis.alternative_method} of the midpoints instead: {format_usd(basis.unit_central_alternative)} a "
        f"unit, {figure} {format_usd(basis.figure_central_alternative)}."
    )
    return lines
