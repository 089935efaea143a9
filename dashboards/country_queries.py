"""Country-profile queries on the published snapshot: the country's drug prices, the alerts on
its figures and what the newest snapshot changed in them. Each returns no rows when the snapshot
does not hold the mart."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards.queries import CACHE, Snapshot, missing_tables, read


def _has(snap: Snapshot, table: str) -> bool:
    return not missing_tables(snap, [table])


@st.cache_data(**CACHE)
def country_prices(snap: Snapshot, iso3: str) -> pl.DataFrame:
    """The country's drug prices (``marts.price_trends``) per series, level of sale and year,
    newest first; no rows when the snapshot holds no prices."""
    if not _has(snap, "marts.price_trends"):
        return pl.DataFrame()
    return read(
        snap,
        """
        SELECT series, level_of_sale, year, typical_usd_per_gram, minimum_usd_per_gram,
               maximum_usd_per_gram, yoy_change_pct, source_files
        FROM marts.price_trends WHERE country_iso3 = ?
        ORDER BY series, level_of_sale, year DESC
    """,
        [iso3],
    )


@st.cache_data(**CACHE)
def country_alerts(snap: Snapshot, iso3: str) -> pl.DataFrame:
    """The alerts (``marts.alerts``) raised on the country's own figures, newest year first."""
    if not _has(snap, "marts.alerts"):
        return pl.DataFrame()
    return read(
        snap,
        """
        SELECT kind, level, area, area_name, series, year, sentence, source_files
        FROM marts.alerts WHERE level = 'country' AND area = ?
        ORDER BY year DESC, series, kind
    """,
        [iso3],
    )


@st.cache_data(**CACHE)
def country_changes(snap: Snapshot, iso3: str) -> pl.DataFrame:
    """What the newest snapshot changed in the country's figures (``marts.snapshot_changes``):
    revised, removed and new values with the old and the new."""
    if not _has(snap, "marts.snapshot_changes"):
        return pl.DataFrame()
    return read(
        snap,
        """
        SELECT kind, series, detail, year, old_value, new_value, unit, description
        FROM marts.snapshot_changes WHERE area = ?
        ORDER BY year DESC, series, kind
    """,
        [iso3],
    )
