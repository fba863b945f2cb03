"""A loaded ledger is a value (drone_ledger/ledger.py): nothing a caller does to what it gets from a ledger changes
the ledger, its validation report or its results; changed data is a new ledger, validated afresh.

The mini ledger's claim C2 (every means, side A, destroyed or captured, 2020) is worked out by hand: side A lost
L1 2, L2 1, L3 3 (BMP-2, uncosted), L4 5 less L8's 1 counted in it = 4, L5 1 and L8 1 destroyed items: 12 items,
9 of them T-72s costed at a central 180 (tests/test_costing.py) = 1620.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINI, count_validations

from drone_ledger import (
    Assumptions,
    LedgerInvalidError,
    compare_claim,
    compare_claims,
    cost_losses,
    ledger_from_frames,
    load_ledger,
    validate_ledger,
)
from drone_ledger import cache as cache_module
from drone_ledger.errors import UsageError
from drone_ledger.ledger import Ledger


@pytest.fixture(params=["warm cache", "no cache"])
def validations(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The validations that really run. With a warm cache, the mini ledger's report is already on disk (made for
    another loaded copy of the same files), so a freshly loaded ledger takes it from there."""
    monkeypatch.setattr(cache_module, "_disabled", False)
    if request.param == "warm cache":
        monkeypatch.setenv(cache_module.CACHE_DIR_ENV, str(tmp_path / "cache"))
        monkeypatch.delenv(cache_module.NO_CACHE_ENV, raising=False)
        compare_claims(load_ledger(MINI))
    else:
        monkeypatch.setenv(cache_module.NO_CACHE_ENV, "1")
    return count_validations(monkeypatch)


def _edit_in_place(ledger: Ledger) -> None:
    """Every way of changing a table in place that pandas offers on what the ledger hands out: every cell of every
    column through .loc, a column replaced, a number column's buffer written through .array, a row added."""
    for name, table in ledger.tables.items():
        for frame in (ledger[name], table.frame):
            if frame.empty:
                continue
            for column in list(frame.columns):
                numeric = pd.api.types.is_numeric_dtype(frame[column])
                if numeric:
                    frame[column].array[0] = -13
                frame.loc[:, column] = -13 if numeric else "edited"
            frame["quantity"] = 0
            frame.loc[len(frame)] = frame.iloc[0]


def _results(ledger: Ledger) -> tuple[object, ...]:
    return (
        compare_claims(ledger).to_dict(),
        cost_losses(ledger, Assumptions(dollar_year=2020)).to_json(orient="records"),
        validate_ledger(ledger).to_dict(),
    )


def test_editing_what_a_ledger_hands_out_never_changes_it_or_its_results(
    validations: list[str], request: pytest.FixtureRequest
) -> None:
    ledger = load_ledger(MINI)
    before = _results(ledger)
    assert len(validations) == (0 if request.node.callspec.params["validations"] == "warm cache" else 1)
    _edit_in_place(ledger)
    after = _results(ledger)
    assert after == before == _results(load_ledger(MINI))
    assert compare_claim(ledger, "C2").documented.items == 12
    for name, table in ledger.tables.items():  # it holds exactly what the files hold
        pd.testing.assert_frame_equal(ledger[name], load_ledger(MINI)[name])
        pd.testing.assert_frame_equal(table.frame, ledger[name])


def test_a_ledger_cannot_be_given_other_tables(validations: list[str]) -> None:
    ledger = load_ledger(MINI)
    compare_claims(ledger)
    losses = ledger.tables["losses"]
    with pytest.raises(AttributeError, match=r"ledger.replace\(losses=frame\)"):
        losses.frame = ledger["losses"].iloc[:1]
    with pytest.raises(TypeError):
        ledger.tables["losses"] = losses  # type: ignore[index]
    with pytest.raises(AttributeError):
        ledger.path = Path("elsewhere")  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        losses.lines[0] = 99
    assert compare_claim(ledger, "C2").documented.items == 12


def test_changed_data_is_a_new_ledger_and_its_results_follow_it(validations: list[str]) -> None:
    """Tripled quantities: L1 6, L2 3, L3 9, L4 15 less L8's 3 = 12, L5 3, L8 3 = 36 items; the 27 costed T-72s at
    180 = 4860. The new ledger is validated (never taken from the cache); the old one is unchanged."""
    ledger = load_ledger(MINI)
    compare_claims(ledger)
    runs = len(validations)
    tripled = ledger["losses"]
    tripled["quantity"] *= 3
    changed = ledger.replace(losses=tripled)
    documented = compare_claim(changed, "C2").documented
    assert (documented.items, documented.items_costed, documented.value.central) == (36, 27, pytest.approx(4860))
    assert len(validations) == runs + 1
    assert changed.tables["systems"] is ledger.tables["systems"]  # the tables not replaced are shared
    assert compare_claim(ledger, "C2").documented.items == 12


def test_a_negative_quantity_edited_in_never_yields_an_analysis(validations: list[str]) -> None:
    ledger = load_ledger(MINI)
    compare_claims(ledger)
    losses = ledger["losses"]
    losses.loc[losses.index[0], "quantity"] = -13
    broken = ledger.replace(losses=losses)
    for analysis in (compare_claims, cost_losses, lambda led: compare_claim(led, "C2")):
        with pytest.raises(LedgerInvalidError) as refused:
            analysis(broken)
        (error,) = refused.value.report.errors
        assert (error.line, error.column, error.code, error.value) == (2, "quantity", "out-of-range", "-13")
    frames = {name: broken[name] for name in broken.tables}
    with pytest.raises(LedgerInvalidError):
        compare_claims(ledger_from_frames(frames))


def test_the_issue_s_notebook_session(validations: list[str]) -> None:
    """The session issue 17 was filed with: in-place edits of ``led["losses"]`` now warn that they edit a copy
    (pandas' chained assignment warning) and never reach the ledger."""
    led = load_ledger(MINI)
    first = compare_claim(led, "C2")
    with pytest.warns(pd.errors.ChainedAssignmentError):
        led["losses"].loc[:, "quantity"] *= 3
    assert compare_claim(led, "C2").documented.items == first.documented.items == 12
    with pytest.warns(pd.errors.ChainedAssignmentError):
        led["losses"].loc[led["losses"].index[0], "quantity"] = -13
    assert compare_claim(led, "C2").to_dict() == first.to_dict()


def test_replace_refuses_a_table_a_ledger_does_not_have(tmp_path: Path) -> None:
    ledger = load_ledger(shutil.copytree(MINI, tmp_path / "mini"))
    with pytest.raises(UsageError, match="a ledger has no table 'loses'; its tables are losses, systems"):
        ledger.replace(loses=ledger["losses"])
