"""Transcribe ../shared/sources into the bundled ledger (data/): the 2020 Nagorno-Karabakh war from
sources/karabakh_2020, and the Bayraktar TB2's documented record in the 2022 Russian invasion of Ukraine from
sources/ukraine_2022 and the Oryx page and WarSpotting samples (read by the project's own importer).

Maintainer script, run by hand when the gathered sources change:

    python scripts/build_bundled_ledger.py [SOURCES_DIR] [OUT_DIR]

Every figure written comes from a source row and keeps its URL. What this script
adds is structure, never numbers: ids, the machine-readable scope of each claim
(which systems, side, categories, statuses: see CLAIM_SCOPES), the systems
vocabulary, and links between a report and the Oryx tally it is part of.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from drone_ledger.layout import columns_of  # noqa: E402 - after the path set-up
from drone_ledger.vocab import AGEING_YEARS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFLICT = "karabakh-2020"
WIKI_COPY = (
    "https://github.com/front-lines-org/astro-experiment/blob/836188616549bb081e25dcb2a89c32b5175e3ef6"
    "/src/pages/caucasus/2020_nagorno-karabakh_war.md"
)

CATEGORY_OF = {  # source category text -> Oryx category
    "Tanks": "Tanks",
    "Armoured Fighting Vehicles": "Armoured Fighting Vehicles",
    "Trucks, Vehicles and Jeeps": "Trucks, Vehicles and Jeeps",
    "Aircraft (An-2 used as unmanned decoys)": "Aircraft",
    "Infantry Fighting Vehicles": "Infantry Fighting Vehicles",
    "Self-Propelled Artillery": "Self-Propelled Artillery",
    "Surface-To-Air Missile Systems": "Surface-To-Air Missile Systems",
}
SIDE_CODE = {"Armenia": "arm", "Azerbaijan": "aze"}
CATEGORY_CODE = {
    "Tanks": "tanks",
    "Armoured Fighting Vehicles": "afv",
    "Trucks, Vehicles and Jeeps": "trucks",
    "Aircraft": "aircraft",
}

NAMED_IN_INFOBOX = {"bayraktar-tb2", "iai-harop", "stm-kargu", "aeronautics-orbiter", "loitering-munition-unknown"}
SYSTEM_COLUMNS = ["system_id", "name", "family", "supplier_country", "is_drone", "turkish_supplied", "notes"]
SYSTEMS = [
    # system_id, name, family, supplier_country, is_drone, turkish_supplied, notes; the belligerents' equipment
    # (TB2, Harop, Orbiter 1K, Kargu; Israel as arms supplier) is from the war's Wikipedia infobox (WIKI_COPY).
    (
        "bayraktar-tb2",
        "Bayraktar TB2",
        "strike_uav",
        "Turkey",
        "yes",
        "yes",
        "The drone 'acquired from Turkey' in Aliyev's France 24 claim (implied, not named).",
    ),
    ("iai-harop", "IAI Harop", "loitering_munition", "Israel", "yes", "no", ""),
    (
        "stm-kargu",
        "STM Kargu",
        "loitering_munition",
        "Turkey",
        "yes",
        "yes",
        "A Turkish loitering munition the war's infobox lists among Azerbaijan's equipment (STM, Turkey).",
    ),
    ("aeronautics-orbiter", "Aeronautics Orbiter 1K", "loitering_munition", "Israel", "yes", "no", ""),
    (
        "drone-unknown",
        "Drone (type unknown)",
        "drone_unknown",
        "",
        "yes",
        "unknown",
        "A drone strike whose type nobody named: could be Turkish- or Israeli-supplied.",
    ),
    (
        "loitering-munition-unknown",
        "Loitering munition (type unknown)",
        "loitering_munition",
        "",
        "yes",
        "unknown",
        "A loitering munition whose type nobody named: Azerbaijan fielded Israeli (Harop, Orbiter 1K) and Turkish "
        "(STM Kargu) ones, so it may or may not be Turkish-supplied.",
    ),
    ("artillery", "Artillery (tube)", "artillery", "", "no", "unknown", ""),
    ("rocket-artillery", "Rocket artillery", "rocket_artillery", "", "no", "unknown", ""),
    ("atgm", "Anti-tank guided missile", "atgm", "", "no", "unknown", ""),
    ("crewed-aircraft", "Crewed aircraft", "aircraft", "", "no", "unknown", ""),
    (
        "capture",
        "Capture or abandonment",
        "capture_abandonment",
        "",
        "no",
        "no",
        "The item was taken or left, not struck.",
    ),
    ("unattributed", "Unattributed", "unknown", "", "unknown", "unknown", "No source says what caused the loss."),
]

# When a report's loss happened, as a date interval read from the source's own words (never a guessed day).
# "First days" and "opening phase" are read at their widest, the war's first two weeks: whatever the words mean,
# it is not later than that. A source dated only by month bounds the loss from above (on or before that month's
# end), not from below. Empty earliest = the war's start.
FIRST_DAYS = ("2020-09-27", "2020-10-10", "the first days of the war (read at the widest as 27 Sep - 10 Oct 2020)")
OPENING_PHASE = ("2020-09-27", "2020-10-10", "the opening phase (read at the widest as 27 Sep - 10 Oct 2020)")

# Reported attributions: the ledger's system id, confidence, date interval, and whether the
# report is part of an Oryx tally already in the ledger (only where the source says so).
REPORTS = {
    "R01": {
        "system": "loitering-munition-unknown",
        "confidence": "medium",
        "when": FIRST_DAYS,
        "counted_in": "oryx-arm-tanks-destroyed",
        "source_name": "Army Recognition",
        "extra": "Imagery credited to Oryx, so counted within Oryx's Armenian destroyed-tank tally.",
    },
    "R02": {
        "system": "loitering-munition-unknown",
        "confidence": "medium",
        "when": FIRST_DAYS,  # the same early-war snapshot as R01
        "counted_in": "",
        "source_name": "Army Recognition",
        "extra": "",
    },
    "R03": {
        "system": "loitering-munition-unknown",
        "confidence": "medium",
        "when": FIRST_DAYS,
        "counted_in": "",
        "source_name": "Army Recognition",
        "extra": "",
    },
    "R04": {
        "system": "drone-unknown",
        "confidence": "medium",
        "when": OPENING_PHASE,
        "counted_in": "",
        "source_name": "Wikipedia (2020 Nagorno-Karabakh war), public repository copy",
        "extra": "",
    },
    "R05": {
        "system": "iai-harop",
        "confidence": "medium",
        "when": ("2020-09-27", "2020-09-30", "late Sep 2020 (the war began on 27 Sep)"),
        "counted_in": "",
        "source_name": "i24NEWS",
        "extra": "May also be in Oryx's truck tally; not linked because the source does not say so.",
    },
    "R06": {
        "system": "bayraktar-tb2",
        "confidence": "unverified",
        "when": ("", "2020-10-31", "reported in a source dated Oct 2020: on or before 31 Oct 2020"),
        "counted_in": "",
        "source_name": "Timpul.md",
        "extra": "Source confidence: low. Attribution is unverified (the posters' claim only). May also be in "
        "Oryx's truck tally; not linked because the source does not say so.",
    },
}

# Count claims that name a model -> the unit_costs key for that model. Armenia's Tor were Tor-M2KM (the note on
# observation P31), whose key has no price; Kub-and-Krug and S-300 (battery or launcher?) name no single key.
NAMED_MODEL_COST_KEYS = {"BM-21 Grad": "BM-21 Grad", "Osa": "9K33 Osa", "Tor": "Tor-M2KM"}

# Claim scopes: equipment wording -> (Oryx categories, model fragments, the scope decision in words, how the scope
# fits the claim's words: exact, wider or narrower, see vocab.SCOPE_FITS). Where the ledger's categories do not
# match the claim's words exactly, the decision says which way they differ; it is printed with every comparison
# (claims.scope_note), and scope_fit lets the tool act on it (a wider category is never a floor of the claim).
EQUIPMENT_SCOPES = {
    "all Armenian military equipment": ("", "", "", "exact"),
    "military equipment and ammunition": (
        "",
        "",
        "the claim includes ammunition, which no loss ledger records",
        "unrecordable",
    ),
    "tanks": ("Tanks", "", "", "exact"),
    # Read as what it says. Whether Oryx's 2020 'Armoured Fighting Vehicles' tally holds infantry fighting
    # vehicles the sources cannot tell (categories.csv, may_include): the tool shows the claim read both ways.
    "infantry fighting vehicles": (
        "Infantry Fighting Vehicles",
        "",
        "Oryx's 2020 tallies recovered here have no infantry-fighting-vehicle tally, and the sources do not say "
        "whether its 'Armoured Fighting Vehicles' tally (a BMP, BRDM and MT-LB mix) includes them: the claim is "
        "shown read both ways",
        "exact",
    ),
    "self-propelled guns": ("Self-Propelled Artillery", "", "", "exact"),
    "guns of various calibres": (
        "Towed Artillery",
        "",
        "overlaps the mortars claim of the same list: both fall in Oryx's Towed Artillery",
        "wider",
    ),
    "mortars": (
        "Towed Artillery",
        "mortar",
        "mortars are picked out of Oryx's Towed Artillery by model name; the same list's 'guns of various "
        "calibres' covers that category too, so the two overlap",
        "exact",
    ),
    "BM-21 Grad": ("Multiple Rocket Launchers", "BM-21|Grad", "", "exact"),
    "BM-27 Uragan": ("Multiple Rocket Launchers", "BM-27|Uragan", "", "exact"),
    "Tor": ("Surface-To-Air Missile Systems", "Tor", "", "exact"),
    "Kub and Krug": ("Surface-To-Air Missile Systems", "Kub|Krug", "", "exact"),
    "Osa": ("Surface-To-Air Missile Systems", "Osa", "", "exact"),
    "S-300": (
        "Surface-To-Air Missile Systems",
        "S-300",
        "a system, a battery or a launcher: the claim does not say",
        "exact",
    ),
    "S-300 air-defence systems": (
        "Surface-To-Air Missile Systems",
        "S-300",
        "a system, a battery or a launcher: the claim does not say",
        "exact",
    ),
    "radar vehicles": (
        "Radars And Communications Equipment",
        "",
        "wider than claimed: Oryx's category also holds communications equipment",
        "wider",
    ),
    "trucks": (
        "Trucks, Vehicles and Jeeps",
        "",
        "wider than claimed: Oryx's category also holds jeeps, cars and buses",
        "wider",
    ),
    "tanks and armoured vehicles": (
        "Tanks|Armoured Fighting Vehicles|Infantry Fighting Vehicles|Armoured Personnel Carriers",
        "",
        "",
        "exact",
    ),
    "UAVs (all types)": ("Unmanned Aerial Vehicles", "", "", "exact"),
    "artillery pieces": (
        "Towed Artillery|Self-Propelled Artillery",
        "",
        "'piezas de artillería' read as towed and self-propelled guns; the source does not say whether rocket "
        "launchers are included, so they are not",
        "narrower",
    ),
    "air-defence systems": (
        "Surface-To-Air Missile Systems|Anti-Aircraft Guns|Self-Propelled Anti-Aircraft Guns",
        "",
        "'sistemas de defensa antiaérea' read as missile systems and anti-aircraft guns",
        "exact",
    ),
}
STATUS_SCOPES = {"destroyed": "destroyed", "destroyed_or_captured": "destroyed|captured", "captured": "captured"}
# Means wording -> (scope_systems, the decision in words).
MEANS_SCOPES = {
    "all means": ("all", ""),
    "drones acquired from Turkey (Bayraktar TB2 implied, not named)": (
        "turkish-supplied-drones",
        "drones supplied by Turkey: the Bayraktar TB2 (implied) and the STM Kargu loitering munition",
    ),
    "drones (all types: Harop, Bayraktar TB2, Anka-S named)": (
        "drones",
        "drones of every type (the source names Harop, TB2 and Anka-S): not a claim about the TB2 alone",
    ),
    "armed drones (SİHA; type not named)": (
        "armed-drones",
        "armed drones of a type the source does not name: not read as the TB2",
    ),
}
# A side's claim is about the other side's losses; a neutral outlet's claim names the side in its words.
CLAIMED_SIDE_OF_NEUTRAL = {  # claim id -> side_losing, from the quote ('tanques armenios')
    "PRESS-2020-11-23-DRONES-TANKS": "Armenia",
    "PRESS-2020-11-23-DRONES-ARTILLERY": "Armenia",
    "PRESS-2020-11-23-DRONES-AIR_DEFENCE": "Armenia",
}
SIDE_LOSING = {"Azerbaijan": "Armenia", "Armenia": "Azerbaijan"}  # a side claims the other's losses

# The ageing rule, one rule for every price observation (a judgement of this ledger, never an edit of a figure).
# CPI carries a price's dollars to the war's year, not the equipment's ageing in between: a price set more than
# AGEING_YEARS before the war values an item that many years younger than the one lost, so it overstates it. The
# sources' own note on P22 (Osa, 1998) gives that reason among others for making it an upper reference; P01 (T-72,
# 1994-96) and P38 (Su-25TM, 1998) are the same case and are read the same way. The direct observations are priced
# either 1995-1998 or 2007-2019, so any limit from 13 to 21 years draws the same line; 20 is the round figure in
# that gap. docs/data.md (unit_costs) and the CHANGELOG say what it changes; the tool lists each observation with
# the years CPI carries it.
WAR_YEAR = 2020


def ageing_rule(row: dict[str, str], war_year: int = WAR_YEAR) -> dict[str, str]:
    """A direct observation priced more than AGEING_YEARS before the war (it began in ``war_year``), as an upper
    reference (notes say why)."""
    year = row["price_year"]
    if row["applicability"] != "direct" or not year or war_year - int(year) <= AGEING_YEARS:
        return row
    carried = war_year - int(year)
    note = (
        f"Ageing rule (scripts/build_bundled_ledger.py, as for P22): priced in {year}, {carried} years before the "
        f"war; CPI carries the dollars, not the equipment's ageing, so the price overstates an item {carried} "
        "years older: read as upper_reference, not direct."
    )
    return {**row, "applicability": "upper_reference", "notes": f"{row['notes']} {note}".strip()}


# Each war's own categories (categories.csv): every category a tally, a report or a claim's scope of this war
# uses, with the sources that show it. Coverage ("no documented counts") is judged against this list, never
# against another war's headings (Oryx's 2022 pages add naval ships, MRAPs and more).
# Categories named only in a claim's notes, not in its scope: (category, claim id, what the source says).
NOTED_CATEGORIES = [
    ("Helicopters", "AM-2020-11-05-MOD-ARMOUR", "the same release counts helicopters among Azerbaijan's losses"),
]
# Where the sources cannot tell what a tally holds: category -> (categories it may include, why).
MAY_INCLUDE = {
    "Armoured Fighting Vehicles": (
        "Infantry Fighting Vehicles",
        "the tallies recovered (via Wikipedia) do not say whether this heading holds infantry fighting vehicles; "
        "R02, from an early-war report that credits its imagery to Oryx, is filed under Infantry Fighting Vehicles, "
        "a heading of its own",
    ),
}


def war_categories(
    tallies: list[dict[str, str]], reports: list[dict[str, str]], claims: list[dict[str, object]]
) -> list[dict[str, object]]:
    """The categories.csv rows of the war: from its tallies, reports and claims, each with its basis and links."""
    from drone_ledger.vocab import LOSS_CATEGORIES

    basis: dict[str, list[str]] = {}
    urls: dict[str, list[str]] = {}
    seen = _collector(basis, urls)

    for row in tallies:
        seen(CATEGORY_OF[row["oryx_category"]], "an Oryx whole-war tally", row["source_url"])
    for row in reports:
        seen(CATEGORY_OF[row["oryx_category"]], f"report {row['report_id']}", row["source_url"])
    for claim in claims:
        for category in str(claim["scope_categories"]).split("|"):
            if category:
                seen(category, f"claims of {claim['scope_equipment_as_stated']!r}", str(claim["source_url"]))
    by_id = {str(c["claim_id"]): c for c in claims}
    for category, claim_id, why in NOTED_CATEGORIES:
        seen(category, f"{claim_id}: {why}", str(by_id[claim_id]["source_url"]))
    rows = []
    for category in LOSS_CATEGORIES:
        if category not in basis:
            continue
        may_include, why = MAY_INCLUDE.get(category, ("", ""))
        rows.append(
            {
                "conflict": CONFLICT,
                "category": category,
                "basis": "; ".join(basis[category] + ([why] if why else [])),
                "may_include": may_include,
                "source_urls": " ".join(urls[category]),
            }
        )
    return rows


def _collector(basis: dict[str, list[str]], urls: dict[str, list[str]]) -> Callable[[str, str, str], None]:
    """``seen(category, why, url)``: record once each reason and link a war's category list gives a category."""

    def seen(category: str, why: str, url: str) -> None:
        if why not in basis.setdefault(category, []):
            basis[category].append(why)
        if url not in urls.setdefault(category, []):
            urls[category].append(url)

    return seen


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


LOSS_COLUMNS = columns_of("losses")  # the schema is the one place the column order is written


def build(src: Path, out: Path) -> None:
    """Build the whole bundled ledger: the 2020 war from ``src`` (sources/karabakh_2020), then the 2022 war from
    the ``ukraine_2022`` folder beside it and the samples folder beside ``sources``."""
    build_karabakh(src, out)
    build_ukraine(src.parent / "ukraine_2022", src.parent.parent / "samples", out)


def build_karabakh(src: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write(
        out / "conflicts.csv",
        ["conflict_id", "name", "start_date", "end_date", "source_url", "notes"],
        [
            {
                "conflict_id": CONFLICT,
                "name": "Second Nagorno-Karabakh War",
                "start_date": "2020-09-27",
                "end_date": "2020-11-10",
                "source_url": WIKI_COPY,
                "notes": "27 Sep - 10 Nov 2020 (ceasefire statement); the same period the post-war claims cover.",
            }
        ],
    )
    write(
        out / "systems.csv",
        [*SYSTEM_COLUMNS, "source_url"],
        [
            {**dict(zip(SYSTEM_COLUMNS, s, strict=True)), "source_url": WIKI_COPY if s[0] in NAMED_IN_INFOBOX else ""}
            for s in SYSTEMS
        ],
    )

    losses: list[dict[str, object]] = []
    aggregates = []
    for row in read(src / "oryx_category_totals.csv"):
        category = CATEGORY_OF[row["oryx_category"]]
        agg_id = f"oryx-{SIDE_CODE[row['side_losing']]}-{CATEGORY_CODE[category]}"
        aggregates.append(
            {
                "aggregate_id": agg_id,
                "conflict": CONFLICT,
                "side_losing": row["side_losing"],
                "category": category,
                "total_as_printed": row["total"],
                "source_url": row["source_url"],
                "as_quoted_on": row["as_quoted_on"],
                "compiled_by": row["compiled_by"],
                "notes": row["notes"],
            }
        )
        common = {
            "conflict": CONFLICT,
            "side_losing": row["side_losing"],
            "date_earliest": "",  # a whole-war tally: the war's start ...
            "date_latest": "",  # ... to its end
            "date_as_reported": "whole war (Oryx total)",
            "category": category,
            "attributed_system": "unattributed",
            "attributed_also": "",
            "attribution_confidence": "",
            "record_kind": "aggregate",
            "aggregate_id": agg_id,
            "counted_in": "",
            "cost_key": "",
            "source_name": row["compiled_by"],
            "source_url": row["source_url"],
        }
        model = "An-2 (used as unmanned decoy)" if category == "Aircraft" else ""
        statuses = [s for s in ("destroyed", "damaged", "captured", "abandoned") if row[s]]
        if not statuses:  # the source gives a total with no status split
            losses.append(
                {
                    **common,
                    "loss_id": f"{agg_id}-unknown",
                    "model": model,
                    "quantity": row["total"],
                    "status": "unknown",
                    "status_as_reported": row["notes"],
                    "notes": "Oryx whole-war total; the source gives no status split.",
                }
            )
        for status in statuses:
            losses.append(
                {
                    **common,
                    "loss_id": f"{agg_id}-{status}",
                    "model": model,
                    "quantity": row[status],
                    "status": status,
                    "status_as_reported": status,
                    "notes": f"Oryx whole-war count ({status}); {row['notes']}".rstrip("; "),
                }
            )
    write(
        out / "aggregates.csv",
        [
            "aggregate_id",
            "conflict",
            "side_losing",
            "category",
            "total_as_printed",
            "source_url",
            "as_quoted_on",
            "compiled_by",
            "notes",
        ],
        aggregates,
    )

    for row in read(src / "reported_attributions.csv"):
        spec = REPORTS[row["report_id"]]
        losses.append(
            {
                "loss_id": f"report-{row['report_id'].lower()}",
                "conflict": CONFLICT,
                "side_losing": row["side_losing"],
                "date_earliest": spec["when"][0],
                "date_latest": spec["when"][1],
                "date_as_reported": spec["when"][2],
                "category": CATEGORY_OF[row["oryx_category"]],
                "model": row["model"],
                "quantity": row["count"],
                "status": row["status"],
                "status_as_reported": row["status"],
                "attributed_system": spec["system"],
                "attributed_also": "",
                "attribution_confidence": spec["confidence"],
                "record_kind": "item" if row["count"] == "1" else "aggregate",
                "aggregate_id": "",
                "counted_in": spec["counted_in"],
                "cost_key": "",
                "source_name": spec["source_name"],
                "source_url": row["source_url"],
                "notes": (
                    f"{row['report_id']}: attributed to '{row['attributed_to']}'. {row['notes']} {spec['extra']}"
                ).strip(),
            }
        )
    write(out / "losses.csv", LOSS_COLUMNS, losses)

    cost_rows = [ageing_rule(row) for row in read(src / "unit_cost_observations.csv")]
    write(out / "unit_costs.csv", list(cost_rows[0].keys()), cost_rows)

    write(
        out / "category_proxies.csv",
        ["conflict", "side_losing", "category", "cost_key", "basis", "source_urls", "confidence"],
        [
            {
                "conflict": CONFLICT,
                "side_losing": r["side_losing"],
                "category": CATEGORY_OF[r["oryx_category"]],
                "cost_key": r["cost_key"],
                "basis": r["basis"],
                "source_urls": r["source_urls"],
                "confidence": r["confidence"],
            }
            for r in read(src / "category_cost_proxies.csv")
        ],
    )

    cpi = []
    for r in read(src / "cpi_u.csv"):
        repo_commit, _, rest = r["source"].partition(":")
        repo, _, commit = repo_commit.partition("@")
        path, _, note = rest.partition(" (")
        cpi.append(
            {
                "year": r["year"],
                "cpi_u_annual_avg": r["cpi_u_annual_avg"],
                "series": "CUUR0000SA0",
                "source": r["source"],
                "source_url": f"https://github.com/{repo}/blob/{commit}/{path}",
                "notes": "11-month average (medium confidence)" if "11 months" in r["source"] else "",
            }
        )
    write(out / "cpi.csv", ["year", "cpi_u_annual_avg", "series", "source", "source_url", "notes"], cpi)

    claims = []
    for r in read(src / "claims.csv"):
        categories, models, equipment_note, fit = EQUIPMENT_SCOPES[r["scope_equipment"]]
        systems, means_note = MEANS_SCOPES[r["scope_means"]]
        side = (
            CLAIMED_SIDE_OF_NEUTRAL[r["claim_id"]]
            if r["claimant_side"] == "neutral"
            else SIDE_LOSING[r["claimant_side"]]
        )
        undated = [
            what for what, cell in (("claim date", r["claim_date"]), ("period end", r["period_end"])) if not cell
        ]
        period_note = f"the source gives no {' and no '.join(undated)}: left empty" if undated else ""
        claims.append(
            {
                "claim_id": r["claim_id"],
                "conflict": CONFLICT,
                "claimant": r["claimant"],
                "claimant_side": r["claimant_side"],
                "claim_date": r["claim_date"],
                "outlet": r["outlet"],
                "metric": r["metric"],
                "amount": r["amount"],
                "unit": r["unit"],
                "bound": r["bound"],
                "scope_systems": systems,
                "scope_means_as_stated": r["scope_means"],
                "scope_side": side,
                "scope_categories": categories,
                "scope_models": models,
                "scope_equipment_as_stated": r["scope_equipment"],
                "scope_cost_key": NAMED_MODEL_COST_KEYS.get(r["scope_equipment"], ""),
                "scope_statuses": STATUS_SCOPES[r["scope_status"]],
                "scope_note": "; ".join(filter(None, (means_note, equipment_note, period_note))),
                "scope_fit": fit,
                "period_start": r["period_start"],
                "period_end": r["period_end"],
                "quote": r["quote"],
                "source_url": r["source_url"],
                "confidence": r["confidence"],
                "notes": r["notes"],
            }
        )
    write(out / "claims.csv", list(claims[0].keys()), claims)
    write(
        out / "categories.csv",
        columns_of("categories"),
        war_categories(read(src / "oryx_category_totals.csv"), read(src / "reported_attributions.csv"), claims),
    )

    write(
        out / "evidence_searched.csv",
        columns_of("evidence_searched"),
        [{"conflict": CONFLICT, **row} for row in read(src / "attribution_evidence_searched.csv")],
    )


# --- the second war: the Bayraktar TB2's documented record in Ukraine (2022) ----------------------------------------

UKRAINE = "ukraine-2022"
ORYX_PAGE_URL = "https://www.oryxspioenkop.com/2022/02/attack-on-europe-documenting-equipment.html"
ORYX_PAGE_DAY = "2022-11-13"  # the copy of the page read: the last that wrote the attacking system into its labels
ORYX_PAGE_COPY = "Oryx, via gsajko/Losses (losses.html, commit 739d9a65: the page as saved 2022-11-13 15:10 UTC)"
RUSSIA = "Russia"

#: Systems the 2022 labels credit besides those of 2020 (the TB2 and tube artillery are already there).
UKRAINE_SYSTEMS = [
    (
        "harpoon-ashm",
        "Harpoon AShM",
        "unknown",
        "",
        "no",
        "no",
        "Harpoon anti-ship missile, as Oryx names it in 'destroyed by Bayraktar TB2 and Harpoon AShM' (the tug "
        "Vasily Bekh, 17 Jun 2022; the TB2 filmed the strike: strike_dates.csv).",
    ),
]

# Claims about what TB2s destroyed in Ukraine (sources/ukraine_2022/claims.csv), as scopes the ledger can select:
# claim id -> (scope_systems, Oryx categories, model fragments, cost key of a named model, statuses, the reading
# in words). Every claim is about Russian losses. A claim with no stated start or end keeps its cells empty: an
# empty start is read as the war's start, an empty end as "not stated".
TB2 = "bayraktar-tb2"
ZALUZHNYI_LIST = "8 T-72 tanks, a 2S3 Akatsiya, an IFV and a howitzer"
UKRAINE_CLAIM_SCOPES: dict[str, tuple[str, str, str, str, str, str]] = {
    "UA-2022-09-03-ZALUZHNYI-TB2-VALUE": (
        TB2,
        "",
        "",
        "",
        "destroyed",
        f"the $26.5M is the sum of the items listed ({ZALUZHNYI_LIST}, at the claimant's own unit values); every "
        "item the ledger credits to the TB2 in those days is set against it, whatever its category",
    ),
    "UA-2022-09-03-ZALUZHNYI-TB2-VALUE-DAMAGED": (
        TB2,
        "Tanks|Infantry Fighting Vehicles",
        "",
        "",
        "damaged",
        "the claim values damage (a share of the items' value, method not stated); the ledger values a damaged item "
        "at its full unit value unless told otherwise",
    ),
    "UA-2022-09-03-ZALUZHNYI-TB2-VALUE-TOTAL": (
        TB2,
        "",
        "",
        "",
        "destroyed|damaged",
        "destroyed and damaged together; the damaged part is a value of damage, not of the items",
    ),
    "UA-2022-09-03-ZALUZHNYI-TB2-T72-DESTROYED": (
        TB2,
        "Tanks",
        "T-72",
        "T-72B3",
        "destroyed",
        "priced as the T-72B3, the variant of the one tank Oryx credits to the TB2 near those days; the claim names "
        "no variant",
    ),
    "UA-2022-09-03-ZALUZHNYI-TB2-AKATSIYA-DESTROYED": (
        TB2,
        "Self-Propelled Artillery",
        "2S3",
        "2S3 Akatsiya",
        "destroyed",
        "",
    ),
    "UA-2022-09-03-ZALUZHNYI-TB2-IFV-DESTROYED": (TB2, "Infantry Fighting Vehicles", "", "", "destroyed", ""),
    "UA-2022-09-03-ZALUZHNYI-TB2-HOWITZER-DESTROYED": (
        TB2,
        "Towed Artillery",
        "",
        "",
        "destroyed",
        "read as a towed howitzer (the same list names the self-propelled Akatsiya separately); the type is not named",
    ),
    "UA-2022-09-03-ZALUZHNYI-TB2-T72-DAMAGED": (TB2, "Tanks", "T-72", "T-72B3", "damaged", "priced as the T-72B3"),
    "UA-2022-09-03-ZALUZHNYI-TB2-IFV-DAMAGED": (TB2, "Infantry Fighting Vehicles", "", "", "damaged", ""),
    "UA-2022-03-01-SUMY-ZHYVYTSKYI-80": (
        TB2,
        "",
        "",
        "",
        "destroyed|damaged",
        "'знешкодили' (neutralised) read as destroyed or damaged; the ledger cannot select a place (a vehicle park "
        "near Pustoviitivka), so every item it credits to the TB2 that day is set against the claim",
    ),
    "UA-2022-03-01-SUMY-FIRST-BAYRAKTAR-TANKS": (TB2, "Tanks", "", "", "destroyed", ""),
    "UA-2022-03-SUMY-ODA-180": (
        TB2,
        "",
        "",
        "",
        "destroyed",
        "'vehicles' read as any equipment (the ledger's categories cannot tell vehicles from the rest); the claim "
        "is about the Sumy region, which the ledger cannot select",
    ),
    "UA-2022-03-SUMY-LEBEDYN-TANKS": (
        TB2,
        "Tanks",
        "",
        "",
        "destroyed",
        "the same post credits artillery too, so not a TB2-only count",
    ),
    "UA-2022-02-27-ZALUZHNYI-MALYN-BUK": (
        TB2,
        "Surface-To-Air Missile Systems",
        "Buk",
        "Buk-M1-2",
        "destroyed",
        "one Buk 'system' claimed; Oryx counts a system's vehicles one by one (a TELAR and a TEL)",
    ),
    "UA-2022-05-02-ZALUZHNYI-RAPTORS": (TB2, "Naval Ships", "Raptor", "", "destroyed", ""),
    "UA-2022-05-07-MOD-SERNA": (TB2, "Naval Ships", "Serna", "", "destroyed", ""),
    "UA-2022-05-07-NAVY-TOR-2": (
        TB2,
        "Surface-To-Air Missile Systems",
        "Tor",
        "",
        "destroyed",
        "the source says 'hit', read as destroyed; it conflicts with the military's one Tor-M2 (next claim)",
    ),
    "UA-2022-05-07-MILITARY-TOR-M2-1": (
        TB2,
        "Surface-To-Air Missile Systems",
        "Tor",
        "",
        "destroyed",
        "any Tor: Oryx labels the Tor it credits to the TB2 on 7 May a Tor-M1, not a Tor-M2",
    ),
    "FORBES-UA-2022-07-01-SNAKE-ISLAND-TOTAL": (
        "all",
        "",
        "",
        "",
        "destroyed",
        "all means, not the TB2: set against every documented Russian loss of the period (the ledger cannot select "
        "Snake Island); the Moskva alone is $750M of it",
    ),
    "FORBES-UA-2022-07-01-SNAKE-ISLAND-SAM": (
        "all",
        "Surface-To-Air Missile Systems",
        "",
        "",
        "destroyed",
        "all means, not the TB2: set against every documented Russian surface-to-air missile system of the period "
        "(the ledger cannot select Snake Island)",
    ),
    "FORBES-UA-2022-07-01-SNAKE-ISLAND-WATERCRAFT": (
        "all",
        "Naval Ships",
        "",
        "",
        "destroyed",
        "all means, not the TB2: set against every documented Russian naval loss of the period (the ledger cannot "
        "select Snake Island)",
    ),
    "PRESS-2022-05-TELEGRAPH-800-STRIKES": (
        TB2,
        "",
        "",
        "",
        "destroyed|damaged",
        "a count of strikes, not of items lost: no loss ledger counts strikes, so the TB2's documented items are "
        "shown for scale only",
    ),
}


# How a 2022 claim's scope fits its words, where it is not exact (see vocab.SCOPE_FITS).
UKRAINE_SCOPE_FITS = {
    # Every category is set against a list of tanks, guns and an IFV, a region's or a place's "vehicles" or
    # "equipment", or what happened at Snake Island: the scope also holds what the claim does not name.
    **dict.fromkeys(
        (
            "UA-2022-09-03-ZALUZHNYI-TB2-VALUE",
            "UA-2022-09-03-ZALUZHNYI-TB2-VALUE-TOTAL",
            "UA-2022-03-01-SUMY-ZHYVYTSKYI-80",
            "UA-2022-03-SUMY-ODA-180",
            "UA-2022-05-07-MILITARY-TOR-M2-1",
            "FORBES-UA-2022-07-01-SNAKE-ISLAND-TOTAL",
            "FORBES-UA-2022-07-01-SNAKE-ISLAND-SAM",
            "FORBES-UA-2022-07-01-SNAKE-ISLAND-WATERCRAFT",
        ),
        "wider",
    ),
    # A towed howitzer is one reading of "a howitzer"; the post credits artillery with some of its tanks too.
    "UA-2022-09-03-ZALUZHNYI-TB2-HOWITZER-DESTROYED": "narrower",
    "UA-2022-03-SUMY-LEBEDYN-TANKS": "narrower",
    # Strikes are not items lost: no loss ledger records them.
    "PRESS-2022-05-TELEGRAPH-800-STRIKES": "unrecordable",
}


def ukraine_claims(src: Path) -> list[dict[str, object]]:
    """The 2022 claims, with their scopes (UKRAINE_CLAIM_SCOPES): every figure and date as the source gives it."""
    rows = []
    for r in read(src / "claims.csv"):
        systems, categories, models, cost_key, statuses, note = UKRAINE_CLAIM_SCOPES[r["claim_id"]]
        undated = [
            what
            for what, cell in (
                ("claim date", r["claim_date"]),
                ("period start", r["period_start"]),
                ("period end", r["period_end"]),
            )
            if not cell
        ]
        period_note = f"the source gives no {' and no '.join(undated)}: left empty" if undated else ""
        rows.append(
            {
                "claim_id": r["claim_id"],
                "conflict": UKRAINE,
                "claimant": r["claimant"],
                "claimant_side": r["claimant_side"],
                "claim_date": r["claim_date"],
                "outlet": r["outlet"],
                "metric": r["metric"],
                "amount": r["amount"],
                "unit": r["unit"],
                "bound": r["bound"],
                "scope_systems": systems,
                "scope_means_as_stated": r["scope_means"],
                "scope_side": RUSSIA,
                "scope_categories": categories,
                "scope_models": models,
                "scope_equipment_as_stated": r["scope_equipment"],
                "scope_cost_key": cost_key,
                "scope_statuses": statuses,
                "scope_note": "; ".join(filter(None, (note, period_note))),
                "scope_fit": UKRAINE_SCOPE_FITS.get(r["claim_id"], "exact"),
                "period_start": r["period_start"],
                "period_end": r["period_end"],
                "quote": r["quote"],
                "source_url": r["source_url"],
                "confidence": r["confidence"],
                "notes": r["notes"],
            }
        )
    return rows


#: Price observations that are a claimant's own unit values: obs_id -> the claim stating them. Pricing that claim
#: (or another of the same statement) with them is circular, and the comparison says so.
STATED_IN_CLAIM = {
    "U01": "UA-2022-09-03-ZALUZHNYI-TB2-VALUE",
    "U14": "UA-2022-09-03-ZALUZHNYI-TB2-VALUE",
    "U23": "UA-2022-09-03-ZALUZHNYI-TB2-VALUE",
    "U25": "UA-2022-09-03-ZALUZHNYI-TB2-VALUE",
}


def ukraine_unit_costs(src: Path) -> list[dict[str, object]]:
    """The 2022 price observations as gathered, each in the 2022 war's price list (the ageing rule read against
    2022: no direct observation of the 2022 war is older than AGEING_YEARS, so it changes none)."""
    return [
        {**ageing_rule(r, 2022), "conflict": UKRAINE, "stated_in_claim": STATED_IN_CLAIM.get(r["obs_id"], "")}
        for r in read(src / "unit_cost_observations.csv")
    ]


def exchange_rates(src: Path) -> list[dict[str, object]]:
    """The gathered exchange rates, as gathered (a row without a rate records that none was found)."""
    return [{column: r[column] for column in columns_of("exchange_rates")} for r in read(src / "exchange_rates.csv")]


#: What was looked for when the 2022 part was built (sources/ukraine_2022/README.md, "What is known about the item
#: list" and "Searched and not found"), so that a gap reads as a gap, not as "not collected".
UKRAINE_EVIDENCE = [
    {
        "source_id": "U-S01",
        "source": "Oryx, 'Attack On Europe: Documenting Russian Equipment Losses' (the page as saved 13 Nov 2022)",
        "what_was_looked_for": "Russian losses whose label names the attacking system ('destroyed by Bayraktar TB2')",
        "result": "60 TB2-labelled proof links = 75 items on the last page that still named the attacking system "
        "(read by the project's importer)",
        "what_it_can_show": "each item's proof link, model, status and credited system; per-category totals of all "
        "visually confirmed Russian losses",
        "what_it_cannot_show": "any attribution after 13 Nov 2022, when Oryx removed the attacking system from its "
        "labels; labels removed earlier (73 TB2 items fell to 68 on 22 Aug 2022, a Pantsir-S1 was removed on 19 Oct); "
        "losses without photo or video proof",
        "source_url": ORYX_PAGE_URL,
    },
    {
        "source_id": "U-S02",
        "source": "WarSpotting per-loss export (10 Apr 2024), joined to Oryx on the proof link",
        "what_was_looked_for": "the day, place and unit of each TB2-credited item",
        "result": "about 39 of the 75 items have a WarSpotting record with a day",
        "what_it_can_show": "the day of a loss, its nearest place and unit",
        "what_it_cannot_show": "the weapon that caused it (WarSpotting records no attribution)",
        "source_url": "https://github.com/StijnvanderLippe/warspotting-dashboard",
    },
    {
        "source_id": "U-S03",
        "source": "Price sources (press, Ukrainian and Russian official statements, contract reports)",
        "what_was_looked_for": "unit prices of the models on Oryx's TB2 list",
        "result": "not found: a per-model Forbes Ukraine table; a Ukrainian MoD cost table; Russian contract values "
        "for Buk-M2, the boats, Zhitel and the trucks; prices for BTR-D, MT-LB with ZU-23, ZU-23-2, 2B11/2S12A, "
        "BM-27, Strela-10, Zhitel, Raptor, BK-16E, KamAZ-5350 with EOV-3523, KamAZ-6350, fuel trains, "
        "communications stations",
        "what_it_can_show": "the 55 priced observations in unit_costs.csv, with their applicability",
        "what_it_cannot_show": "a price for the models listed (uncosted, or priced at a documented category average)",
        "source_url": "",
    },
    {
        "source_id": "U-S04",
        "source": "Claims by Baykar or Turkish officials",
        "what_was_looked_for": "a dollar or count claim about what TB2s destroyed in Ukraine",
        "result": "none found",
        "what_it_can_show": "",
        "what_it_cannot_show": "",
        "source_url": "",
    },
    {
        "source_id": "U-S05",
        "source": "Dated strikes (Ukrainian official posts as reported by the press): strike_dates.csv",
        "what_was_looked_for": "the day of each TB2-credited item",
        "result": "not found for the BK-16E, a second Tor-M2, the damaged Raptor, the Zhitel and the helicopters "
        "credited to 'TB2 and artillery'",
        "what_it_can_show": "a strike's day, or a day it happened on or before (a publication date)",
        "what_it_cannot_show": "which Oryx item a strike destroyed, where the text does not say",
        "source_url": "",
    },
]


# Oryx's model names -> the cost key of the same model in the 2022 price list, where the names differ (a loss
# whose model equals a key, or extends one — "Mi-8 transport helicopter" -> "Mi-8" — needs no entry). Only the
# same model, never a stand-in: a stand-in is a documented category average (MODEL_PROXIES).
MODEL_COST_KEYS = {
    "152mm 2S3(M) Akatsiya": "2S3 Akatsiya",
    "152mm 2A65 Msta-B howitzer": "2A65 Msta-B",
    "120mm 2B11/2S12A": "2B11/2S12A",
    "23mm ZU-23-2": "ZU-23-2",
    "9A310M1-2 TELAR (for Buk-M1-2)": "Buk-M1-2",
    "9A317 TELAR (for Buk-M2)": "Buk-M2 (9A317)",
    "9A331 TLAR (for 9K331 Tor-M1)": "Tor-M1 (9A331)",
    "9A331M TLAR (for 9K332 Tor-M2)": "Tor-M2 (9A331M)",
    "R-330ZH Zhitel": "R-330Zh Zhitel",
    "Unknown communications station": "communications station (unknown)",
    "Project 22870 SB-739 Vasily Bekh rescue tug": "Project 22870 rescue tug",
    "Fuel train": "fuel train",
}
# Left out on purpose: U35's "$10 million" is for "a BUK-M1 system", and whether that is one vehicle is not
# stated; the TELAR of the same system is priced at it, so pricing its loader-launcher too could count one system
# twice. It stays uncosted, and the loss's note says why.
UNPRICED_ON_PURPOSE = {
    "9A39M1-2 TEL (for Buk-M1-2)": "uncosted on purpose: U35's $10M is for 'a BUK-M1 system', which may include this "
    "loader-launcher; the TELAR of the same system is priced at it",
}

# Models with no price of their own (their key has only "no price found" rows, or none) priced at a category
# average, as the observations' own notes suggest: model -> (cost key, why, confidence, the observations cited).
# A proxy that only overstates or only understates the model stays a reference (its observations' applicability
# decides, as for every price), and none is given where no average fits: the ZU-23-2, the Zhitel, the mortar (only
# the all-artillery average, "far above a towed mortar"), the communications station and the fuel trains.
MODEL_PROXIES = {
    "MT-LB with ZU-23 AA gun": (
        "AFV (Russian fleet average)",
        "no price found for an MT-LB with ZU-23-2 (U20); the Russian armoured-vehicle averages (U17 direct, U18 "
        "upper reference) stand in for it, leaving out the AA gun, which has no price either (U21)",
        "low",
        ("U17", "U18", "U20"),
    ),
    "Unknown AFV": (
        "AFV (Russian fleet average)",
        "type not known: the Russian armoured-vehicle averages (U17 direct, U18 upper reference), the mix they are "
        "averages of",
        "medium",
        ("U17", "U18"),
    ),
    "BTR-D": (
        "AFV (Russian fleet average)",
        "no price found for the BTR-D (U19); the Russian armoured-vehicle averages (U17 direct, U18 upper "
        "reference) stand in for it, as U19 suggests",
        "low",
        ("U17", "U18", "U19"),
    ),
    "KamAZ-5350 with EOV-3523 excavator": (
        "truck (Russian fleet average)",
        "no price found for the KamAZ-5350 with EOV-3523 (U66); the Russian motor-vehicle average (U64) stands in "
        "for it, as U66 suggests, leaving out the excavator",
        "low",
        ("U64", "U66"),
    ),
    "220mm BM-27 Uragan": (
        "MLRS (Russian fleet average)",
        "no price found for the BM-27 (U28); the Russian MLRS average (U27) understates a 220mm launcher and is a "
        "floor reference, used only with --include floor_reference",
        "low",
        ("U27", "U28"),
    ),
    "9K35 Strela-10": (
        "SAM (Snake Island group: Tor, Pantsir, Strela)",
        "no model price found (U29); Forbes Ukraine's average of the Snake Island SAM group the Strela-10 was part "
        "of (U30) overstates it and is an upper reference, used only with --include upper_reference",
        "low",
        ("U29", "U30"),
    ),
    "Unknown helicopter": (
        "helicopter (Russian fleet average)",
        "type not known: the Russian helicopter averages (U52, U53; U54 an upper reference), as U52 suggests",
        "medium",
        ("U52", "U53", "U54"),
    ),
    "Project 03160 Raptor class patrol boat": (
        "light fast boat (Russian fleet average)",
        "no Raptor price found (U55); the only average of light boats (U56) is 'likely low for an armoured Raptor'",
        "low",
        ("U55", "U56"),
    ),
    "Project 02510 BK-16E high-speed assault boat": (
        "light fast boat (Russian fleet average)",
        "no price found for the BK-16E (U60); the light-fast-boat average (U56) is its 'only proxy' (U60)",
        "low",
        ("U56", "U60"),
    ),
    "Ural-43206": (
        "truck (Russian fleet average)",
        "no price of its own (the Ural-4320 key is another model); the Russian motor-vehicle average (U64) stands "
        "in for it, as U64 suggests for Ural trucks",
        "low",
        ("U64",),
    ),
    "KamAZ-6350 8x8 artillery tractor": (
        "truck (Russian fleet average)",
        "no price found for the KamAZ-6350 (U67); the motor-vehicle average (U64) stands in for it and 'understates "
        "an 8x8 tractor' (U67)",
        "low",
        ("U64", "U67"),
    ),
    "(Unknown) truck": (
        "truck (Russian fleet average)",
        "type not known: the Russian motor-vehicle average (U64), a 'proxy for ... unknown trucks/vehicles'",
        "medium",
        ("U64",),
    ),
    "(Unknown) vehicle": (
        "truck (Russian fleet average)",
        "type not known: the Russian motor-vehicle average (U64), a 'proxy for ... unknown trucks/vehicles'",
        "low",
        ("U64",),
    ),
}

# Dated strikes (strike_dates.csv) matched to Oryx items where the row names them: (the row's 'what' opening, the
# Oryx model, item numbers, the items' status, "day" or "on or before", the date, the row's text that gives it).
# A publication date, or the day an item was first listed, bounds it from above only; a strike's own day dates it.
# Each date is checked against the row's text, so a changed source stops the build instead of drifting from it.
MALYN, BUK_M2, KHERSON, SNAKE_AA = (
    "TB2 strike on a Russian convoy with a Buk SAM near Malyn",
    "TB2 strike on a Buk-M2 TELAR (9A317)",
    "Russian helicopters burning at Kherson International Airport",
    "Bayraktar strike destroying a Russian anti-aircraft system on Snake Island",
)
RAPTORS, SERNA, MI8, TUG, WINDOW = (
    "TB2 strikes on two Project 03160 Raptor patrol boats",
    "TB2 strike on a Project 11770 Serna landing craft",
    "TB2 strike on a Mi-8 unloading troops on Snake Island",
    "Tug SB-739 Vasily Bekh",
    "Zaluzhnyi's TB2 claim period",
)
BEFORE = "on or before"
STRIKES = [
    (MALYN, "9A310M1-2 TELAR (for Buk-M1-2)", (1,), "destroyed", BEFORE, "2022-02-27", "2022-02-27 (video posted"),
    (MALYN, "9A39M1-2 TEL (for Buk-M1-2)", (1,), "destroyed", BEFORE, "2022-02-27", "2022-02-27 (video posted"),
    (BUK_M2, "9A317 TELAR (for Buk-M2)", (2,), "destroyed", "day", "2022-03-07", "Atacul a avut loc luni, 7 martie"),
    (KHERSON, "Unknown helicopter", (1, 2, 3, 4, 5), "destroyed", BEFORE, "2022-03-19", "1-5 (first listed 19 Mar)"),
    (KHERSON, "Ka-52 'Alligator' attack helicopter", (4, 5), "destroyed", BEFORE, "2022-03-24", "Ka-52 4-5 (24 Mar)"),
    (KHERSON, "Mi-8 transport helicopter", (6, 7), "destroyed", BEFORE, "2022-04-05", "Mi-8 6-7 (5 Apr)"),
    (SNAKE_AA, "9K35 Strela-10", (3,), "destroyed", "day", "2022-04-30", "nello specifico il 30 aprile"),
    (SNAKE_AA, "23mm ZU-23-2", (1,), "destroyed", "day", "2022-04-30", "nello specifico il 30 aprile"),
    (RAPTORS, "Project 03160 Raptor class patrol boat", (1,), "destroyed", "day", "2022-05-02", "2022-05-02 (04:51"),
    (RAPTORS, "Project 03160 Raptor class patrol boat", (2,), "destroyed", BEFORE, "2022-05-08", "#2 on 2022-05-08"),
    (
        SERNA,
        "Project 11770 Serna class landing craft",
        (1,),
        "destroyed",
        BEFORE,
        "2022-05-07",
        "2022-05-07 (announced",
    ),
    (SERNA, "9A331 TLAR (for 9K331 Tor-M1)", (1,), "destroyed", BEFORE, "2022-05-07", "Tor-M1 #1 2022-05-07"),
    (MI8, "Mi-8 transport helicopter", (12,), "destroyed", BEFORE, "2022-05-08", "first listed 2022-05-08"),
    (
        TUG,
        "Project 22870 SB-739 Vasily Bekh rescue tug",
        (1,),
        "destroyed",
        "day",
        "2022-06-17",
        "2022-06-17 (morning)",
    ),
    (WINDOW, "152mm 2S3(M) Akatsiya", (31,), "destroyed", BEFORE, "2022-09-01", "(tweets 2022-09-01)"),
    (WINDOW, "120mm 2B11/2S12A", (3,), "destroyed", BEFORE, "2022-09-01", "(tweets 2022-09-01)"),
    (WINDOW, "Ural-43206", (36,), "destroyed", BEFORE, "2022-09-01", "(tweets 2022-09-01)"),
    (WINDOW, "BMD-2", (79,), "destroyed", BEFORE, "2022-09-04", "(tweets 2022-09-04)"),
    (WINDOW, "9A331 TLAR (for 9K331 Tor-M1)", (3, 4), "destroyed", BEFORE, "2022-09-04", "(tweets 2022-09-04)"),
    (WINDOW, "(Unknown) vehicle", (38,), "destroyed", BEFORE, "2022-09-04", "(tweets 2022-09-04)"),
]


def _label_numbers(label: str) -> set[int]:
    """The item numbers an Oryx label carries: ``(3 and 4, destroyed by …)`` -> {3, 4}."""
    head = re.split(r",\s*(?:destroyed|damaged|captured|abandoned|sunk)", label.strip().lstrip("("))[0]
    return {int(n) for n in re.findall(r"\d+", head)}


def _narrowed(row: dict[str, str], kind: str, day: str, said: str, start: str) -> dict[str, str]:
    """The row with its date interval narrowed by a dated strike or, where the two disagree, widened to hold
    both (neither source is dropped; the note says they differ)."""
    first, last = row["date_earliest"] or start, row["date_latest"]
    new_first, new_last = (day, day) if kind == "day" else (start, day)
    low, high = max(first, new_first), min(last, new_last)
    words = f"strike_dates.csv: {'the strike on' if kind == 'day' else 'on or before'} {day} ('{said}')"
    if low <= high:
        note = f"narrowed by {words}"
    else:  # the sources disagree: the interval that holds both
        low, high = min(first, new_first), max(last, new_last)
        note = f"{words} disagrees with the date above, so the interval holds both"
    return {
        **row,
        "date_earliest": "" if low == start else low,
        "date_latest": high,
        "date_as_reported": f"{row['date_as_reported']}; {note}",
    }


def ukraine_losses(src: Path, samples: Path, out: Path) -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """The TB2's items, read from Oryx's page of 13 Nov 2022 and joined to WarSpotting by the project's importer,
    dated further by strike_dates.csv; and Oryx's per-category totals of all Russian losses on that page (as
    aggregate loss rows, each net of the TB2 items counted in it). Returns (loss rows, aggregates rows)."""
    from drone_ledger.conflicts import KNOWN_CONFLICTS
    from drone_ledger.importing.importer import import_table

    start = KNOWN_CONFLICTS[UKRAINE].start_date or ""
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "ledger"
        shutil.copytree(out, ledger)  # the ledger built so far: the 2020 war, and the 2022 war's row and systems
        page = import_table(
            samples / "oryx_page_russia_2022-11-13.html.gz",
            ledger,
            source_format="oryx-page",
            conflict=UKRAINE,
            side=RUSSIA,
            as_of=ORYX_PAGE_DAY,
        )
        warspotting = samples / "warspotting_russia_2024-04-10.csv"
        import_table(warspotting, ledger, source_format="warspotting", conflict=UKRAINE)
        rows = read(ledger / "losses.csv")
    items = [
        r
        for r in rows
        if r["conflict"] == UKRAINE and TB2 in (r["attributed_system"], *r["attributed_also"].split("|"))
    ]
    strikes = read(src / "strike_dates.csv")
    for opening, model, numbers, status, kind, day, said in STRIKES:
        row = next(r for r in strikes if r["what"].startswith(opening))
        assert said in " ".join(row.values()), (opening, said)
        found = [
            i
            for i, r in enumerate(items)
            if r["model"] == model and r["status"] == status and _label_numbers(r["status_as_reported"]) & set(numbers)
        ]
        assert found, (model, numbers)
        for i in found:
            items[i] = _narrowed(items[i], kind, day, said, start)
    tallies, aggregates = ukraine_tallies(page, items)
    for item in items:
        item["cost_key"] = MODEL_COST_KEYS.get(item["model"], "")
        why = UNPRICED_ON_PURPOSE.get(item["model"])
        if why:
            item["notes"] = f"{item['notes']}; {why}".strip("; ")
    return tallies + items, aggregates


def ukraine_tallies(page: Any, items: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, object]]]:
    """Oryx's printed per-category counts of the page, as aggregates and one loss row per category and status;
    each TB2 item is counted in the row of its category and status, whose effective quantity is reduced by it."""
    tallies: list[dict[str, str]] = []
    aggregates: list[dict[str, object]] = []
    for heading in page.page.headings:
        code = re.sub(r"[^a-z0-9]+", "-", heading.category.lower()).strip("-")
        agg_id = f"oryx-rus-{code}"  # as the 2020 tallies (oryx-arm-tanks); the page's items keep the importer's ids
        aggregates.append(
            {
                "aggregate_id": agg_id,
                "conflict": UKRAINE,
                "side_losing": RUSSIA,
                "category": heading.category,
                "total_as_printed": heading.printed,
                "source_url": ORYX_PAGE_URL,
                "as_quoted_on": ORYX_PAGE_DAY,
                "compiled_by": ORYX_PAGE_COPY,
                "notes": f"Oryx's heading: {heading.heading}",
            }
        )
        for status, count in heading.printed_parts.items():
            loss_id = f"{agg_id}-{status}"
            tallies.append(
                {
                    "loss_id": loss_id,
                    "conflict": UKRAINE,
                    "side_losing": RUSSIA,
                    "date_earliest": "",
                    "date_latest": ORYX_PAGE_DAY,
                    "date_as_reported": f"on or before {ORYX_PAGE_DAY}: counted on Oryx's page saved that day",
                    "category": heading.category,
                    "model": "",
                    "quantity": str(count),
                    "status": status,
                    "status_as_reported": status,
                    "attributed_system": "unattributed",
                    "record_kind": "aggregate",
                    "aggregate_id": agg_id,
                    "source_name": "Oryx",
                    "source_url": ORYX_PAGE_URL,
                    "notes": f"Oryx's printed count of Russia's {heading.category} ({status}) on its page of "
                    f"{ORYX_PAGE_DAY}, by every means; the TB2's items are counted in it (their counted_in), the items "
                    "credited to other systems are not in the bundled ledger (import the page for them)",
                }
            )
            for item in items:
                if item["category"] == heading.category and item["status"] == status:
                    item["counted_in"] = loss_id
    return tallies, aggregates


def ukraine_categories(aggregates: list[dict[str, object]], claims: list[dict[str, object]]) -> list[dict[str, object]]:
    """The categories.csv rows of the 2022 war: each heading of Oryx's page (its per-category totals), and the
    categories the claims' scopes name, each with its basis and links. Oryx's 2022 page gives infantry fighting
    vehicles and armoured fighting vehicles headings of their own, so no category may include another."""
    from drone_ledger.vocab import LOSS_CATEGORIES

    basis: dict[str, list[str]] = {}
    urls: dict[str, list[str]] = {}
    seen = _collector(basis, urls)

    for row in aggregates:
        seen(str(row["category"]), f"a heading of Oryx's page of {ORYX_PAGE_DAY}", ORYX_PAGE_URL)
    for claim in claims:
        for category in str(claim["scope_categories"]).split("|"):
            if category:
                seen(category, f"claims of {claim['scope_equipment_as_stated']!r}", str(claim["source_url"]))
    return [
        {
            "conflict": UKRAINE,
            "category": category,
            "basis": "; ".join(basis[category]),
            "may_include": "",
            "source_urls": " ".join(urls[category]),
        }
        for category in LOSS_CATEGORIES
        if category in basis
    ]


def ukraine_proxies(items: list[dict[str, str]], src: Path) -> list[dict[str, object]]:
    """One category_proxies row per proxied model of the TB2's items, citing the observations it rests on."""
    urls = {r["obs_id"]: r["source_url"] for r in read(src / "unit_cost_observations.csv")}
    categories = {r["model"]: r["category"] for r in items}
    rows: list[dict[str, object]] = []
    for model, (key, why, confidence, cited) in MODEL_PROXIES.items():
        assert model in categories, model
        links = " ".join(dict.fromkeys(urls[o] for o in cited if urls[o]))
        rows.append(
            {
                "conflict": UKRAINE,
                "side_losing": RUSSIA,
                "category": categories[model],
                "cost_key": key,
                "basis": why,
                "source_urls": links,
                "confidence": confidence,
                "model": model,
            }
        )
    return rows


def build_ukraine(src: Path, samples: Path, out: Path) -> None:
    """Add the 2022 war to the ledger in ``out`` (written by :func:`build_karabakh`): its conflict row, systems,
    price observations (each war's in its own price list), exchange rates, claims and searches, and the TB2's
    items with Oryx's per-category totals (:func:`ukraine_losses`)."""
    from drone_ledger.conflicts import KNOWN_CONFLICTS

    tables = {name: read(out / f"{name}.csv") for name in ("conflicts", "systems", "unit_costs", "claims")}
    tables["conflicts"].append(KNOWN_CONFLICTS[UKRAINE].row())
    tables["systems"] += [{**dict(zip(SYSTEM_COLUMNS, s, strict=True)), "source_url": ""} for s in UKRAINE_SYSTEMS]
    tables["unit_costs"] = [{**r, "conflict": CONFLICT} for r in tables["unit_costs"]] + ukraine_unit_costs(src)
    claims = ukraine_claims(src)
    tables["claims"] += claims
    for name, rows in tables.items():
        write(out / f"{name}.csv", columns_of(name), rows)
    write(out / "exchange_rates.csv", columns_of("exchange_rates"), exchange_rates(src))
    evidence = read(out / "evidence_searched.csv") + [{"conflict": UKRAINE, **row} for row in UKRAINE_EVIDENCE]
    write(out / "evidence_searched.csv", columns_of("evidence_searched"), evidence)
    losses, aggregates = ukraine_losses(src, samples, out)
    items = [r for r in losses if r["record_kind"] == "item"]
    write(out / "losses.csv", columns_of("losses"), [*read(out / "losses.csv"), *losses])
    write(out / "aggregates.csv", columns_of("aggregates"), [*read(out / "aggregates.csv"), *aggregates])
    proxies = [*read(out / "category_proxies.csv"), *ukraine_proxies(items, src)]
    write(out / "category_proxies.csv", columns_of("category_proxies"), proxies)
    categories = [*read(out / "categories.csv"), *ukraine_categories(aggregates, claims)]
    write(out / "categories.csv", columns_of("categories"), categories)


if __name__ == "__main__":
    sources = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "sources" / "karabakh_2020"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "data"
    build(sources, target)
    print(f"wrote the bundled ledger to {target}")
