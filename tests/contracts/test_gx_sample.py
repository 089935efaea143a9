"""Great Expectations on a sample of a large batch: said so in the report, row count on the whole."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from drugtrends.contracts import load_contract

pytestmark = pytest.mark.slow  # imports Great Expectations (~10 s)


def _annual(rows: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "region": ["Europe"] * rows,
            "subregion": ["Western and Central Europe"] * rows,
            "country_name": ["Spain"] * rows,
            "country_iso3": ["ESP"] * rows,
            "drug_group": ["Cocaine and Derivatives"] * rows,
            "drug_subgroup": ["Cocaine"] * rows,
            "drug": ["Cocaine hydrochloride"] * rows,
            "year": [2020] * rows,
            "kg": [float(i % 100) for i in range(rows)],
        }
    )


def test_a_large_batch_is_checked_on_a_sample_and_says_so():
    from drugtrends.core import gx

    report = gx.validate(_annual(5_000), load_contract("annual_seizures"), sample_rows=1_000)
    assert report.success, report.failures
    assert (report.rows_checked, report.rows_in_batch, report.sampled) == (1_000, 5_000, True)
    assert "sample of 1000 of 5000 rows" in report.summary


def test_a_small_batch_is_checked_whole():
    from drugtrends.core import gx

    report = gx.validate(_annual(500), load_contract("annual_seizures"), sample_rows=1_000)
    assert (report.rows_checked, report.sampled) == (500, False)


def test_the_row_count_is_judged_on_the_whole_batch_not_the_sample():
    from drugtrends.core import gx

    contract = dataclasses.replace(load_contract("annual_seizures"), row_count_max=2_000)
    report = gx.validate(_annual(5_000), contract, sample_rows=1_000)
    assert not report.success
    assert report.failures == {"row_count": 5_000}


def test_a_sample_drawn_where_the_batch_is_stored_is_reported_against_the_whole_batch():
    """Marts are sampled by DuckDB before GX sees them: the report names the whole batch, and
    its row count is judged on the whole batch."""
    from drugtrends.core import gx

    contract = load_contract("annual_seizures")
    report = gx.validate(_annual(1_000), contract, sample_rows=1_000, batch_rows=5_000)
    assert (report.rows_checked, report.rows_in_batch, report.sampled) == (1_000, 5_000, True)
    capped = dataclasses.replace(contract, row_count_max=2_000)
    report = gx.validate(_annual(1_000), capped, sample_rows=1_000, batch_rows=5_000)
    assert report.failures == {"row_count": 5_000}
