"""Transcribe ../shared/sources/karabakh_2020 into the bundled ledger (data/).

Maintainer script, run by hand when the gathered sources change:

    python scripts/build_bundled_ledger.py [SOURCES_DIR] [OUT_DIR]

Every figure written comes from a source row and keeps its URL. What this script
adds is structure, never numbers: ids, the machine-readable scope of each claim
(which systems, side, categories, statuses: see CLAIM_SCOPES), the systems
vocabulary, and links between a report and the Oryx tally it is part of.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

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


def ageing_rule(row: dict[str, str]) -> dict[str, str]:
    """A direct observation priced more than AGEING_YEARS before the war, as an upper reference (notes say why)."""
    year = row["price_year"]
    if row["applicability"] != "direct" or not year or WAR_YEAR - int(year) <= AGEING_YEARS:
        return row
    carried = WAR_YEAR - int(year)
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

    def seen(category: str, why: str, url: str) -> None:
        if why not in basis.setdefault(category, []):
            basis[category].append(why)
        if url not in urls.setdefault(category, []):
            urls[category].append(url)

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


if __name__ == "__main__":
    sources = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "sources" / "karabakh_2020"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "data"
    build(sources, target)
    print(f"wrote the bundled ledger to {target}")
