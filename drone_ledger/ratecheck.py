"""The exchange-rate rules of validation (exchange_rates.csv): one rate per currency and year, and a rate needs its
source; and the (currency, year) pairs a price in another currency may be converted at."""

from __future__ import annotations

import pandas as pd

from .errors import IssueCode
from .loading import Table
from .results.core import Issue

__all__ = ["exchange_rate_issues", "sourced_rates"]


def sourced_rates(table: Table) -> set[tuple[str, int]]:
    """The (currency, year) pairs exchange_rates.csv gives a rate for."""
    frame = table.frame
    if not table.readable or not {"currency", "year", "units_per_usd"} <= set(frame.columns):
        return set()
    rated = frame.dropna(subset=["currency", "year", "units_per_usd"])
    return {(str(c), int(y)) for c, y in zip(rated["currency"], rated["year"], strict=True)}


def exchange_rate_issues(table: Table) -> list[Issue]:
    """One rate per currency and year; a rate needs its source."""
    frame = table.frame
    if not table.readable or frame.empty or not {"currency", "year", "units_per_usd", "source_url"} <= set(frame):
        return []
    issues = []
    seen: dict[tuple[str, int], int] = {}
    for row, (currency, year, rate, url) in enumerate(
        zip(frame["currency"], frame["year"], frame["units_per_usd"], frame["source_url"], strict=True)
    ):
        if not isinstance(currency, str) or pd.isna(year):
            continue
        key = (currency, int(year))
        if key in seen:
            issues.append(
                table.issue(
                    row,
                    "year",
                    IssueCode.DUPLICATE_ID,
                    f"{currency} {int(year)}",
                    f"{currency} {int(year)} already has a row (line {table.line_of(seen[key])}); give one rate per "
                    "currency and year",
                )
            )
        else:
            seen[key] = row
        if pd.notna(rate) and not isinstance(url, str):
            issues.append(table.issue(row, "source_url", IssueCode.MISSING_SOURCE, None, "a rate needs its source_url"))
    return issues
