"""marts.seizure_cases (series and outlier flags) and the route marts built on it: given rows,
then the real 2011-2013 case-level file (expected figures computed in plain Python from it)."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from drugtrends.marts.build import build_mart

COCA = "Cocaine and Derivatives"


def case(
    row: int,
    amount: float,
    unit: str,
    departure: str,
    destination: str,
    *,
    seizing: str = "ESP",
    drug: str = "Cocaine",
    subgroup: str = "Cocaine",
    series_id: str = "cocaine",
    kg_per_unit: float = 0.001,
) -> dict[str, object]:
    return {
        "source_file": "given.csv",
        "source_row": row,
        "file_id": "abababababababab",
        "contract_version": "1.1.0",
        "region": "Europe",
        "country_iso3": seizing,
        "year": 2013,
        "seizure_date": date(2013, 6, 1),
        "drug": drug,
        "drug_group": COCA,
        "drug_subgroup": subgroup,
        "series_id": series_id,
        "quantity": amount,
        "unit": unit,
        "kg_equivalent": amount * kg_per_unit,
        "transport": "Commercial air",
        "routing": None,
        "producing_iso3": None,
        "departure_iso3": departure,
        "destination_iso3": destination,
        "is_duplicate": False,
    }


def build(rows: list[dict[str, object]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core; CREATE SCHEMA marts")
    frame = pl.DataFrame(rows, schema_overrides={"producing_iso3": pl.String, "routing": pl.String})
    con.register("given", frame.to_arrow())
    con.execute("CREATE TABLE core.individual_seizures AS SELECT * FROM given")
    for mart in ("seizure_cases", "route_flows", "route_legs", "route_corridors"):
        build_mart(con, mart)
    return con


def ordinary_rows() -> list[dict[str, object]]:
    # 40 gram seizures of cocaine Colombia -> Spain, 100 g to 2,050 g.
    return [case(i, 100.0 + 50 * i, "g", "COL", "ESP") for i in range(40)]


def test_a_1000x_row_is_flagged_kept_and_its_corridor_marked():
    largest = max(r["quantity"] for r in ordinary_rows())
    rows = [*ordinary_rows(), case(99, 1000 * largest, "g", "GHA", "ESP", seizing="GHA")]
    con = build(rows)
    flagged = con.execute(
        "SELECT source_row, outlier_reason FROM marts.seizure_cases WHERE outlier_flag"
    ).fetchall()
    assert [r[0] for r in flagged] == [99]
    assert flagged[0][1].startswith("large outlier")
    assert con.execute("SELECT count(*) FROM marts.seizure_cases").fetchone()[0] == len(rows)
    corridors = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "SELECT departure_iso3, destination_iso3, has_outlier, outlier_seizures, "
            "kg_equivalent, kg_equivalent_excl_outliers FROM marts.route_corridors"
        ).fetchall()
    }
    assert corridors[("GHA", "ESP")] == (True, 1, pytest.approx(1000 * largest / 1000), 0.0)
    ordinary_kg = sum(r["quantity"] for r in ordinary_rows()) / 1000
    assert corridors[("COL", "ESP")] == (
        False,
        0,
        pytest.approx(ordinary_kg),
        pytest.approx(ordinary_kg),
    )
    flows_kg, flows_without = con.execute(
        "SELECT sum(kg_equivalent), sum(kg_equivalent_excl_outliers) FROM marts.route_flows"
    ).fetchone()
    assert flows_kg == pytest.approx(ordinary_kg + largest)
    assert flows_without == pytest.approx(ordinary_kg)


def test_too_few_rows_are_not_judged_and_say_so():
    con = build([case(i, 10.0 * (i + 1), "kg", "COL", "ESP", kg_per_unit=1) for i in range(5)])
    reasons = {
        r[0] for r in con.execute("SELECT outlier_reason FROM marts.seizure_cases").fetchall()
    }
    assert reasons == {"not judged: fewer than 20 seizures of cocaine in kg"}
    assert (
        con.execute("SELECT bool_or(outlier_flag) FROM marts.seizure_cases").fetchone()[0] is False
    )


def test_coca_leaf_is_never_cocaine_in_the_route_marts():
    rows = [
        *ordinary_rows(),
        case(
            98,
            5000.0,
            "kg",
            "BOL",
            "ARG",
            drug="Coca leaf",
            subgroup="Coca-type",
            series_id="coca_plant_material",
            kg_per_unit=1,
        ),
    ]
    con = build(rows)
    by_series = dict(
        con.execute(
            "SELECT series_id, sum(kg_equivalent) FROM marts.route_flows GROUP BY 1"
        ).fetchall()
    )
    assert by_series["cocaine"] == pytest.approx(sum(r["quantity"] for r in ordinary_rows()) / 1000)
    assert by_series["coca_plant_material"] == 5000.0
    corridors = con.execute(
        "SELECT series_id FROM marts.route_corridors WHERE departure_iso3 = 'BOL'"
    ).fetchall()
    assert corridors == [("coca_plant_material",)]


def test_domestic_movements_are_marked_and_are_not_corridors():
    rows = [*ordinary_rows(), case(97, 500.0, "g", "ESP", "ESP")]
    con = build(rows)
    assert con.execute("SELECT seizures FROM marts.route_flows WHERE is_domestic").fetchall() == [
        (1,)
    ]
    assert con.execute(
        "SELECT count(*) FROM marts.route_corridors WHERE departure_iso3 = destination_iso3"
    ).fetchone() == (0,)


def test_main_transport_by_seizures_and_by_kilograms():
    rows = [case(i, 100.0, "g", "COL", "ESP") for i in range(3)]
    big = case(9, 900_000.0, "g", "COL", "ESP")
    big["transport"] = "Commercial sea"
    con = build([*rows, big])
    assert con.execute(
        "SELECT main_transport, main_transport_kg FROM marts.route_corridors"
    ).fetchone() == ("Commercial air", "Commercial sea")
