"""The one-pass pyarrow reads must give exactly what the careful ``csv``-module reads give, for tables and sources.

The careful parse is the reference (it is what reports malformed CSV with its line). The fast path may decline
any file (it returns None), but when it accepts one, the frame, the line each row starts on and the issues must be
the same — otherwise validation would point researchers at the wrong line or see different values.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUNDLED, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from drone_ledger import load_ledger, validate_ledger
from drone_ledger.layout import TABLES
from drone_ledger.loading import DEFAULT_MAX_FIELD, _careful_parse, _fast_parse, parse_table
from drone_ledger.storage import csv_text

SPEC = TABLES["conflicts"]  # six text columns, one of them required; small enough to reason about
HEADER = "conflict_id,name,start_date,end_date,source_url,notes"

# Quoted cells mix everything that makes CSV hard: quotes, delimiters, both line endings, Unicode whitespace.
# Bare cells are mostly safe text (padding included) and sometimes break the quoting or the record.
quoted = st.text(alphabet=st.sampled_from(list('ab,"\n\r \t\u00a0\u2003é')), max_size=6).map(
    lambda value: '"' + value.replace('"', '""') + '"'
)
safe = st.text(alphabet=st.sampled_from(list("ab \t\u00a0é-")), max_size=6)
unsafe = st.text(alphabet=st.sampled_from(list('ab,"\r ')), min_size=1, max_size=3)
cell = st.one_of(*[safe] * 30, *[quoted] * 15, unsafe)


@st.composite
def csv_texts(draw: st.DrawFn, well_formed: bool = False) -> str:
    """CSV text: quoted or bare cells (bare ones may break the quoting), ragged records, blank lines."""
    records = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        width = 6 if well_formed else draw(st.sampled_from([6] * 30 + [5, 7, 0]))
        cells = [draw(st.one_of(safe, quoted) if well_formed else cell) for _ in range(width)]
        records.append(",".join(cells) if width != 6 or any(cells) else ",,,,,")
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            records.append("")  # a blank line, which both parsers skip
    ending = draw(st.sampled_from(["\n", "\r\n"] if well_formed else ["\n", "\r\n", "\n", "\r\n", "\r"]))
    return ending.join([HEADER, *records]) + draw(st.sampled_from(["", ending, ending * 2]))


def _same(fast: object, careful: object) -> None:
    assert fast is not None and careful is not None
    pd.testing.assert_frame_equal(fast.frame, careful.frame)  # type: ignore[attr-defined]
    assert fast.lines.tolist() == careful.lines.tolist()  # type: ignore[attr-defined]
    assert fast.issues == careful.issues  # type: ignore[attr-defined]
    assert fast.missing_columns == careful.missing_columns  # type: ignore[attr-defined]


@pytest.mark.long
@settings(max_examples=examples(100, 600))
@given(csv_texts())
def test_fast_parse_reads_what_it_accepts_exactly_as_the_careful_parse(text: str) -> None:
    path = Path("conflicts.csv")
    fast = _fast_parse(text.encode("utf-8"), path, SPEC, DEFAULT_MAX_FIELD)
    if fast is not None:
        _same(fast, _careful_parse(text, path, SPEC, DEFAULT_MAX_FIELD))


@pytest.mark.long
@settings(max_examples=examples(50, 300))
@given(csv_texts(well_formed=True))
def test_fast_parse_takes_every_well_formed_file(text: str) -> None:
    path = Path("conflicts.csv")
    fast = _fast_parse(text.encode("utf-8"), path, SPEC, DEFAULT_MAX_FIELD)
    _same(fast, _careful_parse(text, path, SPEC, DEFAULT_MAX_FIELD))


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (f'{HEADER}\nk1,"two\nlines",2020-01-01,,https://a.org,\nk2,b,2020-01-01,,https://a.org,\n', [2, 4]),
        (f"{HEADER}\r\n\r\nk1,a,2020-01-01,,https://a.org,\r\n\r\nk2,b,2020-01-01,,https://a.org,", [3, 5]),
        (f'\ufeff{HEADER}\nk1," a ",2020-01-01,,https://a.org,"x, ""y"""\n', [2]),
    ],
    ids=["quoted-newline", "crlf-and-blank-lines", "bom-quotes-and-padding"],
)
def test_fast_parse_takes_well_formed_files_and_keeps_their_lines(text: str, lines: list[int]) -> None:
    raw = text.encode("utf-8")
    fast = _fast_parse(raw, Path("conflicts.csv"), SPEC, DEFAULT_MAX_FIELD)
    assert fast is not None, "a well-formed file should not need the slow path"
    assert fast.lines.tolist() == lines
    _same(fast, _careful_parse(text.lstrip("\ufeff"), Path("conflicts.csv"), SPEC, DEFAULT_MAX_FIELD))


@pytest.mark.parametrize(
    "text",
    [
        f'{HEADER}\nk1,"a"b,2020-01-01,,https://a.org,\n',  # text after a closing quote: the csv module refuses it
        f'{HEADER}\nk1,a"b,2020-01-01,,https://a.org,\n',  # a quote inside a bare cell
        f"{HEADER}\rk1,a,2020-01-01,,https://a.org,\r",  # old Mac line endings
        f"{HEADER}\nk1,a,2020-01-01\n",  # too few fields (pandas fills them; pyarrow would refuse)
        "conflict_id;name;start_date;end_date\nk1;a;2020-01-01;\n",  # another delimiter
    ],
    ids=["after-closing-quote", "bare-quote", "cr-only", "too-few-fields", "semicolons"],
)
def test_fast_parse_declines_what_only_the_careful_parse_can_report(text: str) -> None:
    assert _fast_parse(text.encode("utf-8"), Path("conflicts.csv"), SPEC, DEFAULT_MAX_FIELD) is None


def test_text_after_a_closing_quote_is_still_reported_with_its_line() -> None:
    text = f'{HEADER}\nk1,a,2020-01-01,,https://a.org,\nk2,"a"b,2020-01-01,,https://a.org,\n'
    table = parse_table(text, Path("conflicts.csv"), SPEC)
    assert [(issue.code, issue.message) for issue in table.issues] == [
        (
            "csv-parse-error",
            "conflicts.csv:3: not well-formed CSV (',' expected after '\"'); check the quoting on and before that line",
        )
    ]


def test_a_field_over_the_limit_takes_the_careful_path_and_is_reported() -> None:
    text = f"{HEADER}\nk1,{'x' * 50},2020-01-01,,https://a.org,\n"
    assert _fast_parse(text.encode("utf-8"), Path("conflicts.csv"), SPEC, 40) is None
    table = parse_table(text, Path("conflicts.csv"), SPEC, max_field=40)
    assert [issue.code for issue in table.issues] == ["field-too-large"]


def _cell_by_cell(columns: list[str], rows: list[dict[str, str]]) -> str:
    """The rule csv_text documents, spelt out: quote a cell holding , " CR or LF; double its quotes."""

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text

    return "".join(",".join(cell(row.get(c, "")) for c in columns) + "\n" for row in [{c: c for c in columns}, *rows])


@pytest.mark.long
@settings(max_examples=examples(100, 400))
@given(
    st.lists(
        st.fixed_dictionaries({c: st.text(alphabet=st.sampled_from(list('ab ,"\r\né')), max_size=4) for c in "xyz"}),
        max_size=5,
    )
)
def test_csv_text_quotes_exactly_as_documented_and_reads_back(rows: list[dict[str, str]]) -> None:
    text = csv_text(["x", "y", "z"], rows)
    assert text == _cell_by_cell(["x", "y", "z"], rows)
    assert list(csv.reader(io.StringIO(text, newline="")))[1:] == [[r["x"], r["y"], r["z"]] for r in rows]


@pytest.mark.long
@settings(max_examples=examples(100, 400))
@given(csv_texts(), st.sampled_from([",", ";"]))
def test_import_sources_read_the_same_through_either_parser(
    tmp_path_factory: pytest.TempPathFactory, text: str, delimiter: str
) -> None:
    """read_source's one-pass path gives the rows, lines and header its csv-module path gives, or steps aside."""
    from drone_ledger.errors import DroneLedgerError
    from drone_ledger.importing import source as source_module

    path = tmp_path_factory.mktemp("src") / "source.csv"
    path.write_bytes(text.replace(",", delimiter).encode("utf-8"))

    def read(fast: bool) -> object:
        original = source_module._scan_source
        if not fast:
            source_module._scan_source = lambda *args: None  # type: ignore[assignment]
        try:
            src = source_module.read_source(path)
        except DroneLedgerError as exc:
            return ("refused", exc.code)
        finally:
            source_module._scan_source = original  # type: ignore[assignment]
        return (src.header, src.rows, src.lines, src.delimiter)

    assert read(fast=True) == read(fast=False)


def test_a_sources_first_line_ends_where_splitlines_says() -> None:
    """read_source sniffs the delimiter from the first line without splitting the whole file into lines."""
    from drone_ledger.importing.source import FIRST_LINE

    breaks = [code for code in range(0x110000) if len(f"a{chr(code)}b".splitlines()) > 1]
    assert [code for code in range(0x110000) if FIRST_LINE(f"a{chr(code)}b").group() == "a"] == breaks
    assert FIRST_LINE("a;b\r\nc").group() == "a;b"


OLD_MINI = """loss_id,conflict,side_losing,date,date_precision,category,model,quantity,status,status_as_reported,\
attributed_system,attribution_confidence,record_kind,aggregate_id,counted_in,cost_key,source_name,source_url,notes
L1,war-x,A,2020-03-05,day,Tanks,T-72,2,destroyed,destroyed,tb2,high,aggregate,,,,test,https://example.org/l1,
L2,war-x,A,2020-03,month,Tanks,T-72B,1,destroyed,destroyed,harop,medium,item,,,,test,https://example.org/l2,
L4,war-x,A,,war,Tanks,,5,destroyed,destroyed,unattributed,,aggregate,AG1,,,test,https://example.org/l4,
L9,war-x,A,2020-03,day,Tanks,T-72,1,destroyed,destroyed,tb2,high,item,,,,test,https://example.org/l9,
"""


def test_a_ledger_with_the_old_date_columns_is_read_as_intervals_and_says_how(mini: Path) -> None:
    (mini / "losses.csv").write_text(OLD_MINI, encoding="utf-8")
    ledger = load_ledger(mini)
    losses = ledger["losses"].set_index("loss_id")
    assert "date" not in losses.columns and "date_precision" not in losses.columns
    assert losses.loc["L1", ["date_earliest", "date_latest"]].tolist() == ["2020-03-05", "2020-03-05"]
    assert losses.loc["L2", ["date_earliest", "date_latest", "date_as_reported"]].tolist() == [
        "2020-03-01",
        "2020-03-31",
        "2020-03",
    ]
    assert losses.loc["L4", ["date_earliest", "date_latest"]].isna().all()  # the whole war: the conflict's dates
    report = validate_ledger(ledger)
    issues = [(i.line, i.column, i.code, i.severity) for i in report.issues if i.table == "losses"]
    assert issues == [
        (None, "date", "old-date-columns", "warning"),
        (5, "date", "unconvertible-date", "error"),  # L9: a month given with date_precision 'day'
    ]
    (warning,) = [i for i in report.warnings if i.code == "old-date-columns"]
    assert warning.message == (
        "losses.csv has the date and date_precision columns of drone-ledger 0.1; they were read as date_earliest "
        "and date_latest (day: that day; month: the month's first and last day; war: empty bounds (the "
        "conflict's start and end)); the next import into this ledger writes the new columns"
    )


@pytest.mark.parametrize("name", list(TABLES))
def test_the_loader_reads_each_table_as_declared(name: str) -> None:
    """The declaration (drone_ledger.layout) is what the loader reads: the columns in their declared order, each
    as its declared type (text as str, whole numbers as Int64, numbers as Float64); a declared key is unique."""
    from drone_ledger.schemacheck import DTYPES

    spec = TABLES[name]
    frame = load_ledger(BUNDLED).tables[name].frame
    assert tuple(frame.columns) == spec.columns
    assert {c: str(frame[c].dtype) for c in spec.columns} == {c.name: DTYPES[c.type] for c in spec.fields}
    assert spec.key is None or spec.column(spec.key).unique
