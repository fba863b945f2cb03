"""Analysis a researcher can publish: trace a figure to its rows, break totals down, vary the assumptions,
and price count claims at the ledger's own unit costs.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Hashable, Iterable
from typing import Any, cast

import numpy as np
import pandas as pd

from . import vocab
from .claims import (
    BUCKETS,
    PERIOD_IN,
    bucket_total,
    claim_dollar_year,
    claim_scope,
    compare_claim,
    conflict_start,
)
from .context import Context, context
from .costing import claim_cost_key, conversions, unit_value
from .errors import AnalysisUsageError
from .gaps import price_basis
from .layout import LOSS_PROVENANCE_COLUMNS
from .ledger import LedgerLike
from .lossindex import loss_interval
from .results.analysis import (
    Breakdown,
    BreakdownGroup,
    Consistency,
    ConsistencyGroup,
    CountClaimPrice,
    DollarClaimMatch,
    ObservationUsed,
    Scenario,
    Sensitivity,
    Trace,
    TraceRow,
)
from .results.core import CONFIDENCE_LEVELS, Assumptions, BucketTotal, ValueRange, clean_number
from .scopes import split_list, why_unlike
from .validation import require_valid

TRACE_BUCKETS = (*BUCKETS, "uncosted")
#: Fields a breakdown groups and filters by. ``system`` is what the ledger records (whatever its confidence);
#: ``confidence`` is that attribution's confidence (``none`` when unattributed).
BREAKDOWN_FIELDS = (
    "system",
    "family",
    "turkish_supplied",
    "category",
    "model",
    "status",
    "side",
    "conflict",
    "week",
    "month",
    "confidence",
    "record_kind",
)

__all__ = [
    "BREAKDOWN_FIELDS",
    "TRACE_BUCKETS",
    "breakdown",
    "claim_consistency",
    "sensitivity",
    "sensitivity_scenarios",
    "trace_claim",
]


def _range(frame: pd.DataFrame, factor: float = 1.0) -> ValueRange:
    costed = frame[frame["costed"]]
    sums = ValueRange(
        float(costed["value_low"].sum()), float(costed["value_central"].sum()), float(costed["value_high"].sum())
    )
    return sums.scaled(factor)


def _check_values(name: str, wanted: Iterable[str], known: Iterable[str]) -> None:
    """Refuse filter values that match nothing the ledger has, with the valid ones and a "did you mean"."""
    choices = sorted({str(k) for k in known})
    bad = [value for value in wanted if value not in choices]
    if not bad:
        return
    close = difflib.get_close_matches(bad[0], choices, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(choices[:20]) + (f" … ({len(choices)} in all)" if len(choices) > 20 else "")
    raise AnalysisUsageError(f"{name} {bad[0]!r} is not in this ledger (it has: {listed}){hint}")


# --- trace ---------------------------------------------------------------------------------------------------------


def trace_claim(
    ledger: LedgerLike,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    bucket: str = "unattributed",
    system: str | None = None,
    category: str | None = None,
    assumptions: Assumptions | None = None,
) -> Trace:
    """List the losses behind a bucket of a claim comparison (``uncosted``: the uncosted ones of every bucket).

    Each row carries its quantity, bucket (and, unattributed, why), the system the ledger records with its
    confidence, whether it is certainly or only possibly inside the claim's period, its unit value range, the
    price observations used (with their sources) and the loss's own source. For a costed bucket the rows' values
    add up to the bucket's figure in :func:`compare_claim`.

    Raises
    ------
    AnalysisUsageError
        An unknown bucket, or a system or category the ledger does not have.
    """
    if bucket not in TRACE_BUCKETS:
        raise AnalysisUsageError(f"--bucket must be one of {', '.join(TRACE_BUCKETS)}, not {bucket!r}")
    loaded = require_valid(ledger)
    if system is not None:
        _check_values("--system", [system], loaded["systems"]["system_id"])
    if category is not None:
        _check_values("--category", [category], loaded["losses"]["category"].dropna().unique())
    scope = claim_scope(context(loaded, assumptions), claim_id)
    rows = _trace_rows(scope.rows, bucket, system, category)
    factor = scope.factor
    observations = scope.observations
    columns = ("obs_id", "source_url", "low_usd", "high_usd", "applicability")
    obs = {cells[0]: cells[1:] for cells in zip(*(observations[c].tolist() for c in columns), strict=True)}
    converted = conversions(observations)

    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    def unit_range(prefix: str, r: dict[Hashable, Any]) -> ValueRange | None:
        central = r[f"{prefix}_central"]
        if pd.isna(central):
            return None
        return ValueRange(r[f"{prefix}_low"], central, r[f"{prefix}_high"]).scaled(factor)

    def used(obs_id: str) -> ObservationUsed:
        source_url, low, high, applicability = obs[obs_id]
        return ObservationUsed(
            obs_id=obs_id,
            source_url=text(source_url),
            low_usd=clean_number(low * factor),
            high_usd=clean_number(high * factor),
            applicability=text(applicability),
            converted=converted.get(obs_id),
        )

    listed = [
        TraceRow(
            loss_id=r["loss_id"],
            bucket=r["bucket"],
            part=text(r["part"]),
            category=r["category"],
            model=text(r["model"]),
            status=r["status"],
            items=int(r["effective_quantity"]),
            system=text(r["attributed_system"]) or vocab.UNATTRIBUTED,
            confidence=text(r["attribution_confidence"]),
            period=r["period"],
            date_as_reported=text(r["date_as_reported"]),
            unit_usd=unit_range("unit", r),
            value_usd=unit_range("value", r),
            cost_key=text(r["cost_key_used"]),
            cost_basis=r["cost_basis"],
            cost_assumption=text(r["cost_assumption"]),
            uncosted_reason=text(r["uncosted_reason"]),
            observations=[used(o) for o in split_list(str(r["obs_ids"]).replace(";", "|"))],
            source_url=r["source_url"],
            shared_with=text(r.get("attributed_also")) if text(r["attributed_system"]) != vocab.UNATTRIBUTED else None,
            provenance={c: v for c in LOSS_PROVENANCE_COLUMNS if (v := text(r.get(c)))} or None,
        )
        for r in rows.sort_values(["bucket", "category", "loss_id"]).to_dict("records")
    ]
    filters = {k: v for k, v in (("system", system), ("category", category)) if v is not None}
    items = int(rows["effective_quantity"].sum())
    positions = np.sort(scope.ctx.facts.losses.index.get_indexer(rows.index))  # the losses' places in the ledger
    return Trace(
        str(scope.claim["claim_id"]),
        bucket,
        scope.dollar_year,
        filters,
        listed,
        items,
        _range(rows, factor),
        on_shared_credit=_shared_part(scope.ctx, rows, factor),
        price_basis=price_basis(scope, positions),
    )


def _trace_rows(rows: pd.DataFrame, bucket: str, system: str | None, category: str | None) -> pd.DataFrame:
    """A claim scope's rows in ``bucket`` (``uncosted``: the uncosted rows of every bucket), credited to ``system``
    (solely or shared) and of ``category``, where given."""
    rows = rows[~rows["costed"]] if bucket == "uncosted" else rows[rows["bucket"].eq(bucket)]
    if system is not None:
        credited = rows["attributed_system"].eq(system) | rows["attributed_also"].fillna("").map(
            lambda also: system in split_list(also)
        )
        rows = rows[credited]
    if category is not None:
        rows = rows[rows["category"].eq(category)]
    return rows


def _shared_part(ctx: Context, rows: pd.DataFrame, factor: float) -> BucketTotal | None:
    """The total of the rows (a claim scope's, indexed by ledger position) credited to several systems, if any."""
    shared = rows[ctx.facts.index.shared_credit()[rows.index.to_numpy()]] if len(rows) else rows
    return bucket_total("shared", shared, factor=factor) if len(shared) else None


# --- breakdown -----------------------------------------------------------------------------------------------------


def analysis_frame(ctx: Context) -> pd.DataFrame:
    """Every loss, costed (each in its war's dollar year unless the assumptions name one: the ``dollar_year``
    column), with the fields breakdowns group by (system as recorded, family, week, month …)."""
    costed = ctx.costed_by_war()
    costed = costed[costed["effective_quantity"].gt(0)].copy()
    systems = ctx.facts.systems.set_index("system_id")
    costed["system"] = costed["attributed_system"].fillna(vocab.UNATTRIBUTED)
    costed["family"] = costed["system"].map(systems["family"]).fillna("unknown")
    costed["turkish_supplied"] = costed["system"].map(systems["turkish_supplied"]).fillna("unknown")
    costed["side"] = costed["side_losing"]
    costed["confidence"] = costed["attribution_confidence"].fillna("none")
    first, last = loss_interval(costed, ctx.facts.conflicts)  # a loss is placed in a week or month only if its
    week, month = first.dt.strftime("%G-W%V"), first.dt.strftime("%Y-%m")  # whole date interval lies in it
    costed["month"] = month.where(month.eq(last.dt.strftime("%Y-%m")), "(spans months)")
    costed["week"] = week.where(week.eq(last.dt.strftime("%G-W%V")), "(spans weeks)")
    costed["model"] = costed["model"].fillna("(category aggregate)")
    costed["period"] = PERIOD_IN
    return costed


def breakdown(
    ledger: LedgerLike,
    by: list[str],
    where: dict[str, list[str]] | None = None,
    assumptions: Assumptions | None = None,
) -> Breakdown:
    """Group every loss (after ``where`` filters) by ``by`` fields; the groups of each side add up to its total.

    Fields: system (as the ledger records it), family, turkish_supplied, category, model, status, side,
    conflict, week, month (a loss whose date interval spans several is grouped apart), confidence, record_kind.
    Grouping by ``system`` shows the confidence beside it. Losses of different sides are never added together:
    when the losses left hold more than one side, ``side`` is added to the groups, each side gets its own total
    and no total adds them up (a note says so). Values are in each war's dollar year (the year it began) unless
    ``assumptions.dollar_year`` names one; wars whose years differ are grouped apart in the same way.

    Raises
    ------
    AnalysisUsageError
        An unknown field, no ``by``, or a filter value the ledger does not have (with the valid values).
    """
    where = where or {}
    unknown = [f for f in [*by, *where] if f not in BREAKDOWN_FIELDS]
    if unknown or not by:
        raise AnalysisUsageError(
            f"group and filter by {', '.join(BREAKDOWN_FIELDS)}; "
            f"{'unknown: ' + ', '.join(unknown) if unknown else 'give at least one --by'}"
        )
    ctx = context(require_valid(ledger), assumptions)
    frame = analysis_frame(ctx)
    for column, values in where.items():
        _check_values(f"--where {column}=", values, frame[column].astype(str).unique())
        frame = frame[frame[column].astype(str).isin(values)]
    fields = list(dict.fromkeys(by))
    notes = []
    if "system" in fields and "confidence" not in fields:
        fields.insert(fields.index("system") + 1, "confidence")
    apart = []  # what totals are never added across: the side, and the war when the wars' dollar years differ
    years = sorted(set(frame["dollar_year"].tolist()))
    if len(years) > 1:
        apart.append("conflict")
        notes.append(
            f"grouped by conflict too: each war's values are in its own dollar year ({', '.join(map(str, years))}), "
            "never added together; --dollar-year puts them in one"
        )
    sides = frame["side"].nunique()
    if sides > 1:
        apart.append("side")
        notes.append(f"grouped by side too: the losses hold {sides} sides, whose losses are never added together")
    for name in reversed(apart):
        if name not in fields:
            fields.insert(0, name)

    def keyed(key: object, names: list[str]) -> dict[str, str]:
        return dict(zip(names, (str(k) for k in (key if isinstance(key, tuple) else (key,))), strict=True))

    def year_of(group: pd.DataFrame) -> int:
        return int(group["dollar_year"].iloc[0]) if len(group) else (years[0] if years else ctx.facts.first_year)

    groups = [
        BreakdownGroup(keyed(key, fields), bucket_total("group", group), year_of(group))
        for key, group in frame.groupby(fields, sort=True, dropna=False)
    ]
    groups.sort(key=lambda g: (-g.total.value.central, -g.total.items))
    if apart:
        totals = [
            BreakdownGroup(keyed(key, apart), bucket_total("total", group), year_of(group))
            for key, group in frame.groupby(apart, sort=True, dropna=False)
        ]
    else:
        totals = [BreakdownGroup({}, bucket_total("total", frame), year_of(frame))]
    year = years[0] if len(years) == 1 else (None if years else ctx.assumptions.dollar_year or ctx.facts.first_year)
    return Breakdown(fields, where, year, ctx.assumptions, groups, totals, notes)


# --- sensitivity ---------------------------------------------------------------------------------------------------


def sensitivity_scenarios(latest_cpi_year: int) -> list[tuple[str, str, Assumptions]]:
    """The scenarios: the default, one assumption changed at a time, and the best and worst case for the claim.

    The worst case reads every choice against the claim (the lowest unit value any choice of prices gives,
    damaged items worth nothing, attributions to the claim's means only at high confidence and attributions
    elsewhere at any, only losses certainly inside the period); the best case reads every choice for it. Each
    of those choices moves a figure one way only, so the worst case is at most, and the best case at least,
    every other scenario (tests/test_properties.py checks it on random ledgers).
    """
    base = Assumptions()
    change = dataclasses.replace
    return [
        ("default", "default", base),
        ("prices", "direct + upper references", change(base, applicability=("direct", "upper_reference"))),
        ("prices", "direct + floor references", change(base, applicability=("direct", "floor_reference"))),
        ("prices", "all references", change(base, applicability=("direct", "upper_reference", "floor_reference"))),
        ("prices", "central = mean of midpoints", change(base, central="mean")),
        ("damaged items", "worth 0", change(base, damaged_weight=0.0)),
        ("damaged items", "worth 50%", change(base, damaged_weight=0.5)),
        ("attribution", "high confidence only", change(base, attributed_confidences=("high",))),
        ("attribution", "high + medium", change(base, attributed_confidences=("high", "medium"))),
        ("attribution", "+ unverified", change(base, attributed_confidences=CONFIDENCE_LEVELS)),
        ("dates", "only losses certainly in the period", change(base, include_possibly_in_period=False)),
        ("dollar year", str(latest_cpi_year), change(base, dollar_year=latest_cpi_year)),
        (
            "best case for the claim",
            "highest prices, means at any confidence, others at high only",
            change(
                base,
                price_extreme="highest",
                attributed_confidences=CONFIDENCE_LEVELS,
                other_confidences=("high",),
            ),
        ),
        (
            "worst case for the claim",
            "lowest prices, damaged 0, means at high only, others at any, only certainly in period",
            change(
                base,
                price_extreme="lowest",
                damaged_weight=0.0,
                attributed_confidences=("high",),
                other_confidences=CONFIDENCE_LEVELS,
                include_possibly_in_period=False,
            ),
        ),
    ]


def sensitivity(ledger: LedgerLike, claim_id: str = vocab.DEFAULT_CLAIM_ID) -> Sensitivity:
    """Recompute a claim's documented total and ceiling under each scenario of :func:`sensitivity_scenarios`."""
    loaded = require_valid(ledger)
    latest = int(loaded["cpi"]["year"].max())
    rows = []
    comparisons = []
    for group, label, assumptions in sensitivity_scenarios(latest):
        comparison = compare_claim(loaded, claim_id, assumptions)
        comparisons.append(comparison)
        rows.append(
            Scenario(group, label, comparison.dollar_year, assumptions, comparison.documented, comparison.ceiling)
        )
    default = comparisons[0]
    return Sensitivity(
        str(default.claim["claim_id"]),
        float(default.claim["amount"]),
        default.measure,
        rows,
        figure="documented" if default.all_means else "ceiling",
        price_basis=default.price_basis,
    )


# --- claim consistency ---------------------------------------------------------------------------------------------


def claim_consistency(ledger: LedgerLike, assumptions: Assumptions | None = None) -> Consistency:
    """Price each set of count claims (same claimant, date and outlet) at the ledger's unit values.

    A count claim reaches a price through its ``scope_cost_key`` (the model it names) or, for a whole category,
    the ledger's documented category proxy (shown as an assumption); otherwise it is uncosted and listed. Each
    set is then set against every dollar claim about the same side's losses, counting only the count claims that
    are like it: their statuses within the dollar claim's, their period within its period, their means within its
    means and their categories within its categories. What was matched, and why the rest was not, is listed.
    Shares are taken in each dollar claim's own dollars, so the dollar year never moves them.
    """
    ctx = context(require_valid(ledger), assumptions)
    assumptions = ctx.assumptions
    claims = ctx.facts.claims

    def values_in(dollar_year: int, conflict: str) -> pd.DataFrame:
        return ctx.pricing(dollar_year).values(conflict)  # unit values, once per ledger, dollar year and war

    proxies = ctx.facts.proxies
    counts = claims[claims["unit"].ne("USD")]
    dollars = claims[claims["unit"].eq("USD")]
    groups = []
    keys = ["claimant", "claim_date", "outlet", "scope_side", "conflict"]
    for key, group in counts.groupby(keys, dropna=False, sort=False):
        claimant, date, outlet, side, conflict = cast(tuple[Any, Any, Any, Any, Any], key)
        start = conflict_start(ctx.facts.conflicts, conflict)
        year = assumptions.dollar_year or claim_dollar_year(group.iloc[0], start)  # the claims' own year
        lines = [_price_count_claim(claim, proxies, values_in(year, conflict)) for claim in group.itertuples()]
        implied = _sum_ranges([line.implied_usd for line in lines])
        same = dollars["scope_side"].eq(side) & dollars["conflict"].eq(conflict)
        against = [
            _match(dollar, group, proxies, values_in(claim_dollar_year(dollar, start), conflict))
            for _, dollar in dollars[same].iterrows()
        ]
        groups.append(
            ConsistencyGroup(
                claimant=str(claimant),
                claim_date=None if pd.isna(date) else str(date),
                outlet=None if pd.isna(outlet) else str(outlet),
                side=str(side),
                claims=lines,
                implied_usd=implied or ValueRange(0.0, 0.0, 0.0),
                against=against,
                dollar_year=year,
            )
        )
    notes = [
        "an implied value counts only the claimed items that have a usable price; the uncosted ones would add "
        "an unknown amount",
        "a dollar claim is set only against the count claims like it: statuses, period, means and equipment within "
        "its own",
    ]
    years = sorted({g.dollar_year for g in groups})
    return Consistency(years[0] if len(years) == 1 else assumptions.dollar_year, groups, notes)


def _text_or_none(value: object) -> str | None:
    """A text cell, or None for an empty one."""
    return value if isinstance(value, str) else None


def _sum_ranges(ranges: Iterable[ValueRange | None]) -> ValueRange | None:
    present = [r for r in ranges if r is not None]
    if not present:
        return None
    return ValueRange(sum(r.low for r in present), sum(r.central for r in present), sum(r.high for r in present))


def _price_count_claim(claim: object, proxies: pd.DataFrame, values: pd.DataFrame) -> CountClaimPrice:
    key, basis = claim_cost_key(claim, proxies)
    unit_range, reason = unit_value(values, key)
    count = float(claim.amount)  # type: ignore[attr-defined]
    return CountClaimPrice(
        claim_id=claim.claim_id,  # type: ignore[attr-defined]
        equipment=claim.scope_equipment_as_stated,  # type: ignore[attr-defined]
        count=count,
        statuses=claim.scope_statuses,  # type: ignore[attr-defined]
        period_start=_text_or_none(claim.period_start),  # type: ignore[attr-defined]
        period_end=None if pd.isna(claim.period_end) else claim.period_end,  # type: ignore[attr-defined]
        cost_key=key,
        cost_basis=basis,
        unit_usd=unit_range,
        implied_usd=None if unit_range is None else unit_range.scaled(count),
        uncosted_reason=None if unit_range is not None else reason,
    )


def _match(dollar: pd.Series, group: pd.DataFrame, proxies: pd.DataFrame, values: pd.DataFrame) -> DollarClaimMatch:
    matched, unmatched = [], {}
    for _, count in group.iterrows():
        why = why_unlike(count, dollar)
        if why is None:
            matched.append(count)
        else:
            unmatched[str(count["claim_id"])] = why
    priced = [_price_count_claim(_Row(c), proxies, values) for c in matched]
    implied = _sum_ranges(line.implied_usd for line in priced)
    amount = float(dollar["amount"])
    return DollarClaimMatch(
        dollar_year=claim_dollar_year(dollar),
        claim_id=str(dollar["claim_id"]),
        amount=amount,
        bound=str(dollar["bound"]),
        statuses=str(dollar["scope_statuses"]),
        period_start=_text_or_none(dollar["period_start"]),
        period_end=dollar["period_end"] if isinstance(dollar["period_end"], str) else None,
        matched=[str(c["claim_id"]) for c in matched],
        unmatched=unmatched,
        implied_usd=implied,
        implied_share=None if implied is None or not amount else implied.scaled(1 / amount),
    )


class _Row:
    """Attribute access to a claims row (the shape :func:`_price_count_claim` reads)."""

    def __init__(self, row: pd.Series) -> None:
        self.__dict__.update({str(k): v for k, v in row.items()})
