"""Validate a ledger: every schema and cross-table problem, in one report.

Pandera runs lazily on each table; its failure cases are translated into
:class:`Issue` values that point at CSV lines. Cross-table rules follow.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import vocab
from .loading import Ledger, Table, load_ledger
from .reports import Issue, ValidationReport
from .schemas import URL_PATTERN, URLS_PATTERN
from .scopes import split_list, unknown_scope_tokens

_CHECK_NAME = re.compile(r"^(?P<name>[a-z_]+)(\((?P<arg>.*)\))?$", re.S)
_OPERATORS = {
    "greater_than_or_equal_to": "at least",
    "greater_than": "greater than",
    "less_than_or_equal_to": "at most",
    "less_than": "less than",
}


def validate_ledger(ledger: Ledger | str | Path | None = None, today: dt.date | None = None) -> ValidationReport:
    """Check every table of a ledger and the rules that tie them together.

    Parameters
    ----------
    ledger:
        A loaded :class:`Ledger`, a ledger directory, or None for the bundled one.
    today:
        The date after which a loss date counts as "in the future" (default: today).

    Returns
    -------
    ValidationReport
        All errors and warnings; ``report.valid`` is False when any error exists.

    Raises
    ------
    LedgerNotFoundError
        If the path is not a directory.
    """
    if not isinstance(ledger, Ledger):
        ledger = load_ledger(ledger)
    issues = list(ledger.read_issues)
    for table in ledger.tables.values():
        issues.extend(_schema_issues(table))
    issues.extend(_cross_table_issues(ledger, today or dt.date.today()))
    return ValidationReport(
        ledger=str(ledger.path),
        issues=sorted(issues, key=_issue_order),
        tables={name: len(table.frame) for name, table in ledger.tables.items()},
    )


def _issue_order(issue: Issue) -> tuple[str, int, str, str]:
    return (issue.file, issue.line or 0, issue.column or "", issue.code)


def _schema_issues(table: Table) -> list[Issue]:
    """Run the table's Pandera model lazily and translate its failure cases."""
    if not table.readable:
        return []
    schema = table.spec.model.to_schema().remove_columns(table.missing_columns)
    try:
        schema.validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    else:
        return []
    already = {(i.line, i.column) for i in table.issues}
    issues = []
    for case in failures.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        issue = _translate(table, case.column, str(case.check), case.failure_case, row)
        if issue is not None and (issue.line, issue.column) not in already:
            issues.append(issue)
    return issues


def _translate(table: Table, column: str, check: str, value: object, row: int | None) -> Issue | None:
    match = _CHECK_NAME.match(check)
    name, arg = (match["name"], match["arg"]) if match else (check, None)
    value_text = None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if name == "not_nullable":
        return table.issue(row, column, "missing-value", None, f"{column} is required but empty")
    if name == "isin":
        allowed = _allowed_values(table, column)
        close = difflib.get_close_matches(value_text or "", allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return table.issue(
            row,
            column,
            "invalid-value",
            value_text,
            f"{column} must be one of {', '.join(allowed)}; got {value_text!r}{hint}",
        )
    if name in _OPERATORS:
        return table.issue(
            row,
            column,
            "out-of-range",
            value_text,
            f"{column} must be {_OPERATORS[name]} {arg}, got {value_text}",
        )
    if name == "str_matches":
        return _format_issue(table, column, row, value_text, arg or "")
    if name in ("field_uniqueness", "unique"):
        return table.issue(
            row,
            column,
            "duplicate-id",
            value_text,
            f"{column} {value_text!r} appears more than once; each row needs its own {column}",
        )
    return table.issue(row, column, "schema-check-failed", value_text, f"{column} failed check {check}")


def _allowed_values(table: Table, column: str) -> list[str]:
    checks = table.spec.model.to_schema().columns[column].checks
    for check in checks:
        allowed = check.statistics.get("allowed_values")
        if allowed is not None:
            return [str(v) for v in allowed]
    return []


def _format_issue(table: Table, column: str, row: int | None, value: str | None, pattern: str) -> Issue:
    if URL_PATTERN in pattern or URLS_PATTERN in pattern:
        return table.issue(
            row,
            column,
            "invalid-url",
            value,
            f"{column} must be an http:// or https:// link (several separated by spaces where allowed), got {value!r}",
        )
    if "\\d{4}" in pattern:
        return table.issue(
            row,
            column,
            "invalid-date-format",
            value,
            f"{column} must be an ISO date (YYYY-MM-DD{', or YYYY-MM' if column == 'date' else ''}), got {value!r}",
        )
    return table.issue(
        row,
        column,
        "invalid-id",
        value,
        f"{column} must start with a letter or digit and use only letters, digits and _ . : -, got {value!r}",
    )


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _date_issues(table: Table, column: str, today: dt.date) -> list[Issue]:
    """Impossible calendar dates (2020-02-30) in an ISO-shaped column."""
    issues: list[Issue] = []
    frame = table.frame
    if column not in frame.columns:
        return issues
    for row, value in frame[column].items():
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and _parse_date(value) is None:
            issues.append(
                table.issue(int(row), column, "impossible-date", value, f"{column} {value} is not a calendar date")
            )
        elif isinstance(value, str) and (parsed := _parse_date(value)) is not None and parsed > today:
            issues.append(table.issue(int(row), column, "future-date", value, f"{column} {value} is in the future"))
    return issues


def _cross_table_issues(ledger: Ledger, today: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    tables = ledger.tables
    conflicts = tables["conflicts"].frame
    conflict_ids = set(conflicts["conflict_id"].dropna()) if "conflict_id" in conflicts else set()
    systems = tables["systems"].frame
    system_ids = set(systems["system_id"].dropna()) if "system_id" in systems else set()
    cost_keys = set(tables["unit_costs"].frame.get("cost_key", pd.Series(dtype="str")).dropna())

    for name in ("losses", "claims", "aggregates", "category_proxies"):
        table = tables[name]
        if table.readable and "conflict" in table.frame and tables["conflicts"].readable:
            issues.extend(_foreign_key(table, "conflict", conflict_ids, "unknown-conflict", "conflicts.csv"))

    for name, column in (
        ("claims", "claim_date"),
        ("claims", "period_start"),
        ("claims", "period_end"),
        ("conflicts", "start_date"),
        ("conflicts", "end_date"),
        ("aggregates", "as_quoted_on"),
    ):
        issues.extend(_date_issues(tables[name], column, today))

    issues.extend(_loss_issues(ledger, conflicts, system_ids, cost_keys, today))
    issues.extend(_unit_cost_issues(ledger))
    issues.extend(_claim_issues(tables["claims"], system_ids))
    proxies = tables["category_proxies"]
    if proxies.readable and "cost_key" in proxies.frame and tables["unit_costs"].readable:
        for row, key in proxies.frame["cost_key"].items():
            if isinstance(key, str) and key not in cost_keys:
                issues.append(
                    proxies.issue(
                        int(row),
                        "cost_key",
                        "unknown-cost-key",
                        key,
                        f"cost_key {key!r} has no row in unit_costs.csv; the category will be uncosted",
                        "warning",
                    )
                )
    return issues


def _foreign_key(table: Table, column: str, known: set[str], code: str, target: str) -> list[Issue]:
    issues = []
    for row, value in table.frame[column].items():
        if isinstance(value, str) and value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; add it to {target} first"
            issues.append(table.issue(int(row), column, code, value, f"{column} {value!r} is not in {target}{hint}"))
    return issues


def _loss_issues(
    ledger: Ledger, conflicts: pd.DataFrame, system_ids: set[str], cost_keys: set[str], today: dt.date
) -> list[Issue]:
    table = ledger.tables["losses"]
    losses = table.frame
    if not table.readable or losses.empty:
        return []
    issues: list[Issue] = []
    if "attributed_system" in losses and ledger.tables["systems"].readable:
        issues.extend(_foreign_key(table, "attributed_system", system_ids, "unknown-system", "systems.csv"))
        for row, cell in losses["attributed_also"].items():
            for system in split_list(cell):
                if system not in system_ids:
                    issues.append(
                        table.issue(
                            int(row),
                            "attributed_also",
                            "unknown-system",
                            system,
                            f"attributed_also names {system!r}, which is not in systems.csv; add it there first",
                        )
                    )
    if {"attributed_system", "attribution_confidence"} <= set(losses.columns):
        lacking = losses["attributed_system"].ne(vocab.UNATTRIBUTED) & losses["attributed_system"].notna()
        lacking &= losses["attribution_confidence"].isna()
        for row in losses.index[lacking]:
            issues.append(
                table.issue(
                    int(row),
                    "attribution_confidence",
                    "missing-confidence",
                    None,
                    "attribution_confidence is required when attributed_system names a system "
                    f"({', '.join(vocab.CONFIDENCES)})",
                )
            )
    issues.extend(_loss_date_issues(table, conflicts, today))
    issues.extend(_aggregate_issues(ledger))
    issues.extend(_counted_in_issues(table))
    if "cost_key" in losses and ledger.tables["unit_costs"].readable:
        for row, key in losses["cost_key"].items():
            if isinstance(key, str) and key not in cost_keys:
                issues.append(
                    table.issue(
                        int(row),
                        "cost_key",
                        "unknown-cost-key",
                        key,
                        f"cost_key {key!r} has no row in unit_costs.csv; this loss will be uncosted",
                        "warning",
                    )
                )
    return issues


def _loss_date_issues(table: Table, conflicts: pd.DataFrame, today: dt.date) -> list[Issue]:
    losses = table.frame
    if not {"date", "date_precision"} <= set(losses.columns):
        return []
    periods = {}
    if {"conflict_id", "start_date", "end_date"} <= set(conflicts.columns):
        for conflict_row in conflicts.itertuples(index=False):
            start = _parse_date(str(conflict_row.start_date))
            end = _parse_date(str(conflict_row.end_date)) if isinstance(conflict_row.end_date, str) else None
            periods[conflict_row.conflict_id] = (start, end)
    shapes = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}"}
    issues = []
    for row, (date, precision, conflict) in enumerate(
        zip(
            losses["date"], losses["date_precision"], losses.get("conflict", pd.Series(index=losses.index)), strict=True
        )
    ):
        if not isinstance(precision, str) or precision not in vocab.DATE_PRECISIONS:
            continue
        if precision == "war":
            if isinstance(date, str):
                issues.append(
                    table.issue(
                        row,
                        "date",
                        "date-precision-mismatch",
                        date,
                        "date must be empty when date_precision is 'war'; use 'day' or 'month'",
                    )
                )
            continue
        if not isinstance(date, str):
            issues.append(
                table.issue(
                    row,
                    "date",
                    "missing-value",
                    None,
                    f"date is required when date_precision is {precision!r} (or set it to 'war')",
                )
            )
            continue
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
            continue  # not an ISO date at all: reported by the schema as invalid-date-format
        if not re.fullmatch(shapes[precision], date):
            issues.append(
                table.issue(
                    row,
                    "date",
                    "date-precision-mismatch",
                    date,
                    f"date {date!r} does not match date_precision {precision!r} "
                    f"({'YYYY-MM-DD' if precision == 'day' else 'YYYY-MM'})",
                )
            )
            continue
        first = _parse_date(date if precision == "day" else f"{date}-01")
        if first is None:
            issues.append(table.issue(row, "date", "impossible-date", date, f"date {date} is not a calendar date"))
            continue
        if first > today:
            issues.append(table.issue(row, "date", "future-date", date, f"date {date} is in the future"))
            continue
        start, end = periods.get(conflict, (None, None))
        last = first if precision == "day" else (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
        if (start and last < start) or (end and first > end):
            issues.append(
                table.issue(
                    row,
                    "date",
                    "date-outside-conflict",
                    date,
                    f"date {date} is outside the conflict {conflict} ({start} to {end or 'ongoing'})",
                )
            )
    return issues


def _aggregate_issues(ledger: Ledger) -> list[Issue]:
    """Aggregate parts must match their tally; a total that differs is flagged, not fixed."""
    table, aggregates_table = ledger.tables["losses"], ledger.tables["aggregates"]
    losses, aggregates = table.frame, aggregates_table.frame
    if "aggregate_id" not in losses or not aggregates_table.readable or "aggregate_id" not in aggregates:
        return []
    issues = _foreign_key(
        table, "aggregate_id", set(aggregates["aggregate_id"].dropna()), "unknown-aggregate", "aggregates.csv"
    )
    by_id = aggregates.set_index("aggregate_id", drop=False)
    by_id = by_id[~by_id.index.duplicated()]
    for row, (agg_id, side, category) in enumerate(
        zip(losses["aggregate_id"], losses["side_losing"], losses["category"], strict=True)
    ):
        if isinstance(agg_id, str) and agg_id in by_id.index:
            agg = by_id.loc[agg_id]
            if side != agg["side_losing"] or category != agg["category"]:
                issues.append(
                    table.issue(
                        row,
                        "aggregate_id",
                        "aggregate-mismatch",
                        agg_id,
                        f"this row ({side}, {category}) is a part of {agg_id}, which is "
                        f"({agg['side_losing']}, {agg['category']}); fix one of them",
                    )
                )
    parts = losses.groupby("aggregate_id")["quantity"].sum(min_count=1)
    for agg_row, agg in aggregates.iterrows():
        total = agg.get("total_as_printed")
        agg_id = agg.get("aggregate_id")
        if agg_id not in parts.index or pd.isna(total) or pd.isna(parts[agg_id]):
            continue
        if int(parts[agg_id]) != int(total):
            issues.append(
                aggregates_table.issue(
                    int(agg_row),
                    "total_as_printed",
                    "aggregate-parts-mismatch",
                    str(total),
                    f"the status parts of {agg_id} in losses.csv add up to {int(parts[agg_id])}, "
                    f"not {int(total)} as printed; kept as printed — check the source before correcting either",
                    severity="warning",
                )
            )
    return issues


def _counted_in_issues(table: Table) -> list[Issue]:
    """A row ``counted_in`` an aggregate must fit inside it, or items would be counted twice or lost."""
    losses = table.frame
    needed = {"counted_in", "loss_id", "quantity", "side_losing", "category", "status", "record_kind"}
    if not needed <= set(losses.columns):
        return []
    issues = _foreign_key(table, "counted_in", set(losses["loss_id"].dropna()), "unknown-loss", "losses.csv (loss_id)")
    parents = losses.drop_duplicates("loss_id").set_index("loss_id")
    for row, parent_id in losses["counted_in"].items():
        if not isinstance(parent_id, str) or parent_id not in parents.index:
            continue
        parent = parents.loc[parent_id]
        child = losses.loc[row]
        fields = [c for c in ("conflict", "side_losing", "category", "status") if child.get(c) != parent.get(c)]
        if parent["record_kind"] != "aggregate" or parent_id == child["loss_id"] or fields:
            why = f"differs in {', '.join(fields)}" if fields else "is not an aggregate row"
            issues.append(
                table.issue(
                    int(row),
                    "counted_in",
                    "counted-in-mismatch",
                    parent_id,
                    f"counted_in {parent_id!r} {why}; a row can only be counted in an aggregate of the same "
                    "conflict, side, category and status",
                )
            )
    inside = losses.dropna(subset=["counted_in"]).groupby("counted_in")["quantity"].sum()
    for parent_id, counted in inside.items():
        if parent_id in parents.index and not pd.isna(parents.loc[parent_id, "quantity"]):
            capacity = int(parents.loc[parent_id, "quantity"])
            if int(counted) > capacity:
                row = int(losses.index[losses["loss_id"].eq(parent_id)][0])
                issues.append(
                    table.issue(
                        row,
                        "quantity",
                        "counted-in-exceeds-aggregate",
                        str(capacity),
                        f"rows counted in {parent_id} hold {int(counted)} items, more than its {capacity}",
                    )
                )
    return issues


def _unit_cost_issues(ledger: Ledger) -> list[Issue]:
    table = ledger.tables["unit_costs"]
    costs = table.frame
    needed = {"price_low", "price_high", "currency", "price_year", "applicability", "source_url"}
    if not table.readable or not needed <= set(costs.columns):
        return []
    cpi = ledger.tables["cpi"].frame
    cpi_years = set(cpi["year"].dropna().astype(int)) if "year" in cpi else set()
    unparsed = {i.line for i in table.issues if i.column in ("price_low", "price_high", "price_year")}
    issues = []
    for row, obs in costs.iterrows():
        row = int(row)
        if table.line_of(row) in unparsed:
            continue  # the cell that could not be read is already reported
        low, high = obs["price_low"], obs["price_high"]
        if pd.isna(low) and pd.isna(high):
            continue  # an explicit "no price found" row
        if pd.isna(low) or pd.isna(high):
            column = "price_low" if pd.isna(low) else "price_high"
            issues.append(
                table.issue(
                    row, column, "missing-value", None, "give both price_low and price_high (equal for a single figure)"
                )
            )
            continue
        if low > high:
            issues.append(
                table.issue(
                    row,
                    "price_high",
                    "price-range-inverted",
                    str(high),
                    f"price_high {high:,.0f} is below price_low {low:,.0f}",
                )
            )
        for column, code in (
            ("currency", "missing-value"),
            ("applicability", "missing-value"),
            ("source_url", "missing-source"),
        ):
            if pd.isna(obs[column]):
                issues.append(table.issue(row, column, code, None, f"a priced observation needs {column}"))
        if isinstance(obs["currency"], str) and obs["currency"] not in vocab.CURRENCIES_USABLE:
            issues.append(
                table.issue(
                    row,
                    "currency",
                    "unusable-currency",
                    obs["currency"],
                    f"{obs['currency']} prices are kept but not used: no sourced exchange rate to USD",
                    "warning",
                )
            )
        if pd.isna(obs["price_year"]):
            issues.append(
                table.issue(
                    row,
                    "price_year",
                    "missing-price-year",
                    None,
                    "no price year, so the price cannot be moved to another dollar year; it is kept but not used",
                    "warning",
                )
            )
        elif int(obs["price_year"]) not in cpi_years:
            issues.append(
                table.issue(
                    row,
                    "price_year",
                    "no-cpi-for-year",
                    str(int(obs["price_year"])),
                    f"cpi.csv has no {int(obs['price_year'])}; the price is not used",
                    "warning",
                )
            )
    return issues


def _claim_issues(table: Table, system_ids: set[str]) -> list[Issue]:
    claims = table.frame
    if not table.readable or claims.empty:
        return []
    issues = []
    for row, claim in claims.iterrows():
        row = int(row)
        scope = claim.get("scope_systems")
        if isinstance(scope, str):
            for token in unknown_scope_tokens(scope, system_ids):
                issues.append(
                    table.issue(
                        row,
                        "scope_systems",
                        "unknown-system-group",
                        token,
                        f"{token!r} is not a system group ({', '.join(vocab.SYSTEM_GROUPS)}), family:<family>, "
                        "supplier:<country> or a system_id",
                    )
                )
        for column, allowed, code in (
            ("scope_statuses", vocab.STATUSES, "unknown-status"),
            ("scope_categories", vocab.CATEGORIES, "unknown-category"),
        ):
            for token in split_list(claim.get(column)):
                if token not in allowed:
                    close = difflib.get_close_matches(token, allowed, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    issues.append(table.issue(row, column, code, token, f"{column} has unknown value {token!r}{hint}"))
        start, end = claim.get("period_start"), claim.get("period_end")
        if isinstance(start, str) and isinstance(end, str):
            first, last = _parse_date(start), _parse_date(end)
            if first and last and first > last:
                issues.append(
                    table.issue(
                        row, "period_end", "period-inverted", end, f"period_end {end} is before period_start {start}"
                    )
                )
    return issues
