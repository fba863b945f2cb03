"""Small Oryx pages and WarSpotting files built by hand for the tests, one rule each (never copies of the samples).

A page is the shape Oryx's list has had: a headline with the side's counts, a heading with counts per category, a
list of model lines (flag, count, model, one link per proof). :func:`page` wraps a body in a saved page's head
and tail; the tail holds a sidebar list whose links look like labels, which no import may read as items.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections import Counter
from pathlib import Path
from typing import Any

from drone_ledger.writing import init_ledger

UKRAINE = (
    "ukraine-2022,Russian invasion of Ukraine,2022-02-24,,https://en.wikipedia.org/wiki/Russian_invasion_of_Ukraine,\n"
)

TITLE = "Attack On Europe: Documenting Russian Equipment Losses During The 2022 Russian Invasion Of Ukraine - Oryx"
HEAD = (
    "<!DOCTYPE html>\n<html><head><meta charset='utf-8'/><title>" + TITLE + "</title>"
    "<script>var h = '<h3>Tanks (1, of which destroyed: 1)</h3><ul><li>1 T-72: <a href=x>(1, destroyed)</a>';</script>"
    "</head>\n<body><div class='post-body entry-content'>\n"
)
TAIL = (
    "\n<div>Special thanks to <a href='https://twitter.com/someone'>Someone</a>.</div></div>\n"
    "<div class='sidebar'><h2>Popular Posts</h2><ul><li><a href='https://example.org/popular'>(1, destroyed) "
    "a popular post</a></li></ul></div>\n</body></html>\n"
)
SOVIET = (
    '<img class="thumbborder" src="https://upload.wikimedia.org/wikipedia/commons/thumb/a/a9/'
    'Flag_of_the_Soviet_Union.svg/23px-Flag_of_the_Soviet_Union.svg.png" width="23">'
)
RUSSIA = (
    '<span class="flagicon"><span class="flagicon"><img src="https://upload.wikimedia.org/wikipedia/en/thumb/f/f3/'
    'Flag_of_Russia.svg/23px-Flag_of_Russia.svg.png" width="23"/></span></span>'
)


def link(url: str, text: str) -> str:
    """A proof link."""
    return f'<a href="{url}">{text}</a>'


def model(flag: str, count: int, name: str, *links: str) -> str:
    """A model line: flag, count and name, then its proof links."""
    return f"<li>{flag}\xa0{count} {name}:\xa0" + " ".join(links) + "</li>"


def heading(text: str) -> str:
    """A category heading as Oryx writes it, the name in a span of its own."""
    name, _, counts = text.partition(" (")
    return f'<h3><span class="mw-headline" id="Pistols">{name} </span>({counts}</h3>'


def headline(side: str, total: int, counts: str) -> str:
    """The page's headline."""
    return (
        f'<h3 style="text-align: left;"><span style="color: red;">{side} - {total}, of which: {counts}<br/></span></h3>'
    )


def page(*parts: str) -> str:
    """A saved page around ``parts`` (headlines, headings, ``<ul>`` lists)."""
    return HEAD + "\n".join(parts) + TAIL


def write(path: Path, text: str) -> Path:
    """Write a page (gzipped when the name ends in .gz)."""
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


#: The 2024 WarSpotting export's columns, and the later API's.
WS_2024 = ("id", "type", "model", "status", "lost_by", "date", "nearest_location", "geolocation", "unit", "oryx_url")
WS_2024 = (*WS_2024, "Latitude", "Longitude")
WS_2026 = ("id", "date", "type", "model", "status", "lost_by", "nearest_location", "geo", "latitude", "longitude")
WS_2026 = (*WS_2026, "unit", "tags", "comment", "sources", "photos")


def warspotting(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    """A WarSpotting export with ``columns``; each row's missing cells empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def war_ledger(path: Path) -> Path:
    """An empty ledger (the bundled systems and CPI) that knows the 2022 war."""
    init_ledger(path, empty=True)
    with (path / "conflicts.csv").open("a", encoding="utf-8") as handle:
        handle.write(UKRAINE)
    return path


def rows(ledger: Path) -> list[dict[str, str]]:
    """losses.csv's rows as text."""
    with (ledger / "losses.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def files(ledger: Path) -> dict[str, str]:
    """The digest of each table of a ledger."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ledger.glob("*.csv")}


def codes(report: Any) -> Counter[str]:
    """How many warnings of each code an import's report holds."""
    return Counter(issue.code for issue in report.issues)
