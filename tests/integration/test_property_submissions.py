"""Property: whatever a submission holds, every row read ends in core or in quarantine, once.

Hypothesis writes annual_seizures submissions as CSV or JSON files: header aliases in any case
and order, missing optional columns, random extra columns, and values that are valid, random
unicode, numbers in every spelling, "N/A", blanks. They are read, mapped and split exactly as
the pipeline does it (no Dagster needed).
"""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from drugtrends.contracts import load_contract
from drugtrends.core.quarantine import split_batch
from drugtrends.raw.headers import map_headers
from drugtrends.raw.readers import READER_COLUMNS, read_submission

CONTRACT = load_contract("annual_seizures")
# Characters with the Unicode White_Space property: a row holding only these holds no value.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
VALID = {
    "region": ["Africa", "Americas", "Asia", "Europe", "Oceania", "africa "],
    "subregion": ["East Africa", "South America", "Côte-Sud"],
    "country_name": ["Kenya", "Côte d'Ivoire", "Türkiye", "Micronesia, Federated States of"],
    "country_iso3": ["KEN", "CIV", "TUR", "FSM", "XXX", "ken"],
    "drug_group": ["Cocaine and Derivatives", "Opioids and Opiates", "NPS"],
    "drug_subgroup": ["Cocaine", "Opiates", "Reported total NPS"],
    "drug": ["Heroin", "Cocaine hydrochloride", "Total cocaine (total of the above)"],
    "year": ["2019", "2020", "1890", "2020.0", "2020.5", "2,020"],
    "kg": ["0", "12.5", "1,234.5", "1 234,5", "1,234", "-5", "1e3", "1e400", "250000000"],
}
NOT_AVAILABLE = ["", " ", "N/A", "-", "--", "null", "NaN", "..."]
# Any text but surrogates (not encodable) and NUL (which makes a file binary).
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
CONTRACT_KEYS = {
    "".join(ch for ch in a.lower() if ch.isascii() and ch.isalnum())
    for c in CONTRACT.columns
    for a in (c.name, *c.aliases)
}


def _key(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isascii() and ch.isalnum())


def _blank(value: object) -> bool:
    return value is None or not str(value).strip(WHITE_SPACE)


def value_for(column: str) -> st.SearchStrategy[object]:
    numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=True))
    odd = st.one_of(
        st.booleans(), st.lists(st.integers(), max_size=2), st.dictionaries(TEXT, TEXT, max_size=1)
    )  # JSON: kept as text
    return st.one_of(
        st.sampled_from(VALID.get(column, ["x"])),
        st.sampled_from(NOT_AVAILABLE),
        TEXT,
        numbers,
        odd,
        st.none(),
    )


@st.composite
def submissions(draw: st.DrawFn) -> tuple[str, list[str], list[list[object]]]:
    """(format, header, rows): every required column under some alias, the rest by chance."""
    columns = [c for c in CONTRACT.columns if c.required or draw(st.booleans())]
    header = []
    for column in columns:
        alias = draw(st.sampled_from([column.name, *column.aliases]))
        header.append(draw(st.sampled_from([alias, alias.upper(), f" {alias.lower()} "])))
    extras = draw(
        st.lists(
            TEXT.filter(lambda h: _key(h) not in CONTRACT_KEYS and h.strip() not in READER_COLUMNS),
            max_size=3,
            unique_by=lambda h: h.strip() or object(),
        )
    )
    values = [value_for(c.name) for c in columns] + [TEXT for _ in extras]
    order = draw(st.permutations(range(len(header) + len(extras))))
    header = [(header + extras)[i] for i in order]
    rows = draw(
        st.lists(st.tuples(*values).map(lambda r: [r[i] for i in order]), min_size=1, max_size=12)
    )
    return draw(st.sampled_from(["csv", "json"])), header, rows


def write(directory: Path, fmt: str, header: list[str], rows: list[list[object]]) -> Path:
    path = directory / f"submission.{fmt}"
    if fmt == "json":
        path.write_text(
            json.dumps([dict(zip(header, r, strict=True)) for r in rows]), encoding="utf-8"
        )
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in r] for r in rows])
    return path


@settings(deadline=None, max_examples=30)
@given(submissions())
def test_every_row_read_ends_in_core_or_quarantine_once(submission):
    fmt, header, rows = submission
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), fmt, header, rows)
        table = read_submission(path, fmt, name=path.name)
    mapped, _ = map_headers(table, CONTRACT, name=path.name)
    raw = mapped.with_columns(  # the provenance ingest adds
        pl.lit(path.name).alias("_source_file"),
        pl.lit("f1").alias("_file_id"),
        pl.lit("run").alias("_run_id"),
        pl.lit(datetime.now(UTC)).alias("_loaded_at"),
    )
    split = split_batch(raw, CONTRACT, "Africa", "run")
    # At scale the row rules run chunk by chunk: any chunk size gives the same split, in order.
    chunked = split_batch(raw, CONTRACT, "Africa", "run", chunk_rows=1)
    assert chunked.clean.equals(split.clean)
    assert chunked.quarantined.drop("quarantined_at").equals(
        split.quarantined.drop("quarantined_at")
    )

    # Nothing lost reading: every row holding any value is read, under its own row number.
    first = 2 if fmt == "csv" else 1  # CSV: the header is row 1; JSON: record index from 1
    held = [first + i for i, r in enumerate(rows) if not all(_blank(v) for v in r)]
    assert raw["_source_row"].to_list() == held
    # Nothing lost splitting: counts reconcile, each row is clean or quarantined exactly once.
    assert split.reconciles
    ends = split.clean["source_row"].to_list() + split.quarantined["source_row"].to_list()
    assert sorted(ends) == held
    # Every quarantined row says why; no clean row lacks a required value.
    assert (
        split.quarantined.filter(
            pl.col("rule").is_null() | pl.col("message").is_null() | (pl.col("message") == "")
        ).height
        == 0
    )
    assert split.clean.select(CONTRACT.required).null_count().sum_horizontal().item() == 0
