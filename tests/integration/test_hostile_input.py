"""Hostile submissions, end to end: the promise of "Data contracts that hold", item 6.

Every bad file gives one line naming the file, the row and the rule; no traceback reaches the
user; the other regions still publish; every row read ends in core or in quarantine with a rule
and a message, and raw = clean + quarantined. Each run feeds five regions one hostile file each
(the corpus is ``tests/hostile``: hand-made text files, plus binary and 50 MB files that
``tests/hostile/make_corpus.py`` writes into a temporary directory).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from drugtrends.contracts import load_contract
from drugtrends.errors import SourceError
from drugtrends.raw.headers import map_headers
from drugtrends.raw.readers import read_submission
from tests.conftest import PipelineRunner, write_sources
from tests.hostile import make_corpus

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
THIS_YEAR = date.today().year
# the contract's first accepted year (the long 1970-2020 edition sets it)
FIRST_YEAR = int(load_contract("annual_seizures").column("year").min)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every hostile file by name: the committed ones and the generated ones."""
    generated = make_corpus.build(tmp_path_factory.mktemp("hostile"))
    return {p.name: p for p in HOSTILE.iterdir() if p.suffix in (".csv", ".json")} | generated


def run(
    pipeline: PipelineRunner, tmp_path: Path, corpus: dict[str, Path], files: dict[str, str]
) -> tuple[int, dict[str, str], str]:
    """Run every region, each fed by one corpus file: the exit code and each region's line."""
    entries = []
    for region, name in files.items():
        fmt = Path(name).suffix[1:]
        entry: dict[str, object] = {
            "dataset": "annual_seizures",
            "region": region,
            "format": fmt,
            "location": str(corpus[name]),
        }
        if fmt == "xlsx":
            entry["sheet"] = "Data"
        entries.append(entry)
    pipeline.use_sources(write_sources(tmp_path / "sources.yaml", entries))
    code, out = pipeline()
    assert "Traceback" not in out and "Error:" not in out, out
    lines = {line.split()[0]: line for line in out.splitlines() if "annual_seizures:" in line}
    assert len(lines) == len(files) and set(lines) == set(files), out  # one line per region
    assert out.splitlines()[-1].startswith("published "), out  # the good regions publish
    return code, lines, out


def failed(lines: dict[str, str], region: str) -> str:
    """The problem of a failed region's line, after 'Region FAILED annual_seizures: '."""
    line = lines[region]
    prefix = f"{region:<9} FAILED  annual_seizures: "
    assert line.startswith(prefix), line
    return line[len(prefix) :]


def ok(lines: dict[str, str], region: str, read: int, clean: int, quarantined: int) -> None:
    assert lines[region] == (
        f"{region:<9} ok      annual_seizures: {read} rows read, "
        f"{clean} clean, {quarantined} quarantined"
    ), lines[region]


def quarantined(pipeline: PipelineRunner, file: str) -> list[tuple[int, str, str]]:
    return pipeline.query(
        "SELECT source_row, rule, message FROM quarantine.rows "
        "WHERE source_file = ? ORDER BY source_row",
        [file],
    )


def core(pipeline: PipelineRunner, file: str, columns: str = "source_row") -> list[tuple]:
    return pipeline.query(
        f"SELECT {columns} FROM core.annual_seizures WHERE source_file = ? ORDER BY source_row",
        [file],
    )


def assert_nothing_lost(pipeline: PipelineRunner, region: str, file: str, rows: list[int]) -> None:
    """Each row read is in core or in quarantine, once; the run's counts reconcile."""
    found = [r[0] for r in core(pipeline, file)] + [r[0] for r in quarantined(pipeline, file)]
    assert sorted(found) == rows
    raw, clean, bad = pipeline.query(
        "SELECT raw_rows, clean_rows, quarantined_rows FROM meta.partition_runs "
        "WHERE region = ? AND status = 'success'",
        [region],
    )[0]
    assert (raw, clean + bad) == (len(rows), len(rows))
    assert pipeline.query(
        "SELECT bool_and(passed) FROM meta.check_results WHERE region = ? "
        "AND check_name = 'reconciliation'",
        [region],
    ) == [(True,)]


@pytest.mark.slow
def test_unreadable_files_fail_their_region_with_the_file_and_row(pipeline, tmp_path, corpus):
    code, lines, _ = run(
        pipeline,
        tmp_path,
        corpus,
        {
            "Africa": "latin1.csv",
            "Americas": "empty.csv",
            "Asia": "truncated.json",
            "Europe": "garbage.csv",
            "Oceania": "wrong_delimiter.csv",
        },
    )
    assert code == 1
    assert failed(lines, "Americas") == "empty.csv: the file is empty"
    assert failed(lines, "Asia") == (
        "truncated.json, row 3: the JSON array is never closed: is the file truncated? "
        "(parser stopped at line 4, column 75: Invalid control character)"
    )
    assert failed(lines, "Europe") == "garbage.csv: looks like a binary file, not text"
    # Decimal commas and "Micronesia, Federated States of" split some rows in two with ','.
    assert failed(lines, "Oceania") == (
        "wrong_delimiter.csv, row 1: 2 column(s) found with delimiter ',' but 9 with ';': "
        "is the delimiter in the sources file right?"
    )
    # Latin-1 loads, accents intact; the region publishes beside the four failures.
    ok(lines, "Africa", 3, 3, 0)
    assert core(pipeline, "latin1.csv", "country_name") == [
        ("Côte d'Ivoire",),
        ("Côte d'Ivoire",),
        ("Bénin",),
    ]
    assert pipeline.query("SELECT DISTINCT region FROM core.annual_seizures") == [("Africa",)]


@pytest.mark.slow
def test_layout_problems_are_read_or_named(pipeline, tmp_path, corpus):
    code, lines, _ = run(
        pipeline,
        tmp_path,
        corpus,
        {
            "Africa": "utf16.csv",
            "Americas": "title_rows.csv",
            "Asia": "formulas.xlsx",
            "Europe": "duplicate_header.csv",
            "Oceania": "ragged.csv",
        },
    )
    assert code == 1
    # UTF-16 with BOM loads, accents intact.
    ok(lines, "Africa", 3, 3, 0)
    assert core(pipeline, "utf16.csv", "country_name")[0] == ("Côte d'Ivoire",)
    # Title and blank rows above the header: skipped, rows keep their true line numbers.
    ok(lines, "Americas", 4, 3, 1)
    assert core(pipeline, "title_rows.csv") == [(4,), (5,), (7,)]
    assert quarantined(pipeline, "title_rows.csv") == [
        (6, "kg.range", "kg '-1' is outside [0, 1e+08]")
    ]
    assert_nothing_lost(pipeline, "Americas", "title_rows.csv", [4, 5, 6, 7])
    # Formulas openpyxl saved without a value, and an error cell: quarantined, never 0 or empty.
    ok(lines, "Asia", 7, 4, 3)
    assert quarantined(pipeline, "formulas.xlsx") == [
        (3, "kg.type", "kg '=I2*2' is not a valid number"),
        (4, "year.type", "year '=2019+2' is not a valid integer"),
        (5, "kg.type", "kg '#N/A' is not a valid number"),
    ]
    assert_nothing_lost(pipeline, "Asia", "formulas.xlsx", [2, 3, 4, 5, 6, 7, 8])
    # Two 'Year' columns that disagree: the file fails naming both columns.
    assert failed(lines, "Europe") == (
        "duplicate_header.csv, row 1: columns H and J are both named 'Year' and hold different "
        "values: rename or remove one"
    )
    # An unquoted "Micronesia, Federated States of" shifts the row: the file fails naming it.
    assert failed(lines, "Oceania") == (
        "ragged.csv, row 4: 10 values where the header has 9 (a value holding ',' must be in "
        "quotes); 1 more row(s) like it"
    )


@pytest.mark.slow
def test_bad_values_are_quarantined_with_row_rule_and_message(pipeline, tmp_path, corpus):
    code, lines, _ = run(
        pipeline,
        tmp_path,
        corpus,
        {
            "Africa": "values.csv",
            "Americas": "short_rows.csv",
            "Asia": "unclosed_quote.csv",
            "Europe": "merged.xlsx",
            "Oceania": "duplicate_header_same.csv",
        },
    )
    assert code == 1
    ok(lines, "Africa", 23, 12, 11)
    assert quarantined(pipeline, "values.csv") == [
        (5, "kg.type", "kg '1,234' is not a valid number"),  # 1234 or 1.234? ambiguous
        (6, "kg.type", "kg '1 234,5' is not a valid number"),  # decimal comma
        (7, "kg.type", "kg '12,5' is not a valid number"),
        (8, "kg.required", "kg is required but empty"),  # N/A
        (9, "kg.required", "kg is required but empty"),  # -
        (10, "kg.range", "kg '-5' is outside [0, 1e+08]"),
        (11, "kg.range", "kg '250000000' is outside [0, 1e+08]"),
        (12, "year.range", f"year '1890' is outside [{FIRST_YEAR}, {THIS_YEAR}]"),
        (13, "year.range", f"year '2999' is outside [{FIRST_YEAR}, {THIS_YEAR}]"),
        (14, "year.type", "year '2020.5' is not a valid integer"),
        (15, "kg.type", "kg '12.5 kg' is not a valid number"),
    ]
    assert core(pipeline, "values.csv", "source_row, kg") == [
        (2, 1234.5),
        (3, 1234.5),
        (4, 1234567.0),
        (16, 0.0),
        (17, 0.001),
        (18, 1000.0),
        (19, 1234567.5),
        (20, 3.0),
        (21, 42.0),
        (22, 7.0),
        (23, 8.0),
        (24, 9.0),
    ]
    assert_nothing_lost(pipeline, "Africa", "values.csv", list(range(2, 25)))
    # Rows with too few values read the missing trailing values as empty, as a spreadsheet does.
    ok(lines, "Americas", 7, 5, 2)
    assert quarantined(pipeline, "short_rows.csv") == [
        (4, "kg.required", "kg is required but empty"),
        (6, "year.required", "year is required but empty; kg is required but empty"),
    ]
    assert_nothing_lost(pipeline, "Americas", "short_rows.csv", list(range(2, 9)))
    # A quote opened and never closed would swallow every row after it: the file fails.
    assert failed(lines, "Asia") == (
        "unclosed_quote.csv, row 3: a quoted value opened in this row is never closed"
    )
    # Merged cells fill every row they cover; the merged title above the header is skipped.
    ok(lines, "Europe", 4, 4, 0)
    assert core(pipeline, "merged.xlsx", "source_row, region, subregion, country_iso3, kg") == [
        (4, "Europe", "Western and Central Europe", "ESP", 36000.0),
        (5, "Europe", "Western and Central Europe", "ESP", 47000.0),
        (6, "Europe", "Eastern Europe", "UKR", 120.0),
        (7, "Europe", "Eastern Europe", "UKR", 95.5),
    ]
    # Two 'Year' columns with the same values: loaded; the second is reported as unknown.
    ok(lines, "Oceania", 3, 3, 0)
    assert pipeline.query(
        "SELECT unknown_columns FROM raw.files WHERE source_name = 'duplicate_header_same.csv'",
        db=pipeline.warehouse,
    ) == [(["Year (column J)"],)]


@pytest.mark.slow
def test_huge_and_misshapen_files_load_or_fail_within_seconds(pipeline, tmp_path, corpus):
    started = time.monotonic()
    code, lines, _ = run(
        pipeline,
        tmp_path,
        corpus,
        {
            "Africa": "utf8_bom.csv",
            "Americas": "huge_field.csv",
            "Asia": "giant_line.json",
            "Europe": "not_an_array.json",
            "Oceania": "cached_formulas.xlsx",
        },
    )
    assert time.monotonic() - started < 60
    assert code == 1
    ok(lines, "Africa", 3, 3, 0)  # UTF-8 with BOM
    assert core(pipeline, "utf8_bom.csv", "country_name")[0] == ("Côte d'Ivoire",)
    # 50 MB on one CSV line: refused, naming the row, without reading it into the warehouse.
    assert failed(lines, "Americas") == (
        "huge_field.csv, row 3: a value is longer than 1,000,000 characters, more than any "
        "field holds (a quote left open swallows the rows after it)"
    )
    # 50 MB of JSON on one line: 2,000 records, all loaded.
    ok(lines, "Asia", 2000, 2000, 0)
    assert failed(lines, "Europe") == (
        "not_an_array.json: expected a JSON array of records, found an object"
    )
    # A formula whose value the file holds (as Excel saves it): the value is read.
    ok(lines, "Oceania", 2, 2, 0)
    assert core(pipeline, "cached_formulas.xlsx", "source_row, kg") == [(2, 10.5), (3, 21.0)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "title_missing.csv",
            b"Annual seizures\n\nRegion,Country,msCode,Drug group,DrugSubGroup,"
            b"Drug,Year\nAfrica,Kenya,KEN,NPS,NPS,X,2020\n",
            "title_missing.csv, row 3: required column(s) missing: kg (found: Region, Country, msCode, "
            "Drug group, DrugSubGroup, Drug, Year)",
        ),
        (
            "two_kg.csv",
            b"Region,Country,msCode,Drug group,DrugSubGroup,Drug,Year,Kilograms,Kg\n"
            b"Africa,Kenya,KEN,NPS,NPS,X,2020,1,1\n",
            "two_kg.csv, row 1: columns 'Kilograms' and 'Kg' both map to 'kg'",
        ),
        ("blank.csv", b"  \r\n\r\n \r\n", "blank.csv: the file holds no values"),
        (
            "workbook.csv",
            b"PK\x03\x04\x14\x00\x00\x00",
            "workbook.csv: is a ZIP archive (an xlsx workbook?), not csv text: is the format in the "
            "sources file right?",
        ),
        (
            "odd.csv",
            b"\xff\xfeR\x00e\x00g",
            "odd.csv: starts like UTF-16 text but is not valid UTF-16",
        ),
        ("none.json", b"[]", "none.json: the JSON array holds no records"),
        (
            "scalar.json",
            b'[{"Region": "Africa"}, 5]',
            "scalar.json, row 2: the record is a number, not an object with named fields",
        ),
        ("deep.json", b"[" * 100_000, "deep.json: cannot be parsed as json: nested too deeply"),
    ],
)
def test_more_unreadable_files_name_the_file_and_row(tmp_path, name, content, message):
    """Quick checks of the reader's messages, without a pipeline run."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        table = read_submission(path, path.suffix[1:], name=name)
        map_headers(table, load_contract("annual_seizures"), name=name)
    assert str(caught.value) == message
