"""The report page's chart: the buckets, the headline figure and the claim as horizontal bars, in inline SVG.

Drawn here from the numbers, so the page needs no matplotlib and loads nothing.
"""

from __future__ import annotations

import math
import textwrap

from drone_ledger.formatting import format_claimed, format_share, format_total, format_usd
from drone_ledger.results.claims import BUCKET_LABELS, ClaimComparison
from drone_ledger.results.core import BucketTotal

from .html import count_items, esc

__all__ = ["COLOURS", "chart_section", "chart_svg"]

#: Files drone-ledger keeps in a ledger directory besides its tables (storage.LOCK_NAME, storage.JOURNAL_NAME).
COLOURS = {
    "attributed": "#a4432f",
    "other": "#3d6a96",
    "unattributed": "#8a939c",
    "figure": "#34495e",
    "inside": "#6b7f93",
    "claim": "#c07a12",
}


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals up to ``top``."""
    raw = top / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _tick_label(value: float, measure: str) -> str:
    if measure != "value":
        return f"{value:,.0f}"
    return format_usd(value).replace(".0M", "M").replace(".0bn", "bn").replace(".0k", "k")


def _pct(value: float, top: float) -> str:
    """Where a value sits across the chart, in % of its width (1% margin each side, so end caps stay visible)."""
    return f"{1 + 97 * max(value, 0.0) / top:.3f}%"


def chart_svg(c: ClaimComparison) -> str:
    """The buckets, the headline figure and the claim as horizontal bars (inline SVG, no script).

    Dollar claims: central values with low–high whiskers. Count claims: items. Shapes are placed in % of the
    width and text in pixels, so the chart fills any screen and its text stays readable.
    """
    value = c.measure == "value"
    amount = float(c.claim["amount"])
    means = c.means
    rows: list[tuple[str, BucketTotal | None, str]] = [
        (BUCKET_LABELS[name].format(means=means), bucket, name) for name, bucket in c.buckets.items()
    ]
    figure = c.headline_figure
    name = "documented total" if c.all_means else "ceiling"
    label = "Documented in scope (any means)" if c.all_means else "Ceiling: attributed + unattributed"
    rows.append((label, figure, "figure"))
    if figure.inside_period is not None and figure.items_possibly_in_period:
        rows.append((f"Of the {name}, certainly inside the period", figure.inside_period, "inside"))
    rows.append((f"Claimed ({c.claim['bound']})", None, "claim"))

    def extent(total: BucketTotal) -> float:
        if not value:
            return float(total.items)
        return total.value.high if total.items_costed else 0.0

    top = max([amount, *(extent(t) for _, t, _ in rows if t is not None)]) or 1.0
    step = _nice_step(top)
    top = max(top, step)
    parts: list[str] = []
    y = 8
    for label, total, kind in rows:
        if total is None:
            details = [f"{format_claimed(c)}, {c.claim['claimant']}"]
        elif value:
            costed = f"{total.items_costed:,} of {count_items(total.items)} costed"
            worth = format_total(total) if total.items_costed else "no costed value"
            details = [f"{worth} · {costed}", f"{format_share(total.share_of_claim) or '—'} of the claim"]
        else:
            withheld = c.share_withheld(total)
            share = f"{format_share(total.share_of_claim)} of the claim" if withheld is None else withheld
            details = [f"{count_items(total.items)} · {share}"]
        detail = "; ".join(details)
        lines = textwrap.wrap(label, 40) or [""]
        for line in lines:
            y += 19
            parts.append(f'<text x="0" y="{y}" class="label">{esc(line)}</text>')
        y += 7
        bar_top = y
        colour = COLOURS.get(kind, COLOURS["figure"])
        central = amount if total is None else (total.value.central if value else float(total.items))
        shown = total is None or not value or total.items_costed > 0
        if shown and central > 0:
            width = f"{97 * central / top:.3f}%"
            parts.append(
                f'<rect x="1%" y="{bar_top}" width="{width}" height="18" fill="{colour}" rx="2">'
                f"<title>{esc(label)}: {esc(detail)}</title></rect>"
            )
        else:
            parts.append(f'<line x1="1%" x2="1%" y1="{bar_top}" y2="{bar_top + 18}" class="zero"/>')
        if value and total is not None and total.items_costed and not total.value.is_point:
            low, high, mid = _pct(total.value.low, top), _pct(total.value.high, top), bar_top + 9
            parts.append(
                f'<g class="whisker"><line x1="{low}" x2="{high}" y1="{mid}" y2="{mid}"/>'
                f'<line x1="{low}" x2="{low}" y1="{mid - 6}" y2="{mid + 6}"/>'
                f'<line x1="{high}" x2="{high}" y1="{mid - 6}" y2="{mid + 6}"/></g>'
            )
        y = bar_top + 18
        for line in [wrapped for text in details for wrapped in textwrap.wrap(text, 52)]:
            y += 17
            parts.append(f'<text x="0" y="{y}" class="detail">{esc(line)}</text>')
        y += 14
    axis_top = 8
    axis_bottom = y
    grid = []
    tick = 0.0
    while tick <= top + step * 1e-9:
        x = _pct(tick, top)
        anchor = "start" if tick == 0 else "end" if 97 * tick / top > 90 else "middle"
        grid.append(f'<line x1="{x}" x2="{x}" y1="{axis_top}" y2="{axis_bottom}" class="grid"/>')
        label_text = esc(_tick_label(tick, c.measure))
        grid.append(f'<text x="{x}" y="{axis_bottom + 16}" text-anchor="{anchor}" class="tick">{label_text}</text>')
        tick += step
    claim_x = _pct(amount, top)
    claim_line = f'<line x1="{claim_x}" x2="{claim_x}" y1="{axis_top}" y2="{axis_bottom}" class="claimline"/>'
    height = axis_bottom + 24
    what = "value" if value else "items"
    description = (
        f"Horizontal bars: the documented {what} in each bucket of claim {c.claim['claim_id']}, the "
        f"{'documented total' if c.all_means else 'ceiling'}, and the claim ({format_claimed(c)})."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" height="{height}" role="img" '
        f'aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">{esc(c.claim["claim_id"])}: documented losses against the claim</title>'
        f'<desc id="chart-desc">{esc(description)}</desc>'
        f"{''.join(grid)}{''.join(parts)}{claim_line}</svg>"
    )


def chart_section(c: ClaimComparison) -> str:
    if c.measure == "value":
        caption = (
            f"Bars: central value in {c.dollar_year} US dollars; whiskers: low–high range of the price "
            "observations; dashed line: the claim. Uncosted items add nothing to a bar: they are not valued at zero, "
            "they are unknown."
        )
    else:
        caption = "Bars: documented items; dashed line: the count claimed."
    return (
        '<section id="chart"><h2>The figures against the claim</h2>'
        f"<figure>{chart_svg(c)}<figcaption>{esc(caption)}</figcaption></figure></section>"
    )
