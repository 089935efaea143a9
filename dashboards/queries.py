"""Read-only, cached queries on the published snapshot.

Every function takes the :class:`Snapshot` identity as its first argument, and ``st.cache_data``
keys on it: the pipeline replaces ``current.duckdb`` with ``os.replace``, which gives the path a
new inode (and mtime), so the next page render stats a new identity and misses the cache. Nothing
has to be cleared by hand and no restart is needed.

Each query opens the file read-only and closes it before returning: DuckDB shares one database
instance per path within a process, so a connection held open would pin the old file.

User-controlled values (filters, URL parameters) reach SQL only as bound parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl
import streamlit as st

from dashboards import WORLD
from drugtrends.serving.snapshot import read_snapshot_row
from drugtrends.settings import get_settings
from drugtrends.warehouse import open_db, read_frame

# Bounded memory: every snapshot identity makes new entries; old ones age out. Every query module
# (this one, ``route_queries``, ``quality_queries``) decorates with ``st.cache_data(**CACHE)``.
CACHE = {"max_entries": 64, "show_spinner": False}
# Snapshot ids as the pipeline writes them: a time stamp, optionally after a sequence number.
SNAPSHOT_ID = re.compile(r"(\d{6}-)?\d{8}T\d{12}Z")


class Snapshot(NamedTuple):
    """Identity of one published file (two never share inode and mtime), or of one DuckLake
    publication (its catalog version)."""

    path: str
    inode: int
    mtime_ns: int
    size: int
    version: int | None = None


class SnapshotMeta(NamedTuple):
    snapshot_id: str
    created_at: datetime
    run_id: str
    synthetic: bool = False  # the pipeline's sources marked the data as invented (the demo)


def current(path: Path | None = None) -> Snapshot | None:
    """The snapshot now at ``path`` (default: the settings' current snapshot), None if none yet."""
    settings = get_settings()
    if path is None and settings.warehouse == "ducklake":
        from drugtrends.serving.lake import current_version

        version = current_version(settings)
        return None if version is None else Snapshot("ducklake", 0, 0, 0, version)
    path = path or settings.current_snapshot
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return Snapshot(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def kept(snapshot_id: str, published_dir: Path | None = None) -> Snapshot | None:
    """An older published snapshot still on disk (``published/snapshots/<id>.duckdb``), None
    when it has been pruned. ``snapshot_id`` must already be checked against
    :data:`SNAPSHOT_ID` (it becomes part of a path)."""
    if not SNAPSHOT_ID.fullmatch(snapshot_id):
        return None
    folder = published_dir or get_settings().published_dir
    return current(folder / "snapshots" / f"{snapshot_id}.duckdb")


@contextmanager
def _connect(snap: Snapshot) -> Iterator[duckdb.DuckDBPyConnection]:
    if snap.version is not None:  # pinned to the publication's version: it never moves
        from drugtrends.lakehouse import connect

        con = connect(get_settings(), version=snap.version)
    else:
        con = open_db(Path(snap.path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def read(
    snap: Snapshot, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
) -> pl.DataFrame:
    """Run one SELECT on the snapshot, read-only; values only as ``params`` (``?`` or ``$name``)."""
    with _connect(snap) as con:
        return read_frame(con, sql, params)  # type: ignore[arg-type]  # DuckDB takes a dict too


def _level(area: str) -> str:
    return "global" if area == WORLD else "region"


@st.cache_data(**CACHE)
def snapshot_meta(snap: Snapshot) -> SnapshotMeta | None:
    """The snapshot's id, creation time, pipeline run (for the "as of" line) and whether its
    data is synthetic (recorded by the pipeline from the sources file, never guessed here)."""
    with _connect(snap) as con:
        row = read_snapshot_row(con)
    if row is None:
        return None
    return SnapshotMeta(row["snapshot_id"], row["created_at"], row["run_id"], row["synthetic"])


@st.cache_data(**CACHE)
def missing_tables(snap: Snapshot, tables: Sequence[str]) -> list[str]:
    """Which of ``tables`` ("schema.table") the snapshot lacks, e.g. the route marts when no
    case-level source was configured (the pipeline then skips them)."""
    present = set(
        read(
            snap,
            """
        SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE list_contains(?::VARCHAR[], table_schema || '.' || table_name)
    """,
            [list(tables)],
        )["name"].to_list()
    )
    return [table for table in tables if table not in present]


@st.cache_data(**CACHE)
def drug_groups(snap: Snapshot) -> list[str]:
    """Drug groups in the snapshot, largest global quantity first (a stable order for colours)."""
    frame = read(
        snap,
        """
        SELECT drug_group
        FROM marts.seizure_trends
        WHERE level = 'global' AND grain = 'drug_group'
        GROUP BY drug_group
        ORDER BY sum(kg) DESC NULLS LAST, drug_group
    """,
    )
    return frame["drug_group"].to_list()


@st.cache_data(**CACHE)
def years(snap: Snapshot) -> list[int]:
    """Every year with data, ascending."""
    frame = read(
        snap,
        """
        SELECT DISTINCT year FROM marts.seizure_trends
        WHERE level = 'global' AND grain = 'drug_group' ORDER BY year
    """,
    )
    return frame["year"].to_list()


# The rows of the most recent year with data among those the WHERE clause keeps.
LATEST = "QUALIFY year = max(year) OVER ()"

TREND_COLUMNS = """
    area_name, drug_group, year, kg, countries_reporting, kg_previous_year, yoy_change_kg,
    yoy_change_pct, share_of_global, yoy_flag
"""


def _group_rows(
    snap: Snapshot,
    area: str,
    groups: Sequence[str],
    first_year: int,
    last_year: int,
    *,
    latest: bool,
    order_by: str,
) -> pl.DataFrame:
    """Drug-group rows of one area within the year range (only its most recent year with data
    if ``latest``), ordered by ``order_by`` (this module's SQL; the filters are parameters)."""
    return read(
        snap,
        f"""
        SELECT {TREND_COLUMNS}
        FROM marts.seizure_trends
        WHERE grain = 'drug_group' AND level = ? AND area = ?
          AND list_contains(?::VARCHAR[], drug_group)
          AND year BETWEEN ? AND ?
        {LATEST if latest else ""}
        ORDER BY {order_by}
    """,
        [_level(area), area, list(groups), first_year, last_year],
    )


@st.cache_data(**CACHE)
def group_trends(
    snap: Snapshot, area: str, groups: Sequence[str], first_year: int, last_year: int
) -> pl.DataFrame:
    """Yearly quantity by drug group for the World or one region, within the year range."""
    return _group_rows(
        snap, area, groups, first_year, last_year, latest=False, order_by="drug_group, year"
    )


@st.cache_data(**CACHE)
def latest_year(
    snap: Snapshot, area: str, groups: Sequence[str], first_year: int, last_year: int
) -> pl.DataFrame:
    """The most recent year with data in the range, one row per drug group, largest first."""
    return _group_rows(
        snap,
        area,
        groups,
        first_year,
        last_year,
        latest=True,
        order_by="kg DESC NULLS LAST, drug_group",
    )


@st.cache_data(**CACHE)
def series_catalogue(snap: Snapshot) -> pl.DataFrame:
    """Every headline series in the snapshot with its family, definition and display order."""
    return read(
        snap,
        """
        SELECT series_id, any_value(series) AS series, any_value(family) AS family,
               any_value(headline) AS headline, any_value(sort_order) AS sort_order,
               any_value(definition) AS definition
        FROM marts.seizure_series
        WHERE level = 'global'
        GROUP BY series_id
        ORDER BY sort_order, series_id
    """,
    )


@st.cache_data(**CACHE)
def group_definitions(snap: Snapshot) -> dict[str, str]:
    """Drug group -> its one-line definition (``marts.series_definitions``), {} without it."""
    if missing_tables(snap, ["marts.series_definitions"]):
        return {}
    frame = read(
        snap,
        "SELECT key, definition FROM marts.series_definitions WHERE kind = 'drug_group'",
    )
    return dict(zip(frame["key"].to_list(), frame["definition"].to_list(), strict=True))


SERIES_COLUMNS = """
    area_name, series_id, series, family, definition, sort_order, year, kg,
    countries_reporting, usual_reporters, coverage_share, low_coverage, kg_previous_year,
    yoy_change_kg, yoy_change_pct, yoy_like_for_like_pct, countries_both_years, yoy_flag,
    share_of_global, source_rows
"""


def _series_rows(
    snap: Snapshot,
    area: str,
    names: Sequence[str],
    first_year: int,
    last_year: int,
    *,
    latest: bool,
    order_by: str,
) -> pl.DataFrame:
    """Rows of the named series in one area within the year range (only its most recent year
    with data if ``latest``), ordered by ``order_by`` (this module's SQL; the filters are
    parameters)."""
    return read(
        snap,
        f"""
        SELECT {SERIES_COLUMNS}
        FROM marts.seizure_series
        WHERE level = ? AND area = ?
          AND list_contains(?::VARCHAR[], series)
          AND year BETWEEN ? AND ?
        {LATEST if latest else ""}
        ORDER BY {order_by}
    """,
        [_level(area), area, list(names), first_year, last_year],
    )


@st.cache_data(**CACHE)
def series_trends(
    snap: Snapshot, area: str, names: Sequence[str], first_year: int, last_year: int
) -> pl.DataFrame:
    """Yearly quantity of the chosen series for the World or one region, with its flags."""
    return _series_rows(
        snap, area, names, first_year, last_year, latest=False, order_by="sort_order, year"
    )


@st.cache_data(**CACHE)
def series_latest(
    snap: Snapshot, area: str, names: Sequence[str], first_year: int, last_year: int
) -> pl.DataFrame:
    """The most recent year with data in the range, one row per chosen series, series order."""
    return _series_rows(
        snap, area, names, first_year, last_year, latest=True, order_by="sort_order"
    )
