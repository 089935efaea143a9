"""ISO3 -> UNODC region, from ``reference/unodc_regions.csv`` (used to place rows of
all-regions files that do not name a valid region)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl


@cache
def iso3_to_region() -> dict[str, str]:
    path = resources.files("drugtrends.reference") / "unodc_regions.csv"
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        table = pl.read_csv(f, infer_schema=False)
    return dict(zip(table["iso3"].to_list(), table["region"].to_list(), strict=True))
