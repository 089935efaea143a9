"""Publishing on DuckLake: a published snapshot is a tagged catalog version.

Publishing commits ``meta.snapshot`` (id, time, run, row counts) in one DuckLake commit whose
message is ``publish <snapshot id>`` and whose extra info holds the run id. That commit's
version *is* the published snapshot: readers attach read-only pinned to it
(``SNAPSHOT_VERSION``), so what they see never moves under them, and a snapshot id (e.g. from a
dashboard URL) maps to its version through the commit log. Versions older than the oldest of
the newest ``keep`` publications are expired and their unreferenced files deleted.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb

from drugtrends import lakehouse
from drugtrends.marts.changes import promote_in_transaction
from drugtrends.settings import Settings
from drugtrends.warehouse import first_row, sql_string

PUBLISH_PREFIX = "publish "


def publications(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, datetime]]:
    """(version, snapshot id, time) of every publication still in the catalog, newest first."""
    rows = con.execute(
        f"""
        SELECT snapshot_id, substr(commit_message, {len(PUBLISH_PREFIX) + 1}), snapshot_time
        FROM {lakehouse.ALIAS}.snapshots()
        WHERE author = ? AND starts_with(commit_message, ?)
        ORDER BY snapshot_id DESC
        """,
        [lakehouse.AUTHOR, PUBLISH_PREFIX],
    ).fetchall()
    return [(int(v), sid, at) for v, sid, at in rows]


def version_of(con: duckdb.DuckDBPyConnection, snapshot_id: str | None = None) -> int | None:
    """The DuckLake version of publication ``snapshot_id`` (default: the newest), or None."""
    for version, sid, _ in publications(con):
        if snapshot_id is None or sid == snapshot_id:
            return version
    return None


def publish(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    tables: list[str],
    *,
    keep: int,
    retries: int,
    synthetic: bool = False,
) -> tuple[str, datetime, dict[str, int], int]:
    """Tag a new published version of ``tables``; return (id, time, row counts, version)."""
    created = datetime.now(UTC)
    snap_id = created.strftime("%Y%m%dT%H%M%S%fZ")

    def tag(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        # Counted in the publishing transaction: exactly what the tagged version holds.
        counts = {t: int(first_row(con, f"SELECT count(*) FROM {t}")[0]) for t in tables}  # type: ignore[index]
        con.execute(
            "CREATE OR REPLACE TABLE meta.snapshot AS SELECT ?::VARCHAR AS snapshot_id, "
            "?::TIMESTAMPTZ AS created_at, ?::VARCHAR AS run_id, ?::JSON AS tables, "
            "?::BOOLEAN AS synthetic",
            [snap_id, created, run_id, json.dumps(counts), synthetic],
        )
        # What the next publication's changes are compared with: this one, in the same commit.
        promote_in_transaction(con, snap_id)
        return counts

    counts = lakehouse.commit(
        con,
        tag,
        message=PUBLISH_PREFIX + snap_id,
        extra_info=json.dumps({"snapshot_id": snap_id, "run_id": run_id}),
        retries=retries,
    )
    version = version_of(con, snap_id)
    assert version is not None, "the publication just committed is in the log"
    expire(con, keep)
    return snap_id, created, counts, version


def expire(con: duckdb.DuckDBPyConnection, keep: int) -> list[int]:
    """Expire every version older than the oldest of the newest ``keep`` publications, then
    delete the data files no remaining version needs. Returns the expired versions."""
    kept = publications(con)[:keep]
    if len(kept) < keep:
        return []
    oldest = kept[-1][0]
    old = [
        int(r[0])
        for r in con.execute(
            f"SELECT snapshot_id FROM {lakehouse.ALIAS}.snapshots() WHERE snapshot_id < ?",
            [oldest],
        ).fetchall()
    ]
    if old:
        con.execute(
            f"CALL ducklake_expire_snapshots({sql_string(lakehouse.ALIAS)}, versions => ?)",
            [old],
        )
        con.execute(
            f"CALL ducklake_cleanup_old_files({sql_string(lakehouse.ALIAS)}, cleanup_all => true)"
        )
    return old


def connect_published(
    settings: Settings, snapshot_id: str | None = None
) -> tuple[duckdb.DuckDBPyConnection, int] | None:
    """A read-only connection pinned to publication ``snapshot_id`` (default: the newest) and
    its version; None when nothing (or not that snapshot) is published."""
    version = current_version(settings, snapshot_id)
    if version is None:
        return None
    return lakehouse.connect(settings, version=version), version


def current_version(settings: Settings, snapshot_id: str | None = None) -> int | None:
    """The version of publication ``snapshot_id`` (default: the newest), or None."""
    con = lakehouse.connect(settings, read_only=True)
    try:
        return version_of(con, snapshot_id)
    finally:
        con.close()
