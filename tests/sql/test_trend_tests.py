"""marts.trend_tests against an independent plain-Python Mann-Kendall and Theil-Sen (to 1e-9)."""

from __future__ import annotations

import math
import statistics

import duckdb
import polars as pl
import pytest

from drugtrends.marts.build import build_mart
from drugtrends.marts.trend_tests import thresholds


def sign(v: float) -> int:
    return (v > 0) - (v < 0)


def ties(values: list[float]) -> list[int]:
    counts: dict[float, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return [t for t in counts.values() if t > 1]


def mann_kendall(x: list[float]) -> tuple[float, float, float, float]:
    """S, tie-corrected variance, continuity-corrected z, two-sided p (normal approximation)."""
    n = len(x)
    s = sum(sign(x[j] - x[i]) for i in range(n) for j in range(i + 1, n))
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties(x))) / 18
    z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0.0
    return s, var, z, math.erfc(abs(z) / math.sqrt(2))


def theil_sen(years: list[int], y: list[float], confidence: float) -> tuple[float, float, float]:
    """Median of pairwise slopes and Sen's confidence interval (ranks from the S variance)."""
    n = len(y)
    slopes = sorted(
        (y[j] - y[i]) / (years[j] - years[i])
        for i in range(n)
        for j in range(i + 1, n)
        if years[j] != years[i]
    )
    z = statistics.NormalDist().inv_cdf((1 - confidence) / 2)
    var = (
        n * (n - 1) * (2 * n + 5)
        - sum(t * (t - 1) * (2 * t + 5) for t in ties([float(v) for v in years]))
        - sum(t * (t - 1) * (2 * t + 5) for t in ties(y))
    ) / 18
    sigma = math.sqrt(var)
    m = len(slopes)
    upper = min(round((m - z * sigma) / 2), m - 1)
    lower = max(round((m + z * sigma) / 2) - 1, 0)
    return statistics.median(slopes), slopes[lower], slopes[upper]


SERIES = {
    # area: {year: kg}; one rising with a tie, one falling with a gap, one flat-ish, one too short
    "AAA": {2010: 5, 2011: 7, 2012: 7, 2013: 12, 2014: 15, 2015: 14, 2016: 21, 2017: 30},
    "BBB": {2008: 90, 2009: 85, 2011: 80, 2012: 70, 2013: 71, 2015: 40, 2016: 41},
    "CCC": {2012: 10, 2013: 0, 2014: 12, 2015: 9, 2016: 11, 2017: 10},
    "DDD": {2015: 1, 2016: 2, 2017: 3},
}


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    rows = [
        ("country", area, area, "Europe", "Cocaine", "Cocaine and Derivatives", y, float(kg), 1, [])
        for area, values in SERIES.items()
        for y, kg in values.items()
    ]
    frame = pl.DataFrame(
        rows,
        orient="row",
        schema={
            "level": pl.String,
            "area": pl.String,
            "area_name": pl.String,
            "region": pl.String,
            "series": pl.String,
            "drug_group": pl.String,
            "year": pl.Int64,
            "kg": pl.Float64,
            "countries_reporting": pl.Int64,
            "source_files": pl.List(pl.String),
        },
    )
    c = duckdb.connect()
    c.execute("CREATE SCHEMA marts")
    c.register("given", frame.to_arrow())
    c.execute("CREATE TABLE marts.trend_series AS SELECT * FROM given")
    build_mart(c, "trend_tests")
    return c


def test_trend_tests_match_an_independent_computation(con):
    limits = thresholds()
    got = {
        r["area"]: r
        for r in pl.from_arrow(
            con.sql("SELECT * FROM marts.trend_tests").to_arrow_table()
        ).iter_rows(named=True)
    }
    assert set(got) == {"AAA", "BBB", "CCC"}, "DDD has fewer than trend_min_years years"
    for area, row in got.items():
        years = sorted(SERIES[area])
        kg = [float(SERIES[area][y]) for y in years]
        s, var, z, p = mann_kendall(kg)
        slope, low, high = theil_sen(years, kg, 1 - limits["trend_alpha"])
        assert row["years"] == len(years)
        for name, expected in [
            ("mk_s", s),
            ("mk_var_s", var),
            ("mk_z", z),
            ("mk_p_value", p),
            ("sen_slope_kg_per_year", slope),
            ("sen_slope_low", low),
            ("sen_slope_high", high),
        ]:
            assert row[name] == pytest.approx(expected, abs=1e-9, rel=1e-9), (area, name)
        expected_direction = (
            "no trend" if p >= limits["trend_alpha"] else "increasing" if s > 0 else "decreasing"
        )
        assert row["direction"] == expected_direction
    assert got["AAA"]["direction"] == "increasing"
    assert got["BBB"]["direction"] == "decreasing"
