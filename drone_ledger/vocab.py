"""Controlled vocabularies shared by the table declarations, the costing and the CLI.

Plain Python only: the CLI imports this module for its help texts, so it must
never import pandas.
"""

from __future__ import annotations

#: Loss statuses. ``unknown`` is for sources that give a count without a
#: status split (Oryx's Azerbaijani An-2 decoys): never guessed.
STATUSES = ("destroyed", "damaged", "captured", "abandoned", "unknown")

#: How sure the source is that ``attributed_system`` caused the loss.
#: ``unverified`` marks claims that nobody has checked (social-media posts).
CONFIDENCES = ("high", "medium", "low", "unverified")

#: Confidence levels that count as "attributed" unless the user says otherwise.
DEFAULT_ATTRIBUTED_CONFIDENCES = ("high", "medium", "low")

RECORD_KINDS = ("item", "aggregate")

#: Families of systems a loss can be attributed to.
SYSTEM_FAMILIES = (
    "strike_uav",
    "loitering_munition",
    "drone_unknown",
    "artillery",
    "rocket_artillery",
    "atgm",
    "aircraft",
    "capture_abandonment",
    "unknown",
)

#: Tri-state flags: a system's supplier may simply not be known.
TRISTATE = ("yes", "no", "unknown")

#: Oryx equipment categories (the headings Oryx uses and the Oryx-derived
#: datasets carry in their ``equipment`` column).
CATEGORIES = (
    "Tanks",
    "Armoured Fighting Vehicles",
    "Infantry Fighting Vehicles",
    "Armoured Personnel Carriers",
    "Mine-Resistant Ambush Protected",
    "Infantry Mobility Vehicles",
    "Command Posts And Communications Stations",
    "Engineering Vehicles And Equipment",
    "Self-Propelled Anti-Tank Missile Systems",
    "Artillery Support Vehicles And Equipment",
    "Towed Artillery",
    "Self-Propelled Artillery",
    "Multiple Rocket Launchers",
    "Anti-Aircraft Guns",
    "Self-Propelled Anti-Aircraft Guns",
    "Surface-To-Air Missile Systems",
    "Radars And Communications Equipment",
    "Jammers And Deception Systems",
    "Aircraft",
    "Helicopters",
    "Unmanned Aerial Vehicles",
    "Naval Ships",
    "Trucks, Vehicles and Jeeps",
    # For sources that give no category (Oryx per-item tables): never guessed from the model name.
    "Unknown",
)

#: Headings of Oryx's Russian-losses page (and the datasets scraped from it) for kinds of equipment the
#: headings above do not name. Oryx counts them separately, so they are categories of their own, not aliases.
#: They are valid wherever a category is (LOSS_CATEGORIES); a claim's coverage of "categories without
#: documented counts" still lists only CATEGORIES, so the answers about the 2020 war do not change.
ORYX_EXTRA_CATEGORIES = (
    "Heavy Mortars",
    "Anti-Tank Guided Missiles",
    "Man-Portable Air Defence Systems",
    "Radars",
    "Communications Stations",
    "Unmanned Combat Aerial Vehicles",
    "Reconnaissance Unmanned Aerial Vehicles",
    "Logistics Trains",
)

#: Every category a loss, tally or proxy may have.
LOSS_CATEGORIES = (*CATEGORIES[:-1], *ORYX_EXTRA_CATEGORIES, CATEGORIES[-1])

#: Other spellings of the headings above, as Oryx pages and Oryx-derived datasets write them. An import
#: matches a category ignoring case, punctuation and spacing ("Self Propelled Artillery",
#: "Trucks, Vehicles, and Jeeps", "Jammers and Deception Systems" need no entry); these are the renamings.
CATEGORY_ALIASES = {
    "Engineering Vehicles": "Engineering Vehicles And Equipment",
    "Mine-Resistant Ambush Protected Vehicles": "Mine-Resistant Ambush Protected",
    "Mine-Resistant Ambush Protected (MRAP) Vehicles": "Mine-Resistant Ambush Protected",
    "Mine Resistant Ambush Protected MRAP Vehicles": "Mine-Resistant Ambush Protected",
    "MRAP Vehicles": "Mine-Resistant Ambush Protected",
    "Naval Ships and Submarines": "Naval Ships",
    "Ships and Submarines": "Naval Ships",
    "Radars and Communications Equipment": "Radars And Communications Equipment",
}

CURRENCIES_USABLE = ("USD",)

#: The ageing rule: CPI carries a price's dollars, not the equipment's ageing, so a price set more than this many
#: years before the war it values overstates an aged item; the bundled ledger reads such a direct observation as
#: an upper_reference (scripts/build_bundled_ledger.py), and every view says when an unused one is that old.
AGEING_YEARS = 20

#: How a price observation relates to the value of the equipment lost.
APPLICABILITIES = ("direct", "upper_reference", "floor_reference")

CLAIM_BOUNDS = ("point", "lower", "upper", "range_low", "range_high", "approx")

#: Claim metrics that count something other than items lost (``count_strikes``: strikes, which may hit nothing or
#: several items): a loss ledger cannot check them, and comparisons say so.
NOT_ITEM_METRICS = ("count_strikes",)

#: How a claim's scope columns fit its own words (``scope_fit``; empty means ``exact``). ``wider``: the scope's
#: categories also hold things the claim does not name (Oryx's trucks include jeeps and buses), so a documented
#: item may not be of the claimed kind and is never called a floor of it. ``narrower``: the scope leaves out part
#: of what the claim may cover (a reading of its words), so the documented losses are at most part of it.
#: ``unrecordable``: the claim also covers what no loss ledger records (ammunition): that part can never be
#: documented, and the break-even says so.
SCOPE_FITS = ("exact", "wider", "narrower", "unrecordable")

#: Named groups a claim's ``scope_systems`` may use besides system ids,
#: ``family:<family>`` and ``supplier:<country>``. ``armed-drones`` ("armed drones, type not named") covers strike
#: UAVs; a loitering munition or a drone of unknown type may or may not be one (unknown), so it is never read
#: as the TB2.
SYSTEM_GROUPS = ("all", "drones", "armed-drones", "turkish-supplied", "turkish-supplied-drones")

#: The claim the summary answers unless told otherwise.
DEFAULT_CLAIM_ID = "AZ-2020-10-14-F24"

#: Separator of multi-valued cells (``scope_statuses``, ``scope_categories`` …).
LIST_SEPARATOR = "|"

#: The attributed_system value for "nobody knows what did it".
UNATTRIBUTED = "unattributed"
