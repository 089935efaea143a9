"""A tiny published snapshot, written straight with DuckDB: known numbers for dashboard tests.

Same tables and columns as the pipeline's snapshot (``drugtrends.publish``), a handful of rows:
World = Europe + Africa, two drug groups, 2019-2021, Africa's cocaine not reported in 2020.
Written beside the target and swapped in with ``os.replace``, as the pipeline does.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

CANNABIS = "Cannabis and Synthetic Cannabinoids"
COCAINE = "Cocaine and Derivatives"
YEARS = (2019, 2020, 2021)

# (region, drug group) -> {year: (kg, countries reporting)}; a missing year = not reported.
SERIES: dict[tuple[str, str], dict[int, tuple[float, int]]] = {
    ("Europe", CANNABIS): {2019: (1_000_000, 30), 2020: (1_200_000, 32), 2021: (900_000, 31)},
    ("Europe", COCAINE): {2019: (200_000, 20), 2020: (250_000, 21), 2021: (300_000, 22)},
    ("Africa", CANNABIS): {2019: (500_000, 10), 2020: (600_000, 11), 2021: (700_000, 12)},
    ("Africa", COCAINE): {2019: (10_000, 3), 2021: (20_000, 4)},
}

TRENDS_DDL = """
CREATE TABLE marts.seizure_trends (
    level VARCHAR, area VARCHAR, area_name VARCHAR, region VARCHAR, grain VARCHAR,
    drug_group VARCHAR, drug_subgroup VARCHAR, year BIGINT, kg DOUBLE,
    countries_reporting BIGINT, kg_previous_year DOUBLE, yoy_change_kg DOUBLE,
    yoy_change_pct DOUBLE, share_of_global DOUBLE
)"""
OTHER_DDL = """
CREATE TABLE meta.snapshot (snapshot_id VARCHAR, created_at TIMESTAMPTZ, run_id VARCHAR,
                            tables JSON);
CREATE TABLE marts.annual_seizures_by_subgroup (
    region VARCHAR, subregion VARCHAR, country_iso3 VARCHAR, country_name VARCHAR, year BIGINT,
    drug_group VARCHAR, drug_subgroup VARCHAR, kg DOUBLE, basis VARCHAR, rollup_role VARCHAR,
    source_rows BIGINT, provenance VARCHAR[], contract_version VARCHAR);
CREATE TABLE core.annual_seizures (
    region VARCHAR, subregion VARCHAR, country_iso3 VARCHAR, country_name VARCHAR,
    drug_group VARCHAR, drug_subgroup VARCHAR, drug VARCHAR, year BIGINT, kg DOUBLE,
    source_file VARCHAR, source_row BIGINT, contract_version VARCHAR);
CREATE TABLE quarantine.rows (
    dataset VARCHAR, region VARCHAR, source_file VARCHAR, file_id VARCHAR, source_row BIGINT,
    record JSON, rule VARCHAR, message VARCHAR, contract_version VARCHAR, run_id VARCHAR,
    quarantined_at TIMESTAMPTZ);
CREATE TABLE meta.partition_runs (
    dataset VARCHAR, region VARCHAR, run_id VARCHAR, status VARCHAR, message VARCHAR,
    raw_rows BIGINT, clean_rows BIGINT, quarantined_rows BIGINT, contract_version VARCHAR,
    finished_at TIMESTAMPTZ);
CREATE TABLE meta.check_results (
    dataset VARCHAR, region VARCHAR, run_id VARCHAR, check_name VARCHAR, severity VARCHAR,
    passed BOOLEAN, summary VARCHAR, details JSON, contract_version VARCHAR,
    checked_at TIMESTAMPTZ);
CREATE TABLE raw.files (
    file_id VARCHAR, dataset VARCHAR, region VARCHAR, source_name VARCHAR, location VARCHAR,
    format VARCHAR, sha256 VARCHAR, size_bytes BIGINT, fetched_at TIMESTAMPTZ,
    landed_path VARCHAR, rows BIGINT, unknown_columns VARCHAR[], run_id VARCHAR);
"""


def _series(scale: float) -> dict[tuple[str, str, str], dict[int, tuple[float, int]]]:
    """(level, area, group) -> {year: (kg, countries)}, with the World rolled up."""
    out: dict[tuple[str, str, str], dict[int, tuple[float, int]]] = {}
    for (region, group), points in SERIES.items():
        out[("region", region, group)] = {y: (kg * scale, n) for y, (kg, n) in points.items()}
        world = out.setdefault(("global", "World", group), {})
        for year, (kg, n) in points.items():
            total, count = world.get(year, (0.0, 0))
            world[year] = (total + kg * scale, count + n)
    return out


def trend_rows(scale: float = 1.0) -> list[tuple]:
    series = _series(scale)
    rows = []
    for (level, area, group), points in series.items():
        for year, (kg, countries) in sorted(points.items()):
            prev = points.get(year - 1)
            prev_kg = prev[0] if prev else None
            change = kg - prev_kg if prev_kg is not None else None
            pct = 100 * change / prev_kg if prev_kg else None
            world_kg = series[("global", "World", group)][year][0]
            rows.append((level, area, area, None if level == "global" else area, "drug_group",
                         group, None, year, kg, countries, prev_kg, change, pct, kg / world_kg))
    # Rows the overview must not pick up: another grain and another level, same names.
    rows.append(("global", "World", "World", None, "drug_subgroup", COCAINE, "Cocaine-type",
                 2021, 1.0, 1, None, None, None, 1.0))
    rows.append(("subregion", "Europe", "Europe", "Europe", "drug_group", CANNABIS, None, 2021,
                 1.0, 1, None, None, None, 0.0))
    return rows


def build_snapshot(path: Path, *, snapshot_id: str = "20240101T000000000000Z",
                   scale: float = 1.0) -> Path:
    """Write the snapshot to ``path`` atomically (replacing any current one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.{snapshot_id}.building")
    building.unlink(missing_ok=True)
    con = duckdb.connect(str(building))
    try:
        for schema in ("core", "quarantine", "marts", "meta", "raw"):
            con.execute(f"CREATE SCHEMA {schema}")
        con.execute(TRENDS_DDL)
        con.execute(OTHER_DDL)
        rows = trend_rows(scale)
        con.executemany("INSERT INTO marts.seizure_trends VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("INSERT INTO meta.snapshot VALUES (?, ?, ?, ?)",
                    [snapshot_id, datetime(2024, 1, 1, 6, 30, tzinfo=UTC), "run-tiny",
                     json.dumps({"marts.seizure_trends": len(rows)})])
    finally:
        con.close()
    os.chmod(building, 0o444)  # published snapshots are read-only files
    os.replace(building, path)
    return path
