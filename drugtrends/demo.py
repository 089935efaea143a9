"""Deterministic generator of synthetic demo submissions.

Nothing here is real data. The generator imitates the *shape* of two public UNODC datasets so that
``make demo`` and the tests can exercise the whole pipeline without committing real figures:

* annual seizures in the dataUNODC layout (one record per country / drug / year, quantity in kg),
  one submission per UNODC region, in mixed formats (JSON, CSV with ',' or ';', XLSX);
* case-level ("individual") seizures in the UNODC semicolon layout, one submission per region
  (Europe as JSON records, to cover a second format).

The annual files carry the traits a correct pipeline must handle (duplicated keys that add up,
"Total ..." rows alongside or instead of their components, 'Reported total ...' subgroups, coca leaf
inside the cocaine group, many 0 kg rows) plus a small, fixed set of deliberately bad rows listed in
:data:`BAD_ROWS`, which a data contract must quarantine. The case-level files carry exact duplicate
rows, the same seizure reported in two units, 'Unknown' and empty route fields, old UN country names
and inconsistent spelling of places.

Output is byte-for-byte deterministic for a given ``seed`` and ``years``: every random draw comes
from a ``random.Random`` seeded with a string built from the seed and the draw's purpose, and the
XLSX workbook is written with fixed document-property and ZIP-entry timestamps.

Usage::

    python -m drugtrends.demo DEST [--seed N] [--years 2017-2022]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import random
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import openpyxl
from openpyxl.writer.excel import ExcelWriter

__all__ = [
    "ANNUAL_FIELDS",
    "ANNUAL_FILES",
    "BAD_ROWS",
    "BAD_ROW_RULES",
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "INDIVIDUAL_FIELDS",
    "INDIVIDUAL_FILES",
    "REGIONS",
    "SOURCES_FILE",
    "BadRow",
    "generate",
    "generate_annual_rows",
    "generate_individual_rows",
    "main",
    "source_entries",
]

DEFAULT_YEARS = range(2017, 2023)
DEFAULT_SEED = 20261128

#: Reference year of the base quantities in :data:`ANNUAL_COUNTRIES`; trends are applied from here.
REFERENCE_YEAR = 2017

REGIONS: tuple[str, ...] = ("Africa", "Americas", "Asia", "Europe", "Oceania")

ANNUAL_FIELDS: tuple[str, ...] = (
    "Region",
    "SubRegion",
    "Country/Territory",
    "msCode",
    "Drug group",
    "DrugSubGroup",
    "Drug",
    "Year",
    "Kilograms",
)

INDIVIDUAL_FIELDS: tuple[str, ...] = (
    "REGION",
    "SUBREGION",
    "COUNTRY",
    "ADMINISTRATIVE_DIVISION",
    "PLACE",
    "SEIZURE_DATE",
    "DRUG_NAME",
    "AMOUNT",
    "DRUG_UNIT",
    "HIDING_PLACE",
    "INSTALLATION",
    "TRANSPORT",
    "PRODUCING_COUNTRY",
    "DEPARTURE_COUNTRY",
    "DESTINATION_COUNTRY",
    "ROUTING",
)

SOURCES_FILE = "sources.yaml"
XLSX_SHEET = "Seizures"


@dataclass(frozen=True)
class FileFormat:
    """How one submission file is serialised."""

    location: str
    format: str  # "json" | "csv" | "xlsx"
    delimiter: str | None = None
    sheet: str | None = None


ANNUAL_FILES: dict[str, FileFormat] = {
    "Africa": FileFormat("annual_africa.json", "json"),
    "Americas": FileFormat("annual_americas.csv", "csv", delimiter=","),
    "Asia": FileFormat("annual_asia.csv", "csv", delimiter=";"),
    "Europe": FileFormat("annual_europe.xlsx", "xlsx", sheet=XLSX_SHEET),
    "Oceania": FileFormat("annual_oceania.json", "json"),
}

INDIVIDUAL_FILES: dict[str, FileFormat] = {
    "Africa": FileFormat("individual_africa.csv", "csv", delimiter=";"),
    "Americas": FileFormat("individual_americas.csv", "csv", delimiter=";"),
    "Asia": FileFormat("individual_asia.csv", "csv", delimiter=";"),
    "Europe": FileFormat("individual_europe.json", "json"),
    "Oceania": FileFormat("individual_oceania.csv", "csv", delimiter=";"),
}

# --------------------------------------------------------------------------------------------------
# Annual data: drug taxonomy (spellings copied from dataUNODC)
# --------------------------------------------------------------------------------------------------


class Drug(NamedTuple):
    group: str
    subgroup: str
    name: str


_CANNABIS = "Cannabis and Synthetic Cannabinoids"
_COCAINE = "Cocaine and Derivatives"
_OPIOIDS = "Opioids and Opiates"
_ATS = "Amphetamines and Stimulants"
_ECSTASY = "MDMA and Ecstasy-like Drugs"
_SEDATIVES = "Tranquillizers and Sedatives"
_HALLUCINOGENS = "Classic Hallucinogens"

_COCAINE_TOTAL = (
    "Cocaine (total of the above, including if unspecified/undistinguished, "
    "but excluding coca leaf and coca bush)"
)
_ATS_TOTAL = (
    "Total amphetamine-type stimulants (ATS) (including the above, all other ATS, "
    "and any unspecified/undistinguished quantities of ATS)"
)
_ECSTASY_TOTAL = (
    'Total "ecstasy"-type substances (including the above, all other substances of this type '
    "and any unspecified/undistinguished quantities of substances of this type)"
)
_SEDATIVES_TOTAL = (
    "Total sedatives and tranquillizers (including the above, all other sedatives and "
    "tranquillizers, and any unspecified/undistinguished quantities of sedatives and "
    "tranquillizers)"
)

TAXONOMY: dict[str, Drug] = {
    "cannabis_herb": Drug(_CANNABIS, "Cannabis herb (marijuana)", "Cannabis herb (marijuana)"),
    "cannabis_resin": Drug(_CANNABIS, "Cannabis resin (hashish)", "Cannabis resin (hashish)"),
    "cannabis_plants": Drug(_CANNABIS, "Cannabis plants", "Cannabis plants"),
    "cannabis_oil": Drug(_CANNABIS, "Cannabis oil", "Cannabis oil"),
    "cocaine_hcl": Drug(_COCAINE, "Cocaine", "Cocaine hydrochloride"),
    "crack": Drug(_COCAINE, "Cocaine", '"Crack" cocaine'),
    "coca_paste": Drug(
        _COCAINE,
        "Cocaine",
        "Coca paste/refined cocaine base (intermediate products) (please specify)",
    ),
    "cocaine_total": Drug(_COCAINE, "Cocaine", _COCAINE_TOTAL),
    "coca_leaf": Drug(_COCAINE, "Coca-type", "Coca leaf"),
    "coca_bush": Drug(_COCAINE, "Coca-type", "Coca bush"),
    "heroin": Drug(_OPIOIDS, "Opiates", "Heroin"),
    "opium": Drug(_OPIOIDS, "Opiates", "Opium"),
    "morphine": Drug(_OPIOIDS, "Opiates", "Illicit morphine"),
    "poppy_straw": Drug(_OPIOIDS, "Opiates", "Poppy straw (seed heads, pods or capsules)"),
    "tramadol": Drug(_OPIOIDS, "Pharmaceutical opioids", "Tramadol"),
    "fentanyl": Drug(_OPIOIDS, "Pharmaceutical opioids", "Fentanyl"),
    "codeine": Drug(_OPIOIDS, "Pharmaceutical opioids", "Codeine"),
    "amphetamine": Drug(_ATS, "Amphetamine", "Amphetamine"),
    "captagon": Drug(_ATS, "Amphetamine", '"Captagon"'),
    "methamphetamine": Drug(_ATS, "Methamphetamine", "Methamphetamine"),
    "yaba": Drug(_ATS, "Methamphetamine", "“Yaba”"),
    "ats_total": Drug(_ATS, 'Reported total ATS (excluding "ecstasy")', _ATS_TOTAL),
    "mdma": Drug(_ECSTASY, "“Ecstasy”-type substances", "3,4-methylenedioxymethamphetamine (MDMA)"),
    "ecstasy_total": Drug(_ECSTASY, 'Reported total "ecstasy"-type substances', _ECSTASY_TOTAL),
    # The real data also carries the ecstasy total under the component subgroup.
    "ecstasy_total_in_subgroup": Drug(_ECSTASY, "“Ecstasy”-type substances", _ECSTASY_TOTAL),
    "ketamine": Drug(
        "NPS",
        "Ketamine and phencyclidine-type substances",
        "Ketamine and phencyclidine-type substances",
    ),
    "khat": Drug("NPS", "Plant-based NPS", "Khat"),
    "kratom": Drug("NPS", "Plant-based NPS", "Kratom (Mitragyna speciosa)"),
    "lsd": Drug(_HALLUCINOGENS, "LSD", "Lysergic acid diethylamide (LSD)"),
    "diazepam": Drug(_SEDATIVES, "Benzodiazepines", "Diazepam"),
    "benzodiazepines": Drug(_SEDATIVES, "Benzodiazepines", "Benzodiazepines"),
    "gbl": Drug(_SEDATIVES, "GBL/GHB", "Gamma-Butyrolactone (GBL)"),
    "sedatives_total": Drug(
        _SEDATIVES, "Reported total sedatives and tranquillizers", _SEDATIVES_TOTAL
    ),
    "acetic_anhydride": Drug("Miscellaneous", "Precursors", "Acetic anhydride"),
}

#: Total rows and the component rows they include. A country lists a total key in
#: ``Country.totals`` to report it *alongside* its components (its value is then derived from
#: them); a total key in ``Country.drugs`` is reported *instead of* components.
TOTALS: dict[str, tuple[str, ...]] = {
    "cocaine_total": ("cocaine_hcl", "crack", "coca_paste"),
    "ats_total": ("amphetamine", "captagon", "methamphetamine", "yaba"),
    "ecstasy_total": ("mdma",),
    "ecstasy_total_in_subgroup": ("mdma",),
    "sedatives_total": ("diazepam", "benzodiazepines", "gbl"),
}

#: Mean yearly log-growth of seizures per drug (country-level noise is added on top).
DRUG_TRENDS: dict[str, float] = {
    "cannabis_herb": -0.04,
    "cannabis_resin": -0.02,
    "cannabis_plants": -0.06,
    "cannabis_oil": 0.10,
    "cocaine_hcl": 0.15,
    "crack": 0.05,
    "coca_paste": 0.08,
    "cocaine_total": 0.14,
    "coca_leaf": 0.00,
    "coca_bush": -0.05,
    "heroin": -0.08,
    "opium": -0.05,
    "morphine": -0.06,
    "poppy_straw": -0.05,
    "tramadol": 0.12,
    "fentanyl": 0.35,
    "codeine": 0.04,
    "amphetamine": 0.00,
    "captagon": 0.30,
    "methamphetamine": 0.20,
    "yaba": 0.25,
    "ats_total": 0.18,
    "mdma": -0.03,
    "ecstasy_total": -0.02,
    "ecstasy_total_in_subgroup": -0.02,
    "ketamine": 0.25,
    "khat": 0.00,
    "kratom": 0.15,
    "lsd": 0.05,
    "diazepam": 0.00,
    "benzodiazepines": 0.02,
    "gbl": 0.10,
    "acetic_anhydride": -0.10,
}

#: Multiplicative shock applied to every quantity of a year (pandemic dip, rebound).
YEAR_SHOCKS: dict[int, float] = {2020: 0.85, 2021: 1.05}

TREND_NOISE = 0.06  # sd of the country-specific deviation from DRUG_TRENDS
YEAR_NOISE = 0.30  # sd of the year-to-year log-noise
NOT_REPORTED_SHARE = 0.06  # country/drug/year not reported at all (no row)
ZERO_SHARE = 0.08  # reported as 0 kg
ZERO_SHARE_SMALL = 0.35  # ... for drugs seized in small quantities (base < 5 kg)
DUPLICATE_KEY_SHARE = 0.06  # quantity reported on two rows (different original units)
UNSPECIFIED_SHARE_MAX = 0.12  # a total row exceeds its components by up to this share

# --------------------------------------------------------------------------------------------------
# Annual data: reporting countries (dataUNODC names, ISO3 codes and subregions)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """A reporting country of the annual data and its typical seizures in REFERENCE_YEAR (kg)."""

    name: str
    iso3: str
    subregion: str
    drugs: dict[str, float]
    totals: tuple[str, ...] = ()


_EAF = "East Africa"
_NAF = "North Africa"
_SAF = "Southern Africa"
_WAF = "West and Central Africa"
_NAM = "North America"
_CAM = "Central America"
_CAR = "Caribbean"
_SAM = "South America"
_NME = "Near and Middle East/ South-West Asia"
_SAS = "South Asia"
_ESE = "East and South-East Asia"
_CAT = "Central Asia and Transcaucasia"
_WCE = "Western and Central Europe"
_SEE = "South-Eastern Europe"
_EEU = "Eastern Europe"
_ANZ = "Australia and New Zealand"
_MEL = "Melanesia"
_POL = "Polynesia"

ANNUAL_COUNTRIES: dict[str, tuple[Country, ...]] = {
    "Africa": (
        Country(
            "Kenya",
            "KEN",
            _EAF,
            {
                "cannabis_herb": 12_000,
                "cannabis_plants": 1_000,
                "cocaine_hcl": 3,
                "heroin": 40,
                "diazepam": 0.5,
            },
        ),
        Country(
            "United Republic of Tanzania",
            "TZA",
            _EAF,
            {"cannabis_herb": 30_000, "khat": 8_000, "heroin": 200, "cocaine_hcl": 10},
        ),
        Country(
            "Morocco",
            "MAR",
            _NAF,
            {"cannabis_resin": 250_000, "cannabis_herb": 60_000, "cocaine_hcl": 1_500, "mdma": 30},
        ),
        Country(
            "Egypt",
            "EGY",
            _NAF,
            {
                "cannabis_herb": 150_000,
                "cannabis_resin": 40_000,
                "tramadol": 8_000,
                "heroin": 300,
                "captagon": 500,
            },
        ),
        Country(
            "Algeria",
            "DZA",
            _NAF,
            {
                "cannabis_resin": 60_000,
                "cocaine_hcl": 100,
                "benzodiazepines": 2_000,
                "diazepam": 50,
            },
            totals=("sedatives_total",),
        ),
        Country(
            "Nigeria",
            "NGA",
            _WAF,
            {
                "cannabis_herb": 300_000,
                "cocaine_hcl": 200,
                "heroin": 50,
                "methamphetamine": 400,
                "tramadol": 20_000,
                "codeine": 5_000,
            },
        ),
        Country(
            "Ghana",
            "GHA",
            _WAF,
            {"cannabis_herb": 20_000, "cocaine_total": 300, "heroin": 10, "tramadol": 3_000},
        ),
        Country(
            "Côte d'Ivoire",
            "CIV",
            _WAF,
            {"cannabis_herb": 40_000, "cocaine_hcl": 80, "crack": 5, "tramadol": 15_000},
        ),
        Country(
            "South Africa",
            "ZAF",
            _SAF,
            {
                "cannabis_herb": 200_000,
                "cannabis_plants": 100_000,
                "cocaine_hcl": 600,
                "crack": 30,
                "methamphetamine": 1_500,
                "mdma": 100,
                "heroin": 300,
            },
            totals=("cocaine_total",),
        ),
        Country(
            "Mozambique",
            "MOZ",
            _SAF,
            {"cannabis_herb": 10_000, "heroin": 300, "cocaine_hcl": 20, "methamphetamine": 50},
        ),
    ),
    "Americas": (
        Country(
            "Canada",
            "CAN",
            _NAM,
            {
                "cannabis_herb": 30_000,
                "cannabis_resin": 1_000,
                "cocaine_hcl": 2_500,
                "methamphetamine": 600,
                "fentanyl": 50,
                "heroin": 200,
                "mdma": 300,
                "ketamine": 300,
            },
        ),
        Country(
            "United States of America",
            "USA",
            _NAM,
            {
                "cannabis_herb": 300_000,
                "cocaine_hcl": 80_000,
                "crack": 400,
                "heroin": 3_000,
                "methamphetamine": 60_000,
                "fentanyl": 3_000,
                "mdma": 400,
                "lsd": 5,
            },
            totals=("cocaine_total",),
        ),
        Country(
            "Mexico",
            "MEX",
            _NAM,
            {
                "cannabis_herb": 250_000,
                "cocaine_hcl": 20_000,
                "heroin": 800,
                "methamphetamine": 30_000,
                "opium": 300,
                "fentanyl": 500,
            },
        ),
        Country(
            "Guatemala",
            "GTM",
            _CAM,
            {"cocaine_hcl": 12_000, "cannabis_herb": 2_000, "cannabis_plants": 5_000, "heroin": 20},
        ),
        Country(
            "Panama", "PAN", _CAM, {"cocaine_hcl": 70_000, "cannabis_herb": 9_000, "heroin": 150}
        ),
        Country(
            "Dominican Republic",
            "DOM",
            _CAR,
            {"cocaine_total": 10_000, "cannabis_herb": 5_000, "heroin": 80},
        ),
        Country("Jamaica", "JAM", _CAR, {"cannabis_herb": 40_000, "cocaine_hcl": 600}),
        Country(
            "Colombia",
            "COL",
            _SAM,
            {
                "cocaine_hcl": 420_000,
                "coca_paste": 60_000,
                "coca_leaf": 500_000,
                "cannabis_herb": 300_000,
                "heroin": 400,
                "acetic_anhydride": 2_000,
            },
        ),
        Country(
            "Ecuador",
            "ECU",
            _SAM,
            {"cocaine_hcl": 80_000, "coca_paste": 5_000, "cannabis_herb": 10_000, "heroin": 300},
            totals=("cocaine_total",),
        ),
        Country(
            "Peru",
            "PER",
            _SAM,
            {
                "cocaine_hcl": 15_000,
                "coca_paste": 25_000,
                "coca_leaf": 800_000,
                "coca_bush": 50_000,
                "cannabis_herb": 15_000,
                "opium": 10,
            },
        ),
        Country(
            "Bolivia (Plurinational State of)",
            "BOL",
            _SAM,
            {
                "cocaine_hcl": 15_000,
                "coca_paste": 20_000,
                "coca_leaf": 400_000,
                "cannabis_herb": 600_000,
            },
        ),
        Country(
            "Brazil",
            "BRA",
            _SAM,
            {
                "cocaine_hcl": 40_000,
                "crack": 3_000,
                "coca_paste": 10_000,
                "cannabis_herb": 250_000,
                "mdma": 50,
                "lsd": 1,
            },
            totals=("cocaine_total",),
        ),
    ),
    "Asia": (
        Country(
            "Afghanistan",
            "AFG",
            _NME,
            {
                "opium": 400_000,
                "heroin": 15_000,
                "morphine": 10_000,
                "cannabis_resin": 300_000,
                "methamphetamine": 1_500,
                "acetic_anhydride": 20_000,
            },
        ),
        Country(
            "Iran (Islamic Republic of)",
            "IRN",
            _NME,
            {
                "opium": 600_000,
                "heroin": 20_000,
                "morphine": 10_000,
                "cannabis_resin": 80_000,
                "methamphetamine": 4_000,
            },
        ),
        Country(
            "Pakistan",
            "PAK",
            _NME,
            {
                "opium": 30_000,
                "heroin": 20_000,
                "morphine": 6_000,
                "cannabis_resin": 300_000,
                "methamphetamine": 500,
                "acetic_anhydride": 10_000,
            },
        ),
        Country(
            "Saudi Arabia",
            "SAU",
            _NME,
            {"captagon": 30_000, "amphetamine": 5_000, "cannabis_resin": 60_000},
            totals=("ats_total",),
        ),
        Country(
            "India",
            "IND",
            _SAS,
            {
                "cannabis_herb": 400_000,
                "heroin": 3_000,
                "opium": 5_000,
                "poppy_straw": 80_000,
                "tramadol": 10_000,
                "methamphetamine": 500,
            },
        ),
        Country(
            "Bangladesh",
            "BGD",
            _SAS,
            {"yaba": 10_000, "cannabis_herb": 60_000, "heroin": 300, "codeine": 30_000},
        ),
        Country(
            "China",
            "CHN",
            _ESE,
            {
                "methamphetamine": 15_000,
                "heroin": 6_000,
                "ketamine": 6_000,
                "cannabis_herb": 60_000,
                "opium": 700,
            },
        ),
        Country(
            "Myanmar",
            "MMR",
            _ESE,
            {"methamphetamine": 10_000, "yaba": 15_000, "heroin": 1_000, "opium": 2_000},
            totals=("ats_total",),
        ),
        Country(
            "Thailand",
            "THA",
            _ESE,
            {
                "methamphetamine": 8_000,
                "yaba": 60_000,
                "heroin": 700,
                "ketamine": 200,
                "kratom": 100_000,
                "cannabis_herb": 20_000,
            },
            totals=("ats_total",),
        ),
        Country(
            "Malaysia",
            "MYS",
            _ESE,
            {
                "methamphetamine": 5_000,
                "yaba": 2_000,
                "cannabis_herb": 3_000,
                "heroin": 500,
                "ketamine": 300,
                "kratom": 600_000,
            },
        ),
        Country(
            "Kazakhstan",
            "KAZ",
            _CAT,
            {"cannabis_herb": 30_000, "heroin": 200, "cannabis_resin": 1_000},
        ),
        Country(
            "Tajikistan",
            "TJK",
            _CAT,
            {"opium": 1_000, "heroin": 500, "cannabis_resin": 3_000, "cannabis_herb": 3_000},
        ),
    ),
    "Europe": (
        Country(
            "Spain",
            "ESP",
            _WCE,
            {
                "cannabis_resin": 350_000,
                "cannabis_herb": 30_000,
                "cannabis_plants": 100_000,
                "cocaine_hcl": 40_000,
                "heroin": 500,
                "mdma": 60,
                "amphetamine": 500,
            },
            totals=("cocaine_total",),
        ),
        Country(
            "Netherlands",
            "NLD",
            _WCE,
            {
                "cocaine_hcl": 40_000,
                "cannabis_herb": 30_000,
                "cannabis_resin": 10_000,
                "heroin": 1_000,
                "mdma": 2_000,
                "amphetamine": 1_000,
                "ketamine": 200,
            },
            totals=("ecstasy_total_in_subgroup",),
        ),
        Country(
            "Belgium",
            "BEL",
            _WCE,
            {
                "cocaine_hcl": 50_000,
                "cannabis_herb": 20_000,
                "cannabis_resin": 5_000,
                "heroin": 300,
                "mdma": 300,
                "amphetamine": 600,
            },
        ),
        Country(
            "Germany",
            "DEU",
            _WCE,
            {
                "cannabis_herb": 8_000,
                "cannabis_resin": 2_000,
                "cocaine_total": 5_000,
                "heroin": 700,
                "amphetamine": 1_500,
                "ecstasy_total": 400,
            },
        ),
        Country(
            "France",
            "FRA",
            _WCE,
            {
                "cannabis_resin": 90_000,
                "cannabis_herb": 30_000,
                "cocaine_hcl": 15_000,
                "crack": 5,
                "heroin": 1_100,
                "mdma": 300,
            },
            totals=("ecstasy_total_in_subgroup",),
        ),
        Country(
            "Italy",
            "ITA",
            _WCE,
            {
                "cannabis_herb": 100_000,
                "cannabis_resin": 20_000,
                "cannabis_plants": 50_000,
                "cocaine_hcl": 4_000,
                "heroin": 600,
            },
        ),
        Country(
            "United Kingdom",
            "GBR",
            _WCE,
            {
                "cannabis_herb": 25_000,
                "cocaine_hcl": 4_000,
                "crack": 30,
                "heroin": 1_000,
                "mdma": 200,
                "amphetamine": 1_500,
                "ketamine": 500,
                "lsd": 0.02,
            },
        ),
        Country(
            "Türkiye",
            "TUR",
            _SEE,
            {
                "cannabis_herb": 60_000,
                "cannabis_resin": 40_000,
                "heroin": 17_000,
                "captagon": 6_000,
                "methamphetamine": 1_000,
                "cocaine_hcl": 1_500,
                "mdma": 1_500,
            },
            totals=("ats_total",),
        ),
        Country(
            "Bulgaria",
            "BGR",
            _SEE,
            {"heroin": 400, "cannabis_herb": 3_000, "cocaine_hcl": 300, "amphetamine": 600},
        ),
        Country(
            "Russian Federation",
            "RUS",
            _EEU,
            {
                "cannabis_herb": 15_000,
                "cannabis_resin": 3_000,
                "heroin": 500,
                "cocaine_hcl": 1_500,
                "amphetamine": 1_000,
            },
        ),
        Country(
            "Ukraine",
            "UKR",
            _EEU,
            {
                "cannabis_herb": 10_000,
                "cannabis_plants": 20_000,
                "amphetamine": 300,
                "cocaine_hcl": 500,
                "heroin": 50,
                "methamphetamine": 200,
            },
        ),
    ),
    "Oceania": (
        Country(
            "Australia",
            "AUS",
            _ANZ,
            {
                "methamphetamine": 8_000,
                "amphetamine": 300,
                "cocaine_hcl": 3_000,
                "cannabis_herb": 20_000,
                "mdma": 800,
                "heroin": 500,
                "gbl": 2_000,
            },
            totals=("ats_total", "ecstasy_total"),
        ),
        Country(
            "New Zealand",
            "NZL",
            _ANZ,
            {
                "methamphetamine": 700,
                "cannabis_plants": 2_000,
                "cannabis_herb": 500,
                "cocaine_hcl": 100,
                "mdma": 60,
                "gbl": 80,
            },
        ),
        Country(
            "Fiji",
            "FJI",
            _MEL,
            {
                "cannabis_herb": 300,
                "cannabis_plants": 5_000,
                "methamphetamine": 10,
                "cocaine_total": 50,
            },
        ),
        Country("Papua New Guinea", "PNG", _MEL, {"cannabis_herb": 2_000, "methamphetamine": 2}),
        Country(
            "Samoa",
            "WSM",
            _POL,
            {"cannabis_herb": 20, "cannabis_plants": 150, "methamphetamine": 0.5},
        ),
        Country("Tonga", "TON", _POL, {"ats_total": 15, "cannabis_herb": 30, "cocaine_hcl": 5}),
    ),
}

# --------------------------------------------------------------------------------------------------
# Annual data: deliberately bad rows
# --------------------------------------------------------------------------------------------------


class BadRow(NamedTuple):
    """A row of an annual file that a data contract must quarantine.

    ``row`` is the 1-based *data* row: the header is not counted, so it is the CSV line number
    minus 1, the JSON array index plus 1, and the XLSX sheet row minus 1.
    """

    file: str
    row: int
    rule: str
    reason: str


#: Rule name -> (reason, corruption applied to a copy of a good row).
BAD_ROW_RULES: dict[str, tuple[str, Callable[[dict[str, object]], None]]] = {
    "kilograms_negative": (
        "Kilograms is negative: a seized quantity cannot be below zero",
        lambda r: r.update(Kilograms=-(abs(r["Kilograms"]) or 12.5)),  # type: ignore[arg-type]
    ),
    "kilograms_not_numeric": (
        "Kilograms is the text 'n/a' instead of a number",
        lambda r: r.update(Kilograms="n/a"),
    ),
    "year_out_of_range": (
        "Year is 1890, outside the plausible reporting period",
        lambda r: r.update(Year=1890),
    ),
    "unknown_mscode": (
        "msCode is 'XXX', not a known ISO 3166-1 alpha-3 code",
        lambda r: r.update(msCode="XXX"),
    ),
    "missing_drug_group": (
        "Drug group is missing (empty cell in CSV/XLSX, null in JSON)",
        lambda r: r.update({"Drug group": None}),
    ),
}


def _bad(file: str, row: int, rule: str) -> BadRow:
    return BadRow(file, row, rule, BAD_ROW_RULES[rule][0])


#: The deliberately bad rows of the annual files. Positions are fixed (independent of seed and
#: years) and fit any range of at least three years; each rule appears in two files of different
#: formats, so 10 of ~1,600 annual rows (~0.6%) with the default years.
BAD_ROWS: tuple[BadRow, ...] = (
    _bad("annual_africa.json", 23, "kilograms_negative"),
    _bad("annual_africa.json", 117, "kilograms_not_numeric"),
    _bad("annual_americas.csv", 41, "year_out_of_range"),
    _bad("annual_americas.csv", 152, "unknown_mscode"),
    _bad("annual_asia.csv", 77, "missing_drug_group"),
    _bad("annual_asia.csv", 146, "kilograms_negative"),
    _bad("annual_europe.xlsx", 12, "kilograms_not_numeric"),
    _bad("annual_europe.xlsx", 181, "year_out_of_range"),
    _bad("annual_oceania.json", 19, "unknown_mscode"),
    _bad("annual_oceania.json", 58, "missing_drug_group"),
)

# --------------------------------------------------------------------------------------------------
# Case-level data: countries (old UN short names and subregion spellings of the case-level file)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseCountry:
    """A seizing country of the case-level data with (ADMINISTRATIVE_DIVISION, PLACE) pairs."""

    name: str
    subregion: str
    places: tuple[tuple[str, str], ...]


CASE_COUNTRIES: dict[str, tuple[CaseCountry, ...]] = {
    "Africa": (
        CaseCountry("Benin", _WAF, (("Littoral", "Cotonou"), ("", "Cotonou"), ("Ouémé", "Sèmè"))),
        CaseCountry("Côte d'Ivoire", _WAF, (("", "Abidjan"), ("Lagunes", "Abidjan"))),
        CaseCountry(
            "Ghana",
            _WAF,
            (
                ("Greater Accra Region", "Accra"),
                ("Greater Accra Region", "Tema"),
                ("Western Region", "Takoradi"),
                ("", ""),
            ),
        ),
        CaseCountry(
            "Nigeria",
            _WAF,
            (("LAGOS", "Lagos"), ("KANO", "Kano"), ("ANAMBRA", "Onitsha"), ("", "Lagos")),
        ),
        CaseCountry("Kenya", _EAF, (("Nairobi", "Nairobi"), ("Mombasa", "Mombasa"))),
        CaseCountry(
            "Mauritius",
            _EAF,
            (("", "Grand Port"), ("", "GRAND PORT"), ("", "Port Louis"), ("", "Pamplemousses")),
        ),
        CaseCountry(
            "Tanzania, United Republic of",
            _EAF,
            (("Dar es Salaam", "Dar es Salaam"), ("", "Zanzibar")),
        ),
        CaseCountry("Egypt", _NAF, (("", "Cairo"), ("", "Port Said"), ("", "Alexandria"))),
        CaseCountry("Morocco", _NAF, (("", "Tanger"), ("", "Casablanca"))),
        CaseCountry(
            "South Africa",
            _SAF,
            (
                ("Gauteng", "Johannesburg"),
                ("Western Cape", "Cape Town"),
                ("KwaZulu-Natal", "Durban"),
            ),
        ),
        CaseCountry("Swaziland", _SAF, (("", "Mbabane"), ("", "Manzini"))),
    ),
    "Americas": (
        CaseCountry(
            "Colombia",
            _SAM,
            (
                ("ANTIOQUIA", "MEDELLIN"),
                ("", "BOGOTA, D.C."),
                ("BOGOTA, D.C.", "BOGOTA D.C."),
                ("VALLE DEL CAUCA", "CALI"),
                ("VALLE DEL CAUCA", "BUENAVENTURA"),
                ("ATLANTICO", "BARRANQUILLA"),
                ("NARIÑO", "TUMACO"),
                ("BOLIVAR", "CARTAGENA"),
            ),
        ),
        CaseCountry(
            "Bolivia, Plurinational State of",
            _SAM,
            (("", "Cochabamba"), ("", "Santa Cruz"), ("", "La Paz")),
        ),
        CaseCountry("Peru", _SAM, (("LIMA", "Callao"), ("CUSCO", "Kimbiri"), ("", "Lima"))),
        CaseCountry(
            "Ecuador",
            _SAM,
            (("GUAYAS", "GUAYAQUIL"), ("PICHINCHA", "QUITO"), ("ESMERALDAS", ""), ("GUAYAS", "")),
        ),
        CaseCountry(
            "Venezuela, Bolivarian Republic of",
            _SAM,
            (
                ("VARGAS", "MAIQUETIA"),
                ("DISTRITO CAPITAL", "LIBERTADOR"),
                ("ZULIA", "MARACAIBO"),
                ("TACHIRA", "SAN ANTONIO"),
            ),
        ),
        CaseCountry("Paraguay", _SAM, (("", "Asunción"), ("Alto Paraná", "Ciudad del Este"))),
        CaseCountry(
            "Brazil",
            _SAM,
            (("São Paulo", "Guarulhos"), ("São Paulo", "Santos"), ("Paraná", "Paranaguá")),
        ),
        CaseCountry(
            "Guatemala", _CAM, (("ESCUINTLA", "Puerto Quetzal"), ("SAN MARCOS", "Tecún Umán"))
        ),
        CaseCountry("El Salvador", _CAM, (("La Libertad", "Comalapa"), ("", "Acajutla"))),
        CaseCountry(
            "Mexico",
            _NAM,
            (
                ("Baja California", "Tijuana"),
                ("Sinaloa", "Culiacán"),
                ("", "Manzanillo"),
                ("Sonora", "Nogales"),
            ),
        ),
        CaseCountry(
            "United States",
            _NAM,
            (("California", "San Diego"), ("Arizona", "Nogales"), ("Florida", "Miami")),
        ),
        CaseCountry("Canada", _NAM, (("Ontario", "Toronto"), ("British Columbia", "Vancouver"))),
        CaseCountry("Dominican Republic", _CAR, (("", "Santo Domingo"), ("", "Punta Cana"))),
        CaseCountry("Trinidad and Tobago", _CAR, (("", "Port of Spain"), ("", "Piarco"))),
    ),
    "Asia": (
        CaseCountry(
            "Afghanistan",
            "Near and Middle East /South-West Asia",
            (("", "Kabul"), ("", "Herat"), ("", "Kandarhar"), ("Nangarhar", "Jalalabad")),
        ),
        CaseCountry(
            "Pakistan",
            "Near and Middle East /South-West Asia",
            (("", "Karachi"), ("", "Lahore"), ("", "Peshawar"), ("", "Islamabad")),
        ),
        CaseCountry(
            "Iran, Islamic Republic of",
            "Near and Middle East /South-West Asia",
            (("Sistan and Baluchestan", "Zahedan"), ("Khorasan Razavi", "Mashhad"), ("", "Tehran")),
        ),
        CaseCountry(
            "Syrian Arab Republic",
            "Near and Middle East /South-West Asia",
            (("", "Damascus"), ("", "Latakia")),
        ),
        CaseCountry(
            "United Arab Emirates",
            "Near and Middle East /South-West Asia",
            (("", "Dubai"), ("", "Jebel Ali")),
        ),
        CaseCountry(
            "Tajikistan",
            "Central Asia and Transcaucasian countries",
            (("", "Dushanbe"), ("Khatlon", "Panj")),
        ),
        CaseCountry(
            "Uzbekistan",
            "Central Asia and Transcaucasian countries",
            (("", "Tashkent"), ("Surkhandarya", "Termez")),
        ),
        CaseCountry(
            "Kazakhstan",
            "Central Asia and Transcaucasian countries",
            (("", "Almaty"), ("", "Shymkent")),
        ),
        CaseCountry(
            "Kyrgyzstan",
            "Central Asia and Transcaucasian countries",
            (("", "Osh"), ("", "Bishkek")),
        ),
        CaseCountry(
            "India", "South Asia", (("Punjab", "Amritsar"), ("", "Mumbai"), ("Manipur", "Moreh"))
        ),
        CaseCountry(
            "Bangladesh",
            "South Asia",
            (("", "Cox's Bazar"), ("", "Dhaka"), ("Chittagong", "Teknaf")),
        ),
        CaseCountry(
            "Thailand",
            _ESE,
            (("", "Tak"), ("", "Nong Khai"), ("Chiang Rai", "Muang"), ("", "Song-Khla")),
        ),
        CaseCountry(
            "Myanmar",
            _ESE,
            (("Shan (North)", "Lashio"), ("Shan (East)", "Tachileik"), ("", "Yangon")),
        ),
        CaseCountry(
            "Lao Peoples Democratic Republic", _ESE, (("", "Vientiane"), ("Bokeo", "Houayxay"))
        ),
        CaseCountry("Malaysia", _ESE, (("", "Kuala Lumpur"), ("Johor", "Johor Bahru"))),
        CaseCountry("China", _ESE, (("Yunnan", "Ruili"), ("Guangdong", "Guangzhou"))),
        CaseCountry("Cambodia", _ESE, (("", "Phnom Penh"),)),
        CaseCountry("Korea, Republic of", _ESE, (("", "Incheon"), ("", "Busan"))),
        CaseCountry("Japan", _ESE, (("", "Tokyo"), ("", "Osaka"))),
    ),
    "Europe": (
        CaseCountry(
            "Spain",
            "West & Central Europe",
            (("", "Madrid"), ("", "Algeciras"), ("", "Prat de Llobregat (El)"), ("", "Valencia")),
        ),
        CaseCountry("Portugal", "West & Central Europe", (("", "Lisboa"), ("", "Setúbal"))),
        CaseCountry(
            "Netherlands",
            "West & Central Europe",
            (("", "Amsterdam"), ("", "Rotterdam"), ("", "Holland")),
        ),
        CaseCountry("Belgium", "West & Central Europe", (("", "Brussels"), ("", "Antwerpen"))),
        CaseCountry("France", "West & Central Europe", (("", "Roissy"), ("", "Le Havre"))),
        CaseCountry(
            "Italy",
            "West & Central Europe",
            (("RM", "ROMA"), ("MI", "MILANO"), ("VA", "VARESE"), ("RC", "GIOIA TAURO")),
        ),
        CaseCountry(
            "Germany", "West & Central Europe", (("", "Frankfurt am Main"), ("", "Hamburg"))
        ),
        CaseCountry("Czech Republic", "West & Central Europe", (("", "Praha"), ("", "Brno"))),
        CaseCountry(
            "Russian Federation",
            "East Europe",
            (
                ("г. Москва", "г. Москва"),
                ("Московская область", "г. Подольск"),
                ("г. Санкт-Петербург и Ленинградская область", "г. Санкт-Петербург"),
                ("Новосибирская область", "г. Новосибирск"),
                ("", "Moscow city"),
            ),
        ),
        CaseCountry("Ukraine", "East Europe", (("", "Kyiv"), ("", "Odesa"))),
        CaseCountry("Moldova, Republic of", "East Europe", (("", "Chisinau"),)),
        CaseCountry("Bulgaria", "Southeast Europe", (("", "Kapitan Andreevo"), ("", "Sofia"))),
        CaseCountry("Romania", "Southeast Europe", (("", "Constanta"), ("", "Bucuresti"))),
        CaseCountry(
            "Macedonia, the former Yugoslav Republic of",
            "Southeast Europe",
            (("", "Skopje"), ("", "Bogorodica")),
        ),
    ),
    "Oceania": (
        CaseCountry(
            "New Zealand",
            "Oceania",
            (
                ("Auckland", "Auckland"),
                ("", "Auckland City"),
                ("Counties/Manukau", ""),
                ("Wellington", "Wellington"),
            ),
        ),
        CaseCountry(
            "Australia",
            "Oceania",
            (
                ("New South Wales", "Sydney"),
                ("Victoria", "Melbourne"),
                ("Western Australia", "Perth"),
            ),
        ),
    ),
}

# --------------------------------------------------------------------------------------------------
# Case-level data: amounts and trafficking flows
# --------------------------------------------------------------------------------------------------

_COUNT_UNITS = ("Tablet", "Unit", "Piece", "Millilitre")


@dataclass(frozen=True)
class Amount:
    """A unit (spelled as in the case-level file) with a log-uniform range of amounts."""

    unit: str
    low: float
    high: float

    def draw(self, rng: random.Random) -> float:
        value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        if self.unit in _COUNT_UNITS:
            return float(max(1, round(value)))
        return max(round(value, 3 if self.unit == "Kilogram" else 2), 0.01)


KG_STREET = Amount("Kilogram", 0.01, 3)
G_STREET = Amount("Gram", 0.1, 500)
KG_COURIER = Amount("Kilogram", 0.2, 12)
G_COURIER = Amount("Gram", 50, 9_000)
KG_BULK = Amount("Kilogram", 20, 4_000)
G_BULK = Amount("Gram", 10_000, 900_000)
TABLETS = Amount("Tablet", 10, 5_000)
TABLETS_BULK = Amount("Tablet", 2_000, 2_000_000)
UNITS = Amount("Unit", 1, 3_000)
PIECES = Amount("Piece", 1, 500)
LITRES = Amount("Litre", 0.5, 200)
MILLILITRES = Amount("Millilitre", 10, 5_000)

UNKNOWN = "Unknown"
SEIZING = "<seizing country>"  # placeholder replaced by the seizing country's name
DOMESTIC = "National territory/domestic seizure"


@dataclass(frozen=True)
class Flow:
    """A trafficking pattern: which drugs are seized where, and the typical route fields.

    ``sparse`` is the share of rows that only carry the core fields (as most real rows do).
    Option tuples may contain "" (not reported), ``UNKNOWN`` and ``SEIZING``;
    ``producing_by_drug`` overrides ``producing`` for drugs of another origin.
    """

    name: str
    weight: float
    seizing: tuple[str, ...]
    drugs: tuple[tuple[str, tuple[Amount, ...]], ...]
    producing: tuple[str, ...]
    departure: tuple[str, ...]
    destination: tuple[str, ...]
    transport: tuple[str, ...]
    hiding: tuple[str, ...]
    installation: tuple[str, ...]
    routing: tuple[str, ...]
    sparse: float = 0.25
    producing_by_drug: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def producing_for(self, drug: str) -> tuple[str, ...]:
        return self.producing_by_drug.get(drug, self.producing)


_COCA_ORIGINS = ("Colombia", "Peru", "Bolivia, Plurinational State of", UNKNOWN, "")

FLOWS: dict[str, tuple[Flow, ...]] = {
    "Africa": (
        Flow(
            "west_africa_cocaine_couriers",
            3,
            ("Nigeria", "Ghana", "Benin", "Côte d'Ivoire"),
            (("Cocaine", (KG_COURIER, G_COURIER)), ("Heroin", (KG_COURIER,))),
            _COCA_ORIGINS,
            ("Brazil", "Ethiopia", "Brazil", "Colombia", SEIZING, UNKNOWN),
            (SEIZING, "United Kingdom", "Spain", "Netherlands", "Italy", UNKNOWN),
            ("Commercial air",),
            ("Swallowed", "Baggage", "Inserted", "Outerwear", "Body"),
            ("Airport",),
            ("Border - inbound", "Border - outbound", ""),
            producing_by_drug={"Heroin": ("Afghanistan", UNKNOWN, "")},
        ),
        Flow(
            "gulf_of_guinea_maritime",
            1,
            ("Ghana", "Benin", "Nigeria"),
            (("Cocaine", (KG_BULK, G_BULK)),),
            ("Colombia", UNKNOWN, ""),
            ("Brazil", "Guyana", "Venezuela, Bolivarian Republic of", UNKNOWN),
            (SEIZING, "Spain", "Netherlands", "Portugal", UNKNOWN),
            ("Commercial sea", "Private sea"),
            ("Freight", "Container", "Vessel"),
            ("Seaport", "Port Facilities", "Territorial Waters"),
            ("Border - inbound", "International waters/unclaimed territory", ""),
        ),
        Flow(
            "nigeria_methamphetamine_outbound",
            1,
            ("Nigeria",),
            (("Methamphetamine", (KG_COURIER, G_COURIER)),),
            (SEIZING, "", UNKNOWN),
            (SEIZING,),
            ("South Africa", "Malaysia", "Japan", "Indonesia", "India"),
            ("Commercial air",),
            ("Baggage", "Food", "Cosmetics"),
            ("Airport",),
            ("Border - outbound", ""),
        ),
        Flow(
            "nigeria_codeine_syrup",
            1,
            ("Nigeria",),
            (("Codeine", (LITRES, MILLILITRES)), ("Tramadol", (TABLETS_BULK,))),
            ("India", UNKNOWN, ""),
            ("India", UNKNOWN, ""),
            (SEIZING,),
            ("Commercial road", "Private road"),
            ("Freight", "Transport Vehicle"),
            ("Warehouse", "Store", "Frontier"),
            (DOMESTIC, "Border - inbound"),
            sparse=0.4,
        ),
        Flow(
            "east_africa_heroin",
            2,
            ("Mauritius", "Kenya", "Tanzania, United Republic of"),
            (("Heroin", (G_COURIER, KG_COURIER)),),
            ("Afghanistan", UNKNOWN, ""),
            ("Pakistan", "Madagascar", "Tanzania, United Republic of", "Kenya", UNKNOWN),
            (SEIZING, "Mauritius", "South Africa", UNKNOWN),
            ("Commercial air", "Commercial sea", "Commercial road"),
            ("Baggage", "Postal", "Body", "Freight"),
            ("Airport", "Seaport", "Post Office"),
            ("Border - inbound", ""),
        ),
        Flow(
            "mauritius_buprenorphine",
            1,
            ("Mauritius",),
            (("Buprenorphine", (TABLETS,)),),
            (UNKNOWN,),
            ("France", UNKNOWN),
            (SEIZING,),
            ("Commercial air", "Other"),
            ("Baggage", "Residence"),
            ("Airport", "Home/Residence"),
            ("Border - inbound", DOMESTIC, ""),
        ),
        Flow(
            "north_africa_pharmaceuticals",
            2,
            ("Egypt", "Morocco"),
            (("Tramadol", (TABLETS_BULK,)), ("Benzodiazepine", (UNITS,)), ("Diazepam", (TABLETS,))),
            ("India", UNKNOWN, ""),
            ("India", "China", "United Arab Emirates"),
            (SEIZING, "Libya", "Niger", UNKNOWN),
            ("Commercial sea", "Commercial road"),
            ("Container", "Freight", "Transport Vehicle"),
            ("Seaport", "Frontier", "Customs facilities"),
            ("Border - inbound", "Border - transit/free trade zone", ""),
        ),
        Flow(
            "southern_africa_domestic",
            1,
            ("South Africa", "Swaziland"),
            (
                ("Methamphetamine", (G_STREET, KG_STREET)),
                ("Cocaine", (G_STREET,)),
                ("Crack", (G_STREET,)),
                ("Diazepam", (TABLETS,)),
            ),
            (SEIZING, UNKNOWN, ""),
            ("", UNKNOWN, "Mozambique"),
            (SEIZING, ""),
            ("Private road", "None", ""),
            ("Body", "Residence", "Plastic bags"),
            ("Street", "Home/Residence", "Vehicle"),
            (DOMESTIC, ""),
            sparse=0.5,
            producing_by_drug={"Cocaine": (UNKNOWN, ""), "Crack": (UNKNOWN, "")},
        ),
    ),
    "Americas": (
        Flow(
            "andean_domestic_cocaine",
            6,
            (
                "Colombia",
                "Bolivia, Plurinational State of",
                "Peru",
                "Ecuador",
                "Venezuela, Bolivarian Republic of",
                "Paraguay",
                "Brazil",
            ),
            (
                ("Cocaine Base", (KG_STREET, G_STREET)),
                ("Coca paste", (KG_STREET,)),
                ("Cocaine", (KG_STREET, G_STREET)),
                ("Cocaine HCL", (KG_STREET, G_STREET)),
                ("Crack", (G_STREET,)),
                ("Coca leaf", (KG_BULK,)),
            ),
            ("", UNKNOWN, SEIZING, "Colombia", "Peru", "Bolivia, Plurinational State of"),
            ("", UNKNOWN, SEIZING),
            ("", UNKNOWN, SEIZING),
            ("Private road", "None", "Other", "Unknown"),
            ("", "Plastic bags", "Residence", "Car Parts", "Sack", "Body"),
            ("Street", "Open Air", "Home/Residence", "Vehicle", "Building"),
            (DOMESTIC, ""),
            sparse=0.7,
        ),
        Flow(
            "cocaine_export",
            3,
            ("Ecuador", "Colombia", "Brazil", "Peru", "Venezuela, Bolivarian Republic of"),
            (("Cocaine", (KG_BULK, G_BULK)), ("Cocaine HCL", (KG_BULK,))),
            _COCA_ORIGINS,
            (SEIZING,),
            (
                "Spain",
                "Netherlands",
                "Belgium",
                "United States",
                "Italy",
                "France",
                "Mexico",
                UNKNOWN,
            ),
            ("Commercial sea", "Commercial air", "Private sea"),
            ("Container", "Freight", "Baggage", "Swallowed", "Food", "Postal"),
            ("Seaport", "Airport", "Port Facilities", "Post Office"),
            ("Border - outbound", ""),
        ),
        Flow(
            "central_america_corridor",
            2,
            ("Guatemala", "El Salvador", "Mexico"),
            (("Cocaine", (KG_BULK,)), ("Heroin", (KG_COURIER,)), ("Methamphetamine", (KG_BULK,))),
            ("Colombia", "Mexico", UNKNOWN, ""),
            ("Colombia", "Venezuela, Bolivarian Republic of", "Ecuador", "Guatemala", UNKNOWN),
            ("United States", "Mexico", UNKNOWN),
            ("Private road", "Commercial road", "Private sea", "Private air"),
            ("Transport Vehicle", "Car Parts", "Freight", "Vessel"),
            ("Frontier", "Territorial Waters", "International Waters", "Vehicle"),
            (
                "Border - inbound",
                "Border - transit/free trade zone",
                "International waters/unclaimed territory",
                "",
            ),
            producing_by_drug={
                "Heroin": ("Mexico", "Colombia", UNKNOWN, ""),
                "Methamphetamine": ("Mexico", UNKNOWN, ""),
            },
        ),
        Flow(
            "caribbean_cocaine",
            1,
            ("Dominican Republic", "Trinidad and Tobago"),
            (("Cocaine", (KG_COURIER, KG_BULK)),),
            ("Colombia", UNKNOWN, ""),
            ("Venezuela, Bolivarian Republic of", "Colombia", UNKNOWN),
            ("United States", "Spain", "Netherlands", "Belgium", SEIZING),
            ("Commercial air", "Private sea", "Commercial sea"),
            ("Baggage", "Swallowed", "Vessel", "Freight"),
            ("Airport", "Seaport", "Territorial Waters"),
            ("Border - outbound", "Border - inbound", ""),
        ),
        Flow(
            "north_america_synthetics",
            2,
            ("United States", "Canada", "Mexico"),
            (
                ("Methamphetamine", (KG_BULK, KG_COURIER)),
                ("Fentanyl", (G_COURIER, KG_COURIER)),
                ("Ecstasy", (UNITS, TABLETS)),
                ("Oxycodone", (TABLETS,)),
                ("LSD", (PIECES,)),
            ),
            ("Mexico", "China", UNKNOWN, ""),
            ("Mexico", "China", "Canada", "United States", UNKNOWN),
            (SEIZING, "United States", "Canada", "Australia"),
            ("Private road", "Commercial road", "Commercial air", "Mail"),
            ("Car Parts", "Transport Vehicle", "Postal", "Freight"),
            ("Frontier", "Post Office", "Customs facilities"),
            ("Border - inbound", "Border - outbound", ""),
            producing_by_drug={
                "Ecstasy": ("Canada", "Netherlands", UNKNOWN, ""),
                "LSD": (UNKNOWN, ""),
            },
        ),
    ),
    "Asia": (
        Flow(
            "afghan_opiates_southern_route",
            4,
            ("Afghanistan", "Pakistan", "Iran, Islamic Republic of"),
            (
                ("Heroin", (KG_COURIER, KG_BULK)),
                ("Opium", (KG_BULK, G_STREET)),
                ("Morphine", (KG_BULK,)),
            ),
            ("Afghanistan", UNKNOWN, ""),
            ("Afghanistan", "Pakistan", SEIZING, UNKNOWN),
            (
                "Iran, Islamic Republic of",
                "Turkey",
                "Saudi Arabia",
                "United Arab Emirates",
                "China",
                "United Kingdom",
                UNKNOWN,
                SEIZING,
            ),
            ("Commercial air", "Private road", "Commercial road", "Commercial sea"),
            ("Swallowed", "Baggage", "Car Parts", "Transport Vehicle", "Freight"),
            ("Airport", "Frontier", "Vehicle", "Open Air", "Seaport"),
            ("Border - outbound", DOMESTIC, "Border - inbound", ""),
            sparse=0.3,
        ),
        Flow(
            "precursors_to_afghanistan",
            0.5,
            ("Pakistan", "Iran, Islamic Republic of"),
            (("Acetic Anhydride", (LITRES,)),),
            ("China", "India", UNKNOWN, ""),
            (SEIZING, "China", "India", UNKNOWN),
            ("Afghanistan",),
            ("Commercial road", "Private road"),
            ("Transport Vehicle", "Freight"),
            ("Frontier", "Vehicle"),
            ("Border - outbound", ""),
        ),
        Flow(
            "northern_route",
            2,
            ("Tajikistan", "Uzbekistan", "Kazakhstan", "Kyrgyzstan"),
            (("Heroin", (KG_COURIER, G_STREET)), ("Opium", (KG_COURIER,))),
            ("Afghanistan", UNKNOWN, ""),
            ("Afghanistan", "Tajikistan", SEIZING, UNKNOWN),
            ("Russian Federation", "Kazakhstan", SEIZING, UNKNOWN),
            ("Private road", "Rail", "Commercial road", "Pedestrian"),
            ("Car Parts", "Baggage", "Body", "Sack"),
            ("Frontier", "Railway Station", "Train", "Car"),
            ("Border - inbound", "Border - transit/free trade zone", DOMESTIC, ""),
        ),
        Flow(
            "golden_triangle",
            4,
            (
                "Thailand",
                "Myanmar",
                "Lao Peoples Democratic Republic",
                "Malaysia",
                "China",
                "Cambodia",
            ),
            (
                ("Methamphetamine", (TABLETS_BULK, KG_BULK)),
                ("Heroin", (KG_COURIER,)),
                ("Ketamine", (KG_COURIER,)),
                ("Kratom", (KG_BULK,)),
                ("Opium", (KG_COURIER,)),
            ),
            ("Myanmar", "Lao Peoples Democratic Republic", UNKNOWN, ""),
            ("Myanmar", "Lao Peoples Democratic Republic", "Thailand", UNKNOWN),
            (SEIZING, "Malaysia", "China", "Australia", "Japan", "Korea, Republic of", UNKNOWN),
            ("Private road", "River", "Commercial sea", "Commercial road"),
            ("Sack", "Transport Vehicle", "Car Parts", "Freight", "Food"),
            ("Frontier", "Open Air", "Vehicle", "Seaport"),
            ("Border - inbound", DOMESTIC, ""),
        ),
        Flow(
            "east_asia_air_and_post",
            1,
            ("China", "Korea, Republic of", "Japan"),
            (
                ("Methamphetamine", (G_COURIER, KG_COURIER)),
                ("Cocaine", (KG_COURIER,)),
                ("Ecstasy", (TABLETS,)),
            ),
            ("", UNKNOWN),
            ("United States", "Thailand", "Malaysia", "Mexico", "Hong Kong", "Cambodia"),
            (SEIZING, "Japan", "Australia"),
            ("Commercial air", "Mail", "Commercial sea"),
            ("Postal", "Baggage", "Swallowed", "Cosmetics", "Electrical Parts"),
            ("Airport", "Post Office", "Customs facilities"),
            ("Border - inbound", ""),
        ),
        Flow(
            "captagon",
            1,
            ("Syrian Arab Republic", "United Arab Emirates"),
            (("Captagon", (TABLETS_BULK,)), ("Amphetamine", (KG_BULK,))),
            ("Syrian Arab Republic", "Lebanon", UNKNOWN, ""),
            ("Syrian Arab Republic", "Lebanon", "Jordan", SEIZING),
            ("Saudi Arabia", "United Arab Emirates", "Kuwait", "Iraq", UNKNOWN),
            ("Commercial road", "Commercial sea", "Private road"),
            ("Freight", "Food", "Transport Vehicle", "Container", "Furniture"),
            ("Frontier", "Seaport", "Customs facilities"),
            ("Border - outbound", "Border - inbound", "Border - transit/free trade zone"),
        ),
        Flow(
            "south_asia_pharmaceuticals",
            1,
            ("India", "Bangladesh"),
            (
                ("Tramadol", (TABLETS_BULK,)),
                ("Methamphetamine", (TABLETS_BULK,)),
                ("Codeine", (MILLILITRES, LITRES)),
                ("Heroin", (G_COURIER,)),
            ),
            ("India", "Myanmar", UNKNOWN, ""),
            ("India", "Myanmar", SEIZING),
            (SEIZING, "Bangladesh", "Nigeria", "Egypt", UNKNOWN),
            ("Private road", "River", "Commercial sea", "Commercial road", "Pedestrian"),
            ("Sack", "Transport Vehicle", "Body", "Container"),
            ("Frontier", "Open Air", "Seaport", "Store"),
            ("Border - inbound", "Border - outbound", DOMESTIC, ""),
        ),
    ),
    "Europe": (
        Flow(
            "cocaine_air_couriers",
            3,
            ("Spain", "Portugal", "Netherlands", "Belgium", "France", "Italy"),
            (("Cocaine", (KG_COURIER, G_COURIER)),),
            _COCA_ORIGINS,
            (
                "Brazil",
                "Dominican Republic",
                "Colombia",
                "Venezuela, Bolivarian Republic of",
                "Argentina",
                "Ecuador",
                "Peru",
                UNKNOWN,
            ),
            (SEIZING, "Spain", "Netherlands", "Italy", "United Kingdom"),
            ("Commercial air",),
            ("Baggage", "Swallowed", "Inserted", "Outerwear", "Postal", "Handbag", "Shoes"),
            ("Airport", "Post Office"),
            ("Border - inbound", ""),
        ),
        Flow(
            "cocaine_maritime",
            2,
            ("Spain", "Netherlands", "Belgium", "Portugal", "Italy", "Germany"),
            (("Cocaine", (KG_BULK,)),),
            _COCA_ORIGINS,
            (
                "Ecuador",
                "Brazil",
                "Colombia",
                "Panama",
                "Costa Rica",
                "Dominican Republic",
                UNKNOWN,
            ),
            (SEIZING, "Netherlands", "Belgium", "Spain", "Germany", "Italy", "Albania"),
            ("Commercial sea", "Private sea"),
            ("Container", "Freight", "Food", "Vessel"),
            ("Seaport", "Port Facilities", "International Waters", "Territorial Waters"),
            ("Border - inbound", "International waters/unclaimed territory", ""),
        ),
        Flow(
            "balkan_route_heroin",
            2,
            (
                "Bulgaria",
                "Romania",
                "Macedonia, the former Yugoslav Republic of",
                "Italy",
                "Germany",
                "Netherlands",
            ),
            (("Heroin", (KG_COURIER, KG_BULK)),),
            ("Afghanistan", UNKNOWN, ""),
            ("Turkey", "Iran, Islamic Republic of", "Pakistan", "Bulgaria", UNKNOWN),
            ("Netherlands", "Germany", "Belgium", "Italy", "United Kingdom", SEIZING, UNKNOWN),
            ("Private road", "Commercial road", "Commercial air", "Rail"),
            ("Car Parts", "Transport Vehicle", "Freight", "Baggage"),
            ("Frontier", "Customs facilities", "Airport", "Car"),
            ("Border - inbound", "Border - transit/free trade zone", ""),
        ),
        Flow(
            "eastern_europe_domestic",
            4,
            ("Russian Federation", "Ukraine", "Moldova, Republic of"),
            (
                ("Heroin", (KG_STREET, G_STREET)),
                ("N-Methylephedrone", (KG_STREET, G_STREET)),
                ("JWH-018", (G_STREET, KG_STREET)),
                ("Desomorphine", (KG_STREET, MILLILITRES)),
                ("Amphetamine", (G_STREET,)),
                ("Mephedrone", (G_STREET,)),
                ("Methadone", (G_STREET, MILLILITRES)),
            ),
            ("", UNKNOWN, SEIZING),
            ("", UNKNOWN, SEIZING),
            (SEIZING, "", UNKNOWN),
            ("", "Private road", "Rail", "Other"),
            ("", "Outerwear", "Residence", "Car Parts", "Plastic bags"),
            ("Street", "Flat/Apartment", "Car", "Building"),
            (DOMESTIC, ""),
            sparse=0.8,
        ),
        Flow(
            "synthetics_outbound",
            2,
            ("Netherlands", "Belgium", "Germany", "Czech Republic"),
            (
                ("Ecstasy", (TABLETS, UNITS, PIECES)),
                ("Amphetamine", (KG_COURIER, G_COURIER)),
                ("GHB", (LITRES, MILLILITRES)),
                ("LSD", (PIECES, UNITS)),
                ("Ketamine", (G_COURIER,)),
            ),
            (SEIZING, "Netherlands", "Belgium", UNKNOWN, ""),
            (SEIZING,),
            (
                "United Kingdom",
                "Australia",
                "New Zealand",
                "United States",
                "Russian Federation",
                "Sweden",
                UNKNOWN,
            ),
            ("Mail", "Commercial air", "Commercial road", "Private road"),
            ("Postal", "Gifts", "Electrical Parts", "Freight", "Car Parts"),
            ("Post Office", "Airport", "Frontier", "Warehouse"),
            ("Border - outbound", ""),
        ),
    ),
    "Oceania": (
        Flow(
            "postal_imports",
            4,
            ("New Zealand", "Australia"),
            (
                ("Methamphetamine", (G_COURIER, KG_COURIER)),
                ("Ecstasy", (UNITS, TABLETS)),
                ("GHB/GBL", (LITRES, MILLILITRES)),
                ("Pseudoephedrine", (G_COURIER, TABLETS)),
                ("LSD", (UNITS, PIECES)),
                ("Cocaine", (G_COURIER,)),
                ("Methylone", (G_COURIER,)),
            ),
            ("", UNKNOWN, "China"),
            (
                "China",
                "Hong Kong",
                "United States",
                "Canada",
                "Netherlands",
                "United Kingdom",
                "Thailand",
                "Malaysia",
                "Germany",
            ),
            ("", SEIZING),
            ("Commercial air", "Mail"),
            ("Postal", "Baggage", "Gifts", "Cosmetics", "Electrical Parts"),
            ("Post Office", "Airport"),
            ("Border - inbound",),
            producing_by_drug={"Cocaine": _COCA_ORIGINS, "Ecstasy": ("", UNKNOWN, "Netherlands")},
        ),
        Flow(
            "maritime_bulk",
            1,
            ("Australia", "New Zealand"),
            (
                ("Methamphetamine", (KG_BULK,)),
                ("Cocaine", (KG_BULK,)),
                ("Pseudoephedrine", (KG_BULK,)),
            ),
            (UNKNOWN, "", "Myanmar", "Mexico"),
            ("Thailand", "Malaysia", "Mexico", "United States", "China", "South Africa", "Canada"),
            (SEIZING,),
            ("Commercial sea", "Private sea"),
            ("Container", "Freight", "Furniture", "Appliances"),
            ("Seaport", "Port Facilities", "Warehouse"),
            ("Border - inbound", "International waters/unclaimed territory"),
            producing_by_drug={
                "Cocaine": _COCA_ORIGINS,
                "Pseudoephedrine": ("China", "India", UNKNOWN, ""),
            },
        ),
        Flow(
            "domestic",
            2,
            ("New Zealand", "Australia"),
            (
                ("Methamphetamine", (G_STREET,)),
                ("Pseudoephedrine", (G_STREET,)),
                ("Benzodiazepine", (UNITS,)),
            ),
            (SEIZING, "", UNKNOWN),
            ("", SEIZING),
            ("", SEIZING),
            ("Unknown", "Private road", ""),
            ("Residence", "Car Parts", ""),
            ("Home/Residence", "Car", "Street"),
            (DOMESTIC,),
            sparse=0.6,
        ),
    ),
}

#: Case-level rows per region and year (before duplicates are added).
INDIVIDUAL_ROWS_PER_YEAR: dict[str, int] = {
    "Africa": 45,
    "Americas": 170,
    "Asia": 100,
    "Europe": 150,
    "Oceania": 55,
}

EXACT_DUPLICATE_SHARE = 0.04  # row repeated verbatim right after itself
UNIT_DUPLICATE_SHARE = 0.01  # same seizure reported again in another unit (kg <-> g)
FIELD_UNKNOWN_SHARE = 0.08  # a route country replaced by 'Unknown'
FIELD_EMPTY_SHARE = 0.12  # a route field left empty
MESSY_CASE_SHARE = 0.15  # administrative division in upper case
TRAILING_SPACE_SHARE = 0.10  # place name with a trailing space

# --------------------------------------------------------------------------------------------------
# Output determinism
# --------------------------------------------------------------------------------------------------

XLSX_TIMESTAMP = dt.datetime(2026, 11, 28, 0, 0, 0)
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def _rng(seed: int, *parts: object) -> random.Random:
    """A Random seeded from the seed and a purpose label (str seeds are hash-stable)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


# --------------------------------------------------------------------------------------------------
# Annual rows
# --------------------------------------------------------------------------------------------------


def _round_kg(value: float, rng: random.Random) -> int | float:
    """Round like real submissions: whole kilograms for large amounts, else a few decimals."""
    if value >= 100 and rng.random() < 0.6:
        return int(round(value))
    if value >= 1:
        return round(value, 3)
    return float(f"{value:.3g}")


def _annual_record(
    region: str, country: Country, key: str, year: int, kilograms: object
) -> dict[str, object]:
    drug = TAXONOMY[key]
    return {
        "Region": region,
        "SubRegion": country.subregion,
        "Country/Territory": country.name,
        "msCode": country.iso3,
        "Drug group": drug.group,
        "DrugSubGroup": drug.subgroup,
        "Drug": drug.name,
        "Year": year,
        "Kilograms": kilograms,
    }


def _annual_quantity(
    country: Country, key: str, base: float, year: int, seed: int
) -> int | float | None:
    """Seized kg of one drug in one year, 0 if none seized, None if not reported."""
    rng = _rng(seed, "annual", country.iso3, key, year)
    if rng.random() < NOT_REPORTED_SHARE:
        return None
    zero_share = ZERO_SHARE_SMALL if base < 5 else ZERO_SHARE
    if rng.random() < zero_share:
        return 0
    slope = DRUG_TRENDS.get(key, 0.0) + _rng(seed, "trend", country.iso3, key).gauss(0, TREND_NOISE)
    level = base * math.exp(slope * (year - REFERENCE_YEAR) + rng.gauss(0, YEAR_NOISE))
    return _round_kg(level * YEAR_SHOCKS.get(year, 1.0), rng)


def _split(kilograms: int | float, rng: random.Random) -> tuple[float, float]:
    """Split a quantity over two rows (as when reported in two original units)."""
    first = round(kilograms * rng.uniform(0.2, 0.8), 3)
    return first, round(kilograms - first, 3)


def _country_year_rows(
    region: str, country: Country, year: int, seed: int
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    split_tail: list[dict[str, object]] = []
    reported: dict[str, int | float] = {}
    for key, base in country.drugs.items():
        kilograms = _annual_quantity(country, key, base, year, seed)
        if kilograms is None:
            continue
        reported[key] = kilograms
        rng = _rng(seed, "split", country.iso3, key, year)
        if kilograms and rng.random() < DUPLICATE_KEY_SHARE:
            first, second = _split(kilograms, rng)
            rows.append(_annual_record(region, country, key, year, first))
            split_tail.append(_annual_record(region, country, key, year, second))
        else:
            rows.append(_annual_record(region, country, key, year, kilograms))
    for total_key in country.totals:
        components = [reported[k] for k in TOTALS[total_key] if k in reported]
        if not components:
            continue
        rng = _rng(seed, "total", country.iso3, total_key, year)
        total = sum(components) * (1 + rng.uniform(0, UNSPECIFIED_SHARE_MAX))
        rows.append(_annual_record(region, country, total_key, year, _round_kg(total, rng)))
    return rows + split_tail


def _insert_bad_rows(rows: list[dict[str, object]], file: str) -> None:
    """Insert the BAD_ROWS of ``file``: each is a corrupted copy of the row it displaces."""
    for bad in sorted((b for b in BAD_ROWS if b.file == file), key=lambda b: b.row):
        if bad.row > len(rows) + 1:
            raise ValueError(
                f"{file} has only {len(rows)} rows, too few for the bad row at data row "
                f"{bad.row}: use a longer range of years"
            )
        template = rows[min(bad.row - 1, len(rows) - 1)]
        corrupted = dict(template)
        BAD_ROW_RULES[bad.rule][1](corrupted)
        rows.insert(bad.row - 1, corrupted)


def generate_annual_rows(
    region: str,
    years: Iterable[int] = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    *,
    include_bad_rows: bool = True,
) -> list[dict[str, object]]:
    """Annual (dataUNODC layout) records of one region, in file order.

    Countries in table order, years descending. With ``include_bad_rows=False`` the result is the
    clean data a pipeline should keep after quarantining :data:`BAD_ROWS`.
    """
    if region not in ANNUAL_COUNTRIES:
        raise ValueError(f"unknown region {region!r}; expected one of {REGIONS}")
    rows: list[dict[str, object]] = []
    for country in ANNUAL_COUNTRIES[region]:
        for year in sorted(years, reverse=True):
            rows.extend(_country_year_rows(region, country, year, seed))
    if include_bad_rows:
        _insert_bad_rows(rows, ANNUAL_FILES[region].location)
    return rows


# --------------------------------------------------------------------------------------------------
# Case-level rows
# --------------------------------------------------------------------------------------------------


def _route_value(options: Sequence[str], seizing: str, rng: random.Random, *, country: bool) -> str:
    roll = rng.random()
    if roll < FIELD_EMPTY_SHARE:
        return ""
    if country and roll < FIELD_EMPTY_SHARE + FIELD_UNKNOWN_SHARE:
        return UNKNOWN
    value = rng.choice(options)
    return seizing if value == SEIZING else value


def _random_date(years: Sequence[int], rng: random.Random) -> str:
    year = rng.choice(years)
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return (start + dt.timedelta(days=rng.randrange(days))).isoformat()


def _case_row(
    region: str, flow: Flow, years: Sequence[int], rng: random.Random
) -> dict[str, object]:
    countries = {c.name: c for c in CASE_COUNTRIES[region]}
    country = countries[rng.choice(flow.seizing)]
    admin, place = rng.choice(country.places)
    if rng.random() < MESSY_CASE_SHARE:
        admin = admin.upper()
    if place and rng.random() < TRAILING_SPACE_SHARE:
        place += " "
    drug, amounts = rng.choice(flow.drugs)
    amount = rng.choice(amounts)
    row: dict[str, object] = {
        "REGION": region,
        "SUBREGION": country.subregion,
        "COUNTRY": country.name,
        "ADMINISTRATIVE_DIVISION": admin,
        "PLACE": place,
        "SEIZURE_DATE": _random_date(years, rng),
        "DRUG_NAME": drug,
        "AMOUNT": amount.draw(rng),
        "DRUG_UNIT": amount.unit,
    }
    if rng.random() < flow.sparse:
        # Most real rows only carry the core fields, sometimes a destination or routing.
        row.update(dict.fromkeys(INDIVIDUAL_FIELDS[9:], ""))
        if rng.random() < 0.15:
            row["DESTINATION_COUNTRY"] = country.name
        if rng.random() < 0.2:
            row["ROUTING"] = rng.choice(flow.routing)
        return row
    name = country.name
    row.update(
        HIDING_PLACE=_route_value(flow.hiding, name, rng, country=False),
        INSTALLATION=_route_value(flow.installation, name, rng, country=False),
        TRANSPORT=_route_value(flow.transport, name, rng, country=False),
        PRODUCING_COUNTRY=_route_value(flow.producing_for(drug), name, rng, country=True),
        DEPARTURE_COUNTRY=_route_value(flow.departure, name, rng, country=True),
        DESTINATION_COUNTRY=_route_value(flow.destination, name, rng, country=True),
        ROUTING=_route_value(flow.routing, name, rng, country=False),
    )
    return row


def _in_other_unit(row: dict[str, object]) -> dict[str, object] | None:
    """The same seizure expressed in the other weight unit (kg <-> g), if it is a weight."""
    amount = float(row["AMOUNT"])  # type: ignore[arg-type]
    if row["DRUG_UNIT"] == "Kilogram":
        return {**row, "AMOUNT": round(amount * 1000, 2), "DRUG_UNIT": "Gram"}
    if row["DRUG_UNIT"] == "Gram" and amount >= 10:
        return {**row, "AMOUNT": round(amount / 1000, 3), "DRUG_UNIT": "Kilogram"}
    return None


def generate_individual_rows(
    region: str, years: Iterable[int] = DEFAULT_YEARS, seed: int = DEFAULT_SEED
) -> list[dict[str, object]]:
    """Case-level records of one region, in file order (by seizing country, then date).

    AMOUNT is a float; empty fields are "" (the JSON writer turns them into null).
    """
    if region not in FLOWS:
        raise ValueError(f"unknown region {region!r}; expected one of {REGIONS}")
    year_list = sorted(years)
    rng = _rng(seed, "individual", region)
    flows = FLOWS[region]
    weights = [f.weight for f in flows]
    count = INDIVIDUAL_ROWS_PER_YEAR[region] * len(year_list)
    rows = [_case_row(region, rng.choices(flows, weights)[0], year_list, rng) for _ in range(count)]
    order = {c.name: i for i, c in enumerate(CASE_COUNTRIES[region])}
    rows.sort(key=lambda r: (order[str(r["COUNTRY"])], str(r["SEIZURE_DATE"])))
    result: list[dict[str, object]] = []
    for row in rows:
        result.append(row)
        roll = rng.random()
        if roll < EXACT_DUPLICATE_SHARE:
            result.append(dict(row))
        elif roll < EXACT_DUPLICATE_SHARE + UNIT_DUPLICATE_SHARE:
            other = _in_other_unit(row)
            if other is not None:
                result.append(other)
    return result


# --------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------


def _write_json(path: Path, rows: list[dict[str, object]], *, empty_as_null: bool) -> None:
    if empty_as_null:
        rows = [{k: (None if v == "" else v) for k, v in row.items()} for row in rows]
    text = json.dumps(rows, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def _write_csv(
    path: Path, rows: list[dict[str, object]], fields: Sequence[str], delimiter: str
) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, delimiter=delimiter, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _normalise_zip(raw: bytes) -> bytes:
    """Rewrite a ZIP archive with fixed entry timestamps and permissions."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _write_xlsx(
    path: Path, rows: list[dict[str, object]], fields: Sequence[str], sheet: str
) -> None:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(fields))
    for row in rows:
        worksheet.append([row[f] for f in fields])
    props = workbook.properties
    props.creator = "drugtrends.demo (synthetic data)"
    props.title = "Synthetic annual drug seizures"
    props.created = XLSX_TIMESTAMP
    props.modified = XLSX_TIMESTAMP
    buffer = io.BytesIO()
    # ExcelWriter instead of Workbook.save(): save() stamps the current time as 'modified'.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _write(
    path: Path,
    spec: FileFormat,
    rows: list[dict[str, object]],
    fields: Sequence[str],
    *,
    empty_as_null: bool = False,
) -> None:
    if spec.format == "json":
        _write_json(path, rows, empty_as_null=empty_as_null)
    elif spec.format == "csv":
        _write_csv(path, rows, fields, spec.delimiter or ",")
    elif spec.format == "xlsx":
        _write_xlsx(path, rows, fields, spec.sheet or XLSX_SHEET)
    else:  # pragma: no cover - guarded by the constant tables
        raise ValueError(f"unsupported format {spec.format!r}")


# --------------------------------------------------------------------------------------------------
# Manifest and README
# --------------------------------------------------------------------------------------------------


def source_entries() -> list[dict[str, str]]:
    """The entries of sources.yaml, in file order."""
    entries: list[dict[str, str]] = []
    for dataset, files in (
        ("annual_seizures", ANNUAL_FILES),
        ("individual_seizures", INDIVIDUAL_FILES),
    ):
        for region in REGIONS:
            spec = files[region]
            entry = {
                "dataset": dataset,
                "region": region,
                "location": spec.location,
                "format": spec.format,
            }
            if spec.delimiter is not None:
                entry["delimiter"] = spec.delimiter
            if spec.sheet is not None:
                entry["sheet"] = spec.sheet
            entries.append(entry)
    return entries


def _sources_yaml(seed: int, years: Sequence[int]) -> str:
    lines = [
        "# Synthetic demo submissions written by drugtrends.demo "
        f"(seed {seed}, years {years[0]}-{years[-1]}). Not real data.",
        "# Locations are relative to this file.",
        "sources:",
    ]
    for entry in source_entries():
        first = True
        for key, value in entry.items():
            rendered = json.dumps(value) if key == "delimiter" else value
            lines.append(f"  {'- ' if first else '  '}{key}: {rendered}")
            first = False
    return "\n".join(lines) + "\n"


def _readme(seed: int, years: Sequence[int], counts: dict[str, int]) -> str:
    file_lines = []
    for region in REGIONS:
        for dataset, spec in (
            ("annual", ANNUAL_FILES[region]),
            ("individual", INDIVIDUAL_FILES[region]),
        ):
            detail = spec.format.upper()
            if spec.delimiter:
                detail += f", delimiter `{spec.delimiter}`"
            if spec.sheet:
                detail += f", sheet `{spec.sheet}`"
            rows = counts[spec.location]
            file_lines.append(f"| `{spec.location}` | {dataset} | {region} | {detail} | {rows:,} |")
    per_file: dict[str, int] = {}
    for bad in BAD_ROWS:
        per_file[bad.file] = per_file.get(bad.file, 0) + 1
    bad_lines = [f"| `{b.file}` | {b.row} | `{b.rule}` | {b.reason} |" for b in BAD_ROWS]
    count_lines = [f"- `{file}`: {n} bad rows" for file, n in per_file.items()]
    annual_total = sum(counts[ANNUAL_FILES[r].location] for r in REGIONS)
    share = len(BAD_ROWS) / annual_total
    return f"""# Synthetic demo submissions

**All data in this folder is synthetic.** It was generated by `drugtrends.demo` (seed {seed},
years {years[0]}–{years[-1]}) to imitate the *layout* of UNODC's public datasets (dataUNODC annual
seizures; individual drug seizures). Countries, ISO codes, regions and drug names are real; every
quantity, date, place and route is invented. Do not cite these figures.

Regenerate with `python -m drugtrends.demo <dest> --seed {seed} --years {years[0]}-{years[-1]}`;
the output is byte-for-byte identical for the same seed and years. `{SOURCES_FILE}` lists every
submission (paths relative to it).

## Files

| file | dataset | region | format | data rows |
|---|---|---|---|---|
{chr(10).join(file_lines)}

## Deliberately bad rows (annual files)

{len(BAD_ROWS)} of {annual_total:,} annual data rows ({share:.1%}) break the data contract on
purpose and must be quarantined, not loaded. Each is a corrupted copy of the row that follows it.
Row numbers are 1-based data rows: the header is not counted (CSV line number − 1, JSON array
index + 1, XLSX sheet row − 1).

{chr(10).join(count_lines)}

| file | data row | rule | why it is bad |
|---|---|---|---|
{chr(10).join(bad_lines)}

## Traits a correct pipeline must handle (not errors)

Annual files:
- the same country, drug and year on two rows (reported in two original units): they add up;
- "Total …" rows: some countries report a total alongside its components (e.g. the
  "Cocaine (total of the above, …)" row, `Reported total ATS (excluding "ecstasy")`,
  `Reported total "ecstasy"-type substances`, `Reported total sedatives and tranquillizers`, and an
  ecstasy total filed under the component subgroup), others report the total *instead of* the
  components — summing totals and components double counts;
- coca leaf and coca bush are in the cocaine group but are not cocaine;
- many rows are 0 kg (none seized), which differs from a missing row (not reported);
- Kilograms mixes integers and decimals.

Case-level files:
- about {EXACT_DUPLICATE_SHARE:.0%} of rows are exact duplicates of the row before them, and about
  {UNIT_DUPLICATE_SHARE:.0%} repeat a seizure in the other weight unit (Kilogram ↔ Gram);
- route fields are often empty or 'Unknown'; old UN short names are used
  (e.g. "Bolivia, Plurinational State of", "Iran, Islamic Republic of", "Czech Republic");
- subregion spellings differ from the annual data (e.g. "West & Central Europe");
- administrative divisions appear in inconsistent case, some places have a trailing space,
  some are in Cyrillic;
- units: Kilogram, Gram, Tablet, Unit, Piece, Litre, Millilitre; no cannabis rows (as in the
  published copy);
- `individual_europe.json` stores AMOUNT as a number and empty fields as null.
"""


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def generate(dest: Path, years: range = DEFAULT_YEARS, seed: int = DEFAULT_SEED) -> Path:
    """Write the synthetic submissions, sources.yaml and README.md under ``dest``.

    Returns the path of the written ``sources.yaml``.
    """
    year_list = sorted(years)
    if not year_list:
        raise ValueError("years must not be empty")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for region in REGIONS:
        spec = ANNUAL_FILES[region]
        rows = generate_annual_rows(region, year_list, seed)
        _write(dest / spec.location, spec, rows, ANNUAL_FIELDS)
        counts[spec.location] = len(rows)

        spec = INDIVIDUAL_FILES[region]
        rows = generate_individual_rows(region, year_list, seed)
        _write(dest / spec.location, spec, rows, INDIVIDUAL_FIELDS, empty_as_null=True)
        counts[spec.location] = len(rows)
    sources = dest / SOURCES_FILE
    sources.write_text(_sources_yaml(seed, year_list), encoding="utf-8")
    (dest / "README.md").write_text(_readme(seed, year_list, counts), encoding="utf-8")
    return sources


def _parse_years(text: str) -> range:
    first, _, last = text.partition("-")
    start = int(first)
    return range(start, int(last or first) + 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m drugtrends.demo",
        description="Write synthetic demo submissions (annual and case-level drug seizures).",
    )
    parser.add_argument("dest", type=Path, help="output folder (created if missing)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--years",
        type=_parse_years,
        default=DEFAULT_YEARS,
        help="inclusive range, e.g. 2017-2022 (default)",
    )
    args = parser.parse_args(argv)
    print(generate(args.dest, args.years, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
