"""Header mapping: aliases, case and punctuation, unknown columns kept, and clear failures."""

from __future__ import annotations

import json

import polars as pl
import pytest

from drugtrends.contracts import EXTRA, Column, Contract
from drugtrends.errors import SourceError
from drugtrends.raw.headers import map_headers

CONTRACT = Contract(
    id="t",
    version="1",
    columns=(
        Column("country_iso3", "string", required=True, aliases=("msCode",)),
        Column("kg", "number", aliases=("Kilograms",)),
        Column("year", "integer"),
    ),
)


def table(columns: dict[str, list[str]]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    return pl.DataFrame({**columns, "_source_row": list(range(2, n + 2))})


def test_aliases_case_and_punctuation_map_to_canonical_names_in_contract_order():
    out, unknown = map_headers(
        table({" KILOGRAMS ": ["1"], "ms-code": ["KEN"], "Notes": ["n"]}), CONTRACT, name="f.csv"
    )
    assert out.columns == ["country_iso3", "kg", "year", EXTRA, "_source_row"]
    assert out.row(0) == ("KEN", "1", None, '{"Notes":"n"}', 2)
    assert unknown == ["Notes"]
    assert json.loads(out[EXTRA].item()) == {"Notes": "n"}


def test_no_unknown_columns_means_no_extra_value():
    out, unknown = map_headers(table({"msCode": ["KEN"]}), CONTRACT, name="f.csv")
    assert unknown == [] and out[EXTRA].to_list() == [None]


def test_a_missing_required_column_names_what_was_found():
    with pytest.raises(SourceError) as caught:
        map_headers(table({"Kilograms": ["1"], "Year": ["2020"]}), CONTRACT, name="f.csv")
    assert str(caught.value) == (
        "f.csv, row 1: required column(s) missing: country_iso3 (found: Kilograms, Year)"
    )


def test_two_headers_for_one_column_fail_the_file():
    with pytest.raises(SourceError) as caught:
        map_headers(table({"Kilograms": ["1"], "kg": ["2"], "msCode": ["K"]}), CONTRACT, name="f")
    assert str(caught.value) == "f, row 1: columns 'Kilograms' and 'kg' both map to 'kg'"
