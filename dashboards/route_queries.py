"""Read-only, cached queries for the routes page (``marts.route_flows``, ``marts.route_corridors``).

The page selects a headline series (``series_id``: coca leaf is never cocaine), and can leave out
the seizures ``marts.seizure_cases`` flags as outliers (``exclude_outliers``). One rule for the
diagram, the map and the corridors: domestic movements (departure = destination country) are
left out of all three; the totals above them count every seizure.

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
def series_options(snap: Snapshot) -> pl.DataFrame:
    """Series with route data (``series_id``, ``series``, ``definition``), most seizures first;
    unmapped drug names have no series. The definition comes from ``marts.series_definitions``
    when the snapshot has it."""
    has_definitions = not read(
        snap,
        """
        SELECT 1 FROM information_schema.tables
        WHERE table_schema = 'marts' AND table_name = 'series_definitions'
    """,
    ).is_empty()
    definition = (
        "(SELECT d.definition FROM marts.series_definitions AS d "
        "WHERE d.kind = 'series' AND d.key = f.series_id)"
        if has_definitions
        else "NULL::VARCHAR"
    )
    return read(
        snap,
        f"""
        SELECT series_id, any_value(series) AS series, {definition} AS definition
        FROM marts.route_flows AS f
        WHERE series_id IS NOT NULL
        GROUP BY series_id
        ORDER BY sum(seizures) DESC, series_id
    """,
    )


# The measure of each route row, with or without the flagged outliers.
_MEASURES = """
            sum(CASE WHEN $exclude THEN seizures - outlier_seizures ELSE seizures END)::BIGINT
                AS seizures,
            sum(seizures_with_kg)::BIGINT AS seizures_with_kg,
            sum(CASE WHEN $exclude THEN kg_equivalent_excl_outliers ELSE kg_equivalent END)
                AS kg_equivalent,
            sum(outlier_seizures)::BIGINT AS outlier_seizures
"""


@st.cache_data(**CACHE)
def flows(
    snap: Snapshot,
    area: str,
    series_id: str,
    first_year: int,
    last_year: int,
    exclude_outliers: bool = False,
) -> pl.DataFrame:
    """Departure -> seizing -> destination country (null = unknown end), summed over the years,
    for seizures made in ``area`` (the World or a region), domestic movements left out.
    Largest first."""
    return read(
        snap,
        f"""
        SELECT
            departure_iso3,
            seizing_iso3,
            destination_iso3,
            {_MEASURES}
        FROM marts.route_flows
        WHERE series_id = $series
          AND NOT is_domestic
          AND year BETWEEN $first AND $last
          AND ($world OR list_contains($members::VARCHAR[], seizing_iso3))
        GROUP BY ALL
        HAVING sum(CASE WHEN $exclude THEN seizures - outlier_seizures ELSE seizures END) > 0
        ORDER BY seizures DESC, kg_equivalent DESC, departure_iso3, seizing_iso3, destination_iso3
    """,
        _params(area, series_id, first_year, last_year, exclude_outliers),
    )


def _params(
    area: str, series_id: str, first_year: int, last_year: int, exclude_outliers: bool
) -> dict[str, object]:
    return {
        "series": series_id,
        "first": first_year,
        "last": last_year,
        "exclude": exclude_outliers,
        **_area_params(area),
    }


@st.cache_data(**CACHE)
def flow_summary(
    snap: Snapshot, area: str, series_id: str, first_year: int, last_year: int
) -> dict[str, float]:
    """Totals behind the page's notes: seizures, how many have a known departure, destination
    or both, how many have a kilogram equivalent, domestic movements, flagged outliers, and
    duplicate rows left out. Every seizure of the selection counts here."""
    frame = read(
        snap,
        """
        SELECT
            coalesce(sum(seizures), 0)::BIGINT AS seizures,
            coalesce(sum(seizures) FILTER (WHERE is_domestic), 0)::BIGINT AS domestic,
            coalesce(sum(outlier_seizures), 0)::BIGINT AS outlier_seizures,
            coalesce(sum(kg_equivalent - kg_equivalent_excl_outliers), 0) AS outlier_kg,
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
        WHERE series_id = $series
          AND year BETWEEN $first AND $last
          AND ($world OR list_contains($members::VARCHAR[], seizing_iso3))
    """,
        {"series": series_id, "first": first_year, "last": last_year, **_area_params(area)},
    )
    return frame.row(0, named=True)


@st.cache_data(**CACHE)
def top_reporters(
    snap: Snapshot, area: str, series_id: str, first_year: int, last_year: int, limit: int = 3
) -> pl.DataFrame:
    """The seizing countries with the most cases in the selection and their share of its cases:
    how much of the picture comes from a few reporting countries."""
    return read(
        snap,
        """
        WITH by_country AS (
            SELECT seizing_iso3, sum(seizures)::BIGINT AS seizures
            FROM marts.route_flows
            WHERE series_id = $series
              AND year BETWEEN $first AND $last
              AND ($world OR list_contains($members::VARCHAR[], seizing_iso3))
            GROUP BY seizing_iso3
            HAVING sum(seizures) > 0
        )
        SELECT seizing_iso3, seizures, seizures / sum(seizures) OVER () AS share_of_seizures
        FROM by_country
        ORDER BY seizures DESC, seizing_iso3
        LIMIT $limit
    """,
        {
            "series": series_id,
            "first": first_year,
            "last": last_year,
            "limit": limit,
            **_area_params(area),
        },
    )


@st.cache_data(**CACHE)
def data_period(
    snap: Snapshot, area: str, series_id: str, first_year: int, last_year: int
) -> dict[str, object]:
    """First and last seizure date of the selection (``marts.seizure_cases``)."""
    return read(
        snap,
        """
        SELECT min(seizure_date) AS first_date, max(seizure_date) AS last_date
        FROM marts.seizure_cases
        WHERE series_id = $series
          AND NOT is_duplicate
          AND year BETWEEN $first AND $last
          AND ($world OR list_contains($members::VARCHAR[], country_iso3))
    """,
        {"series": series_id, "first": first_year, "last": last_year, **_area_params(area)},
    ).row(0, named=True)


# Corridors of the group and years that leave from or lead to the area, with shares over ALL
# seizures of the group in those years (every seizing country, unknown routes included), as the
# mart defines them for one year. Top ``limit`` by the measure.
_TOP_CORRIDORS = """
    WITH totals AS (
        SELECT
            sum(CASE WHEN $exclude THEN seizures - outlier_seizures ELSE seizures END)
                AS all_seizures,
            sum(CASE WHEN $exclude THEN kg_equivalent_excl_outliers ELSE kg_equivalent END)
                AS all_kg
        FROM marts.route_flows
        WHERE series_id = $series AND year BETWEEN $first AND $last
    ),
    chosen AS (
        SELECT *
        FROM marts.route_corridors
        WHERE series_id = $series
          AND year BETWEEN $first AND $last
          AND ($world
               OR list_contains($members::VARCHAR[], departure_iso3)
               OR list_contains($members::VARCHAR[], destination_iso3))
    ),
    corridors AS (
        SELECT departure_iso3, destination_iso3,
               sum(CASE WHEN $exclude THEN seizures - outlier_seizures ELSE seizures END)::BIGINT
                   AS seizures,
               sum(CASE WHEN $exclude THEN kg_equivalent_excl_outliers ELSE kg_equivalent END)
                   AS kg_equivalent,
               sum(outlier_seizures)::BIGINT AS outlier_seizures,
               sum(kg_equivalent - kg_equivalent_excl_outliers) AS outlier_kg
        FROM chosen
        GROUP BY ALL
        HAVING sum(CASE WHEN $exclude THEN seizures - outlier_seizures ELSE seizures END) > 0
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
               sum(CASE WHEN $exclude THEN m.seizures - m.outlier_seizures ELSE m.seizures END)
                   ::BIGINT AS seizures,
               sum(CASE WHEN $exclude THEN m.kg_equivalent_excl_outliers
                        ELSE m.kg_equivalent END) AS kg_equivalent
        FROM chosen AS c, unnest(c.transport_mix) AS u(m)
        GROUP BY ALL
    )
"""


@st.cache_data(**CACHE)
def corridors(
    snap: Snapshot,
    area: str,
    series_id: str,
    first_year: int,
    last_year: int,
    measure: Measure,
    limit: int,
    exclude_outliers: bool = False,
) -> pl.DataFrame:
    """The top corridors (departure -> a different destination, both reported), with the
    flagged outliers they hold and the main transport mode by the chosen measure."""
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
            t.outlier_seizures,
            t.outlier_kg,
            (SELECT first(m.transport ORDER BY
                        CASE WHEN $measure = 'kg' THEN m.kg_equivalent ELSE m.seizures END DESC,
                        m.seizures DESC, m.transport)
             FROM modes AS m
             WHERE m.departure_iso3 = t.departure_iso3
               AND m.destination_iso3 = t.destination_iso3) AS main_transport
        FROM top AS t, totals
        ORDER BY t.rank
    """,
        _corridor_params(area, series_id, first_year, last_year, measure, limit, exclude_outliers),
    )


@st.cache_data(**CACHE)
def corridor_transport(
    snap: Snapshot,
    area: str,
    series_id: str,
    first_year: int,
    last_year: int,
    measure: Measure,
    limit: int,
    exclude_outliers: bool = False,
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
        WHERE m.seizures > 0
        ORDER BY t.rank, m.seizures DESC, m.transport
    """,
        _corridor_params(area, series_id, first_year, last_year, measure, limit, exclude_outliers),
    )


def _corridor_params(
    area: str,
    series_id: str,
    first_year: int,
    last_year: int,
    measure: Measure,
    limit: int,
    exclude_outliers: bool,
) -> dict[str, object]:
    return {
        **_params(area, series_id, first_year, last_year, exclude_outliers),
        "measure": measure,
        "limit": limit,
    }
