"""Read-only, cached queries for the routes page (``marts.route_flows``, ``marts.route_corridors``).

Same rules as :mod:`dashboards.queries`: the :class:`~dashboards.queries.Snapshot` identity keys
the cache, each query opens the snapshot read-only, and filter values reach SQL only as bound
parameters. Sums over the chosen years are done here, in SQL, never in the page.

The route marts carry ISO3 codes but no region; a region filter uses the pipeline's own
ISO3 -> UNODC region reference (``drugtrends/reference/unodc_regions.csv``), passed as a list.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import WORLD, Measure
from dashboards.queries import CACHE, Snapshot, read
from drugtrends.reference import iso3_to_region


def region_members(area: str) -> list[str]:
    """ISO3 codes of a UNODC region ([] for anything else, e.g. a forged URL value)."""
    return sorted(iso3 for iso3, region in iso3_to_region().items() if region == area)


def _area_params(area: str) -> dict[str, object]:
    return {"world": area == WORLD, "members": region_members(area)}


@st.cache_data(**CACHE)
def years(snap: Snapshot) -> list[int]:
    """Years with case-level route data, ascending."""
    return read(snap, "SELECT DISTINCT year FROM marts.route_flows ORDER BY year")["year"].to_list()


@st.cache_data(**CACHE)
def drug_groups(snap: Snapshot) -> list[str]:
    """Drug groups with route data, most seizures first (unmapped drug names have no group)."""
    return read(
        snap,
        """
        SELECT drug_group FROM marts.route_flows
        WHERE drug_group IS NOT NULL
        GROUP BY drug_group
        ORDER BY sum(seizures) DESC, drug_group
    """,
    )["drug_group"].to_list()


@st.cache_data(**CACHE)
def flows(snap: Snapshot, area: str, group: str, first_year: int, last_year: int) -> pl.DataFrame:
    """Departure -> seizing -> destination country (null = unknown end), summed over the years,
    for seizures made in ``area`` (the World or a region). Largest first."""
    return read(
        snap,
        """
        SELECT
            departure_iso3,
            seizing_iso3,
            destination_iso3,
            sum(seizures)::BIGINT AS seizures,
            sum(seizures_with_kg)::BIGINT AS seizures_with_kg,
            sum(kg_equivalent) AS kg_equivalent
        FROM marts.route_flows
        WHERE drug_group = $group
          AND year BETWEEN $first AND $last
          AND ($world OR list_contains($members::VARCHAR[], seizing_iso3))
        GROUP BY ALL
        HAVING sum(seizures) > 0
        ORDER BY seizures DESC, kg_equivalent DESC, departure_iso3, seizing_iso3, destination_iso3
    """,
        {"group": group, "first": first_year, "last": last_year, **_area_params(area)},
    )


@st.cache_data(**CACHE)
def flow_summary(
    snap: Snapshot, area: str, group: str, first_year: int, last_year: int
) -> dict[str, float]:
    """Totals behind the page's notes: seizures, how many have a known departure, destination
    or both, how many have a kilogram equivalent, and duplicate rows left out."""
    frame = read(
        snap,
        """
        SELECT
            coalesce(sum(seizures), 0)::BIGINT AS seizures,
            coalesce(sum(seizures_incl_duplicates - seizures), 0)::BIGINT AS duplicates,
            coalesce(sum(seizures) FILTER (WHERE departure_iso3 IS NOT NULL), 0)::BIGINT
                AS known_departure,
            coalesce(sum(seizures) FILTER (WHERE destination_iso3 IS NOT NULL), 0)::BIGINT
                AS known_destination,
            coalesce(sum(seizures) FILTER (
                WHERE departure_iso3 IS NOT NULL AND destination_iso3 IS NOT NULL), 0)::BIGINT
                AS known_both,
            coalesce(sum(seizures_with_kg), 0)::BIGINT AS seizures_with_kg,
            coalesce(sum(kg_equivalent), 0) AS kg_equivalent
        FROM marts.route_flows
        WHERE drug_group = $group
          AND year BETWEEN $first AND $last
          AND ($world OR list_contains($members::VARCHAR[], seizing_iso3))
    """,
        {"group": group, "first": first_year, "last": last_year, **_area_params(area)},
    )
    return frame.row(0, named=True)


# Corridors of the group and years that leave from or lead to the area, with shares over ALL
# seizures of the group in those years (every seizing country, unknown routes included), as the
# mart defines them for one year. Top ``limit`` by the measure.
_TOP_CORRIDORS = """
    WITH totals AS (
        SELECT sum(seizures) AS all_seizures, sum(kg_equivalent) AS all_kg
        FROM marts.route_flows
        WHERE drug_group = $group AND year BETWEEN $first AND $last
    ),
    chosen AS (
        SELECT *
        FROM marts.route_corridors
        WHERE drug_group = $group
          AND year BETWEEN $first AND $last
          AND ($world
               OR list_contains($members::VARCHAR[], departure_iso3)
               OR list_contains($members::VARCHAR[], destination_iso3))
    ),
    corridors AS (
        SELECT departure_iso3, destination_iso3,
               sum(seizures)::BIGINT AS seizures, sum(kg_equivalent) AS kg_equivalent
        FROM chosen
        GROUP BY ALL
    ),
    top AS (
        SELECT *, row_number() OVER (
            ORDER BY CASE WHEN $measure = 'kg' THEN kg_equivalent ELSE seizures END DESC,
                     seizures DESC, departure_iso3, destination_iso3) AS rank
        FROM corridors
        QUALIFY rank <= $limit
    ),
    modes AS (
        SELECT c.departure_iso3, c.destination_iso3, m.transport,
               sum(m.seizures)::BIGINT AS seizures, sum(m.kg_equivalent) AS kg_equivalent
        FROM chosen AS c, unnest(c.transport_mix) AS u(m)
        GROUP BY ALL
    )
"""


@st.cache_data(**CACHE)
def corridors(
    snap: Snapshot,
    area: str,
    group: str,
    first_year: int,
    last_year: int,
    measure: Measure,
    limit: int,
) -> pl.DataFrame:
    """The top corridors (departure -> a different destination, both reported)."""
    return read(
        snap,
        _TOP_CORRIDORS
        + """
        SELECT
            t.rank,
            t.departure_iso3,
            t.destination_iso3,
            t.seizures,
            t.kg_equivalent,
            t.seizures / totals.all_seizures AS share_of_seizures,
            CASE WHEN totals.all_kg > 0 THEN t.kg_equivalent / totals.all_kg END AS share_of_kg,
            (SELECT first(m.transport ORDER BY m.seizures DESC, m.transport)
             FROM modes AS m
             WHERE m.departure_iso3 = t.departure_iso3
               AND m.destination_iso3 = t.destination_iso3) AS main_transport
        FROM top AS t, totals
        ORDER BY t.rank
    """,
        _corridor_params(area, group, first_year, last_year, measure, limit),
    )


@st.cache_data(**CACHE)
def corridor_transport(
    snap: Snapshot,
    area: str,
    group: str,
    first_year: int,
    last_year: int,
    measure: Measure,
    limit: int,
) -> pl.DataFrame:
    """Transport modes of the same top corridors: one row per corridor and mode."""
    return read(
        snap,
        _TOP_CORRIDORS
        + """
        SELECT t.rank, m.departure_iso3, m.destination_iso3, m.transport, m.seizures,
               m.kg_equivalent
        FROM modes AS m
        JOIN top AS t USING (departure_iso3, destination_iso3)
        ORDER BY t.rank, m.seizures DESC, m.transport
    """,
        _corridor_params(area, group, first_year, last_year, measure, limit),
    )


def _corridor_params(
    area: str, group: str, first_year: int, last_year: int, measure: Measure, limit: int
) -> dict[str, object]:
    return {
        "group": group,
        "first": first_year,
        "last": last_year,
        "measure": measure,
        "limit": limit,
        **_area_params(area),
    }
