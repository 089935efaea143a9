"""Scale benchmark: the annual-seizures path at N rows (default 1,000,000; try 10,000,000).

Times each stage on synthetic rows (read CSV as text -> map headers -> contract row rules ->
transform -> marts SQL) and prints rows/s and peak memory. No Dagster, no network.

    .venv/bin/python benchmarks/pipeline_scale.py [ROWS] [--gx]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from drugtrends.contracts import load_contract
from drugtrends.core.datasets.annual_seizures import transform
from drugtrends.core.quarantine import split_batch
from drugtrends.marts.build import build_mart
from drugtrends.raw.headers import map_headers
from drugtrends.raw.readers import read_submission

COUNTRIES = [
    ("Kenya", "KEN", "Africa"),
    ("Spain", "ESP", "Europe"),
    ("Brazil", "BRA", "Americas"),
    ("Thailand", "THA", "Asia"),
    ("Australia", "AUS", "Oceania"),
]


def synthetic(rows: int) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    idx = rng.integers(0, len(COUNTRIES), rows)
    kg = rng.gamma(1.2, 500.0, rows).round(2).astype(str)
    kg[rng.random(rows) < 0.001] = "n/a"  # a few bad rows, as in real submissions
    return (
        pl.DataFrame(
            {
                "Region": [COUNTRIES[i][2] for i in range(len(COUNTRIES))],
            }
        )
        .clear()
        .vstack(
            pl.DataFrame(
                {
                    "Region": np.array([c[2] for c in COUNTRIES])[idx],
                }
            )
        )
        .with_columns(
            pl.Series("SubRegion", np.array(["Sub"] * rows)),
            pl.Series("Country/Territory", np.array([c[0] for c in COUNTRIES])[idx]),
            pl.Series("msCode", np.array([c[1] for c in COUNTRIES])[idx]),
            pl.lit("Cocaine and Derivatives").alias("Drug group"),
            pl.Series("DrugSubGroup", np.where(rng.random(rows) < 0.1, "Coca-type", "Cocaine")),
            pl.Series(
                "Drug",
                np.where(
                    rng.random(rows) < 0.02, "Cocaine (total of the above)", "Cocaine hydrochloride"
                ),
            ),
            pl.Series("Year", rng.integers(2000, 2024, rows).astype(str)),
            pl.Series("Kilograms", kg),
        )
    )


def timed(label: str, rows: int, fn):
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<28} {seconds:8.2f} s   {rows / seconds:>12,.0f} rows/s")
    return out


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    with_gx = "--gx" in sys.argv
    contract = load_contract("annual_seizures")
    print(f"annual_seizures at {rows:,} rows")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "annual.csv"
        timed("generate + write csv", rows, lambda: synthetic(rows).write_csv(path))
        table = timed(
            "read csv as text", rows, lambda: read_submission(path, "csv", name="annual.csv")
        )
        mapped, _ = timed("map headers", rows, lambda: map_headers(table, contract, name="x"))
        raw = mapped.with_columns(
            pl.lit("f").alias("_file_id"),
            pl.lit("annual.csv").alias("_source_file"),
            pl.lit("run").alias("_run_id"),
            pl.lit(None, pl.Datetime("us", "UTC")).alias("_loaded_at"),
        )
        split = timed(
            "contract rules + transform",
            rows,
            lambda: split_batch(raw, contract, "all", "run", transform),
        )
        print(
            f"  clean {split.clean.height:,}, quarantined {split.quarantined.height:,}, "
            f"reconciles: {split.reconciles}"
        )
        if with_gx:
            from drugtrends.core import gx

            report = timed("great expectations", rows, lambda: gx.validate(split.clean, contract))
            print(f"  {report.summary}")
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false; CREATE SCHEMA core; CREATE SCHEMA marts")
        con.register("clean", split.clean.to_arrow())
        timed(
            "load into duckdb",
            rows,
            lambda: con.execute("CREATE TABLE core.annual_seizures AS SELECT * FROM clean"),
        )
        timed("mart: by_subgroup", rows, lambda: build_mart(con, "annual_seizures_by_subgroup"))
        timed("mart: seizure_trends", rows, lambda: build_mart(con, "seizure_trends"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
