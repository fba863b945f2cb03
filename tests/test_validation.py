"""Every defect fixture produces exactly its documented issue: file, CSV line, column, code.

The fixtures in tests/fixtures/defects are copies of the mini ledger's tables
with one defect each; the line numbers below are the lines a researcher sees in
an editor (header = line 1; L2 is on line 3 of losses.csv).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pandera
import pytest
from conftest import BUNDLED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drone_ledger import LedgerNotFoundError, load_ledger, validate_ledger
from drone_ledger.layout import TABLES, columns_of
from drone_ledger.loading import parse_table
from drone_ledger.schemacheck import pandera_schema, surely_valid

Swap = Callable[[str], Path]


def _errors(ledger: Path, encoding: str = "utf-8-sig") -> list[tuple[str, int | None, str | None, str]]:
    report = validate_ledger(load_ledger(ledger, encoding=encoding))
    return [(Path(i.file).name, i.line, i.column, i.code) for i in report.errors]


def test_mini_ledger_is_valid_with_two_warnings(mini: Path) -> None:
    report = validate_ledger(mini)
    assert report.valid and report.exit_code == 0
    assert [(Path(i.file).name, i.line, i.code) for i in report.warnings] == [
        ("unit_costs.csv", 5, "unusable-currency"),
        ("unit_costs.csv", 6, "missing-price-year"),
    ]


@pytest.mark.parametrize(
    ("defect", "expected"),
    [
        ("losses_negative_quantity.csv", [("losses.csv", 3, "quantity", "out-of-range")]),
        ("losses_quantity_not_a_number.csv", [("losses.csv", 3, "quantity", "not-a-number")]),
        ("losses_fractional_quantity.csv", [("losses.csv", 3, "quantity", "not-a-whole-number")]),
        ("losses_unknown_system.csv", [("losses.csv", 3, "attributed_system", "unknown-system")]),
        ("losses_javascript_url.csv", [("losses.csv", 3, "source_url", "invalid-url")]),
        (
            "losses_duplicate_id.csv",
            [("losses.csv", 3, "loss_id", "duplicate-id"), ("losses.csv", 4, "loss_id", "duplicate-id")],
        ),
        ("losses_misspelt_column.csv", [("losses.csv", None, "quantity", "missing-column")]),
        ("losses_impossible_date.csv", [("losses.csv", 3, "date_latest", "impossible-date")]),
        ("losses_date_outside_conflict.csv", [("losses.csv", 3, "date_latest", "date-outside-conflict")]),
        ("losses_date_interval_inverted.csv", [("losses.csv", 3, "date_latest", "date-interval-inverted")]),
        ("losses_unknown_status.csv", [("losses.csv", 3, "status", "invalid-value")]),
        ("losses_missing_confidence.csv", [("losses.csv", 3, "attribution_confidence", "missing-confidence")]),
        ("losses_counted_in_exceeds_aggregate.csv", [("losses.csv", 5, "quantity", "counted-in-exceeds-aggregate")]),
        # L1's notes hold a quoted newline, so L2 starts on line 4, not 3.
        ("losses_quoted_newline.csv", [("losses.csv", 4, "quantity", "out-of-range")]),
        ("losses_cp1252.csv", [("losses.csv", None, None, "not-utf8")]),
        ("losses_binary.csv", [("losses.csv", None, None, "binary-file")]),
        ("losses_empty.csv", [("losses.csv", None, None, "empty-file")]),
        ("unit_costs_inverted_range.csv", [("unit_costs.csv", 3, "price_high", "price-range-inverted")]),
        ("claims_unknown_system_group.csv", [("claims.csv", 2, "scope_systems", "unknown-system-group")]),
        ("claims_period_inverted.csv", [("claims.csv", 2, "period_end", "period-inverted")]),
        ("claims_undated_dollar_claim.csv", [("claims.csv", 3, "period_end", "undated-dollar-claim")]),
        ("claims_unknown_scope_fit.csv", [("claims.csv", 2, "scope_fit", "invalid-value")]),
        # A war's category list (issue 19): each category once, known categories, a war the ledger has.
        ("categories_duplicate_category.csv", [("categories.csv", 3, "category", "duplicate-id")]),
        ("categories_unknown_may_include.csv", [("categories.csv", 2, "may_include", "unknown-category")]),
        ("categories_unknown_conflict.csv", [("categories.csv", 2, "conflict", "unknown-conflict")]),
        ("categories_unknown_category.csv", [("categories.csv", 2, "category", "invalid-value")]),
    ],
)
def test_defect_gives_exactly_its_error(with_defect: Swap, defect: str, expected: list[tuple[object, ...]]) -> None:
    assert _errors(with_defect(defect)) == expected


@pytest.mark.parametrize(
    ("defect", "message"),
    [
        ("losses_negative_quantity.csv", "quantity must be at least 1, got -1"),
        ("losses_quantity_not_a_number.csv", "quantity must be a whole number, got 'two'"),
        ("losses_unknown_system.csv", "attributed_system 'kargu' is not in systems.csv; add it to systems.csv first"),
        (
            "losses_unknown_status.csv",
            "status must be one of destroyed, damaged, captured, abandoned, unknown; got 'obliterated'",
        ),
        (
            "losses_misspelt_column.csv",
            "losses.csv has no column 'quantity' (is 'quantitty' a misspelling of it?); add it to the header",
        ),
        (
            "losses_cp1252.csv",
            "losses.csv is not UTF-8 text (byte 0xe9 on line 3); pass --encoding cp1252 if it came from Excel on "
            "Windows, or re-save it as UTF-8",
        ),
        ("losses_impossible_date.csv", "date_latest 2020-02-30 is not a calendar date"),
    ],
)
def test_messages_say_what_to_do(with_defect: Swap, defect: str, message: str) -> None:
    report = validate_ledger(with_defect(defect))
    assert [i.message for i in report.errors] == [message]


def test_misspelt_column_is_also_named_as_unknown(with_defect: Swap) -> None:
    report = validate_ledger(with_defect("losses_misspelt_column.csv"))
    unknown = [i for i in report.warnings if i.code == "unknown-column"]
    assert [(i.column, i.message) for i in unknown] == [
        ("quantitty", "losses.csv has a column 'quantitty' that is not part of the schema; did you mean 'quantity'?")
    ]


def test_declared_encoding_reads_a_cp1252_file(with_defect: Swap) -> None:
    ledger = with_defect("losses_cp1252.csv")
    assert _errors(ledger, encoding="cp1252") == []
    assert "Le Défenseur" in set(load_ledger(ledger, encoding="cp1252")["losses"]["source_name"])


@pytest.mark.parametrize("defect", ["losses_utf8_bom.csv", "losses_header_only.csv"])
def test_readable_variants_are_valid(with_defect: Swap, defect: str) -> None:
    assert _errors(with_defect(defect)) == []


def test_aggregate_that_does_not_add_up_is_a_warning_kept_as_printed(with_defect: Swap) -> None:
    report = validate_ledger(with_defect("aggregates_parts_mismatch.csv"))
    assert report.valid
    mismatch = [i for i in report.warnings if i.code == "aggregate-parts-mismatch"]
    assert [(Path(i.file).name, i.line, i.column, i.value) for i in mismatch] == [
        ("aggregates.csv", 2, "total_as_printed", "7")
    ]
    assert "add up to 5, not 7 as printed" in mismatch[0].message


def test_missing_table_and_directory_in_place_of_a_file(mini: Path) -> None:
    (mini / "systems.csv").unlink()
    (mini / "cpi.csv").unlink()
    (mini / "cpi.csv").mkdir()
    codes = {(Path(i.file).name, i.code) for i in validate_ledger(mini).errors}
    assert ("systems.csv", "missing-table") in codes
    assert ("cpi.csv", "not-a-file") in codes


def test_ledger_that_is_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(LedgerNotFoundError, match="does not exist"):
        load_ledger(tmp_path / "nowhere")
    (tmp_path / "file.csv").write_text("x\n")
    with pytest.raises(LedgerNotFoundError, match="is a file, not a ledger directory"):
        load_ledger(tmp_path / "file.csv")


def test_bundled_ledger_is_valid_with_its_known_warnings() -> None:
    report = validate_ledger()
    assert report.valid
    assert [(Path(i.file).name, i.line, i.code) for i in report.warnings] == [
        ("aggregates.csv", 4, "aggregate-parts-mismatch"),  # Armenian trucks: parts 736, printed 737
        ("aggregates.csv", 6, "aggregate-parts-mismatch"),  # Azerbaijani AFVs: parts 25, printed 23
        ("aggregates.csv", 10, "aggregate-parts-mismatch"),  # Oryx 2022, Russian AFVs: parts 699, printed 703
        ("aggregates.csv", 25, "aggregate-parts-mismatch"),  # Oryx 2022, Russian SAMs: parts 77, printed 80
        ("unit_costs.csv", 10, "unusable-currency"),  # P09 EUR
        ("unit_costs.csv", 22, "unusable-currency"),  # P21 INR
        ("unit_costs.csv", 29, "missing-price-year"),  # P28
        ("unit_costs.csv", 40, "missing-price-year"),  # P39
        ("unit_costs.csv", 41, "unusable-currency"),  # P40 BGN
        ("unit_costs.csv", 47, "unusable-currency"),  # U05 GBP 2022: exchange_rates.csv has no rate ("not gathered")
        ("unit_costs.csv", 78, "unusable-currency"),  # U36 EUR 1996: no rate (the euro did not exist)
    ]


def test_the_spelt_out_whitespace_class_is_pythons_whitespace() -> None:
    """URL_PATTERN avoids ``\\S`` so that it runs in Arrow; its class must still be exactly ``str.isspace``."""
    import re

    from drone_ledger.layout import NOT_SPACE, URL_PATTERN, readable_pattern

    pattern = re.compile(NOT_SPACE)
    differs = [code for code in range(0x110000) if bool(pattern.fullmatch(chr(code))) == chr(code).isspace()]
    assert differs == []
    assert readable_pattern(URL_PATTERN) == r"^https?://\S+$"


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("source_url", "https://example.org/a\u00a0b", "invalid-url"),  # a no-break space inside a link
        ("source_url", "https://example.org/a\u2003b", "invalid-url"),
        ("date_latest", "\u0662\u0660\u0662\u0660-\u0661\u0660-\u0661\u0663", "invalid-date-format"),  # Arabic digits
    ],
    ids=["nbsp-in-url", "em-space-in-url", "arabic-indic-digits"],
)
def test_patterns_reject_unicode_lookalikes(mini: Path, column: str, value: str, code: str) -> None:
    path = mini / "losses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = value
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    assert [(i.line, i.column, i.code) for i in validate_ledger(mini).errors] == [(2, column, code)]


# --- the fast path agrees with Pandera ------------------------------------------------------------------------------

_SAMPLES = {
    name: pd.read_csv(BUNDLED / spec.filename, dtype=str, keep_default_na=False) for name, spec in TABLES.items()
}
#: Cells that break one rule or another: empty, padded, wrong case, not a number, negative, impossible dates,
#: unsafe links, no-break spaces, unicode, huge numbers, a formula.
_ODD = [
    "",
    " ",
    "x",
    "-1",
    "0",
    "1.5",
    "3",
    "2101",
    "9" * 17,
    "2020-02-30",
    "2020-13-01",
    "2020-1-01",
    "javascript:alert(1)",
    "http://a b",
    "https://example.org/ok",
    "https://x\u00a0y",
    "tanks",
    "Tanks",
    "destroyed",
    "Destroyed",
    "high",
    "USD",
    "direct",
    "ünï-cøde",
    "a\u2003b",
    "=1+1",
    "id.ok:1-2_3",
    "-leading",
]


@st.composite
def _table(draw: st.DrawFn) -> tuple[str, str]:
    """A table of the bundled ledger's rows (some repeated), a few cells replaced by odd ones."""
    name = draw(st.sampled_from(sorted(TABLES)))
    sample = _SAMPLES[name]
    columns = columns_of(name)
    picked = draw(st.lists(st.sampled_from(range(len(sample))), max_size=6, unique=draw(st.booleans())))
    body = [[str(sample[c].iloc[i]) if c in sample else "" for c in columns] for i in picked]
    for _ in range(draw(st.integers(min_value=0, max_value=2)) if body else 0):
        row = draw(st.sampled_from(range(len(body))))
        column = draw(st.sampled_from(range(len(columns))))
        body[row][column] = draw(st.sampled_from(_ODD))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([columns, *body])
    return name, out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_table())
def test_the_fast_path_agrees_with_pandera(drawn: tuple[str, str]) -> None:
    """``surely_valid`` says a table passes exactly when Pandera, given the same declaration, passes it."""
    name, text = drawn
    spec = TABLES[name]
    table = parse_table(text, Path(spec.filename), spec)
    missing = tuple(table.missing_columns)
    try:
        pandera_schema(spec, missing).validate(table.frame, lazy=True)
    except pandera.errors.SchemaErrors:
        passes = False
    else:
        passes = True
    assert surely_valid(spec, table.frame, missing) == passes


def test_the_fast_path_on_every_bundled_table() -> None:
    ledger = load_ledger(BUNDLED)
    for table in ledger.tables.values():
        assert surely_valid(table.spec, table.frame, tuple(table.missing_columns)), table.spec.name
