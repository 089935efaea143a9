"""Queries on the tiny snapshot: filters, bound parameters, and a new snapshot picked up."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboards import queries
from tests.dashboards.snapshot import CANNABIS, COCAINE, build_snapshot

BOTH = [CANNABIS, COCAINE]
INJECTION = "Europe'; DROP TABLE marts.seizure_trends; --"


@pytest.fixture
def snap(tiny_home: Path) -> queries.Snapshot:
    current = queries.current()
    assert current is not None
    return current


def kg_by(frame, group: str) -> dict[int, float]:
    part = frame.filter(frame["drug_group"] == group)
    return dict(zip(part["year"].to_list(), part["kg"].to_list(), strict=True))


def trend_rows(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM marts.seizure_trends").fetchone()[0]
    finally:
        con.close()


def test_no_snapshot_yet(empty_home: Path) -> None:
    assert queries.current() is None


def test_snapshot_meta(snap: queries.Snapshot) -> None:
    meta = queries.snapshot_meta(snap)
    assert meta.snapshot_id == "20240101T000000000000Z"
    assert meta.run_id == "run-tiny"


def test_drug_groups_largest_first_and_years(snap: queries.Snapshot) -> None:
    assert queries.drug_groups(snap) == [CANNABIS, COCAINE]
    assert queries.years(snap) == [2019, 2020, 2021]


def test_world_and_region_trends(snap: queries.Snapshot) -> None:
    world = queries.group_trends(snap, "World", BOTH, 2019, 2021)
    assert kg_by(world, CANNABIS) == {2019: 1_500_000, 2020: 1_800_000, 2021: 1_600_000}
    europe = queries.group_trends(snap, "Europe", [COCAINE], 2019, 2021)
    assert kg_by(europe, COCAINE) == {2019: 200_000, 2020: 250_000, 2021: 300_000}
    assert set(europe["drug_group"]) == {COCAINE}  # other groups, subgroups, levels left out
    assert europe.height == 3


def test_year_range_and_gaps(snap: queries.Snapshot) -> None:
    africa = queries.group_trends(snap, "Africa", [COCAINE], 2020, 2021)
    assert kg_by(africa, COCAINE) == {2021: 20_000}  # 2020 not reported: missing, not zero
    assert africa["yoy_change_pct"].to_list() == [None]


def test_latest_year_is_the_last_year_with_data_in_the_range(snap: queries.Snapshot) -> None:
    latest = queries.latest_year(snap, "Europe", BOTH, 2019, 2020)
    assert latest["year"].to_list() == [2020, 2020]
    assert latest["drug_group"].to_list() == [CANNABIS, COCAINE]  # largest first
    assert latest["share_of_global"].to_list() == pytest.approx([1_200_000 / 1_800_000, 1.0])


@pytest.mark.parametrize("query", [queries.group_trends, queries.latest_year])
def test_injection_is_just_a_value(tiny_home: Path, snap: queries.Snapshot, query) -> None:
    before = trend_rows(Path(snap.path))
    assert query(snap, INJECTION, BOTH, 2019, 2021).is_empty()
    assert query(snap, "Europe", [INJECTION], 2019, 2021).is_empty()
    assert query(snap, "World' OR '1'='1", BOTH, 2019, 2021).is_empty()
    assert trend_rows(Path(snap.path)) == before > 0


def test_a_new_snapshot_is_read_without_clearing_caches(tiny_home: Path) -> None:
    path = tiny_home / "published" / "current.duckdb"
    old = queries.current()
    assert kg_by(queries.group_trends(old, "World", BOTH, 2019, 2021), COCAINE)[2021] == 320_000
    assert queries.group_trends(old, "World", BOTH, 2019, 2021).height == 6  # cached twice over

    build_snapshot(path, snapshot_id="20250101T000000000000Z", scale=2.0)  # os.replace

    new = queries.current()
    assert new != old
    assert queries.snapshot_meta(new).snapshot_id == "20250101T000000000000Z"
    assert kg_by(queries.group_trends(new, "World", BOTH, 2019, 2021), COCAINE)[2021] == 640_000
    assert queries.latest_year(new, "Europe", BOTH, 2019, 2021)["kg"][0] == 1_800_000


def test_same_snapshot_is_served_from_the_cache(
    snap: queries.Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = queries.group_trends(snap, "Africa", BOTH, 2019, 2021)

    def no_database(*args, **kwargs):
        raise AssertionError("the snapshot was opened again")

    monkeypatch.setattr(queries, "open_db", no_database)
    assert queries.group_trends(snap, "Africa", BOTH, 2019, 2021).equals(first)


def test_missing_tables(snap: queries.Snapshot) -> None:
    assert queries.missing_tables(snap, ["marts.route_flows", "marts.seizure_trends"]) == []
    assert queries.missing_tables(snap, ["marts.nothing", INJECTION]) == [
        "marts.nothing",
        INJECTION,
    ]
