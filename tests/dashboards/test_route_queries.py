"""Route queries on the tiny snapshot: sums over years, region of the seizing country, corridor
shares over all seizures, and filter values that are only values."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboards import queries, route_queries
from tests.dashboards.snapshot import FLOWS

# The queries take the series id of the tiny snapshot's cocaine and cannabis routes.
COCAINE, CANNABIS = "cocaine", "cannabis_herb"

INJECTION = "Europe'; DROP TABLE marts.route_flows; --"


@pytest.fixture
def snap(tiny_home: Path) -> queries.Snapshot:
    return queries.current()


def routes(frame) -> dict[tuple, int]:
    return {
        (d, s, t): n
        for d, s, t, n in frame.select(
            "departure_iso3", "seizing_iso3", "destination_iso3", "seizures"
        ).iter_rows()
    }


def flow_rows(path: str) -> int:
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM marts.route_flows").fetchone()[0]
    finally:
        con.close()


def test_years_and_series_most_seizures_first(snap: queries.Snapshot) -> None:
    assert route_queries.years(snap) == [2019, 2020, 2021]
    options = route_queries.series_options(snap)  # unmapped (null) left out
    assert options["series_id"].to_list() == [COCAINE, CANNABIS]
    assert options["series"].to_list() == ["Cocaine", "Cannabis herb"]


def test_flows_sum_the_years_largest_first(snap: queries.Snapshot) -> None:
    world = route_queries.flows(snap, "World", COCAINE, 2019, 2021)
    assert routes(world) == {
        ("COL", "ESP", "ESP"): 10,
        ("ECU", "NLD", "NLD"): 8,
        (None, "ESP", None): 6,
        ("COL", "ESP", "ITA"): 5,
        ("BRA", "PRT", "ESP"): 4,
        ("COL", "NGA", "ESP"): 3,
        ("PER", "ESP", None): 2,
    }
    assert world["seizures"].to_list() == sorted(world["seizures"].to_list(), reverse=True)
    assert world["kg_equivalent"].sum() == 601
    assert routes(route_queries.flows(snap, "World", COCAINE, 2020, 2020)) == {
        ("COL", "ESP", "ITA"): 5,
        ("ECU", "NLD", "NLD"): 8,
    }


def test_region_is_the_seizing_countrys(snap: queries.Snapshot) -> None:
    europe = route_queries.flows(snap, "Europe", COCAINE, 2019, 2021)
    assert set(europe["seizing_iso3"]) == {"ESP", "PRT", "NLD"}
    assert europe["seizures"].sum() == 35
    africa = route_queries.flows(snap, "Africa", COCAINE, 2019, 2021)
    assert routes(africa) == {("COL", "NGA", "ESP"): 3}  # destination in Europe: still Africa's
    assert route_queries.flows(snap, "Asia", COCAINE, 2019, 2021).is_empty()


def test_flows_and_corridors_without_the_flagged_outlier(snap: queries.Snapshot) -> None:
    # The 2020 Ecuador -> Netherlands flow holds one flagged seizure of 300 kg.
    without = route_queries.flows(snap, "World", COCAINE, 2020, 2020, True)
    assert routes(without)[("ECU", "NLD", "NLD")] == 7
    assert without["kg_equivalent"].sum() == 50 + 400 - 300
    top = route_queries.corridors(snap, "World", COCAINE, 2020, 2020, "kg", 10, True)
    ecuador = top.filter(top["departure_iso3"] == "ECU").row(0, named=True)
    assert (ecuador["seizures"], ecuador["kg_equivalent"], ecuador["outlier_seizures"]) == (
        7,
        100.0,  # 400 kg on the corridor, 300 of them the outlier
        1,
    )
    with_it = route_queries.corridors(snap, "World", COCAINE, 2020, 2020, "kg", 10)
    assert with_it.filter(with_it["departure_iso3"] == "ECU")["kg_equivalent"][0] == 400.0


def test_flow_summary_counts_coverage(snap: queries.Snapshot) -> None:
    assert route_queries.flow_summary(snap, "World", COCAINE, 2019, 2021) == {
        "seizures": 38,
        "duplicates": 1,
        "known_departure": 32,
        "known_destination": 30,
        "known_both": 30,
        "seizures_with_kg": 35,
        "kg_equivalent": 601.0,
        "domestic": 0,
        "outlier_seizures": 1,
        "outlier_kg": 300.0,
    }
    assert route_queries.flow_summary(snap, "Oceania", COCAINE, 2019, 2021)["seizures"] == 0


def test_corridors_over_the_years_with_shares_of_all_seizures(snap: queries.Snapshot) -> None:
    top = route_queries.corridors(snap, "World", COCAINE, 2019, 2021, "seizures", 10)
    assert top.select("departure_iso3", "destination_iso3").rows() == [
        ("COL", "ESP"),
        ("ECU", "NLD"),
        ("COL", "ITA"),
        ("BRA", "ESP"),
    ]
    first = top.row(0, named=True)
    assert (first["rank"], first["seizures"], first["kg_equivalent"]) == (1, 13, 109.0)
    assert first["share_of_seizures"] == pytest.approx(13 / 38)  # 38: unknown routes included
    assert first["share_of_kg"] == pytest.approx(109 / 601)
    assert top["main_transport"].to_list() == [
        "Commercial air",
        "Commercial sea",
        "Commercial air",
        "Commercial sea",
    ]

    by_kg = route_queries.corridors(snap, "World", COCAINE, 2019, 2021, "kg", 2)
    assert by_kg.select("departure_iso3", "destination_iso3").rows() == [
        ("ECU", "NLD"),
        ("COL", "ESP"),
    ]


def test_one_years_shares_are_the_marts(snap: queries.Snapshot) -> None:
    top = route_queries.corridors(snap, "World", COCAINE, 2019, 2019, "seizures", 10)
    assert top["share_of_seizures"].to_list() == pytest.approx([0.5, 0.2])
    assert top["share_of_kg"].to_list() == pytest.approx([100 / 142, 30 / 142])


def test_corridors_leave_from_or_lead_to_the_region(snap: queries.Snapshot) -> None:
    assert route_queries.corridors(
        snap, "Africa", COCAINE, 2019, 2021, "seizures", 10
    ).is_empty()  # NGA only seized: not a corridor end
    cannabis = route_queries.corridors(snap, "Africa", CANNABIS, 2019, 2021, "seizures", 10)
    assert cannabis.select("departure_iso3", "destination_iso3", "seizures").rows() == [
        ("MAR", "FRA", 20),
        ("MAR", "ESP", 7),
    ]
    assert cannabis["share_of_seizures"].to_list() == pytest.approx([20 / 27, 7 / 27])
    assert (
        route_queries.corridors(snap, "Americas", COCAINE, 2019, 2021, "seizures", 10).height == 4
    )


def test_transport_modes_of_the_top_corridors(snap: queries.Snapshot) -> None:
    modes = route_queries.corridor_transport(snap, "World", COCAINE, 2019, 2021, "seizures", 2)
    assert modes.select(
        "rank", "departure_iso3", "transport", "seizures", "kg_equivalent"
    ).rows() == [
        (1, "COL", "Commercial air", 10, 49.0),
        (1, "COL", "Commercial sea", 3, 60.0),
        (2, "ECU", "Commercial sea", 6, 390.0),
        (2, "ECU", "Not reported", 2, 10.0),
    ]


@pytest.mark.parametrize(
    "area, group", [(INJECTION, COCAINE), ("World", INJECTION), ("World' OR '1'='1", COCAINE)]
)
def test_injection_is_just_a_value(snap: queries.Snapshot, area: str, group: str) -> None:
    assert route_queries.flows(snap, area, group, 2019, 2021).is_empty()
    assert route_queries.flow_summary(snap, area, group, 2019, 2021)["seizures"] == 0
    assert route_queries.corridors(snap, area, group, 2019, 2021, "seizures", 10).is_empty()
    assert route_queries.corridors(snap, "World", COCAINE, 2019, 2021, INJECTION, 10).height == 4
    assert flow_rows(snap.path) == len(FLOWS)
    assert route_queries.region_members(INJECTION) == []
