"""Annual seizures in the dataUNODC layout: one record per country / drug / year, in kg.

Quantities follow each drug's yearly trend from the base quantities of the reference year, with
country-level and year-to-year noise; some keys are split over two rows, some totals reported
alongside their components, and the bad rows of ``bad_rows.yaml`` inserted at fixed positions.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from demo.layout import (
    ANNUAL_FILES,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    PARAMETERS,
    REFERENCE_YEAR,
    REGIONS,
    rng_for,
)
from demo.tables import (
    Country,
    load_annual_countries,
    load_bad_rows,
    load_taxonomy,
    load_totals,
    load_year_shocks,
)

TAXONOMY, DRUG_TRENDS = load_taxonomy()
TOTALS = load_totals()
YEAR_SHOCKS = load_year_shocks()
ANNUAL_COUNTRIES = load_annual_countries()
BAD_ROW_RULES, BAD_ROWS = load_bad_rows()

_P = PARAMETERS["annual"]


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
    rng = rng_for(seed, "annual", country.iso3, key, year)
    if rng.random() < _P["not_reported_share"]:
        return None
    zero_share = _P["zero_share_small"] if base < _P["small_base_kg"] else _P["zero_share"]
    if rng.random() < zero_share:
        return 0
    slope = DRUG_TRENDS[key] + rng_for(seed, "trend", country.iso3, key).gauss(0, _P["trend_noise"])
    level = base * math.exp(slope * (year - REFERENCE_YEAR) + rng.gauss(0, _P["year_noise"]))
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
        rng = rng_for(seed, "split", country.iso3, key, year)
        if kilograms and rng.random() < _P["duplicate_key_share"]:
            first, second = _split(kilograms, rng)
            rows.append(_annual_record(region, country, key, year, first))
            split_tail.append(_annual_record(region, country, key, year, second))
        else:
            rows.append(_annual_record(region, country, key, year, kilograms))
    for total_key in country.totals:
        components = [reported[k] for k in TOTALS[total_key] if k in reported]
        if not components:
            continue
        rng = rng_for(seed, "total", country.iso3, total_key, year)
        total = sum(components) * (1 + rng.uniform(0, _P["unspecified_share_max"]))
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
