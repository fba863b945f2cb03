"""Every branch of the Oryx status grammar, and the cleaning of scraped model names."""

from __future__ import annotations

import pytest

from drone_ledger.importing.grammar import STATUS_MAP, clean_model, parse_status


@pytest.mark.parametrize(
    ("text", "status", "systems", "party"),
    [
        ("destroyed", "destroyed", (), None),
        ("damaged", "damaged", (), None),
        ("captured", "captured", (), None),
        ("abandoned", "abandoned", (), None),
        ("damaged and captured", "captured", (), None),
        ("damaged and abandoned", "abandoned", (), None),
        ("abandoned and destroyed", "destroyed", (), None),
        ("abandoned and burned", "destroyed", (), None),
        ("captured and destroyed", "destroyed", (), None),
        ("captured and stripped", "captured", (), None),
        ("damaged beyond economical repair", "destroyed", (), None),
        ("sunk", "destroyed", (), None),
        ("scuttled", "destroyed", (), None),
        ("destroyed by Bayraktar TB2", "destroyed", ("Bayraktar TB2",), None),
        ("destroyed by loitering munition", "destroyed", ("loitering munition",), None),
        ("damaged by Forpost-R", "damaged", ("Forpost-R",), None),
        ("destroyed by Bayraktar TB2 and Harpoon AShM", "destroyed", ("Bayraktar TB2", "Harpoon AShM"), None),
        ("damaged by Orion and captured", "captured", ("Orion",), None),
        ("damaged by Orion and Forpost-R and abandoned", "abandoned", ("Orion", "Forpost-R"), None),
        ("scuttled to prevent capture by Russia", "destroyed", (), "Russia"),
        ("sunk but raised by Russia", "captured", (), "Russia"),
        ("Destroyed  by   Orion", "destroyed", ("Orion",), None),  # case and spacing
        # Oryx's page: a circumstance after the status, and chains of statuses (the final fate)
        ("destroyed on the ground", "destroyed", (), None),
        ("damaged on the ground", "damaged", (), None),
        ("destroyed in a non-combat related incident", "destroyed", (), None),
        ("damaged beyond economical repair on the ground", "destroyed", (), None),
        ("damaged beyond economic repair", "destroyed", (), None),
        ("abandoned and later destroyed", "destroyed", (), None),
        ("captured and later destroyed", "destroyed", (), None),
        ("damaged, abandoned and later destroyed", "destroyed", (), None),
        ("stripped and captured", "captured", (), None),
        ("destroyed on the ground by Bayraktar TB2", "destroyed", ("Bayraktar TB2",), None),
    ],
)
def test_status_grammar(text: str, status: str, systems: tuple[str, ...], party: str | None) -> None:
    parsed = parse_status(text)
    assert (parsed.status, parsed.systems, parsed.party) == (status, systems, party)


def test_unknown_status_is_unmapped_not_guessed() -> None:
    parsed = parse_status("obliterated by Orion")
    assert (parsed.base, parsed.status, parsed.systems) == ("obliterated", None, ("Orion",))
    assert parse_status("damaged and abanonded").status is None  # a typo on Oryx's page: reported, not read


def test_mapping_file_can_map_a_new_status() -> None:
    assert parse_status("obliterated", {"Obliterated": "destroyed"}).status == "destroyed"


def test_every_mapped_status_is_a_ledger_status() -> None:
    from drone_ledger.vocab import STATUSES

    assert set(STATUS_MAP.values()) <= set(STATUSES)


@pytest.mark.parametrize(
    ("model", "cleaned", "changed"),
    [
        ("1094 BMP-2(K)", "BMP-2(K)", True),
        ("1 122mm howitzer M1938 (M-30)", "122mm howitzer M1938 (M-30)", True),
        (
            "Bushmaster Protected Mobility Vehicle (1, destroyed)\xa0(1, damaged)",
            "Bushmaster Protected Mobility Vehicle",
            True,
        ),
        ("152mm D-20 gun-howitzer", "152mm D-20 gun-howitzer", False),
        ("9K35 Strela-10", "9K35 Strela-10", False),
        ("T-72B", "T-72B", False),
    ],
)
def test_clean_model(model: str, cleaned: str, changed: bool) -> None:
    result, note = clean_model(model)
    assert result == cleaned
    assert (note is not None) == changed
