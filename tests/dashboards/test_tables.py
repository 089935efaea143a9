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
        tables.YOY_FLAG,
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


def test_a_small_base_hides_the_percentage_and_says_why() -> None:
    flagged = LATEST.with_columns(pl.Series("yoy_flag", ["small_base", None]))
    table = tables.latest_year_table(flagged)
    by_group = {r[tables.GROUP]: r for r in table.iter_rows(named=True)}
    cocaine = by_group["Cocaine and Derivatives"]
    assert cocaine[tables.YOY] is None
    assert cocaine[tables.YOY_FLAG] == "small base: % not shown"
    cannabis = by_group["Cannabis and Synthetic Cannabinoids"]
    assert (cannabis[tables.YOY], cannabis[tables.YOY_FLAG]) == (-25.0, None)


def test_a_series_table_hides_both_percentages_over_a_small_base() -> None:
    frame = pl.DataFrame(
        {
            "area_name": ["Oceania", "Oceania"],
            "series": ["Plant-based NPS (khat, kratom)", "Cocaine"],
            "family": ["plant_material", "drug"],
            "year": [2021, 2021],
            "kg": [4445.0, 9000.0],
            "yoy_change_pct": [5_626_457.0, 12.0],
            "yoy_like_for_like_pct": [5_626_457.0, 10.0],
            "yoy_flag": ["small_base", "reporters_changed"],
            "countries_reporting": [1, 4],
            "coverage_share": [0.5, 1.0],
            "low_coverage": [True, False],
            "share_of_global": [0.1, 0.01],
            "definition": ["khat and kratom", "cocaine"],
        }
    )
    table = tables.series_latest_table(frame)
    nps, cocaine = table.iter_rows(named=True)
    assert (nps[tables.YOY], nps[tables.LIKE_FOR_LIKE]) == (None, None)
    assert nps[tables.YOY_FLAG] == "small base: % not shown"
    assert nps[tables.COVERAGE_FLAG] == "⚠ low coverage" and nps[tables.FAMILY] == "plant material"
    assert (cocaine[tables.YOY], cocaine[tables.LIKE_FOR_LIKE]) == (12.0, 10.0)
    assert cocaine[tables.YOY_FLAG] == "reporters changed: read like-for-like"


def test_trend_table_is_in_tonnes_like_the_chart() -> None:
    table = tables.trend_table(LATEST)
    assert table.columns == [
        tables.AREA,
        tables.GROUP,
        tables.YEAR,
        tables.TONNES,
        tables.YOY,
        tables.YOY_FLAG,
        tables.COUNTRIES,
    ]
    assert table[tables.TONNES].to_list() == [300.0, 900.1235]


# --- downloads: formula prefixes neutralised (OWASP CSV injection) ----------------------------

FORMULAS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    '\u200b=HYPERLINK("http://127.0.0.1:9/x")',
    "\ufeff\u2060+cmd",
    "Spain",
]
NEUTRALISED = [
    "'=1+1",
    "'+1",
    "'-1",
    "'@SUM(A1)",
    "'\tx",
    "'\rx",
    '\'=HYPERLINK("http://127.0.0.1:9/x")',
    "'+cmd",
    "Spain",
]
HOSTILE_TABLE = pl.DataFrame(
    {
        "Area": FORMULAS,
        "Seized (kg)": [-1.5] * len(FORMULAS),
        "Countries reporting": [-2] * len(FORMULAS),
        "=Header": ["x"] * len(FORMULAS),
    }
)


def test_csv_download_neutralises_formulas_and_keeps_negative_numbers() -> None:
    back = pl.read_csv(io.BytesIO(tables.to_csv(HOSTILE_TABLE)))
    assert back.columns == ["Area", "Seized (kg)", "Countries reporting", "'=Header"]
    assert back["Area"].to_list() == NEUTRALISED
    assert back["Seized (kg)"].to_list() == [-1.5] * len(FORMULAS)
    assert back["Countries reporting"].to_list() == [-2] * len(FORMULAS)


def test_excel_download_neutralises_formulas_and_keeps_negative_numbers() -> None:
    import openpyxl

    data = tables.to_excel(HOSTILE_TABLE, title="=cmd|' /C calc'!A0", snapshot_id="@S1")
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book["Data"].iter_rows())
    assert [c.value for c in rows[0]] == ["Area", "Seized (kg)", "Countries reporting", "'=Header"]
    # XML reads a stored carriage return back as a line feed; the quote before it stays.
    assert [r[0].value for r in rows[1:]] == [v.replace("\r", "\n") for v in NEUTRALISED]
    assert all(r[0].data_type == "s" for r in rows[1:])  # text, never a formula ("f")
    numbers = [(r[1].value, r[2].value) for r in rows[1:]]
    assert numbers == [(-1.5, -2)] * len(FORMULAS)
    assert all(r[1].data_type == "n" and r[2].data_type == "n" for r in rows[1:])
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Title"] == "'=cmd|' /C calc'!A0"
    assert about["Snapshot"] == "'@S1"
