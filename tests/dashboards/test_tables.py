"""Display tables: plain-language columns, tonnes and percentages, CSV identical to the table."""

from __future__ import annotations

import io

import polars as pl

from dashboards import tables

LATEST = pl.DataFrame(
    {
        "area_name": ["Europe", "Europe"],
        "drug_group": ["Cocaine and Derivatives", "Cannabis and Synthetic Cannabinoids"],
        "year": [2021, 2021],
        "kg": [300_000.0, 900_123.456],
        "countries_reporting": [22, 31],
        "kg_previous_year": [250_000.0, 1_200_000.0],
        "yoy_change_kg": [50_000.0, -299_876.544],
        "yoy_change_pct": [20.0, -24.98971],
        "share_of_global": [0.9375, None],
    }
)


def test_latest_year_table_in_kg_and_percent_largest_first() -> None:
    table = tables.latest_year_table(LATEST)
    assert table.columns == [
        tables.AREA,
        tables.GROUP,
        tables.YEAR,
        tables.KG,
        tables.YOY,
        tables.SHARE,
        tables.COUNTRIES,
    ]
    assert table[tables.GROUP].to_list() == [
        "Cannabis and Synthetic Cannabinoids",
        "Cocaine and Derivatives",
    ]
    assert table[tables.KG].to_list() == [900_123.5, 300_000.0]
    assert table[tables.YOY].to_list() == [-25.0, 20.0]
    assert table[tables.SHARE].to_list() == [None, 93.8]
    assert table[tables.COUNTRIES].to_list() == [31, 22]


def test_csv_is_exactly_the_table() -> None:
    table = tables.latest_year_table(LATEST)
    back = pl.read_csv(io.BytesIO(tables.to_csv(table)), schema=table.schema)
    assert back.equals(table)


def test_world_table_has_no_share_of_itself() -> None:
    world = tables.latest_year_table(LATEST.with_columns(pl.lit("World").alias("area_name")))
    assert tables.SHARE not in world.columns


def test_trend_table_is_in_tonnes_like_the_chart() -> None:
    table = tables.trend_table(LATEST)
    assert table.columns == [
        tables.AREA,
        tables.GROUP,
        tables.YEAR,
        tables.TONNES,
        tables.YOY,
        tables.COUNTRIES,
    ]
    assert table[tables.TONNES].to_list() == [300.0, 900.1235]
