"""Validate a ledger: every schema and cross-table problem, in one report.

Pandera runs lazily on each table; its failure cases are translated into
:class:`Issue` values that point at CSV lines. Cross-table rules follow.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from . import cache, vocab
from .errors import IssueCode, LedgerInvalidError
from .frames import arrow_text, distinct_rows
from .layout import TABLES, URL_PATTERN, URLS_PATTERN
from .ledger import Ledger, LedgerLike, as_ledger
from .loading import Table
from .ratecheck import exchange_rate_issues, sourced_rates
from .results.core import Issue, Severity, ValidationReport
from .schemacheck import pandera_schema, surely_valid
from .scopes import split_list, unknown_scope_tokens

_CHECK_NAME = re.compile(r"^(?P<name>[a-z_]+)(\((?P<arg>.*)\))?$", re.S)
_OPERATORS = {
    "greater_than_or_equal_to": "at least",
    "greater_than": "greater than",
    "less_than_or_equal_to": "at most",
    "less_than": "less than",
}


def validate_ledger(ledger: LedgerLike = None, today: dt.date | None = None) -> ValidationReport:
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
    ledger = as_ledger(ledger)
    issues = list(ledger.read_issues)
    for table in ledger.tables.values():
        issues.extend(_schema_issues(table))
    issues.extend(_cross_table_issues(ledger, today or dt.date.today()))
    return ValidationReport(
        ledger=str(ledger.path),
        issues=sorted(issues, key=_issue_order),
        tables={name: len(table) for name, table in ledger.tables.items()},
    )


def require_valid(ledger: LedgerLike = None) -> Ledger:
    """Return the ledger, loaded and validated once; raise if it has errors.

    The report is kept with the ledger (``ledger.report``: a loaded ledger never changes, so every analysis of it
    validates it once) and on disk (:mod:`drone_ledger.cache`, keyed on every table file's bytes, the code, the
    declarations and the day), so that the next command on the unchanged ledger need not validate it again.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors (the report is attached).
    LedgerNotFoundError
        If the path is not a directory.
    """
    loaded = as_ledger(ledger)
    report = loaded.report_once(lambda unchecked: cache.cached_report(unchecked, validate_ledger))
    if not report.valid:
        raise LedgerInvalidError(report)
    return loaded


def validate_table(table: Table, today: dt.date | None = None) -> list[Issue]:
    """Check one table on its own: what reading it found, its schema, its dates, a period that ends too early.

    These are the rules :func:`validate_ledger` applies to the table itself; the
    rules between tables (unknown systems, conflicts, cost keys …) need the
    whole ledger and are not run.

    Parameters
    ----------
    table:
        A table as :func:`drone_ledger.loading.read_table` or ``parse_table`` returns it.
    today:
        The date after which a date counts as "in the future" (default: today).

    Returns
    -------
    list[Issue]
        Errors and warnings, in file and line order.
    """
    issues = [*table.issues, *_schema_issues(table)]
    for column in DATE_COLUMNS.get(table.spec.name, ()):
        issues.extend(_date_issues(table, column, today or dt.date.today()))
    if table.spec.name == "conflicts":
        issues.extend(_conflict_period_issues(table))
    return sorted(issues, key=_issue_order)


def _position(label: Hashable) -> int:
    """A table frame's row label as the row's position (the frames have a RangeIndex)."""
    assert isinstance(label, int | np.integer), label
    return int(label)


def _issue_order(issue: Issue) -> tuple[str, int, str, str]:
    return (issue.file, issue.line or 0, issue.column or "", issue.code)


def _schema_issues(table: Table) -> list[Issue]:
    """Check the table against its declaration; when anything fails, run its Pandera schema lazily and translate
    the failure cases (Pandera only *reports*: a table that passes the fast check never needs it)."""
    if not table.readable:
        return []
    missing = tuple(table.missing_columns)
    if surely_valid(table.spec, table.frame, missing):
        return []
    import pandera.pandas as pa  # here, not at the top: a command whose report is cached never needs Pandera

    try:
        pandera_schema(table.spec, missing).validate(table.frame, lazy=True)
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
        return table.issue(row, column, IssueCode.MISSING_VALUE, None, f"{column} is required but empty")
    if name == "isin":
        allowed = _allowed_values(table, column)
        close = difflib.get_close_matches(value_text or "", allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return table.issue(
            row,
            column,
            IssueCode.INVALID_VALUE,
            value_text,
            f"{column} must be one of {', '.join(allowed)}; got {value_text!r}{hint}",
        )
    if name in _OPERATORS:
        return table.issue(
            row,
            column,
            IssueCode.OUT_OF_RANGE,
            value_text,
            f"{column} must be {_OPERATORS[name]} {arg}, got {value_text}",
        )
    if name == "str_matches":
        return _format_issue(table, column, row, value_text, arg or "")
    if name in ("field_uniqueness", "unique"):
        return table.issue(
            row,
            column,
            IssueCode.DUPLICATE_ID,
            value_text,
            f"{column} {value_text!r} appears more than once; each row needs its own {column}",
        )
    return table.issue(row, column, IssueCode.SCHEMA_CHECK_FAILED, value_text, f"{column} failed check {check}")


def _allowed_values(table: Table, column: str) -> list[str]:
    return list(table.spec.column(column).allowed or ())


def _format_issue(table: Table, column: str, row: int | None, value: str | None, pattern: str) -> Issue:
    if URL_PATTERN in pattern or URLS_PATTERN in pattern:
        return table.issue(
            row,
            column,
            IssueCode.INVALID_URL,
            value,
            f"{column} must be an http:// or https:// link (several separated by spaces where allowed), got {value!r}",
        )
    if "[0-9]{4}" in pattern:
        return table.issue(
            row,
            column,
            IssueCode.INVALID_DATE_FORMAT,
            value,
            f"{column} must be an ISO date (YYYY-MM-DD{', or YYYY-MM' if column == 'date' else ''}), got {value!r}",
        )
    return table.issue(
        row,
        column,
        IssueCode.INVALID_ID,
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
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) and _parse_date(value) is None:
            issues.append(
                table.issue(
                    _position(row), column, IssueCode.IMPOSSIBLE_DATE, value, f"{column} {value} is not a calendar date"
                )
            )
        elif isinstance(value, str) and (parsed := _parse_date(value)) is not None and parsed > today:
            issues.append(
                table.issue(_position(row), column, IssueCode.FUTURE_DATE, value, f"{column} {value} is in the future")
            )
    return issues


#: ISO date columns (other than losses.date) checked against the calendar and today.
DATE_COLUMNS = {
    "claims": ("claim_date", "period_start", "period_end"),
    "conflicts": ("start_date", "end_date"),
    "aggregates": ("as_quoted_on",),
}


def _conflict_period_issues(table: Table) -> list[Issue]:
    """A war cannot end before it starts (an empty end_date means it is still going on)."""
    frame = table.frame
    if not table.readable or not {"start_date", "end_date"} <= set(frame.columns):
        return []
    issues = []
    for row, (start, end) in enumerate(zip(frame["start_date"], frame["end_date"], strict=True)):
        if isinstance(start, str) and isinstance(end, str):
            first, last = _parse_date(start), _parse_date(end)
            if first and last and first > last:
                issues.append(
                    table.issue(
                        row, "end_date", IssueCode.PERIOD_INVERTED, end, f"end_date {end} is before start_date {start}"
                    )
                )
    return issues


def _cross_table_issues(ledger: Ledger, today: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    tables = ledger.tables
    conflicts = tables["conflicts"].frame
    conflict_ids = set(conflicts["conflict_id"].dropna()) if "conflict_id" in conflicts else set()
    systems = tables["systems"].frame
    system_ids = set(systems["system_id"].dropna()) if "system_id" in systems else set()
    cost_keys = set(tables["unit_costs"].frame.get("cost_key", pd.Series(dtype="str")).dropna())

    for name, spec in TABLES.items():  # every table whose declaration says its conflict is a key of conflicts.csv
        table = tables[name]
        if "conflict" not in spec.columns or spec.column("conflict").references != "conflicts.conflict_id":
            continue
        if table.readable and "conflict" in table.frame and tables["conflicts"].readable:
            issues.extend(_foreign_key(table, "conflict", conflict_ids, IssueCode.UNKNOWN_CONFLICT, "conflicts.csv"))
    costs, claims = tables["unit_costs"], tables["claims"]
    if costs.readable and "stated_in_claim" in costs.frame and claims.readable and "claim_id" in claims.frame:
        known_claims = claims.frame["claim_id"].dropna()
        issues.extend(_foreign_key(costs, "stated_in_claim", known_claims, IssueCode.UNKNOWN_CLAIM, "claims.csv"))
    issues.extend(exchange_rate_issues(tables["exchange_rates"]))

    for name, columns in DATE_COLUMNS.items():
        for column in columns:
            issues.extend(_date_issues(tables[name], column, today))
    issues.extend(_conflict_period_issues(tables["conflicts"]))

    issues.extend(_loss_issues(ledger, conflicts, system_ids, cost_keys, today))
    issues.extend(_unit_cost_issues(ledger))
    issues.extend(_claim_issues(tables["claims"], system_ids))
    issues.extend(_category_list_issues(tables["categories"]))
    proxies = tables["category_proxies"]
    if proxies.readable and "cost_key" in proxies.frame and tables["unit_costs"].readable:
        keys = proxies.frame["cost_key"]
        for row, key in keys[_unknown(keys, cost_keys)].items():
            if isinstance(key, str):
                issues.append(
                    proxies.issue(
                        _position(row),
                        "cost_key",
                        IssueCode.UNKNOWN_COST_KEY,
                        key,
                        f"cost_key {key!r} has no row in unit_costs.csv; the category will be uncosted",
                        Severity.WARNING,
                    )
                )
    return issues


def _unknown(values: pd.Series, known: Iterable[str]) -> pd.Series:
    """Mask of the non-empty cells whose value is not among ``known`` (vectorised: no per-row Python).

    pandas' ``isin`` on Arrow strings turns the value set into Python objects first, which costs seconds when
    the set is a million loss ids; Arrow's ``is_in`` hashes it natively.
    """
    present = values.notna()
    if not present.any():
        return present  # e.g. counted_in, empty on almost every ledger: no need to hash a million loss ids
    try:
        value_set = arrow_text(pd.Series(list(known)) if isinstance(known, set) else pd.Series(known))
        cells = arrow_text(values)
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError, pyarrow.ArrowNotImplementedError):  # not text
        return values.notna() & ~values.isin(pd.Index(list(known)))
    found = pc.is_in(cells, value_set=value_set).to_numpy(zero_copy_only=False)
    return present & ~pd.Series(found, index=values.index)


def _foreign_key(table: Table, column: str, known: Iterable[str], code: IssueCode, target: str) -> list[Issue]:
    values = table.frame[column]
    bad = _unknown(values, known)
    if not bad.any():
        return []
    choices = sorted(set(pd.Series(list(known) if isinstance(known, set) else known).dropna().astype(str)))
    issues = []
    for row in values.index[bad]:
        value = str(values[row])
        close = difflib.get_close_matches(value, choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; add it to {target} first"
        issues.append(table.issue(_position(row), column, code, value, f"{column} {value!r} is not in {target}{hint}"))
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
        issues.extend(_foreign_key(table, "attributed_system", system_ids, IssueCode.UNKNOWN_SYSTEM, "systems.csv"))
        for row, cell in losses["attributed_also"].dropna().items():
            for system in split_list(cell):
                if system not in system_ids:
                    issues.append(
                        table.issue(
                            _position(row),
                            "attributed_also",
                            IssueCode.UNKNOWN_SYSTEM,
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
                    _position(row),
                    "attribution_confidence",
                    IssueCode.MISSING_CONFIDENCE,
                    None,
                    "attribution_confidence is required when attributed_system names a system "
                    f"({', '.join(vocab.CONFIDENCES)})",
                )
            )
    issues.extend(_loss_date_issues(table, conflicts, today))
    issues.extend(_aggregate_issues(ledger))
    issues.extend(_counted_in_issues(table))
    if "cost_key" in losses and ledger.tables["unit_costs"].readable:
        keys = losses["cost_key"]
        for row, key in keys[_unknown(keys, cost_keys)].items():
            if isinstance(key, str):
                issues.append(
                    table.issue(
                        _position(row),
                        "cost_key",
                        IssueCode.UNKNOWN_COST_KEY,
                        key,
                        f"cost_key {key!r} has no row in unit_costs.csv; this loss will be uncosted",
                        Severity.WARNING,
                    )
                )
    return issues


def _loss_date_issues(table: Table, conflicts: pd.DataFrame, today: dt.date) -> list[Issue]:
    """Each loss's date interval against the calendar, today and its war; vectorised, rows visited only if bad.

    The rules read only date_earliest, date_latest and conflict, so they run once per distinct combination.
    """
    losses = table.frame
    columns = ["date_earliest", "date_latest", "conflict"]
    if not set(columns) <= set(losses.columns):
        return []
    codes, distinct = distinct_rows(losses, columns)
    issues = []
    for (code, column), found in _date_verdicts(distinct, conflicts, today).items():
        bad = np.flatnonzero(np.isin(codes, found.index.to_numpy()))
        for position in bad:
            value, message = found.loc[codes[position]]
            issues.append(table.issue(int(position), column, code, value, message))
    return issues


def _date_verdicts(
    distinct: pd.DataFrame, conflicts: pd.DataFrame, today: dt.date
) -> dict[tuple[IssueCode, str], pd.Series]:
    """For each (problem code, column), the distinct combinations that have it, with (value, message)."""
    parsed = {}
    for column in ("date_earliest", "date_latest"):
        text = distinct[column]
        iso = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False).astype(bool)  # others: the schema
        parsed[column] = (text, iso, pd.to_datetime(text.where(iso), format="%Y-%m-%d", errors="coerce"))
    has_dates = {"conflict_id", "start_date", "end_date"} <= set(conflicts.columns)
    bounds = conflicts.drop_duplicates("conflict_id").set_index("conflict_id") if has_dates else None
    missing = pd.Series(pd.NA, index=distinct.index)
    start = pd.to_datetime(
        distinct["conflict"].map(bounds["start_date"]) if bounds is not None else missing, errors="coerce"
    )
    end = pd.to_datetime(
        distinct["conflict"].map(bounds["end_date"]) if bounds is not None else missing, errors="coerce"
    )
    first_text, _, first = parsed["date_earliest"]
    last_text, _, last = parsed["date_latest"]

    def war(i: Any) -> str:
        return f"the conflict {distinct['conflict'][i]!s} ({start[i].date()} to " + (
            f"{end[i].date()})" if pd.notna(end[i]) else "ongoing)"
        )

    def saying(column: str, text: pd.Series, what: str) -> Callable[[Any], str]:
        return lambda i: f"{column} {text[i]} {what}"

    checks: list[tuple[IssueCode, str, pd.Series, Callable[[Any], str]]] = []
    for column, (text, iso, when) in parsed.items():
        checks += [
            (IssueCode.IMPOSSIBLE_DATE, column, iso & when.isna(), saying(column, text, "is not a calendar date")),
            (IssueCode.FUTURE_DATE, column, when > pd.Timestamp(today), saying(column, text, "is in the future")),
        ]
    checks += [
        (
            IssueCode.DATE_INTERVAL_INVERTED,
            "date_latest",
            last < first,
            lambda i: f"date_latest {last_text[i]} is before date_earliest {first_text[i]}; swap them",
        ),
        (
            IssueCode.DATE_OUTSIDE_CONFLICT,
            "date_latest",
            start.notna() & (last < start),
            lambda i: f"date_latest {last_text[i]} is before {war(i)}: the loss cannot be part of it",
        ),
        (
            IssueCode.DATE_OUTSIDE_CONFLICT,
            "date_earliest",
            end.notna() & (first > end),
            lambda i: f"date_earliest {first_text[i]} is after {war(i)}: the loss cannot be part of it",
        ),
    ]
    verdicts: dict[tuple[IssueCode, str], pd.Series] = {}
    for code, column, mask, message in checks:
        value = distinct[column]
        found = {
            i: (value[i] if isinstance(value[i], str) else None, message(i))
            for i in distinct.index[mask.fillna(False).astype(bool)]
        }
        if found:
            previous = verdicts.get((code, column))
            series = pd.Series(found, dtype=object)
            verdicts[(code, column)] = series if previous is None else pd.concat([previous, series])
    return verdicts


def _aggregate_issues(ledger: Ledger) -> list[Issue]:
    """Aggregate parts must match their tally; a total that differs is flagged, not fixed."""
    table, aggregates_table = ledger.tables["losses"], ledger.tables["aggregates"]
    losses, aggregates = table.frame, aggregates_table.frame
    if "aggregate_id" not in losses or not aggregates_table.readable or "aggregate_id" not in aggregates:
        return []
    issues = _foreign_key(
        table, "aggregate_id", set(aggregates["aggregate_id"].dropna()), IssueCode.UNKNOWN_AGGREGATE, "aggregates.csv"
    )
    by_id = aggregates.drop_duplicates("aggregate_id").set_index("aggregate_id")
    expected_side = losses["aggregate_id"].map(by_id["side_losing"])
    expected_category = losses["aggregate_id"].map(by_id["category"])
    differs = expected_side.notna() & (
        losses["side_losing"].ne(expected_side) | losses["category"].ne(expected_category)
    )
    for row in losses.index[differs.fillna(False).astype(bool)]:
        agg_id, side, category = losses.loc[row, ["aggregate_id", "side_losing", "category"]]
        issues.append(
            table.issue(
                _position(row),
                "aggregate_id",
                IssueCode.AGGREGATE_MISMATCH,
                agg_id,
                f"this row ({side}, {category}) is a part of {agg_id}, which is "
                f"({by_id.loc[agg_id, 'side_losing']}, {by_id.loc[agg_id, 'category']}); fix one of them",
            )
        )
    parts = losses.groupby("aggregate_id")["quantity"].sum(min_count=1).to_dict()
    printed = aggregates["total_as_printed"].tolist() if "total_as_printed" in aggregates else [None] * len(aggregates)
    for agg_row, (total, agg_id) in enumerate(zip(printed, aggregates["aggregate_id"].tolist(), strict=True)):
        part = parts.get(agg_id)
        if part is None or pd.isna(total) or pd.isna(part):
            continue
        if int(part) != int(total):
            issues.append(
                aggregates_table.issue(
                    agg_row,
                    "total_as_printed",
                    IssueCode.AGGREGATE_PARTS_MISMATCH,
                    str(total),
                    f"the status parts of {agg_id} in losses.csv add up to {int(part)}, "
                    f"not {int(total)} as printed; kept as printed — check the source before correcting either",
                    severity=Severity.WARNING,
                )
            )
    return issues


def _counted_in_issues(table: Table) -> list[Issue]:
    """A row ``counted_in`` an aggregate must fit inside it, or items would be counted twice or lost."""
    losses = table.frame
    needed = {"counted_in", "loss_id", "quantity", "side_losing", "category", "status", "record_kind"}
    if not needed <= set(losses.columns):
        return []
    issues = _foreign_key(
        table, "counted_in", losses["loss_id"].dropna(), IssueCode.UNKNOWN_LOSS, "losses.csv (loss_id)"
    )
    if losses["counted_in"].isna().all():
        return issues  # the common case: nothing nested, nothing more to check
    parents = losses.drop_duplicates("loss_id").set_index("loss_id")
    for row, parent_id in losses["counted_in"].items():
        if not isinstance(parent_id, str) or parent_id not in parents.index:
            continue
        parent = parents.loc[parent_id]
        child = losses.iloc[_position(row)]
        fields = [c for c in ("conflict", "side_losing", "category", "status") if child.get(c) != parent.get(c)]
        if parent["record_kind"] != "aggregate" or parent_id == child["loss_id"] or fields:
            why = f"differs in {', '.join(fields)}" if fields else "is not an aggregate row"
            issues.append(
                table.issue(
                    _position(row),
                    "counted_in",
                    IssueCode.COUNTED_IN_MISMATCH,
                    parent_id,
                    f"counted_in {parent_id!r} {why}; a row can only be counted in an aggregate of the same "
                    "conflict, side, category and status",
                )
            )
    inside = losses.dropna(subset=["counted_in"]).groupby("counted_in")["quantity"].sum()
    capacities = parents["quantity"].to_dict()
    for parent_id, counted in inside.items():
        if not pd.isna(cell := capacities.get(parent_id)):
            capacity = int(cell)
            if int(counted) > capacity:
                row = int(losses.index[losses["loss_id"].eq(str(parent_id))][0])
                issues.append(
                    table.issue(
                        row,
                        "quantity",
                        IssueCode.COUNTED_IN_EXCEEDS_AGGREGATE,
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
    rates = sourced_rates(ledger.tables["exchange_rates"])
    unparsed = {i.line for i in table.issues if i.column in ("price_low", "price_high", "price_year")}
    issues = []
    for label, obs in costs.iterrows():
        row = _position(label)
        if table.line_of(row) in unparsed:
            continue  # the cell that could not be read is already reported
        low, high = obs["price_low"], obs["price_high"]
        if pd.isna(low) and pd.isna(high):
            continue  # an explicit "no price found" row
        if pd.isna(low) or pd.isna(high):
            column = "price_low" if pd.isna(low) else "price_high"
            issues.append(
                table.issue(
                    row,
                    column,
                    IssueCode.MISSING_VALUE,
                    None,
                    "give both price_low and price_high (equal for a single figure)",
                )
            )
            continue
        if low > high:
            issues.append(
                table.issue(
                    row,
                    "price_high",
                    IssueCode.PRICE_RANGE_INVERTED,
                    str(high),
                    f"price_high {high:,.0f} is below price_low {low:,.0f}",
                )
            )
        for column, code in (
            ("currency", IssueCode.MISSING_VALUE),
            ("applicability", IssueCode.MISSING_VALUE),
            ("source_url", IssueCode.MISSING_SOURCE),
        ):
            if pd.isna(obs[column]):
                issues.append(table.issue(row, column, code, None, f"a priced observation needs {column}"))
        if (
            isinstance(obs["currency"], str)
            and obs["currency"] not in vocab.CURRENCIES_USABLE
            and (pd.isna(obs["price_year"]) or (obs["currency"], int(obs["price_year"])) not in rates)
        ):
            year = "" if pd.isna(obs["price_year"]) else f" for {int(obs['price_year'])}"
            issues.append(
                table.issue(
                    row,
                    "currency",
                    IssueCode.UNUSABLE_CURRENCY,
                    obs["currency"],
                    f"{obs['currency']} prices are kept but not used: no sourced exchange rate to USD{year} "
                    "(exchange_rates.csv)",
                    Severity.WARNING,
                )
            )
        if pd.isna(obs["price_year"]):
            issues.append(
                table.issue(
                    row,
                    "price_year",
                    IssueCode.MISSING_PRICE_YEAR,
                    None,
                    "no price year, so the price cannot be moved to another dollar year; it is kept but not used",
                    Severity.WARNING,
                )
            )
        elif int(obs["price_year"]) not in cpi_years:
            issues.append(
                table.issue(
                    row,
                    "price_year",
                    IssueCode.NO_CPI_FOR_YEAR,
                    str(int(obs["price_year"])),
                    f"cpi.csv has no {int(obs['price_year'])}; the price is not used",
                    Severity.WARNING,
                )
            )
    return issues


def _category_list_issues(table: Table) -> list[Issue]:
    """A war's category list: each category once per war, and ``may_include`` naming known categories."""
    frame = table.frame
    if not table.readable or frame.empty or not {"conflict", "category"} <= set(frame.columns):
        return []
    issues = []
    seen: dict[tuple[object, object], int] = {}
    for label, conflict, category in zip(frame.index, frame["conflict"], frame["category"], strict=True):
        row = _position(label)
        if (conflict, category) in seen and isinstance(category, str):
            issues.append(
                table.issue(
                    row,
                    "category",
                    IssueCode.DUPLICATE_ID,
                    category,
                    f"{category!r} is listed for {conflict} already (line {table.line_of(seen[conflict, category])}); "
                    "keep one row per war and category",
                )
            )
        seen.setdefault((conflict, category), row)
    for label, cell in frame.get("may_include", pd.Series(dtype="str")).items():
        for token in split_list(cell):
            if token not in vocab.LOSS_CATEGORIES:
                close = difflib.get_close_matches(token, vocab.LOSS_CATEGORIES, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                issues.append(
                    table.issue(
                        _position(label),
                        "may_include",
                        IssueCode.UNKNOWN_CATEGORY,
                        token,
                        f"may_include has unknown category {token!r}{hint}",
                    )
                )
    return issues


def _claim_issues(table: Table, system_ids: set[str]) -> list[Issue]:
    claims = table.frame
    if not table.readable or claims.empty:
        return []
    issues = []
    for label, claim in claims.iterrows():
        row = _position(label)
        scope = claim.get("scope_systems")
        if isinstance(scope, str):
            for token in unknown_scope_tokens(scope, system_ids):
                issues.append(
                    table.issue(
                        row,
                        "scope_systems",
                        IssueCode.UNKNOWN_SYSTEM_GROUP,
                        token,
                        f"{token!r} is not a system group ({', '.join(vocab.SYSTEM_GROUPS)}), family:<family>, "
                        "supplier:<country> or a system_id",
                    )
                )
        for column, allowed, code in (
            ("scope_statuses", vocab.STATUSES, IssueCode.UNKNOWN_STATUS),
            ("scope_categories", vocab.LOSS_CATEGORIES, IssueCode.UNKNOWN_CATEGORY),
        ):
            for token in split_list(claim.get(column)):
                if token not in allowed:
                    close = difflib.get_close_matches(token, allowed, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    issues.append(table.issue(row, column, code, token, f"{column} has unknown value {token!r}{hint}"))
        start, end = claim.get("period_start"), claim.get("period_end")
        if claim.get("unit") == "USD" and not isinstance(claim.get("claim_date"), str) and not isinstance(end, str):
            issues.append(
                table.issue(
                    row,
                    "period_end",
                    IssueCode.UNDATED_DOLLAR_CLAIM,
                    None,
                    "a dollar claim needs a claim_date or a period_end, the year its dollars are in; give the one "
                    "the source states",
                )
            )
        if isinstance(start, str) and isinstance(end, str):
            first, last = _parse_date(start), _parse_date(end)
            if first and last and first > last:
                issues.append(
                    table.issue(
                        row,
                        "period_end",
                        IssueCode.PERIOD_INVERTED,
                        end,
                        f"period_end {end} is before period_start {start}",
                    )
                )
    return issues
