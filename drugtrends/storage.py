"""One storage interface, two backends: the embedded DuckDB file or a DuckLake lakehouse.

The pipeline writes through a :class:`Warehouse` (``open_warehouse(settings)`` picks it from
``DRUGTRENDS_WAREHOUSE``), so assets, SQL marts, contracts and checks are the same on both:

* ``duckdb`` (default): ``warehouse/warehouse.duckdb``, one writing process; a region's slice
  of a table is replaced with DELETE + INSERT; publishing copies the tables into an immutable
  snapshot file swapped in with ``os.replace`` (``drugtrends.serving.snapshot``).
* ``ducklake``: catalog in PostgreSQL, Parquet on disk or S3, many writers at once. DuckLake
  commits optimistically and any DELETE conflicts with any concurrent write to the same table,
  so every table replaced a region at a time is stored as one table per region
  (``core.annual_seizures__africa`` ...) behind a view with the logical name
  (``core.annual_seizures``). Concurrent regions then never touch the same table (run history
  is append-only, which never conflicts); what still conflicts (the first creation of a table,
  two runs of one region) is retried. Publishing tags a catalog version
  (``drugtrends.serving.lake``).

SQL reads the logical names on both backends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

import duckdb
import polars as pl

from drugtrends.reference import REGIONS
from drugtrends.serving.snapshot import PUBLISHED_SCHEMAS, Snapshot
from drugtrends.settings import Settings
from drugtrends.warehouse import (
    APPEND_ONLY,
    LAYOUT,
    SCHEMAS,
    arrow,
    open_db,
    replace_rows,
    table_exists,
    transaction,
    warehouse,
)

T = TypeVar("T")
Work = Callable[[duckdb.DuckDBPyConnection], T]


class Warehouse(Protocol):
    """What the pipeline needs from storage; both backends provide it."""

    kind: str
    max_writers: int  # runs that may write at once

    def connect(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A connection to the working warehouse (layout created on first use)."""
        ...

    def read_only(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A connection that only reads the working warehouse."""
        ...

    def exists(self) -> bool:
        """Whether the working warehouse has been created (anything written yet)."""
        ...

    def delete_rows(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        where: str,
        params: list[object],
        *,
        partition: str,
    ) -> None:
        """In ``commit``'s transaction: delete the slice ``where`` of ``table`` that
        ``partition`` wrote (nothing when the table does not exist)."""
        ...

    def commit(self, work: Work[T], *, message: str) -> T:
        """Run ``work`` in one transaction; all of it lands or none of it does."""
        ...

    def replace_rows(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        frame: pl.DataFrame,
        where: str,
        params: list[object],
        *,
        partition: str,
    ) -> None:
        """In ``commit``'s transaction: replace the slice ``where`` of ``table``, written by
        ``partition`` (the run's region), with ``frame``."""
        ...

    def publish(
        self, con: duckdb.DuckDBPyConnection, run_id: str, *, synthetic: bool = False
    ) -> Snapshot:
        """Make the current state the published snapshot; readers see all of it or none.
        ``synthetic``: the data is invented (the demo's), and every reader is told so."""
        ...

    def open_published(
        self, snapshot_id: str | None = None
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection | None]:
        """Read-only connection to publication ``snapshot_id`` (default: the current one), or
        None when there is none."""
        ...


def open_warehouse(settings: Settings) -> Warehouse:
    if settings.warehouse == "ducklake":
        return DuckLakeWarehouse(settings)
    return DuckDBWarehouse(settings)


class DuckDBWarehouse:
    """The embedded default: one DuckDB file, published as immutable snapshot files."""

    kind = "duckdb"
    max_writers = 1  # DuckDB: one writing process per file

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def connect(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return warehouse(self.settings.warehouse_path)

    @contextmanager
    def read_only(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = open_db(self.settings.warehouse_path, read_only=True)
        try:
            yield con
        finally:
            con.close()

    def exists(self) -> bool:
        return self.settings.warehouse_path.exists()

    def commit(self, work: Work[T], *, message: str) -> T:
        with self.connect() as con, transaction(con):
            return work(con)

    def delete_rows(self, con, table, where, params, *, partition):  # noqa: ARG002
        if table_exists(con, *table.split(".")):
            con.execute(f"DELETE FROM {table} WHERE {where}", params)

    def replace_rows(self, con, table, frame, where, params, *, partition):  # noqa: ARG002
        replace_rows(con, table, frame, where, params)

    def publish(
        self, con: duckdb.DuckDBPyConnection, run_id: str, *, synthetic: bool = False
    ) -> Snapshot:
        from drugtrends.serving.snapshot import publish

        return publish(
            con,
            self.settings.published_dir,
            run_id,
            keep=self.settings.keep_snapshots,
            synthetic=synthetic,
        )

    @contextmanager
    def open_published(
        self, snapshot_id: str | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection | None]:
        path = self.published_path(snapshot_id)
        if path is None:
            yield None
            return
        con = open_db(path, read_only=True)
        try:
            yield con
        finally:
            con.close()

    def published_path(self, snapshot_id: str | None = None) -> Path | None:
        if snapshot_id is None:
            path = self.settings.current_snapshot
        elif re.fullmatch(r"[0-9TZ-]+", snapshot_id):
            path = self.settings.published_dir / "snapshots" / f"{snapshot_id}.duckdb"
        else:
            return None
        return path if path.exists() else None


def physical(table: str, partition: str) -> str:
    """``core.annual_seizures`` written by ``Africa`` -> ``core.annual_seizures__africa``."""
    key = partition.lower()
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise ValueError(f"not a partition name: {partition!r}")
    return f"{table}__{key}"


# Rows several regions write alike: the unassigned rows of a file every region reads (a region
# column naming no known region) are quarantined by each reading region; the view keeps one.
SHARED_ROWS = {
    "quarantine.rows": (
        "region = 'unassigned'",
        "dataset, file_id, source_row, rule",
        "quarantined_at DESC",
    )
}


def union_view(table: str, partitions: tuple[str, ...]) -> str:
    union = " UNION ALL BY NAME ".join(f"SELECT * FROM {physical(table, p)}" for p in partitions)
    if table not in SHARED_ROWS:
        return f"CREATE OR REPLACE VIEW {table} AS {union}"
    shared, key, order = SHARED_ROWS[table]
    return (
        f"CREATE OR REPLACE VIEW {table} AS WITH all_rows AS ({union}) "
        f"SELECT * FROM all_rows WHERE NOT ({shared}) "
        f"UNION ALL BY NAME SELECT * FROM all_rows WHERE {shared} "
        f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {order}) = 1"
    )


_LAID_OUT: set[tuple[str | None, str]] = set()


class DuckLakeWarehouse:
    """The lakehouse: one table per region behind a view; publishing tags a version."""

    kind = "ducklake"

    def __init__(self, settings: Settings, partitions: tuple[str, ...] = tuple(REGIONS)) -> None:
        self.settings = settings
        self.partitions = partitions
        self.max_writers = settings.concurrency

    def _layout(self, con: duckdb.DuckDBPyConnection) -> None:
        with transaction(con):
            for schema in SCHEMAS:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            for table, columns in LAYOUT.items():
                if table in APPEND_ONLY:
                    con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
                    continue
                for p in self.partitions:
                    con.execute(f"CREATE TABLE IF NOT EXISTS {physical(table, p)} ({columns})")
                if not table_exists(con, *table.split(".")):
                    con.execute(union_view(table, self.partitions))

    def _laid_out(self, con: duckdb.DuckDBPyConnection) -> bool:
        expected = [
            *LAYOUT,
            *(physical(t, p) for t in LAYOUT if t not in APPEND_ONLY for p in self.partitions),
        ]
        found = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = "
            "current_database() AND list_contains(?, table_schema || '.' || table_name)",
            [expected],
        ).fetchall()[0][0]
        return found == len(expected)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        from drugtrends import lakehouse

        key = (self.settings.lake_catalog, self.settings.lake_data_path)
        if key in _LAID_OUT:  # checked once per process
            con = lakehouse.connect(self.settings)
        else:
            con = lakehouse.attach_writer(self.settings, self._layout, self._laid_out)
            _LAID_OUT.add(key)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def read_only(self) -> Iterator[duckdb.DuckDBPyConnection]:
        from drugtrends import lakehouse

        con = lakehouse.connect(self.settings, read_only=True)
        try:
            yield con
        finally:
            con.close()

    def exists(self) -> bool:
        from drugtrends import lakehouse

        return lakehouse.catalog_exists(self.settings)

    def delete_rows(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        where: str,
        params: list[object],
        *,
        partition: str,
    ) -> None:
        target = physical(table, partition)
        if table_exists(con, *target.split(".")):
            con.execute(f"DELETE FROM {target} WHERE {where}", params)

    def commit(self, work: Work[T], *, message: str) -> T:
        from drugtrends import lakehouse

        with self.connect() as con:
            return lakehouse.commit(
                con, work, message=message, retries=self.settings.commit_retries
            )

    def replace_rows(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        frame: pl.DataFrame,
        where: str,
        params: list[object],
        *,
        partition: str,
    ) -> None:
        target = physical(table, partition)
        con.register("_frame", arrow(frame))
        try:
            if not table_exists(con, *target.split(".")):
                # Every region's table at once, from the first frame, behind one view: later
                # writers find them all and never change the catalog's layout again.
                for p in self.partitions:
                    con.execute(
                        f"CREATE TABLE IF NOT EXISTS {physical(table, p)} AS "
                        "SELECT * FROM _frame LIMIT 0"
                    )
                con.execute(union_view(table, self.partitions))
            con.execute(f"DELETE FROM {target} WHERE {where}", params)
            if frame.height:
                con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM _frame")
        finally:
            con.unregister("_frame")

    def publish(
        self, con: duckdb.DuckDBPyConnection, run_id: str, *, synthetic: bool = False
    ) -> Snapshot:
        from drugtrends.serving import lake

        snap_id, created, counts, version = lake.publish(
            con,
            run_id,
            published_tables(con),
            keep=self.settings.keep_snapshots,
            retries=self.settings.commit_retries,
            synthetic=synthetic,
        )
        return Snapshot(snap_id, None, created, counts, synthetic, version)

    @contextmanager
    def open_published(
        self, snapshot_id: str | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection | None]:
        from drugtrends.serving import lake

        pinned = lake.connect_published(self.settings, snapshot_id)
        if pinned is None:
            yield None
            return
        con, _ = pinned
        try:
            yield con
        finally:
            con.close()


def published_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The logical tables and views a DuckLake publication holds (not the per-region tables)."""
    rows = con.execute(
        r"""
        SELECT table_schema || '.' || table_name FROM information_schema.tables
        WHERE table_catalog = current_database()
          AND (list_contains(?, table_schema) OR table_schema || '.' || table_name = 'raw.files')
          AND NOT contains(table_name, '__')
          AND table_schema || '.' || table_name <> 'meta.snapshot'
        ORDER BY 1
        """,
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    return [r[0] for r in rows]
