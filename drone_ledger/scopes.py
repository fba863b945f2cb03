"""Which systems a claim's ``scope_systems`` covers: yes, no, or can't tell.

A claim about "drones bought from Turkey" clearly covers the Bayraktar TB2,
clearly excludes artillery, and cannot be decided for "drone (type unknown)".
Membership is therefore tri-state, and "unknown" losses stay in the
unattributed bucket: the ceiling of what the evidence could still support.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def why_unlike(count: Any, dollar: Any, means: bool = True) -> str | None:
    """Why a count claim cannot be set against a dollar claim like for like (None: it can): its statuses, period,
    means (unless ``means`` is False) and categories must lie within the dollar claim's. Rows are claims rows."""
    extra = set(split_list(count["scope_statuses"])) - set(split_list(dollar["scope_statuses"]))
    if extra:
        return f"counts {', '.join(sorted(extra))} items, which the dollar claim does not cover"
    if not isinstance(count["period_start"], str) and isinstance(dollar["period_start"], str):
        return "its period has no stated start"
    if isinstance(count["period_start"], str) and isinstance(dollar["period_start"], str):
        if count["period_start"] < dollar["period_start"]:
            return f"its period starts {count['period_start']}, before the dollar claim's"
    if not isinstance(count["period_end"], str):
        return "its period has no stated end"
    if isinstance(dollar["period_end"], str) and count["period_end"] > dollar["period_end"]:
        return f"its period runs to {count['period_end']}, past the dollar claim's {dollar['period_end']}"
    if means and not is_all_means(dollar["scope_systems"]) and count["scope_systems"] != dollar["scope_systems"]:
        return "it credits other means than the dollar claim"
    wanted = set(split_list(dollar["scope_categories"]))
    if wanted and not set(split_list(count["scope_categories"])) <= wanted:
        return "its equipment lies outside the dollar claim's"
    return None
