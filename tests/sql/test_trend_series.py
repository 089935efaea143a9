"""marts.trend_series follows the headline series; the trend marts that read it pair and word
them as the headline figures do. Expected figures are worked out by hand from the given rows."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from drugtrends import reference
from drugtrends.core.datasets.drug_prices import transform as prices_transform
from drugtrends.marts.build import build_mart
from tests.sql.test_marts_sql import core_rows

COCA = "Cocaine and Derivatives"
OPI = "Opioids and Opiates"
CANNABIS = "Cannabis and Synthetic Cannabinoids"
MISC = "Miscellaneous"
WE = ("Europe", "Western and Central Europe")
SA = ("Americas", "South America")


def row(iso3, where, year, group, subgroup, drug, kg):
    return (iso3, where[0], where[1], year, group, subgroup, drug, kg)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("CREATE SCHEMA core; CREATE SCHEMA marts")
    return c


def build(con: duckdb.DuckDBPyConnection, rows: list[tuple], *marts: str) -> None:
    con.register("given", core_rows(rows).to_arrow())
    con.execute("CREATE OR REPLACE TABLE core.annual_seizures AS SELECT * FROM given")
    for mart in ("annual_seizures_by_subgroup", "seizure_series", "trend_series", *marts):
        build_mart(con, mart)


ROWS = [
    # Colombia: cocaine salt and coca leaf (plant material, never cocaine)
    row("COL", SA, 2020, COCA, "Cocaine", "Cocaine hydrochloride", 500.0),
    row("COL", SA, 2020, COCA, "Coca-type", "Coca leaf", 9000.0),
    row("COL", SA, 2021, COCA, "Cocaine", "Cocaine hydrochloride", 700.0),
    # Spain: cannabis herb, resin and plants apart; precursors apart; heroin and opium apart
    row("ESP", WE, 2020, CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb", 10.0),
    row("ESP", WE, 2020, CANNABIS, "Cannabis resin (hashish)", "Cannabis resin", 20.0),
    row("ESP", WE, 2020, CANNABIS, "Cannabis plants", "Cannabis plants", 300.0),
    row("ESP", WE, 2020, MISC, "Precursors", "Acetone", 4000.0),
    row("ESP", WE, 2020, OPI, "Opiates", "Heroin", 3.0),
    row("ESP", WE, 2020, OPI, "Opiates", "Opium", 7.0),
    row("ESP", WE, 2020, COCA, "Cocaine", "Cocaine hydrochloride", 40.0),
    row("ESP", WE, 2021, COCA, "Cocaine", "Cocaine hydrochloride", 60.0),
]


def test_trend_series_are_the_headline_series_never_summed(con):
    build(con, ROWS)
    got = {
        (r[0], r[1], r[2]): r[3:]
        for r in con.execute(
            "SELECT level, series, year, kg, series_id, family, drug_group, countries_reporting "
            "FROM marts.trend_series WHERE level IN ('global', 'country') AND area IN "
            "('World', 'ESP', 'COL')"
        ).fetchall()
    }
    # Cocaine worldwide is Colombia's and Spain's cocaine salt, never the coca leaf.
    assert got[("global", "Cocaine", 2020)] == (540.0, "cocaine", "drug", COCA, 2)
    assert got[("global", "Cocaine", 2021)] == (760.0, "cocaine", "drug", COCA, 2)
    assert got[("global", "Coca leaf and coca bush", 2020)] == (
        9000.0,
        "coca_plant_material",
        "plant_material",
        COCA,
        1,
    )
    assert got[("global", "Cannabis herb", 2020)][:2] == (10.0, "cannabis_herb")
    assert got[("global", "Cannabis resin", 2020)][:2] == (20.0, "cannabis_resin")
    assert got[("global", "Cannabis plants", 2020)][:3] == (
        300.0,
        "cannabis_plants",
        "plant_material",
    )
    assert got[("global", "Precursor chemicals", 2020)][:3] == (4000.0, "precursors", "precursor")
    assert got[("global", "Heroin", 2020)][:2] == (3.0, "heroin")
    assert got[("global", "Opium", 2020)][:2] == (7.0, "opium")
    # No subgroup names and no sums across series remain.
    names = {k[1] for k in got}
    assert names.isdisjoint({"Opiates", "Coca-type", "Cannabis herb (marijuana)"})
    assert set(names) <= set(reference.load("series")["series"])


def test_trend_series_keeps_its_grain_and_carries_coverage(con):
    build(con, ROWS)
    dupes = con.execute(
        "SELECT level, area, series, year, count(*) FROM marts.trend_series "
        "GROUP BY ALL HAVING count(*) > 1"
    ).fetchall()
    assert dupes == []
    levels = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT level, area, region, countries_reporting, usual_reporters, coverage_share "
            "FROM marts.trend_series WHERE series = 'Cocaine' AND year = 2021"
        ).fetchall()
        if r[1] in ("World", "Europe", "Western and Central Europe", "ESP")
    }
    assert levels["global"] == ("World", None, 2, 2, 1.0)
    assert levels["region"] == ("Europe", "Europe", 1, 1, 1.0)
    assert levels["subregion"] == ("Western and Central Europe", "Europe", 1, 1, 1.0)
    assert levels["country"] == ("ESP", "Europe", 1, 1, 1.0)
    files = con.execute(
        "SELECT DISTINCT source_files FROM marts.trend_series WHERE level = 'global'"
    ).fetchall()
    assert files == [(["given.json"],)]


def test_alert_sentences_name_the_series_as_a_reader_says_it(con):
    rows = [
        row("ESP", WE, y, CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb", 500.0)
        for y in (2016, 2017, 2018, 2019)
    ] + [row("ITA", WE, 2020, CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb", 900.0)]
    build(con, rows, "alerts")
    sentences = dict(con.execute("SELECT kind, sentence FROM marts.alerts").fetchall())
    # Spain reported in 2019, not in 2020 while Italy did: stopped; Italy started in 2020
    # (core_rows names each country by its code).
    assert sentences["stopped_reporting"] == (
        "ESP reported no cannabis herb seizures for 2020, after 500 kg in 2019"
    )
    assert sentences["started_reporting"] == (
        "ITA reported cannabis herb seizures for the first time in 2020: 900 kg"
    )


def test_every_price_series_names_a_seizure_series_unless_priced_apart():
    prices = reference.load("price_series")
    names = set(reference.load("series")["series"])
    apart = prices.filter(pl.col("note").fill_null("").str.starts_with("price only"))
    paired = prices.filter(~pl.col("note").fill_null("").str.starts_with("price only"))
    assert set(paired["series"]) <= names, set(paired["series"]) - names
    assert set(apart["series"]).isdisjoint(names)
    assert {"Cocaine", "Cannabis herb", "Cannabis resin", "Heroin", '"Ecstasy"'} <= set(
        paired["series"]
    )


def test_prices_sit_beside_the_seizures_of_the_same_series(con):
    build(
        con,
        [
            row("ESP", WE, 2020, CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb", 100.0),
            row("ESP", WE, 2021, CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb", 200.0),
            row("ESP", WE, 2021, CANNABIS, "Cannabis plants", "Cannabis plants", 5000.0),
        ],
    )
    given = pl.DataFrame(
        [
            ("Europe", "Spain", CANNABIS, "Marijuana (herb)", "Retail", 2020, 10.0, "g"),
            ("Europe", "Spain", CANNABIS, "Cannabis herb (marijuana)", "Retail", 2021, 8.0, "g"),
        ],
        orient="row",
        schema=[
            "region",
            "country_name",
            "drug_group",
            "drug",
            "level_of_sale",
            "year",
            "typical_usd",
            "unit",
        ],
    ).with_columns(
        pl.lit(None, pl.Float64).alias("minimum_usd"),
        pl.lit(None, pl.Float64).alias("maximum_usd"),
        pl.lit("prices.json").alias("source_file"),
    )
    con.register("prices", prices_transform(given)[0].to_arrow())
    con.execute("CREATE TABLE core.drug_prices AS SELECT * FROM prices")
    build_mart(con, "price_trends")
    build_mart(con, "seizures_and_prices")
    got = con.execute(
        "SELECT series, year, kg, retail_usd_per_gram, seizure_direction, price_direction, "
        "reading, source_files FROM marts.seizures_and_prices ORDER BY year"
    ).fetchall()
    # herb doubled (+100 %) while its retail price fell 20 %: more seized, cheaper.
    assert got == [
        ("Cannabis herb", 2020, 100.0, 10.0, None, None, None, ["given.json", "prices.json"]),
        (
            "Cannabis herb",
            2021,
            200.0,
            8.0,
            "up",
            "down",
            "consistent with increased supply",
            ["given.json", "prices.json"],
        ),
    ]


def test_rates_per_million_aged_15_64_use_the_subregion_of_the_series(con):
    build(con, ROWS)
    con.execute(
        "CREATE TABLE core.population AS SELECT * FROM (VALUES "
        "('ESP', 2020, 31000.0), ('COL', 2020, 34000.0)) AS t(country_iso3, year, "
        "population_thousands)"
    )
    build_mart(con, "seizures_per_capita")
    got = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "SELECT level, area, kg, population_15_64, kg_per_million_aged_15_64 "
            "FROM marts.seizures_per_capita WHERE series = 'Cocaine' AND year = 2020"
        ).fetchall()
    }
    spain = (40.0, 31_000_000.0, 40.0 / 31.0)
    assert got[("country", "ESP")] == pytest.approx(spain)
    assert got[("subregion", "Western and Central Europe")] == pytest.approx(spain)
    assert got[("global", "World")] == pytest.approx((540.0, 65_000_000.0, 540.0 / 65.0))
    assert con.execute(
        "SELECT DISTINCT subregion FROM marts.trend_series WHERE area = 'ESP'"
    ).fetchall() == [("Western and Central Europe",)]
