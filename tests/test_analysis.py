"""Trace, breakdown, sensitivity and claim consistency on the mini ledger (figures as in test_claims.py).

T-72 unit value (2020 USD): 110 / 180 / 300. C1 (Turkish-supplied drones, destroyed, March 2020, $10,000):
attributed L1 (2 items, 220/360/600); other L2 (1); unattributed L3 (3, uncosted), L4 (4 net), L8 (1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import plain
from typer.testing import CliRunner

from drone_ledger import Assumptions, compare_claim
from drone_ledger.analysis import (
    AnalysisUsageError,
    breakdown,
    claim_consistency,
    sensitivity,
    trace_claim,
)
from drone_ledger.cli import app
from drone_ledger.ledger import Ledger
from drone_ledger.results.analysis import Scenario, Sensitivity


def test_trace_rows_add_up_to_the_traced_figure(mini_ledger: Ledger) -> None:
    comparison = compare_claim(mini_ledger, "C1")
    for bucket in ("attributed", "other", "unattributed"):
        trace = trace_claim(mini_ledger, "C1", bucket)
        figure = comparison.buckets[bucket]
        assert trace.items == figure.items == sum(r.items for r in trace.rows)
        costed = [r.value_usd for r in trace.rows if r.value_usd is not None]
        assert sum(v.central for v in costed) == pytest.approx(figure.value.central)
        assert sum(v.low for v in costed) == pytest.approx(figure.value.low)
        assert sum(v.high for v in costed) == pytest.approx(figure.value.high)


def test_trace_names_prices_and_sources(mini_ledger: Ledger) -> None:
    (row,) = trace_claim(mini_ledger, "C1", "attributed").rows
    assert (row.loss_id, row.items, row.system, row.confidence, row.period) == ("L1", 2, "tb2", "high", "in")
    assert row.to_dict()["unit_usd"] == {"low": 110.0, "central": 180.0, "high": 300.0}
    assert [(o.obs_id, o.source_url) for o in row.observations] == [
        ("O1", "https://example.org/o1"),
        ("O2", "https://example.org/o2"),
    ]
    assert row.source_url == "https://example.org/l1"


def test_trace_uncosted_and_filters(mini_ledger: Ledger) -> None:
    uncosted = trace_claim(mini_ledger, "C1", "uncosted")
    assert [(r.loss_id, r.uncosted_reason) for r in uncosted.rows] == [("L3", "unusable-currency")]
    tanks = trace_claim(mini_ledger, "C1", "unattributed", category="Tanks")
    assert [(r.loss_id, r.part, r.period) for r in tanks.rows] == [("L4", "none", "possibly"), ("L8", "vague", "in")]
    assert trace_claim(mini_ledger, "C1", "unattributed", system="tb2").rows == []
    # --system filters on what the ledger records, whatever the confidence
    assert [r.loss_id for r in trace_claim(mini_ledger, "C1", "unattributed", system="drone-unknown").rows] == ["L8"]
    with pytest.raises(AnalysisUsageError, match="--bucket must be one of"):
        trace_claim(mini_ledger, "C1", "ceiling")


def test_a_misspelt_filter_value_is_a_usage_error_with_a_suggestion(mini: Path) -> None:
    with pytest.raises(AnalysisUsageError, match=r"--system 'tb' is not in this ledger .*; did you mean 'tb2'\?"):
        trace_claim(mini, "C1", "unattributed", system="tb")
    with pytest.raises(
        AnalysisUsageError,
        match=r"--where status= 'destroyd' is not in this ledger \(it has: "
        r"damaged, destroyed\); did you mean 'destroyed'\?",
    ):
        breakdown(mini, ["side"], where={"status": ["destroyd"]})
    result = CliRunner().invoke(
        app, ["breakdown", "--by", "status", "--where", "status=destroyd", "--ledger", str(mini)]
    )
    assert result.exit_code == 2
    assert "did you mean 'destroyed'?" in plain(result.stderr)


def test_breakdown_groups_add_up_to_each_side_s_total_and_sides_are_never_added(mini_ledger: Ledger) -> None:
    result = breakdown(mini_ledger, ["side", "status"])
    # A: L1 2 + L2 1 + L3 3 + L4 4 (5 net of L8) + L5 1 + L6 1 + L8 1 = 13 items, 10 costed at 110/180/300;
    # B: L7 1, costed. No total adds the two sides.
    assert result.total is None
    totals = {t.key["side"]: (t.total.items, t.total.items_costed, t.total.value.central) for t in result.totals}
    assert totals == {"A": (13, 10, pytest.approx(10 * 180)), "B": (1, 1, pytest.approx(180))}
    for t in result.totals:
        mine = [g.total for g in result.groups if g.key["side"] == t.key["side"]]
        assert sum(g.items for g in mine) == t.total.items
        assert sum(g.value.central for g in mine) == pytest.approx(t.total.value.central)
    by_key = {(g.key["side"], g.key["status"]): g.total.items for g in result.groups}
    assert by_key == {("A", "destroyed"): 12, ("A", "damaged"): 1, ("B", "destroyed"): 1}
    one_side = breakdown(mini_ledger, ["status"], where={"side": ["A"]})
    assert one_side.total is not None and one_side.total.items == 13 and len(one_side.totals) == 1


def test_breakdown_never_adds_sides_together(mini_ledger: Ledger) -> None:
    result = breakdown(mini_ledger, ["category"])
    assert result.by == ["side", "category"]
    assert {(g.key["side"], g.key["category"]): g.total.items for g in result.groups} == {
        ("A", "Tanks"): 10,
        ("A", "Infantry Fighting Vehicles"): 3,
        ("B", "Tanks"): 1,
    }
    assert result.notes == ["grouped by side too: the losses hold 2 sides, whose losses are never added together"]
    one_side = breakdown(mini_ledger, ["category"], where={"side": ["A"]})
    assert one_side.by == ["category"] and one_side.notes == []


def test_breakdown_groups_by_the_system_the_ledger_records_with_its_confidence(mini_ledger: Ledger) -> None:
    tb2 = breakdown(mini_ledger, ["system"], where={"system": ["tb2"], "side": ["A"]})
    assert tb2.by == ["system", "confidence"]
    assert {(g.key["system"], g.key["confidence"]): g.total.items for g in tb2.groups} == {
        ("tb2", "high"): 3,  # L1 2, L5 1
        ("tb2", "unverified"): 1,  # L6: recorded, so found, with its confidence beside it
    }


def test_breakdown_fields_and_filters(mini_ledger: Ledger) -> None:
    turkish = breakdown(mini_ledger, ["turkish_supplied"], where={"side": ["A"], "status": ["destroyed"]})
    assert {g.key["turkish_supplied"]: g.total.items for g in turkish.groups} == {"yes": 3, "no": 1, "unknown": 8}
    months = breakdown(mini_ledger, ["month"], where={"system": ["tb2"]})
    assert {(g.key["side"], g.key["month"]): g.total.items for g in months.groups} == {
        ("A", "2020-03"): 3,
        ("A", "2020-05"): 1,
        ("B", "2020-03"): 1,
    }
    spans = breakdown(mini_ledger, ["month"], where={"side": ["A"], "category": ["Tanks"], "system": ["unattributed"]})
    assert {g.key["month"]: g.total.items for g in spans.groups} == {"(spans months)": 4}  # the whole-war tally
    with pytest.raises(AnalysisUsageError, match="unknown: colour"):
        breakdown(mini_ledger, ["colour"])


def _scenario(result: Sensitivity, label: str) -> Scenario:
    return next(r for r in result.rows if r.label == label)


def test_sensitivity_is_monotone_where_it_should_be(mini: Path) -> None:
    claims = (mini / "claims.csv").read_text().replace(",destroyed,2020-03-01,", ",destroyed|damaged,2020-03-01,")
    (mini / "claims.csv").write_text(claims)  # bring the unverified, damaged TB2 loss L6 into scope
    grid = sensitivity(mini, "C1")
    documented = [
        _scenario(grid, label).documented.share_of_claim.central  # type: ignore[union-attr]
        for label in ("high confidence only", "high + medium", "default", "+ unverified")
    ]
    assert documented == sorted(documented)
    assert documented[-1] > documented[0]  # counting the unverified report adds L6
    ceiling = {
        label: _scenario(grid, label).ceiling.value
        for label in ("default", "direct + upper references", "direct + floor references", "worth 0", "worth 50%")
    }
    assert ceiling["direct + upper references"].high >= ceiling["default"].high
    assert ceiling["direct + floor references"].low <= ceiling["default"].low
    damaged = [ceiling[k].central for k in ("worth 0", "worth 50%", "default")]
    assert damaged == sorted(damaged) and damaged[0] < damaged[-1]
    only_in = _scenario(grid, "only losses certainly in the period")
    assert only_in.ceiling.items < _scenario(grid, "default").ceiling.items


def test_the_worst_case_is_the_worst_and_the_best_the_best(mini_ledger: Ledger) -> None:
    grid = sensitivity(mini_ledger, "C1")
    worst, best = grid.rows[-1], grid.rows[-2]
    assert (worst.group, best.group) == ("worst case for the claim", "best case for the claim")
    for row in grid.rows:
        for figure in ("documented", "ceiling"):
            low, mid, high = (getattr(r, figure) for r in (worst, row, best))
            assert low.items <= mid.items <= high.items, (row.label, figure)
            assert low.value.central <= mid.value.central + 1e-9 <= high.value.central + 2e-9, (row.label, figure)
    # "high confidence only" moves the Harop loss L2 into the unattributed ceiling; the worst case must not.
    assert _scenario(grid, "high confidence only").ceiling.items == 11
    assert worst.ceiling.items == 6  # L1 2, L3 3, L8 1 (too vague at any confidence); the tally L4 may lie outside


def test_consistency_prices_count_claims(mini_ledger: Ledger) -> None:
    result = claim_consistency(mini_ledger)
    (group,) = result.groups
    lines = {line.claim_id: line for line in group.claims}
    assert lines["C3"].cost_key == "T-72" and (lines["C3"].cost_basis or "").startswith("category proxy (assumption)")
    assert lines["C3"].to_dict()["implied_usd"] == {"low": 1100.0, "central": 1800.0, "high": 3000.0}  # 10 x T-72
    assert lines["C4"].implied_usd is None
    assert lines["C4"].uncosted_reason == "no cost key"
    against = {a.claim_id: a for a in group.against}
    # C2 (all means, destroyed or captured, all of 2020) is like both count claims; C1 (Turkish drones, March)
    # is like neither: their period starts before its own.
    assert against["C2"].matched == ["C3", "C4"]
    assert against["C2"].to_dict()["implied_share"] == {"low": 0.22, "central": 0.36, "high": 0.6}
    assert against["C1"].matched == []
    assert against["C1"].unmatched == {
        "C3": "its period starts 2020-01-01, before the dollar claim's",
        "C4": "its period starts 2020-01-01, before the dollar claim's",
    }


def test_consistency_matches_only_like_statuses(mini: Path) -> None:
    """A count of captured tanks is not set against a claim of equipment destroyed."""
    claims = (mini / "claims.csv").read_text()
    claims = claims.replace(
        "value_destroyed_or_captured,5000,USD,lower,all,all means,A,,,all equipment,destroyed|captured",
        "value_destroyed,5000,USD,lower,all,all means,A,,,all equipment,destroyed",
    )
    claims = claims.replace(
        "count_destroyed,10,tanks,point,all,all means,A,Tanks,,tanks,destroyed",
        "count_captured,10,tanks,point,all,all means,A,Tanks,,tanks,captured",
    )
    (mini / "claims.csv").write_text(claims)
    (group,) = claim_consistency(mini).groups
    c2 = next(a for a in group.against if a.claim_id == "C2")
    assert c2.matched == ["C4"]
    assert c2.unmatched == {"C3": "counts captured items, which the dollar claim does not cover"}
    assert c2.implied_usd is None and c2.implied_share is None  # C4 (S-300) has no price


def test_consistency_shares_do_not_move_with_the_dollar_year(mini_ledger: Ledger) -> None:
    shares = [
        next(
            a
            for a in claim_consistency(mini_ledger, Assumptions(dollar_year=y)).groups[0].against
            if a.claim_id == "C2"
        ).implied_share
        for y in (2019, 2020)
    ]
    assert shares[0] == shares[1]


@pytest.mark.parametrize(
    ("args", "api"),
    [
        (["trace", "--bucket", "unattributed"], lambda: trace_claim(None, bucket="unattributed").to_dict()),
        (["breakdown", "--by", "side", "--by", "status"], lambda: breakdown(None, ["side", "status"]).to_dict()),
        (["sensitivity"], lambda: sensitivity(None).to_dict()),
        (["consistency"], lambda: claim_consistency(None).to_dict()),
    ],
)
def test_cli_json_equals_the_api(args: list[str], api: object) -> None:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == api()  # type: ignore[operator]


def test_cli_breakdown_rejects_a_bad_filter() -> None:
    result = CliRunner().invoke(app, ["breakdown", "--by", "side", "--where", "side"])
    assert result.exit_code == 2
    assert "--where takes FIELD=VALUE[,VALUE], not 'side'" in plain(result.stderr)


# --- issue 19: what each price observation does; one dollar year per figure ---------------------------------------

#: The mini ledger's T-72 direct observations in 2020 dollars: O1 100 (2019) x 110/100 = 110; O2 200-300 (2020),
#: midpoint 250. Central: the median of the two midpoints, (110 + 250) / 2 = 180.


def test_the_ceiling_s_central_with_each_observation_left_out(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1")
    [basis] = c.price_basis  # the ceiling's costed items are 7 tanks (L1 2, L4 4, L8 1), all priced as T-72
    assert (basis.cost_key, basis.items, basis.method, basis.share_of_figure) == ("T-72", 7, "median", 1.0)
    effects = {o.obs_id: (o.midpoint_usd, o.unit_central_without, o.figure_central_without) for o in basis.observations}
    assert effects == {
        "O1": (pytest.approx(110), pytest.approx(250), pytest.approx(7 * 250)),  # without O1: O2 alone
        "O2": (pytest.approx(250), pytest.approx(110), pytest.approx(7 * 110)),
    }
    assert basis.figure_central_range == (pytest.approx(770), pytest.approx(1750))
    assert (basis.alternative_method, basis.figure_central_alternative) == ("mean", pytest.approx(7 * 180))
    assert (
        "— all of it 7 tanks priced as T-72 at the median of 2 price observations; leaving either out moves "
        "the $1.3k to $770 or $1.8k" in c.verdict[1]
    )


def test_trace_and_sensitivity_show_what_each_observation_does(mini_ledger: Ledger) -> None:
    trace = trace_claim(mini_ledger, "C1", "unattributed")
    [basis] = trace.price_basis  # the unattributed rows: L4 4 and L8 1 costed tanks -> 900 central
    assert basis.items == 5 and basis.value.central == pytest.approx(900)
    assert sorted(o.figure_central_without for o in basis.observations) == [pytest.approx(550), pytest.approx(1250)]
    grid = sensitivity(mini_ledger, "C1")
    assert grid.figure == "ceiling" and grid.price_basis[0].figure_central_range == (
        pytest.approx(770),
        pytest.approx(1750),
    )
    mean = next(r for r in grid.rows if r.label == "central = mean of midpoints")
    assert mean.ceiling.value.central == pytest.approx(1260)  # two observations: their mean is their median
    best, worst = grid.rows[-2], grid.rows[-1]  # the extremes take each observation left out into account
    assert best.ceiling.value.central >= 1750 * 8 / 7 - 1e-9  # 8 tank items at least O2 alone (L2 joins)
    assert worst.ceiling.value.central <= 110 * worst.ceiling.items_costed + 1e-9


def test_the_mean_of_midpoints_differs_from_the_median_with_three_observations(mini: Path) -> None:
    costs = mini / "unit_costs.csv"
    costs.write_text(
        costs.read_text() + "O7,T-72,T-72,tank,1000,1000,USD,2020,test,direct,no,medium,https://example.org/o7,\n"
    )
    # midpoints 110, 250, 1000: median 250, mean 1360 / 3
    median = compare_claim(mini, "C1")
    mean = compare_claim(mini, "C1", Assumptions(central="mean"))
    assert median.ceiling.value.central == pytest.approx(7 * 250)
    assert mean.ceiling.value.central == pytest.approx(7 * 1360 / 3)
    [basis] = median.price_basis
    assert basis.figure_central_alternative == pytest.approx(7 * 1360 / 3)
    without = {o.obs_id: o.unit_central_without for o in basis.observations}
    assert without == {"O1": pytest.approx(625), "O2": pytest.approx(555), "O7": pytest.approx(180)}


def _two_wars(mini: Path) -> Path:
    """The mini ledger plus war-y (begun 2022, side C: one T-72 lost) and the 2022 CPI (121)."""
    (mini / "cpi.csv").write_text(
        (mini / "cpi.csv").read_text() + "2022,121,CUUR0000SA0,test,https://example.org/cpi,\n"
    )
    (mini / "conflicts.csv").write_text(
        (mini / "conflicts.csv").read_text() + "war-y,Other war,2022-02-24,,https://example.org/war-y,\n"
    )
    (mini / "losses.csv").write_text(
        (mini / "losses.csv").read_text()
        + "L9,war-y,C,2022-03-01,2022-03-01,,Tanks,T-72,1,destroyed,destroyed,unattributed,,item,,,,test,"
        "https://example.org/l9,\n"
    )
    return mini


def test_a_war_s_figures_are_in_the_year_it_began_in_every_command(mini: Path) -> None:
    """The same T-72 of war-y: 180 (2020 USD) x 121/110 = $198 (2022 USD) in summary --conflict and in breakdown."""
    from drone_ledger.claims import summarize_conflict

    ledger = _two_wars(mini)
    summary = summarize_conflict(ledger, "war-y")
    assert summary.dollar_year == 2022 and summary.per_side[0].total.value.central == pytest.approx(198)
    result = breakdown(ledger, ["category"])
    assert result.by == ["conflict", "side", "category"] and result.dollar_year is None
    war_y = [g for g in result.groups if g.key["conflict"] == "war-y"]
    assert [(g.dollar_year, g.total.value.central) for g in war_y] == [(2022, pytest.approx(198))]
    assert {(t.key["conflict"], t.key["side"], t.dollar_year) for t in result.totals} == {
        ("war-x", "A", 2020),
        ("war-x", "B", 2020),
        ("war-y", "C", 2022),
    }
    one_year = breakdown(ledger, ["category"], assumptions=Assumptions(dollar_year=2020))
    assert one_year.dollar_year == 2020 and "conflict" not in one_year.by
