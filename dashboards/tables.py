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
from dashboards.safe_text import spreadsheet_frame

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
    """The frame as an .xlsx sheet (text never read as a formula) and an "About" sheet; the
    source a synthetic snapshot names is the demo generator, never a data producer."""
    from openpyxl import Workbook

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
        ("Title", title),
        ("Source", SYNTHETIC_SOURCE if synthetic else SOURCE),
        ("Snapshot", snapshot_id),
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


def explorer_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The explorer chart's points (``explorer_queries.trend``), with coverage and flags."""
    return frame.select(
        pl.col("area_name").alias(AREA),
        pl.col("series").alias(SERIES),
        pl.col("year").cast(pl.Int64).alias(YEAR),
        pl.col("kg").round(1).alias(KG),
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
