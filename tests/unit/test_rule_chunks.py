"""The row rules run a chunk at a time on large regions: the split must not depend on the size."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from drugtrends.contracts import load_contract
from drugtrends.core.quarantine import split_batch

CONTRACT = load_contract("annual_seizures")
GOOD = {
    "region": "Europe",
    "subregion": "Western and Central Europe",
    "country_name": "Spain",
    "country_iso3": "ESP",
    "drug_group": "Cocaine and Derivatives",
    "drug_subgroup": "Cocaine",
    "drug": "Cocaine hydrochloride",
    "year": "2020",
    "kg": "12.5",
}
BROKEN = {2: {"kg": "-5"}, 5: {"year": "1890"}, 6: {"region": "Asia"}, 9: {"kg": "lots"}}


def raw_rows(n: int) -> pl.DataFrame:
    rows = [GOOD | {"kg": str(i + 1)} | BROKEN.get(i, {}) for i in range(n)]
    return pl.DataFrame(rows).with_columns(
        pl.lit(None, pl.String).alias("_extra"),
        (pl.int_range(pl.len()) + 2).cast(pl.Int64).alias("_source_row"),
        pl.lit(1, pl.Int64).alias("_header_row"),
        pl.lit("given.json").alias("_source_file"),
        pl.lit("f1").alias("_file_id"),
        pl.lit("run").alias("_run_id"),
        pl.lit(datetime(2026, 1, 1, tzinfo=UTC)).alias("_loaded_at"),
    )


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 7, 11, 12])
def test_any_chunk_size_gives_the_same_clean_and_quarantined_rows_in_order(chunk_rows):
    raw = raw_rows(11)
    whole = split_batch(raw, CONTRACT, "Europe", "run")
    chunked = split_batch(raw, CONTRACT, "Europe", "run", chunk_rows=chunk_rows)
    assert whole.clean["source_row"].to_list() == [r + 2 for r in range(11) if r not in BROKEN]
    assert whole.quarantined["source_row"].to_list() == [r + 2 for r in sorted(BROKEN)]
    assert chunked.clean.equals(whole.clean)
    stamp = "quarantined_at"
    assert chunked.quarantined.drop(stamp).equals(whole.quarantined.drop(stamp))
    assert chunked.reconciles and chunked.rule_counts() == whole.rule_counts()


def test_an_empty_batch_splits_into_nothing():
    split = split_batch(raw_rows(3).clear(), CONTRACT, "Europe", "run", chunk_rows=2)
    assert (split.clean.height, split.quarantined.height, split.raw_rows) == (0, 0, 0)
