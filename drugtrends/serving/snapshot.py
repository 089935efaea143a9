"""Warehouse -> published snapshot: an immutable DuckDB file, swapped in atomically.

``published/snapshots/<id>.duckdb`` are immutable (read-only files) and the newest ``keep`` are
kept; ``published/current.duckdb`` is a read-only copy of the newest (never a hard link: damage to
one file must not reach the other), replaced with ``os.replace``, so a reader opening it sees one
whole snapshot, and a reader already holding the old one keeps it. A failed run never reaches
the swap, leaving the previous snapshot in place.

Snapshot ids start with a sequence number (``000042-20261201T020000...Z``): "newest" means the
highest sequence, never the latest clock time, so a clock that ran ahead or back cannot make
``prune`` delete the snapshot just published; nor does it ever remove the current one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from drugtrends.marts.changes import promote_basis
from drugtrends.serving.parquet import export_parquet, swap_symlink
from drugtrends.warehouse import open_db, scalar, sql_string

# What analysts and dashboards read. Raw rows stay in the warehouse (their files are in landing).
PUBLISHED_SCHEMAS = ("core", "quarantine", "marts", "meta")
EXTRA_TABLES = ("raw.files",)


@dataclass(frozen=True)
class Snapshot:
    id: str
    path: Path | None  # the snapshot file (None on DuckLake: the version is the snapshot)
    created_at: datetime
    tables: dict[str, int]
    synthetic: bool = False
    version: int | None = None  # the DuckLake version the publication tagged

    @property
    def location(self) -> str:
        return str(self.path) if self.path is not None else f"ducklake version {self.version}"


def _published_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_type = 'BASE TABLE' "
        "AND (table_schema IN (SELECT unnest(?)) OR table_schema || '.' || table_name IN "
        "(SELECT unnest(?))) ORDER BY 1",
        [list(PUBLISHED_SCHEMAS), list(EXTRA_TABLES)],
    ).fetchall()
    return [r[0] for r in rows]


def publish(
    con: duckdb.DuckDBPyConnection,
    published_dir: Path,
    run_id: str,
    *,
    keep: int = 5,
    synthetic: bool = False,
) -> Snapshot:
    """Copy the published tables into a new snapshot file and make it current.

    ``synthetic`` (the sources file marks its data as invented, as the demo's does) is recorded
    in ``meta.snapshot``, so every reader can tell demo figures from real ones.
    """
    created = datetime.now(UTC)
    snap_dir = published_dir / "snapshots"
    snap_dir.mkdir(parents=True, exist_ok=True)
    snap_id = f"{next_sequence(snap_dir):06d}-{created.strftime('%Y%m%dT%H%M%S%fZ')}"
    building = snap_dir / f".{snap_id}.building"
    final = snap_dir / f"{snap_id}.duckdb"
    building.unlink(missing_ok=True)
    tables = _published_tables(con)
    counts: dict[str, int] = {}
    con.execute(f"ATTACH {sql_string(str(building))} AS snap")
    try:
        for schema in PUBLISHED_SCHEMAS + ("raw",):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS snap.{schema}")
        for table in tables:
            con.execute(f"CREATE TABLE snap.{table} AS SELECT * FROM {table}")
            counts[table] = int(scalar(con, f"SELECT count(*) FROM snap.{table}"))
        con.execute(
            "CREATE TABLE snap.meta.snapshot AS SELECT ?::VARCHAR AS snapshot_id, "
            "?::TIMESTAMPTZ AS created_at, ?::VARCHAR AS run_id, ?::JSON AS tables, "
            "?::BOOLEAN AS synthetic",
            [snap_id, created, run_id, json.dumps(counts), synthetic],
        )
        con.execute("CHECKPOINT snap")
    finally:
        con.execute("DETACH snap")
    os.chmod(building, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(building, final)
    _fsync_dir(snap_dir)
    parquet = export_parquet(
        con, published_dir / "parquet", snap_id, [t for t in tables if t.startswith("marts.")]
    )
    make_current(published_dir, final)
    swap_symlink(published_dir / "parquet" / "current", parquet)
    # What readers now see becomes what the next snapshot's changes are measured against.
    promote_basis(con, snap_id)
    prune(snap_dir, keep, current=final)
    return Snapshot(snap_id, final, created, counts, synthetic)


def make_current(published_dir: Path, snapshot: Path) -> None:
    """Make ``current.duckdb`` a read-only copy of ``snapshot`` in one atomic rename."""
    tmp = published_dir / ".current.duckdb.tmp"
    tmp.unlink(missing_ok=True)
    shutil.copyfile(snapshot, tmp)
    os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, published_dir / "current.duckdb")
    _fsync_dir(published_dir)


_SEQUENCE = re.compile(r"^(\d{6,})-")


def sequence(path: Path) -> int:
    """A snapshot's sequence number; 0 for ids from before sequences (the oldest)."""
    m = _SEQUENCE.match(path.name)
    return int(m.group(1)) if m else 0


def next_sequence(snap_dir: Path) -> int:
    """One more than any snapshot on disk or recorded (a counter file survives pruning)."""
    counter = snap_dir.parent / "snapshot-sequence"  # beside the folder: it holds snapshots only
    try:
        recorded = int(counter.read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        recorded = 0
    seq = max([recorded, *(sequence(p) for p in snap_dir.glob("*.duckdb"))]) + 1
    tmp = snap_dir.parent / ".snapshot-sequence.tmp"
    tmp.write_text(f"{seq}\n")
    os.replace(tmp, counter)
    return seq


def prune(snap_dir: Path, keep: int, current: Path | None = None) -> list[Path]:
    """Keep the newest ``keep`` snapshots by sequence (and their Parquet exports), never
    ``current``; clear half-built ones."""
    snaps = sorted(snap_dir.glob("*.duckdb"), key=lambda p: (sequence(p), p.name))
    removed = [p for p in (snaps[:-keep] if keep > 0 else []) if p != current]
    parquet_dir = snap_dir.parent / "parquet"
    live = parquet_dir / "current"
    live_target = live.resolve().name if live.is_symlink() else None
    for old in removed:
        old.unlink(missing_ok=True)  # readers holding it open keep reading it (POSIX)
        if old.stem != live_target:
            shutil.rmtree(parquet_dir / old.stem, ignore_errors=True)
    # A run killed mid-publish leaves ``.<id>.building`` and DuckDB's ``.<id>.building.wal``
    # (snapshots), or a ``.<id>.building`` folder (Parquet): every such name, never a snapshot.
    for stale in [*snap_dir.glob(".*.building*"), *parquet_dir.glob(".*.building*")]:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
    return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def snapshot_info(path: Path) -> dict[str, object] | None:
    """Id, time and ``synthetic`` flag of the snapshot at ``path`` (None when nothing is
    published yet). Snapshots published before the flag existed read as not synthetic."""
    if not path.exists():
        return None
    con = open_db(path, read_only=True)
    try:
        row = read_snapshot_row(con)
    finally:
        con.close()
    if row is None:
        return None
    return {k: row[k] for k in ("snapshot_id", "created_at", "synthetic")}


def read_snapshot_row(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The row of ``meta.snapshot`` by column name; ``synthetic`` is False in snapshots published
    before the flag existed (they predate the demo's marking, not proof of real data)."""
    cursor = con.execute("SELECT * FROM meta.snapshot")
    row = cursor.fetchone()
    if row is None:
        return None
    record = dict(zip([d[0] for d in cursor.description], row, strict=True))
    record["synthetic"] = bool(record.get("synthetic") or False)
    return record
