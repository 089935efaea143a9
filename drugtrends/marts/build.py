"""Core -> marts: each mart is one SELECT in ``sql/<mart>.sql``, built as ``marts.<mart>``."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import duckdb
import polars as pl

from drugtrends.warehouse import read_frame, scalar, transaction

# Mart -> what it reads (core datasets or marts listed before it). Build in this order.
MARTS: dict[str, tuple[str, ...]] = {
    "annual_seizures_by_subgroup": ("annual_seizures",),
    "seizure_trends": ("annual_seizures_by_subgroup",),
    "route_flows": ("individual_seizures",),
    "route_legs": ("individual_seizures",),
    "route_corridors": ("individual_seizures",),
}


def missing_inputs(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Tables a mart needs that do not exist yet, e.g. a dataset no region has a source for
    (the mart is then skipped rather than failed)."""
    from drugtrends.warehouse import table_exists

    needed = [("marts" if src in MARTS else "core", src) for src in MARTS[name]]
    return [f"{schema}.{table}" for schema, table in needed if not table_exists(con, schema, table)]


class MartRejected(Exception):
    """The rebuilt mart broke its contract; the previous version was kept."""


def mart_sql(name: str) -> str:
    return (resources.files("drugtrends.marts.sql") / f"{name}.sql").read_text(encoding="utf-8")


def build_mart(
    con: duckdb.DuckDBPyConnection,
    name: str,
    accept: Callable[[pl.DataFrame], str | None] | None = None,
) -> int:
    """(Re)build ``marts.<name>`` in one transaction.

    ``accept`` sees the new rows before commit and returns a reason to reject them (or None);
    a rejected build is rolled back, so the previous mart stays and nothing half-built is read.
    """
    with transaction(con):
        con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS {mart_sql(name)}")
        if accept is not None:
            reason = accept(read_frame(con, f"SELECT * FROM marts.{name}"))
            if reason:
                raise MartRejected(f"marts.{name}: {reason}")
        rows = scalar(con, f"SELECT count(*) FROM marts.{name}")
    return int(rows)
