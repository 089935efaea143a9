"""What the submissions look like: regions, field names, file formats, defaults."""

from __future__ import annotations

import random

from demo.tables import load_parameters, load_submissions

SOURCES_FILE = "sources.yaml"
XLSX_SHEET = "Seizures"

#: The dataUNODC annual layout.
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

#: The case-level (individual seizures) semicolon layout.
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

ANNUAL_FILES, INDIVIDUAL_FILES, MARKET_FILES = load_submissions()
#: The one-file datasets (region ``all``): synthetic drug prices and population aged 15-64.
MARKET_DATASETS: tuple[str, ...] = tuple(MARKET_FILES)
REGIONS: tuple[str, ...] = tuple(ANNUAL_FILES)

PARAMETERS = load_parameters()
DEFAULT_SEED: int = PARAMETERS["default_seed"]
DEFAULT_YEARS = range(PARAMETERS["default_years"]["first"], PARAMETERS["default_years"]["last"] + 1)
REFERENCE_YEAR: int = PARAMETERS["reference_year"]


def rng_for(seed: int, *parts: object) -> random.Random:
    """A Random seeded from the seed and a purpose label (str seeds are hash-stable)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))
