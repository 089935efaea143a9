"""Deterministic generator of synthetic demo submissions.

Nothing here is real data. The generator imitates the *shape* of two public UNODC datasets so that
``make demo`` and the tests can exercise the whole pipeline without committing real figures:

* annual seizures in the dataUNODC layout (one record per country / drug / year, quantity in kg),
  one submission per UNODC region, in mixed formats (JSON, CSV with ',' or ';', XLSX);
* case-level ("individual") seizures in the UNODC semicolon layout, one submission per region
  (Europe as JSON records, to cover a second format);
* drug prices and the population aged 15-64 in the dataUNODC layouts, one JSON file each (rows
  carry their country), so that the demo shows prices beside seizures and per-capita rates.

The annual files carry the traits a correct pipeline must handle (duplicated keys that add up,
"Total ..." rows alongside or instead of their components, 'Reported total ...' subgroups, coca leaf
inside the cocaine group, many 0 kg rows) plus a small, fixed set of deliberately bad rows listed in
``data/bad_rows.yaml``, which a data contract must quarantine. The case-level files carry exact
duplicate rows, the same seizure reported in two units, 'Unknown' and empty route fields, old UN
country names and inconsistent spelling of places.

The tables (countries, taxonomy, base quantities, totals, bad rows, flows, parameters) are CSV and
YAML files in ``demo/data/`` (described in its README); the code only draws from them.

Output is byte-for-byte deterministic for a given ``seed`` and ``years``: every random draw comes
from a ``random.Random`` seeded with a string built from the seed and the draw's purpose, and the
XLSX workbook is written with fixed document-property and ZIP-entry timestamps.

Usage::

    python -m demo DEST [--seed N] [--years 2017-2022]
    drugtrends demo-data [--dest DEST]
"""

from demo.annual import (
    ANNUAL_COUNTRIES,
    BAD_ROW_RULES,
    BAD_ROWS,
    DRUG_TRENDS,
    TAXONOMY,
    TOTALS,
    YEAR_SHOCKS,
    generate_annual_rows,
)
from demo.generator import generate, main
from demo.individual import (
    AMOUNTS,
    CASE_COUNTRIES,
    FLOWS,
    INDIVIDUAL_ROWS_PER_YEAR,
    generate_individual_rows,
)
from demo.layout import (
    ANNUAL_FIELDS,
    ANNUAL_FILES,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    INDIVIDUAL_FIELDS,
    INDIVIDUAL_FILES,
    REGIONS,
    SOURCES_FILE,
    XLSX_SHEET,
)
from demo.manifest import source_entries
from demo.markets import (
    POPULATION_FIELDS,
    PRICE_FIELDS,
    generate_population_rows,
    generate_price_rows,
)
from demo.tables import Amount, BadRow, CaseCountry, Country, Drug, FileFormat, Flow
from demo.writers import XLSX_TIMESTAMP, ZIP_TIMESTAMP

__all__ = [
    "AMOUNTS",
    "ANNUAL_COUNTRIES",
    "ANNUAL_FIELDS",
    "ANNUAL_FILES",
    "BAD_ROWS",
    "BAD_ROW_RULES",
    "CASE_COUNTRIES",
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "DRUG_TRENDS",
    "FLOWS",
    "INDIVIDUAL_FIELDS",
    "INDIVIDUAL_FILES",
    "INDIVIDUAL_ROWS_PER_YEAR",
    "POPULATION_FIELDS",
    "PRICE_FIELDS",
    "REGIONS",
    "SOURCES_FILE",
    "TAXONOMY",
    "TOTALS",
    "XLSX_SHEET",
    "XLSX_TIMESTAMP",
    "YEAR_SHOCKS",
    "ZIP_TIMESTAMP",
    "Amount",
    "BadRow",
    "CaseCountry",
    "Country",
    "Drug",
    "FileFormat",
    "Flow",
    "generate",
    "generate_annual_rows",
    "generate_individual_rows",
    "generate_population_rows",
    "generate_price_rows",
    "main",
    "source_entries",
]
