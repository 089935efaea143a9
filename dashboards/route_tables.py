"""Display tables of the routes page: country names, plain-language columns, shares in percent.

As in :mod:`dashboards.tables`, the page shows these frames and offers them as CSV unchanged.
"""

from __future__ import annotations

import polars as pl

from dashboards import countries
from dashboards.route_charts import corridor_expr

RANK = "Rank"
DEPARTURE = "Departure"
SEIZED_IN = "Seized in"
DESTINATION = "Destination"
CORRIDOR = "Corridor"
TRANSPORT = "Transport"
SEIZURES = "Seizures"
WITH_KG = "Seizures with kg"
KG = "Kilograms (kg eq.)"
SHARE_SEIZURES = "Share of seizures (%)"
SHARE_KG = "Share of kg (%)"
MAIN_TRANSPORT = "Main transport"
OUTLIERS = "Flagged outliers"


def flow_table(flows: pl.DataFrame) -> pl.DataFrame:
    """Every route of the selection (``route_queries.flows``), largest first: the chart data."""
    return flows.select(
        countries.name_expr("departure_iso3").alias(DEPARTURE),
        countries.name_expr("seizing_iso3").alias(SEIZED_IN),
        countries.name_expr("destination_iso3").alias(DESTINATION),
        pl.col("seizures").cast(pl.Int64).alias(SEIZURES),
        pl.col("seizures_with_kg").cast(pl.Int64).alias(WITH_KG),
        pl.col("kg_equivalent").round(1).alias(KG),
    )


def corridor_table(corridors: pl.DataFrame) -> pl.DataFrame:
    """The top corridors (``route_queries.corridors``), shares as percentages."""
    return corridors.select(
        pl.col("rank").cast(pl.Int64).alias(RANK),
        countries.name_expr("departure_iso3").alias(DEPARTURE),
        countries.name_expr("destination_iso3").alias(DESTINATION),
        pl.col("seizures").cast(pl.Int64).alias(SEIZURES),
        (pl.col("share_of_seizures") * 100).round(2).alias(SHARE_SEIZURES),
        pl.col("kg_equivalent").round(1).alias(KG),
        (pl.col("share_of_kg") * 100).round(2).alias(SHARE_KG),
        pl.col("main_transport").alias(MAIN_TRANSPORT),
        pl.col("outlier_seizures").cast(pl.Int64).alias(OUTLIERS),
    )


def transport_table(modes: pl.DataFrame) -> pl.DataFrame:
    """The transport-mode chart's data (``route_queries.corridor_transport``)."""
    return modes.select(
        pl.col("rank").cast(pl.Int64).alias(RANK),
        corridor_expr().alias(CORRIDOR),
        pl.col("transport").alias(TRANSPORT),
        pl.col("seizures").cast(pl.Int64).alias(SEIZURES),
        pl.col("kg_equivalent").round(1).alias(KG),
    )
