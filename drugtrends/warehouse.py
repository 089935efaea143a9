"""The pipeline's working DuckDB warehouse: connections, layout, and atomic partition writes.

Only the pipeline opens this file (DuckDB allows one writing process); dashboards and analysts
read the published snapshot instead (see ``drugtrends.serving.snapshot``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

SCHEMAS = ("raw", "core", "quarantine", "marts", "meta")

# The tables every warehouse has from the start (the others are created from their first frame).
LAYOUT: dict[str, str] = {
    "raw.files": "file_id VARCHAR, dataset VARCHAR, region VARCHAR, source_name VARCHAR, "
    "location VARCHAR, format VARCHAR, sha256 VARCHAR, size_bytes BIGINT, "
    "fetched_at TIMESTAMPTZ, landed_path VARCHAR, rows BIGINT, unknown_columns VARCHAR[], "
    "run_id VARCHAR, read_by VARCHAR",
    "quarantine.rows": "dataset VARCHAR, region VARCHAR, source_file VARCHAR, file_id VARCHAR, "
    "source_row BIGINT, record JSON, rule VARCHAR, message VARCHAR, contract_version VARCHAR, "
    "run_id VARCHAR, quarantined_at TIMESTAMPTZ",
    "meta.partition_runs": "dataset VARCHAR, region VARCHAR, run_id VARCHAR, status VARCHAR, "
    "message VARCHAR, raw_rows BIGINT, clean_rows BIGINT, quarantined_rows BIGINT, "
    "contract_version VARCHAR, finished_at TIMESTAMPTZ, details JSON",
    "meta.check_results": "dataset VARCHAR, region VARCHAR, run_id VARCHAR, "
    "check_name VARCHAR, severity VARCHAR, passed BOOLEAN, summary VARCHAR, details JSON, "
    "contract_version VARCHAR, checked_at TIMESTAMPTZ",
}
# Tables only ever appended to (run history): every other table is replaced a slice at a time.
APPEND_ONLY = ("meta.partition_runs", "meta.check_results")
LAYOUT_SQL = "\n".join(f"CREATE TABLE IF NOT EXISTS {t} ({cols});" for t, cols in LAYOUT.items())
# Columns added after the first release: warehouse files made before them gain them here.
UPGRADES_SQL = """
ALTER TABLE raw.files ADD COLUMN IF NOT EXISTS read_by VARCHAR;
ALTER TABLE meta.partition_runs ADD COLUMN IF NOT EXISTS details JSON;
"""


def open_db(
    path: Path, *, read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Connect to ``path``. Writers are bounded by ``memory_limit`` (default: the
    DRUGTRENDS_DUCKDB_MEMORY_LIMIT setting), spilling to ``<file>.tmp`` beside it."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        if memory_limit is None:
            from drugtrends.settings import get_settings

            memory_limit = get_settings().duckdb_memory_limit
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = {sql_string(memory_limit)}")
    return con


@contextmanager
def warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse for writing, creating its layout on first use."""
    con = open_db(path)
    try:
        for schema in SCHEMAS:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute(LAYOUT_SQL)
        con.execute(UPGRADES_SQL)
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def sql_string(value: str) -> str:
    """A SQL string literal, for the few statements that take no parameters (ATTACH, COPY TO).

    Only paths the pipeline builds itself go through here, never user input.
    """
    return "'" + value.replace("'", "''") + "'"


def first_row(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> tuple | None:
    """The first row or None. Fetches everything: DuckDB 2 refuses new work on a connection
    while a result is only partly fetched (as ``fetchone`` leaves it)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None):
    row = first_row(con, sql, params)
    return row[0] if row else None


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        scalar(
            con,
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?",
            [schema, table],
        )
    )


def arrow(frame: pl.DataFrame) -> Any:
    """``frame`` as an Arrow table for DuckDB to scan, without copying it: Polars' own string
    views (DuckDB reads them), not the older layout whose conversion copies every string."""
    return frame.to_arrow(compat_level=pl.CompatLevel.newest())


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    where: str,
    params: list[object],
) -> None:
    """Inside the caller's transaction: delete the slice ``where`` and insert ``frame``.

    ``table`` and ``where`` come from code, never from user input; values go in ``params``.
    The table is created from the frame's schema on first use.
    """
    schema, name = table.split(".")
    con.register("_frame", arrow(frame))
    try:
        if not table_exists(con, schema, name):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM _frame LIMIT 0")
        con.execute(f"DELETE FROM {table} WHERE {where}", params)
        if frame.height:
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def read_checked(
    con: duckdb.DuckDBPyConnection, table: str, sample_rows: int | None
) -> tuple[pl.DataFrame, int]:
    """The rows of ``table`` that a check reads, and how many the table holds.

    With ``sample_rows`` and a larger table, a seeded reservoir sample of that many rows drawn
    by DuckDB (under its memory limit), so a check of a ten-million-row mart never holds the
    mart in Python; else every row.
    """
    rows = int(scalar(con, f"SELECT count(*) FROM {table}"))
    if sample_rows and rows > sample_rows:
        sample = f" USING SAMPLE reservoir({int(sample_rows)} ROWS) REPEATABLE (0)"
        return read_frame(con, f"SELECT * FROM {table}{sample}"), rows
    return read_frame(con, f"SELECT * FROM {table}"), rows


def read_frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql, params=params or []).to_arrow_table())  # type: ignore[return-value]


def read_batched(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: list[object] | None = None,
    batch_rows: int = 500_000,
) -> pl.DataFrame:
    """Like :func:`read_frame`, for millions of rows: DuckDB hands the result over
    ``batch_rows`` at a time, each batch becomes Polars columns and is let go, so the rows are
    never held twice (as a whole Arrow table and as the frame made from it)."""
    reader = con.execute(sql, params or []).fetch_record_batch(batch_rows)
    parts = [pl.DataFrame(batch) for batch in reader]
    if not parts:
        return pl.DataFrame(reader.schema.empty_table())
    return pl.concat(parts, rechunk=False)
