"""Which systems a claim's ``scope_systems`` covers: yes, no, or can't tell.

A claim about "drones bought from Turkey" clearly covers the Bayraktar TB2,
clearly excludes artillery, and cannot be decided for "drone (type unknown)".
Membership is therefore tri-state, and "unknown" losses stay in the
unattributed bucket: the ceiling of what the evidence could still support.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import vocab

YES, NO, UNKNOWN = "yes", "no", "unknown"


def _and(*values: str) -> str:
    if NO in values:
        return NO
    if UNKNOWN in values:
        return UNKNOWN
    return YES


def _or(values: list[str]) -> str:
    if YES in values:
        return YES
    if UNKNOWN in values:
        return UNKNOWN
    return NO


def split_list(cell: object) -> list[str]:
    """Split a '|'-separated cell into stripped, non-empty parts."""
    if not isinstance(cell, str):
        return []
    return [part.strip() for part in cell.split(vocab.LIST_SEPARATOR) if part.strip()]


def unknown_scope_tokens(scope: str, system_ids: set[str], families: set[str] | None = None) -> list[str]:
    """Return the tokens of ``scope`` that name no group, family, supplier or system."""
    families = families if families is not None else set(vocab.SYSTEM_FAMILIES)
    bad = []
    for token in split_list(scope):
        if token in vocab.SYSTEM_GROUPS or token in system_ids:
            continue
        if token.startswith("family:") and token.removeprefix("family:") in families:
            continue
        if token.startswith("supplier:") and token.removeprefix("supplier:"):
            continue
        bad.append(token)
    return bad


def is_all_means(scope: str) -> bool:
    """True when the claim credits every means (its scope is ``all``)."""
    return "all" in split_list(scope)


#: Families that are armed drones (yes), may be (unknown: a loitering munition is a munition more than a drone
#: in most usage, and a drone of unknown type may have been unarmed), or are not drones at all.
_ARMED_DRONE_FAMILIES = {"strike_uav": YES, "loitering_munition": UNKNOWN, "drone_unknown": UNKNOWN}


def _armed_drone(system: Mapping[str, object]) -> str:
    if str(system["is_drone"]) == NO:
        return NO
    return _ARMED_DRONE_FAMILIES.get(str(system["family"]), UNKNOWN)  # a drone of another or unclassified family


def membership(scope: str, system: Mapping[str, object]) -> str:
    """Return yes / no / unknown: is ``system`` (a systems.csv row) within ``scope``?"""
    results = []
    for token in split_list(scope):
        if token == "all":
            results.append(YES)
        elif token == "drones":
            results.append(str(system["is_drone"]))
        elif token == "armed-drones":
            results.append(_armed_drone(system))
        elif token == "turkish-supplied":
            results.append(str(system["turkish_supplied"]))
        elif token == "turkish-supplied-drones":
            results.append(_and(str(system["is_drone"]), str(system["turkish_supplied"])))
        elif token.startswith("family:"):
            results.append(YES if system["family"] == token.removeprefix("family:") else NO)
        elif token.startswith("supplier:"):
            country = system.get("supplier_country")
            if not isinstance(country, str) or not country:
                results.append(UNKNOWN)
            else:
                results.append(YES if country.lower() == token.removeprefix("supplier:").lower() else NO)
        else:
            results.append(YES if system["system_id"] == token else NO)
    return _or(results)
