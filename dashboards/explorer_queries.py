"""Read-only, cached queries of the trend explorer, the country profile and the world map.

They read ``marts.seizure_trends`` (levels global, region, subregion and country; grain
drug group or drug subgroup), the route corridors and the pipeline's records. When the headline
series mart (``marts.seizure_series``) reaches the snapshot, only :func:`trend` and
:func:`series_names` need to read it instead: the pages take their frames as they are.

Coverage is the share of the area's usual reporters (countries that reported the series there in
any year of the range) that reported this year; ``low_coverage`` flags a year under
:data:`LOW_COVERAGE`. ``large_change`` flags a year whose quantity more than doubled or fell by
more than half on the previous year: a figure to check before quoting, not an error.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import streamlit as st

from dashboards.queries import CACHE, Snapshot, read

LEVELS = ("global", "region", "subregion", "country")
GRAINS = ("drug_group", "drug_subgroup")
LOW_COVERAGE = 0.5
LARGE_CHANGE_PCT = 100.0


def _name_column(grain: str) -> str:
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}")
    return grain


@st.cache_data(**CACHE)
def areas(snap: Snapshot, level: str) -> pl.DataFrame:
    """``area`` (code) and ``area_name`` of every area at ``level``, by name."""
    return read(
        snap,
        """
        SELECT area, any_value(area_name ORDER BY year DESC) AS area_name,
               any_value(region) AS region
        FROM marts.seizure_trends WHERE level = ? AND grain = 'drug_group'
        GROUP BY area ORDER BY area_name
    """,
        [level],
    )


@st.cache_data(**CACHE)
def series_names(snap: Snapshot, level: str, area: str, grain: str) -> list[str]:
    """Drug groups (or subgroups) reported in the area, largest total quantity first."""
    column = _name_column(grain)
    frame = read(
        snap,
        f"""
        SELECT {column} AS name FROM marts.seizure_trends
        WHERE level = ? AND area = ? AND grain = ?
        GROUP BY {column} ORDER BY sum(kg) DESC NULLS LAST, {column}
    """,
        [level, area, grain],
    )
    return frame["name"].to_list()


@st.cache_data(**CACHE)
def years(snap: Snapshot, level: str, area: str) -> list[int]:
    frame = read(
        snap,
        """
        SELECT DISTINCT year FROM marts.seizure_trends
        WHERE level = ? AND area = ? AND grain = 'drug_group' ORDER BY year
    """,
        [level, area],
    )
    return frame["year"].to_list()


@st.cache_data(**CACHE)
def trend(
    snap: Snapshot,
    level: str,
    area: str,
    grain: str,
    names: Sequence[str],
    first_year: int,
    last_year: int,
) -> pl.DataFrame:
    """One row per series and year: ``series``, ``year``, ``kg``, ``countries_reporting``,
    ``usual_reporters``, ``coverage_share``, ``low_coverage``, ``yoy_change_pct``,
    ``large_change``, ``share_of_global`` (plus ``area_name``)."""
    column = _name_column(grain)
    return read(
        snap,
        f"""
        WITH rows AS (
            SELECT area_name, {column} AS series, year, kg, countries_reporting,
                   yoy_change_pct, share_of_global
            FROM marts.seizure_trends
            WHERE level = ? AND area = ? AND grain = ?
              AND list_contains(?::VARCHAR[], {column}) AND year BETWEEN ? AND ?
        ),
        reporters AS (
            SELECT {column} AS series, count(DISTINCT area) AS usual_reporters
            FROM marts.seizure_trends
            WHERE level = 'country' AND grain = ? AND year BETWEEN ? AND ?
              AND list_contains(?::VARCHAR[], {column})
              AND CASE ? WHEN 'global' THEN true
                         WHEN 'region' THEN region = ?
                         WHEN 'country' THEN area = ?
                         ELSE area IN (SELECT country_iso3 FROM marts.annual_seizures_by_subgroup
                                       WHERE subregion = ?)
                    END
            GROUP BY ALL
        )
        SELECT rows.*, reporters.usual_reporters,
               rows.countries_reporting / reporters.usual_reporters AS coverage_share,
               coalesce(rows.countries_reporting / reporters.usual_reporters < ?, false)
                   AS low_coverage,
               coalesce(rows.yoy_change_pct > ? OR rows.yoy_change_pct < -50, false)
                   AS large_change
        FROM rows LEFT JOIN reporters USING (series)
        ORDER BY series, year
    """,
        [
            level,
            area,
            grain,
            list(names),
            first_year,
            last_year,
            grain,
            first_year,
            last_year,
            list(names),
            level,
            area,
            area,
            area,
            LOW_COVERAGE,
            LARGE_CHANGE_PCT,
        ],
    )


@st.cache_data(**CACHE)
def country_series(snap: Snapshot, iso3: str, grain: str = "drug_group") -> pl.DataFrame:
    """Every series the country reported, each year: kg, its share of the region's and the
    world's quantity (``share_of_region``, ``share_of_global``) and the year-on-year change."""
    column = _name_column(grain)
    return read(
        snap,
        f"""
        WITH country AS (
            SELECT area_name, region, {column} AS series, year, kg, yoy_change_pct,
                   share_of_global
            FROM marts.seizure_trends
            WHERE level = 'country' AND area = ? AND grain = ?
        ),
        region AS (
            SELECT area AS region, {column} AS series, year, kg AS region_kg
            FROM marts.seizure_trends WHERE level = 'region' AND grain = ?
        )
        SELECT country.*, country.kg / nullif(region.region_kg, 0) AS share_of_region
        FROM country LEFT JOIN region USING (region, series, year)
        ORDER BY series, year
    """,
        [iso3, grain, grain],
    )


@st.cache_data(**CACHE)
def country_corridors(snap: Snapshot, iso3: str) -> pl.DataFrame:
    """Corridors (departure -> destination) that start or end in the country, all years."""
    return read(
        snap,
        """
        SELECT year, drug_group, departure_iso3, destination_iso3, seizures, kg_equivalent,
               main_transport
        FROM marts.route_corridors
        WHERE departure_iso3 = ? OR destination_iso3 = ?
        ORDER BY year DESC, seizures DESC, drug_group, departure_iso3, destination_iso3
    """,
        [iso3, iso3],
    )


@st.cache_data(**CACHE)
def country_source_files(snap: Snapshot, iso3: str) -> pl.DataFrame:
    """The files the country's figures were read from: checksum, fetch time, rows used."""
    return read(
        snap,
        """
        WITH used AS (
            SELECT source_file, count(*) AS rows_used, min(year) AS first_year,
                   max(year) AS last_year, string_agg(DISTINCT contract_version, ', ')
                   AS contract_versions
            FROM core.annual_seizures WHERE country_iso3 = ? GROUP BY source_file
        )
        SELECT used.source_file, f.location, f.dataset, f.format, f.sha256, f.fetched_at,
               used.rows_used, used.first_year, used.last_year, used.contract_versions
        FROM used LEFT JOIN (
            SELECT * FROM raw.files
            QUALIFY row_number() OVER (PARTITION BY source_name ORDER BY fetched_at DESC) = 1
        ) f ON f.source_name = used.source_file
        ORDER BY used.source_file
    """,
        [iso3],
    )


@st.cache_data(**CACHE)
def map_values(snap: Snapshot, grain: str, name: str, year: int) -> pl.DataFrame:
    """Quantity by country for one series and year (the world map): ``area`` (ISO3),
    ``area_name``, ``kg``, ``share_of_global``."""
    column = _name_column(grain)
    return read(
        snap,
        f"""
        SELECT area, area_name, kg, share_of_global FROM marts.seizure_trends
        WHERE level = 'country' AND grain = ? AND {column} = ? AND year = ?
        ORDER BY kg DESC NULLS LAST, area
    """,
        [grain, name, year],
    )


@st.cache_data(**CACHE)
def provenance(snap: Snapshot, iso3: str, drug_group: str, year: int) -> dict[str, pl.DataFrame]:
    """What is behind one country x drug group x year figure: the subgroup figures (with their
    rollup role and basis), the source rows, and the files they came from."""
    subgroups = read(
        snap,
        """
        SELECT drug_subgroup, kg, basis, rollup_role, source_rows, contract_version
        FROM marts.annual_seizures_by_subgroup
        WHERE country_iso3 = ? AND drug_group = ? AND year = ?
        ORDER BY drug_subgroup
    """,
        [iso3, drug_group, year],
    )
    rows = read(
        snap,
        """
        SELECT source_file, source_row, drug_subgroup, drug, kg, contract_version
        FROM core.annual_seizures
        WHERE country_iso3 = ? AND drug_group = ? AND year = ?
        ORDER BY source_file, source_row
    """,
        [iso3, drug_group, year],
    )
    files = read(
        snap,
        """
        SELECT DISTINCT f.source_name, f.location, f.sha256, f.fetched_at, f.rows AS file_rows
        FROM raw.files f
        WHERE f.source_name IN (SELECT source_file FROM core.annual_seizures
                                WHERE country_iso3 = ? AND drug_group = ? AND year = ?)
        ORDER BY f.fetched_at DESC
    """,
        [iso3, drug_group, year],
    )
    return {"subgroups": subgroups, "rows": rows, "files": files}


@st.cache_data(**CACHE)
def alerts(snap: Snapshot) -> pl.DataFrame:
    """The snapshot's alerts (``marts.alerts``), newest year first; empty without the mart."""
    return read(
        snap,
        """
        SELECT kind, level, area, area_name, series, drug_group, year, sentence
        FROM marts.alerts ORDER BY year DESC, area_name, series
    """,
    )


@st.cache_data(**CACHE)
def changes(snap: Snapshot) -> pl.DataFrame:
    """What changed since the previous snapshot (``marts.snapshot_changes``)."""
    return read(
        snap,
        """
        SELECT kind, level, area, area_name, series, year, description, previous_snapshot_id
        FROM marts.snapshot_changes ORDER BY kind, area_name, series, year
    """,
    )


ALERT_COLUMNS = (
    "kind, level, area, area_name, region, series, year, value, baseline, score, threshold, "
    "unit, sentence"
)


@st.cache_data(**CACHE)
def alert_options(snap: Snapshot) -> dict[str, list]:
    """The values each Alerts filter can take: the kinds, regions, series and years present."""
    frame = read(
        snap,
        """
        SELECT list(DISTINCT kind ORDER BY kind) AS kind,
               list(DISTINCT region ORDER BY region) FILTER (WHERE region IS NOT NULL)
                   AS region,
               list(DISTINCT series ORDER BY series) AS series,
               list(DISTINCT year ORDER BY year DESC) AS year
        FROM marts.alerts
    """,
    )
    return {
        column: list(frame[column][0]) if frame[column][0] is not None else []
        for column in frame.columns
    }


@st.cache_data(**CACHE)
def alert_rows(
    snap: Snapshot,
    kinds: Sequence[str] = (),
    region: str | None = None,
    series: str | None = None,
    year: int | None = None,
) -> pl.DataFrame:
    """Alerts (``marts.alerts``) matching the filters (empty ``kinds`` / None = any), newest
    year first."""
    return read(
        snap,
        f"""
        SELECT {ALERT_COLUMNS} FROM marts.alerts
        WHERE (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], kind))
          AND ($region IS NULL OR region = $region)
          AND ($series IS NULL OR series = $series)
          AND ($year IS NULL OR year = $year)
        ORDER BY year DESC, area_name, series, kind
    """,
        {"kinds": list(kinds), "region": region, "series": series, "year": year},
    )


PER_CAPITA = "marts.seizures_per_capita"


@st.cache_data(**CACHE)
def per_capita_available(snap: Snapshot) -> bool:
    """Whether the snapshot holds any rate per million people aged 15-64 (it needs the
    population dataset, which not every snapshot has)."""
    present = read(
        snap,
        "SELECT count(*) AS n FROM information_schema.tables "
        "WHERE table_schema = 'marts' AND table_name = 'seizures_per_capita'",
    )["n"][0]
    if not present:
        return False
    return bool(
        read(
            snap,
            f"SELECT count(kg_per_million_aged_15_64) AS n FROM {PER_CAPITA}",
        )["n"][0]
    )


@st.cache_data(**CACHE)
def trend_rates(
    snap: Snapshot,
    level: str,
    area: str,
    grain: str,
    names: Sequence[str],
    first_year: int,
    last_year: int,
) -> pl.DataFrame:
    """:func:`trend` with ``population_15_64`` and ``kg_per_million_aged_15_64`` (null where the
    snapshot has no population figure for every reporting country).

    The rates mart's series are drug subgroups: for drug subgroups the rate is the mart's; for
    drug groups it is given at country level (the group's kg over the country's population
    aged 15-64, the same for every series) and left null above it, where the countries behind
    each group's total are not those behind any one subgroup."""
    frame = trend(snap, level, area, grain, names, first_year, last_year)
    if not per_capita_available(snap):
        return frame.with_columns(
            pl.lit(None, pl.Float64).alias("population_15_64"),
            pl.lit(None, pl.Float64).alias("kg_per_million_aged_15_64"),
        )
    if grain == "drug_subgroup":
        rates = read(
            snap,
            f"""
            SELECT series, year, population_15_64, kg_per_million_aged_15_64
            FROM {PER_CAPITA}
            WHERE level = ? AND area = ? AND list_contains(?::VARCHAR[], series)
              AND year BETWEEN ? AND ?
        """,
            [level, area, list(names), first_year, last_year],
        )
        return frame.with_columns(pl.col("year").cast(pl.Int64)).join(
            rates.with_columns(pl.col("year").cast(pl.Int64)), on=["series", "year"], how="left"
        )
    people = read(
        snap,
        f"""
        SELECT year, any_value(population_15_64) AS population_15_64
        FROM {PER_CAPITA}
        WHERE level = 'country' AND area = ? AND ? = 'country' AND year BETWEEN ? AND ?
          AND population_15_64 IS NOT NULL
        GROUP BY year
    """,
        [area, level, first_year, last_year],
    )
    people = people.with_columns(pl.col("year").cast(pl.Int64))
    return (
        frame.with_columns(pl.col("year").cast(pl.Int64))
        .join(people, on="year", how="left")
        .with_columns(
            pl.when(pl.col("population_15_64") > 0)
            .then(pl.col("kg") / (pl.col("population_15_64") / 1e6))
            .alias("kg_per_million_aged_15_64")
        )
    )
