"""Tests for drugtrends.core.normalise and its reference tables."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from drugtrends import reference
from drugtrends.core import normalise as n

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "unodc"
SEIZURES_CSV = DATA / "individual_seizures_2011_2013.csv"
ANNUAL_JSON = DATA / "drug_seizures_2018_2021.json"
COUNTRY_COLS = ["COUNTRY", "PRODUCING_COUNTRY", "DEPARTURE_COUNTRY", "DESTINATION_COUNTRY"]
ECSTASY = "\u201cEcstasy\u201d-type substances"


def _convert(rows: list[tuple[float, str | None, str | None, str | None]]) -> pl.DataFrame:
    df = pl.DataFrame(
        rows, schema=["amount", "drug_unit", "drug_group", "drug_subgroup"], orient="row"
    )
    return n.convert_units(df, "amount", "drug_unit", "drug_group", "drug_subgroup")


# --------------------------------------------------------------------------- reference tables


def test_reference_tables_load_with_expected_columns() -> None:
    expected = {
        "country_overrides": ["name", "iso3", "note"],
        "unodc_regions": ["iso3", "region", "subregion"],
        "drugs": ["drug_name", "drug_group", "drug_subgroup", "series_id", "note"],
        "series": [
            "series_id",
            "series",
            "family",
            "unit",
            "headline",
            "sort_order",
            "definition",
            "source",
        ],
        "series_members": ["series_id", "drug_group", "drug_subgroup", "drug", "role", "note"],
        "thresholds": ["name", "value", "unit", "meaning"],
        "drug_groups": ["drug_group", "definition"],
        "units": ["spelling", "unit", "family"],
        "conversion_factors": [
            "unit",
            "drug_group",
            "drug_subgroup",
            "kg_per_unit",
            "source",
            "version",
        ],
    }
    for name, columns in expected.items():
        assert reference.load(name).columns == columns, name
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", reference.version())
    with pytest.raises(ValueError, match="unknown reference table"):
        reference.load("nope")


def test_reference_tables_are_consistent() -> None:
    units = reference.load("units")
    assert set(units["family"]) <= {"mass", "volume", "count"}
    factors = reference.load("conversion_factors")
    # Every factor row names a canonical unit, has a positive factor, a source and a version.
    assert set(factors["unit"]) <= set(units["unit"])
    assert factors["kg_per_unit"].min() > 0
    assert factors["source"].null_count() == 0
    assert factors["version"].str.contains(r"^\d{4}\.\d{1,2}\.\d+$").all()
    # Mass and volume factors hold for any drug; counts only ever for a named drug.
    family = factors.join(units.select("unit", "family").unique(), on="unit")
    generic = family.filter(pl.col("drug_group").is_null())
    assert set(generic["family"]) <= {"mass", "volume"}
    regions = reference.load("unodc_regions")
    assert set(regions["region"]) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    overrides = reference.load("country_overrides")
    assert set(overrides["iso3"].drop_nulls()) <= set(regions["iso3"])


def test_drug_taxonomy_matches_annual_data() -> None:
    if not ANNUAL_JSON.exists():
        pytest.skip(f"real data absent: {ANNUAL_JSON}")
    annual = pl.read_json(ANNUAL_JSON).select(
        pl.col("Drug group").alias("drug_group"), pl.col("DrugSubGroup").alias("drug_subgroup")
    )
    used = reference.load("drugs").select("drug_group", "drug_subgroup").unique()
    stray = used.join(annual.unique(), on=["drug_group", "drug_subgroup"], how="anti")
    assert stray.is_empty(), f"pairs not in the UNODC taxonomy: {stray.rows()}"
    factors = reference.load("conversion_factors").drop_nulls("drug_subgroup")
    stray = factors.join(annual.unique(), on=["drug_group", "drug_subgroup"], how="anti")
    assert stray.is_empty(), f"factor pairs not in the taxonomy: {stray.rows()}"


# --------------------------------------------------------------------------- units


def test_mass_units_convert_exactly() -> None:
    out = _convert(
        [
            (2.0, "Kilogram", None, None),
            (500.0, " gram ", None, None),  # case and whitespace do not matter
            (250.0, "Milligram", None, None),
            (1.5, "Ton", None, None),
            (3.0, "Block (350gr)", "Opioids and Opiates", "Opiates"),
        ]
    )
    assert out["unit"].to_list() == ["kg", "g", "mg", "t", "block_350g"]
    assert out["unit_family"].unique().to_list() == ["mass"]
    assert out["kg_equivalent"].to_list() == pytest.approx([2.0, 0.5, 0.00025, 1500.0, 1.05])
    assert out["conversion_rule"].to_list() == [
        "mass:kg",
        "mass:g",
        "mass:mg",
        "mass:t",
        "mass:block_350g",
    ]


def test_volume_units_count_one_kg_per_litre() -> None:
    out = _convert(
        [
            (3.0, "Litre", "Cocaine and Derivatives", "Cocaine"),
            (250.0, "Millilitre", None, None),
            (10.0, "Cc", None, None),
            (2.0, "Gallons (US, liquid)", "Cocaine and Derivatives", "Cocaine"),
        ]
    )
    assert out["unit"].to_list() == ["l", "ml", "ml", "gal_us"]
    assert out["unit_family"].unique().to_list() == ["volume"]
    assert out["kg_equivalent"].to_list() == pytest.approx([3.0, 0.25, 0.01, 7.570823568])
    assert out["conversion_rule"].to_list() == [
        "volume:l",
        "volume:ml",
        "volume:ml",
        "volume:gal_us",
    ]


def test_counts_convert_only_with_a_drug_specific_factor() -> None:
    ats = "Amphetamines and Stimulants"
    out = _convert(
        [
            (1000.0, "Tablet", ats, "Methamphetamine"),
            (1000.0, "Pill", "MDMA and Ecstasy-like Drugs", ECSTASY),
            (1000.0, "Unit", ats, "Amphetamine"),
            (1000.0, "Tablet", "Tranquillizers and Sedatives", "Benzodiazepines"),
            (1000.0, "Tablet", None, None),  # unmapped drug: no factor can apply
            (50.0, "Stamp", "Classic Hallucinogens", "LSD"),
        ]
    )
    assert out["unit"].to_list() == ["tablet", "tablet", "unit", "tablet", "tablet", "blotter"]
    assert out["unit_family"].unique().to_list() == ["count"]
    assert out["kg_equivalent"].to_list()[:3] == pytest.approx([0.09, 0.3, 0.09])
    assert out["kg_equivalent"].to_list()[3:] == [None, None, None]
    assert out["conversion_rule"].to_list() == [
        "count:tablet:Methamphetamine",
        f"count:tablet:{ECSTASY}",
        "count:unit:Amphetamine",
        None,
        None,
        None,
    ]


def test_unknown_unit_spelling_is_null_and_reported() -> None:
    df = pl.DataFrame(
        {"amount": [1.0, 2.0, 3.0, 4.0], "drug_unit": ["Gram", "Furlong", "Furlong", None]}
    ).with_columns(drug_group=pl.lit(None, pl.String), drug_subgroup=pl.lit(None, pl.String))
    out = n.convert_units(df, "amount", "drug_unit", "drug_group", "drug_subgroup")
    assert out["unit"].to_list() == ["g", None, None, None]
    assert out["kg_equivalent"].to_list() == [0.001, None, None, None]
    report = n.unknown_units(df, "drug_unit")
    assert report.rows() == [("Furlong", 2), (None, 1)]


# --------------------------------------------------------------------------- countries


def test_resolve_countries_overrides_library_and_null_markers() -> None:
    names = pl.Series(
        [
            "Bolivia, Plurinational State of",
            "Iran, Islamic Republic of",
            "The former Yugoslav Republic of Macedonia",
            "Macau, SAR of China",  # country_converter alone finds it ambiguous
            "Iraq (Kurdistan Region)",
            "Spain",
            " spain ",
            "Unknown",
            "other",
            "",
            None,
            "Atlantis",
            "Spain",  # duplicates collapse to one row
        ]
    )
    got = {r["name"]: r for r in n.resolve_countries(names).iter_rows(named=True)}
    assert len(got) == 12
    assert got["Bolivia, Plurinational State of"]["iso3"] == "BOL"
    assert got["Bolivia, Plurinational State of"]["resolved_by"] == "override"
    assert got["Bolivia, Plurinational State of"]["subregion"] == "South America"
    assert got["Iran, Islamic Republic of"]["iso3"] == "IRN"
    assert got["The former Yugoslav Republic of Macedonia"]["iso3"] == "MKD"
    assert got["Macau, SAR of China"]["iso3"] == "MAC"
    assert got["Iraq (Kurdistan Region)"]["iso3"] == "IRQ"
    for spain in ("Spain", " spain "):
        assert (got[spain]["iso3"], got[spain]["resolved_by"]) == ("ESP", "library")
        assert got[spain]["region"] == "Europe"
    for marker in ("Unknown", "other", "", None):
        assert (got[marker]["iso3"], got[marker]["resolved_by"]) == (None, "null_marker")
    assert (got["Atlantis"]["iso3"], got["Atlantis"]["resolved_by"]) == (None, None)


def test_normalise_countries_adds_iso3_and_keeps_rows() -> None:
    df = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "departure_country": ["Colombia", "Unknown", None, "Venezuela, Bolivarian Republic of"],
            "destination_country": ["Spain", "Spain", "Atlantis", "Korea, Republic of"],
        }
    )
    out = n.normalise_countries(
        df,
        {"departure_country": "departure_iso3", "destination_country": "destination_iso3"},
        with_regions=True,
    )
    assert out["id"].to_list() == [1, 2, 3, 4]
    assert out["departure_iso3"].to_list() == ["COL", None, None, "VEN"]
    assert out["destination_iso3"].to_list() == ["ESP", "ESP", None, "KOR"]
    assert out["departure_region"].to_list() == ["Americas", None, None, "Americas"]
    assert out["destination_subregion"][0] == "Western and Central Europe"
    report = n.unresolved_countries(df, ["departure_country", "destination_country"])
    assert report.rows() == [("destination_country", "Atlantis", 1)]


# --------------------------------------------------------------------------- drugs


def test_map_drugs_and_report_unmapped() -> None:
    df = pl.DataFrame(
        {
            "drug_name": [
                "Cocaine HCL",
                "coca LEAF ",
                "Ecstasy",
                "Heroin",
                "Frobnicate",
                "Frobnicate",
            ]
        }
    )
    out = n.map_drugs(df, "drug_name")
    assert out["drug_name"].to_list() == df["drug_name"].to_list()
    assert out["drug_subgroup"].to_list() == [
        "Cocaine",
        "Coca-type",
        ECSTASY,
        "Opiates",
        None,
        None,
    ]
    assert out["drug_group"][0] == "Cocaine and Derivatives"
    assert n.unmapped_drugs(df, "drug_name").rows() == [("Frobnicate", 2)]
    report = n.unresolved_report(df, drug_col="drug_name")
    assert set(report) == {"unmapped_drugs"}


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def seizures() -> pl.DataFrame:
    if not SEIZURES_CSV.exists():
        pytest.skip(f"real data absent: {SEIZURES_CSV}")
    return pl.read_csv(SEIZURES_CSV, separator=";", infer_schema=False).with_columns(
        pl.col("AMOUNT").cast(pl.Float64)
    )


@pytest.mark.slow
def test_real_country_names_all_resolve(seizures: pl.DataFrame) -> None:
    names = pl.concat([seizures[c] for c in COUNTRY_COLS])
    resolved = n.resolve_countries(names)
    leftovers = n.unresolved_countries(seizures, COUNTRY_COLS)
    assert leftovers.is_empty(), f"unresolved country names: {leftovers.rows()}"
    by = dict(resolved.group_by("resolved_by").len().rows())
    print(f"\n{resolved.height} distinct country names: {by}")
    # Every seizing country has a UNODC region and subregion.
    seizing = n.resolve_countries(seizures["COUNTRY"])
    assert seizing.filter(pl.col("subregion").is_null()).is_empty()


@pytest.mark.slow
def test_real_share_with_kg_equivalent(seizures: pl.DataFrame) -> None:
    out = n.map_drugs(seizures, "DRUG_NAME")
    out = n.convert_units(out, "AMOUNT", "DRUG_UNIT", "drug_group", "drug_subgroup")
    assert out.height == seizures.height
    share = out["kg_equivalent"].is_not_null().mean()
    print(f"\nrows with a kg equivalent: {share:.2%}")
    assert share > 0.975  # measured 97.9% with reference 2026.11.1
    unknown = n.unknown_units(seizures, "DRUG_UNIT")
    assert unknown["spelling"].drop_nulls().is_empty(), f"unknown unit spellings: {unknown.rows()}"


@pytest.mark.slow
def test_real_unmapped_drug_names_are_few_and_reported(seizures: pl.DataFrame) -> None:
    unmapped = n.unresolved_report(seizures, drug_col="DRUG_NAME")["unmapped_drugs"]
    print(f"\nunmapped drug names: {unmapped.rows()}")
    assert unmapped.height <= 8, unmapped.rows()
    assert unmapped["rows"].sum() < 0.005 * seizures.height
