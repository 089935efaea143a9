"""A mart rebuilt under its contract, and the publish step's side-table checks, on a real
temporary warehouse (Great Expectations, no Dagster): what fails keeps the previous version."""

from __future__ import annotations

from pathlib import Path

import pytest

from drugtrends.contracts import PROVENANCE_COLUMNS, load_contract
from drugtrends.marts.refresh import refresh_mart
from drugtrends.serving.release import release
from drugtrends.settings import Settings, get_settings
from drugtrends.warehouse import warehouse

SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}
PROVENANCE_TYPES = {"source_row": "BIGINT", "loaded_at": "TIMESTAMPTZ", "corrections": "VARCHAR[]"}


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("DRUGTRENDS_DATA_DOCS", "false")
    return get_settings(home=tmp_path / "home")


def empty_core_table(settings: Settings) -> None:
    contract = load_contract("annual_seizures")
    columns = [f"{c.name} {SQL_TYPES[c.type]}" for c in (*contract.columns, *contract.derived)]
    columns += [f"{c} {PROVENANCE_TYPES.get(c, 'VARCHAR')}" for c in PROVENANCE_COLUMNS]
    with warehouse(settings.warehouse_path) as con:
        con.execute(f"CREATE TABLE core.annual_seizures ({', '.join(columns)})")


def test_a_mart_whose_inputs_are_missing_is_skipped(settings):
    result = refresh_mart(settings, "annual_seizures_by_subgroup", "r1")
    assert (result.status, result.check.passed) == ("skipped", True)
    assert result.check.summary == "skipped: no data loaded yet in core.annual_seizures"


def test_a_mart_that_breaks_its_contract_is_rolled_back(settings):
    empty_core_table(settings)  # no rows: the mart's contract wants at least one
    with warehouse(settings.warehouse_path) as con:
        con.execute("CREATE TABLE marts.annual_seizures_by_subgroup AS SELECT 'previous' AS v")
    result = refresh_mart(settings, "annual_seizures_by_subgroup", "r1")
    assert result.status == "failed" and result.check.passed is False
    assert result.check.summary.startswith("marts.annual_seizures_by_subgroup: failed: row_count")
    assert result.message.endswith("(previous version kept)")
    with warehouse(settings.warehouse_path) as con:
        kept = con.execute("SELECT * FROM marts.annual_seizures_by_subgroup").fetchall()
    assert kept == [("previous",)]


def test_a_side_table_that_breaks_its_contract_stops_the_publish(settings):
    with warehouse(settings.warehouse_path) as con:
        con.execute(
            "INSERT INTO meta.partition_runs (dataset, region, run_id, status) "
            "VALUES ('annual_seizures', 'Africa', 'r1', 'exploded')"
        )
    result = release(settings, "r2")
    assert result.snapshot is None and result.check.passed is False
    assert result.check.summary.startswith("meta.partition_runs: failed:")
    assert result.message.startswith("not published: meta.partition_runs failed:")
    assert not settings.current_snapshot.exists()
