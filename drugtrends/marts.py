"""Core -> marts: each mart is one SELECT in ``sql/<mart>.sql``, materialised as ``marts.<mart>``."""

from __future__ import annotations

from importlib import resources

import duckdb

# Build order: a mart may read the marts listed before it.
MARTS: dict[str, tuple[str, ...]] = {
    "annual_seizures_by_subgroup": ("annual_seizures",),
    "seizure_trends": ("annual_seizures",),
}


def mart_sql(name: str) -> str:
    return (resources.files("drugtrends.sql") / f"{name}.sql").read_text(encoding="utf-8")


def build_mart(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """(Re)build ``marts.<name>`` atomically; readers of the warehouse never see it half-built."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS {mart_sql(name)}")
        rows = con.execute(f"SELECT count(*) FROM marts.{name}").fetchone()[0]
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return int(rows)
