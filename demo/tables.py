"""The generator's tables, read once from the CSV and YAML files in ``demo/data/``.

Every table keeps the order of its file: row order drives the order of the generated records
(and of the random draws), so reordering a data file changes the output.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

#: Units counted in pieces: their amounts are whole numbers.
COUNT_UNITS = ("Tablet", "Unit", "Piece", "Millilitre")


class Drug(NamedTuple):
    """A (Drug group, DrugSubGroup, Drug) triple, spelled as in dataUNODC."""

    group: str
    subgroup: str
    name: str


@dataclass(frozen=True)
class FileFormat:
    """How one submission file is serialised."""

    location: str
    format: str  # "json" | "csv" | "xlsx"
    delimiter: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class Country:
    """A reporting country of the annual data and its typical seizures in the reference year (kg).

    A total key in ``totals`` is reported *alongside* its components (its value is derived from
    them); a total key in ``drugs`` is reported *instead of* them.
    """

    name: str
    iso3: str
    subregion: str
    drugs: dict[str, float]
    totals: tuple[str, ...] = ()


class BadRow(NamedTuple):
    """A row of an annual file that a data contract must quarantine.

    ``row`` is the 1-based *data* row: the header is not counted, so it is the CSV line number
    minus 1, the JSON array index plus 1, and the XLSX sheet row minus 1.
    """

    file: str
    row: int
    rule: str
    reason: str


@dataclass(frozen=True)
class CaseCountry:
    """A seizing country of the case-level data with (ADMINISTRATIVE_DIVISION, PLACE) pairs."""

    name: str
    subregion: str
    places: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Amount:
    """A unit (spelled as in the case-level file) with a log-uniform range of amounts."""

    unit: str
    low: float
    high: float

    def draw(self, rng: random.Random) -> float:
        value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        if self.unit in COUNT_UNITS:
            return float(max(1, round(value)))
        return max(round(value, 3 if self.unit == "Kilogram" else 2), 0.01)


@dataclass(frozen=True)
class Flow:
    """A trafficking pattern: which drugs are seized where, and the typical route fields.

    ``sparse`` is the share of rows that only carry the core fields (as most real rows do).
    Option tuples may contain "" (not reported), "Unknown" and the seizing-country placeholder;
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


# --------------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------------


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_yaml(name: str) -> Any:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def number(text: str) -> int | float:
    """A number as written in a data file: ints stay ints (the draws do not depend on it)."""
    return int(text) if text.lstrip("-").isdigit() else float(text)


def load_submissions() -> tuple[
    dict[str, FileFormat], dict[str, FileFormat], dict[str, FileFormat]
]:
    """Annual and case-level files per region, and the one-file datasets (region ``all``:
    drug prices and population) per dataset (submissions.csv)."""
    files: dict[str, dict[str, FileFormat]] = {"annual_seizures": {}, "individual_seizures": {}}
    whole: dict[str, FileFormat] = {}
    for row in read_csv("submissions.csv"):
        spec = FileFormat(
            row["location"], row["format"], row["delimiter"] or None, row["sheet"] or None
        )
        if row["region"] == "all":
            whole[row["dataset"]] = spec
        else:
            files[row["dataset"]][row["region"]] = spec
    return files["annual_seizures"], files["individual_seizures"], whole


def load_taxonomy() -> tuple[dict[str, Drug], dict[str, float]]:
    """Drug keys -> dataUNODC triple, and their mean yearly log-growth (taxonomy.csv)."""
    rows = read_csv("taxonomy.csv")
    taxonomy = {r["drug_key"]: Drug(r["drug_group"], r["drug_subgroup"], r["drug"]) for r in rows}
    trends = {r["drug_key"]: float(r["yearly_trend"]) for r in rows}
    return taxonomy, trends


def load_totals() -> dict[str, tuple[str, ...]]:
    """Total rows and the component rows they include (totals.csv)."""
    totals: dict[str, list[str]] = {}
    for row in read_csv("totals.csv"):
        totals.setdefault(row["total_key"], []).append(row["component_key"])
    return {key: tuple(parts) for key, parts in totals.items()}


def load_year_shocks() -> dict[int, float]:
    return {int(r["year"]): float(r["factor"]) for r in read_csv("year_shocks.csv")}


def load_annual_countries() -> dict[str, tuple[Country, ...]]:
    """Reporting countries per region with their base quantities (annual_*.csv)."""
    base: dict[str, dict[str, float]] = {}
    for row in read_csv("annual_base_kg.csv"):
        base.setdefault(row["iso3"], {})[row["drug_key"]] = number(row["kg"])
    countries: dict[str, list[Country]] = {}
    for row in read_csv("annual_countries.csv"):
        country = Country(
            row["country"],
            row["iso3"],
            row["subregion"],
            base[row["iso3"]],
            tuple(row["totals_alongside"].split()),
        )
        countries.setdefault(row["region"], []).append(country)
    return {region: tuple(cs) for region, cs in countries.items()}


def _corruption(spec: dict[str, Any]) -> Callable[[dict[str, object]], None]:
    column = spec["field"]
    if spec.get("negative"):
        if_zero = spec["if_zero"]
        return lambda r: r.update({column: -(abs(r[column]) or if_zero)})  # type: ignore[arg-type]
    value = spec["set"]
    return lambda r: r.update({column: value})


def load_bad_rows() -> tuple[
    dict[str, tuple[str, Callable[[dict[str, object]], None]]], tuple[BadRow, ...]
]:
    """Rule -> (reason, corruption of a copy of a good row), and the bad rows (bad_rows.yaml)."""
    doc = read_yaml("bad_rows.yaml")
    rules = {
        name: (str(rule["reason"]), _corruption(rule["corrupt"]))
        for name, rule in doc["rules"].items()
    }
    rows = tuple(
        BadRow(r["file"], int(r["row"]), r["rule"], rules[r["rule"]][0]) for r in doc["rows"]
    )
    return rules, rows


def load_case_countries() -> dict[str, tuple[CaseCountry, ...]]:
    """Seizing countries of the case-level data per region, with their places (case_places.csv)."""
    places: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for row in read_csv("case_places.csv"):
        key = (row["region"], row["country"], row["subregion"])
        places.setdefault(key, []).append((row["administrative_division"], row["place"]))
    countries: dict[str, list[CaseCountry]] = {}
    for (region, name, subregion), pairs in places.items():
        countries.setdefault(region, []).append(CaseCountry(name, subregion, tuple(pairs)))
    return {region: tuple(cs) for region, cs in countries.items()}


def load_amounts() -> dict[str, Amount]:
    return {
        r["amount"]: Amount(r["unit"], number(r["low"]), number(r["high"]))
        for r in read_csv("amounts.csv")
    }


def load_flows(amounts: dict[str, Amount]) -> dict[str, tuple[Flow, ...]]:
    """Trafficking patterns per region (flows.yaml); amount names refer to amounts.csv."""
    flows: dict[str, tuple[Flow, ...]] = {}
    for region, specs in read_yaml("flows.yaml")["flows"].items():
        flows[region] = tuple(
            Flow(
                name=spec["name"],
                weight=spec["weight"],
                seizing=tuple(spec["seizing"]),
                drugs=tuple(
                    (drug, tuple(amounts[name] for name in names))
                    for drug, names in spec["drugs"].items()
                ),
                producing=tuple(spec["producing"]),
                departure=tuple(spec["departure"]),
                destination=tuple(spec["destination"]),
                transport=tuple(spec["transport"]),
                hiding=tuple(spec["hiding"]),
                installation=tuple(spec["installation"]),
                routing=tuple(spec["routing"]),
                sparse=spec["sparse"],
                producing_by_drug={
                    drug: tuple(options)
                    for drug, options in spec.get("producing_by_drug", {}).items()
                },
            )
            for spec in specs
        )
    return flows


def load_parameters() -> dict[str, Any]:
    return read_yaml("parameters.yaml")
