"""Synthetic (demo) data is marked where it enters and carried to the published snapshot."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from drugtrends.errors import ConfigError
from drugtrends.raw.sources import load_sources
from drugtrends.serving.snapshot import publish, snapshot_info

ENTRY = "  - {dataset: annual_seizures, region: Africa, location: a.json, format: json"
OTHER = "  - {dataset: annual_seizures, region: Asia, location: b.json, format: json"


def sources_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_are_real_unless_the_file_says_synthetic(tmp_path: Path) -> None:
    plain = sources_file(tmp_path, f"sources:\n{ENTRY}}}\n")
    assert [s.synthetic for s in load_sources(plain)] == [False]
    marked = sources_file(
        tmp_path, f"synthetic: true\nsources:\n{ENTRY}}}\n{OTHER}, synthetic: false}}\n"
    )
    assert [s.synthetic for s in load_sources(marked)] == [True, False]
    one = sources_file(tmp_path, f"sources:\n{ENTRY}}}\n{OTHER}, synthetic: true}}\n")
    assert [s.synthetic for s in load_sources(one)] == [False, True]


@pytest.mark.parametrize("value", ["yes please", "1", "[]"])
def test_a_synthetic_flag_that_is_not_true_or_false_is_refused(tmp_path: Path, value: str) -> None:
    path = sources_file(tmp_path, f"synthetic: {value}\nsources:\n{ENTRY}}}\n")
    with pytest.raises(ConfigError, match="synthetic must be true or false"):
        load_sources(path)


def warehouse_with_a_mart(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    for schema in ("core", "quarantine", "marts", "meta", "raw"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute("CREATE OR REPLACE TABLE marts.example AS SELECT 1 AS value")
    return con


@pytest.mark.parametrize("synthetic", [True, False])
def test_publish_records_the_flag_in_meta_snapshot(tmp_path: Path, synthetic: bool) -> None:
    con = warehouse_with_a_mart(tmp_path / "warehouse.duckdb")
    try:
        snap = publish(con, tmp_path / "published", "run-1", synthetic=synthetic)
    finally:
        con.close()
    assert snap.synthetic is synthetic
    info = snapshot_info(tmp_path / "published" / "current.duckdb")
    assert info is not None and info["synthetic"] is synthetic
    check = duckdb.connect(str(snap.path), read_only=True)
    try:
        assert check.execute("SELECT synthetic FROM meta.snapshot").fetchall() == [(synthetic,)]
    finally:
        check.close()


def test_a_snapshot_from_before_the_flag_reads_as_not_synthetic(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA meta")
    con.execute(
        "CREATE TABLE meta.snapshot AS SELECT 'S1' AS snapshot_id, "
        "TIMESTAMPTZ '2024-01-01 00:00:00+00' AS created_at, 'r' AS run_id, '{}'::JSON AS tables"
    )
    con.close()
    info = snapshot_info(path)
    assert info is not None
    assert (info["snapshot_id"], info["synthetic"]) == ("S1", False)
