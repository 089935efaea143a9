"""Country display names and map points by ISO3, from ``static/countries.csv`` (see its README).

The marts carry ISO3 codes only; pages show names. The CSV is reference data shipped with the
dashboards (written once by ``static/make_countries.py``), so nothing here needs a network or
country_converter at run time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

STATIC = Path(__file__).resolve().parent / "static"
# URL prefix under which Streamlit serves STATIC (``enableStaticServing``). Relative, so it also
# works behind a proxy path (``server.baseUrlPath``): pages live at ``<base>/<page>``.
STATIC_URL = "app/static/"
UNKNOWN = "Unknown"


@cache
def table() -> pl.DataFrame:
    return pl.read_csv(
        STATIC / "countries.csv",
        schema={"iso3": pl.String, "name": pl.String, "lat": pl.Float64, "lon": pl.Float64},
    )


@cache
def _names() -> dict[str, str]:
    frame = table()
    return dict(zip(frame["iso3"].to_list(), frame["name"].to_list(), strict=True))


@cache
def _points() -> dict[str, tuple[float, float]]:
    frame = table().drop_nulls(["lat", "lon"])
    return {iso3: (lat, lon) for iso3, lat, lon in frame.select("iso3", "lat", "lon").iter_rows()}


def name(iso3: str | None) -> str:
    """Display name; "Unknown" for a missing route end; the code itself if the list lacks it."""
    if iso3 is None:
        return UNKNOWN
    return _names().get(iso3, iso3)


def name_expr(column: str) -> pl.Expr:
    """:func:`name` as a Polars expression on a column of ISO3 codes (for tables and charts)."""
    code = pl.col(column)
    return (
        pl.when(code.is_null())
        .then(pl.lit(UNKNOWN))
        .otherwise(code.replace_strict(_names(), default=code, return_dtype=pl.String))
    )


def point(iso3: str | None) -> tuple[float, float] | None:
    """(lat, lon) to draw the country at, None when unknown."""
    return _points().get(iso3) if iso3 else None
