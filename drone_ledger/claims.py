"""Compare costed, attributed losses with each public claim's scope.

Each loss in a claim's scope (side, statuses, categories, models, period) falls
in exactly one bucket:

* ``attributed`` — its attribution is accepted and its system is within the
  claim's means (e.g. Turkish-supplied drones for the France 24 claim);
* ``other`` — accepted attribution to a system outside those means;
* ``unattributed`` — no attribution at all, an attribution too vague to decide
  (a "drone (type unknown)" for a Turkish-drone claim), or one below the
  accepted confidence. With the attributed bucket it makes the ceiling: the most
  the evidence could still support.

For a claim about *all* means, every loss in scope counts toward it.

Every figure is split by the claim's period: the part *certainly inside* it (the
loss's whole date interval lies in the period) and the part only *possibly* inside
(a whole-war tally, a month that runs past the period's end). Only the first is a
floor of anything; the verdict says so.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import vocab
from .costing import claim_cost_key, cost_losses, cpi_index, price_observations, unit_values
from .errors import UnknownClaimError, UnknownDollarYearError
from .frames import by_distinct, select
from .loading import Ledger
from .reports import (
    UNATTRIBUTED_PARTS,
    Assumptions,
    AttributionGroup,
    BreakEven,
    BucketTotal,
    ClaimComparison,
    ClaimsOverview,
    ConflictSummary,
    CountClaimPrice,
    Coverage,
    EvidenceNote,
    MeansAttribution,
    UncostedGroup,
    UnusableObservation,
    ValueRange,
    clean_number,
    format_range,
    format_share,
    format_usd,
    means_label,
)
from .scopes import NO, UNKNOWN, YES, is_all_means, membership, split_list
from .validation import require_valid

BUCKETS = ("attributed", "other", "unattributed")
OUTSIDE_SCOPE = "outside the claim's categories, models or period"
PERIOD_IN, PERIOD_POSSIBLY, PERIOD_OUT = "in", "possibly", "out"

__all__ = [
    "BUCKETS",
    "ClaimComparison",
    "ClaimsOverview",
    "ConflictSummary",
    "compare_claim",
    "compare_claims",
    "summarize_conflict",
]


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) else None


def _day(text: object) -> str:
    """``14 Oct 2020`` for an ISO date."""
    date = _date(text)
    return f"{date.day} {date:%b %Y}" if date else "an unknown day"


def claim_dollar_year(claim: pd.Series | dict[str, Any]) -> int:
    """The year a claim's dollars are in: its date's year, else its period's end, else its period's start.

    Validation requires a dollar claim to have a claim_date or a period_end; a count claim with neither (a press
    report of unknown date) is priced in its period's first year.
    """
    date = _date(claim["claim_date"]) or _date(claim["period_end"]) or _date(claim["period_start"])
    assert date is not None  # period_start is required by the schema
    return date.year


def period_membership(losses: pd.DataFrame, conflicts: pd.DataFrame, start: dt.date, end: dt.date | None) -> pd.Series:
    """Return in / possibly / out for each loss against the period [start, end] (end None: not known).

    A loss happened some day between its ``date_earliest`` and ``date_latest`` (an empty bound is the conflict's
    start or end; an ongoing war's end is open). It is *in* when that whole interval lies inside the period, *out*
    when none of it does, and *possibly* otherwise. With no known end, only what ends before the start is out.
    """

    def compute(distinct: pd.DataFrame) -> pd.DataFrame:
        return _period_membership(distinct, conflicts, start, end).to_frame("period")

    return by_distinct(losses, ["conflict", "date_earliest", "date_latest"], compute)["period"]


def loss_interval(losses: pd.DataFrame, conflicts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The first and last day each loss can have happened on (NaT last: open, the war goes on)."""
    bounds = conflicts.drop_duplicates("conflict_id").set_index("conflict_id")
    c_start = pd.to_datetime(losses["conflict"].map(bounds["start_date"]), errors="coerce")
    c_end = pd.to_datetime(losses["conflict"].map(bounds["end_date"]), errors="coerce")
    first = pd.to_datetime(losses["date_earliest"], errors="coerce", format="%Y-%m-%d").fillna(c_start)
    last = pd.to_datetime(losses["date_latest"], errors="coerce", format="%Y-%m-%d").fillna(c_end)
    return first, last


def _period_membership(losses: pd.DataFrame, conflicts: pd.DataFrame, start: dt.date, end: dt.date | None) -> pd.Series:
    first, last = loss_interval(losses, conflicts)
    lo = pd.Timestamp(start)
    result = pd.Series(PERIOD_POSSIBLY, index=losses.index)
    out = last.notna() & (last < lo)
    if end is not None:
        hi = pd.Timestamp(end)
        result = result.mask(first.notna() & last.notna() & (first >= lo) & (last <= hi), PERIOD_IN)
        out |= first.notna() & (first > hi)
    return result.mask(out, PERIOD_OUT)


_VALUE_COLUMNS = ["value_low", "value_central", "value_high"]


def bucket_total(
    name: str,
    rows: pd.DataFrame,
    amount: float | None = None,
    measure: str = "value",
    factor: float = 1.0,
    split_period: bool = False,
) -> BucketTotal:
    """Items and value of ``rows`` (costed in the claim's dollars), shown in dollars times ``factor``.

    The share of the claim is taken before the factor, in the claim's own dollars, so no dollar year moves it.
    With ``split_period`` the part certainly inside the claim's period (``period == "in"``) is totalled too.
    """
    costed = rows[rows["costed"]]
    sums = ValueRange(
        low=float(costed["value_low"].sum()),
        central=float(costed["value_central"].sum()),
        high=float(costed["value_high"].sum()),
    )
    items = int(rows["effective_quantity"].sum())
    share = None
    if amount:
        share = sums.scaled(1 / amount) if measure == "value" else ValueRange(*(items / amount,) * 3)
    period = rows["period"]
    return BucketTotal(
        name=name,
        items=items,
        items_costed=int(costed["effective_quantity"].sum()),
        items_uncosted=int(rows.loc[~rows["costed"], "effective_quantity"].sum()),
        items_possibly_in_period=int(rows.loc[period.eq(PERIOD_POSSIBLY), "effective_quantity"].sum()),
        value=sums.scaled(factor),
        share_of_claim=share,
        inside_period=bucket_total(name, rows[period.eq(PERIOD_IN)], amount, measure, factor) if split_period else None,
    )


def _row_membership(primary: pd.Series, also: pd.Series, member: dict[str, str]) -> pd.Series:
    """yes / no / unknown per loss: is any system credited with it (primary or ``attributed_also``) in scope?"""
    result = primary.map(member).fillna(UNKNOWN)
    shared = also.notna() & primary.ne(vocab.UNATTRIBUTED)
    for index in also.index[shared]:
        states = [result[index], *(member.get(s, UNKNOWN) for s in split_list(also[index]))]
        result[index] = YES if YES in states else (UNKNOWN if UNKNOWN in states else NO)
    return result


def _breakdown(rows: pd.DataFrame, column: str, amount: float | None, measure: str, factor: float) -> list[BucketTotal]:
    """Totals per value of ``column``, largest central value first, then most items."""
    totals = [
        bucket_total(str(name), group, amount, measure, factor) for name, group in rows.groupby(column, sort=True)
    ]
    return sorted(totals, key=lambda b: (-b.value.central, -b.items, b.name))


def compare_claim(
    ledger: Ledger | str | Path | None = None,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    assumptions: Assumptions | None = None,
) -> ClaimComparison:
    """Compare one claim with the documented, costed losses in its scope.

    Parameters
    ----------
    ledger:
        A loaded ledger, a ledger directory, or None for the bundled one.
    claim_id:
        Key into claims.csv (default: Aliyev's $1 billion to France 24); any case.
    assumptions:
        Dollar year, which price observations and attributions count, etc.

    Returns
    -------
    ClaimComparison

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownClaimError
        If ``claim_id`` is not in claims.csv.
    """
    loaded = require_valid(ledger)
    return _compare(loaded, claim_id, assumptions or Assumptions(), {})


def compare_claims(ledger: Ledger | str | Path | None = None, assumptions: Assumptions | None = None) -> ClaimsOverview:
    """Compare every claim in the ledger (see :func:`compare_claim`)."""
    loaded = require_valid(ledger)
    assumptions = assumptions or Assumptions()
    costings: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}  # one costing per dollar year, shared by its claims
    rows = [_compare(loaded, cid, assumptions, costings) for cid in loaded["claims"]["claim_id"]]
    return ClaimsOverview(rows, assumptions)


def _claim_record(claim: pd.Series) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in claim.items():
        if isinstance(value, float) or (not isinstance(value, str) and pd.isna(value)):
            record[str(key)] = clean_number(value) if not pd.isna(value) else None
        else:
            record[str(key)] = value
    return record


def _costing(
    ledger: Ledger, year: int, assumptions: Assumptions, cache: dict[int, tuple[pd.DataFrame, pd.DataFrame]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Price observations and costed losses for ``year``, computed once per comparison run."""
    if year not in cache:
        observations = price_observations(ledger, year, assumptions)
        cache[year] = (observations, cost_losses(ledger, year, assumptions, observations))
    observations, costed = cache[year]
    return observations, costed.copy(deep=False)  # copy-on-write: a column added by a caller stays its own


def dollar_factor(ledger: Ledger, from_year: int, to_year: int) -> float:
    """How many ``to_year`` dollars one ``from_year`` dollar is (CPI-U).

    Raises
    ------
    UnknownDollarYearError
        If cpi.csv lacks either year.
    """
    if from_year == to_year:
        return 1.0
    cpi = cpi_index(ledger)
    for year in (from_year, to_year):
        if year not in cpi:
            years = f"{min(cpi)}-{max(cpi)}" if cpi else "none"
            raise UnknownDollarYearError(
                f"cpi.csv has no figure for {year} (it covers {years}); choose another dollar year"
            )
    return cpi[to_year] / cpi[from_year]


def find_claim(claims: pd.DataFrame, claim_id: str) -> pd.Series:
    """The claims.csv row of ``claim_id`` (matched ignoring case; see :func:`resolve_claim_id`).

    Raises
    ------
    UnknownClaimError
        If no claim has that id; the message suggests the closest ids.
    """
    known = claims["claim_id"].tolist()
    row: pd.Series = claims.loc[claims.index[claims["claim_id"].eq(resolve_claim_id(known, claim_id))][0]]
    return row


@dataclass
class ClaimScope:
    """The losses a claim's scope selects, each with its bucket: what every figure of a comparison is made of."""

    claim: pd.Series
    measure: str
    dollar_year: int  # the dollars figures are shown in
    claim_dollar_year: int  # the claim's own dollars: shares are taken in them
    factor: float  # dollar_year dollars per claim-year dollar
    amount: float | None
    costed: pd.DataFrame  # every loss, costed in the claim's dollar year
    in_scope: pd.Series  # mask over ``costed``
    rows: pd.DataFrame  # the in-scope losses with ``bucket``, ``part``, ``period``, ``member``
    member: dict[str, str]  # system id -> yes / no / unknown for the claim's means
    observations: pd.DataFrame


def resolve_claim_id(known: list[str], claim_id: str) -> str:
    """The claim id as claims.csv spells it: an exact match, else the one id equal to it ignoring case.

    Raises
    ------
    UnknownClaimError
        No id matches (the closest ones are suggested).
    """
    if claim_id in known:
        return claim_id
    folded = [k for k in known if k.casefold() == claim_id.casefold()]
    if len(folded) == 1:
        return folded[0]
    upper = {k.upper(): k for k in known}
    close = [upper[c] for c in difflib.get_close_matches(claim_id.upper(), list(upper), n=3, cutoff=0.6)]
    hint = f"did you mean {' or '.join(close)}?" if close else f"e.g. {', '.join(known[:5])}"
    raise UnknownClaimError(f"no claim {claim_id[:200]!r} in claims.csv ({hint}); `drone-ledger claims` lists them")


def claim_scope(
    ledger: Ledger,
    claim_id: str,
    assumptions: Assumptions,
    costings: dict[int, tuple[pd.DataFrame, pd.DataFrame]] | None = None,
) -> ClaimScope:
    """Select and bucket the losses in a claim's scope (the ledger must already be valid).

    Raises
    ------
    UnknownClaimError
        If ``claim_id`` is not in claims.csv.
    """
    claim = find_claim(ledger["claims"], claim_id)
    measure = "value" if claim["unit"] == "USD" else "count"
    claim_year = claim_dollar_year(claim)
    year = assumptions.dollar_year or claim_year
    factor = dollar_factor(ledger, claim_year, year)
    amount = float(claim["amount"]) if pd.notna(claim["amount"]) else None
    observations, costed = _costing(ledger, claim_year, assumptions, {} if costings is None else costings)

    statuses = split_list(claim["scope_statuses"])
    categories = split_list(claim["scope_categories"])
    models = [m.lower() for m in split_list(claim["scope_models"])]
    in_scope = costed["conflict"].eq(claim["conflict"]) & costed["side_losing"].eq(claim["scope_side"])
    in_scope &= costed["status"].isin(statuses)
    if categories:
        in_scope &= costed["category"].isin(categories)
    if models:  # a substring match, decided once per distinct model name
        names = costed["model"].dropna().unique()
        matching = [m for m in names if any(f in m.lower() for f in models)]
        in_scope &= costed["model"].isin(matching)
    start = _date(claim["period_start"])
    assert start is not None  # required by the schema
    period = period_membership(costed, ledger["conflicts"], start, _date(claim["period_end"]))
    costed["period"] = period
    accepted_periods = [PERIOD_IN, PERIOD_POSSIBLY] if assumptions.include_possibly_in_period else [PERIOD_IN]
    in_scope &= period.isin(accepted_periods)
    rows = select(costed, in_scope & costed["effective_quantity"].gt(0))

    systems = ledger["systems"].set_index("system_id", drop=False)
    member = {sid: membership(claim["scope_systems"], system) for sid, system in systems.iterrows()}
    recorded = rows["attributed_system"]
    confidence = rows["attribution_confidence"]
    none = recorded.eq(vocab.UNATTRIBUTED) | recorded.isna()
    state = _row_membership(recorded, rows["attributed_also"], member).mask(none, UNKNOWN)
    for_means = confidence.isin(list(assumptions.attributed_confidences))
    for_other = confidence.isin(list(assumptions.excluding_confidences))
    attributed = ~none & state.eq(YES) & for_means
    other = ~none & state.eq(NO) & for_other
    rows["member"] = state
    rows["bucket"] = "unattributed"
    rows.loc[attributed, "bucket"] = "attributed"
    rows.loc[other, "bucket"] = "other"
    part = pd.Series("not-accepted", index=rows.index, dtype=object)
    part = part.mask(~none & state.eq(UNKNOWN), "vague").mask(none, "none")
    rows["part"] = part.where(rows["bucket"].eq("unattributed"))
    return ClaimScope(claim, measure, year, claim_year, factor, amount, costed, in_scope, rows, member, observations)


def _compare(
    ledger: Ledger,
    claim_id: str,
    assumptions: Assumptions,
    costings: dict[int, tuple[pd.DataFrame, pd.DataFrame]],
) -> ClaimComparison:
    scope = claim_scope(ledger, claim_id, assumptions, costings)
    claim, measure, amount, factor = scope.claim, scope.measure, scope.amount, scope.factor
    rows = scope.rows
    categories = split_list(claim["scope_categories"])

    def total(name: str, selected: pd.DataFrame) -> BucketTotal:
        return bucket_total(name, selected, amount, measure, factor, split_period=True)

    # The totals read a few columns: filtering only those keeps a million-row scope cheap.
    figures = rows[
        [
            "bucket",
            "part",
            "attributed_system",
            "attribution_confidence",
            "category",
            "costed",
            "effective_quantity",
            "period",
            *_VALUE_COLUMNS,
        ]
    ]
    bucket = figures["bucket"]
    buckets = {name: total(name, figures[bucket.eq(name)]) for name in BUCKETS}
    unattributed = figures[bucket.eq("unattributed")]
    parts = {name: total(name, unattributed[unattributed["part"].eq(name)]) for name in UNATTRIBUTED_PARTS}
    all_means = is_all_means(claim["scope_systems"])
    documented = total("documented", figures if all_means else figures[bucket.eq("attributed")])
    ceiling = total("ceiling", figures if all_means else figures[bucket.isin(["attributed", "unattributed"])])
    coverage = _coverage(ledger["losses"], claim, categories)
    in_figure = rows if all_means else rows[bucket.isin(["attributed", "unattributed"])]
    whole_war = in_figure["date_earliest"].isna() & in_figure["date_latest"].isna()
    comparison = ClaimComparison(
        claim=_claim_record(claim),
        measure=measure,
        dollar_year=scope.dollar_year,
        claim_dollar_year=scope.claim_dollar_year,
        amount_in_dollar_year=None if measure != "value" or amount is None else amount * factor,
        assumptions=assumptions,
        buckets=buckets,
        unattributed_parts={name: part for name, part in parts.items() if part.items},
        documented=documented,
        ceiling=ceiling,
        by_attribution=_by_attribution(figures, amount, measure, factor),
        by_category=_breakdown(figures, "category", amount, measure, factor),
        uncosted=_uncosted(rows),
        coverage=coverage,
        cost_assumptions=sorted(set(rows.loc[rows["costed"], "cost_assumption"].dropna().unique())),
        unusable_observations=_unusable(scope.observations, set(rows["cost_key_used"].dropna().unique())),
        scope_attributions=_means_attributions(scope.costed, scope.in_scope, scope.member, claim, assumptions),
        break_even=None,
        evidence_searched=_evidence(ledger, claim["conflict"]),
        whole_war_items=int(in_figure.loc[whole_war, "effective_quantity"].sum()),
        loss_ids={name: rows.loc[bucket.eq(name), "loss_id"].sort_values().tolist() for name in BUCKETS},
    )
    if measure == "count":
        comparison.implied_value = price_count_claim(claim, ledger["category_proxies"], scope, assumptions)
    comparison.break_even = break_even(comparison)
    comparison.verdict = verdict(comparison)
    comparison.caveats = caveats(comparison)
    return comparison


def price_count_claim(
    claim: pd.Series, proxies: pd.DataFrame, scope: ClaimScope, assumptions: Assumptions
) -> CountClaimPrice:
    """A count claim priced at the ledger's unit values (in the scope's dollar year), or why it cannot be."""
    values = unit_values(scope.observations, assumptions.price_extreme)
    key, basis = claim_cost_key(claim, proxies)
    unit = None
    reason = "no cost key"
    if key is not None and key in values.index:
        row = values.loc[key]
        if pd.notna(row["unit_central"]):
            unit = ValueRange(float(row["unit_low"]), float(row["unit_central"]), float(row["unit_high"]))
            unit = unit.scaled(scope.factor)
        reason = str(row["uncosted_reason"])
    elif key is not None:
        reason = "unknown cost key"
    count = float(claim["amount"])
    return CountClaimPrice(
        claim_id=str(claim["claim_id"]),
        equipment=str(claim["scope_equipment_as_stated"] or claim["unit"]),
        count=count,
        statuses=str(claim["scope_statuses"]),
        period_start=str(claim["period_start"]),
        period_end=claim["period_end"] if isinstance(claim["period_end"], str) else None,
        cost_key=key,
        cost_basis=basis,
        unit_usd=unit,
        implied_usd=None if unit is None else unit.scaled(count),
        uncosted_reason=None if unit is not None else reason,
    )


def _by_attribution(figures: pd.DataFrame, amount: float | None, measure: str, factor: float) -> list[AttributionGroup]:
    """Totals per bucket, part, recorded system and confidence: they add up to the buckets they sit in."""
    keyed = figures.assign(
        attributed_system=figures["attributed_system"].fillna(vocab.UNATTRIBUTED),
        attribution_confidence=figures["attribution_confidence"].fillna(""),
        part=figures["part"].fillna(""),
    )
    order = {name: i for i, name in enumerate(BUCKETS)}
    groups = []
    keys = ["bucket", "part", "attributed_system", "attribution_confidence"]
    for (bucket, part, system, confidence), rows in keyed.groupby(keys, sort=True):
        groups.append(
            AttributionGroup(
                bucket=str(bucket),
                part=str(part) or None,
                system=str(system),
                confidence=str(confidence) or None,
                total=bucket_total(str(system), rows, amount, measure, factor),
            )
        )
    return sorted(groups, key=lambda g: (order[g.bucket], -g.total.items, g.system))


def _uncosted(rows: pd.DataFrame) -> list[UncostedGroup]:
    """The uncosted losses in scope, grouped (a million-row ledger gives a readable list; `trace` lists rows)."""
    keys = ["bucket", "category", "model", "uncosted_reason", "cost_key_used"]
    uncosted_rows = rows.loc[~rows["costed"], [*keys, "effective_quantity", "loss_id"]]
    grouped = (
        uncosted_rows.assign(
            model=uncosted_rows["model"].fillna(""), cost_key_used=uncosted_rows["cost_key_used"].fillna("")
        )
        .groupby(keys, sort=True)
        .agg(items=("effective_quantity", "sum"), losses=("loss_id", "count"), first=("loss_id", "min"))
        .reset_index()
        .sort_values(["items", "category"], ascending=[False, True])
    )
    return [
        UncostedGroup(
            category=g.category,
            model=g.model or None,
            items=int(g.items),
            losses=int(g.losses),
            example_loss_id=g.first,
            bucket=g.bucket,
            reason=g.uncosted_reason,
            cost_key=g.cost_key_used or None,
        )
        for g in grouped.itertuples()
    ]


def _unusable(observations: pd.DataFrame, keys_in_scope: set[str]) -> list[UnusableObservation]:
    return [
        UnusableObservation(o.obs_id, o.cost_key, o.unusable_reason)
        for o in observations[~observations["usable"]].itertuples()
        if o.unusable_reason != "no-price-found" and o.cost_key in keys_in_scope
    ]


def _evidence(ledger: Ledger, conflict: str) -> list[EvidenceNote]:
    searched = ledger["evidence_searched"]
    rows = searched[searched["conflict"].eq(conflict)]

    def text(value: object) -> str | None:
        return value if isinstance(value, str) else None

    return [
        EvidenceNote(
            str(r.source_id),
            str(r.source),
            str(r.result),
            text(r.what_it_can_show),
            text(r.what_it_cannot_show),
            text(r.source_url),
        )
        for r in rows.itertuples()
    ]


def _coverage(losses: pd.DataFrame, claim: pd.Series, categories: list[str]) -> Coverage:
    """Which categories in scope have a tally, only individual reports, or nothing."""
    mine = losses.loc[
        losses["conflict"].eq(claim["conflict"]) & losses["side_losing"].eq(claim["scope_side"]),
        ["category", "aggregate_id"],
    ]
    counted = set(mine.loc[mine["aggregate_id"].notna(), "category"].unique())
    reported = set(mine["category"].unique()) - counted
    wanted = categories or [c for c in vocab.CATEGORIES if c != "Unknown" or c in counted | reported]
    return Coverage(
        counted=[c for c in wanted if c in counted],
        reports_only=[c for c in wanted if c in reported],
        no_documented_counts=[c for c in wanted if c not in counted and c not in reported],
    )


def _means_attributions(
    rows: pd.DataFrame, scope_mask: pd.Series, member: dict[str, str], claim: pd.Series, assumptions: Assumptions
) -> list[MeansAttribution]:
    """Every loss of the claim's side attributed to a system within its means, and whether it counts.

    A loss that does not count says why: outside the claim's statuses,
    categories or period, or attributed with too little confidence.
    """
    statuses = split_list(claim["scope_statuses"])
    mine = rows["conflict"].eq(claim["conflict"]) & rows["side_losing"].eq(claim["scope_side"])
    means = _row_membership(rows["attributed_system"], rows["attributed_also"], member).eq(YES)
    means &= rows["attributed_system"].ne(vocab.UNATTRIBUTED)
    columns = ["loss_id", "attributed_system", "attribution_confidence", "status", "category", "effective_quantity"]
    found = rows.loc[mine & means, [*columns, "source_url"]]
    if found.empty:
        return []
    status = found["status"]
    confidence = found["attribution_confidence"]
    outside_statuses = {
        s: f"status {s!r} is outside the claim's scope ({', '.join(statuses)})" for s in status.unique()
    }
    low_confidence = {c: f"confidence {c!r} is not counted as attributed" for c in confidence.unique()}
    why = pd.Series("", index=found.index, dtype=object)
    why = why.mask(~confidence.isin(list(assumptions.attributed_confidences)), confidence.map(low_confidence))
    why = why.mask(~scope_mask.loc[found.index], OUTSIDE_SCOPE)
    why = why.mask(~status.isin(statuses), status.map(outside_statuses))  # the first reason that applies wins
    columns_out = (  # built column-wise: DataFrame.to_dict boxes every cell through pandas and is 5x slower
        found["loss_id"].tolist(),
        found["attributed_system"].tolist(),
        confidence.tolist(),
        status.tolist(),
        found["category"].tolist(),
        found["effective_quantity"].astype("int64").tolist(),
        why.eq("").tolist(),
        [w or None for w in why.tolist()],
        found["source_url"].tolist(),
    )
    return [MeansAttribution(*cells) for cells in zip(*columns_out, strict=True)]


# --- what the figures mean ---------------------------------------------------------------------------------------


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


# --- a conflict's losses -----------------------------------------------------------------------------------------


def summarize_conflict(
    ledger: Ledger | str | Path | None,
    conflict: str,
    side: str | None = None,
    assumptions: Assumptions | None = None,
) -> ConflictSummary:
    """Total the documented losses of a conflict by the system credited with them, by status and by category.

    A loss credited to several systems ("by X and Y") is listed under each of
    them in ``by_system`` (so those rows may add up to more than the total);
    an attribution below the accepted confidence is listed as unattributed.

    Raises
    ------
    LedgerInvalidError
        If the ledger has validation errors.
    UnknownConflictError
        If the conflict is not in conflicts.csv.
    """
    from .errors import UnknownConflictError

    loaded = require_valid(ledger)
    assumptions = assumptions or Assumptions()
    conflicts = loaded["conflicts"].set_index("conflict_id")
    if conflict not in conflicts.index:
        close = difflib.get_close_matches(conflict, list(conflicts.index), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UnknownConflictError(
            f"no conflict {conflict!r} in conflicts.csv (it has: {', '.join(conflicts.index)}){hint}"
        )
    year = assumptions.dollar_year or int(str(conflicts.loc[conflict, "start_date"])[:4])
    costed = cost_losses(loaded, year, assumptions)
    rows = costed[costed["conflict"].eq(conflict) & costed["effective_quantity"].gt(0)].copy()
    sides = sorted(rows["side_losing"].dropna().unique())
    if side is not None:
        rows = rows[rows["side_losing"].eq(side)]
    rows["period"] = PERIOD_IN
    accepted = rows["attribution_confidence"].isin(list(assumptions.attributed_confidences))
    rows["effective_system"] = rows["attributed_system"].where(accepted, vocab.UNATTRIBUTED)
    systems: list[list[str]] = [
        [primary, *(split_list(also) if primary != vocab.UNATTRIBUTED else [])]
        for primary, also in zip(rows["effective_system"], rows["attributed_also"], strict=True)
    ]
    credited = rows.assign(system=pd.Series(systems, index=rows.index, dtype=object)).explode("system")
    return ConflictSummary(
        conflict=conflict,
        side=side,
        dollar_year=year,
        assumptions=assumptions,
        total=bucket_total("total", rows),
        by_system=_breakdown(credited, "system", None, "value", 1.0),
        by_status=_breakdown(rows, "status", None, "value", 1.0),
        by_category=_breakdown(rows, "category", None, "value", 1.0),
        sides=sides,
    )
