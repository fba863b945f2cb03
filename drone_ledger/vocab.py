"""Controlled vocabularies shared by the schemas, the costing and the CLI.

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

CURRENCIES_USABLE = ("USD",)

#: How a price observation relates to the value of the equipment lost.
APPLICABILITIES = ("direct", "upper_reference", "floor_reference")

CLAIM_BOUNDS = ("point", "lower", "upper", "range_low", "range_high", "approx")

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
