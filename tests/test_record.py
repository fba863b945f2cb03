"""A system's documented record, the claims checked against it, and "for scale", on a ledger of two wars small
enough to check by hand (tests/fixtures/two_wars).

The fixture: CPI 2020 = 100, 2021 = 110, 2022 = 120; RUB 2021 = 75 per USD; no GBP rate. War B's TB2 items:
B1 a T-72B3 (7 Mar 2022), B2 a Mi-8 shared with artillery (on or before 19 Mar), B3 a BTR-D (30 Apr; no price of
its own: the armoured-vehicle average), B4 a damaged ZU-23-2 (on or before 8 May; no price), and B5 a T-72B3
posted unverified (not counted). T-72B3 prices in war B: O1 $2.0M–$3.0M and O8 $4.0M (the claimant CB1's own),
both 2022; O2 ($1.0M) is in war A's list only. Mi-8: O3, 300M RUB in 2021; O4 in GBP (unusable). B1's record names
its place (Village X, Y raion). Claims CB5-CB7 are there for the wording of the checks: CB5 (13 Mar - 1 May, destroyed
or damaged) has B2 known lost only by 19 Mar and B4 by 8 May; CB6 states no start (up to 30 Apr, the day of B3);
CB7 counts 1 air-defence system, against B2 and B4.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import TESTS, plain
from typer.testing import CliRunner

from drone_ledger import compare_claim
from drone_ledger.cli import app
from drone_ledger.context import cost_losses, price_observations
from drone_ledger.costing import unit_values
from drone_ledger.errors import AnalysisUsageError
from drone_ledger.ledger import load_ledger
from drone_ledger.recordcheck import documented_record
from drone_ledger.results.core import Assumptions
from drone_ledger.validation import validate_ledger

TWO_WARS = TESTS / "fixtures" / "two_wars"

# Hand-computed unit values, 2022 USD.
T72B3 = (2_000_000.0, (2_500_000.0 + 4_000_000.0) / 2, 4_000_000.0)  # O1's midpoint and O8: median of two
MI8 = 300_000_000 / 75 * 120 / 110  # O3: RUB at 2021's rate, then CPI 2021 -> 2022
AFV = 500_000.0  # O5, the proxy of the BTR-D
RECORD_2022 = tuple(t + MI8 + AFV for t in T72B3)  # B1 + B2 + B3; B4 uncosted
DAYS = 5 + 31 + 30 + 8  # 24 Feb - 8 May 2022, both ends counted


@pytest.fixture
def ledger():  # type: ignore[no-untyped-def]
    return load_ledger(TWO_WARS)


def test_the_fixture_is_valid_with_one_warning() -> None:
    report = validate_ledger(TWO_WARS)
    assert report.valid
    assert [(i.table, i.code, i.value) for i in report.warnings] == [("unit_costs", "unusable-currency", "GBP")]


def test_a_price_in_roubles_is_converted_at_its_year_s_rate_then_moved_by_cpi(ledger) -> None:  # type: ignore[no-untyped-def]
    obs = price_observations(ledger, Assumptions(dollar_year=2022)).set_index("obs_id")
    assert obs.loc["O3", "usable"]
    assert obs.loc["O3", "units_per_usd"] == 75
    assert obs.loc["O3", "central_usd"] == pytest.approx(MI8)
    assert (obs.loc["O4", "usable"], obs.loc["O4", "unusable_reason"]) == (False, "unusable-currency")


def test_each_war_prices_its_losses_from_its_own_observations(ledger) -> None:  # type: ignore[no-untyped-def]
    obs = price_observations(ledger, Assumptions(dollar_year=2022))
    war_b = unit_values(obs, conflict="war-b").loc["T-72B3"]
    assert (war_b["unit_low"], war_b["unit_central"], war_b["unit_high"]) == pytest.approx(T72B3)
    assert war_b["obs_ids"] == "O1;O8"
    war_a = unit_values(obs, conflict="war-a").loc["T-72B3"]
    assert (war_a["unit_central"], war_a["obs_ids"]) == (pytest.approx(1_000_000 * 120 / 100), "O2")


def test_a_model_without_a_price_of_its_own_takes_its_documented_category_average(ledger) -> None:  # type: ignore[no-untyped-def]
    costed = cost_losses(ledger, Assumptions(dollar_year=2022)).set_index("loss_id")
    assert (costed.loc["B3", "cost_key_used"], costed.loc["B3", "cost_basis"]) == (
        "AFV (fleet average)",
        "category-proxy",
    )
    assert costed.loc["B3", "value_central"] == AFV
    assert "BTR-D" in costed.loc["B3", "cost_assumption"]
    assert (costed.loc["B2", "cost_key_used"], costed.loc["B2", "cost_basis"]) == ("Mi-8", "model-family")
    assert not costed.loc["B4", "costed"]
    assert costed.loc["B4", "uncosted_reason"] == "no-price-found"  # ZU-23-2: no proxy, so uncosted, never zero


def test_the_record_in_the_second_war(ledger) -> None:  # type: ignore[no-untyped-def]
    record = documented_record(ledger, "tb2")
    war = next(w for w in record.wars if w.conflict == "war-b")
    assert (war.side, war.dollar_year) == ("Russia", 2022)
    assert (war.total.items, war.total.items_costed, war.total.items_uncosted) == (4, 3, 1)
    assert (war.total.value.low, war.total.value.central, war.total.value.high) == pytest.approx(RECORD_2022)
    assert (war.first_day, war.last_day, war.days) == ("2022-02-24", "2022-05-08", DAYS)
    assert war.items_per_day == pytest.approx(4 / DAYS)
    assert war.value_per_day is not None and war.value_per_day.central == pytest.approx(RECORD_2022[1] / DAYS)
    assert war.items_dated_to_the_day == 2  # B1 and B3
    assert (war.shared.items, war.shared.value.central, war.shared_with) == (1, pytest.approx(MI8), {"artillery": 1})
    assert [(s.name, s.items) for s in war.by_status] == [("destroyed", 3), ("damaged", 1)]
    assert [(u.model, u.reason) for u in war.uncosted] == [("ZU-23-2", "no-price-found")]
    assert [(n.loss_id, n.confidence) for n in war.not_counted] == [("B5", "unverified")]
    assert [p.obs_id for p in war.claimant_prices] == ["O8"]
    assert war.loss_ids == ["B1", "B2", "B3", "B4"]


def test_the_weeks_place_each_item_at_its_latest_day(ledger) -> None:  # type: ignore[no-untyped-def]
    war = next(w for w in documented_record(ledger, "tb2").wars if w.conflict == "war-b")
    weeks = {w.week: w for w in war.weeks}
    assert war.weeks[0].week == "2022-02-21" and war.weeks[-1].week == "2022-05-02"  # the Mondays of 24 Feb, 8 May
    assert len(war.weeks) == 11
    assert [(d, weeks[d].items, weeks[d].items_dated_to_the_day) for d in ("2022-03-07", "2022-03-14")] == [
        ("2022-03-07", 1, 1),  # B1, dated to the day
        ("2022-03-14", 1, 0),  # B2, on or before Saturday 19 Mar
    ]
    assert weeks["2022-05-02"].items == 1  # B4, on or before Sunday 8 May
    assert war.weeks[-1].cumulative_items == 4
    assert war.weeks[-1].cumulative_value.central == pytest.approx(RECORD_2022[1])


def test_a_war_with_nothing_credited_says_what_does_not_count(ledger) -> None:  # type: ignore[no-untyped-def]
    war = next(w for w in documented_record(ledger, "tb2").wars if w.conflict == "war-a")
    assert (war.total.items, war.side, war.days) == (0, None, None)
    assert [(n.loss_id, n.status, n.confidence) for n in war.not_counted] == [("A1", "damaged", "unverified")]


def test_for_scale_sets_the_claim_beside_the_record_of_another_war(ledger) -> None:  # type: ignore[no-untyped-def]
    c = compare_claim(ledger, "CA1")
    [scale] = c.for_scale
    in_2020 = [v * 100 / 120 for v in (T72B3[0], T72B3[1], T72B3[2])]
    record = [t + 300_000_000 / 75 * 100 / 110 + AFV * 100 / 120 for t in in_2020]
    assert (scale.conflict, scale.dollar_year, scale.items, scale.days) == ("war-b", 2020, 4, DAYS)
    assert (scale.value.low, scale.value.central, scale.value.high) == pytest.approx(record)
    assert scale.claim_days == 18  # 27 Sep - 14 Oct 2020
    assert scale.multiple is not None and scale.multiple_per_day is not None
    assert (scale.multiple.low, scale.multiple.central, scale.multiple.high) == pytest.approx(
        (10e6 / record[2], 10e6 / record[1], 10e6 / record[0])
    )
    assert scale.multiple_per_day.central == pytest.approx((10e6 / 18) / (record[1] / DAYS))
    text = " ".join(scale.sentences + scale.caveats)
    assert "not a prediction" in text and "another opponent and its air defences" in text
    assert (
        "1 of the 4 items, worth $3.6M (2020 USD), rests on credit shared with Artillery (tube) (1); without them "
        "the record is $3.1M (2020 USD; $2.1M–$3.8M)." in text
    )
    assert "The record stops on 8 May 2022; its source cannot show any attribution after 8 May 2022." in text
    assert c.to_dict()["for_scale"] == [scale.to_dict()]


def test_no_scale_for_a_claim_about_the_record_s_own_war_or_about_every_means(ledger) -> None:  # type: ignore[no-untyped-def]
    assert compare_claim(ledger, "CB1").for_scale == []
    assert compare_claim(ledger, "CB3").for_scale == []


def test_a_claim_checked_item_by_item_says_when_it_is_priced_with_its_own_values(ledger) -> None:  # type: ignore[no-untyped-def]
    record = documented_record(ledger, "tb2")
    check = next(c for c in record.claims["war-b"] if c.claim_id == "CB1")
    assert [(m.loss_id, m.period) for m in check.matched] == [("B1", "in"), ("B2", "possibly")]
    assert check.inside.value.central == pytest.approx(T72B3[1])
    assert check.possibly.value.central == pytest.approx(MI8)
    assert [p.obs_id for p in check.claimant_prices] == ["O8"]
    without = check.value_without_claimant_prices
    assert without is not None and without.central == pytest.approx(2_500_000 + MI8)  # O1 alone prices the T-72B3
    assert "The prices used include the claimant's own unit values (O8 (T-72B3))" in check.summary
    comparison = compare_claim(ledger, "CB1")
    assert comparison.claimant_prices is not None
    assert comparison.claimant_prices.documented_without.value.central == pytest.approx(2_500_000 + MI8)
    assert any("circular" in line for line in comparison.caveats)


def test_a_count_claim_outside_the_items_dates_names_them(ledger) -> None:  # type: ignore[no-untyped-def]
    check = next(c for c in documented_record(ledger, "tb2").claims["war-b"] if c.claim_id == "CB2")
    assert (check.inside.items, check.possibly.items, check.matched) == (0, 0, [])
    assert "at most 0 of the 2 claimed (0.0%)" in check.summary
    assert "1 item of its kind: T-72B3 (7 Mar 2022)" in check.summary


def _check(ledger, claim_id: str):  # type: ignore[no-untyped-def]
    return next(c for c in documented_record(ledger, "tb2").claims["war-b"] if c.claim_id == claim_id)


def test_an_all_means_claim_is_set_against_every_documented_loss_labelled_so(ledger) -> None:  # type: ignore[no-untyped-def]
    """CB3 ($50M of tanks, every means): the ledger has no place filter, so what it sets beside the claim is every
    documented tank anywhere in the war, and the TB2's part (B1) is no share of the claim."""
    check = _check(ledger, "CB3")
    assert check.all_means
    assert check.documented_any_means is not None
    assert check.documented_any_means.items == 9 + 1 + 1  # the tally net of B1, B1, the unverified B5
    priced = 2 * T72B3[1]  # B1 and B5; the tally is not priced
    assert check.documented_any_means.value.central == pytest.approx(priced)
    assert f"{priced / 50e6:.1%}" == "13.0%"
    assert [m.loss_id for m in check.matched] == ["B1"]
    assert [m.nearest_location for m in check.matched] == ["Village X, Y raion"]
    assert (
        "The claim credits every means, not the Bayraktar TB2, and its scope as stated is “tanks”. The ledger has no "
        "place filter, so it sets beside the claim every documented loss of the claim's kinds anywhere in the war, in "
        "its period or possibly in it, not only the claim's own: 11 items, $6.5M ($4.0M–$8.0M) where priced (at most "
        "13.0% (8.0%–16.0%) of the claim). Of those, again anywhere in the war, the ledger credits the Bayraktar TB2 "
        "with 1 item certainly inside the period and 0 items possibly inside it"
    ) in check.summary
    assert check.summary.endswith("(2022 USD). The places their records name: Village X, Y raion (1).")
    assert check.summary.count("of the claim)") == 1  # the TB2's part is no share of a claim about every means


def test_a_count_of_strikes_is_not_a_count_of_items(ledger) -> None:  # type: ignore[no-untyped-def]
    check = _check(ledger, "CB4")
    assert "It counts strikes, not items lost" in check.summary
    assert (check.period_start, check.period_end, check.possibly.items) == (None, None, 4)
    # The items are shown for scale only: no "at most N of the M claimed", no share.
    assert check.summary.endswith(
        "with 0 items in the claim's scope certainly inside its period and 4 items possibly inside it."
    )
    assert "claimed" not in check.summary and "%" not in check.summary


@pytest.mark.parametrize(
    ("unit", "one"),
    [
        ("2S3 Akatsiya self-propelled guns", "1 2S3 Akatsiya self-propelled gun"),
        ("infantry fighting vehicles", "1 infantry fighting vehicle"),
        ("howitzers", "1 howitzer"),
        ("Buk SAM systems", "1 Buk SAM system"),
        ("Tor-M2 SAM systems", "1 Tor-M2 SAM system"),
        ("Serna-class landing craft", "1 Serna-class landing craft"),
        ("units of equipment (about half Grad MLRS)", "1 unit of equipment (about half Grad MLRS)"),
        ("guns of various calibres", "1 gun of various calibres"),
        ("batteries", "1 battery"),
        ("UAVs", "1 UAV"),
        ("MLRS", "1 MLRS"),
        ("S-300", "1 S-300"),
        ("Tor", "1 Tor"),
        ("tanks and armoured vehicles", "1 item counted as tanks and armoured vehicles"),
        ("buses", "1 item counted as buses"),  # -ses: bus or buse? no rule guesses
    ],
)
def test_a_count_of_one_reads_in_the_singular(unit: str, one: str) -> None:
    from drone_ledger.formatting import one_of

    assert one_of(unit) == one


def test_a_claim_of_one_item_says_it_in_the_singular(ledger) -> None:  # type: ignore[no-untyped-def]
    assert _check(ledger, "CB6").summary.startswith(
        "Ministry claims 1 target (point), (start not stated) – 30 Apr 2022."
    )
    assert _check(ledger, "CB7").summary.startswith("Navy claims 1 air-defence system (point), 1 Mar – 8 May 2022.")
    assert _check(ledger, "CB2").summary.startswith("Governor claims 2 tanks (approx)")


def test_items_known_lost_by_the_period_s_end_are_not_said_to_come_after_it(ledger) -> None:  # type: ignore[no-untyped-def]
    """CB5, 13 Mar - 1 May: B3 (30 Apr) certainly inside; B2 lost on or before 19 Mar, a day inside the period (but
    perhaps before 13 Mar); B4 on or before 8 May, 7 days after the end."""
    check = _check(ledger, "CB5")
    assert [(m.loss_id, m.period) for m in check.matched] == [("B3", "in"), ("B2", "possibly"), ("B4", "possibly")]
    assert (check.possibly.items, check.possibly_by_end.items, check.possibly_near.items) == (2, 1, 2)
    assert (
        "1 item in the claim's scope certainly inside its period and 2 items possibly inside it (of them, 1 lost on or "
        "before 19 Mar 2022, perhaps before the period began; 1 lost on or before 8 May 2022, 7 days after its end)"
    ) in check.summary
    assert "within a week after" not in check.summary
    upto = AFV + MI8  # B3 and B2; B4 is uncosted
    assert f"${upto / 1e6:.1f}M" == "$4.9M" and f"{upto / 10e6:.1%}" == "48.6%"
    assert ": worth $500.0k certainly and at most $4.9M with every possible one (2022 USD; 48.6% of the claim)." in (
        check.summary
    )


def test_a_claim_without_a_stated_start_has_only_its_last_day_certainly_inside(ledger) -> None:  # type: ignore[no-untyped-def]
    """CB6 states no start and ends on 30 Apr. Read from the war's start, B1 (7 Mar) would be certainly inside; but
    the claim may be about 30 Apr alone, so only B3 (dated 30 Apr) is, and B1 and B2 are possibly inside."""
    check = _check(ledger, "CB6")
    assert [(m.loss_id, m.period) for m in check.matched] == [("B3", "in"), ("B1", "possibly"), ("B2", "possibly")]
    assert (check.inside.items, check.possibly.items) == (1, 2)
    assert (
        "The claim states no start: only an item dated to its last day, 30 Apr 2022, is certainly inside it; any "
        "earlier one is only possibly inside."
    ) in check.summary
    assert "2 items possibly inside it (all lost on or before 19 Mar 2022)" in check.summary  # no "began" to be before


def test_more_items_than_claimed_are_never_a_share_over_100_percent(ledger) -> None:  # type: ignore[no-untyped-def]
    """CB6 counts 1 target against 3 items; CB7 1 air-defence system against 2 vehicles (B2, B4): no share."""
    targets = _check(ledger, "CB6").summary
    assert (
        ": 3 documented items of the kind certainly or possibly inside the period, more than the 1 target claimed; "
        "the ledger cannot tell which of them the claim means, so no share of the claim is given."
    ) in targets
    systems = _check(ledger, "CB7").summary
    assert systems.endswith(
        ": 2 documented vehicles of the kind possibly inside the period, against the 1 air-defence system claimed. The "
        "ledger counts vehicles one by one, and a system may comprise several (launchers, radar, loader), so they "
        "cannot be compared item for item and no share of the claim is given."
    )
    for summary in (targets, systems):
        assert "%" not in summary and "at most" not in summary


def test_record_on_the_command_line(ledger) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    result = runner.invoke(app, ["record", "Bayraktar TB2", "--ledger", str(TWO_WARS), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == documented_record(ledger, "tb2").to_dict()
    table = runner.invoke(app, ["record", "tb2", "--ledger", str(TWO_WARS)], env={"COLUMNS": "80"})
    assert table.exit_code == 0
    assert "War B (war-b), Russia's losses: 4 items, 24 Feb – 8 May 2022 (74 days), worth $8.1M" in plain(table.stdout)
    csv = runner.invoke(app, ["record", "tb2", "--ledger", str(TWO_WARS), "--format", "csv"])
    assert csv.stdout.splitlines()[0].startswith("system,conflict,side,by,group,items")
    wrong = runner.invoke(app, ["record", "tb3", "--ledger", str(TWO_WARS)])
    assert wrong.exit_code == 2
    assert "no system 'tb3' in systems.csv" in plain(wrong.output) and "did you mean tb2" in plain(wrong.output)


def test_an_unknown_system_is_a_usage_error(ledger) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AnalysisUsageError, match="did you mean tb2"):
        documented_record(ledger, "tb")


@pytest.mark.parametrize(
    ("table", "edit", "code"),
    [
        (
            "exchange_rates.csv",
            lambda t: t + "RUB,2021,74,annual_average_official,https://example.org/x,low,\n",
            "duplicate-id",
        ),
        ("exchange_rates.csv", lambda t: t + "RUB,2022,70,spot,,low,\n", "missing-source"),
        ("unit_costs.csv", lambda t: t.replace(",war-b,CB1", ",war-c,CB1"), "unknown-conflict"),
        ("unit_costs.csv", lambda t: t.replace(",war-b,CB1", ",war-b,CB9"), "unknown-claim"),
    ],
)
def test_bad_rates_and_price_lists_are_reported(tmp_path: Path, table: str, edit, code: str) -> None:  # type: ignore[no-untyped-def]
    ledger = tmp_path / "ledger"
    shutil.copytree(TWO_WARS, ledger)
    path = ledger / table
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert code in {i.code for i in validate_ledger(ledger).errors}


def test_a_claim_without_a_stated_start_starts_with_its_war(ledger) -> None:  # type: ignore[no-untyped-def]
    c = compare_claim(ledger, "CB4", Assumptions())
    assert c.claim["period_start"] is None
    assert c.claim_dollar_year == 2022  # no date at all: priced in its war's first year
    assert (c.documented.items, c.documented.items_possibly_in_period) == (4, 4)  # B1-B4, none certainly inside


def test_the_2020_war_reads_the_same_whether_or_not_a_second_war_is_bundled(tmp_path: Path) -> None:
    """Nothing of the 2022 war moves a 2020 figure: the bundled ledger without its ukraine-2022 rows gives every
    2020 claim the same comparison, all but the "for scale" paragraph that only another war can give."""
    import csv

    from conftest import BUNDLED

    from drone_ledger import compare_claims

    alone = tmp_path / "karabakh-only"
    shutil.copytree(BUNDLED, alone)
    for path in alone.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        column = "conflict_id" if path.name == "conflicts.csv" else "conflict"
        if rows and column in rows[0]:
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
                writer.writeheader()
                writer.writerows(r for r in rows if r[column] != "ukraine-2022")

    def without_scale(overview: object) -> dict[str, object]:
        return {
            c.claim["claim_id"]: {k: v for k, v in c.to_dict().items() if k != "for_scale"}
            for c in overview.rows  # type: ignore[attr-defined]
            if c.claim["conflict"] == "karabakh-2020"
        }

    together, apart = without_scale(compare_claims(BUNDLED)), without_scale(compare_claims(alone))
    assert len(together) == 34
    assert together == apart


def test_a_converted_price_says_how_it_became_dollars(ledger) -> None:  # type: ignore[no-untyped-def]
    from drone_ledger.analysis import trace_claim

    trace = trace_claim(ledger, "CB1", "attributed")
    used = {o.obs_id: o for row in trace.rows for o in row.observations}
    assert used["O3"].converted == "300,000,000 RUB (2021) at 75.00 RUB per USD; rate: https://example.org/rub-2021"
    assert used["O1"].converted is None


def test_summary_prints_for_scale_after_the_verdict() -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["summary", "--ledger", str(TWO_WARS), "--claim", "CA1"], env={"COLUMNS": "100"})
    text = plain(table.stdout)
    assert text.index("Verdict") < text.index("For scale (another war)") < text.index("What the figures leave out")
    assert "is 1.5× (1.4×–1.7×) the value of that whole record, and 6.1× (5.6×–7.2×) its daily rate" in text
    markdown = runner.invoke(app, ["summary", "--ledger", str(TWO_WARS), "--claim", "CA1", "--format", "markdown"])
    assert "**For scale (another war).** In the War B" in markdown.stdout


def test_the_page_draws_the_record_over_time(tmp_path: Path) -> None:
    from drone_ledger.page import build_report, report_html

    other_war = report_html(build_report(TWO_WARS, "CA1"), "2026-01-01")
    section = other_war[other_war.index('<section id="record">') : other_war.index('<section id="figures">')]
    assert "For scale (another war)." in section and "not a prediction" in section
    assert section.count("<svg") == 2 and 'class="claimdays"' in section and 'class="period"' not in section
    assert "the claim's 18 days, to scale" in section
    # As in the terminal, a multiple's range, a money range and a date range are never broken across lines.
    assert re.search(r'<span class="nw">[0-9.,]+× \([0-9.,]+×–[0-9.,]+×\)</span>', section)
    assert '<span class="nw">24 Feb – 8 May 2022</span>' in section
    same_war = report_html(build_report(TWO_WARS, "CB1"), "2026-01-01")
    section = same_war[same_war.index('<section id="record">') : same_war.index('<section id="figures">')]
    assert 'class="period"' in section and "For scale" not in section
    every_means = report_html(build_report(TWO_WARS, "CB3"), "2026-01-01")
    assert '<section id="record">' not in every_means


def test_plot_the_record(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plot needs the plot extra")
    from drone_ledger.errors import PlotError
    from drone_ledger.plots import plot_claim

    path = plot_claim(TWO_WARS, tmp_path / "record.png", "CA1", "record")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(PlotError, match="credits every means"):
        plot_claim(TWO_WARS, tmp_path / "all.png", "CB3", "record")


def test_the_verdict_names_the_system_says_what_is_only_possibly_inside_and_gives_the_figure_without_own_prices(
    ledger,  # type: ignore[no-untyped-def]
) -> None:
    """CB1 ($5.0M, 1-10 Mar 2022): B1 certainly inside, B2 only on or before 19 Mar; B1's T-72B3 priced at the
    median of O1 and the claimant's own O8, without O8 at O1 alone."""
    first = compare_claim(ledger, "CB1").verdict[0]
    with_own = T72B3[1] + MI8  # 7,613,636
    without_own = 2_500_000 + MI8  # 6,863,636
    assert f"{with_own / 5e6:.1%}" == "152.3%" and f"{without_own / 5e6:.1%}" == "137.3%"
    assert first.startswith(
        "The ledger attributes 2 items of Russia's equipment destroyed 1 Mar – 10 Mar 2022 to Bayraktar TB2, "
        "worth $7.6M (2022 USD; $6.4M–$8.4M): 152.3% (127.3%–167.3%) of the $5.0M claimed;"
    )
    assert (
        " Only 1 of the 2 is certainly inside 1 Mar – 10 Mar 2022; the other is dated to a span of days that "
        "overlaps it. That value uses the claimant's own unit values for 1 model, which is circular for this "
        "claim; without them it is $6.9M (2022 USD; $6.4M–$7.4M), 137.3% (127.3%–147.3%) of the claim."
    ) in first
    result = CliRunner().invoke(app, ["summary", "-l", str(TWO_WARS), "--claim", "CB1"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "Attributed to Bayraktar TB2" in result.stdout and "Even crediting Bayraktar TB2 with" in plain(
        result.stdout
    )


def _two_wars_with(tmp_path: Path, table: str, line: str) -> Path:
    """A copy of the fixture with one more row in ``table``."""
    ledger_dir = tmp_path / "two_wars"
    shutil.copytree(TWO_WARS, ledger_dir)
    with (ledger_dir / table).open("a", encoding="utf-8") as rows:
        rows.write(line + "\n")
    return ledger_dir


def test_a_damaged_item_of_another_month_is_not_said_to_be_excluded_for_its_status(tmp_path: Path) -> None:
    """B6, damaged by the TB2 on 15 Apr 2022, is outside CB1's 1-10 Mar: the verdict's "does not count, as the claim
    is about destroyed equipment" names only B4 (on or before 8 May: possibly inside)."""
    ledger_dir = _two_wars_with(
        tmp_path,
        "losses.csv",
        "B6,war-b,Russia,2022-04-15,2022-04-15,15 Apr 2022,Tanks,T-72B3,1,damaged,damaged by TB2,tb2,,medium,item,,,,"
        "Page,https://example.org/b6,,",
    )
    comparison = compare_claim(load_ledger(ledger_dir), "CB1")
    assert "; 1 damaged item attributed to Bayraktar TB2 (medium confidence) does not count" in comparison.verdict[0]
    why = {a.loss_id: a.why_not_counted for a in comparison.scope_attributions}
    assert why["B6"] == "outside the claim's categories, models or period"
    assert why["B4"] == "status 'damaged' is outside the claim's scope (destroyed)"


def test_a_side_s_value_is_said_to_be_that_of_its_costed_items_only() -> None:
    """War B, Russia: 9 tanks of the tally besides B1, and B1-B5 = 14 items; costed B1 and B5 (T-72B3 at
    $2.0M/$3.25M/$4.0M), B2 (the Mi-8) and B3 ($0.5M): central 3.25 + 4.36 + 0.5 + 3.25 = $11.4M; the tally's
    9 tanks and B4 uncosted."""
    central = 2 * T72B3[1] + MI8 + AFV
    low, high = 2 * T72B3[0] + MI8 + AFV, 2 * T72B3[2] + MI8 + AFV
    assert (f"{central / 1e6:.1f}", f"{low / 1e6:.1f}", f"{high / 1e6:.1f}") == ("11.4", "8.9", "12.9")
    for output in ("table", "markdown"):
        result = CliRunner().invoke(
            app, ["summary", "--conflict", "war-b", "-l", str(TWO_WARS), "-f", output], env={"COLUMNS": "200"}
        )
        assert result.exit_code == 0
        assert (
            "Russia: 14 items; the 4 costed are worth $11.4M (2022 USD; $8.9M–$12.9M); the other 10 are uncosted, "
            "not in that figure"
        ) in plain(result.stdout).replace("\\", "")


def test_a_check_s_items_keep_their_whole_dollar_figure_at_80_columns(ledger) -> None:  # type: ignore[no-untyped-def]
    """Loss ids as long as the bundled ones (26 characters) once left the dollar column 5 wide: "$500.0k" read
    "$50". At 80 columns the period joins the "when" cell and every figure is whole."""
    import dataclasses
    import io

    from rich.console import Console

    from drone_ledger.views.record import print_record

    record = documented_record(ledger, "tb2")
    checks = record.claims["war-b"]
    cb1 = next(c for c in checks if c.claim_id == "CB1")
    cb1.matched = [dataclasses.replace(m, loss_id=f"oryx-page-{m.loss_id.lower():0>16}") for m in cb1.matched]
    record.claims = {"war-b": [cb1]}
    console = Console(width=80, record=True, file=io.StringIO())
    print_record(record, console)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    row = next(line for line in text.splitlines() if line.startswith("oryx-page-00000000000000b1"))
    assert "│ 7 Mar 2022 ·" in row and row.endswith("│         $3.2M")
    assert text.split(row)[1].splitlines()[1].endswith("inside           │ ($2.0M–$4.0M)")


def test_a_verdict_on_a_count_of_strikes_gives_no_share() -> None:
    """CB4 counts 800 strikes: the TB2's 4 counted items (B1-B4) are shown for scale, never as a share of it."""
    verdict = compare_claim(load_ledger(TWO_WARS), "CB4").verdict
    assert verdict == [
        "The claim counts 800 strikes, not items lost, so no loss ledger can check it and no share of it is given. "
        "For scale only, the ledger attributes 4 items of Russia's equipment destroyed or damaged in the claim's "
        "period (neither its start nor its end stated) to Bayraktar TB2."
    ]


def test_a_verdict_on_a_claim_without_a_start_places_only_its_last_day_certainly_inside() -> None:
    """CB6 (1 target destroyed, up to 30 Apr 2022, no start): B3 (30 Apr) is certainly inside; B1 (7 Mar) and B2 (on
    or before 19 Mar) may lie before the start the claim does not state."""
    comparison = compare_claim(load_ledger(TWO_WARS), "CB6")
    assert (
        "Only 1 of the 3 is certainly inside the period up to 30 Apr 2022 (its start not stated); the other 2 are "
        "dated to spans of days that may fall before its unstated start."
    ) in comparison.verdict[0]
    assert comparison.verdict[0].startswith(
        "The ledger attributes 3 items of Russia's equipment destroyed in the period up to 30 Apr 2022 (its start not "
        "stated) to Bayraktar TB2: more than the 1 target claimed (no share is given);"
    )


def test_a_count_of_systems_outnumbered_by_vehicles_gets_no_share(tmp_path: Path) -> None:
    """CB8 claims 1 'tank system' in war B: the ceiling holds the 10 tanks of the tally (B1 among them) and B5
    (posted unverified, in no tally) — vehicles, which a count of systems cannot be set against one for one, so no
    1100% is printed."""
    ledger_dir = _two_wars_with(
        tmp_path,
        "claims.csv",
        "CB8,war-b,Officer,Ukraine,2022-06-01,Post,count_destroyed,1,tank systems,point,tb2,the TB2,Russia,Tanks,,"
        "tank systems,,destroyed,,2022-02-24,2022-05-31,,https://example.org/cb8,low,",
    )
    verdict = compare_claim(load_ledger(ledger_dir), "CB8").verdict
    assert (
        "the documented losses reach 11 items, more than the 1 tank system claimed, but the ledger counts a "
        "system's vehicles one by one (no share is given)." in verdict[1]
    )
    assert "%" not in verdict[1]


def test_no_table_shows_a_share_a_count_claim_cannot_have() -> None:
    """In the claims list and a comparison's table: CB4 counts strikes (its ceiling: the tally's 10 tanks, B1 among
    them, and B2-B5: 14 items); CB6's ceiling (the same less B4, damaged: 13 items) is more than its 1 target, not
    1300% of it."""
    result = CliRunner().invoke(app, ["claims", "-l", str(TWO_WARS)], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    after = {line.split(" ·")[0]: lines[i + 1].strip() for i, line in enumerate(lines) if line.startswith("CB")}
    assert after["CB4"] == "ceiling 14 items: strikes, not items"
    assert after["CB6"] == "ceiling 13 items: more than claimed"
    table = CliRunner().invoke(app, ["summary", "-l", str(TWO_WARS), "--claim", "CB6"], env={"COLUMNS": "100"})
    assert "more than claimed" in table.stdout and "1300.0%" not in table.stdout


def test_a_verdict_says_one_item_in_the_singular() -> None:
    """CB5's ceiling: B2, the one helicopter, priced as the Mi-8 from O3 alone."""
    ceiling = compare_claim(load_ledger(TWO_WARS), "CB5").verdict[1]
    assert "— 54% of it 1 helicopter priced as Mi-8 from a single price observation." in ceiling
    assert f"{MI8 / (T72B3[1] + MI8 + AFV):.0%}" == "54%"  # of the ceiling's $8.1M: B2, B3 and B5 (B1 is 7 Mar)


def test_an_all_means_claim_of_a_place_the_ledger_cannot_select_is_not_called_a_floor() -> None:
    """Forbes' Snake Island SAM losses: the ledger sets every documented Russian SAM loss of the period against it."""
    first = compare_claim(load_ledger(), "FORBES-UA-2022-07-01-SNAKE-ISLAND-SAM").verdict[0]
    assert "in a scope wider than the claim's own — every such loss in the war" in first
    assert "not a floor of the claim's own losses, as that scope holds others too." in first
    assert "a floor of the evidence" not in first
