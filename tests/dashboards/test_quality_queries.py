"""Data-quality queries on the tiny snapshot's pipeline records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from dashboards import quality_queries, queries
from tests.dashboards.snapshot import ANNUAL, INDIVIDUAL, QUARANTINED

INJECTION = "kg.range' OR '1'='1"


@pytest.fixture
def snap(tiny_home: Path) -> queries.Snapshot:
    return queries.current()


def test_latest_run_per_dataset_and_region(snap: queries.Snapshot) -> None:
    latest = quality_queries.latest_runs(snap)
    assert latest.select("dataset", "region", "run_id", "status").rows() == [
        (ANNUAL, "Africa", "run-a1", "success"),
        (ANNUAL, "Asia", "run-s1", "skipped"),
        (ANNUAL, "Europe", "run-e2", "failed"),
        (INDIVIDUAL, "Europe", "run-e2", "success"),
    ]
    europe = latest.row(2, named=True)
    assert europe["contract_version"] == "1.1.0"
    assert europe["last_success_at"] == datetime(2024, 1, 1, 5, tzinfo=UTC)  # still published
    assert latest.row(1, named=True)["last_success_at"] is None


def test_checks_of_the_latest_runs_only(snap: queries.Snapshot) -> None:
    checks = quality_queries.latest_checks(snap)
    assert checks.height == 9  # 3 runs x 3 checks; Asia was skipped; run-e1 is superseded
    europe = checks.filter((checks["dataset"] == ANNUAL) & (checks["region"] == "Europe"))
    assert europe.select("check_name", "passed").rows() == [
        ("contract", True),
        ("reconciliation", True),
        ("quarantine_share", False),
    ]
    assert set(europe["contract_version"]) == {"1.1.0"}


def test_run_history_oldest_first(snap: queries.Snapshot) -> None:
    history = quality_queries.run_history(snap, ANNUAL, "Europe")
    assert history.select("run_id", "contract_version", "status").rows() == [
        ("run-e1", "1.0.0", "success"),
        ("run-e2", "1.1.0", "failed"),
    ]
    assert quality_queries.run_history(snap, INJECTION, "Europe").is_empty()
    assert quality_queries.run_keys(snap).height == 4


def test_quarantine_filters(snap: queries.Snapshot) -> None:
    assert quality_queries.quarantine_options(snap) == {
        "dataset": [ANNUAL, INDIVIDUAL],
        "region": ["Europe"],
        "rule": ["kg.range", "kg.required", "quantity.required", "year.range"],
        "contract_version": ["1.0.0", "1.1.0"],
    }
    assert quality_queries.quarantined_rows(snap).height == len(QUARANTINED)
    newest = quality_queries.quarantined_rows(snap, version="1.1.0")
    assert newest["source_row"].to_list() == [3, 4, 7]  # file order within a run
    assert quality_queries.quarantined_rows(snap, ANNUAL, "Europe", "kg.range").height == 2
    assert quality_queries.quarantined_rows(snap, dataset=INDIVIDUAL)["record"].to_list() == [
        '{"row": 12}'
    ]


def test_quarantine_by_rule(snap: queries.Snapshot) -> None:
    assert quality_queries.quarantine_by_rule(snap).rows() == [
        (ANNUAL, "kg.range", 2),
        (ANNUAL, "kg.required", 2),
        (ANNUAL, "year.range", 1),
        (INDIVIDUAL, "quantity.required", 1),
    ]
    assert quality_queries.quarantine_by_rule(snap, version="1.0.0")["rows"].sum() == 3


def test_source_files_newest_first(snap: queries.Snapshot) -> None:
    files = quality_queries.source_files(snap)
    assert files["source_name"].to_list() == ["annual_europe.csv", "individual_europe.json"]
    assert files["unknown_columns"].to_list() == [[], ["EXTRA_NOTE"]]


def test_injection_is_just_a_value(snap: queries.Snapshot) -> None:
    assert quality_queries.quarantined_rows(snap, rule=INJECTION).is_empty()
    assert quality_queries.quarantined_rows(snap, dataset=INJECTION).is_empty()
    assert quality_queries.quarantine_by_rule(snap, region=INJECTION).is_empty()
    con = duckdb.connect(snap.path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM quarantine.rows").fetchone()[0] == len(QUARANTINED)
    finally:
        con.close()
