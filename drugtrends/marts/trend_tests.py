"""marts.trend_tests: Mann-Kendall test and Theil-Sen slope per area x series.

Not set-based (one statistical test per series), so Python on the rows of ``marts.trend_series``:

- window: the last ``trend_window_years`` calendar years up to the area's latest reported year
  for the series; years with no report are skipped (not read as 0), 0 kg counts;
- minimum length: at least ``trend_min_years`` reported years in the window, else no row;
- Mann-Kendall (pymannkendall ``original_test``, normal approximation with the tie-corrected
  variance, continuity correction): S, its variance, z, two-sided p-value, Kendall's tau and
  the direction at ``trend_alpha``;
- Theil-Sen slope in kg per year (scipy ``theilslopes``, median of pairwise slopes) with its
  confidence interval at 1 - ``trend_alpha`` (Sen's method).
Thresholds are in ``reference/trend_thresholds.csv``.
"""

from __future__ import annotations

import duckdb
import polars as pl

from drugtrends import reference
from drugtrends.warehouse import read_frame

SCHEMA = {
    "level": pl.String,
    "area": pl.String,
    "area_name": pl.String,
    "region": pl.String,
    "series": pl.String,
    "drug_group": pl.String,
    "window_from": pl.Int64,
    "window_to": pl.Int64,
    "years": pl.Int64,
    "first_kg": pl.Float64,
    "last_kg": pl.Float64,
    "mk_s": pl.Float64,
    "mk_var_s": pl.Float64,
    "mk_z": pl.Float64,
    "mk_p_value": pl.Float64,
    "mk_tau": pl.Float64,
    "direction": pl.String,
    "sen_slope_kg_per_year": pl.Float64,
    "sen_intercept_kg": pl.Float64,
    "sen_slope_low": pl.Float64,
    "sen_slope_high": pl.Float64,
    "confidence": pl.Float64,
    "alpha": pl.Float64,
}


def thresholds() -> dict[str, float]:
    table = reference.load("trend_thresholds")
    return dict(zip(table["name"].to_list(), map(float, table["value"].to_list()), strict=True))


def series_test(years: list[int], kg: list[float], alpha: float) -> dict[str, float | str]:
    """Mann-Kendall and Theil-Sen on one series (years ascending, one value per year)."""
    import pymannkendall as mk
    from scipy.stats import theilslopes

    result = mk.original_test(kg, alpha=alpha)
    slope, intercept, low, high = theilslopes(kg, years, alpha=1 - alpha)
    return {
        "mk_s": float(result.s),
        "mk_var_s": float(result.var_s),
        "mk_z": float(result.z),
        "mk_p_value": float(result.p),
        "mk_tau": float(result.Tau),
        "direction": result.trend,
        "sen_slope_kg_per_year": float(slope),
        "sen_intercept_kg": float(intercept),
        "sen_slope_low": float(low),
        "sen_slope_high": float(high),
    }


def build(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    limits = thresholds()
    window, min_years, alpha = (
        int(limits["trend_window_years"]),
        int(limits["trend_min_years"]),
        limits["trend_alpha"],
    )
    series = read_frame(
        con,
        "SELECT level, area, area_name, region, series, drug_group, year, kg "
        "FROM marts.trend_series ORDER BY level, area, series, year",
    )
    rows = []
    for _, group in series.group_by(["level", "area", "series"], maintain_order=True):
        last = int(group["year"].max())  # type: ignore[arg-type]
        # Names as in the latest year (a country's reported name can vary between years).
        names = group.row(-1, named=True)
        key = [names[c] for c in ("level", "area", "area_name", "region", "series", "drug_group")]
        inside = group.filter(pl.col("year") > last - window)
        if inside.height < min_years:
            continue
        years = inside["year"].to_list()
        kg = [float(v) for v in inside["kg"].to_list()]
        rows.append(
            {
                **dict(zip(SCHEMA, key, strict=False)),
                "window_from": last - window + 1,
                "window_to": last,
                "years": len(years),
                "first_kg": kg[0],
                "last_kg": kg[-1],
                **series_test(years, kg, alpha),
                "confidence": 1 - alpha,
                "alpha": alpha,
            }
        )
    return pl.DataFrame(rows, schema=SCHEMA)
