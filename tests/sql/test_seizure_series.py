"""marts.seizure_series on given rows, and the series reference tables it reads.

Every expected figure is worked out by hand from the rows given in the test, never read back
from the mart.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from drugtrends import reference
from drugtrends.marts.build import build_mart
from tests.sql.test_marts_sql import core_rows

COCA = "Cocaine and Derivatives"
OPI = "Opioids and Opiates"
MDMA = "MDMA and Ecstasy-like Drugs"
MISC = "Miscellaneous"
CANNABIS = "Cannabis and Synthetic Cannabinoids"
COCAINE_TOTAL = (
    "Cocaine (total of the above, including if unspecified/undistinguished, but "
    "excluding coca leaf and coca bush)"
)
ECSTASY = "“Ecstasy”-type substances"
ECSTASY_REPORTED = 'Reported total "ecstasy"-type substances'
WE = ("Europe", "Western and Central Europe")
SA = ("Americas", "South America")


def row(iso3, where, year, group, subgroup, drug, kg):
    return (iso3, where[0], where[1], year, group, subgroup, drug, kg)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("CREATE SCHEMA core; CREATE SCHEMA marts")
    return c


def build(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    con.register("given", core_rows(rows).to_arrow())
    con.execute("CREATE OR REPLACE TABLE core.annual_seizures AS SELECT * FROM given")
    build_mart(con, "annual_seizures_by_subgroup")
    build_mart(con, "seizure_series")


def series(con, level: str, area: str, series_id: str, year: int) -> dict:
    frame = pl.from_arrow(
        con.execute(
            "SELECT * FROM marts.seizure_series WHERE level = ? AND area = ? AND series_id = ? "
            "AND year = ?",
            [level, area, series_id, year],
        ).arrow()
    )
    assert frame.height == 1, (level, area, series_id, year, frame.height)
    return frame.row(0, named=True)


def test_cocaine_excludes_coca_leaf_and_a_total_row_replaces_its_components(con):
    build(
        con,
        [
            row("ESP", WE, 2021, COCA, "Cocaine", "Cocaine hydrochloride", 30.0),
            row("ESP", WE, 2021, COCA, "Cocaine", '"Crack" cocaine', 5.0),
            row("ESP", WE, 2021, COCA, "Cocaine", COCAINE_TOTAL, 40.0),
            row("BOL", SA, 2021, COCA, "Cocaine", "Cocaine hydrochloride", 10.0),
            row("BOL", SA, 2021, COCA, "Coca-type", "Coca leaf", 900.0),
        ],
    )
    cocaine = series(con, "global", "World", "cocaine", 2021)
    assert cocaine["kg"] == 40.0 + 10.0
    assert cocaine["countries_reporting"] == 2
    assert cocaine["family"] == "drug" and cocaine["headline"]
    assert "coca leaf" in cocaine["definition"]
    coca = series(con, "global", "World", "coca_plant_material", 2021)
    assert (coca["kg"], coca["family"]) == (900.0, "plant_material")
    # Provenance: the three Spanish rows (the total row and the components it replaced) and the
    # Bolivian cocaine row, never the coca leaf row.
    assert cocaine["source_rows"] == 4
    assert cocaine["provenance"] == sorted(f"given.json#{r}" for r in (2, 3, 4, 5))


def test_opium_heroin_and_morphine_are_separate_drugs_of_one_subgroup(con):
    afg = ("Asia", "Southern Asia")
    build(
        con,
        [
            row("AFG", afg, 2018, OPI, "Opiates", "Opium", 500.0),
            row("AFG", afg, 2018, OPI, "Opiates", "Opium", 20.0),
            row("AFG", afg, 2018, OPI, "Opiates", "Heroin", 30.0),
            row("AFG", afg, 2018, OPI, "Opiates", "Illicit morphine", 7.0),
            row("AFG", afg, 2018, OPI, "Opiates", "Poppy plants", 4000.0),
        ],
    )
    assert series(con, "country", "AFG", "opium", 2018)["kg"] == 520.0
    assert series(con, "country", "AFG", "heroin", 2018)["kg"] == 30.0
    assert series(con, "country", "AFG", "morphine", 2018)["kg"] == 7.0
    poppy = series(con, "country", "AFG", "opium_poppy_material", 2018)
    assert (poppy["kg"], poppy["family"]) == (4000.0, "plant_material")
    assert series(con, "country", "AFG", "opium", 2018)["provenance"] == [
        "given.json#2",
        "given.json#3",
    ]


def test_a_reported_total_is_the_larger_of_the_two_never_added(con):
    build(
        con,
        [
            row("NLD", WE, 2020, MDMA, ECSTASY, "3,4-methylenedioxymethamphetamine (MDMA)", 3.0),
            row("NLD", WE, 2020, MDMA, ECSTASY_REPORTED, "Total", 5.0),
            row("BEL", WE, 2020, MDMA, ECSTASY, "3,4-methylenedioxymethamphetamine (MDMA)", 8.0),
            row("BEL", WE, 2020, MDMA, ECSTASY_REPORTED, "Total", 6.0),
        ],
    )
    assert series(con, "country", "NLD", "ecstasy", 2020)["basis"] == "reported_total"
    assert series(con, "country", "BEL", "ecstasy", 2020)["basis"] == "components"
    assert series(con, "global", "World", "ecstasy", 2020)["kg"] == 5.0 + 8.0


def test_cannabis_plants_and_precursors_are_series_of_their_own(con):
    build(
        con,
        [
            row("ESP", WE, 2021, CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb", 10.0),
            row("ESP", WE, 2021, CANNABIS, "Cannabis resin (hashish)", "Cannabis resin", 20.0),
            row("ESP", WE, 2021, CANNABIS, "Cannabis plants", "Cannabis plants", 300.0),
            row("ESP", WE, 2021, MISC, "Precursors", "Acetone", 4000.0),
        ],
    )
    figures = {
        r[0]: (r[1], r[2])
        for r in con.execute(
            "SELECT series_id, kg, family FROM marts.seizure_series WHERE level = 'global'"
        ).fetchall()
    }
    assert figures == {
        "cannabis_herb": (10.0, "drug"),
        "cannabis_resin": (20.0, "drug"),
        "cannabis_plants": (300.0, "plant_material"),
        "precursors": (4000.0, "precursor"),
    }


def test_like_for_like_change_and_flags(con):
    herb, drug = "Cannabis herb (marijuana)", "Cannabis herb"
    rows = [
        # Five countries report 2019 and 2020 (each 1,000 kg then 1,100 kg) ...
        *(row(c, WE, 2019, CANNABIS, herb, drug, 1000.0) for c in ("AUT", "BEL", "DEU", "FRA")),
        *(row(c, WE, 2020, CANNABIS, herb, drug, 1100.0) for c in ("AUT", "BEL", "DEU", "FRA")),
        # ... and a fifth country reports a large figure in 2020 only.
        row("ESP", WE, 2020, CANNABIS, herb, drug, 20000.0),
        # Oceania: one country, a tiny base.
        row("AUS", ("Oceania", "Australia and New Zealand"), 2019, CANNABIS, herb, drug, 0.5),
        row("AUS", ("Oceania", "Australia and New Zealand"), 2020, CANNABIS, herb, drug, 500.0),
    ]
    build(con, rows)
    europe = series(con, "region", "Europe", "cannabis_herb", 2020)
    assert europe["kg"] == 4 * 1100.0 + 20000.0
    assert europe["yoy_change_pct"] == pytest.approx(100 * (24400 - 4000) / 4000)
    assert europe["countries_both_years"] == 4
    assert europe["yoy_like_for_like_pct"] == pytest.approx(10.0)
    assert europe["yoy_flag"] == "reporters_changed"  # Spain's 20 t were not there in 2019
    assert europe["usual_reporters"] == 5
    assert europe["coverage_share"] == 1.0 and not europe["low_coverage"]
    europe_2019 = series(con, "region", "Europe", "cannabis_herb", 2019)
    assert europe_2019["coverage_share"] == pytest.approx(4 / 5)
    assert europe_2019["yoy_change_pct"] is None and europe_2019["yoy_flag"] is None

    oceania = series(con, "region", "Oceania", "cannabis_herb", 2020)
    assert oceania["yoy_change_pct"] == pytest.approx(99900.0)
    assert oceania["yoy_flag"] == "small_base"  # under 1 t and one country
    # A country's own change is judged by its base only (one country is all it can have).
    assert series(con, "country", "DEU", "cannabis_herb", 2020)["yoy_flag"] is None


def test_coverage_below_the_threshold_is_flagged(con):
    herb, drug = "Cannabis herb (marijuana)", "Cannabis herb"
    countries = ("AUT", "BEL", "DEU", "FRA", "ITA")
    build(
        con,
        [
            *(row(c, WE, 2019, CANNABIS, herb, drug, 10.0) for c in countries),
            *(row(c, WE, 2020, CANNABIS, herb, drug, 10.0) for c in countries[:2]),
        ],
    )
    threshold = reference.threshold("min_coverage_share")
    year_2020 = series(con, "region", "Europe", "cannabis_herb", 2020)
    assert year_2020["coverage_share"] == pytest.approx(2 / 5)
    assert year_2020["low_coverage"] == (threshold > 2 / 5)
    assert series(con, "region", "Europe", "cannabis_herb", 2019)["low_coverage"] is False


# ------------------------------------------------------------------ the reference tables


def test_series_members_never_overlap_and_every_series_has_members():
    series_table = reference.load("series")
    members = reference.load("series_members")
    assert set(members["series_id"]) == set(series_table["series_id"])
    assert set(series_table["family"]) <= {"drug", "plant_material", "precursor", "other_substance"}
    assert set(members["role"]) <= {"component", "reported_total"}
    whole = members.filter(pl.col("drug").is_null())
    single = members.filter(pl.col("drug").is_not_null())
    # A drug-level member may not sit in a subgroup that is also a whole-subgroup member:
    # its rows would be counted in two series.
    clash = single.join(whole, on=["drug_group", "drug_subgroup"], how="inner")
    assert clash.height == 0, clash
    # Precursor subgroups are only ever in the precursor family.
    joined = members.join(series_table, on="series_id")
    precursor_rows = joined.filter(pl.col("drug_subgroup").str.contains("(?i)precursor"))
    assert set(precursor_rows["family"]) == {"precursor"}


def test_the_case_level_drug_mapping_agrees_with_the_series_members():
    drugs = reference.load("drugs")
    members = reference.load("series_members")
    series_ids = set(reference.load("series")["series_id"])
    assert drugs["series_id"].null_count() == 0
    assert set(drugs["series_id"]) <= series_ids
    allowed = {
        (r["drug_group"], r["drug_subgroup"], r["series_id"]) for r in members.iter_rows(named=True)
    }
    wrong = [
        r
        for r in drugs.iter_rows(named=True)
        if (r["drug_group"], r["drug_subgroup"], r["series_id"]) not in allowed
    ]
    assert wrong == []
    coca = drugs.filter(pl.col("drug_subgroup") == "Coca-type")
    assert coca.height >= 3 and set(coca["series_id"]) == {"coca_plant_material"}


def test_thresholds_are_documented():
    table = reference.load("thresholds")
    assert table["meaning"].null_count() == 0 and table["unit"].null_count() == 0
    for name in ("min_coverage_share", "yoy_min_base_kg", "outlier_k"):
        assert reference.threshold(name) > 0


def test_a_country_with_no_known_subregion_is_in_no_subregion_figure(con):
    # The earlier edition names no subregion; Anguilla's and the Åland Islands' are unknown
    # (continent only), so they count in their region and the world, never in a null subregion.
    build(
        con,
        [
            row("AIA", ("Americas", None), 1995, COCA, "Cocaine", "Cocaine hydrochloride", 2.0),
            row("ALA", ("Europe", None), 1995, COCA, "Cocaine", "Cocaine hydrochloride", 3.0),
            row("ESP", WE, 1995, COCA, "Cocaine", "Cocaine hydrochloride", 5.0),
        ],
    )
    got = con.execute(
        "SELECT level, area, kg, coverage_share FROM marts.seizure_series "
        "WHERE series_id = 'cocaine' ORDER BY level, area"
    ).fetchall()
    assert got == [
        ("country", "AIA", 2.0, 1.0),
        ("country", "ALA", 3.0, 1.0),
        ("country", "ESP", 5.0, 1.0),
        ("global", "World", 10.0, 1.0),
        ("region", "Americas", 2.0, 1.0),
        ("region", "Europe", 8.0, 1.0),
        ("subregion", "Western and Central Europe", 5.0, 1.0),
    ]
