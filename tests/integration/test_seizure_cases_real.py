"""Seizure cases on the real UNODC files (tests/conftest.py real_home): figures checked against plain-Python computations over the same files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import shared_file

# ---------------------------------------------------------------- the real 2011-2013 file

COCAINE_NAMES = {"Cocaine", "Cocaine Base", "Coca paste", "Cocaine HCL", "Crack", "Liquid cocaine"}
COCA_PLANT_NAMES = {"Coca leaf", "Coca Seeds", "Coca Plant"}
KG_PER_UNIT = {
    "Kilogram": 1.0,
    "Gram": 0.001,
    "Litre": 1.0,
    "Millilitre": 0.001,
    "Gallons (US, liquid)": 3.785411784,
}


def distinct_rows(path: Path) -> list[dict[str, str]]:
    """The file's rows, an exact repeat of an earlier row counted once (the pipeline's rule)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            key = tuple((v or "").strip() for v in row.values())
            if key not in seen:
                seen.add(key)
                out.append(row)
    return out


def plain_kg(rows: list[dict[str, str]], names: set[str]) -> tuple[int, float]:
    cases, kg = 0, 0.0
    for row in rows:
        if row["DRUG_NAME"].strip() not in names:
            continue
        cases += 1
        factor = KG_PER_UNIT.get(row["DRUG_UNIT"].strip())
        if factor is not None:
            kg += float(row["AMOUNT"]) * factor
    return cases, kg


@pytest.mark.slow
def test_real_routes_cocaine_total_excludes_coca_plant_material(real_home):
    from dashboards import route_queries
    from dashboards.queries import current

    rows = distinct_rows(shared_file("individual_seizures_2011_2013.csv"))
    cocaine_cases, cocaine_kg = plain_kg(rows, COCAINE_NAMES)
    coca_cases, coca_kg = plain_kg(rows, COCA_PLANT_NAMES)
    snap = current(real_home / "published" / "current.duckdb")
    summary = route_queries.flow_summary.__wrapped__(snap, "World", "cocaine", 2011, 2013)
    print(f"cocaine {cocaine_kg:,.0f} kg in {cocaine_cases:,} cases; coca {coca_kg:,.0f} kg")
    assert summary["seizures"] == cocaine_cases
    assert summary["kg_equivalent"] == pytest.approx(cocaine_kg, rel=1e-9)
    assert coca_kg > 1_000_000  # the coca plant material the Routes page used to add in
    coca = route_queries.flow_summary.__wrapped__(snap, "World", "coca_plant_material", 2011, 2013)
    assert coca["seizures"] == coca_cases
    assert coca["kg_equivalent"] == pytest.approx(coca_kg, rel=1e-9)


@pytest.mark.slow
def test_real_ghana_spain_row_of_14733068_grams_is_flagged(real_home):
    con = duckdb.connect(str(real_home / "published" / "current.duckdb"), read_only=True)
    try:
        row = con.execute(
            "SELECT country_iso3, departure_iso3, destination_iso3, unit, outlier_flag, "
            "outlier_reason FROM marts.seizure_cases WHERE quantity = 14733068 AND NOT is_duplicate"
        ).fetchall()
        corridor = con.execute(
            "SELECT has_outlier, kg_equivalent, kg_equivalent_excl_outliers "
            "FROM marts.route_corridors WHERE year = 2013 AND series_id = 'cocaine' "
            "AND departure_iso3 = 'GHA' AND destination_iso3 = 'ESP'"
        ).fetchone()
        kept = con.execute("SELECT count(*) FROM marts.seizure_cases").fetchone()[0]
        core = con.execute("SELECT count(*) FROM core.individual_seizures").fetchone()[0]
    finally:
        con.close()
    assert len(row) == 1
    iso3, departure, destination, unit, flagged, reason = row[0]
    assert (iso3, departure, destination, unit, flagged) == ("GHA", "GHA", "ESP", "g", True)
    print(reason)
    assert corridor[0] is True and corridor[1] - corridor[2] >= 14_733.068 - 1e-6
    assert kept == core  # nothing dropped


def plain_annual_status(records: list[dict], members: list[dict]) -> dict[tuple, str]:
    """(country, year, series) -> status for the real annual file, in plain Python: a country
    that reported anything in any year is expected in every year and series seen."""
    whole = {
        (m["drug_group"], m["drug_subgroup"]): m["series_id"] for m in members if not m["drug"]
    }
    single = {
        (m["drug_group"], m["drug_subgroup"], m["drug"].lower()): m["series_id"]
        for m in members
        if m["drug"]
    }
    kg: dict[tuple, float] = {}
    for r in records:
        series = whole.get((r["Drug group"], r["DrugSubGroup"])) or single.get(
            (r["Drug group"], r["DrugSubGroup"], r["Drug"].strip().lower())
        )
        if series is None:
            continue
        key = (r["msCode"], r["Year"], series)
        kg[key] = kg.get(key, 0.0) + float(r["Kilograms"])
    countries = {r["msCode"] for r in records}
    years = {r["Year"] for r in records}
    series_seen = {k[2] for k in kg}
    return {
        (c, y, s): (
            "not_reported"
            if (c, y, s) not in kg
            else ("reported_quantity" if kg[(c, y, s)] > 0 else "reported_zero")
        )
        for c in countries
        for y in years
        for s in series_seen
    }


@pytest.mark.slow
def test_real_coverage_statuses_agree_with_a_plain_count(real_home):
    records = json.loads(shared_file("drug_seizures_2018_2021.json").read_text(encoding="utf-8"))
    members_path = Path(__file__).resolve().parents[2] / "drugtrends/reference/series_members.csv"
    with members_path.open(encoding="utf-8") as f:
        members = list(csv.DictReader(f))
    expected = plain_annual_status(records, members)
    con = duckdb.connect(str(real_home / "published" / "current.duckdb"), read_only=True)
    try:
        got = {
            (r[0], r[1], r[2]): r[3]
            for r in con.execute(
                "SELECT country_iso3, year, series_id, status FROM marts.reporting_coverage "
                "WHERE dataset = 'annual_seizures'"
            ).fetchall()
        }
        case_statuses = con.execute(
            "SELECT status, count(*) FROM marts.reporting_coverage "
            "WHERE dataset = 'individual_seizures' GROUP BY 1"
        ).fetchall()
    finally:
        con.close()
    # A total row can be 0 where components are not (or the other way round); the plain count
    # adds rows, so compare the reported / not reported split exactly and the zero split loosely.
    assert set(got) == set(expected)
    assert {k for k, v in got.items() if v == "not_reported"} == {
        k for k, v in expected.items() if v == "not_reported"
    }
    differing = [k for k in got if got[k] != expected[k]]
    assert len(differing) <= 0.01 * len(got), differing[:10]
    print({s: sum(1 for v in got.values() if v == s) for s in set(got.values())}, case_statuses)
    assert dict(case_statuses).get("not_reported", 0) > 0
