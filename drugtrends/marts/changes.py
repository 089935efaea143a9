"""What changed since the previous published snapshot: the comparison basis and its history.

The basis is one long table (``history.pending_basis``): every figure a change can be reported
on, keyed by grain, dataset, level, area, series, detail and year, with its value, unit and the
source files behind it. Its parts are one SELECT each (``sql/basis_*.sql``); a part whose input
does not exist yet (e.g. no price source) is left out.

``prepare_basis`` (run before ``marts.snapshot_changes`` is built) computes the basis of the data
about to be published; ``sql/snapshot_changes.sql`` compares it with ``history.published_basis``,
the basis of the snapshot published last. ``promote_basis`` (run by ``publish`` after the swap)
makes the new basis the published one. The basis lives in the warehouse, not in the snapshot
files, so the comparison survives snapshots being pruned; a failed publish never promotes, so the
next run still compares with what readers last saw.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from drugtrends.warehouse import table_exists, transaction

BASIS_PARTS: dict[str, tuple[str, ...]] = {
    "basis_series": ("trend_series",),
    "basis_coverage": ("trend_series",),
    "basis_rows": ("annual_seizures",),
    "basis_alerts": ("alerts",),
    "basis_prices": ("drug_prices",),
}


def prepare_basis(con: duckdb.DuckDBPyConnection) -> None:
    from drugtrends.marts.build import union_sql

    con.execute("CREATE SCHEMA IF NOT EXISTS history")
    con.execute(f"CREATE OR REPLACE TABLE history.pending_basis AS {union_sql(con, BASIS_PARTS)}")
    if not table_exists(con, "history", "published_basis"):
        con.execute(
            "CREATE TABLE history.published_basis AS SELECT *, NULL::VARCHAR AS snapshot_id, "
            "NULL::TIMESTAMPTZ AS published_at FROM history.pending_basis LIMIT 0"
        )


def promote_basis(con: duckdb.DuckDBPyConnection, snapshot_id: str) -> bool:
    """After a publish: the pending basis becomes the one the next snapshot is compared with."""
    if not table_exists(con, "history", "pending_basis"):
        return False
    with transaction(con):
        promote_in_transaction(con, snapshot_id)
    return True


def promote_in_transaction(con: duckdb.DuckDBPyConnection, snapshot_id: str) -> None:
    """``promote_basis`` inside the caller's transaction (DuckLake: the publishing commit)."""
    if not table_exists(con, "history", "pending_basis"):
        return
    con.execute("DELETE FROM history.published_basis")
    con.execute(
        "INSERT INTO history.published_basis SELECT *, ?, ? FROM history.pending_basis",
        [snapshot_id, datetime.now(UTC)],
    )
