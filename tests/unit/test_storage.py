"""The storage interface without services: backend choice, per-region tables behind a view,
and the S3 secret built from the settings (the lakehouse itself: tests/test_lakehouse.py)."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from drugtrends.lakehouse import _s3_secret, extension_dir
from drugtrends.settings import get_settings
from drugtrends.storage import (
    DuckDBWarehouse,
    DuckLakeWarehouse,
    open_warehouse,
    physical,
    union_view,
)


def test_the_settings_choose_the_backend(tmp_path, monkeypatch):
    assert isinstance(open_warehouse(get_settings(home=tmp_path)), DuckDBWarehouse)
    monkeypatch.setenv("DRUGTRENDS_WAREHOUSE", "ducklake")
    monkeypatch.setenv("DRUGTRENDS_CONCURRENCY", "5")
    store = open_warehouse(get_settings(home=tmp_path))
    assert isinstance(store, DuckLakeWarehouse) and store.max_writers == 5
    assert get_settings(home=tmp_path).lake_data_path == f"{tmp_path}/lake/"


def test_the_embedded_backend_has_one_writer_whatever_the_concurrency(tmp_path, monkeypatch):
    monkeypatch.setenv("DRUGTRENDS_CONCURRENCY", "5")
    assert open_warehouse(get_settings(home=tmp_path)).max_writers == 1


def test_physical_tables_are_named_after_the_region_and_refuse_anything_else():
    assert physical("core.annual_seizures", "Africa") == "core.annual_seizures__africa"
    with pytest.raises(ValueError):
        physical("core.annual_seizures", "Africa; DROP TABLE x")


def test_the_view_unions_the_regions_and_keeps_one_copy_of_shared_unassigned_rows():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA quarantine")
    rows = {
        # Both regions read the same all-regions file and quarantined its unassigned row 7.
        "africa": [
            ("annual", "Africa", "f1", 1, "kg.range"),
            ("annual", "unassigned", "f1", 7, "region.allowed"),
        ],
        "europe": [
            ("annual", "Europe", "f1", 2, "kg.range"),
            ("annual", "unassigned", "f1", 7, "region.allowed"),
        ],
    }
    for region, values in rows.items():
        frame = pl.DataFrame(
            values, schema=["dataset", "region", "file_id", "source_row", "rule"], orient="row"
        )
        frame = frame.with_columns(pl.lit("2026-01-01").str.to_datetime().alias("quarantined_at"))
        con.register("f", frame.to_arrow())
        con.execute(f"CREATE TABLE quarantine.rows__{region} AS SELECT * FROM f")
    con.execute(union_view("quarantine.rows", ("Africa", "Europe")))
    got = con.execute(
        "SELECT region, source_row FROM quarantine.rows ORDER BY source_row"
    ).fetchall()
    assert got == [("Africa", 1), ("Europe", 2), ("unassigned", 7)]


def test_s3_data_gets_a_secret_from_the_settings_and_local_data_none(tmp_path):
    settings = get_settings(
        home=tmp_path,
        lake_data="s3://bucket/lake",
        s3_endpoint="http://127.0.0.1:9000",
        s3_key_id="key",
        s3_secret="s3cr3t-value",
        s3_region="us-east-1",
    )
    con = duckdb.connect()
    con.execute(f"SET extension_directory = '{extension_dir(tmp_path)}'")
    con.execute(_s3_secret(settings))
    [(kind, description)] = con.execute(
        "SELECT type, secret_string FROM duckdb_secrets()"
    ).fetchall()
    assert kind == "s3" and "s3cr3t-value" not in description  # accepted by DuckDB, redacted
    assert settings.lake_data_path == "s3://bucket/lake/"
    assert "s3cr3t-value" not in repr(settings)  # credentials never print with the settings
    assert _s3_secret(get_settings(home=tmp_path)) is None  # local data: no secret at all


def test_a_check_reads_a_seeded_sample_of_a_large_table_and_its_whole_count():
    from drugtrends.warehouse import read_checked

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.m AS SELECT range AS id FROM range(50000)")
    frame, rows = read_checked(con, "marts.m", 1_000)
    ids = frame["id"].to_list()
    assert rows == 50_000 and frame.height == 1_000 and len(set(ids)) == 1_000
    assert min(ids) < 10_000 and max(ids) > 40_000  # drawn over the table, not its head
    assert read_checked(con, "marts.m", 1_000)[0]["id"].to_list() == ids  # seeded
    whole, rows = read_checked(con, "marts.m", 60_000)
    assert (whole.height, rows) == (50_000, 50_000)
    assert read_checked(con, "marts.m", None)[0].height == 50_000


def test_a_region_read_in_batches_is_the_same_frame_as_one_read():
    from drugtrends.warehouse import read_batched, read_frame

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT range AS i, range::VARCHAR AS s, [range::VARCHAR] AS l, "
        "NULL::VARCHAR AS n FROM range(25000)"
    )
    sql = "SELECT * FROM t WHERE i % 3 = ?"
    batched = read_batched(con, sql, [1], batch_rows=1_000)
    assert batched.height == 8_333 and batched.n_chunks() > 1
    assert batched.equals(read_frame(con, sql, [1]))
    empty = read_batched(con, "SELECT * FROM t WHERE i < 0")
    assert empty.height == 0 and empty.schema == read_frame(con, "SELECT * FROM t LIMIT 0").schema
