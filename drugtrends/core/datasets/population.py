"""Population aged 15-64: each row gets its UNODC region (the file names none) and its age group."""

from __future__ import annotations

from typing import Any

import polars as pl

from drugtrends.reference import iso3_to_region


def transform(clean: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
    regions = iso3_to_region()
    out = clean.with_columns(
        pl.coalesce(
            pl.col("region"),
            pl.col("country_iso3").replace_strict(regions, default=None, return_dtype=pl.String),
        ).alias("region"),
        pl.lit("15-64").alias("age_group"),
    )
    return out, {"countries": out["country_iso3"].n_unique()}
