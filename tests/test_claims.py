"""Claim comparison on the mini ledger (hand-checked) and on the bundled ledger.

Mini ledger, claim C1 (Turkish-supplied drones, side A, destroyed, March 2020,
$10,000). T-72 unit value (2020 USD): 110 / 180 / 300.

* attributed: L1 (TB2, 2 items)                        -> 220 / 360 / 600
* other:      L2 (Harop, 1 item, T-72B via family)     -> 110 / 180 / 300
* unattributed: L3 (3 BMP-2, uncosted: EUR price), L4 (whole-war tally of 5
  tanks net of L8 = 4, proxy T-72), L8 (drone of unknown type, 1)
                                                        -> 5 x (110/180/300) = 550 / 900 / 1500
* out of scope: L5 (April), L6 (damaged, unverified), L7 (side B).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUNDLED

from drone_ledger import (
    Assumptions,
    BucketTotal,
    LedgerInvalidError,
    UnknownClaimError,
    ValueRange,
    compare_claim,
    compare_claims,
    load_ledger,
)
from drone_ledger.claims import PERIOD_IN, PERIOD_OUT, PERIOD_POSSIBLY, period_membership
from drone_ledger.ledger import Ledger
from drone_ledger.scopes import membership


def _values(item: BucketTotal | ValueRange | None) -> list[float]:
    """[low, central, high] of a bucket's value or of a share range."""
    assert item is not None
    value = item.value if isinstance(item, BucketTotal) else item
    return [value.low, value.central, value.high]


def test_buckets_for_a_means_specific_claim(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1")
    attributed, other, unattributed = (c.buckets[name] for name in ("attributed", "other", "unattributed"))
    assert (attributed.items, attributed.items_costed) == (2, 2)
    assert _values(attributed) == pytest.approx([220, 360, 600])
    assert _values(attributed.share_of_claim) == pytest.approx([0.022, 0.036, 0.06])
    assert (other.items, _values(other)) == (1, pytest.approx([110, 180, 300]))
    assert (unattributed.items, unattributed.items_costed, unattributed.items_uncosted) == (8, 5, 3)
    assert unattributed.items_possibly_in_period == 4  # the whole-war tally L4
    assert _values(unattributed) == pytest.approx([550, 900, 1500])
    assert c.loss_ids == {"attributed": ["L1"], "other": ["L2"], "unattributed": ["L3", "L4", "L8"]}


def test_the_unattributed_bucket_shows_its_parts(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1")
    # L3 (3) and L4 (4) have no attribution; L8 (1) is a drone of unknown type: too vague for Turkish drones.
    parts = {name: (part.items, part.value.central) for name, part in c.unattributed_parts.items()}
    assert parts == {"none": (7, pytest.approx(720)), "vague": (1, pytest.approx(180))}
    strict = compare_claim(mini_ledger, "C1", Assumptions(attributed_confidences=("medium",)))
    assert strict.unattributed_parts["not-accepted"].items == 2  # L1, TB2 at high confidence, is not accepted
    assert [(g.bucket, g.part, g.system, g.confidence, g.total.items) for g in c.by_attribution] == [
        ("attributed", None, "tb2", "high", 2),
        ("other", None, "harop", "medium", 1),
        ("unattributed", "none", "unattributed", None, 7),
        ("unattributed", "vague", "drone-unknown", "medium", 1),
    ]


def test_groups_add_up_to_the_buckets_they_stand_beside(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1")
    for name, bucket in c.buckets.items():
        groups = [g.total for g in c.by_attribution if g.bucket == name]
        assert sum(g.items for g in groups) == bucket.items
        assert sum(g.value.central for g in groups) == pytest.approx(bucket.value.central)
    parts = c.unattributed_parts.values()
    assert sum(p.items for p in parts) == c.buckets["unattributed"].items


def test_documented_and_ceiling_for_a_means_specific_claim(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1")
    assert (c.documented.items, _values(c.documented)) == (2, pytest.approx([220, 360, 600]))
    assert (c.ceiling.items, _values(c.ceiling)) == (10, pytest.approx([770, 1260, 2100]))
    assert _values(c.ceiling.share_of_claim) == pytest.approx([0.077, 0.126, 0.21])
    # Inside March 2020 for certain: L1, L3, L8 (the whole-war tally L4 may lie outside it).
    inside = c.ceiling.inside_period
    assert inside is not None and (inside.items, inside.items_costed) == (6, 3)
    assert _values(inside) == pytest.approx([330, 540, 900])


def test_all_means_claim_counts_every_loss_in_scope(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C2")  # all means, A, destroyed or captured, all of 2020
    # L1 2 + L2 1 + L3 3 + L4 4 + L5 1 + L8 1 = 12 items; 9 costed at 110/180/300.
    assert (c.documented.items, c.documented.items_costed, c.documented.items_uncosted) == (12, 9, 3)
    assert _values(c.documented) == pytest.approx([990, 1620, 2700])
    assert c.documented.items_possibly_in_period == 0  # the whole war lies inside 2020
    assert (c.ceiling.items, c.ceiling.value) == (c.documented.items, c.documented.value)
    assert c.verdict == [
        "Certainly inside 1 Jan – 31 Dec 2020, documented losses in the claim's scope (12 items, 3 uncosted) are "
        "worth $1.6k (2020 USD; $990–$2.7k): 32.4% (19.8%–54.0%) of the $5.0k claimed, a floor of the evidence "
        "for the period."
    ]


def test_count_claim_compares_items(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C3")  # 10 tanks destroyed, all means, all of 2020: the whole war lies inside it
    assert c.measure == "count"
    assert c.documented.items == 9  # L1 2, L2 1, L4 4, L5 1, L8 1
    assert _values(c.documented.share_of_claim) == pytest.approx([0.9, 0.9, 0.9])
    assert c.verdict == [
        "Certainly inside 1 Jan – 31 Dec 2020, the ledger documents 9 of the 10 tanks claimed (90.0%): a floor, as "
        "only documented losses are counted."
    ]


def test_count_claim_without_coverage_says_so(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C4")
    assert c.documented.items == 0
    assert c.coverage.no_documented_counts == ["Surface-To-Air Missile Systems"]
    assert "can neither support nor contradict the claim of 4 S-300" in c.conclusion


def test_a_whole_war_tally_is_never_called_a_floor_for_a_shorter_period(mini: Path) -> None:
    """C3 narrowed to March: the whole-war tally L4 (4 tanks) may fall outside it, so it is no floor for it."""
    claims = (
        (mini / "claims.csv")
        .read_text()
        .replace("tanks,destroyed,2020-01-01,2020-12-31", "tanks,destroyed,2020-03-01,2020-03-31")
    )
    (mini / "claims.csv").write_text(claims)
    c = compare_claim(mini, "C3")
    assert c.documented.inside_period is not None and c.documented.inside_period.items == 4  # L1 2, L2 1, L8 1
    assert c.verdict == [
        "Certainly inside 1 Mar – 31 Mar 2020, the ledger documents 4 of the 10 tanks claimed (40.0%): a floor, "
        "as only documented losses are counted.",
        "The other 4 items are in whole-war tallies that run past 31 Mar 2020: they may fall inside the period or "
        "after it, so for the period they are neither a floor (some may be later) nor a ceiling (only documented "
        "losses are counted); if every one fell inside, the total would be 8 (80.0%).",
    ]
    assert "floor" not in c.verdict[1].split(":")[0]


def test_a_claim_with_no_stated_end_places_nothing_inside(mini: Path) -> None:
    claims = (
        (mini / "claims.csv")
        .read_text()
        .replace("tanks,destroyed,2020-01-01,2020-12-31", "tanks,destroyed,2020-01-01,")
    )
    (mini / "claims.csv").write_text(claims)
    c = compare_claim(mini, "C3")
    assert c.documented.items == 9 and c.documented.items_possibly_in_period == 9
    assert (
        c.verdict[0]
        == "No documented loss of A's tanks destroyed in the period from 1 Jan 2020 (its end not stated) is "
        "certainly inside the period."
    )
    assert "neither a floor nor a ceiling" in c.verdict[1]


def test_every_attribution_to_the_means_is_listed_with_why(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1")
    rows = {a.loss_id: a for a in c.scope_attributions}
    assert set(rows) == {"L1", "L5", "L6"}  # L7 is the other side's loss
    assert rows["L1"].counted is True
    assert rows["L5"].why_not_counted == "outside the claim's categories, models or period"
    assert rows["L6"].why_not_counted == "status 'damaged' is outside the claim's scope (destroyed)"


def test_unverified_attribution_counts_only_when_asked(mini: Path) -> None:
    claims = (mini / "claims.csv").read_text().replace(",destroyed,2020-03-01,", ",destroyed|damaged,2020-03-01,")
    (mini / "claims.csv").write_text(claims)
    default = compare_claim(mini, "C1")
    assert default.buckets["attributed"].items == 2
    assert {a.loss_id: a.why_not_counted for a in default.scope_attributions}["L6"] == (
        "confidence 'unverified' is not counted as attributed"
    )
    lenient = compare_claim(mini, "C1", Assumptions(attributed_confidences=("high", "medium", "low", "unverified")))
    assert lenient.buckets["attributed"].items == 3


def test_coarse_dates_can_be_excluded(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1", Assumptions(include_possibly_in_period=False))
    assert c.buckets["unattributed"].items == 4  # L3 3 + L8 1; the whole-war tally is left out
    assert "L4" not in c.loss_ids["unattributed"]


def test_a_share_does_not_move_with_the_dollar_year(mini_ledger: Ledger) -> None:
    c2020 = compare_claim(mini_ledger, "C1")
    c2019 = compare_claim(mini_ledger, "C1", Assumptions(dollar_year=2019))
    assert c2019.ceiling.share_of_claim == c2020.ceiling.share_of_claim  # exactly
    # Values are shown in 2019 dollars (CPI 100 against 110), and the claim's amount with them.
    assert _values(c2019.ceiling) == pytest.approx([v * 100 / 110 for v in _values(c2020.ceiling)])
    assert c2019.amount_in_dollar_year == pytest.approx(10_000 * 100 / 110)
    assert any("Shares are the same in any dollar year" in line for line in c2019.caveats)


def test_break_even_says_what_the_uncosted_items_would_have_to_be_worth(mini_ledger: Ledger) -> None:
    c = compare_claim(mini_ledger, "C1")  # $10,000 claimed; ceiling 770/1,260/2,100 costed, 3 items uncosted (L3)
    be = c.break_even
    assert be is not None and not be.reached and be.uncosted_items == 3
    assert be.remainder_usd is not None and _values(be.remainder_usd) == pytest.approx([7900, 8740, 9230])
    assert be.per_uncosted_item_usd is not None
    assert _values(be.per_uncosted_item_usd) == pytest.approx([7900 / 3, 8740 / 3, 9230 / 3])
    assert be.uncounted_categories == c.coverage.no_documented_counts


WAR = pd.DataFrame({"conflict_id": ["w"], "start_date": ["2020-09-27"], "end_date": ["2020-11-10"]})
INTERVALS = pd.DataFrame(  # (earliest, latest): a day; "late Sep"; October; the whole war; after; on or before 5 Oct
    {
        "conflict": ["w"] * 7,
        "date_earliest": ["2020-09-30", "2020-09-27", "2020-10-01", None, "2020-12-01", None, "2020-10-15"],
        "date_latest": ["2020-09-30", "2020-09-30", "2020-10-31", None, "2020-12-01", "2020-10-05", "2020-10-20"],
    }
)


def test_a_loss_is_inside_outside_or_possibly_inside_a_period() -> None:
    result = period_membership(INTERVALS, WAR, dt.date(2020, 9, 27), dt.date(2020, 10, 14))
    # Empty bounds are the war's start (27 Sep) and end (10 Nov): "on or before 5 Oct" lies inside 27 Sep-14 Oct.
    assert result.tolist() == [
        PERIOD_IN,  # 30 Sep
        PERIOD_IN,  # 27-30 Sep
        PERIOD_POSSIBLY,  # October runs past the 14th
        PERIOD_POSSIBLY,  # the whole war
        PERIOD_OUT,  # 1 Dec
        PERIOD_IN,  # on or before 5 Oct (so from 27 Sep)
        PERIOD_OUT,  # 15-20 Oct
    ]


def test_a_period_with_no_known_end_places_nothing_inside() -> None:
    result = period_membership(INTERVALS, WAR, dt.date(2020, 10, 1), None)
    # Only what ends before the start is certainly outside; everything else may be inside an open period.
    assert result.tolist() == [PERIOD_OUT, PERIOD_OUT, *[PERIOD_POSSIBLY] * 5]


def test_an_ongoing_war_leaves_whole_war_losses_open() -> None:
    ongoing = WAR.assign(end_date=[None])
    result = period_membership(INTERVALS.iloc[[3]], ongoing, dt.date(2020, 9, 27), dt.date(2030, 1, 1))
    assert result.tolist() == [PERIOD_POSSIBLY]  # the war has no end yet, so its tally may run past the period


def test_unknown_claim(mini_ledger: Ledger) -> None:
    with pytest.raises(UnknownClaimError, match="no claim 'NOPE' in claims.csv"):
        compare_claim(mini_ledger, "NOPE")
    with pytest.raises(UnknownClaimError, match=r"no claim 'C11' in claims.csv \(did you mean C1\?\)"):
        compare_claim(mini_ledger, "C11")


def test_claim_ids_match_in_any_case(mini_ledger: Ledger) -> None:
    assert compare_claim(mini_ledger, "c1").claim["claim_id"] == "C1"


def test_invalid_ledger_is_refused(with_defect: object) -> None:
    ledger = with_defect("losses_negative_quantity.csv")  # type: ignore[operator]
    with pytest.raises(LedgerInvalidError, match=r"has 1 error\(s\) \(first: .*losses.csv:3 \[quantity\]"):
        compare_claim(ledger, "C1")


def test_claims_overview_covers_every_claim(mini_ledger: Ledger) -> None:
    overview = compare_claims(mini_ledger)
    assert [c.claim["claim_id"] for c in overview.rows] == ["C1", "C2", "C3", "C4"]
    assert overview.to_dict()["claims"][1]["documented"]["value_usd"] == {
        "low": 990.0,
        "central": 1620.0,
        "high": 2700.0,
    }


# --- the bundled ledger -------------------------------------------------------------------------------------------

CPI_2020 = 258.811
#: The T-72 direct observations in data/unit_costs.csv, as (low, high, price year, CPI of that year).
T72_DIRECT = [
    (1_600_000, 1_600_000, 2016, 240.007),  # P03
    (500_000, 500_000, 2011, 224.939),  # P04
]  # P41 (the Armenian T-72 upgrade, $1.19M a tank) is a floor_reference since the sources were corrected;
#   P02 ($0.5M in 2011, Wikipedia's infobox) restates P04 (same_observation_as): counted once, as P04;
#   P01 ($0.5-1.2M in 1994-96) is an upper_reference by the ageing rule, as P22: 25 years carried by CPI
T72_P01 = (500_000, 1_200_000, 1995, 152.4)


def test_france24_headline_on_the_bundled_ledger() -> None:
    factor = [CPI_2020 / cpi for *_, cpi in T72_DIRECT]
    low = min(lo * f for (lo, _, _, _), f in zip(T72_DIRECT, factor, strict=True))
    high = max(hi * f for (_, hi, _, _), f in zip(T72_DIRECT, factor, strict=True))
    midpoints = sorted((lo + hi) / 2 * f for (lo, hi, _, _), f in zip(T72_DIRECT, factor, strict=True))
    central = (midpoints[0] + midpoints[1]) / 2  # the median of two: their mean
    # By hand: P03 1.6M x 258.811/240.007 = $1,725,356, P04 0.5M x 258.811/224.939 = $575,292; their mean
    # (the median of two) $1,150,324.
    assert (low, central, high) == pytest.approx((575_292, 1_150_324, 1_725_356), abs=1)
    c = compare_claim(None, "AZ-2020-10-14-F24")
    assert c.dollar_year == 2020
    assert c.buckets["attributed"].items == 0
    # Ceiling: 146 destroyed Armenian tanks (142 in the Oryx tally net of the 4 T-72s credited to loitering
    # munitions of unknown type) + 25 AFVs + 331 trucks + 1 BMP + 1 2S3 + 13 SAMs; only the tanks are costed.
    assert (c.ceiling.items, c.ceiling.items_costed, c.ceiling.items_uncosted) == (517, 146, 371)
    assert _values(c.ceiling) == pytest.approx([146 * low, 146 * central, 146 * high], rel=1e-9)
    assert _values(c.ceiling) == pytest.approx([83.99e6, 167.95e6, 251.90e6], rel=1e-3)  # $84.0M-$167.9M-$251.9M
    assert c.buckets["other"].items == 1  # the bus struck by an IAI Harop
    tb2 = [a for a in c.scope_attributions if a.system == "bayraktar-tb2"]
    assert [(a.confidence, a.status, a.counted, a.system_name) for a in tb2] == [
        ("unverified", "damaged", False, "Bayraktar TB2")
    ]
    assert c.coverage.counted == ["Tanks", "Armoured Fighting Vehicles", "Trucks, Vehicles and Jeeps"]
    # Certainly inside 27 Sep - 14 Oct: the reports of the war's first days (R01 4 T-72s, R02, R03, R04); the
    # rest of the ceiling, and all but R01's tanks of its value, is in whole-war tallies running to 10 Nov.
    inside = c.ceiling.inside_period
    assert inside is not None and (inside.items, inside.items_costed) == (19, 4)
    assert _values(inside) == pytest.approx([4 * low, 4 * central, 4 * high], rel=1e-9)
    assert c.verdict[2] == (
        "Of it, only 19 items lie certainly inside 27 Sep – 14 Oct 2020 (4 of them costed, worth $4.6M (2020 USD; "
        "$2.3M–$6.9M)); the other 498 items are in whole-war tallies that run past 14 Oct 2020: they may fall "
        "inside the period or after it, so for the period they are neither a floor (some may be later) nor a "
        "ceiling (only documented losses are counted)."
    )


def test_the_france24_verdict_reads_as_plain_words() -> None:
    """Systems by name, the claim's scope said concretely, no "them" without a noun, the ceiling said once."""
    c = compare_claim(None, "AZ-2020-10-14-F24")
    first, ceiling, _ = c.verdict
    assert first == (
        "The ledger attributes none of Armenia's equipment destroyed 27 Sep – 14 Oct 2020 to Turkish-supplied drones "
        "(Bayraktar TB2, STM Kargu), so none of the $1.0bn claimed is supported by attributed evidence; 1 damaged "
        "item attributed to Bayraktar TB2 (unverified confidence) does not count, as the claim is about destroyed "
        "equipment only."
    )
    assert "bayraktar-tb2" not in c.conclusion and "crediting them" not in c.conclusion
    assert ceiling.startswith("Even crediting Turkish-supplied drones with every one of Armenia's losses")
    assert ceiling.count("ceiling of the current evidence") == 1 and c.conclusion.count("ceiling of the") == 1
    # The one clause on what the central value rests on: 146 tanks at the median of P03 and P04; with either left
    # out the central is 146 x $0.5753M = $84.0M or 146 x $1.7254M = $251.9M.
    assert (
        "— all of it 146 tanks priced as T-72 at the median of 2 price observations; leaving either out moves the "
        "$167.9M to $84.0M or $251.9M." in ceiling
    )
    assert not any("real losses are at least as large" in line for line in c.caveats)


def test_the_ageing_rule_s_alternative_measured() -> None:
    """P01 read as direct again (no ageing rule): the median of three midpoints, P01's $1,443,500, moves the
    France 24 ceiling's central to 146 x $1,443,500 = $210.8M; the rule's figure is $167.9M."""
    ledger = load_ledger()
    costs = ledger["unit_costs"].copy()
    costs.loc[costs["obs_id"].eq("P01"), "applicability"] = "direct"
    frames = {name: ledger[name] for name in ledger.tables}
    frames["unit_costs"] = costs
    from drone_ledger import ledger_from_frames

    without_rule = compare_claim(ledger_from_frames(frames), "AZ-2020-10-14-F24")
    lo, hi, _, cpi = T72_P01
    p01 = (lo + hi) / 2 * CPI_2020 / cpi
    assert p01 == pytest.approx(1_443_500, abs=1)  # 850,000 x 258.811 / 152.4
    assert without_rule.ceiling.value.central == pytest.approx(146 * p01, rel=1e-9)


def test_bundled_claims_are_all_compared() -> None:
    overview = compare_claims()
    ledger = load_ledger()
    assert len(overview.rows) == len(ledger["claims"]) == 34 + 22  # the 2020 war's, then the 2022 war's


def test_conclusion_gives_one_clause_per_kind_of_excluded_attribution(mini: Path) -> None:
    """Three damaged TB2 losses (L6 and two copies) make one clause of 3 items, not three clauses."""
    path = mini / "losses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    l6 = next(line for line in lines if line.startswith("L6,"))
    path.write_text("\n".join([*lines, l6.replace("L6,", "L6b,"), l6.replace("L6,", "L6c,")]) + "\n", "utf-8")
    c = compare_claim(mini, "C1")
    assert c.conclusion.count("attributed to Bayraktar TB2 (unverified confidence)") == 1
    assert (
        "; 3 damaged items attributed to Bayraktar TB2 (unverified confidence) do not count, as the claim is about "
        "destroyed equipment only" in c.conclusion
    )
    assert [a.loss_id for a in c.scope_attributions if a.status == "damaged"] == ["L6", "L6b", "L6c"]


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("bayraktar-tb2", "yes"),  # a strike UAV is an armed drone
        ("stm-kargu", "unknown"),  # a loitering munition may or may not be what a claimant calls an armed drone
        ("drone-unknown", "unknown"),  # a drone strike of unknown type
        ("artillery", "no"),
        ("unattributed", "unknown"),
    ],
)
def test_armed_drones_of_unnamed_type_are_not_read_as_the_tb2(system: str, expected: str) -> None:
    systems = load_ledger()["systems"].set_index("system_id", drop=False)
    assert membership("armed-drones", systems.loc[system]) == expected
    # and the bundled Yeni Safak claim (armed drones, type not named) is scoped to that group, not to the TB2
    claim = load_ledger()["claims"].set_index("claim_id").loc["PRESS-2020-10-YENISAFAK-SIHA-S300"]
    assert claim["scope_systems"] == "armed-drones"
    assert pd.isna(claim["claim_date"]) and pd.isna(claim["period_end"])  # the source gives neither: left empty


# --- the loss ids a comparison's JSON lists --------------------------------------------------------------------------


def test_a_large_comparison_lists_a_bounded_number_of_loss_ids(tmp_path: Path) -> None:
    """JSON lists the first LOSS_IDS_LISTED ids of each bucket and says where the rest are; the API keeps all."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import synthetic_ledger

    from drone_ledger.results.claims import LOSS_IDS_LISTED

    ledger = synthetic_ledger(tmp_path / "ledger", 3000)
    c = compare_claim(ledger, "AZ-POSTWAR-CAERC")
    data = c.to_dict()
    assert max(len(ids) for ids in c.loss_ids.values()) > LOSS_IDS_LISTED, "the ledger must be large enough"
    assert c.buckets["unattributed"].items >= len(c.loss_ids["unattributed"])
    for bucket, ids in c.loss_ids.items():
        assert ids == sorted(ids)
        assert data["loss_ids"][bucket] == ids[:LOSS_IDS_LISTED]
    cut = data["loss_ids_cut"]
    assert cut["listed_per_bucket"] == LOSS_IDS_LISTED
    assert cut["loss_ids_per_bucket"] == {bucket: len(ids) for bucket, ids in c.loss_ids.items()}
    assert "drone-ledger trace --claim AZ-POSTWAR-CAERC --bucket" in cut["note"]
    rest = {k: v for k, v in data.items() if k not in ("loss_ids", "loss_ids_cut")}
    full = {k: v for k, v in compare_claim(ledger, "AZ-POSTWAR-CAERC").to_dict().items() if k in rest}
    assert rest == full
    assert list(data)[list(data).index("loss_ids") + 1] == "loss_ids_cut"


def test_a_small_comparison_lists_every_loss_id(mini: Path) -> None:
    c = compare_claim(mini, "C2")
    data = c.to_dict()
    assert "loss_ids_cut" not in data
    assert data["loss_ids"] == c.loss_ids and sum(map(len, c.loss_ids.values())) > 0


def test_coverage_lists_a_category_outside_oryx_2020_s_list_where_the_ledger_documents_it(tmp_path: Path) -> None:
    """A loss in one of Oryx's later categories (here a radar) counts in the claim's coverage; categories the 2020
    list does not have are never listed as lacking counts where nothing is recorded."""
    ledger = tmp_path / "ledger"
    shutil.copytree(BUNDLED, ledger)
    before = compare_claim(ledger, "AZ-2020-10-14-F24").coverage
    with (ledger / "losses.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(
            "report-radar,karabakh-2020,Armenia,2020-10-01,2020-10-01,1 Oct 2020,Radars,,1,destroyed,destroyed,"
            "unattributed,,,item,,,,A test,https://example.org/radar,\n"
        )
    after = compare_claim(ledger, "AZ-2020-10-14-F24").coverage
    assert "Radars" not in before.reports_only + before.counted + before.no_documented_counts
    assert after.reports_only == [*before.reports_only, "Radars"]
    assert after.no_documented_counts == before.no_documented_counts
    assert after.counted == before.counted


# --- issue 19: routes, readings, floors, the war's categories --------------------------------------------------------


def _with_war_list(mini: Path, categories: list[str]) -> None:
    rows = [f"war-x,{c},test,,https://example.org/k" for c in categories]
    (mini / "categories.csv").write_text("conflict,category,basis,may_include,source_urls\n" + "\n".join(rows) + "\n")


def test_break_even_names_every_route_apart(mini: Path) -> None:
    """C1 ($10,000, Turkish drones, A's losses destroyed in March 2020) against a ceiling of 770/1260/2100."""
    claims = mini / "claims.csv"
    claims.write_text(
        claims.read_text()
        + "C5,war-x,Someone,B,2020-03-31,TV,count_destroyed,15,tanks,point,all,all means,A,Tanks,,tanks,destroyed,"
        "2020-03-01,2020-03-31,,https://example.org/c5,high,\n"
    )
    _with_war_list(mini, ["Tanks", "Infantry Fighting Vehicles", "Self-Propelled Artillery"])
    c = compare_claim(mini, "C1")
    be = c.break_even
    assert be is not None and be.remainder_usd is not None
    assert _values(be.remainder_usd) == pytest.approx([10_000 - 2100, 10_000 - 1260, 10_000 - 770])
    # Route 1: the claimant side's own count (C5: 15 tanks destroyed in March) is 8 above the 7 tanks in the
    # ceiling (L1 2, L4 4 net of L8, L8 1), priced at the T-72 proxy (110/180/300): 880/1440/2400.
    [route] = be.unconfirmed
    assert (route.claim_id, route.category, route.documented, route.unconfirmed) == ("C5", "Tanks", 7, 8)
    assert _values(route.value_usd) == pytest.approx([880, 1440, 2400])
    # Route 2: the ceiling's uncosted items by category: L3's 3 BMP-2 (a EUR price), each 8,740 / 3 alone.
    assert [(g.category, g.items) for g in be.uncosted_by_category] == [("Infantry Fighting Vehicles", 3)]
    assert be.uncosted_by_category[0].per_item_usd is not None
    assert be.uncosted_by_category[0].per_item_usd.central == pytest.approx(8740 / 3)
    # Route 3: the war's own list has self-propelled artillery, which nothing documents.
    assert be.uncounted_categories == ["Self-Propelled Artillery"]
    routes = [line for line in c.caveats if line.startswith("Route")]
    assert routes == [
        "Route 1, losses no tally confirmed in a category it counts: Someone's own count of 15 tanks destroyed by "
        "31 Mar 2020 (C5) is 8 above the 7 the ledger documents; priced as T-72, they would add $1.4k (2020 USD; "
        "$880–$2.4k).",
        "Route 2, the 3 uncosted items, if one group alone made up the rest: Infantry Fighting Vehicles: 3 at "
        "$2.9k each (central, 2020 USD).",
        "Route 3, the 1 category with no documented counts, which the ledger cannot size: Self-Propelled Artillery.",
    ]


def test_a_claim_that_includes_ammunition_says_that_part_is_never_in_a_loss_ledger() -> None:
    c = compare_claim(None, "AZ-2020-10-31-ARD")
    assert c.break_even is not None and c.break_even.unrecordable == (
        "the claim includes ammunition, which no loss ledger records"
    )
    assert (
        "Part of the claim can never be documented in a loss ledger: the claim includes ammunition, which no loss "
        "ledger records." in c.caveats
    )
    # Its routes through Aliyev's own counts: 241 tanks destroyed by 20 Oct (within 31 Oct) against the 146
    # destroyed tanks documented; the 39 captured are fewer than the 103 captured documented, so add nothing.
    assert [(r.claim_id, r.documented, r.unconfirmed) for r in c.break_even.unconfirmed] == [
        ("AZ-2020-10-20-ADDRESS-TANKS-DESTROYED", 146, 95)
    ]


def test_the_ifv_claim_is_read_as_ifvs_and_widely_both_shown() -> None:
    """The sources cannot tell whether Oryx's 2020 AFV tally holds IFVs: strictly, 1 documented IFV (R02) and no
    tally; widely, the 25 destroyed AFVs plus R02 = 26 of 50, R02 possibly counted twice."""
    c = compare_claim(None, "AZ-2020-10-20-ADDRESS-INFANTRY_FIGHTING_VEHICLES-DESTROYED")
    assert (c.documented.items, c.coverage.reports_only, c.coverage.counted) == (
        1,
        ["Infantry Fighting Vehicles"],
        [],
    )
    wide = c.wide_reading
    assert wide is not None and wide.added == ["Armoured Fighting Vehicles"]
    assert (wide.figure.items, wide.possibly_counted_twice, wide.figure.items_possibly_in_period) == (26, 1, 25)
    assert c.verdict[1] == (
        "Read widely — if the Armoured Fighting Vehicles tally includes Infantry Fighting Vehicles, which the "
        "sources do not say — the ledger documents 26 items (52.0% of the claim), 1 of them possibly counted twice; "
        "but that tally also holds other kinds of equipment and 25 of its items may fall outside 27 Sep – 20 Oct "
        "2020, so read so the figure is neither a floor nor a ceiling of the infantry fighting vehicles claimed."
    )
    f24 = compare_claim(None)
    assert [(d.loss_ids, d.category, d.items, d.tally_category) for d in f24.possibly_counted_twice] == [
        (["report-r02"], "Infantry Fighting Vehicles", 1, "Armoured Fighting Vehicles")
    ]


def test_a_floor_matches_the_category_the_claim_names() -> None:
    """The one item certainly inside 27 Sep - 20 Oct in Oryx's trucks category is R05's bus: no floor of trucks."""
    c = compare_claim(None, "AZ-2020-10-20-ADDRESS-TRUCKS-DESTROYED")
    assert c.documented.inside_period is not None and c.documented.inside_period.items == 1
    assert c.inside_models == ["bus"]
    assert c.verdict[0] == (
        "Certainly inside 27 Sep – 20 Oct 2020, the ledger documents 1 item in Trucks, Vehicles and Jeeps (bus), a "
        "category wider than the trucks claimed: not a floor of them, as it also holds other kinds."
    )
    tanks = compare_claim(None, "AZ-2020-10-20-ADDRESS-TANKS-DESTROYED")  # exact: the 4 T-72s of R01 are a floor
    assert tanks.verdict[0].endswith(
        "documents 4 of the 241 tanks claimed (1.7%): a floor, as only documented losses are counted."
    )


def test_coverage_is_judged_against_the_war_s_own_categories(mini: Path) -> None:
    f24 = compare_claim(None)
    assert f24.coverage.listed and f24.coverage.no_documented_counts == [
        "Armoured Personnel Carriers",
        "Towed Artillery",
        "Multiple Rocket Launchers",
        "Anti-Aircraft Guns",
        "Self-Propelled Anti-Aircraft Guns",
        "Radars And Communications Equipment",
        "Aircraft",
        "Helicopters",
        "Unmanned Aerial Vehicles",
    ]  # no naval ships for landlocked Armenia, no MRAPs, no mobility vehicles: 2022 headings, not 2020's
    no_list = compare_claim(mini, "C2")  # the mini ledger has no categories.csv
    assert not no_list.coverage.listed and no_list.coverage.no_documented_counts == []
    assert (
        "The ledger has no category list for this war (categories.csv), so no category can be named as lacking "
        "documented counts." in no_list.caveats
    )
    _with_war_list(mini, ["Tanks", "Infantry Fighting Vehicles", "Naval Ships"])
    listed = compare_claim(mini, "C2")
    assert listed.coverage.no_documented_counts == ["Naval Ships"]


def test_routes_of_one_category_never_overlap(mini: Path) -> None:
    """Against C2 (all means, destroyed or captured, 2020): the ledger documents 9 tanks (L1 2, L2 1, L4 4, L5 1,
    L8 1). C3 claims 10 destroyed and C5 15 destroyed (the larger is taken: 6 more); C6 claims 20 destroyed or
    captured (11 more), which holds the destroyed ones: only C6 is shown, so the routes can be added up."""
    claims = mini / "claims.csv"
    row = "war-x,Someone,B,2020-12-31,TV,{metric},{n},tanks,point,all,all means,A,Tanks,,tanks,{statuses},2020-0{m}-01,"
    claims.write_text(
        claims.read_text()
        + "C5,"
        + row.format(metric="count_destroyed", n=15, statuses="destroyed", m=3)
        + "2020-03-31,,https://example.org/c5,high,\n"
        + "C6,"
        + row.format(metric="count_destroyed_or_captured", n=20, statuses="destroyed|captured", m=1)
        + "2020-12-31,,https://example.org/c6,high,\n"
    )
    be = compare_claim(mini, "C2").break_even
    assert be is not None
    assert [(r.claim_id, r.documented, r.unconfirmed) for r in be.unconfirmed] == [("C6", 9, 11)]
