"""The grammar of Oryx status strings, and the cleaning of Oryx-derived model names.

An Oryx status is a base status or a combination of them, optionally followed by
``by <system>``, where the system may be compound::

    destroyed
    damaged and captured
    damaged beyond economical repair
    destroyed by Bayraktar TB2
    destroyed by Bayraktar TB2 and Harpoon AShM      (two systems)
    damaged by Orion and captured                    (a system, then a further status)
    scuttled to prevent capture by Russia            ("by" names who was avoided, not a weapon)
    sunk but raised by Russia                        ("by" names who raised it)

:data:`STATUS_MAP` says what each base status counts as in the ledger; the
original string is always kept in ``status_as_reported``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

#: Oryx base statuses (and combinations) -> ledger status. The decisions:
#: a combination counts as its *final* fate for the side that lost the item
#: ("damaged and captured" -> captured: the enemy has it; "captured and destroyed"
#: -> destroyed); written-off, sunk and scuttled items count as destroyed; a ship
#: "sunk but raised" by the enemy counts as captured.
STATUS_MAP: dict[str, str] = {
    "destroyed": "destroyed",
    "damaged": "damaged",
    "captured": "captured",
    "abandoned": "abandoned",
    "damaged and captured": "captured",
    "damaged and abandoned": "abandoned",
    "abandoned and destroyed": "destroyed",
    "abandoned and burned": "destroyed",
    "captured and destroyed": "destroyed",
    "captured and stripped": "captured",
    "damaged beyond economical repair": "destroyed",
    "sunk": "destroyed",
    "scuttled": "destroyed",
    "scuttled to prevent capture": "destroyed",
    "sunk but raised": "captured",
    "destroyed in a fire": "destroyed",
    "damaged beyond economic repair": "destroyed",
}

#: Phrases after which "by X" names a party, not the weapon that caused the loss.
NOT_ATTRIBUTION = ("scuttled to prevent capture", "sunk but raised")

#: Single status words that may follow a system ("damaged by Orion and captured").
STATUS_WORDS = {"destroyed", "damaged", "captured", "abandoned", "sunk", "scuttled", "burned", "stripped"}


@dataclass(frozen=True)
class ParsedStatus:
    """One Oryx status string, parsed: its base, the ledger status, the systems credited."""

    text: str
    base: str
    status: str | None  # None when the base is not in STATUS_MAP (unmapped: reported, never guessed)
    systems: tuple[str, ...] = ()
    party: str | None = None  # "by Russia" in "scuttled to prevent capture by Russia"


def parse_status(text: str, status_map: dict[str, str] | None = None) -> ParsedStatus:
    """Parse an Oryx status string (case-insensitive; the systems keep their spelling).

    Parameters
    ----------
    text:
        e.g. ``"damaged by Orion and captured"``.
    status_map:
        Extra or overriding base-status mappings (from a mapping file).
    """
    return _parse_status(text, tuple(sorted((k.lower(), v) for k, v in (status_map or {}).items())))


@functools.lru_cache(maxsize=16)
def _status_mapping(extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {**STATUS_MAP, **dict(extra)}


@functools.lru_cache(maxsize=4096)
def _parse_status(text: str, extra: tuple[tuple[str, str], ...]) -> ParsedStatus:
    # Sources repeat a handful of status strings thousands of times: parse each once.
    mapping = _status_mapping(extra)
    original = " ".join(text.split())
    lowered = original.lower()
    if lowered in mapping:  # the whole string is a known status, even if it contains " by "
        return ParsedStatus(original, lowered, mapping[lowered])
    head, sep, tail = original.partition(" by ")
    head_lower = head.lower()
    if not sep:
        return ParsedStatus(original, lowered, _mapped(lowered, mapping))
    if head_lower in NOT_ATTRIBUTION:
        return ParsedStatus(original, head_lower, mapping.get(head_lower), party=tail)
    parts = [p.strip() for p in re.split(r"\s+and\s+", tail) if p.strip()]
    statuses = [head_lower]
    systems: list[str] = []
    for part in parts:
        if part.lower() in STATUS_WORDS and systems:  # "... by Orion and captured"
            statuses.append(part.lower())
        else:
            systems.append(part)
    base = " and ".join(statuses)
    return ParsedStatus(original, base, _mapped(base, mapping), systems=tuple(systems))


#: Words that end a combined status, and what the item's final fate then is.
_FATES = {
    "destroyed": "destroyed",
    "burned": "destroyed",
    "sunk": "destroyed",
    "scuttled": "destroyed",
    "captured": "captured",
    "abandoned": "abandoned",
    "damaged": "damaged",
}
#: Circumstances Oryx adds to a status that do not change the fate ("destroyed on the ground").
_CIRCUMSTANCES = re.compile(r"\s+(on the ground|in a non-combat related incident|in an accident)$")


def _mapped(base: str, mapping: dict[str, str]) -> str | None:
    """The ledger status of a base status: from the mapping; else, for Oryx's longer wordings, of the status
    without its circumstance ("destroyed on the ground", "… in a non-combat related incident") or, for a chain
    of statuses ("damaged, abandoned and later destroyed"), of the final fate (the last word, as
    :data:`STATUS_MAP`'s combinations read). Anything else (a typo) stays unmapped: reported, never guessed."""
    if base in mapping:
        return mapping[base]
    plain = _CIRCUMSTANCES.sub("", base)
    if plain in mapping:
        return mapping[plain]
    words = [w for w in re.split(r"\s*,\s*|\s+and\s+(?:later\s+)?", plain) if w]
    if len(words) > 1 and all(w in _FATES or w in ("stripped",) for w in words):
        fates = [w for w in words if w in _FATES]
        return _FATES[fates[-1]] if fates else None
    return None


_ITEM_NUMBER = re.compile(r"^\d+\s+(?=\S)")
_DEBRIS = re.compile(r"(\s*\(\d+,\s*[a-z ]+\))+\s*$")


@functools.lru_cache(maxsize=65536)
def clean_model(model: str) -> tuple[str, str | None]:
    """Strip scraper debris from an Oryx-derived model name.

    Returns the cleaned name and a note saying what was removed (None if nothing):
    a leading Oryx item number (``"1094 BMP-2(K)"``) or trailing per-item
    fragments (``"Bushmaster ... (1, destroyed) (1, damaged)"``).
    """
    text = " ".join(model.replace("\xa0", " ").split())
    cleaned = _DEBRIS.sub("", text)
    cleaned = _ITEM_NUMBER.sub("", cleaned)
    if cleaned != text:
        return cleaned, f"model cleaned from {text!r}"
    return cleaned, None
