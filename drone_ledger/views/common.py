"""What every view shares: the JSON serialisation, the width rule, table and list builders, the assumptions line.

Numbers, ranges, shares and days are written by :mod:`drone_ledger.formatting`, the same functions the library's
sentences and the report page use.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from drone_ledger.results.claims import ClaimComparison, ClaimsOverview, ConflictSummary

#: Below this width, ranges are stacked under their central figure and wide tables become blocks.
WIDE = 100


def to_json(data: Any) -> str:
    """Serialise a report's ``to_dict()`` the same way everywhere."""
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)


def is_wide(console: Console) -> bool:
    return console.width >= WIDE


def rich_table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", show_edge=False, pad_edge=False, title_style="bold")


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(title: str, lines: list[str]) -> Group:
    """A titled list whose wrapped lines hang under their text, not under the bullet."""
    items = Table.grid(padding=(0, 1))
    items.add_column(no_wrap=True)
    items.add_column(ratio=1)
    for line in lines:
        items.add_row("•", Text(line))
    return Group(Text(title, style="bold"), items)


def assumptions_line(c: ClaimComparison | ClaimsOverview | ConflictSummary) -> str:
    a = c.assumptions
    year = getattr(c, "dollar_year", None) or a.dollar_year or "each claim's own"
    prices = a.price_extreme + " of any choice of" if a.price_extreme else ", ".join(a.applicability)
    return (
        f"Assumptions: dollar year {year}; prices: {prices} observations (low = lowest, high = highest, "
        f"central = median of midpoints, CPI-U adjusted); damaged items at {a.damaged_weight:.0%} of full value; "
        f"attributions to the claim's means counted at confidence {', '.join(a.attributed_confidences)}, "
        f"elsewhere at {', '.join(a.excluding_confidences)}; losses only possibly in the period "
        f"{'included' if a.include_possibly_in_period else 'excluded'}."
    )
