"""Loss dates as intervals: the earliest and the latest day a loss can have happened.

A source rarely gives the day of a loss. What a researcher can state is an interval, and that is what a ledger
records (``date_earliest``, ``date_latest``, and the source's own words in ``date_as_reported``):

* a day: that day, twice;
* a month ("late Sep 2020" read as September): its first and last day;
* "the first days of the war": the war's start and the last day the words can mean;
* an Oryx per-item row recorded on day D: on or before D (``date_earliest`` empty);
* a whole-war tally: both empty.

An empty bound means "not stated": the conflict's own start, or its end (open while the war goes on). A loss is
then *inside* a claim's period when its whole interval is, *outside* when none of it is, and otherwise only
*possibly* inside — computed from the dates, never guessed.

Plain Python: no pandas, so the CLI's help path may import it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

#: drone-ledger 0.1 recorded a loss date as ``date`` + ``date_precision``; how each precision reads as an interval.
OLD_PRECISIONS = {
    "day": "that day",
    "month": "the month's first and last day",
    "war": "empty bounds (the conflict's start and end)",
}


def interval_of(text: str) -> tuple[str, str] | None:
    """The interval a partial ISO date stands for: a day, a month or a year; None if ``text`` is not one.

    >>> interval_of("2020-09")
    ('2020-09-01', '2020-09-30')
    """
    match = _PARTIAL.match(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat()
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()
        return (dt.date(year, month, day).isoformat(),) * 2
    except ValueError:  # month 13, 30 February ...
        return None


def from_old_columns(date: str | None, precision: str | None) -> tuple[str, str, str] | None:
    """(earliest, latest, as reported) for a drone-ledger 0.1 ``date`` + ``date_precision``; None if it cannot be.

    ``war`` gives empty bounds; ``day`` and ``month`` need a date of that shape.
    """
    if precision == "war" and not date:
        return "", "", ""
    if precision not in ("day", "month") or not date:
        return None
    shape = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" if precision == "day" else r"^[0-9]{4}-[0-9]{2}$"
    interval = interval_of(date) if re.match(shape, date) else None
    if interval is None:
        return None
    return interval[0], interval[1], date


def first_year(start_dates: Iterable[object]) -> int:
    """The year of the earliest of a ledger's conflict start dates (ISO text); this year when there are none.

    The dollar year a whole-ledger figure (a breakdown, an export) is given in when none is asked for.
    """
    years = [int(str(start)[:4]) for start in start_dates if isinstance(start, str) and start[:4].isdigit()]
    return min(years) if years else dt.date.today().year
