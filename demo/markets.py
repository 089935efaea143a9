"""Synthetic drug prices and population aged 15-64, in the dataUNODC layouts the readers accept.

Prices (``data/prices.csv``): one record per country / drug / level of sale / year with the
typical, minimum and maximum price in US dollars per the stated unit (``g``, ``kg``, ``10 g``,
``pound``, ``tablet``), following each row's yearly trend from the reference year with
year-to-year noise; some years are not reported. Population (``data/population.csv``): one
record per reporting country of the annual data and year, in thousands, numbers written as text
as in the dataUNODC file. Every figure is invented: the base prices and populations are round
magnitudes, not UNODC or UN figures.
"""

from __future__ import annotations

import math

from demo.annual import ANNUAL_COUNTRIES
from demo.layout import DEFAULT_SEED, DEFAULT_YEARS, PARAMETERS, REFERENCE_YEAR, rng_for
from demo.tables import number, read_csv

#: The dataUNODC price layout.
PRICE_FIELDS: tuple[str, ...] = (
    "Region",
    "SubRegion",
    "Country/Territory",
    "Drug group",
    "Drug",
    "LevelOfSale",
    "Year",
    "Typical_USD",
    "Minimum_USD",
    "Maximum_USD",
    "Unit",
)

#: The dataUNODC population layout (people aged 15-64, thousands).
POPULATION_FIELDS: tuple[str, ...] = ("Country/Territory", "ISO3", "Year", "All", "Male", "Female")

PRICES = tuple(read_csv("prices.csv"))
POPULATION = {r["iso3"]: number(r["thousands_15_64"]) for r in read_csv("population.csv")}

_PRICES = PARAMETERS["prices"]
_POPULATION = PARAMETERS["population"]


def _subregions() -> dict[str, str]:
    return {c.name: c.subregion for countries in ANNUAL_COUNTRIES.values() for c in countries}


def generate_price_rows(
    years: list[int] | range = DEFAULT_YEARS, seed: int = DEFAULT_SEED
) -> list[dict[str, object]]:
    """Price records, country by country in the order of prices.csv, year by year."""
    subregions = _subregions()
    rows: list[dict[str, object]] = []
    for spec in PRICES:
        key = (spec["country"], spec["drug"], spec["level_of_sale"], spec["unit"])
        rng = rng_for(seed, "prices", *key)
        base = number(spec["typical_usd"])
        trend = float(spec["yearly_trend"])
        for year in sorted(years):
            noise = rng.gauss(0.0, _PRICES["year_noise"])
            spread_low = rng.uniform(0.1, _PRICES["spread"])
            spread_high = rng.uniform(0.1, _PRICES["spread"])
            if rng.random() < _PRICES["not_reported_share"]:
                continue
            typical = base * math.exp(trend * (year - REFERENCE_YEAR) + noise)
            rows.append(
                {
                    "Region": spec["region"],
                    "SubRegion": subregions[spec["country"]],
                    "Country/Territory": spec["country"],
                    "Drug group": spec["drug_group"],
                    "Drug": spec["drug"],
                    "LevelOfSale": spec["level_of_sale"],
                    "Year": year,
                    "Typical_USD": round(typical, 2),
                    "Minimum_USD": round(typical * (1 - spread_low), 2),
                    "Maximum_USD": round(typical * (1 + spread_high), 2),
                    "Unit": spec["unit"],
                }
            )
    return rows


def generate_population_rows(
    years: list[int] | range = DEFAULT_YEARS, seed: int = DEFAULT_SEED
) -> list[dict[str, object]]:
    """Population records for every reporting country of the annual data, year by year."""
    rows: list[dict[str, object]] = []
    for countries in ANNUAL_COUNTRIES.values():
        for country in countries:
            rng = rng_for(seed, "population", country.iso3)
            growth = rng.gauss(_POPULATION["yearly_growth"], _POPULATION["growth_noise"])
            male = _POPULATION["male_share"] + rng.uniform(-0.02, 0.02)
            base = POPULATION[country.iso3]
            for year in sorted(years):
                total = base * math.exp(growth * (year - REFERENCE_YEAR))
                men = total * male
                rows.append(
                    {
                        "Country/Territory": country.name,
                        "ISO3": country.iso3,
                        "Year": str(year),
                        "All": f"{total:.3f}",
                        "Male": f"{men:.3f}",
                        "Female": f"{total - men:.3f}",
                    }
                )
    return rows
