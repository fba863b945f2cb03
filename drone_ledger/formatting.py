"""The one way money, shares, days and periods are written, in the library's sentences and in every view.

``$189.9M ($84.0M–$297.5M)``: the central value, then low–high when they differ;
``19.0% (8.4%–29.8%)`` for a share; ``14 Oct 2020`` for a day. The terminal
views, the Markdown, the report page and the verdict's sentences all use these.
Plain Python: no pandas, no Rich.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results.claims import ClaimComparison
    from .results.core import BucketTotal, ValueRange

__all__ = [
    "KEEP_TOGETHER",
    "NOT_COSTED",
    "format_amount",
    "format_claimed",
    "format_day",
    "format_money",
    "format_period",
    "format_range",
    "format_share",
    "format_shared_credit",
    "format_total",
    "format_usd",
    "one_of",
]

#: What must never be broken across lines: a date range, a money range with or without its dollar year, a share
#: range, a multiple's range, a day (``27 Sep – 14 Oct 2020``, ``$4.6M (2020 USD; $2.3M–$6.9M)``,
#: ``16.8% (8.4%–25.2%)``, ``4.9× (4.6×–5.1×)``).
KEEP_TOGETHER = re.compile(
    r"\d{1,2} [A-Z][a-z]{2}(?: \d{4})? – \d{1,2} [A-Z][a-z]{2} \d{4}"
    r"|\$[0-9.,]+(?:bn|M|k)? \((?:\$|[0-9]{4} USD)[^()]*\)"
    r"|[0-9.]+% \([0-9.]+%–[0-9.]+%\)"
    r"|[0-9.,]+× \([0-9.,]+×–[0-9.,]+×\)"
    r"|\d{1,2} [A-Z][a-z]{2} \d{4}"
)
#: What a value cell shows when nothing in it is costed (never "$0": uncosted is unknown, not zero).
NOT_COSTED = "—"
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def format_usd(value: float) -> str:
    """Format dollars compactly: $1.0bn, $189.9M, $72.1k."""
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"${value / size:,.1f}{suffix}"
    return f"${value:,.0f}"


def format_range(value: ValueRange | None, empty: str = NOT_COSTED, *, stacked: bool = False) -> str:
    """``$147.4M ($84.0M–$234.7M)``: central, then low–high when they differ; ``empty`` for None.

    ``stacked`` puts the range on a line of its own (for narrow tables).
    """
    if value is None:
        return empty
    if value.is_point:
        return format_usd(value.central)
    joiner = "\n" if stacked else " "
    return f"{format_usd(value.central)}{joiner}({format_usd(value.low)}–{format_usd(value.high)})"


def format_money(value: ValueRange | None, year: int, empty: str = NOT_COSTED) -> str:
    """``$147.4M (2020 USD; $84.0M–$297.5M)``: a dollar range with its dollar year beside it, in running text."""
    if value is None:
        return empty
    if value.is_point:
        return f"{format_usd(value.central)} ({year} USD)"
    return f"{format_usd(value.central)} ({year} USD; {format_usd(value.low)}–{format_usd(value.high)})"


def format_total(total: BucketTotal, *, stacked: bool = False) -> str:
    """A total's value as :func:`format_range`, or a dash when none of its items is costed."""
    return format_range(total.value, stacked=stacked) if total.items_costed > 0 else NOT_COSTED


def format_shared_credit(shared: BucketTotal | None, dollar_year: int) -> str | None:
    """``of which 10 items, $12.3M ($8.0M–$20.1M) (2022 USD), on shared credit …`` for the part of a figure its
    sources credit to several systems ("by X and Y", ``BucketTotal.on_shared_credit``); None when there is none."""
    if shared is None or not shared.items:
        return None
    value = f"{format_range(shared.value)} ({dollar_year} USD)" if shared.items_costed else "none costed"
    costed = f" ({shared.items_costed:,} costed)" if 0 < shared.items_costed < shared.items else ""
    items = f"{shared.items:,} item{'s' if shared.items != 1 else ''}"
    return f"of which {items}{costed}, {value}, on shared credit ('by X and Y': the source credits another system too)"


def format_share(share: ValueRange | None, *, stacked: bool = False) -> str:
    """``14.7% (8.4%–23.5%)``: the central share, then the range when it differs (to 0.1%); empty for None."""
    if share is None:
        return ""
    if round(share.low, 3) == round(share.high, 3):
        return f"{share.central:.1%}"
    joiner = "\n" if stacked else " "
    return f"{share.central:.1%}{joiner}({share.low:.1%}–{share.high:.1%})"


def format_day(iso: str | None) -> str:
    """``14 Oct 2020`` for ``2020-10-14``; ``not stated`` for nothing; anything else as it is."""
    if not iso:
        return "not stated"
    try:
        year, month, day = iso.split("-")
        return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return iso


def format_period(start: str | None, end: str | None) -> str:
    """``27 Sep – 14 Oct 2020`` (the year once when both are in it), ``1 Mar 2022`` for one day, or
    ``… – (end not stated)``, or ``(start not stated) – …``."""
    if start and start == end:
        return format_day(start)
    if start and end and start[:4] == end[:4]:
        return f"{format_day(start)[:-5]} – {format_day(end)}"
    first = format_day(start) if start else "(start not stated)"
    return f"{first} – {format_day(end) if end else '(end not stated)'}"


#: Where the head noun of a claim's unit ends: ``units of equipment (…)``, ``guns of various calibres``.
_HEAD_ENDS = (" of ", " (", ", ", "; ")
#: Words whose singular and plural are the same, or that end in -s in the singular.
_INVARIANT = ("series", "species", "chassis", "means", "corps", "craft", "aircraft", "equipment")


def one_of(unit: str) -> str:
    """A count of one of a claim's ``unit`` (which claims.csv gives in the plural): ``1 Buk SAM system``,
    ``1 gun of various calibres``, ``1 Serna-class landing craft``.

    Only the last word of the unit's head noun (before "of", a bracket or a comma) is made singular, and only by
    rules that cannot mangle it: -ies → -y, -ches/-shes/-sses/-xes → drop -es, -men → -man, any other -s (not -ss,
    -us, -is, -ses, -ves; not an acronym's capital S) → drop it; a word without a final -s (Tor, S-300, craft) is
    kept. A unit of two nouns (``tanks and armoured vehicles``) or a word no rule fits reads ``1 item counted as
    tanks and armoured vehicles``.
    """
    cut = min((unit.find(e) for e in _HEAD_ENDS if e in unit), default=len(unit))
    head, rest = unit[:cut], unit[cut:]
    words = head.split(" ")
    listed = unit.split(" (")[0].split(" of ")[0]  # "trucks, vehicles and jeeps": a list, not one noun
    singular = None if " and " in listed or " or " in listed or "/" in words[-1] else _singular(words[-1])
    if singular is None:
        return f"1 item counted as {unit}"
    return "1 " + " ".join([*words[:-1], singular]) + rest


def _singular(word: str) -> str | None:
    """The singular of one English plural noun, or None when no safe rule fits (see :func:`one_of`)."""
    lower = word.lower()
    if lower.endswith(_INVARIANT) or not lower.endswith("s") and not lower.endswith("men"):
        return word
    if lower.endswith("men"):
        return word[:-3] + word[-3:].replace("men", "man")
    if not word.endswith("s"):  # an acronym's capital S: MLRS
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if lower.endswith(("ss", "us", "is", "ses", "ves")):
        return None
    return word[:-1]


#: A unit that counts systems (batteries of several vehicles), which the ledger's items (single vehicles) cannot
#: be set against one for one.
COUNTS_SYSTEMS = re.compile(r"\bsystems?\b", re.IGNORECASE)


def format_amount(amount: float, unit: str, measure: str) -> str:
    """A claim's amount as the claimant stated it: ``$1.0bn``, ``$1.85M`` (never rounded to ``$1.9M``: a quoted
    claim keeps every figure it has) for a dollar claim, ``200 tanks`` or ``1 Buk SAM system`` for a count claim."""
    if measure != "value":
        return one_of(unit) if amount == 1 else f"{amount:,.0f} {unit}"
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(amount) >= size:
            for decimals in (1, 2, 3):
                if abs(round(amount / size, decimals) * size - amount) < 0.5:
                    return f"${amount / size:,.{decimals}f}{suffix}"
            break
    return f"${amount:,.0f}"


def format_claimed(c: ClaimComparison) -> str:
    """A compared claim's amount (see :func:`format_amount`)."""
    return format_amount(float(c.claim["amount"]), str(c.claim["unit"]), c.measure)
