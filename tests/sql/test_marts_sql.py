"""The marts' SQL on given rows, in an in-memory DuckDB: UNODC's aggregation rules, by example."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from drugtrends.core.datasets.annual_seizures import transform
from drugtrends.marts.build import build_mart

COCA = "Cocaine and Derivatives"
ATS = "Amphetamines and Stimulants"
REPORTED_ATS = 'Reported total ATS (excluding "ecstasy")'
COCAINE_TOTAL = (
    "Cocaine (total of the above, including if unspecified/undistinguished, but "
    "excluding coca leaf and coca bush)"
)


def core_rows(rows: list[tuple]) -> pl.DataFrame:
    """(iso3, region, subregion, year, group, subgroup, drug, kg) -> a core.annual_seizures frame."""
    frame = pl.DataFrame(
        rows,
        orient="row",
        schema=[
            "country_iso3",
            "region",
            "subregion",
            "year",
            "drug_group",
            "drug_subgroup",
            "drug",
            "kg",
        ],
    ).with_columns(
        pl.col("country_iso3").alias("country_name"),
        pl.lit("given.json").alias("source_file"),
        pl.int_range(2, pl.len() + 2).alias("source_row"),
        pl.lit("1.0.0").alias("contract_version"),
    )
    return transform(frame)[0]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("CREATE SCHEMA core; CREATE SCHEMA marts")
    return c


def build(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    con.register("given", core_rows(rows).to_arrow())
    con.execute("CREATE OR REPLACE TABLE core.annual_seizures AS SELECT * FROM given")
    build_mart(con, "annual_seizures_by_subgroup")
    build_mart(con, "seizure_trends")


def subgroup_kg(con, iso3: str, year: int, subgroup: str) -> tuple[float, str]:
    return con.execute(
        "SELECT kg, basis FROM marts.annual_seizures_by_subgroup "
        "WHERE country_iso3 = ? AND year = ? AND drug_subgroup = ?",
        [iso3, year, subgroup],
    ).fetchall()[0]


def trend(con, level: str, area: str, year: int, group: str, subgroup: str | None = None):
    return con.execute(
        "SELECT kg, countries_reporting, yoy_change_kg, yoy_change_pct, share_of_global "
        "FROM marts.seizure_trends WHERE level = ? AND area = ? AND year = ? AND drug_group = ? "
        "AND drug_subgroup IS NOT DISTINCT FROM ?",
        [level, area, year, group, subgroup],
    ).fetchall()[0]


def test_rows_with_the_same_key_add_up(con):
    build(
        con,
        [
            (
                "COL",
                "Americas",
                "South America",
                2020,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                100.0,
            ),
            (
                "COL",
                "Americas",
                "South America",
                2020,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                50.0,
            ),
        ],
    )
    assert subgroup_kg(con, "COL", 2020, "Cocaine") == (150.0, "components")


def test_a_total_row_stands_for_its_subgroup_and_components_are_not_added(con):
    build(
        con,
        [
            (
                "ESP",
                "Europe",
                "Western and Central Europe",
                2021,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                30.0,
            ),
            (
                "ESP",
                "Europe",
                "Western and Central Europe",
                2021,
                COCA,
                "Cocaine",
                '"Crack" cocaine',
                5.0,
            ),
            (
                "ESP",
                "Europe",
                "Western and Central Europe",
                2021,
                COCA,
                "Cocaine",
                COCAINE_TOTAL,
                40.0,
            ),
            (
                "PRT",
                "Europe",
                "Western and Central Europe",
                2021,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                7.0,
            ),
        ],
    )
    assert subgroup_kg(con, "ESP", 2021, "Cocaine") == (40.0, "total_row")
    assert subgroup_kg(con, "PRT", 2021, "Cocaine") == (7.0, "components")
    assert trend(con, "global", "World", 2021, COCA, "Cocaine")[0:2] == (47.0, 2)


def test_coca_leaf_stays_apart_from_cocaine_and_out_of_the_group(con):
    build(
        con,
        [
            (
                "BOL",
                "Americas",
                "South America",
                2020,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                10.0,
            ),
            ("BOL", "Americas", "South America", 2020, COCA, "Coca-type", "Coca leaf", 900.0),
        ],
    )
    assert subgroup_kg(con, "BOL", 2020, "Cocaine")[0] == 10.0
    assert subgroup_kg(con, "BOL", 2020, "Coca-type")[0] == 900.0
    assert trend(con, "global", "World", 2020, COCA)[0] == 10.0


def test_a_reported_total_subgroup_is_never_added_on_top_of_the_components(con):
    build(
        con,
        [
            (
                "THA",
                "Asia",
                "East and South-East Asia",
                2020,
                ATS,
                "Methamphetamine",
                "Methamphetamine",
                80.0,
            ),
            (
                "THA",
                "Asia",
                "East and South-East Asia",
                2020,
                ATS,
                "Amphetamine",
                "Amphetamine",
                5.0,
            ),
            (
                "THA",
                "Asia",
                "East and South-East Asia",
                2020,
                ATS,
                REPORTED_ATS,
                "Total amphetamine-type stimulants (ATS)",
                100.0,
            ),
            # A country reporting only the total still counts, with its total.
            (
                "MMR",
                "Asia",
                "East and South-East Asia",
                2020,
                ATS,
                REPORTED_ATS,
                "Total amphetamine-type stimulants (ATS)",
                20.0,
            ),
            # A reported total smaller than the components: the components are the floor.
            (
                "LAO",
                "Asia",
                "East and South-East Asia",
                2020,
                ATS,
                "Methamphetamine",
                "Methamphetamine",
                9.0,
            ),
            (
                "LAO",
                "Asia",
                "East and South-East Asia",
                2020,
                ATS,
                REPORTED_ATS,
                "Total amphetamine-type stimulants (ATS)",
                4.0,
            ),
        ],
    )
    assert trend(con, "country", "THA", 2020, ATS)[0] == 100.0
    assert trend(con, "country", "MMR", 2020, ATS)[0] == 20.0
    assert trend(con, "country", "LAO", 2020, ATS)[0] == 9.0
    assert trend(con, "global", "World", 2020, ATS)[0:2] == (129.0, 3)


def test_year_on_year_change_and_share_of_global(con):
    build(
        con,
        [
            (
                "NLD",
                "Europe",
                "Western and Central Europe",
                2019,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                40.0,
            ),
            (
                "NLD",
                "Europe",
                "Western and Central Europe",
                2020,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                50.0,
            ),
            (
                "BRA",
                "Americas",
                "South America",
                2020,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                150.0,
            ),
            # A gap year: no year-on-year change across it.
            (
                "NLD",
                "Europe",
                "Western and Central Europe",
                2022,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                70.0,
            ),
        ],
    )
    kg, countries, yoy_kg, yoy_pct, share = trend(con, "region", "Europe", 2020, COCA)
    assert (kg, countries, yoy_kg) == (50.0, 1, 10.0)
    assert yoy_pct == pytest.approx(25.0)
    assert share == pytest.approx(0.25)
    assert trend(con, "global", "World", 2020, COCA)[0:2] == (200.0, 2)
    assert trend(con, "region", "Europe", 2022, COCA)[2] is None
    assert trend(con, "subregion", "Western and Central Europe", 2019, COCA)[0] == 40.0


def test_zero_is_reported_none_and_counts_as_reporting(con):
    build(
        con,
        [
            ("KEN", "Africa", "East Africa", 2020, COCA, "Cocaine", "Cocaine hydrochloride", 0.0),
            (
                "NGA",
                "Africa",
                "West and Central Africa",
                2020,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                12.0,
            ),
        ],
    )
    assert trend(con, "region", "Africa", 2020, COCA)[0:2] == (12.0, 2)


def test_every_subgroup_figure_names_its_source_rows(con):
    build(
        con,
        [
            (
                "COL",
                "Americas",
                "South America",
                2020,
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                1.0,
            ),
            ("COL", "Americas", "South America", 2020, COCA, "Cocaine", "Cocaine base", 2.0),
        ],
    )
    prov, version = con.execute(
        "SELECT provenance, contract_version FROM marts.annual_seizures_by_subgroup"
    ).fetchall()[0]
    assert prov == ["given.json#2", "given.json#3"]
    assert version == "1.0.0"


def test_a_mart_check_sees_a_sample_of_the_new_rows_and_the_whole_count(con):
    """A mart's contract check reads a sample drawn by DuckDB, never the whole mart in Python,
    and is told how many rows the mart holds; a rejected build leaves the previous mart."""
    from drugtrends.marts.build import MartRejected

    rows = [
        ("ESP", "Europe", "Southern Europe", y, COCA, "Cocaine", "Cocaine", 1.0)
        for y in range(2000, 2020)
    ]
    build(con, rows)
    whole = con.execute("SELECT * FROM marts.seizure_trends ORDER BY ALL").fetchall()
    seen: list[tuple[int, int]] = []

    def accept(frame: pl.DataFrame, count: int) -> str | None:
        seen.append((frame.height, count))
        return None

    build_mart(con, "seizure_trends", accept, sample_rows=5)
    assert seen == [(5, len(whole))] and len(whole) > 5
    build_mart(con, "seizure_trends", accept, sample_rows=len(whole) + 1)
    assert seen[-1] == (len(whole), len(whole))
    with pytest.raises(MartRejected):
        build_mart(con, "seizure_trends", lambda frame, count: "rejected", sample_rows=5)
    assert con.execute("SELECT * FROM marts.seizure_trends ORDER BY ALL").fetchall() == whole
