"""A tiny published snapshot, written straight with DuckDB: known numbers for dashboard tests.

Same tables and columns as the pipeline's snapshot (``drugtrends.serving.snapshot``), a handful of rows:
World = Europe + Africa, two drug groups, 2019-2021, Africa's cocaine not reported in 2020.
Routes (:data:`FLOWS`, :data:`CORRIDORS`) and the pipeline's records (:data:`RUNS`, checks,
quarantined rows, files) follow below with the numbers the tests expect.
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
    yoy_change_pct DOUBLE, share_of_global DOUBLE, countries_reporting_previous_year BIGINT,
    yoy_flag VARCHAR
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
    finished_at TIMESTAMPTZ, details JSON);
CREATE TABLE meta.check_results (
    dataset VARCHAR, region VARCHAR, run_id VARCHAR, check_name VARCHAR, severity VARCHAR,
    passed BOOLEAN, summary VARCHAR, details JSON, contract_version VARCHAR,
    checked_at TIMESTAMPTZ);
CREATE TABLE raw.files (
    file_id VARCHAR, dataset VARCHAR, region VARCHAR, source_name VARCHAR, location VARCHAR,
    format VARCHAR, sha256 VARCHAR, size_bytes BIGINT, fetched_at TIMESTAMPTZ,
    landed_path VARCHAR, rows BIGINT, unknown_columns VARCHAR[], run_id VARCHAR);
"""

ROUTES_DDL = """
CREATE TABLE marts.route_flows (
    year BIGINT, drug_group VARCHAR, series_id VARCHAR, series VARCHAR, departure_iso3 VARCHAR,
    seizing_iso3 VARCHAR, destination_iso3 VARCHAR, is_domestic BOOLEAN, seizures BIGINT,
    seizures_incl_duplicates BIGINT, seizures_with_kg BIGINT, kg_equivalent DOUBLE,
    outlier_seizures BIGINT, kg_equivalent_excl_outliers DOUBLE);
CREATE TABLE marts.route_legs (
    year BIGINT, drug_group VARCHAR, series_id VARCHAR, series VARCHAR, from_iso3 VARCHAR,
    to_iso3 VARCHAR, seizures BIGINT, seizures_incl_duplicates BIGINT, kg_equivalent DOUBLE,
    outlier_seizures BIGINT, kg_equivalent_excl_outliers DOUBLE);
CREATE TABLE marts.route_corridors (
    year BIGINT, drug_group VARCHAR, series_id VARCHAR, series VARCHAR,
    departure_iso3 VARCHAR, destination_iso3 VARCHAR, seizures BIGINT, kg_equivalent DOUBLE,
    outlier_seizures BIGINT, kg_equivalent_excl_outliers DOUBLE, has_outlier BOOLEAN,
    share_of_seizures DOUBLE, share_of_kg DOUBLE, main_transport VARCHAR,
    main_transport_kg VARCHAR,
    transport_mix STRUCT(transport VARCHAR, seizures BIGINT, kg_equivalent DOUBLE,
                         outlier_seizures BIGINT, kg_equivalent_excl_outliers DOUBLE)[]);
CREATE TABLE marts.seizure_cases (
    series_id VARCHAR, country_iso3 VARCHAR, year BIGINT, seizure_date DATE,
    is_duplicate BOOLEAN, outlier_flag BOOLEAN);
"""

# The headline series of each group in the tiny snapshot (id, name).
GROUP_SERIES = {COCAINE: ("cocaine", "Cocaine"), CANNABIS: ("cannabis_herb", "Cannabis herb")}
# (year, departure, seizing, destination) -> (flagged outlier seizures, their kg): the 2020
# Ecuador -> Netherlands flow holds one large outlier of 300 kg (sea freight).
OUTLIERS = {(2020, "ECU", "NLD", "NLD"): (1, 300.0)}

# (year, group, departure, seizing, destination, seizures, incl. duplicates, with kg, kg)
# Regions: ESP PRT ITA NLD FRA Europe; NGA MAR Africa; COL BRA ECU PER Americas.
FLOWS: list[tuple] = [
    (2019, COCAINE, "COL", "ESP", "ESP", 10, 11, 10, 100.0),
    (2019, COCAINE, "BRA", "PRT", "ESP", 4, 4, 3, 30.0),  # transit through Portugal
    (2019, COCAINE, None, "ESP", None, 6, 6, 6, 12.0),  # route not reported
    (2020, COCAINE, "COL", "ESP", "ITA", 5, 5, 5, 50.0),
    (2020, COCAINE, "ECU", "NLD", "NLD", 8, 8, 8, 400.0),
    (2021, COCAINE, "COL", "NGA", "ESP", 3, 3, 3, 9.0),  # seized in Africa
    (2021, COCAINE, "PER", "ESP", None, 2, 2, 0, 0.0),  # no kg, destination unknown
    (2019, CANNABIS, "MAR", "ESP", "FRA", 20, 20, 20, 2000.0),
    (2021, CANNABIS, "MAR", "MAR", "ESP", 7, 7, 7, 700.0),  # seized on the way out
    (2019, None, "COL", "ESP", "ESP", 1, 1, 1, 1.0),  # drug name not mapped
]
# Cocaine 2019-2021, World: 38 seizures (1 duplicate row left out), 601 kg.

# (year, group, departure, destination, [(transport, seizures, kg)]), as the mart derives them
# from FLOWS: known, different ends; shares over all seizures of the group and year.
CORRIDORS: list[tuple] = [
    (2019, COCAINE, "COL", "ESP", [("Commercial air", 7, 40.0), ("Commercial sea", 3, 60.0)]),
    (2019, COCAINE, "BRA", "ESP", [("Commercial sea", 4, 30.0)]),
    (2020, COCAINE, "COL", "ITA", [("Commercial air", 5, 50.0)]),
    (2020, COCAINE, "ECU", "NLD", [("Commercial sea", 6, 390.0), ("Not reported", 2, 10.0)]),
    (2021, COCAINE, "COL", "ESP", [("Commercial air", 3, 9.0)]),
    (2019, CANNABIS, "MAR", "FRA", [("Private road", 20, 2000.0)]),
    (2021, CANNABIS, "MAR", "ESP", [("Private sea", 7, 700.0)]),
]


def _series_of(group: str | None) -> tuple[str | None, str | None]:
    return GROUP_SERIES.get(group, (None, None)) if group else (None, None)


def flow_rows() -> list[tuple]:
    """FLOWS with the mart's series, domestic and outlier columns."""
    rows = []
    for year, group, dep, seizing, dest, seizures, dups, with_kg, kg in FLOWS:
        outliers, outlier_kg = OUTLIERS.get((year, dep, seizing, dest), (0, 0.0))
        domestic = dep is not None and dep == dest
        rows.append(
            (year, group, *_series_of(group), dep, seizing, dest, domestic, seizures, dups)
            + (with_kg, kg, outliers, kg - outlier_kg)
        )
    return rows


def corridor_rows() -> list[tuple]:
    totals: dict[tuple, tuple[int, float]] = {}
    for year, group, *_, seizures, _dups, _with_kg, kg in FLOWS:
        count, weight = totals.get((year, group), (0, 0.0))
        totals[(year, group)] = (count + seizures, weight + kg)
    rows = []
    for year, group, departure, destination, mix in CORRIDORS:
        seizures = sum(n for _, n, _ in mix)
        kg = sum(w for _, _, w in mix)
        all_seizures, all_kg = totals[(year, group)]
        main = sorted(mix, key=lambda m: (-m[1], m[0]))[0][0]
        main_kg = sorted(mix, key=lambda m: (-m[2], m[0]))[0][0]
        flagged = [
            v for k, v in OUTLIERS.items() if (k[0], k[1], k[3]) == (year, departure, destination)
        ]
        outliers, outlier_kg = flagged[0] if flagged else (0, 0.0)
        # The outlier travelled by the corridor's first mode (sea freight for Ecuador).
        struct = [
            {
                "transport": t,
                "seizures": n,
                "kg_equivalent": w,
                "outlier_seizures": outliers if i == 0 else 0,
                "kg_equivalent_excl_outliers": w - (outlier_kg if i == 0 else 0.0),
            }
            for i, (t, n, w) in enumerate(mix)
        ]
        rows.append(
            (
                year,
                group,
                *_series_of(group),
                departure,
                destination,
                seizures,
                kg,
                outliers,
                kg - outlier_kg,
                outliers > 0,
                seizures / all_seizures,
                kg / all_kg if all_kg else None,
                main,
                main_kg,
                struct,
            )
        )
    return rows


def case_rows() -> list[tuple]:
    """One dated case per flow seizure (the routes page reads only the dates)."""
    rows = []
    for year, group, _dep, seizing, *_ in FLOWS:
        series_id = _series_of(group)[0]
        rows.append((series_id, seizing, year, f"{year}-01-15", False, False))
        rows.append((series_id, seizing, year, f"{year}-11-30", False, False))
    return rows


def leg_rows() -> list[tuple]:
    legs: dict[tuple, list[float]] = {}
    for year, group, departure, seizing, destination, seizures, dups, _with_kg, kg in FLOWS:
        chain = [c for c in (departure, seizing, destination) if c]
        chain = [c for i, c in enumerate(chain) if i == 0 or c != chain[i - 1]]
        outliers, outlier_kg = OUTLIERS.get((year, departure, seizing, destination), (0, 0.0))
        for start, end in zip(chain, chain[1:], strict=False):
            key = (year, group, *_series_of(group), start, end)
            total = legs.setdefault(key, [0, 0, 0.0, 0, 0.0])
            total[0] += seizures
            total[1] += dups
            total[2] += kg
            total[3] += outliers
            total[4] += kg - outlier_kg
    return [(*key, *values) for key, values in legs.items()]


def _at(hour: int) -> datetime:
    return datetime(2024, 1, 1, hour, 0, tzinfo=UTC)


ANNUAL, INDIVIDUAL = "annual_seizures", "individual_seizures"
QUARANTINE_LIMIT_MESSAGE = "60.0% of rows quarantined (limit 50%)"
# (dataset, region, run id, status, message, read, clean, quarantined, contract version, hour)
# Europe's annual data: published at 05:00 under 1.0.0, then blocked at 06:00 under 1.1.0.
# Asia: skipped. Americas and Oceania: never run.
RUNS: list[tuple] = [
    (ANNUAL, "Europe", "run-e1", "success", None, 10, 8, 2, "1.0.0", 5),
    (
        ANNUAL,
        "Europe",
        "run-e2",
        "failed",
        f"quarantine_share: {QUARANTINE_LIMIT_MESSAGE}",
        5,
        2,
        3,
        "1.1.0",
        6,
    ),
    (ANNUAL, "Africa", "run-a1", "success", None, 50, 50, 0, "1.1.0", 6),
    (
        ANNUAL,
        "Asia",
        "run-s1",
        "skipped",
        "no source configured for Asia",
        None,
        None,
        None,
        "1.1.0",
        6,
    ),
    (INDIVIDUAL, "Europe", "run-e2", "success", None, 200, 199, 1, "1.0.0", 6),
]


def check_rows() -> list[tuple]:
    rows = []
    for dataset, region, run_id, status, _msg, read, clean, quarantined, version, hour in RUNS:
        if status == "skipped":
            continue
        failed_share = (dataset, run_id) == (ANNUAL, "run-e2")
        share = quarantined / read
        for name, passed, summary in (
            ("contract", True, f"12 expectations passed on {clean} rows"),
            ("reconciliation", True, f"raw {read} = clean {clean} + quarantined {quarantined}"),
            (
                "quarantine_share",
                not failed_share,
                QUARANTINE_LIMIT_MESSAGE
                if failed_share
                else f"{100 * share:.1f}% of rows quarantined (limit 50%)",
            ),
        ):
            rows.append(
                (
                    dataset,
                    region,
                    run_id,
                    name,
                    "blocking",
                    passed,
                    summary,
                    None,
                    version,
                    _at(hour),
                )
            )
    return rows


# (dataset, region, file, row, rule, message, contract version, run id, hour)
QUARANTINED: list[tuple] = [
    (
        ANNUAL,
        "Europe",
        "annual_europe.csv",
        5,
        "kg.range",
        "kg '-1' is outside [0, 1e+08]",
        "1.0.0",
        "run-e1",
        5,
    ),
    (
        ANNUAL,
        "Europe",
        "annual_europe.csv",
        9,
        "year.range",
        "year '1890' is outside [1990, 2024]",
        "1.0.0",
        "run-e1",
        5,
    ),
    (
        ANNUAL,
        "Europe",
        "annual_europe.csv",
        3,
        "kg.required",
        "kg is required but empty",
        "1.1.0",
        "run-e2",
        6,
    ),
    (
        ANNUAL,
        "Europe",
        "annual_europe.csv",
        4,
        "kg.required",
        "kg is required but empty",
        "1.1.0",
        "run-e2",
        6,
    ),
    (
        ANNUAL,
        "Europe",
        "annual_europe.csv",
        7,
        "kg.range",
        "kg '-5' is outside [0, 1e+08]",
        "1.1.0",
        "run-e2",
        6,
    ),
    (
        INDIVIDUAL,
        "Europe",
        "individual_europe.json",
        12,
        "quantity.required",
        "quantity is required but empty",
        "1.0.0",
        "run-e2",
        6,
    ),
]
ANNUAL_SHA = "ab" * 32
INDIVIDUAL_SHA = "cd" * 32
FILES: list[tuple] = [
    (
        "abababababababab",
        ANNUAL,
        "Europe",
        "annual_europe.csv",
        "/data/annual_europe.csv",
        "csv",
        ANNUAL_SHA,
        12_345,
        _at(6),
        "/landing/ab",
        5,
        [],
        "run-e2",
    ),
    (
        "cdcdcdcdcdcdcdcd",
        INDIVIDUAL,
        "Europe",
        "individual_europe.json",
        "/data/individual_europe.json",
        "json",
        INDIVIDUAL_SHA,
        2_500_000,
        _at(5),
        "/landing/cd",
        200,
        ["EXTRA_NOTE"],
        "run-e2",
    ),
]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _write_routes_and_records(con: duckdb.DuckDBPyConnection, *, routes: bool) -> None:
    if routes:
        con.execute(ROUTES_DDL)
        con.executemany(f"INSERT INTO marts.route_flows VALUES ({_marks(14)})", flow_rows())
        con.executemany(f"INSERT INTO marts.route_legs VALUES ({_marks(11)})", leg_rows())
        con.executemany(f"INSERT INTO marts.route_corridors VALUES ({_marks(16)})", corridor_rows())
        con.executemany(f"INSERT INTO marts.seizure_cases VALUES ({_marks(6)})", case_rows())
    con.executemany(
        "INSERT INTO meta.partition_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [(*run[:9], _at(run[9])) for run in RUNS],
    )
    con.executemany(
        "INSERT INTO meta.check_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", check_rows()
    )
    con.executemany(
        "INSERT INTO quarantine.rows VALUES (?, ?, ?, 'abababababababab', ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                dataset,
                region,
                file,
                row,
                json.dumps({"row": row}),
                rule,
                message,
                version,
                run,
                _at(hour),
            )
            for dataset, region, file, row, rule, message, version, run, hour in QUARANTINED
        ],
    )
    con.executemany("INSERT INTO raw.files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", FILES)


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
            prev_n = prev[1] if prev else None
            change = kg - prev_kg if prev_kg is not None else None
            pct = 100 * change / prev_kg if prev_kg else None
            world_kg = series[("global", "World", group)][year][0]
            small = prev is not None and (prev_kg < 1000 or prev_n < 3)
            rows.append(
                (
                    level,
                    area,
                    area,
                    None if level == "global" else area,
                    "drug_group",
                    group,
                    None,
                    year,
                    kg,
                    countries,
                    prev_kg,
                    change,
                    pct,
                    kg / world_kg,
                    prev_n,
                    "small_base" if small else None,
                )
            )
    # Rows the overview must not pick up: another grain and another level, same names.
    rows.append(
        (
            "global",
            "World",
            "World",
            None,
            "drug_subgroup",
            COCAINE,
            "Cocaine-type",
            2021,
            1.0,
            1,
            None,
            None,
            None,
            1.0,
            None,
            None,
        )
    )
    rows.append(
        (
            "subregion",
            "Europe",
            "Europe",
            "Europe",
            "drug_group",
            CANNABIS,
            None,
            2021,
            1.0,
            1,
            None,
            None,
            None,
            0.0,
            None,
            None,
        )
    )
    return rows


SERIES_DDL = """
CREATE TABLE marts.seizure_series (
    level VARCHAR, area VARCHAR, area_name VARCHAR, region VARCHAR, series_id VARCHAR,
    series VARCHAR, family VARCHAR, unit VARCHAR, headline BOOLEAN, sort_order BIGINT,
    definition VARCHAR, year BIGINT, kg DOUBLE, countries_reporting BIGINT,
    countries_with_quantity BIGINT, usual_reporters BIGINT, coverage_share DOUBLE,
    low_coverage BOOLEAN, kg_previous_year DOUBLE, countries_reporting_previous_year BIGINT,
    yoy_change_kg DOUBLE, yoy_change_pct DOUBLE, countries_both_years BIGINT,
    kg_both_years DOUBLE, kg_previous_year_both_years DOUBLE, yoy_like_for_like_pct DOUBLE,
    yoy_flag VARCHAR, share_of_global DOUBLE, basis VARCHAR, source_rows BIGINT,
    provenance VARCHAR[], contract_version VARCHAR)"""
DEFINITIONS = {
    "cocaine": ("drug", 10, "Cocaine salt, base and paste; excludes coca leaf."),
    "cannabis_herb": ("drug", 20, "Cannabis herb; never added to resin or plants."),
}


def series_rows(scale: float = 1.0) -> list[tuple]:
    """The drug groups' figures as the headline series of :data:`GROUP_SERIES`. Usual
    reporters: the most countries of any year; like for like: every country reported both years
    (the tiny snapshot has no reporter churn)."""
    rows = []
    for (level, area, group), points in _series(scale).items():
        series_id, name = GROUP_SERIES[group]
        family, order, definition = DEFINITIONS[series_id]
        usual = max(n for _, n in points.values())
        world = _series(scale)[("global", "World", group)]
        for year, (kg, n) in sorted(points.items()):
            prev = points.get(year - 1)
            prev_kg, prev_n = prev if prev else (None, None)
            pct = 100 * (kg - prev_kg) / prev_kg if prev_kg else None
            flag = "small_base" if prev and (prev_kg < 1000 or prev_n < 3) else None
            rows.append(
                (level, area, area, None if level == "global" else area, series_id, name)
                + (family, "kg", True, order, definition, year, kg, n, n, usual, n / usual)
                + (n / usual < 0.6, prev_kg, prev_n, kg - prev_kg if prev else None, pct)
                + (min(n, prev_n) if prev else None, kg if prev else None, prev_kg, pct, flag)
                + (kg / world[year][0], None, n, [f"tiny.json#{year}"], "1.0.0")
            )
    return rows


def build_snapshot(
    path: Path,
    *,
    snapshot_id: str = "20240101T000000000000Z",
    scale: float = 1.0,
    routes: bool = True,
    synthetic: bool | None = None,
) -> Path:
    """Write the snapshot to ``path`` atomically (replacing any current one).

    ``routes=False`` leaves out the route marts, as a pipeline without case-level data does.
    ``synthetic`` adds meta.snapshot's synthetic flag; None leaves the column out, as in
    snapshots published before the flag existed.
    """
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
        con.executemany(f"INSERT INTO marts.seizure_trends VALUES ({_marks(16)})", rows)
        con.execute(SERIES_DDL)
        con.executemany(
            f"INSERT INTO marts.seizure_series VALUES ({_marks(32)})", series_rows(scale)
        )
        _write_routes_and_records(con, routes=routes)
        if synthetic is not None:
            con.execute("ALTER TABLE meta.snapshot ADD COLUMN synthetic BOOLEAN")
        con.execute(
            f"INSERT INTO meta.snapshot VALUES (?, ?, ?, ?{'' if synthetic is None else ', ?'})",
            [
                snapshot_id,
                datetime(2024, 1, 1, 6, 30, tzinfo=UTC),
                "run-tiny",
                json.dumps({"marts.seizure_trends": len(rows)}),
                *([] if synthetic is None else [synthetic]),
            ],
        )
    finally:
        con.close()
    os.chmod(building, 0o444)  # published snapshots are read-only files
    os.replace(building, path)
    return path
