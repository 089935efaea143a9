"""Case-level ("individual") seizures in the semicolon layout, one submission per region.

Each row picks a trafficking pattern (``flows.yaml``) by weight, a seizing country and place
(``case_places.csv``), a drug and an amount (``amounts.csv``) and route fields; then rows are
sorted by country and date, and some repeated verbatim or in the other weight unit.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence

from demo.layout import (
    DEFAULT_SEED,
    DEFAULT_YEARS,
    INDIVIDUAL_FIELDS,
    PARAMETERS,
    REGIONS,
    rng_for,
)
from demo.tables import Flow, load_amounts, load_case_countries, load_flows

UNKNOWN = "Unknown"
SEIZING = "<seizing country>"  # placeholder in flows.yaml, replaced by the seizing country's name
DOMESTIC = "National territory/domestic seizure"

AMOUNTS = load_amounts()
CASE_COUNTRIES = load_case_countries()
FLOWS = load_flows(AMOUNTS)

_P = PARAMETERS["individual"]
INDIVIDUAL_ROWS_PER_YEAR: dict[str, int] = _P["rows_per_year"]
EXACT_DUPLICATE_SHARE: float = _P["exact_duplicate_share"]
UNIT_DUPLICATE_SHARE: float = _P["unit_duplicate_share"]


def _route_value(options: Sequence[str], seizing: str, rng: random.Random, *, country: bool) -> str:
    roll = rng.random()
    if roll < _P["field_empty_share"]:
        return ""
    if country and roll < _P["field_empty_share"] + _P["field_unknown_share"]:
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
    if rng.random() < _P["messy_case_share"]:
        admin = admin.upper()
    if place and rng.random() < _P["trailing_space_share"]:
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
    rng = rng_for(seed, "individual", region)
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
