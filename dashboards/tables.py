"""Display tables from query frames: plain-language column names, rounded as shown.

The page shows these frames and offers them as CSV unchanged, so a download is exactly what is
on screen. Pure functions (no Streamlit), tested on small frames.
"""

from __future__ import annotations

import polars as pl

from dashboards import WORLD
from dashboards.charts import KG_PER_TONNE

AREA = "Area"
GROUP = "Drug group"
YEAR = "Year"
KG = "Seized (kg)"
TONNES = "Seized (tonnes)"
YOY = "Change on previous year (%)"
SHARE = "Share of global total (%)"
COUNTRIES = "Countries reporting"


def _display(frame: pl.DataFrame) -> list[pl.Expr]:
    return [
        pl.col("area_name").alias(AREA),
        pl.col("drug_group").alias(GROUP),
        pl.col("year").cast(pl.Int64).alias(YEAR),
        pl.col("kg").round(1).alias(KG),
        pl.col("yoy_change_pct").round(1).alias(YOY),
        (pl.col("share_of_global") * 100).round(1).alias(SHARE),
        pl.col("countries_reporting").cast(pl.Int64).alias(COUNTRIES),
    ]


def latest_year_table(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per drug group for the latest year (``queries.latest_year``), largest first.

    Kilograms, not tonnes: small seizures (hallucinogens, NPS) would round to "0.00 t", which
    reads as "reported none". The share of the global total is left out for the World (100%).
    """
    table = frame.select(_display(frame)).sort(KG, descending=True, nulls_last=True)
    if table.height and (table[AREA] == WORLD).all():
        table = table.drop(SHARE)
    return table


def trend_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The chart's data points (``queries.group_trends``) as a table, in tonnes as charted."""
    return frame.select(_display(frame)).select(
        AREA, GROUP, YEAR, (pl.col(KG) / KG_PER_TONNE).round(4).alias(TONNES), YOY, COUNTRIES
    )


def to_csv(frame: pl.DataFrame) -> bytes:
    return frame.write_csv().encode("utf-8")
