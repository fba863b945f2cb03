"""The JSON every command prints keeps its contract: the keys each object has, and the type of each value.

This replaces a comparison with JSON copied from an earlier run of the tool (an expected output taken from the
code under test, which could only say "something changed"). The contracts below are written from the result
types' documented ``to_dict``; a renamed, missing or extra key, or a value of another type, fails here with the
path to it. The values themselves are pinned by hand-computed tests elsewhere (tests/test_claims.py,
test_analysis.py, test_cli.py …), and ``--format json`` equals the Python API's ``to_dict()`` (test_cli.py).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, TESTS
from typer.testing import CliRunner

from drone_ledger.cli import app

IMPORTS = TESTS / "fixtures" / "imports"


# --- a small contract language -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Maybe:
    """The value, or null."""

    spec: Any


@dataclass(frozen=True)
class ListOf:
    """A list whose every item meets ``spec``."""

    spec: Any


@dataclass(frozen=True)
class MapOf:
    """An object with any keys (ids, names), whose every value meets ``spec``."""

    spec: Any


@dataclass(frozen=True)
class Sometimes:
    """A key an object has only when there is something to say (``on_shared_credit``): absent, or ``spec``."""

    spec: Any


NUMBER = "number"  # an int or a float (JSON does not tell 2.0 from 2), never a bool


def check(value: Any, spec: Any, path: str = "$") -> list[str]:
    """Where ``value`` breaks ``spec``: a type, NUMBER, a dict of exact keys (a Sometimes key may be absent),
    Maybe, ListOf or MapOf."""
    if isinstance(spec, Sometimes):
        return check(value, spec.spec, path)
    if isinstance(spec, Maybe):
        return [] if value is None else check(value, spec.spec, path)
    if isinstance(spec, ListOf):
        if not isinstance(value, list):
            return [f"{path}: a list expected, got {type(value).__name__}"]
        return [problem for i, item in enumerate(value) for problem in check(item, spec.spec, f"{path}[{i}]")]
    if isinstance(spec, MapOf):
        if not isinstance(value, dict):
            return [f"{path}: an object expected, got {type(value).__name__}"]
        return [problem for key, item in value.items() for problem in check(item, spec.spec, f"{path}.{key}")]
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return [f"{path}: an object expected, got {type(value).__name__}"]
        problems = [
            f"{path}: key {key!r} missing" for key in spec if key not in value and not isinstance(spec[key], Sometimes)
        ]
        problems += [f"{path}: key {key!r} not in the contract" for key in value if key not in spec]
        return problems + [p for key in spec if key in value for p in check(value[key], spec[key], f"{path}.{key}")]
    if spec == NUMBER:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{path}: a number expected, got {value!r}"]
    if isinstance(value, bool) and spec is not bool:
        return [f"{path}: {spec.__name__} expected, got a bool"]
    return [] if isinstance(value, spec) else [f"{path}: {spec.__name__} expected, got {type(value).__name__}"]


def test_the_contract_language_finds_what_changed() -> None:
    spec = {"a": int, "b": Maybe(ListOf({"c": str})), "d": MapOf(NUMBER)}
    assert check({"a": 1, "b": None, "d": {"x": 1.5}}, spec) == []
    assert check({"a": 1, "b": [{"c": 2}], "d": {}, "e": 0}, spec) == [
        "$: key 'e' not in the contract",
        "$.b[0].c: str expected, got int",
    ]
    assert check({"b": [], "d": {"x": True}}, spec) == ["$: key 'a' missing", "$.d.x: a number expected, got True"]
    sometimes = {"a": int, "s": Sometimes({"c": str})}
    assert check({"a": 1}, sometimes) == [] and check({"a": 1, "s": {"c": "x"}}, sometimes) == []
    assert check({"a": 1, "s": {"c": 2}}, sometimes) == ["$.s.c: str expected, got int"]


# --- the contracts -------------------------------------------------------------------------------------------------

RANGE = {"low": NUMBER, "central": NUMBER, "high": NUMBER}
ASSUMPTIONS = {
    "dollar_year": Maybe(int),
    "applicability": ListOf(str),
    "damaged_weight": NUMBER,
    "attributed_confidences": ListOf(str),
    "include_possibly_in_period": bool,
    "other_confidences": ListOf(str),
    "price_extreme": Maybe(str),
    "central": str,
}
_TOTAL = {
    "name": str,
    "items": int,
    "items_costed": int,
    "items_uncosted": int,
    "items_possibly_in_period": int,
    "value_usd": RANGE,
    "share_of_claim": Maybe(RANGE),
}
INSIDE = {k: v for k, v in _TOTAL.items() if k not in ("name", "items_possibly_in_period")}
SHARED = Sometimes(INSIDE)  # the part of a total that rests on credit shared with other systems, when there is one
TOTAL = {**_TOTAL, "inside_period": INSIDE, "on_shared_credit": SHARED}  # a claim's figure, with its parts
PLAIN_TOTAL = {**_TOTAL, "on_shared_credit": SHARED}  # a group with no period
ISSUE = {
    "table": str,
    "file": str,
    "line": Maybe(int),
    "column": Maybe(str),
    "code": str,
    "value": Maybe(str),
    "message": str,
    "severity": str,
}
CLAIM_RECORD = MapOf(Maybe((str, int, float)))
PRICE_BASIS = {
    "cost_key": str,
    "items": int,
    "categories": ListOf(str),
    "value_usd": RANGE,
    "share_of_figure": NUMBER,
    "unit_usd": RANGE,
    "method": str,
    "observations": ListOf(
        {
            "obs_id": str,
            "midpoint_usd": NUMBER,
            "unit_central_without": Maybe(NUMBER),
            "figure_central_without": Maybe(NUMBER),
        }
    ),
    "alternative_method": str,
    "unit_central_alternative": NUMBER,
    "figure_central_alternative": NUMBER,
}
COUNT_CLAIM_PRICE = {
    "claim_id": str,
    "equipment": str,
    "count": NUMBER,
    "statuses": str,
    "period_start": Maybe(str),
    "period_end": Maybe(str),
    "cost_key": Maybe(str),
    "cost_basis": Maybe(str),
    "unit_usd": Maybe(RANGE),
    "implied_usd": Maybe(RANGE),
    "uncosted_reason": Maybe(str),
}
BREAK_EVEN = {
    "figure": str,
    "reached": bool,
    "remainder_usd": Maybe(RANGE),
    "remainder_items": Maybe(int),
    "uncosted_items": int,
    "per_uncosted_item_usd": Maybe(RANGE),
    "uncounted_categories": ListOf(str),
    "unconfirmed": ListOf(
        {
            "claim_id": str,
            "claimant": str,
            "claim_date": Maybe(str),
            "equipment": str,
            "category": str,
            "statuses": str,
            "claimed": NUMBER,
            "bound": str,
            "documented": int,
            "unconfirmed": int,
            "cost_key": Maybe(str),
            "unit_usd": Maybe(RANGE),
            "value_usd": Maybe(RANGE),
            "uncosted_reason": Maybe(str),
        }
    ),
    "uncosted_by_category": ListOf({"category": str, "items": int, "per_item_usd": Maybe(RANGE)}),
    "unrecordable": Maybe(str),
}
UNCOSTED = {
    "category": str,
    "model": Maybe(str),
    "items": int,
    "losses": int,
    "example_loss_id": str,
    "bucket": str,
    "reason": str,
    "cost_key": Maybe(str),
}
EVIDENCE = {
    "source_id": str,
    "source": str,
    "result": str,
    "can_show": Maybe(str),
    "cannot_show": Maybe(str),
    "source_url": Maybe(str),
}
CLAIMANT_PRICE = {"obs_id": str, "cost_key": str, "claim_id": str}
FOR_SCALE = {
    "system": str,
    "system_name": str,
    "conflict": str,
    "conflict_name": str,
    "side": str,
    "dollar_year": int,
    "items": int,
    "items_costed": int,
    "items_uncosted": int,
    "value_usd": RANGE,
    "first_day": str,
    "last_day": str,
    "days": int,
    "items_per_day": NUMBER,
    "value_per_day_usd": Maybe(RANGE),
    "shared_items": int,
    "shared_value_usd": Maybe(RANGE),
    "claim_amount_usd": NUMBER,
    "claim_days": Maybe(int),
    "claim_per_day_usd": Maybe(NUMBER),
    "multiple": Maybe(RANGE),
    "multiple_per_day": Maybe(RANGE),
    "sentences": ListOf(str),
    "caveats": ListOf(str),
}
SUMMARY = {
    "claim": CLAIM_RECORD,
    "measure": str,
    "dollar_year": int,
    "claim_dollar_year": int,
    "amount_in_dollar_year": Maybe(NUMBER),
    "assumptions": ASSUMPTIONS,
    "buckets": {"attributed": TOTAL, "other": TOTAL, "unattributed": TOTAL},
    "unattributed_parts": MapOf(TOTAL),
    "documented_in_scope": TOTAL,
    "ceiling": TOTAL,
    "by_attribution": ListOf(
        {
            "bucket": str,
            "part": Maybe(str),
            "system": str,
            "confidence": Maybe(str),
            **{k: v for k, v in PLAIN_TOTAL.items() if k != "name"},
        }
    ),
    "by_category": ListOf(PLAIN_TOTAL),
    "uncosted": ListOf(UNCOSTED),
    "coverage": {
        "counted": ListOf(str),
        "reports_only": ListOf(str),
        "no_documented_counts": ListOf(str),
        "listed": bool,
    },
    "cost_assumptions": ListOf(str),
    "unusable_observations": ListOf(
        {"obs_id": str, "cost_key": str, "reason": str, "applicability": Maybe(str), "price_year": Maybe(int)}
    ),
    "scope_attributions": ListOf(
        {
            "loss_id": str,
            "system": str,
            "confidence": str,
            "status": str,
            "category": str,
            "items": int,
            "counted": bool,
            "why_not_counted": Maybe(str),
            "source_url": str,
            "system_name": Maybe(str),
        }
    ),
    "break_even": Maybe(BREAK_EVEN),
    "evidence_searched": ListOf(EVIDENCE),
    "whole_war_items": int,
    "implied_value": Maybe(COUNT_CLAIM_PRICE),
    "means_systems": ListOf(str),
    "price_basis": ListOf(PRICE_BASIS),
    "possibly_counted_twice": ListOf({"loss_ids": ListOf(str), "category": str, "items": int, "tally_category": str}),
    "wide_reading": Maybe(
        {"categories": ListOf(str), "added": ListOf(str), "figure": TOTAL, "possibly_counted_twice": int}
    ),
    "inside_models": ListOf(str),
    "loss_ids": MapOf(ListOf(str)),
    "verdict": ListOf(str),
    "caveats": ListOf(str),
    "conclusion": str,
    "for_scale": ListOf(FOR_SCALE),
    "claimant_prices": Maybe(
        {"observations": ListOf(CLAIMANT_PRICE), "documented_without": {**TOTAL, "inside_period": INSIDE}}
    ),
}
SIDE = {
    "side": str,
    "total": PLAIN_TOTAL,
    "by_system": ListOf(PLAIN_TOTAL),
    "by_status": ListOf(PLAIN_TOTAL),
    "by_category": ListOf(PLAIN_TOTAL),
}
SUMMARY_CONFLICT = {
    "conflict": str,
    "side": Maybe(str),
    "sides": ListOf(str),
    "dollar_year": int,
    "assumptions": ASSUMPTIONS,
    "per_side": ListOf(SIDE),
}
CLAIMS = {
    "assumptions": ASSUMPTIONS,
    "claims": ListOf(
        {
            "claim_id": str,
            "claimant": str,
            "claim_date": Maybe(str),
            "amount": NUMBER,
            "unit": str,
            "bound": str,
            "scope_systems": str,
            "scope_note": Maybe(str),
            "scope_fit": str,
            "measure": str,
            "dollar_year": int,
            "documented": TOTAL,
            "ceiling": TOTAL,
            "figure": str,
            "figure_uncosted": int,
            "figure_possibly_in_period": int,
            "categories_without_counts": int,
            "implied_usd": Maybe(RANGE),
            "conclusion": str,
        }
    ),
}
VALIDATE = {
    "ledger": str,
    "valid": bool,
    "error_count": int,
    "warning_count": int,
    "rows": MapOf(int),
    "issues": ListOf(ISSUE),
}
OBSERVATION_USED = {
    "obs_id": str,
    "source_url": Maybe(str),
    "low_usd": Maybe(NUMBER),
    "high_usd": Maybe(NUMBER),
    "applicability": Maybe(str),
    "converted": Maybe(str),  # a price in another currency: how it became dollars, and the rate's source
}
TRACE = {
    "claim_id": str,
    "bucket": str,
    "dollar_year": int,
    "filters": MapOf(str),
    "items": int,
    "value_usd": RANGE,
    "rows": ListOf(
        {
            "loss_id": str,
            "bucket": str,
            "part": Maybe(str),
            "category": str,
            "model": Maybe(str),
            "status": str,
            "items": int,
            "system": str,
            "confidence": Maybe(str),
            "period": str,
            "date_as_reported": Maybe(str),
            "unit_usd": {"low": Maybe(NUMBER), "central": Maybe(NUMBER), "high": Maybe(NUMBER)},
            "value_usd": {"low": Maybe(NUMBER), "central": Maybe(NUMBER), "high": Maybe(NUMBER)},
            "cost_key": Maybe(str),
            "cost_basis": str,
            "cost_assumption": Maybe(str),
            "uncosted_reason": Maybe(str),
            "observations": ListOf(OBSERVATION_USED),
            "source_url": str,
            "shared_with": Sometimes(str),  # the other systems credited with the loss, when there are any
            "provenance": Sometimes(MapOf(str)),  # where and when, by which record (an imported primary source)
        }
    ),
    "price_basis": ListOf(PRICE_BASIS),
    "on_shared_credit": SHARED,
}
GROUP = {
    "key": MapOf(str),
    "items": int,
    "items_costed": int,
    "items_uncosted": int,
    "value_usd": RANGE,
    "dollar_year": int,
}
BREAKDOWN = {
    "by": ListOf(str),
    "where": MapOf(ListOf(str)),
    "dollar_year": Maybe(int),
    "assumptions": ASSUMPTIONS,
    "total": Maybe(PLAIN_TOTAL),
    "totals": ListOf(GROUP),
    "groups": ListOf(GROUP),
    "notes": ListOf(str),
}
SENSITIVITY = {
    "claim_id": str,
    "amount": NUMBER,
    "measure": str,
    "rows": ListOf(
        {
            "group": str,
            "scenario": str,
            "dollar_year": int,
            "assumptions": ASSUMPTIONS,
            "documented_items": int,
            "documented_usd": RANGE,
            "documented_share": Maybe(RANGE),
            "ceiling_items": int,
            "ceiling_usd": RANGE,
            "ceiling_share": Maybe(RANGE),
        }
    ),
    "figure": str,
    "price_basis": ListOf(PRICE_BASIS),
}
CONSISTENCY = {
    "dollar_year": Maybe(int),
    "groups": ListOf(
        {
            "claimant": str,
            "claim_date": Maybe(str),
            "outlet": Maybe(str),
            "side": str,
            "claims": ListOf(COUNT_CLAIM_PRICE),
            "implied_usd": RANGE,
            "costed_claims": int,
            "uncosted_claims": int,
            "against": ListOf(
                {
                    "claim_id": str,
                    "amount": NUMBER,
                    "bound": str,
                    "statuses": str,
                    "period_start": Maybe(str),
                    "period_end": Maybe(str),
                    "matched": ListOf(str),
                    "unmatched": MapOf(str),
                    "implied_usd": Maybe(RANGE),
                    "implied_share": Maybe(RANGE),
                    "dollar_year": int,
                }
            ),
            "dollar_year": int,
        }
    ),
    "notes": ListOf(str),
}
WAR_RECORD = {
    "system": str,
    "system_name": str,
    "conflict": str,
    "conflict_name": str,
    "side": Maybe(str),
    "dollar_year": int,
    "total": PLAIN_TOTAL,
    "by_category": ListOf(PLAIN_TOTAL),
    "by_status": ListOf(PLAIN_TOTAL),
    "first_day": Maybe(str),
    "last_day": Maybe(str),
    "days": Maybe(int),
    "items_per_day": Maybe(NUMBER),
    "value_per_day_usd": Maybe(RANGE),
    "items_dated_to_the_day": int,
    "shared": PLAIN_TOTAL,
    "shared_with": MapOf(int),
    "shared_with_names": MapOf(str),
    "uncosted": ListOf(UNCOSTED),
    "cost_assumptions": ListOf(str),
    "observations_used": ListOf(str),
    "claimant_prices": ListOf(CLAIMANT_PRICE),
    "weeks": ListOf(
        {
            "week": str,
            "items": int,
            "items_dated_to_the_day": int,
            "value_usd": RANGE,
            "cumulative_items": int,
            "cumulative_value_usd": RANGE,
        }
    ),
    "not_counted": ListOf({"loss_id": str, "status": str, "confidence": str, "items": int}),
    "loss_ids": ListOf(str),
    "evidence_searched": ListOf(EVIDENCE),
}
CLAIM_CHECK = {
    "claim_id": str,
    "claimant": str,
    "claim_date": Maybe(str),
    "metric": str,
    "measure": str,
    "amount": NUMBER,
    "unit": str,
    "bound": str,
    "period_start": Maybe(str),
    "period_end": Maybe(str),
    "scope_note": Maybe(str),
    "dollar_year": int,
    "all_means": bool,
    "inside_period": PLAIN_TOTAL,
    "possibly_in_period": PLAIN_TOTAL,
    "possibly_in_period_by_end": PLAIN_TOTAL,
    "possibly_in_period_near": PLAIN_TOTAL,
    "matched": ListOf(
        {
            "loss_id": str,
            "category": str,
            "model": Maybe(str),
            "status": str,
            "items": int,
            "date_earliest": Maybe(str),
            "date_latest": Maybe(str),
            "date_as_reported": Maybe(str),
            "period": str,
            "value_usd": Maybe(RANGE),
            "shared_with": Maybe(str),
            "nearest_location": Maybe(str),
        }
    ),
    "documented_any_means": Maybe(TOTAL),
    "claimant_prices": ListOf(CLAIMANT_PRICE),
    "value_without_claimant_prices_usd": Maybe(RANGE),
    "summary": str,
}
RECORD = {
    "system": str,
    "system_name": str,
    "assumptions": ASSUMPTIONS,
    "wars": ListOf(WAR_RECORD),
    "claims": MapOf(ListOf(CLAIM_CHECK)),
}
CONFLICT_ROW = {"conflict_id": str, "name": str, "start_date": str, "end_date": str, "source_url": str, "notes": str}
CONFLICT_LIST = {
    "ledger": Maybe(str),
    "conflicts": ListOf({**CONFLICT_ROW, "start_date": Maybe(str), "end_date": Maybe(str), "in_ledger": str}),
    "ledger_only": ListOf(str),
}
CONFLICT_ADD = {
    "ledger": str,
    "file": str,
    "conflict_id": str,
    "status": str,
    "written": bool,
    "message": str,
    "line": Maybe(int),
    "row": CONFLICT_ROW,
    "from_catalog": ListOf(str),
    "existing": Maybe(CONFLICT_ROW),
    "issues": ListOf(ISSUE),
}
IMPORT = {
    "source": str,
    "source_format": str,
    "ledger": str,
    "dry_run": bool,
    "written": bool,
    "refused": Maybe(str),
    "rows_read": int,
    "records": int,
    "added": int,
    "updated": int,
    "duplicates": int,
    "rejected": int,
    "balanced": bool,
    "unmapped": MapOf(MapOf(int)),
    "items_by_system": MapOf(int),
    "new_systems": ListOf(str),
    "changes": ListOf(MapOf(object)),
    "rejects": ListOf(MapOf(object)),
    "rejects_file": Maybe(str),
    "notes": ListOf(str),
}
COLUMN = {
    "name": str,
    "type": str,
    "required": bool,
    "unique": bool,
    "allowed_values": Maybe(ListOf(str)),
    "checks": ListOf(str),
    "description": str,
}
SCHEMA = ListOf({"table": str, "file": str, "description": str, "notes": str, "columns": ListOf(COLUMN)})
FIELD = {"name": str, "type": str, "description": str, "constraints": MapOf(object)}
FRICTIONLESS = {
    "profile": str,
    "name": str,
    "resources": ListOf(
        {
            "name": str,
            "path": str,
            "profile": str,
            "format": str,
            "encoding": str,
            "description": str,
            "schema": MapOf(object),
        }
    ),
}

ZALUZHNYI = "UA-2022-09-03-ZALUZHNYI-TB2-VALUE"
STRIKES = "PRESS-2022-05-TELEGRAPH-800-STRIKES"  # every item credited to the TB2 in 2022: a Mi-8 priced in roubles
CASES: dict[str, tuple[list[str], Any]] = {
    "summary": (["summary"], SUMMARY),
    "summary of a count claim": (["summary", "--claim", "AZ-2020-10-20-ADDRESS-TANKS-DESTROYED"], SUMMARY),
    "summary read both ways": (
        ["summary", "--claim", "AZ-2020-10-20-ADDRESS-INFANTRY_FIGHTING_VEHICLES-DESTROYED"],
        SUMMARY,
    ),
    "summary-conflict": (["summary", "--conflict", "karabakh-2020"], SUMMARY_CONFLICT),
    "claims": (["claims"], CLAIMS),
    "validate": (["validate"], VALIDATE),
    "trace": (["trace"], TRACE),
    "breakdown": (["breakdown", "--by", "system", "--by", "status"], BREAKDOWN),
    "breakdown of one side": (["breakdown", "--by", "status", "--where", "side=Armenia"], BREAKDOWN),
    "sensitivity": (["sensitivity"], SENSITIVITY),
    "consistency": (["consistency"], CONSISTENCY),
    "conflict-list": (["conflict", "list", "--ledger", "LEDGER"], CONFLICT_LIST),
    "conflict-add": (["conflict", "add", "ukraine-2022", "--ledger", "LEDGER"], CONFLICT_ADD),
    "import-dry-run": (
        [
            *("import", str(IMPORTS / "wide_small.csv"), "--dry-run", "--conflict", "karabakh-2020"),
            *("--side", "Armenia", "--source-url", "https://example.org/oryx-snapshot"),
        ],
        IMPORT,
    ),
    "schema": (["schema", "--format", "json"], SCHEMA),
    "record": (["record"], RECORD),
    "summary priced with the claimant's own prices": (["summary", "--claim", ZALUZHNYI], SUMMARY),
    "trace of a price in roubles": (["trace", "--claim", STRIKES, "--bucket", "attributed"], TRACE),
    "schema-frictionless": (["schema", "--format", "frictionless"], FRICTIONLESS),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_command_s_json_keeps_its_contract(case: str, tmp_path: Path) -> None:
    args, contract = CASES[case]
    ledger = tmp_path / "ledger"
    if "LEDGER" in args:
        shutil.copytree(BUNDLED, ledger)
    args = [str(ledger) if a == "LEDGER" else a for a in args]
    if "--format" not in args:
        args += ["--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert check(json.loads(result.stdout), contract) == []


def test_the_contracts_cover_what_changes_between_cases() -> None:
    """The optional parts are exercised filled in, not only empty: the France 24 summary has a price basis, the
    three routes and a possible double count; the IFV claim has a wide reading; one side's breakdown a total."""
    runner = CliRunner()
    f24 = json.loads(runner.invoke(app, ["summary", "--format", "json"]).stdout)
    assert f24["price_basis"] and f24["break_even"]["unconfirmed"] and f24["break_even"]["uncosted_by_category"]
    assert f24["possibly_counted_twice"] and f24["wide_reading"] is None
    ifv = json.loads(
        runner.invoke(
            app,
            ["summary", "--claim", "AZ-2020-10-20-ADDRESS-INFANTRY_FIGHTING_VEHICLES-DESTROYED", "--format", "json"],
        ).stdout
    )
    assert ifv["wide_reading"] is not None
    two_sides = json.loads(runner.invoke(app, ["breakdown", "--by", "status", "--format", "json"]).stdout)
    assert two_sides["total"] is None and len(two_sides["totals"]) == 3  # two sides of 2020, Russia's of 2022
    # Issue 20's parts: the F24 summary has a record for scale, Zaluzhnyi's the claimant's own prices, its trace a
    # price converted from roubles; the record a war with items, weeks and shared credit, and checks with items.
    assert f24["for_scale"] and f24["claimant_prices"] is None
    own = json.loads(runner.invoke(app, ["summary", "--claim", ZALUZHNYI, "--format", "json"]).stdout)
    assert own["claimant_prices"]["observations"]
    listed = json.loads(runner.invoke(app, ["claims", "--format", "json"]).stdout)["claims"]
    assert any("on_shared_credit" in c["documented"] for c in listed)
    traced = json.loads(runner.invoke(app, [*CASES["trace of a price in roubles"][0], "--format", "json"]).stdout)
    assert any(o["converted"] for row in traced["rows"] for o in row["observations"])
    record = json.loads(runner.invoke(app, ["record", "--format", "json"]).stdout)
    war = record["wars"][1]
    assert war["weeks"] and war["shared_with"] and war["uncosted"] and war["claimant_prices"]
    assert any(c["matched"] and c["claimant_prices"] for c in record["claims"]["ukraine-2022"])
