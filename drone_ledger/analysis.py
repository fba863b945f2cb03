"""Analysis a researcher can publish: trace a figure to its rows, break totals down, vary the assumptions,
and price count claims at the ledger's own unit costs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import vocab
from .claims import BUCKETS, _as_ledger, _bucket_total, claim_dollar_year, claim_scope, compare_claim
from .costing import cost_losses, price_observations, unit_values
from .errors import AnalysisUsageError  # defined in errors.py; still importable from here
from .loading import Ledger
from .reports import Assumptions, BucketTotal, ValueRange, clean_number
from .scopes import split_list

TRACE_BUCKETS = (*BUCKETS, "uncosted")
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
    "bucket",
)


def _range(frame: pd.DataFrame, prefix: str = "value") -> ValueRange:
    costed = frame[frame["costed"]]
    return ValueRange(
        float(costed[f"{prefix}_low"].sum()),
        float(costed[f"{prefix}_central"].sum()),
        float(costed[f"{prefix}_high"].sum()),
    )


# --- trace ---------------------------------------------------------------------------------------------------------


@dataclass
class Trace:
    """The losses behind one figure of a claim comparison, with the prices and sources behind each."""

    claim_id: str
    bucket: str
    dollar_year: int
    filters: dict[str, str]
    rows: list[dict[str, Any]]
    items: int
    value: ValueRange

    def to_dict(self) -> dict[str, Any]:
        """Return the trace as a JSON-ready dict."""
        return {
            "claim_id": self.claim_id,
            "bucket": self.bucket,
            "dollar_year": self.dollar_year,
            "filters": self.filters,
            "items": self.items,
            "value_usd": self.value.to_dict(),
            "rows": self.rows,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per loss (observations flattened to their ids)."""
        flat = [{**r, "observations": ";".join(o["obs_id"] for o in r["observations"])} for r in self.rows]
        return pd.json_normalize(flat, sep="_")


def trace_claim(
    ledger: Ledger | str | Path | None,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    bucket: str = "unattributed",
    system: str | None = None,
    category: str | None = None,
    assumptions: Assumptions | None = None,
) -> Trace:
    """List the losses behind a bucket of a claim comparison (``uncosted``: the uncosted ones of every bucket).

    Each row carries its quantity, unit value range, the price observations used
    (with their sources) and the loss's own source. For a costed bucket the
    rows' values add up to the bucket's figure in :func:`compare_claim`.
    """
    if bucket not in TRACE_BUCKETS:
        raise AnalysisUsageError(f"--bucket must be one of {', '.join(TRACE_BUCKETS)}, not {bucket!r}")
    loaded = _as_ledger(ledger)
    assumptions = assumptions or Assumptions()
    scope = claim_scope(loaded, claim_id, assumptions)
    rows = scope.rows
    rows = rows[~rows["costed"]] if bucket == "uncosted" else rows[rows["bucket"].eq(bucket)]
    if system is not None:
        rows = rows[rows["effective_system"].eq(system)]
    if category is not None:
        rows = rows[rows["category"].eq(category)]
    obs = scope.observations.set_index("obs_id")
    listed = []
    for r in rows.sort_values(["bucket", "category", "loss_id"]).itertuples():
        used = [
            {
                "obs_id": o,
                "source_url": obs.loc[o, "source_url"],
                "low_usd": clean_number(obs.loc[o, "low_usd"]),
                "high_usd": clean_number(obs.loc[o, "high_usd"]),
                "applicability": obs.loc[o, "applicability"],
            }
            for o in split_list(str(r.obs_ids).replace(";", "|"))
        ]
        listed.append(
            {
                "loss_id": r.loss_id,
                "bucket": r.bucket,
                "category": r.category,
                "model": None if pd.isna(r.model) else r.model,
                "status": r.status,
                "items": int(r.effective_quantity),
                "system": r.effective_system,
                "confidence": None if pd.isna(r.attribution_confidence) else r.attribution_confidence,
                "period": r.period,
                "unit_usd": {
                    "low": clean_number(r.unit_low),
                    "central": clean_number(r.unit_central),
                    "high": clean_number(r.unit_high),
                },
                "value_usd": {
                    "low": clean_number(r.value_low),
                    "central": clean_number(r.value_central),
                    "high": clean_number(r.value_high),
                },
                "cost_key": None if pd.isna(r.cost_key_used) else r.cost_key_used,
                "cost_basis": r.cost_basis,
                "cost_assumption": None if pd.isna(r.cost_assumption) else r.cost_assumption,
                "uncosted_reason": r.uncosted_reason or None,
                "observations": used,
                "source_url": r.source_url,
            }
        )
    filters = {k: v for k, v in (("system", system), ("category", category)) if v is not None}
    return Trace(
        claim_id, bucket, scope.dollar_year, filters, listed, int(rows["effective_quantity"].sum()), _range(rows)
    )


# --- breakdown -----------------------------------------------------------------------------------------------------


@dataclass
class Breakdown:
    """Totals (items, costed items, value range) grouped by one or more fields."""

    by: list[str]
    where: dict[str, list[str]]
    dollar_year: int
    assumptions: Assumptions
    groups: list[dict[str, Any]]
    total: BucketTotal

    def to_dict(self) -> dict[str, Any]:
        """Return the breakdown as a JSON-ready dict."""
        return {
            "by": self.by,
            "where": self.where,
            "dollar_year": self.dollar_year,
            "assumptions": self.assumptions.to_dict(),
            "total": self.total.to_dict(),
            "groups": self.groups,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per group."""
        return pd.DataFrame(
            [
                {
                    **g["key"],
                    "items": g["items"],
                    "items_costed": g["items_costed"],
                    **{f"value_{k}": v for k, v in g["value_usd"].items()},
                }
                for g in self.groups
            ]
        )


def analysis_frame(ledger: Ledger, dollar_year: int, assumptions: Assumptions) -> pd.DataFrame:
    """Every loss, costed, with the fields breakdowns group by (system, family, Turkish-supplied, week …)."""
    costed = cost_losses(ledger, dollar_year, assumptions)
    costed = costed[costed["effective_quantity"].gt(0)].copy()
    systems = ledger["systems"].set_index("system_id")
    accepted = costed["attribution_confidence"].isin(list(assumptions.attributed_confidences))
    costed["system"] = costed["attributed_system"].where(accepted, vocab.UNATTRIBUTED)
    costed["family"] = costed["system"].map(systems["family"]).fillna("unknown")
    costed["turkish_supplied"] = costed["system"].map(systems["turkish_supplied"]).fillna("unknown")
    costed["side"] = costed["side_losing"]
    costed["confidence"] = costed["attribution_confidence"].fillna("none")
    day = pd.to_datetime(costed["date"].where(costed["date_precision"].eq("day")), errors="coerce", format="%Y-%m-%d")
    month = costed["date"].where(costed["date_precision"].isin(["day", "month"])).str[:7]
    costed["month"] = month.fillna("undated")
    costed["week"] = day.dt.strftime("%G-W%V").where(day.notna(), "undated")
    costed["model"] = costed["model"].fillna("(category aggregate)")
    costed["bucket"] = "n/a"
    return costed


def breakdown(
    ledger: Ledger | str | Path | None,
    by: list[str],
    where: dict[str, list[str]] | None = None,
    dollar_year: int | None = None,
    assumptions: Assumptions | None = None,
) -> Breakdown:
    """Group every loss (after ``where`` filters) by ``by`` fields; the groups add up to the total.

    Fields: system, family, turkish_supplied, category, model, status, side, conflict, week, month (from
    day- or month-precise dates, else ``undated``), confidence, record_kind.
    """
    unknown = [f for f in [*by, *(where or {})] if f not in BREAKDOWN_FIELDS or f == "bucket"]
    if unknown or not by:
        raise AnalysisUsageError(
            f"group and filter by {', '.join(f for f in BREAKDOWN_FIELDS if f != 'bucket')}; "
            f"{'unknown: ' + ', '.join(unknown) if unknown else 'give at least one --by'}"
        )
    loaded = _as_ledger(ledger)
    assumptions = assumptions or Assumptions()
    year = dollar_year or assumptions.dollar_year or 2020
    frame = analysis_frame(loaded, year, assumptions)
    for column, values in (where or {}).items():
        frame = frame[frame[column].astype(str).isin(values)]
    frame = frame.assign(period="in")
    groups = []
    for key, group in frame.groupby(by, sort=True, dropna=False):
        keys = key if isinstance(key, tuple) else (key,)
        total = _bucket_total("group", group, None, "value")
        groups.append(
            {
                "key": dict(zip(by, (str(k) for k in keys), strict=True)),
                "items": total.items,
                "items_costed": total.items_costed,
                "items_uncosted": total.items_uncosted,
                "value_usd": total.value.to_dict(),
            }
        )
    groups.sort(key=lambda g: (-float(g["value_usd"]["central"] or 0), -int(g["items"])))
    return Breakdown(by, where or {}, year, assumptions, groups, _bucket_total("total", frame, None, "value"))


# --- sensitivity ---------------------------------------------------------------------------------------------------


@dataclass
class Sensitivity:
    """A claim's documented share and ceiling under the assumptions that move them."""

    claim_id: str
    amount: float
    measure: str
    rows: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Return the grid as a JSON-ready dict."""
        return {"claim_id": self.claim_id, "amount": self.amount, "measure": self.measure, "rows": self.rows}

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario."""
        return pd.json_normalize([{k: v for k, v in r.items() if k != "assumptions"} for r in self.rows], sep="_")


def sensitivity_scenarios(latest_cpi_year: int) -> list[tuple[str, str, Assumptions]]:
    """The scenarios: the default, one assumption changed at a time, and the best and worst case for the claim."""
    base = Assumptions()
    all_confidences = ("high", "medium", "low", "unverified")
    change = dataclasses.replace
    return [
        ("default", "default", base),
        ("prices", "direct + upper references", change(base, applicability=("direct", "upper_reference"))),
        ("prices", "direct + floor references", change(base, applicability=("direct", "floor_reference"))),
        ("prices", "all references", change(base, applicability=("direct", "upper_reference", "floor_reference"))),
        ("damaged items", "worth 0", change(base, damaged_weight=0.0)),
        ("damaged items", "worth 50%", change(base, damaged_weight=0.5)),
        ("attribution", "high confidence only", change(base, attributed_confidences=("high",))),
        ("attribution", "high + medium", change(base, attributed_confidences=("high", "medium"))),
        ("attribution", "+ unverified", change(base, attributed_confidences=all_confidences)),
        ("dates", "coarse dates excluded", change(base, include_possibly_in_period=False)),
        ("dollar year", str(latest_cpi_year), change(base, dollar_year=latest_cpi_year)),
        (
            "best case for the claim",
            "upper refs, unverified counted, coarse dates in",
            change(base, applicability=("direct", "upper_reference"), attributed_confidences=all_confidences),
        ),
        (
            "worst case for the claim",
            "floor refs, damaged 0, high confidence, coarse dates out",
            change(
                base,
                applicability=("direct", "floor_reference"),
                damaged_weight=0.0,
                attributed_confidences=("high",),
                include_possibly_in_period=False,
            ),
        ),
    ]


def _share(bucket: BucketTotal) -> dict[str, float | None] | None:
    share = bucket.share_of_claim
    return None if share is None else {k: clean_number(getattr(share, k), 6) for k in ("low", "central", "high")}


def sensitivity(ledger: Ledger | str | Path | None, claim_id: str = vocab.DEFAULT_CLAIM_ID) -> Sensitivity:
    """Recompute a claim's documented total and ceiling under each scenario of :func:`sensitivity_scenarios`."""
    loaded = _as_ledger(ledger)
    latest = int(loaded["cpi"]["year"].max())
    rows = []
    comparison = None
    for group, label, assumptions in sensitivity_scenarios(latest):
        comparison = compare_claim(loaded, claim_id, assumptions)
        doc, ceil = comparison.documented, comparison.ceiling
        rows.append(
            {
                "group": group,
                "scenario": label,
                "dollar_year": comparison.dollar_year,
                "assumptions": assumptions.to_dict(),
                "documented_items": doc.items,
                "documented_usd": doc.value.to_dict(),
                "documented_share": _share(doc),
                "ceiling_items": ceil.items,
                "ceiling_usd": ceil.value.to_dict(),
                "ceiling_share": _share(ceil),
            }
        )
    assert comparison is not None
    return Sensitivity(claim_id, float(comparison.claim["amount"]), comparison.measure, rows)


# --- claim consistency ---------------------------------------------------------------------------------------------


@dataclass
class Consistency:
    """Count claims priced at the ledger's unit costs, set against the dollar claims of the same side."""

    dollar_year: int
    groups: list[dict[str, Any]]
    value_claims: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict."""
        return {
            "dollar_year": self.dollar_year,
            "groups": self.groups,
            "value_claims": self.value_claims,
            "notes": self.notes,
        }


def claim_consistency(
    ledger: Ledger | str | Path | None, dollar_year: int | None = None, assumptions: Assumptions | None = None
) -> Consistency:
    """Price each set of count claims (same claimant, date and outlet) at the ledger's unit values.

    A count claim reaches a price through its ``scope_cost_key`` (the model it
    names) or, for a whole category, the ledger's documented category proxy
    (shown as an assumption); otherwise it is uncosted and listed. Each set's
    implied value range is then set against every all-means dollar claim about the same side's losses.
    """
    loaded = _as_ledger(ledger)
    assumptions = assumptions or Assumptions()
    claims = loaded["claims"]
    year = dollar_year or assumptions.dollar_year or 2020
    values = unit_values(price_observations(loaded, year, assumptions))
    proxies = loaded["category_proxies"]
    counts = claims[claims["unit"].ne("USD")]
    groups = []
    for (claimant, date, outlet, side), group in counts.groupby(
        ["claimant", "claim_date", "outlet", "scope_side"], dropna=False, sort=False
    ):
        lines, implied = [], [0.0, 0.0, 0.0]
        for claim in group.itertuples():
            key, basis = _claim_cost_key(claim, proxies)
            unit = values.loc[key] if key is not None and key in values.index else None
            costed = unit is not None and pd.notna(unit["unit_central"])
            value = (
                [float(claim.amount) * float(unit[f"unit_{lvl}"]) for lvl in ("low", "central", "high")]
                if costed
                else None
            )
            if value:
                implied = [a + b for a, b in zip(implied, value, strict=True)]
            lines.append(
                {
                    "claim_id": claim.claim_id,
                    "equipment": claim.scope_equipment_as_stated,
                    "count": claim.amount,
                    "statuses": claim.scope_statuses,
                    "cost_key": key,
                    "cost_basis": basis,
                    "unit_usd": None
                    if not costed
                    else {lvl: clean_number(unit[f"unit_{lvl}"]) for lvl in ("low", "central", "high")},
                    "implied_usd": None
                    if value is None
                    else dict(zip(("low", "central", "high"), (clean_number(v) for v in value), strict=True)),
                    "uncosted_reason": None
                    if costed
                    else (
                        "no cost key"
                        if key is None
                        else (values.loc[key, "uncosted_reason"] if key in values.index else "unknown cost key")
                    ),
                }
            )
        related = claims[claims["unit"].eq("USD") & claims["scope_side"].eq(side) & claims["scope_systems"].eq("all")]
        groups.append(
            {
                "claimant": claimant,
                "claim_date": None if pd.isna(date) else date,
                "outlet": outlet,
                "side": side,
                "claims": lines,
                "implied_usd": dict(zip(("low", "central", "high"), (clean_number(v) for v in implied), strict=True)),
                "costed_claims": sum(1 for line in lines if line["implied_usd"]),
                "uncosted_claims": sum(1 for line in lines if not line["implied_usd"]),
                "against": [
                    {
                        "claim_id": v.claim_id,
                        "amount": float(v.amount),
                        "bound": v.bound,
                        "implied_share": {
                            lvl: clean_number(implied[i] / float(v.amount), 6)
                            for i, lvl in enumerate(("low", "central", "high"))
                        },
                    }
                    for v in related.itertuples()
                ],
            }
        )
    value_claims = [
        {
            "claim_id": row["claim_id"],
            "claimant": row["claimant"],
            "amount": float(row["amount"]),
            "bound": row["bound"],
            "dollar_year": claim_dollar_year(row),
        }
        for _, row in claims[claims["unit"].eq("USD")].iterrows()
    ]
    notes = [
        "an implied value counts only the claimed items that have a usable price; the uncosted ones would add "
        "an unknown amount"
    ]
    return Consistency(year, groups, value_claims, notes)


def _claim_cost_key(claim: Any, proxies: pd.DataFrame) -> tuple[str | None, str | None]:
    explicit = getattr(claim, "scope_cost_key", None)
    if isinstance(explicit, str) and explicit:
        return explicit, "named model"
    categories = split_list(claim.scope_categories)
    if len(categories) == 1 and not isinstance(claim.scope_models, str):
        match = proxies[
            proxies["conflict"].eq(claim.conflict)
            & proxies["side_losing"].eq(claim.scope_side)
            & proxies["category"].eq(categories[0])
        ]
        if len(match):
            return str(match["cost_key"].iloc[0]), f"category proxy (assumption): {match['basis'].iloc[0]}"
    return None, None
