"""Core -> marts: each mart is one SELECT in ``sql/<mart>.sql``, built as ``marts.<mart>``.

A mart that is not set-based (a statistical test per series) is a Python function instead
(``PYTHON_MARTS``). The SQL can read the versioned reference tables as ``ref_<name>`` (e.g.
``ref_trend_thresholds``): thresholds and readings are data, not literals in the SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import duckdb
import polars as pl

from drugtrends.warehouse import arrow, read_checked, scalar, transaction

# Mart -> what it reads (core datasets or marts listed before it). Build in this order.
MARTS: dict[str, tuple[str, ...]] = {
    "annual_seizures_by_subgroup": ("annual_seizures",),
    "seizure_trends": ("annual_seizures_by_subgroup",),
    "series_definitions": (),
    "seizure_series": ("annual_seizures_by_subgroup", "annual_seizures"),
    "seizure_cases": ("individual_seizures",),
    "route_flows": ("seizure_cases",),
    "route_legs": ("seizure_cases",),
    "route_corridors": ("seizure_cases",),
    "reporting_coverage": ("seizure_series", "seizure_cases"),
    # Trend intelligence (issue 11): trend_series is the one series input, the headline series.
    "trend_series": ("seizure_series", "annual_seizures_by_subgroup"),
    "trend_tests": ("trend_series",),
    "alerts": ("trend_series", "route_corridors"),
    "price_trends": ("drug_prices",),
    "seizures_and_prices": ("trend_series", "price_trends"),
    "seizures_per_capita": ("trend_series", "population"),
    "snapshot_changes": ("annual_seizures", "trend_series", "alerts"),
}

# Inputs a mart can do without (a dataset with no source yet): the mart is still built, from the
# parts of it whose inputs exist (PARTS), e.g. alerts without case-level data has no corridors.
OPTIONAL_INPUTS: dict[str, frozenset[str]] = {
    "alerts": frozenset({"route_corridors"}),
    "snapshot_changes": frozenset({"alerts"}),
}
# A mart built as the union (by column name) of several SELECTs, each with the inputs it needs.
PARTS: dict[str, dict[str, tuple[str, ...]]] = {
    "alerts": {
        "alerts_series": ("trend_series",),
        "alerts_corridors": ("route_corridors",),
    },
}

# Marts that are a Python function of the connection (returning the rows) instead of a SELECT.
PYTHON_MARTS: dict[str, Callable[[duckdb.DuckDBPyConnection], pl.DataFrame]] = {}
# Steps run inside a mart's build transaction before its SELECT (e.g. the comparison basis).
BEFORE: dict[str, Callable[[duckdb.DuckDBPyConnection], None]] = {}


def _register_python_marts() -> None:
    from drugtrends.marts import changes, trend_tests

    PYTHON_MARTS.setdefault("trend_tests", trend_tests.build)
    BEFORE.setdefault("snapshot_changes", changes.prepare_basis)


def register_references(con: duckdb.DuckDBPyConnection) -> None:
    """Expose every reference CSV to the marts' SQL as ``ref_<name>`` (text columns)."""
    from drugtrends import reference

    for name in reference.table_names():
        con.register(f"ref_{name}", reference.load(name).to_arrow())
    con.register("ref_country_names", country_names().to_arrow())
    con.execute(mart_sql("_macros"))


def country_names() -> pl.DataFrame:
    """ISO3 -> short English name (country_converter), for the marts' readable sentences."""
    from drugtrends.core.normalise import _converter

    data = _converter().data
    return pl.DataFrame(
        {"iso3": data["ISO3"].astype(str).tolist(), "name": data["name_short"].astype(str).tolist()}
    ).unique("iso3", keep="first")


def missing_inputs(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Tables a mart needs that do not exist yet, e.g. a dataset no region has a source for
    (the mart is then skipped rather than failed)."""
    from drugtrends.warehouse import table_exists

    optional = OPTIONAL_INPUTS.get(name, frozenset())
    needed = [_qualified(src) for src in MARTS[name] if src not in optional]
    return [t for t in needed if not table_exists(con, *t.split("."))]


def _qualified(src: str) -> str:
    return f"marts.{src}" if src in MARTS else f"core.{src}"


def available(con: duckdb.DuckDBPyConnection, inputs: tuple[str, ...]) -> bool:
    from drugtrends.warehouse import table_exists

    return all(table_exists(con, *_qualified(src).split(".")) for src in inputs)


def union_sql(con: duckdb.DuckDBPyConnection, parts: dict[str, tuple[str, ...]]) -> str:
    """The parts whose inputs exist, as one UNION ALL BY NAME (the first part is required)."""
    chosen = [p for i, (p, needs) in enumerate(parts.items()) if i == 0 or available(con, needs)]
    return " UNION ALL BY NAME ".join(f"({mart_sql(p)})" for p in chosen)


class MartRejected(Exception):
    """The rebuilt mart broke its contract; the previous version was kept."""


def mart_sql(name: str) -> str:
    return (resources.files("drugtrends.marts.sql") / f"{name}.sql").read_text(encoding="utf-8")


def build_mart(
    con: duckdb.DuckDBPyConnection,
    name: str,
    accept: Callable[[pl.DataFrame, int], str | None] | None = None,
    *,
    sample_rows: int | None = None,
) -> int:
    """(Re)build ``marts.<name>`` in one transaction.

    ``accept`` sees the new rows before commit (with ``sample_rows``, a sample of that many,
    and the mart's row count) and returns a reason to reject them (or None); a rejected build
    is rolled back, so the previous mart stays and nothing half-built is read.
    """
    _register_python_marts()
    register_references(con)
    with transaction(con):
        if name in BEFORE:
            BEFORE[name](con)
        if name in PYTHON_MARTS:
            con.register("_mart_rows", arrow(PYTHON_MARTS[name](con)))
            try:
                con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS SELECT * FROM _mart_rows")
            finally:
                con.unregister("_mart_rows")
        else:
            sql = union_sql(con, PARTS[name]) if name in PARTS else mart_sql(name)
            con.execute(f"CREATE OR REPLACE TABLE marts.{name} AS {sql}")
        if accept is not None:
            reason = accept(*read_checked(con, f"marts.{name}", sample_rows))
            if reason:
                raise MartRejected(f"marts.{name}: {reason}")
        rows = scalar(con, f"SELECT count(*) FROM marts.{name}")
    return int(rows)
