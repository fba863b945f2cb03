"""The report page's record section: the claimed means' documented record over time, week by week, with the
claim's amount and period marked — and, for a claim about another war, the "for scale" paragraph.

The chart is inline SVG drawn from the numbers: the plot area is a nested ``<svg>`` stretched to the page's width
(``preserveAspectRatio="none"``, strokes that do not scale), and its labels are text of the outer one placed in %
of the width, so it reads the same on a phone and on a desktop.
"""

from __future__ import annotations

import datetime as dt

from drone_ledger.formatting import format_period, format_range, format_usd
from drone_ledger.results.claims import ClaimComparison
from drone_ledger.results.record import ForScale, WarRecord

from .chart import _nice_step, _tick_label
from .html import esc, sentence

__all__ = ["record_section", "record_svg"]

VALUE_HEIGHT = 190  # px: the cumulative value panel
ITEMS_HEIGHT = 80  # px: the items-per-week panel
WIDTH = 1000  # the plot area's own units across


def _x(day: dt.date, start: dt.date, span_days: int) -> float:
    return max(0.0, min(WIDTH, (day - start).days / span_days * WIDTH))


def record_svg(
    record: WarRecord, amount: float | None, period: tuple[str | None, str | None] | None, days: int | None
) -> str:
    """The record week by week: cumulative value (central, with its low–high band) above, items per week below.

    ``amount`` is the claim in the record's dollar year (a dashed line); ``period`` the claim's start and end when
    the claim is about the record's own war (a shaded band), else ``days`` its length, drawn to scale beside the
    claim's line (a claim about another war has no place on this time axis).
    """
    weeks = record.weeks
    start = dt.date.fromisoformat(weeks[0].week)
    span = len(weeks) * 7
    top_value = max([weeks[-1].cumulative_value.high, amount or 0.0]) * 1.06 or 1.0
    step = _nice_step(top_value)
    top_items = max(w.items for w in weeks) or 1

    def vy(value: float) -> float:
        return VALUE_HEIGHT - value / top_value * VALUE_HEIGHT

    def step_path(levels: list[float]) -> list[tuple[float, float]]:
        points, previous = [(0.0, vy(0.0))], 0.0
        for i, level in enumerate(levels):
            x_end = (i + 1) / len(levels) * WIDTH
            points += [(x_end, vy(previous)), (x_end, vy(level))]
            previous = level
        return points

    low = step_path([w.cumulative_value.low for w in weeks])
    high = step_path([w.cumulative_value.high for w in weeks])
    central = step_path([w.cumulative_value.central for w in weeks])
    band = " ".join(f"{x:.1f},{y:.1f}" for x, y in [*high, *reversed(low)])
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in central)
    shapes = [f'<polygon points="{band}" class="band"/>', f'<polyline points="{line}" class="cum"/>']
    labels: list[str] = []
    tick = step
    while tick < top_value:
        y = vy(tick)
        shapes.append(f'<line x1="0" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        labels.append(f'<text x="0.5%" y="{24 + y - 3:.1f}" class="tick">{esc(_tick_label(tick, "value"))}</text>')
        tick += step
    if amount:
        y = vy(amount)
        shapes.append(f'<line x1="0" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" class="claimline"/>')
        if period is not None and period[1]:
            first = dt.date.fromisoformat(period[0]) if period[0] else start
            x0, x1 = _x(first, start, span), _x(dt.date.fromisoformat(period[1]) + dt.timedelta(days=1), start, span)
            shapes.insert(
                0, f'<rect x="{x0:.1f}" y="0" width="{max(x1 - x0, 2):.1f}" height="{VALUE_HEIGHT}" class="period"/>'
            )
        elif days:
            width = min(WIDTH, days / span * WIDTH)
            shapes.append(
                f'<rect x="{WIDTH - width:.1f}" y="{y - 4:.1f}" width="{width:.1f}" height="8" class="claimdays"/>'
            )
    gap = 30
    items_top = VALUE_HEIGHT + gap
    bar = WIDTH / len(weeks)
    for i, w in enumerate(weeks):
        for count, cls, base in ((w.items, "bounded", 0), (w.items_dated_to_the_day, "dated", 0)):
            if count:
                h = count / top_items * ITEMS_HEIGHT
                shapes.append(
                    f'<rect x="{i * bar + bar * 0.1:.1f}" y="{items_top + ITEMS_HEIGHT - h - base:.1f}" '
                    f'width="{bar * 0.8:.1f}" height="{h:.1f}" class="{cls}"/>'
                )
    shapes.append(
        f'<line x1="0" x2="{WIDTH}" y1="{items_top + ITEMS_HEIGHT}" y2="{items_top + ITEMS_HEIGHT}" class="axis"/>'
    )
    plot_height = items_top + ITEMS_HEIGHT
    labels += _month_labels(start, span, plot_height + 24 + 16)
    labels.append(f'<text x="0.5%" y="{24 + items_top - 6}" class="tick">items a week (most: {top_items:,})</text>')
    height = plot_height + 24 + 24
    description = (
        f"{record.system_name} in {record.conflict_name}: {record.total.items:,} items, {len(weeks)} weeks, each "
        "placed at the latest day it can have happened on."
    )
    inner = (
        f'<svg x="0" y="24" width="100%" height="{plot_height}" viewBox="0 0 {WIDTH} {plot_height}" '
        f'preserveAspectRatio="none">{"".join(shapes)}</svg>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart record" width="100%" height="{height}" role="img" '
        f'aria-label="{esc(description)}">{inner}{"".join(labels)}</svg>'
    )


def _month_labels(start: dt.date, span: int, y: float) -> list[str]:
    labels = []
    month = dt.date(start.year, start.month, 1)
    first = True
    while (month - start).days < span:
        if month >= start:
            x = (month - start).days / span * 100
            text = f"{month:%b}" + (f" {month.year}" if month.month == 1 and not first else "")
            anchor = "start" if x < 6 else "end" if x > 94 else "middle"
            labels.append(f'<text x="{x:.2f}%" y="{y:.1f}" text-anchor="{anchor}" class="tick">{esc(text)}</text>')
            first = False
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return labels


def _legend(same_war: bool, days: int | None) -> str:
    parts = [
        '<span class="key cum"></span>value, running total',
        '<span class="key dated"></span>items dated to the day',
        '<span class="key bounded"></span>items known only to be lost by then',
        '<span class="key claim"></span>the claim',
    ]
    if same_war:
        parts.append('<span class="key period"></span>the claim\'s period')
    elif days:
        parts.append(f'<span class="key claimdays"></span>the claim\'s {days:,} days, to scale')
    return '<p class="legend">' + "".join(f"<span>{p}</span>" for p in parts) + "</p>"


def record_section(c: ClaimComparison, records: list[WarRecord]) -> str:
    """The claimed means' record over time (one chart per war and side), with the "for scale" paragraph."""
    if not records:
        return ""
    scales: dict[tuple[str, str, str | None], ForScale] = {(s.system, s.conflict, s.side): s for s in c.for_scale}
    parts = ['<section id="record"><h2>The documented record over time</h2>']
    amount = c.amount_in_dollar_year if c.measure == "value" else None
    for record in records:
        if not record.weeks:
            continue
        same_war = record.conflict == c.claim["conflict"]
        scale = scales.get((record.system, record.conflict, record.side))
        title = f"The {record.system_name} in the {record.conflict_name}, {record.side}'s losses"
        parts.append(f"<h3>{esc(title)}</h3>")
        if scale is not None:
            parts.append(_scale_html(scale))
        period = (c.claim.get("period_start"), c.claim.get("period_end")) if same_war else None
        days = scale.claim_days if scale is not None else None
        head = (
            f"Running total of the value certainly lost by each week ({record.dollar_year} USD, central; band: "
            "low–high); below, the items of each week"
            if record.total.items_costed
            else "No item is priced; the items of each week"
        )
        parts.append(f'<figure><p class="sub">{esc(head)}</p>')
        parts.append(f"{record_svg(record, amount, period, days)}{_legend(same_war, days)}")
        when = format_period(c.claim.get("period_start"), c.claim.get("period_end"))
        claim = f"the claim ({format_usd(float(c.claim['amount']))}, {when})" if amount else "the claim"
        caption = (
            f"Each item is placed at the latest day it can have happened on, so the running total is what was "
            f"certainly lost by then — a floor, never ahead of the truth. Dashed line: {claim}"
            + (", in the record's dollars" if amount else "")
            + (
                "; a claim about another war has no place on this time axis: its length is drawn to scale on its line"
                if not same_war
                else "; shaded: its period"
            )
            + f". Weeks of {_years(record)}; values in {record.dollar_year} US dollars."
        )
        parts.append(f"<figcaption>{sentence(caption)}</figcaption></figure>")
    parts.append("</section>")
    return "".join(parts)


def _years(record: WarRecord) -> str:
    first, last = record.weeks[0].week[:4], record.weeks[-1].week[:4]
    return first if first == last else f"{first}–{last}"


def _scale_html(s: ForScale) -> str:
    facts = [
        ("Documented", f"{s.items:,} items, {format_period(s.first_day, s.last_day)} ({s.days:,} days)"),
        ("Value", f"{format_range(s.value)} ({s.dollar_year} USD)" if s.items_costed else "none priced"),
        (
            "Per day",
            f"{s.items_per_day:.2f} items" + (f", {format_range(s.value_per_day)}" if s.value_per_day else ""),
        ),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{sentence(v)}</dd>" for k, v in facts)
    caveats = "".join(f"<li>{sentence(line)}</li>" for line in s.caveats)
    return (
        f'<div class="scale"><p><strong>For scale (another war).</strong> {sentence(" ".join(s.sentences))}</p>'
        f'<dl class="facts">{rows}</dl><ul>{caveats}</ul></div>'
    )


#: The record chart's colours: its own (a different chart from the buckets' bars), the claim in a darker orange.
INK, CLAIM = "#1f3a52", "#b0620c"
RECORD_CSS = (
    "svg.record .band{fill:#c9d3dd;stroke:none}"
    f"svg.record .cum{{fill:none;stroke:{INK};stroke-width:2.2;vector-effect:non-scaling-stroke}}"
    f"svg.record .dated{{fill:{INK}}}svg.record .bounded{{fill:#aab6c2}}"
    "svg.record .grid{stroke:#e3e7eb;stroke-width:1;vector-effect:non-scaling-stroke}"
    "svg.record .axis{stroke:#9aa3ad;stroke-width:1;vector-effect:non-scaling-stroke}"
    f"svg.record .claimline{{stroke:{CLAIM};stroke-width:2;stroke-dasharray:6 4;vector-effect:non-scaling-stroke}}"
    f"svg.record .period{{fill:{CLAIM};opacity:.18}}svg.record .claimdays{{fill:{CLAIM}}}"
    ".legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.85rem;color:var(--muted);margin:.3rem 0}"
    ".legend .key{display:inline-block;width:.9rem;height:.6rem;margin-right:.3rem;vertical-align:middle}"
    f".legend .key.cum{{background:{INK};height:.18rem}}.legend .key.dated{{background:{INK}}}"
    f".legend .key.bounded{{background:#aab6c2}}.legend .key.claim{{border-top:2px dashed {CLAIM};height:0}}"
    f".legend .key.period{{background:{CLAIM};opacity:.3}}.legend .key.claimdays{{background:{CLAIM};height:.35rem}}"
    ".scale{margin:.5rem 0 1rem;padding:.75rem 1rem;background:var(--soft);border-left:4px solid var(--accent)}"
)
