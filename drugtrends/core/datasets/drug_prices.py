"""Drug prices: resolve countries, map drugs to series, convert prices to USD per base unit.

Units come from ``reference/price_units.csv`` (``kg`` = 1000 g, ``1000 tablet`` = 1000 tablets,
``L`` = 1000 mL, ...): ``<price>_usd_per_base_unit = <price>_usd / base_units``. A unit the
table does not cover keeps null converted prices and is listed in the run's metadata.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from drugtrends import reference
from drugtrends.core.normalise import normalise_countries, unresolved_countries

PRICES = ("typical", "minimum", "maximum")


def per_base_unit(frame: pl.DataFrame) -> pl.DataFrame:
    units = reference.load("price_units").select(
        reference.text_key(pl.col("spelling")).alias("_unit_key"),
        "base_unit",
        pl.col("base_units").cast(pl.Float64),
    )
    return (
        frame.with_columns(reference.text_key(pl.col("unit")).alias("_unit_key"))
        .join(units, on="_unit_key", how="left", maintain_order="left")
        .with_columns(
            (pl.col(f"{p}_usd") / pl.col("base_units")).alias(f"{p}_usd_per_base_unit")
            for p in PRICES
        )
        .drop("_unit_key")
    )


def map_series(frame: pl.DataFrame) -> pl.DataFrame:
    series = reference.load("price_series").select(
        reference.text_key(pl.col("drug_group")).alias("_g"),
        reference.text_key(pl.col("drug")).alias("_d"),
        "series",
    )
    return (
        frame.with_columns(
            reference.text_key(pl.col("drug_group")).alias("_g"),
            reference.text_key(pl.col("drug")).alias("_d"),
        )
        .join(series, on=["_g", "_d"], how="left", maintain_order="left")
        .drop("_g", "_d")
    )


def transform(clean: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
    out = map_series(per_base_unit(normalise_countries(clean, {"country_name": "country_iso3"})))
    unknown = (
        out.filter(pl.col("base_unit").is_null()).group_by("unit").len().sort("len").to_dicts()
    )
    metadata = {
        "unknown_units": unknown,
        "unresolved_country_names": unresolved_countries(out, ["country_name"]).to_dicts(),
        "rows_with_series": int(out["series"].is_not_null().sum()),
    }
    return out, metadata
