"""A small snapshot at country level for the explorer and country-profile tests.

Given rows of ``marts.annual_seizures_by_subgroup`` and ``core.annual_seizures`` (one source
row per figure), ``marts.seizure_trends`` built from them by the pipeline's own SQL, corridors
from ``tests.dashboards.snapshot``. Tests compare what the pages show with sums of
:data:`FIGURES` computed in Python.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from drugtrends.marts.build import mart_sql, register_references
from tests.dashboards.snapshot import CANNABIS, COCAINE, OTHER_DDL, ROUTES_DDL, corridor_rows

SOUTH_AMERICA, SOUTHERN_EUROPE, WESTERN_EUROPE = (
    "South America",
    "Southern Europe",
    "Western Europe",
)
PLACES = {
    "COL": ("Colombia", "Americas", SOUTH_AMERICA),
    "BRA": ("Brazil", "Americas", SOUTH_AMERICA),
    "ECU": ("Ecuador", "Americas", SOUTH_AMERICA),
    "ESP": ("Spain", "Europe", SOUTHERN_EUROPE),
    "FRA": ("France", "Europe", WESTERN_EUROPE),
}
# (iso3, group, subgroup, year, kg)
FIGURES: list[tuple[str, str, str, int, float]] = [
    ("COL", COCAINE, "Cocaine-type", 2019, 100.0),
    ("COL", COCAINE, "Cocaine-type", 2020, 150.0),
    ("COL", COCAINE, "Cocaine-type", 2021, 160.0),
    ("COL", CANNABIS, "Cannabis herb", 2020, 10.0),
    ("BRA", COCAINE, "Cocaine-type", 2019, 50.0),
    ("BRA", COCAINE, "Cocaine-type", 2020, 40.0),
    ("ECU", COCAINE, "Cocaine-type", 2020, 20.0),
    ("ESP", COCAINE, "Cocaine-type", 2019, 30.0),
    ("ESP", COCAINE, "Cocaine-type", 2020, 70.0),  # +133%: flagged as doubled
    ("ESP", COCAINE, "Cocaine-type", 2021, 40.0),
    ("ESP", CANNABIS, "Cannabis resin", 2019, 200.0),
    ("FRA", CANNABIS, "Cannabis herb", 2020, 100.0),
]
SOURCE_FILE = "annual_2019_2021.json"
SHA256 = "ab" * 32


def build_country_snapshot(
    path: Path, *, snapshot_id: str = "20240301T000000000000Z", scale: float = 1.0
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.{snapshot_id}.building")
    building.unlink(missing_ok=True)
    con = duckdb.connect(str(building))
    try:
        for schema in ("core", "quarantine", "marts", "meta", "raw"):
            con.execute(f"CREATE SCHEMA {schema}")
        con.execute(OTHER_DDL)
        con.execute(ROUTES_DDL)
        for i, (iso3, group, subgroup, year, kg) in enumerate(FIGURES, start=2):
            name, region, subregion = PLACES[iso3]
            con.execute(
                "INSERT INTO marts.annual_seizures_by_subgroup VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, 'components', 'component', 1, ?, '1.0.0')",
                [
                    region,
                    subregion,
                    iso3,
                    name,
                    year,
                    group,
                    subgroup,
                    kg * scale,
                    [f"{SOURCE_FILE}#{i}"],
                ],
            )
            con.execute(
                "INSERT INTO core.annual_seizures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '1.0.0')",
                [
                    region,
                    subregion,
                    iso3,
                    name,
                    group,
                    subgroup,
                    subgroup,
                    year,
                    kg * scale,
                    SOURCE_FILE,
                    i,
                ],
            )
        con.execute(
            "INSERT INTO raw.files VALUES ('f1', 'annual_seizures', 'all', ?, ?, 'json', ?, "
            "1234, ?, 'landing/f1.json', ?, [], 'run-c')",
            [
                SOURCE_FILE,
                f"/data/{SOURCE_FILE}",
                SHA256,
                datetime(2024, 3, 1, 5, 0, tzinfo=UTC),
                len(FIGURES),
            ],
        )
        register_references(con)  # the mart's SQL reads ref_thresholds
        con.execute(f"CREATE TABLE marts.seizure_trends AS {mart_sql('seizure_trends')}")
        corridors = corridor_rows()
        marks = ", ".join("?" * len(corridors[0]))
        con.executemany(f"INSERT INTO marts.route_corridors VALUES ({marks})", corridors)
        con.execute(
            "INSERT INTO meta.snapshot VALUES (?, ?, 'run-c', ?)",
            [snapshot_id, datetime(2024, 3, 1, 6, 0, tzinfo=UTC), json.dumps({})],
        )
    finally:
        con.close()
    os.chmod(building, 0o444)
    os.replace(building, path)
    return path
