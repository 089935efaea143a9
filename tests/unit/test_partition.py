"""A region's write on a real temporary DuckDB file: the core and quarantine rows are replaced
only when every check passed, and the run history records each outcome (no Dagster)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from drugtrends.contracts import load_contract
from drugtrends.core.checks import CheckOutcome
from drugtrends.core.partition import build_region, write_region
from drugtrends.core.quarantine import Split
from drugtrends.raw.region import load_region
from drugtrends.settings import Settings, get_settings
from drugtrends.warehouse import open_db
from tests.conftest import annual_row, write_json, write_sources

CONTRACT = load_contract("annual_seizures")
PASS = [CheckOutcome("contract", True, "ok"), CheckOutcome("reconciliation", True, "ok")]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    sources = write_sources(tmp_path / "sources.yaml", [])
    return get_settings(home=tmp_path / "home", sources=sources)


def batch(region: str, countries: list[str], bad: int = 0) -> Split:
    clean = pl.DataFrame({"region": [region] * len(countries), "country_iso3": countries})
    quarantined = pl.DataFrame(
        {"dataset": ["annual_seizures"] * bad, "region": [region] * bad, "rule": ["kg.type"] * bad}
    )
    return Split(clean, quarantined, raw_rows=len(countries) + bad)


def query(settings: Settings, sql: str) -> list[tuple]:
    con = open_db(settings.warehouse_path, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_passing_region_replaces_only_its_own_rows(settings):
    assert write_region(settings, CONTRACT, "Africa", "r1", batch("Africa", ["KEN"], 1), PASS) == []
    write_region(settings, CONTRACT, "Europe", "r2", batch("Europe", ["ESP"]), PASS)
    write_region(settings, CONTRACT, "Africa", "r3", batch("Africa", ["NGA", "GHA"]), PASS)
    assert query(settings, "SELECT region, country_iso3 FROM core.annual_seizures ORDER BY 2") == [
        ("Europe", "ESP"),
        ("Africa", "GHA"),
        ("Africa", "NGA"),
    ]
    assert query(settings, "SELECT count(*) FROM quarantine.rows") == [(0,)]


def test_a_blocked_region_keeps_its_previous_rows_and_records_why(settings):
    write_region(settings, CONTRACT, "Africa", "good", batch("Africa", ["KEN"], 1), PASS)
    blocked = [*PASS, CheckOutcome("quarantine_share", False, "90.0% of rows quarantined")]
    failed = write_region(settings, CONTRACT, "Africa", "bad", batch("Africa", ["XKE"], 9), blocked)
    assert failed == ["quarantine_share: 90.0% of rows quarantined"]
    assert query(settings, "SELECT country_iso3 FROM core.annual_seizures") == [("KEN",)]
    assert query(settings, "SELECT count(*) FROM quarantine.rows") == [(1,)]
    assert query(
        settings,
        "SELECT run_id, status, message, raw_rows, clean_rows, quarantined_rows "
        "FROM meta.partition_runs ORDER BY finished_at",
    ) == [
        ("good", "success", "", 2, 1, 1),
        ("bad", "failed", "quarantine_share: 90.0% of rows quarantined", 10, 1, 9),
    ]
    assert query(
        settings, "SELECT check_name, passed FROM meta.check_results WHERE run_id = 'bad'"
    ) == [("contract", True), ("reconciliation", True), ("quarantine_share", False)]


def test_a_region_with_no_source_is_recorded_as_skipped(settings):
    raw = load_region(settings, "annual_seizures", "Asia", "r1")
    assert (raw.status, raw.message) == ("skipped", "no source configured")
    core = build_region(settings, "annual_seizures", "Asia", "r1")
    assert core.status == "skipped"
    assert {(c.name, c.passed) for c in core.checks} == {
        ("contract", True),
        ("reconciliation", True),
        ("quarantine_share", True),
    }
    assert query(settings, "SELECT region, status, message FROM meta.partition_runs") == [
        ("Asia", "skipped", "no source configured")
    ]


def test_an_unreadable_source_fails_its_region_with_the_file_named(tmp_path):
    bad = tmp_path / "africa.json"
    bad.write_text("[{", encoding="utf-8")
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "dataset": "annual_seizures",
                "region": "Africa",
                "format": "json",
                "location": bad.name,
            }
        ],
    )
    settings = get_settings(home=tmp_path / "home", sources=sources)
    raw = load_region(settings, "annual_seizures", "Africa", "r1")
    assert raw.status == "failed" and raw.message.startswith("africa.json")
    assert query(settings, "SELECT status, message FROM meta.partition_runs") == [
        ("failed", raw.message)
    ]


def test_a_failed_correction_guard_fails_the_region_before_any_write(tmp_path):
    rows = [annual_row("Kenya", "KEN", "Africa", "", "Cocaine", "Cocaine", "Cocaine", 2020, 5)]
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "dataset": "annual_seizures",
                "region": "Africa",
                "format": "json",
                "location": write_json(tmp_path / "africa.json", rows).name,
            }
        ],
    )
    registry = tmp_path / "corrections.yaml"
    registry.write_text(
        "version: t1\ncorrections:\n"
        "  - {id: C1, dataset: annual_seizures, region: Africa, match: {country_iso3: KEN},\n"
        "     action: scale, column: kg, factor: 0.001, reason: grams, evidence: letter,\n"
        "     expect: {kg: '5000'}}\n",
        encoding="utf-8",
    )
    settings = get_settings(home=tmp_path / "home", sources=sources, corrections_file=registry)
    assert load_region(settings, "annual_seizures", "Africa", "r1").status == "success"
    core = build_region(settings, "annual_seizures", "Africa", "r1")
    assert core.status == "failed" and core.checks == []
    assert "correction C1" in core.message and "found ['5']" in core.message
    assert query(settings, "SELECT status FROM meta.partition_runs") == [("failed",)]
    assert query(
        settings,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'core'",
    ) == [(0,)]


def test_population_rows_name_no_region_and_land_in_the_region_of_their_code(tmp_path):
    """The population file has no region column: an all-regions file is split by ISO3, and the
    core stage must not quarantine those rows for naming no region (region.partition)."""
    path = tmp_path / "population.json"
    write_json(
        path,
        [
            {"Country/Territory": name, "ISO3": iso3, "Year": "2020", "All": "100.5"}
            for name, iso3 in [("Kenya", "KEN"), ("Spain", "ESP"), ("Nowhere", "XXX")]
        ],
    )
    sources = write_sources(
        tmp_path / "sources.yaml",
        [{"dataset": "population", "region": "all", "format": "json", "location": path.name}],
    )
    settings = get_settings(home=tmp_path / "home", sources=sources)
    from drugtrends.core.datasets.population import transform

    for region in ("Africa", "Europe"):
        assert load_region(settings, "population", region, "r1").status == "success"
        assert build_region(settings, "population", region, "r1", transform).status == "success"
    assert query(
        settings, "SELECT country_iso3, region FROM core.population ORDER BY country_iso3"
    ) == [("ESP", "Europe"), ("KEN", "Africa")]
    assert query(settings, "SELECT count(*) FROM core.population WHERE region IS NULL") == [(0,)]
