"""Compare costed, attributed losses with each public claim's scope.

Each loss in a claim's scope (side, statuses, categories, models, period) falls
in exactly one bucket:

* ``attributed`` — its attribution is accepted and its system is within the
  claim's means (e.g. Turkish-supplied drones for the France 24 claim);
* ``other`` — accepted attribution to a system outside those means;
* ``unattributed`` — no accepted attribution, or one too vague to decide
  (a "drone (type unknown)" for a Turkish-drone claim). This is the ceiling of
  what the evidence could still support.

For a claim about *all* means, every loss in scope counts toward it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import vocab
from .costing import cost_losses, price_observations
from .errors import LedgerInvalidError, UnknownClaimError
from .frames import by_distinct, select
from .loading import Ledger, load_ledger
from .reports import Assumptions, BucketTotal, ValueRange, clean_number, format_usd, means_label
from .scopes import NO, UNKNOWN, YES, is_all_means, membership, split_list
from .validation import validate_ledger

BUCKETS = ("attributed", "other", "unattributed")
PERIOD_IN, PERIOD_POSSIBLY, PERIOD_OUT = "in", "possibly", "out"


@dataclass
class ClaimComparison:
    """A claim against the ledger: buckets, breakdowns, gaps and a plain conclusion."""

    claim: dict[str, Any]
    measure: str
    dollar_year: int
    assumptions: Assumptions
    buckets: dict[str, BucketTotal]
    documented: BucketTotal
    ceiling: BucketTotal
    by_family: list[BucketTotal]
    by_category: list[BucketTotal]
    uncosted: list[dict[str, Any]]
    coverage: dict[str, list[str]]
    cost_assumptions: list[str]
    unusable_observations: list[dict[str, Any]]
    scope_attributions: list[dict[str, Any]]  # every loss attributed to the claimed means, counted or not
    loss_ids: dict[str, list[str]] = field(default_factory=dict)
    conclusion: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict (the CLI's ``--format json``)."""
        return {
            "claim": self.claim,
            "measure": self.measure,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "buckets": {name: bucket.to_dict() for name, bucket in self.buckets.items()},
            "documented_in_scope": self.documented.to_dict(),
            "ceiling": self.ceiling.to_dict(),
            "by_family": [b.to_dict() for b in self.by_family],
            "by_category": [b.to_dict() for b in self.by_category],
            "uncosted": self.uncosted,
            "coverage": self.coverage,
            "cost_assumptions": self.cost_assumptions,
            "unusable_observations": self.unusable_observations,
            "scope_attributions": self.scope_attributions,
            "loss_ids": self.loss_ids,
            "conclusion": self.conclusion,
        }

    def headline(self) -> dict[str, Any]:
        """One claim's headline: amount, documented and ceiling totals, shares, gaps."""
        claim = self.claim
        return {
            "claim_id": claim["claim_id"],
            "claimant": claim["claimant"],
            "claim_date": claim["claim_date"],
            "amount": claim["amount"],
            "unit": claim["unit"],
            "bound": claim["bound"],
            "scope_systems": claim["scope_systems"],
            "measure": self.measure,
            "dollar_year": self.dollar_year,
            "documented": self.documented.to_dict(),
            "ceiling": self.ceiling.to_dict(),
            "categories_without_counts": len(self.coverage["no_documented_counts"]),
            "conclusion": self.conclusion,
        }


@dataclass
class ClaimsOverview:
    """Every claim with its documented total in scope, side by side."""

    rows: list[ClaimComparison]
    assumptions: Assumptions

    def to_dict(self) -> dict[str, Any]:
        """Return one compact row per claim."""
        return {"assumptions": self.assumptions.to_dict(), "claims": [c.headline() for c in self.rows]}


def _as_ledger(ledger: Ledger | str | Path | None) -> Ledger:
    loaded = ledger if isinstance(ledger, Ledger) else load_ledger(ledger)
    report = validate_ledger(loaded)
    if not report.valid:
        raise LedgerInvalidError(report)
    return loaded


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) else None


def claim_dollar_year(claim: pd.Series) -> int:
    """The year a claim's dollars are in: its date's year, else its period's end."""
    date = _date(claim["claim_date"]) or _date(claim["period_end"])
    assert date is not None  # period_end is required by the schema
    return date.year


def period_membership(losses: pd.DataFrame, conflicts: pd.DataFrame, start: dt.date, end: dt.date) -> pd.Series:
    """Return in / possibly / out for each loss against the period [start, end].

    A month date, or a whole-war date, spans a range (clipped to the conflict's
    own dates); it is *in* when the whole range lies inside the period, *out*
    when none of it does, and *possibly* otherwise.
    """

    def compute(distinct: pd.DataFrame) -> pd.DataFrame:
        return _period_membership(distinct, conflicts, start, end).to_frame("period")

    return by_distinct(losses, ["conflict", "date", "date_precision"], compute)["period"]


def _period_membership(losses: pd.DataFrame, conflicts: pd.DataFrame, start: dt.date, end: dt.date) -> pd.Series:
    bounds = conflicts.set_index("conflict_id")
    c_start = pd.to_datetime(losses["conflict"].map(bounds["start_date"]), errors="coerce")
    c_end = pd.to_datetime(losses["conflict"].map(bounds["end_date"]), errors="coerce")  # NaT: still going on
    precision = losses["date_precision"]
    day = pd.to_datetime(losses["date"].where(precision.eq("day")), errors="coerce", format="%Y-%m-%d")
    month = pd.to_datetime(losses["date"].where(precision.eq("month")), errors="coerce", format="%Y-%m")
    first = day.fillna(month).fillna(c_start)
    last = day.fillna(month + pd.offsets.MonthEnd(0)).fillna(c_end)
    coarse = precision.ne("day")  # clip month and war ranges to the conflict's own dates
    first = first.mask(coarse & c_start.notna() & (c_start > first), c_start)
    last = last.mask(coarse & c_end.notna() & (c_end < last), c_end)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    result = pd.Series(PERIOD_POSSIBLY, index=losses.index)
    result = result.mask((first >= lo) & (last <= hi), PERIOD_IN)
    result = result.mask((last < lo) | (first > hi), PERIOD_OUT)
    return result


_VALUE_COLUMNS = ["value_low", "value_central", "value_high"]


def _bucket_total(name: str, rows: pd.DataFrame, amount: float | None, measure: str) -> BucketTotal:
    costed = rows[rows["costed"]]
    value = ValueRange(
        low=float(costed["value_low"].sum()),
        central=float(costed["value_central"].sum()),
        high=float(costed["value_high"].sum()),
    )
    items = int(rows["effective_quantity"].sum())
    share = None
    if amount:
        if measure == "value":
            share = ValueRange(value.low / amount, value.central / amount, value.high / amount)
        else:
            share = ValueRange(items / amount, items / amount, items / amount)
    return BucketTotal(
        name=name,
        items=items,
        items_costed=int(costed["effective_quantity"].sum()),
        items_uncosted=int(rows.loc[~rows["costed"], "effective_quantity"].sum()),
        items_possibly_in_period=int(rows.loc[rows["period"].eq(PERIOD_POSSIBLY), "effective_quantity"].sum()),
        value=value,
        share_of_claim=share,
    )


def _row_membership(primary: pd.Series, also: pd.Series, member: dict[str, str]) -> pd.Series:
    """yes / no / unknown per loss: is any system credited with it (primary or ``attributed_also``) in scope?"""
    result = primary.map(member)
    shared = also.notna() & primary.ne(vocab.UNATTRIBUTED)
    for index in also.index[shared]:
        states = [result[index], *(member.get(s, UNKNOWN) for s in split_list(also[index]))]
        result[index] = YES if YES in states else (UNKNOWN if UNKNOWN in states else NO)
    return result


def _breakdown(rows: pd.DataFrame, column: str, amount: float | None, measure: str) -> list[BucketTotal]:
    """Totals per value of ``column``, largest central value first, then most items."""
    totals = [_bucket_total(str(name), group, amount, measure) for name, group in rows.groupby(column, sort=True)]
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
        Key into claims.csv (default: Aliyev's $1 billion to France 24).
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
    loaded = _as_ledger(ledger)
    return _compare(loaded, claim_id, assumptions or Assumptions(), {})


def compare_claims(ledger: Ledger | str | Path | None = None, assumptions: Assumptions | None = None) -> ClaimsOverview:
    """Compare every claim in the ledger (see :func:`compare_claim`)."""
    loaded = _as_ledger(ledger)
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


@dataclass
class ClaimScope:
    """The losses a claim's scope selects, each with its bucket: what every figure of a comparison is made of."""

    claim: pd.Series
    measure: str
    dollar_year: int
    amount: float | None
    costed: pd.DataFrame  # every loss, costed in the claim's dollar year
    in_scope: pd.Series  # mask over ``costed``
    rows: pd.DataFrame  # the in-scope losses with ``bucket``, ``period``, ``effective_system``, ``family``
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
    claims = ledger["claims"].set_index("claim_id", drop=False)
    claim = claims.loc[resolve_claim_id(list(claims.index), claim_id)]
    measure = "value" if claim["unit"] == "USD" else "count"
    year = assumptions.dollar_year or claim_dollar_year(claim)
    amount = float(claim["amount"]) if pd.notna(claim["amount"]) else None
    observations, costed = _costing(ledger, year, assumptions, {} if costings is None else costings)

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
    period = period_membership(costed, ledger["conflicts"], _date(claim["period_start"]), _date(claim["period_end"]))
    costed["period"] = period
    accepted_periods = [PERIOD_IN, PERIOD_POSSIBLY] if assumptions.include_possibly_in_period else [PERIOD_IN]
    in_scope &= period.isin(accepted_periods)
    rows = select(costed, in_scope & costed["effective_quantity"].gt(0))

    systems = ledger["systems"].set_index("system_id", drop=False)
    member = {sid: membership(claim["scope_systems"], system) for sid, system in systems.iterrows()}
    accepted = rows["attributed_system"].ne(vocab.UNATTRIBUTED) & rows["attribution_confidence"].isin(
        list(assumptions.attributed_confidences)
    )
    rows["effective_system"] = rows["attributed_system"].where(accepted, vocab.UNATTRIBUTED)
    in_means = _row_membership(rows["effective_system"], rows["attributed_also"], member)
    rows["bucket"] = "unattributed"
    rows.loc[accepted & in_means.eq(YES), "bucket"] = "attributed"
    rows.loc[accepted & in_means.eq(NO), "bucket"] = "other"
    rows["family"] = rows["effective_system"].map(systems["family"])
    rows["family"] = rows["family"].where(rows["effective_system"].ne(vocab.UNATTRIBUTED), vocab.UNATTRIBUTED)
    return ClaimScope(claim, measure, year, amount, costed, in_scope, rows, member, observations)


def _compare(
    ledger: Ledger,
    claim_id: str,
    assumptions: Assumptions,
    costings: dict[int, tuple[pd.DataFrame, pd.DataFrame]],
) -> ClaimComparison:
    scope = claim_scope(ledger, claim_id, assumptions, costings)
    claim, measure, year, amount = scope.claim, scope.measure, scope.dollar_year, scope.amount
    rows, costed, in_scope, member, observations = (
        scope.rows,
        scope.costed,
        scope.in_scope,
        scope.member,
        scope.observations,
    )
    categories = split_list(claim["scope_categories"])

    # The totals read a few columns: filtering only those keeps a million-row scope cheap.
    figures = rows[["bucket", "family", "category", "costed", "effective_quantity", "period", *_VALUE_COLUMNS]]
    buckets = {name: _bucket_total(name, figures[figures["bucket"].eq(name)], amount, measure) for name in BUCKETS}
    all_means = is_all_means(claim["scope_systems"])
    documented_rows = figures if all_means else figures[figures["bucket"].eq("attributed")]
    documented = _bucket_total("documented", documented_rows, amount, measure)
    ceiling = _bucket_total(
        "ceiling", figures[figures["bucket"].isin(["attributed", "unattributed"]) | all_means], amount, measure
    )
    by_family = _breakdown(figures, "family", amount, measure)
    by_category = _breakdown(figures, "category", amount, measure)

    # Grouped, so a ledger of a million rows gives a readable list; `trace --bucket uncosted` lists every row.
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
    uncosted = [
        {
            "category": g.category,
            "model": g.model or None,
            "items": int(g.items),
            "losses": int(g.losses),
            "example_loss_id": g.first,
            "bucket": g.bucket,
            "reason": g.uncosted_reason,
            "cost_key": g.cost_key_used or None,
        }
        for g in grouped.itertuples()
    ]
    coverage = _coverage(ledger["losses"], claim, categories)
    keys_in_scope = set(rows["cost_key_used"].dropna().unique())
    unusable = [
        {"obs_id": o.obs_id, "cost_key": o.cost_key, "reason": o.unusable_reason}
        for o in observations[~observations["usable"]].itertuples()
        if o.unusable_reason != "no-price-found"
    ]
    relevant_unusable = [u for u in unusable if u["cost_key"] in keys_in_scope]
    cost_assumptions = sorted(set(rows.loc[rows["costed"], "cost_assumption"].dropna().unique()))
    scope_attributions = _means_attributions(costed, in_scope, member, claim, assumptions)
    comparison = ClaimComparison(
        claim=_claim_record(claim),
        measure=measure,
        dollar_year=year,
        assumptions=assumptions,
        buckets=buckets,
        documented=documented,
        ceiling=ceiling,
        by_family=by_family,
        by_category=by_category,
        uncosted=uncosted,
        coverage=coverage,
        cost_assumptions=cost_assumptions,
        unusable_observations=relevant_unusable,
        scope_attributions=scope_attributions,
        loss_ids={name: rows.loc[rows["bucket"].eq(name), "loss_id"].sort_values().tolist() for name in BUCKETS},
    )
    comparison.conclusion = conclusion(comparison, all_means)
    return comparison


def _coverage(losses: pd.DataFrame, claim: pd.Series, categories: list[str]) -> dict[str, list[str]]:
    """Which categories in scope have a tally, only individual reports, or nothing."""
    mine = losses.loc[
        losses["conflict"].eq(claim["conflict"]) & losses["side_losing"].eq(claim["scope_side"]),
        ["category", "aggregate_id"],
    ]
    counted = set(mine.loc[mine["aggregate_id"].notna(), "category"].unique())
    reported = set(mine["category"].unique()) - counted
    wanted = categories or [c for c in vocab.CATEGORIES if c != "Unknown" or c in counted | reported]
    return {
        "counted": [c for c in wanted if c in counted],
        "reports_only": [c for c in wanted if c in reported],
        "no_documented_counts": [c for c in wanted if c not in counted and c not in reported],
    }


def _means_attributions(
    rows: pd.DataFrame, scope_mask: pd.Series, member: dict[str, str], claim: pd.Series, assumptions: Assumptions
) -> list[dict[str, Any]]:
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
    why = why.mask(~scope_mask.loc[found.index], "outside the claim's categories, models or period")
    why = why.mask(~status.isin(statuses), status.map(outside_statuses))  # the first reason that applies wins
    columns_out = {  # built column-wise: DataFrame.to_dict boxes every cell through pandas and is 5x slower
        "loss_id": found["loss_id"].tolist(),
        "system": found["attributed_system"].tolist(),
        "confidence": confidence.tolist(),
        "status": status.tolist(),
        "category": found["category"].tolist(),
        "items": found["effective_quantity"].astype("int64").tolist(),
        "counted": why.eq("").tolist(),
        "why_not_counted": [w or None for w in why.tolist()],
        "source_url": found["source_url"].tolist(),
    }
    return [dict(zip(columns_out, cells, strict=True)) for cells in zip(*columns_out.values(), strict=True)]


def format_range(total: BucketTotal, year: int) -> str:
    """``$84.0M–$297.5M (central $189.9M, 2020 USD)``, or a note when nothing is costed."""
    v = total.value
    if total.items_costed == 0:
        return "no costed items"
    if v.low == v.high:
        return f"{format_usd(v.central)} ({year} USD)"
    return f"{format_usd(v.low)}–{format_usd(v.high)} (central {format_usd(v.central)}, {year} USD)"


def _pct(share: ValueRange | None) -> str:
    if share is None:
        return ""
    if round(share.low, 3) == round(share.high, 3):
        return f"{share.central:.1%}"
    return f"{share.low:.1%}–{share.high:.1%}, central {share.central:.1%}"


def conclusion(c: ClaimComparison, all_means: bool) -> str:
    """One plain sentence (or three) with the honest reading of the numbers."""
    claim, year = c.claim, c.dollar_year
    gaps = c.coverage["no_documented_counts"]
    gap_text = f"{len(gaps)} categor{'y has' if len(gaps) == 1 else 'ies have'} no documented counts"
    uncosted_items = c.ceiling.items_uncosted
    if c.measure == "count":
        equipment = claim["scope_equipment_as_stated"] or claim["unit"]
        if not c.coverage["counted"]:
            reports = c.coverage["reports_only"]
            evidence = (
                f"no tally of {', '.join(reports)}, only individual reports ({c.ceiling.items} matching item(s))"
                if reports
                else f"no documented counts for {', '.join(c.coverage['no_documented_counts'][:3])}"
            )
            return (
                f"The ledger has {evidence} for {equipment}, so it can neither support nor contradict this claim "
                f"of {claim['amount']:,.0f}."
            )
        coarse = c.documented.items_possibly_in_period
        timing = (
            f"{coarse} of them carry dates too coarse to place inside the claim's period (whole-war tallies), "
            if coarse
            else ""
        )
        return (
            f"The ledger documents {c.documented.items} item(s) in scope against the "
            f"{claim['amount']:,.0f} {claim['unit']} claimed ({_pct(c.documented.share_of_claim)}); {timing}"
            "and Oryx counts only visually confirmed losses, so the documented figure is a floor of real losses."
        )
    amount = format_usd(float(claim["amount"]))
    if all_means:
        return (
            f"Documented losses in the claim's scope are worth {format_range(c.documented, year)}, "
            f"{_pct(c.documented.share_of_claim)} of the {amount} claimed; {uncosted_items} further item(s) "
            f"are uncosted and {gap_text}, so this is a floor of the evidence, not of the real losses."
        )
    attributed = c.buckets["attributed"]
    means = means_label(claim["scope_systems"])
    excluded: dict[tuple[str, str, str, str], int] = {}  # one clause per kind of exclusion, however many losses
    for a in c.scope_attributions:
        if not a["counted"]:
            key = (a["status"], a["system"], a["confidence"], a["why_not_counted"])
            excluded[key] = excluded.get(key, 0) + a["items"]
    excluded_text = "".join(
        f"; {items} {status} item(s) attributed to {system} ({confidence} confidence) do not count: {why}"
        for (status, system, confidence, why), items in excluded.items()
    )
    if attributed.items == 0:
        head = (
            f"The ledger documents no loss in the claim's scope attributed to {means}, so none of the {amount} "
            f"claim is supported by attributed evidence{excluded_text}."
        )
    else:
        head = (
            f"Losses attributed to {means} in the claim's scope: {attributed.items} item(s), "
            f"{format_range(attributed, year)}, {_pct(attributed.share_of_claim)} of the {amount} claimed"
            f"{excluded_text}."
        )
    return (
        f"{head} Even if every documented, costed loss in scope that is not attributed elsewhere were credited to "
        f"them, the ceiling would be {format_range(c.ceiling, year)} — {_pct(c.ceiling.share_of_claim)} of the "
        f"claim; {uncosted_items} item(s) in that ceiling are uncosted and {gap_text}, so it is the ceiling of "
        "the current evidence, not of reality."
    )


@dataclass
class ConflictSummary:
    """Documented losses of one conflict (optionally one side), by attributed system, status and category."""

    conflict: str
    side: str | None
    dollar_year: int
    assumptions: Assumptions
    total: BucketTotal
    by_system: list[BucketTotal]
    by_status: list[BucketTotal]
    by_category: list[BucketTotal]
    sides: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict (the CLI's ``summary --conflict … --format json``)."""
        return {
            "conflict": self.conflict,
            "side": self.side,
            "sides": self.sides,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "total": self.total.to_dict(),
            "by_system": [b.to_dict() for b in self.by_system],
            "by_status": [b.to_dict() for b in self.by_status],
            "by_category": [b.to_dict() for b in self.by_category],
        }


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
    UnknownClaimError
        If the conflict is not in conflicts.csv.
    """
    loaded = _as_ledger(ledger)
    assumptions = assumptions or Assumptions()
    conflicts = loaded["conflicts"].set_index("conflict_id")
    if conflict not in conflicts.index:
        raise UnknownClaimError(
            f"no conflict {conflict!r} in conflicts.csv (it has: {', '.join(conflicts.index)}); check --conflict",
            "unknown-conflict",
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
        total=_bucket_total("total", rows, None, "value"),
        by_system=_breakdown(credited, "system", None, "value"),
        by_status=_breakdown(rows, "status", None, "value"),
        by_category=_breakdown(rows, "category", None, "value"),
        sides=sides,
    )
