"""The ``warspotting`` format: WarSpotting's per-loss export becomes one item loss per record.

WarSpotting (ukr.warspotting.net) documents one loss per record, dated to the day, with the place and the unit
where known. Two column sets are read (names in any case):

* the 2024 export: ``id, type, model, status, lost_by, date, nearest_location, geolocation, unit, oryx_url,
  Latitude, Longitude`` — ``oryx_url`` is Oryx's proof link for the same loss;
* the later API's: ``id, date, type, model, status, lost_by, nearest_location, geo, latitude, longitude, unit,
  tags, comment, sources, photos``.

``id, type, model, status, lost_by, date`` are needed. Each record keeps its id (``warspotting_id``), its day
(an exact interval: ``date_earliest`` = ``date_latest``), its place (``nearest_location``, ``coordinates``), its
unit and its tags; ``lost_by`` is the side; ``type`` becomes the ledger's category where WarSpotting's type is
one of Oryx's categories (:data:`TYPE_CATEGORIES`), and ``Unknown`` — reported, with the type kept in the notes —
where it spans several (WarSpotting's "Infantry fighting vehicles" holds Oryx's IFVs, APCs and AFVs); a mapping
file's ``[values.category]`` maps those. A column outside both sets is kept in the notes and reported. The
record's link is its ``oryx_url`` (the proof), else its first ``sources`` or ``photos`` link, else ``--source-url``
(by default WarSpotting's site): WarSpotting records carry no attribution to a weapon.

The join with the items of an Oryx page is :mod:`drone_ledger.importing.join`'s.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

from drone_ledger import vocab
from drone_ledger.errors import ImportUsageError, IssueCode

from .context import Context, LossRow, ProgressCallback, Record, category, join, listing, stable_id
from .oryx import split_link
from .source import SourceTable

__all__ = [
    "TYPE_CATEGORIES",
    "WARSPOTTING_COLUMNS",
    "WARSPOTTING_REQUIRED",
    "WARSPOTTING_SITE",
    "adapt_warspotting",
    "is_warspotting",
    "unknown_columns",
]

WARSPOTTING_REQUIRED = ("id", "type", "model", "status", "lost_by", "date")
#: Every column of the two column sets (lower case); ``geolocation``/``geo`` and the coordinates are alternatives.
WARSPOTTING_COLUMNS = (
    *WARSPOTTING_REQUIRED,
    *("nearest_location", "geolocation", "geo", "latitude", "longitude", "unit", "oryx_url", "tags"),
    *("comment", "sources", "photos"),
)
#: WarSpotting's site: the link of a record that gives none of its own.
WARSPOTTING_SITE = "https://ukr.warspotting.net/"
#: The prefix of every loss id a WarSpotting import gives.
WARSPOTTING_ID_PREFIX = "warspotting"

#: WarSpotting types -> the ledger category, where the type is one of Oryx's categories. None: the type spans
#: several of Oryx's (its "Infantry fighting vehicles" are Oryx's IFVs, APCs and AFVs; "Anti-aircraft systems"
#: its SAM systems, self-propelled and towed AA guns …): such records stay ``Unknown``, reported.
TYPE_CATEGORIES: dict[str, str | None] = {
    "tanks": "Tanks",
    "infantry fighting vehicles": None,
    "transport": "Trucks, Vehicles and Jeeps",
    "self-propelled artillery": "Self-Propelled Artillery",
    "towed artillery": "Towed Artillery",
    "multiple rocket launchers": "Multiple Rocket Launchers",
    "rocket and missile artillery": None,
    "engineering": "Engineering Vehicles And Equipment",
    "command posts, communication": "Command Posts And Communications Stations",
    "infantry mobility vehicles": "Infantry Mobility Vehicles",
    "anti-aircraft systems": None,
    "anti-tank systems": "Self-Propelled Anti-Tank Missile Systems",
    "radars, jammers": None,
    "helicopters": "Helicopters",
    "airplanes": "Aircraft",
    "drones": "Unmanned Aerial Vehicles",
    "vessels": "Naval Ships",
    "ambulances, medical vehicles": None,
    "other": None,
}
_SPANNING = (
    "records whose WarSpotting type spans several Oryx categories (category Unknown, the type kept in the notes; "
    "map a type with [values.category] in a mapping file)"
)
_STATUSES = {"destroyed": "destroyed", "damaged": "damaged", "captured": "captured", "abandoned": "abandoned"}
_LINK = re.compile(r"https?://[^\s,;|]+", re.IGNORECASE)
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")


def is_warspotting(header: list[str]) -> bool:
    """True when a header has WarSpotting's needed columns (any case)."""
    return set(WARSPOTTING_REQUIRED) <= {h.strip().lower() for h in header}


def unknown_columns(header: list[str]) -> list[str]:
    """The header's columns outside both WarSpotting column sets (their values are kept in the notes)."""
    return [h for h in header if h and h.strip().lower() not in WARSPOTTING_COLUMNS]


def _columns(src: SourceTable) -> dict[str, str]:
    """WarSpotting's column names -> the source's (any case); refused when a needed one is missing."""
    found = {h.strip().lower(): h for h in src.header}
    if missing := [c for c in WARSPOTTING_REQUIRED if c not in found]:
        raise ImportUsageError(
            f"{src.path.name} lacks WarSpotting column(s) {', '.join(missing)}; a WarSpotting export needs "
            f"{', '.join(WARSPOTTING_REQUIRED)} (the 2024 export adds nearest_location, geolocation, unit, oryx_url, "
            "Latitude, Longitude; the later API's nearest_location, geo, latitude, longitude, unit, tags, comment, "
            f"sources, photos). Its columns are {listing(src.header)}",
            IssueCode.MISSING_COLUMN,
        )
    return found


def adapt_warspotting(
    src: SourceTable, ctx: Context, progress: ProgressCallback | None
) -> tuple[list[Record], list[dict[str, str]]]:
    """One item loss per WarSpotting record (see the module docstring)."""
    ctx.require(("conflict",), "warspotting", "a WarSpotting export")
    if ctx.as_of is not None:
        raise ImportUsageError(
            "--as-of is the day an Oryx page was saved; a WarSpotting record has its own day", IssueCode.IMPORT_USAGE
        )
    found = _columns(src)
    extra = unknown_columns(src.header)
    source_name = ctx.source_name or "WarSpotting"
    default_link = ctx.source_url or WARSPOTTING_SITE
    categories: dict[str, tuple[str, str]] = {}
    statuses = ctx.mapping.values.get("status", {})  # a mapping file's [values.status] for other wordings
    records = []
    shape: LossRow | None = None
    same: dict[str, str] = {}  # cells repeated over thousands of records (sides, types, units) kept once
    for n, (values, line) in enumerate(zip(src.rows, src.lines, strict=True)):
        if progress and n % 2000 == 0:
            progress(n, len(src.rows))

        def cell(name: str, values: dict[str, str] = values) -> str:
            column = found.get(name)
            return values.get(column, "").strip() if column else ""

        record_id = cell("id")
        side = cell("lost_by")
        problem = _problem(record_id, side, ctx)
        if problem:
            ctx.reject(line, problem, values)
            continue
        coordinates, place_problem, place_remark = _coordinates(cell)
        if place_problem:
            ctx.reject(line, place_problem, values)
            continue
        kind = cell("type")
        if kind not in categories:
            categories[kind] = _category(kind, ctx)
        heading, type_remark = categories[kind]
        if heading == "Unknown":
            ctx.unmapped["category"][kind or "(not given)"] += 1
            if TYPE_CATEGORIES.get(kind.lower(), "") is None:
                ctx.notes[_SPANNING] += 1
        status_text = cell("status")
        status = statuses.get(status_text) or _STATUSES.get(status_text.lower())
        if status is None:
            ctx.unmapped["status"][status_text or "(not given)"] += 1
        day = _day(cell("date"), ctx.mapping.date_format)
        oryx_link, oryx_label = split_link(cell("oryx_url"))
        links = [oryx_link] if oryx_link else []
        links += _LINK.findall(cell("sources")) + _LINK.findall(cell("photos"))
        row = ctx.base_row()
        row.update(
            {
                "loss_id": stable_id(WARSPOTTING_ID_PREFIX, ctx.conflict, side, record_id),
                "side_losing": side,
                "date_earliest": day,
                "date_latest": day,
                "date_as_reported": f"{cell('date')} (WarSpotting)" if cell("date") else "",
                "category": heading,
                "model": cell("model"),
                "quantity": "1",
                "status": status or "unknown",
                "status_as_reported": status_text,
                "attributed_system": vocab.UNATTRIBUTED,
                "record_kind": "item",
                "source_name": source_name,
                "source_url": links[0] if links else default_link,
                "notes": join(
                    type_remark,
                    f"WarSpotting oryx_url cell also held: {oryx_label}" if oryx_label else "",
                    place_remark,
                    f"WarSpotting comment: {cell('comment')}" if cell("comment") else "",
                    f"WarSpotting sources: {cell('sources')}" if cell("sources") else "",
                    f"WarSpotting photos: {cell('photos')}" if cell("photos") else "",
                    *(f"{name}: {values[name].strip()}" for name in extra if values.get(name, "").strip()),
                ),
                "warspotting_id": record_id,
                "nearest_location": cell("nearest_location"),
                "coordinates": coordinates,
                "unit": cell("unit"),
                "tags": vocab.LIST_SEPARATOR.join(t.strip() for t in cell("tags").split(",") if t.strip()),
                "date_place_source": f"WarSpotting {record_id}",
            }
        )
        for column in ("side_losing", "category", "source_name", "unit", "nearest_location", "notes"):
            row[column] = same.setdefault(row[column], row[column])
        shape = LossRow.of(row, shape)
        records.append(Record(shape, line, (src.rows, n)))
    return records, []


def _problem(record_id: str, side: str, ctx: Context) -> str | None:
    """Why a record cannot be a loss (no id, no side, another side than --side), or None."""
    if not record_id:
        return "id: missing-value: the record has no WarSpotting id, which keeps it one loss across imports"
    if not record_id.isdigit():
        return f"id: invalid-id: WarSpotting ids are whole numbers, not {record_id!r}"
    if not side:
        return "lost_by: missing-value: the record does not say which side lost the item"
    if ctx.side and side.casefold() != ctx.side.casefold():
        return f"lost_by: invalid-value: the record's side is {side!r}, but --side says {ctx.side!r}"
    return None


def _coordinates(cell: Callable[[str], str]) -> tuple[str, str | None, str]:
    """``latitude,longitude`` as WarSpotting writes the place (geolocation or geo, which the later API's latitude
    and longitude columns round), else from those columns; a problem or None; and a remark keeping latitude and
    longitude when they name another place than geo."""
    joined = cell("geolocation") or cell("geo")
    separate = (cell("latitude"), cell("longitude"))
    if joined:
        latitude, _, longitude = (part.strip() for part in joined.partition(","))
    elif all(separate):
        latitude, longitude = separate
    else:
        return "", None, ""
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return "", f"coordinates: invalid-value: {latitude!r}, {longitude!r} are not a latitude and a longitude", ""
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return "", f"coordinates: out-of-range: {latitude}, {longitude} is not a place on Earth", ""
    remark = ""
    if joined and all(separate):
        try:
            other = abs(float(separate[0]) - lat) + abs(float(separate[1]) - lon) > 1e-9
        except ValueError:
            other = True
        remark = f"WarSpotting latitude, longitude: {separate[0]}, {separate[1]}" if other else ""
    return f"{latitude},{longitude}", None, remark


def _day(text: str, date_format: str | None = None) -> str:
    """The day of a WarSpotting date (``2022-03-16``, an API timestamp on that day, or the mapping file's
    ``options.date_format``); other text as it is.

    Text that is not a day is kept, so that validation names it at its cell (``invalid-date-format``,
    ``impossible-date``) and the record is rejected with the line — never guessed.
    """
    if date_format and text:
        try:
            return dt.datetime.strptime(text, date_format).date().isoformat()
        except ValueError:
            return text
    match = _DAY.match(text)
    return match.group(1) if match else text


def _category(kind: str, ctx: Context) -> tuple[str, str]:
    """The ledger category of a WarSpotting type, and the remark that keeps the type."""
    remark = f"WarSpotting type: {kind}" if kind else ""
    mapped = ctx.mapping.values.get("category", {})
    if kind in mapped:
        return category(kind, ctx, 0), remark
    known = TYPE_CATEGORIES.get(kind.lower(), "")
    if known:
        return known, remark
    return "Unknown", remark
