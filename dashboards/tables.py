"""Display tables from query frames: plain-language column names, rounded as shown.

The page shows these frames and offers them as CSV unchanged, so a download is exactly what is
on screen. Pure functions (no Streamlit), tested on small frames.
"""

from __future__ import annotations

import html
import io

import polars as pl

from dashboards import WORLD
from dashboards.charts import KG_PER_TONNE
from dashboards.safe_text import spreadsheet, spreadsheet_frame

AREA = "Area"
GROUP = "Drug group"
YEAR = "Year"
KG = "Seized (kg)"
TONNES = "Seized (tonnes)"
YOY = "Change on previous year (%)"
SHARE = "Share of global total (%)"
COUNTRIES = "Countries reporting"
SERIES = "Series"
FAMILY = "Counts"
DEFINITION = "Definition"
LIKE_FOR_LIKE = "Like-for-like change (%)"
YOY_FLAG = "Change flag"
COVERAGE = "Share of usual reporters (%)"
COVERAGE_FLAG = "Coverage"
FAMILIES = {
    "drug": "drug",
    "plant_material": "plant material",
    "precursor": "precursor chemicals",
    "other_substance": "other substances",
}
YOY_FLAGS = {
    "small_base": "small base: % not shown",
    "reporters_changed": "reporters changed: read like-for-like",
}


def flag_text(flag: str | None) -> str | None:
    """The mart's yoy_flag in words ("small base: % not shown; ...")."""
    if not flag:
        return None
    return "; ".join(YOY_FLAGS.get(f, f) for f in flag.split(","))


def _shown_pct(column: str = "yoy_change_pct") -> pl.Expr:
    """A change in percent, or null where the mart flags a small base (the like-for-like base
    is part of the plain one, so it is small too)."""
    flagged = pl.col("yoy_flag").fill_null("").str.contains("small_base")
    return pl.when(flagged).then(None).otherwise(pl.col(column)).round(1)


def _display(frame: pl.DataFrame) -> list[pl.Expr]:
    flag = pl.col("yoy_flag") if "yoy_flag" in frame.columns else pl.lit(None, pl.String)
    return [
        pl.col("area_name").alias(AREA),
        pl.col("drug_group").alias(GROUP),
        pl.col("year").cast(pl.Int64).alias(YEAR),
        pl.col("kg").round(1).alias(KG),
        (_shown_pct() if "yoy_flag" in frame.columns else pl.col("yoy_change_pct").round(1)).alias(
            YOY
        ),
        flag.map_elements(flag_text, return_dtype=pl.String).alias(YOY_FLAG),
        (pl.col("share_of_global") * 100).round(1).alias(SHARE),
        pl.col("countries_reporting").cast(pl.Int64).alias(COUNTRIES),
    ]


def _series_display() -> list[pl.Expr]:
    return [
        pl.col("area_name").alias(AREA),
        pl.col("series").alias(SERIES),
        pl.col("family").replace_strict(FAMILIES, default=pl.col("family")).alias(FAMILY),
        pl.col("year").cast(pl.Int64).alias(YEAR),
        pl.col("kg").round(1).alias(KG),
        _shown_pct().alias(YOY),
        _shown_pct("yoy_like_for_like_pct").alias(LIKE_FOR_LIKE),
        pl.col("yoy_flag").map_elements(flag_text, return_dtype=pl.String).alias(YOY_FLAG),
        pl.col("countries_reporting").cast(pl.Int64).alias(COUNTRIES),
        (pl.col("coverage_share") * 100).round(0).alias(COVERAGE),
        pl.when(pl.col("low_coverage"))
        .then(pl.lit("⚠ low coverage"))
        .otherwise(None)
        .alias(COVERAGE_FLAG),
        (pl.col("share_of_global") * 100).round(1).alias(SHARE),
        pl.col("definition").alias(DEFINITION),
    ]


def series_latest_table(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per series for the latest year (``queries.series_latest``), in series order,
    with the flags beside each figure and the series' definition. The plain change in percent
    is left empty where its base is small (the flag says so)."""
    table = frame.select(_series_display())
    if table.height and (table[AREA] == WORLD).all():
        table = table.drop(SHARE)
    return table


def series_trend_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The series chart's data points (``queries.series_trends``), in tonnes as charted."""
    return frame.select(_series_display()).select(
        AREA,
        SERIES,
        FAMILY,
        YEAR,
        (pl.col(KG) / KG_PER_TONNE).round(4).alias(TONNES),
        YOY,
        LIKE_FOR_LIKE,
        YOY_FLAG,
        COUNTRIES,
        COVERAGE,
        COVERAGE_FLAG,
    )


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
        AREA,
        GROUP,
        YEAR,
        (pl.col(KG) / KG_PER_TONNE).round(4).alias(TONNES),
        YOY,
        YOY_FLAG,
        COUNTRIES,
    )


def to_csv(frame: pl.DataFrame) -> bytes:
    """The table as CSV, its text neutralised against formula injection (``safe_text``)."""
    return spreadsheet_frame(frame).write_csv().encode("utf-8")


HTML_ROWS = 500


def html_table(frame: pl.DataFrame, *, caption: str) -> str:
    """An HTML table of the frame (first :data:`HTML_ROWS` rows), every value escaped."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join("<td>" + ("" if v is None else html.escape(str(v))) + "</td>" for v in row)
        + "</tr>"
        for row in frame.head(HTML_ROWS).iter_rows()
    )
    more = (
        f"<p>First {HTML_ROWS} of {frame.height} rows; the downloads hold them all.</p>"
        if frame.height > HTML_ROWS
        else ""
    )
    return (
        f'<table class="dt-accessible"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"
    )


SOURCE = "UNODC, dataUNODC; compiled by the independent, open-source drugtrends project"
SYNTHETIC_SOURCE = (
    "Synthetic demo data — not real seizure statistics: invented by the drugtrends demo "
    "generator; do not cite"
)


def to_excel(
    frame: pl.DataFrame, *, title: str, snapshot_id: str, synthetic: bool = False
) -> bytes:
    """The frame as an .xlsx sheet and an "About" sheet; the source a synthetic snapshot names is
    the demo generator, never a data producer.

    Text is neutralised as in the CSV (``safe_text.spreadsheet_frame``: a formula prefix gets a
    leading quote) and stored as text, so no cell is a formula even once edited; numbers stay
    numbers."""
    from openpyxl import Workbook

    frame = spreadsheet_frame(frame)
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=..." stays text, never a formula
    about = book.create_sheet("About")
    for line in (
        ("Title", spreadsheet(title)),
        ("Source", SYNTHETIC_SOURCE if synthetic else SOURCE),
        ("Snapshot", spreadsheet(snapshot_id)),
        ("Rows", frame.height),
    ):
        about.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SERIES = "Series"
COVERAGE = "Share of usual reporters (%)"
FLAGS = "Flags"
SHARE_REGION = "Share of region (%)"


def _flags(low: pl.Expr, large: pl.Expr) -> pl.Expr:
    return pl.concat_str(
        [
            pl.when(low).then(pl.lit("low coverage")),
            pl.when(large).then(pl.lit("doubled or halved")),
        ],
        separator="; ",
        ignore_nulls=True,
    )


PER_MILLION = "Seized (kg per million people aged 15–64)"


def explorer_table(frame: pl.DataFrame, *, rates: bool = False) -> pl.DataFrame:
    """The explorer chart's points (``explorer_queries.trend``), with coverage and flags; with
    ``rates``, the kg per million people aged 15-64 too (``explorer_queries.trend_rates``)."""
    rate = (
        [pl.col("kg_per_million_aged_15_64").round(3).alias(PER_MILLION)]
        if rates and "kg_per_million_aged_15_64" in frame.columns
        else []
    )
    return frame.select(
        pl.col("area_name").alias(AREA),
        pl.col("series").alias(SERIES),
        pl.col("year").cast(pl.Int64).alias(YEAR),
        pl.col("kg").round(1).alias(KG),
        *rate,
        pl.col("countries_reporting").cast(pl.Int64).alias(COUNTRIES),
        (pl.col("coverage_share") * 100).round(1).alias(COVERAGE),
        pl.col("yoy_change_pct").round(1).alias(YOY),
        _flags(pl.col("low_coverage"), pl.col("large_change")).alias(FLAGS),
    )


def country_table(frame: pl.DataFrame) -> pl.DataFrame:
    """A country's series by year (``explorer_queries.country_series``) with its shares."""
    return frame.select(
        pl.col("series").alias(SERIES),
        pl.col("year").cast(pl.Int64).alias(YEAR),
        pl.col("kg").round(1).alias(KG),
        pl.col("yoy_change_pct").round(1).alias(YOY),
        (pl.col("share_of_region") * 100).round(2).alias(SHARE_REGION),
        (pl.col("share_of_global") * 100).round(2).alias(SHARE),
    )


ALERT_KINDS = {
    "spike": "Spike",
    "drop": "Drop",
    "started_reporting": "Started reporting",
    "stopped_reporting": "Stopped reporting",
    "new_corridor": "New corridor",
    "corridor_share_shift": "Corridor share shift",
    "new_transport_mode": "New transport mode",
}


def alert_kind_label(kind: str) -> str:
    return ALERT_KINDS.get(kind, kind.replace("_", " ").capitalize())


def alerts_table(frame: pl.DataFrame) -> pl.DataFrame:
    """Alerts (``explorer_queries.alert_rows``) with plain column names, as shown and as the CSV."""
    return frame.select(
        pl.col("kind")
        .replace_strict(ALERT_KINDS, default=pl.col("kind"), return_dtype=pl.String)
        .alias("Alert"),
        pl.col("area_name").alias(AREA),
        pl.col("series").alias(SERIES),
        pl.col("year").cast(pl.Int64).alias(YEAR),
        pl.col("value").round(2).alias("Value"),
        pl.col("baseline").round(2).alias("Baseline"),
        pl.col("score").round(2).alias("Score"),
        pl.col("threshold").round(2).alias("Threshold"),
        pl.col("unit").alias("Unit"),
        pl.col("sentence").alias("What it means"),
    )
