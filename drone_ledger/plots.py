"""Charts of a claim against the documented ledger (matplotlib, headless).

* ``timeline`` — cumulative documented value over time per bucket, with the
  claim as a horizontal line and its date marked. Losses dated only to a month
  are placed at its end, whole-war tallies at the war's end: the title says how
  many items are placed that way.
* ``bars`` — attributed / other / unattributed / ceiling against the claim,
  central values with low–high error bars.
* ``record`` — the claimed means' documented record, week by week: the running
  total of value certainly lost by each week (each item at the latest day it can
  have happened on; low–high band) above, items per week below, with the claim's
  amount and period marked (a claim about another war: its length to scale).
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from . import vocab
from .claims import BUCKETS, claim_scope, compare_claim
from .context import Context, context
from .errors import PlotError
from .ledger import LedgerLike
from .lossindex import loss_interval
from .record import means_records
from .results.core import Assumptions
from .storage import check_output_path, write_output
from .validation import require_valid

__all__ = ["PLOT_KINDS", "plot_claim"]

PLOT_KINDS = ("timeline", "bars", "record")
#: What a chart can be saved as (matplotlib picks the writer from the suffix).
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
COLOURS = {"attributed": "#c0392b", "other": "#2471a3", "unattributed": "#7f8c8d", "ceiling": "#34495e"}


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise PlotError("charts need matplotlib: pip install 'drone-ledger[plot]'") from exc
    matplotlib.use("Agg")  # headless: never needs a display
    import matplotlib.pyplot as plt

    return plt


def _millions(value: float, _: object = None) -> str:
    return f"${value / 1e6:,.0f}M"


def plot_claim(
    ledger: LedgerLike,
    path: str | Path,
    claim_id: str = vocab.DEFAULT_CLAIM_ID,
    kind: str = "bars",
    assumptions: Assumptions | None = None,
    *,
    force: bool = False,
) -> Path:
    """Draw a chart of a claim against the ledger and save it as PNG, SVG or PDF (from the suffix).

    ``path`` must not exist unless ``force``; a directory, a device and a ledger's own files are refused even
    then. The chart is drawn in memory and written atomically.

    Raises
    ------
    PlotError
        Unknown kind or suffix, a count claim, matplotlib missing, or a refused path.
    LedgerWriteError
        The disk is full, the file system read-only, permission denied (nothing was written).
    """
    target = Path(path)
    if kind not in PLOT_KINDS:
        raise PlotError(f"--kind must be one of {', '.join(PLOT_KINDS)}, not {kind!r}")
    if target.suffix.lower() not in PLOT_SUFFIXES:
        listed = f"{', '.join(PLOT_SUFFIXES[:-1])} or {PLOT_SUFFIXES[-1]}"
        raise PlotError(f"save charts as {listed}, not {target.suffix or 'no suffix'!r}")
    check_output_path(target, force, PlotError)
    ctx = context(require_valid(ledger), assumptions)
    plt = _pyplot()
    draw = {"timeline": _timeline, "bars": _bars, "record": _record}[kind]
    figure = draw(plt, ctx, claim_id)
    image = io.BytesIO()
    try:
        figure.savefig(image, format=target.suffix.lower().lstrip("."), dpi=120, bbox_inches="tight")
    finally:
        plt.close(figure)
    write_output(target, lambda stream: stream.write(image.getvalue()), force, PlotError)
    return target


def _title(comparison: Any) -> str:
    claim = comparison.claim
    return f"{claim['claim_id']}: {claim['claimant']} ({claim['claim_date'] or 'undated'})"


def _bars(plt: Any, ctx: Context, claim_id: str) -> Any:
    c = compare_claim(ctx.ledger, claim_id, ctx.assumptions)
    if c.measure != "value":
        raise PlotError(f"{claim_id} claims a count ({c.claim['unit']}), not dollars: plot a dollar claim")
    means = textwrap.fill(c.means, 16)
    labels = [
        f"attributed to\n{means}",
        "other\nsystems",
        "unattributed\nor too vague",
        "ceiling",
        "claimed",
    ]
    totals = [c.buckets[name] for name in BUCKETS] + [c.ceiling]
    central = [t.value.central for t in totals] + [float(c.claim["amount"])]
    lower = [t.value.central - t.value.low for t in totals]
    upper = [t.value.high - t.value.central for t in totals]
    colours = [COLOURS[n] for n in (*BUCKETS, "ceiling")] + ["#e67e22"]
    figure, axis = plt.subplots(figsize=(8, 4.8))
    axis.bar(labels, central, color=colours)
    # The claim is a single figure: only the documented buckets get low-high error bars.
    axis.errorbar(range(len(totals)), central[:-1], yerr=[lower, upper], fmt="none", ecolor="black", capsize=6)
    for x, t in enumerate(totals):
        # Above the top of the error bar (the high value), never across it.
        axis.annotate(
            f"{t.items:,} items\n{t.items_uncosted:,} uncosted",
            (x, max(central[x], t.value.high)),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    # Headroom for the two-line labels, which autoscaling does not count.
    axis.set_ylim(0, max(max(t.value.high for t in totals), central[-1]) * 1.15 or 1.0)
    axis.yaxis.set_major_formatter(_millions)
    axis.set_ylabel(f"value, {c.dollar_year} US dollars (central; bars: low–high)")
    axis.set_title(
        f"{_title(c)}\ndocumented losses in scope vs the claim; "
        f"{len(c.coverage.no_documented_counts)} categories without counts",
        fontsize=10,
    )
    return figure


def _timeline(plt: Any, ctx: Context, claim_id: str) -> Any:
    scope = claim_scope(ctx, claim_id)
    if scope.measure != "value":
        raise PlotError(f"{claim_id} claims a count ({scope.claim['unit']}), not dollars: plot a dollar claim")
    rows = scope.rows[scope.rows["costed"]].copy()
    conflicts = ctx.facts.conflicts.set_index("conflict_id")
    first, last = loss_interval(rows, ctx.facts.conflicts)
    rows["when"] = last.fillna(first)  # the latest day a loss can have happened on (an open war: its earliest)
    placed = int(rows.loc[first.ne(last), "effective_quantity"].sum())
    conflict = conflicts.loc[scope.claim["conflict"]]
    start = pd.Timestamp(conflict["start_date"])
    end = pd.Timestamp(conflict["end_date"]) if isinstance(conflict["end_date"], str) else rows["when"].max()
    figure, axis = plt.subplots(figsize=(9, 4.8))
    for bucket in BUCKETS:
        part = rows[rows["bucket"].eq(bucket)].sort_values("when")
        if part.empty:
            continue
        steps = part.groupby("when")["value_central"].sum().cumsum()
        steps = pd.concat([pd.Series([0.0], index=[start]), steps])  # every line starts from nothing
        axis.step(steps.index, steps.values, where="post", color=COLOURS[bucket], label=f"{bucket} (cumulative)")
        axis.plot(steps.index, steps.values, "o", color=COLOURS[bucket])
    amount = float(scope.claim["amount"])
    axis.axhline(amount, color="#e67e22", linestyle="--", label=f"claim: {_millions(amount)}")
    claim_date = pd.to_datetime(scope.claim["claim_date"] or scope.claim["period_end"])
    axis.axvline(claim_date, color="#e67e22", linestyle=":", label=f"claim date {claim_date.date()}")
    claim_end = max(end, claim_date) if pd.notna(end) else claim_date
    axis.set_xlim(start - pd.Timedelta(days=3), claim_end + pd.Timedelta(days=3))
    axis.set_ylim(bottom=0)
    axis.yaxis.set_major_formatter(_millions)
    axis.set_ylabel(f"cumulative documented value, {scope.dollar_year} US dollars (central)")
    total = int(rows["effective_quantity"].sum())
    axis.set_title(
        f"{scope.claim['claim_id']}: documented value over time\n{placed:,} of {total:,} costed items "
        "are known only to a span of days (a month, the whole war) and are placed at its last day",
        fontsize=10,
    )
    axis.legend(fontsize=8, loc="upper left")
    figure.autofmt_xdate()
    return figure


def _record(plt: Any, ctx: Context, claim_id: str) -> Any:
    c = compare_claim(ctx.ledger, claim_id, ctx.assumptions)
    records = [r for r in means_records(ctx, c.claim, c.dollar_year) if r.weeks]
    if not records:
        raise PlotError(
            f"{claim_id} credits {'every means' if c.all_means else 'no system with a documented record'}: the record "
            "chart needs a claim about particular means whose items the ledger credits (e.g. the TB2's)"
        )
    record = records[0]
    weeks = pd.to_datetime([w.week for w in record.weeks])
    ends = weeks + pd.Timedelta(days=7)
    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(9, 6), sharex=True, gridspec_kw={"height_ratios": [2.2, 1]}, layout="constrained"
    )
    # Every line starts from nothing at the first week's start; a week's items count by its end.
    levels = {
        name: [0.0, *(getattr(w.cumulative_value, name) for w in record.weeks)] for name in ("low", "central", "high")
    }
    steps = weeks[:1].append(ends)
    top.fill_between(steps, levels["low"], levels["high"], step="post", color="#c9d3dd", label="low–high")
    top.step(steps, levels["central"], where="post", color=COLOURS["ceiling"], label="value certainly lost by then")
    same_war = record.conflict == c.claim["conflict"]
    amount = c.amount_in_dollar_year if c.measure == "value" else None
    start, end = c.claim["period_start"], c.claim["period_end"]
    if amount:
        top.axhline(amount, color="#e67e22", linestyle="--", label=f"claim: {_millions(amount)}")
    if same_war and end:
        first = pd.Timestamp(start) if start else weeks[0]
        top.axvspan(first, pd.Timestamp(end) + pd.Timedelta(days=1), color="#e67e22", alpha=0.2, label="claim's period")
    elif amount and end and start:
        days = (pd.Timestamp(end) - pd.Timestamp(start)).days + 1
        top.plot(
            [ends[-1] - pd.Timedelta(days=days), ends[-1]],
            [amount, amount],
            color="#e67e22",
            linewidth=6,
            solid_capstyle="butt",
            label=f"claim's {days} days, to scale (another war)",
        )
    top.set_ylim(bottom=0)
    top.yaxis.set_major_formatter(_millions)
    top.set_ylabel(f"{record.dollar_year} US dollars")
    top.legend(fontsize=8, loc="center left")
    dated = [w.items_dated_to_the_day for w in record.weeks]
    bounded = [w.items - w.items_dated_to_the_day for w in record.weeks]
    bottom.bar(weeks, dated, width=6, align="edge", color=COLOURS["ceiling"], label="dated to the day")
    bottom.bar(
        weeks, bounded, width=6, align="edge", bottom=dated, color="#aab6c2", label="known only to be lost by then"
    )
    bottom.set_ylabel("items a week")
    bottom.legend(fontsize=8, loc="upper left")
    scale = f"; another war than the claim's ({c.claim['conflict']})" if not same_war else ""
    top.set_title(
        textwrap.fill(
            f"{record.system_name} in {record.conflict_name}, {record.side}'s losses: {record.total.items:,} items, "
            f"each at the latest day it can have happened on{scale}",
            90,
        ),
        fontsize=10,
    )
    figure.autofmt_xdate()
    return figure
