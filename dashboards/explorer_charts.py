"""Figures of the trend explorer, the country profile and the world map; export settings.

Pure functions from query frames (no Streamlit). Every figure carries its own context: the title
names what, where, which years and the unit; an annotation under the plot names the source and
the snapshot, so a PNG pasted into a briefing still says what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import plotly.graph_objects as go
import polars as pl

from dashboards import countries
from dashboards.charts import (
    FONT,
    KG_PER_TONNE,
    PALETTE,
    empty_figure,
    line_dash,
    quantity_text,
)
from dashboards.safe_text import plotly as plotly_text

Measure = Literal["kg", "countries_reporting", "kg_per_million_aged_15_64"]
PER_CAPITA_LABEL = "Kilograms per million people aged 15–64"
MEASURES: dict[str, Measure] = {
    "Quantity seized (tonnes)": "kg",
    "Countries reporting": "countries_reporting",
    PER_CAPITA_LABEL: "kg_per_million_aged_15_64",
}
LOW_COVERAGE_MARKER = "circle-open"
LARGE_CHANGE_MARKER = "diamond-open"
FLAG_COLOUR = "#000000"
SOURCE = "Source: UNODC, dataUNODC (annual drug seizures); compiled by drugtrends"
SYNTHETIC_SOURCE = "Synthetic demo data — not real seizure statistics (drugtrends demo generator)"


def colour_map(names: Sequence[str]) -> dict[str, str]:
    """One colour per series, fixed by the snapshot-wide order (not by what is filtered)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def export_config(stem: str, snapshot_id: str, *, map_: bool = False) -> dict[str, object]:
    """Plotly config: the camera button saves ``<stem>_<snapshot date>.png`` at a size that
    keeps the legend and the source line whole."""
    config: dict[str, object] = {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": f"{stem}_{snapshot_date(snapshot_id)}",
            "width": 1200,
            "height": 700,
            "scale": 2,
        },
    }
    if map_:
        # Plotly fetches "<topojsonURL>world_110m.json": our static folder, never the CDN.
        config["topojsonURL"] = countries.STATIC_URL
    return config


def snapshot_date(snapshot_id: str) -> str:
    """``20240101T000000000000Z`` (or ``000042-20240101T...``) -> ``2024-01-01``."""
    stamp = snapshot_id.rsplit("-", 1)[-1]
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) >= 8 else snapshot_id


def with_context(
    fig: go.Figure, title: str, snapshot_id: str, *, note: str = "", synthetic: bool = False
) -> go.Figure:
    """Title on the figure itself and the source + snapshot under it (kept in PNG exports); a
    synthetic snapshot's figure says so there instead of naming a source."""
    source = SYNTHETIC_SOURCE if synthetic else SOURCE
    source = plotly_text(f"{source}. Snapshot {snapshot_id}." + (f" {note}" if note else ""))
    fig.update_layout(
        title={"text": plotly_text(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        margin={"l": 8, "r": 8, "t": 56, "b": 120},
        height=520,
    )
    fig.add_annotation(
        text=source,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.42,
        xanchor="left",
        yanchor="top",
        align="left",
        font={"size": 11, "color": "#333333"},
    )
    return fig


def _layout(fig: go.Figure, *, y_title: str, log_scale: bool) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 13},
        hovermode="closest",
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.14,
            "xanchor": "left",
            "x": 0,
            "title": {"text": ""},
        },
    )
    fig.update_xaxes(title_text="Year", dtick=1, tickformat="d", showgrid=False)
    fig.update_yaxes(
        title_text=y_title,
        tickformat=",~g",
        type="log" if log_scale else "linear",
        rangemode="tozero",
    )
    return fig


def explorer_figure(
    frame: pl.DataFrame,
    *,
    measure: Measure = "kg",
    colours: dict[str, str] | None = None,
    log_scale: bool = False,
) -> go.Figure:
    """One line per series (``explorer_queries.trend``), flags drawn on the points: an open
    circle where coverage is low, an open diamond where the quantity doubled or halved."""
    label = next(k for k, v in MEASURES.items() if v == measure)
    fig = _layout(
        go.Figure(), y_title=label, log_scale=log_scale and measure != "countries_reporting"
    )
    if frame.is_empty():
        return empty_figure(fig, "Nothing reported for this selection")
    scale = KG_PER_TONNE if measure == "kg" else 1.0
    if measure == "kg_per_million_aged_15_64":
        frame = frame.filter(pl.col(measure).is_not_null())
        if frame.is_empty():
            return empty_figure(fig, "No population figure for this selection")
    names = frame["series"].unique(maintain_order=True).to_list()
    colours = colours or colour_map(names)
    order = [n for n in colours if n in names] + sorted(set(names) - set(colours))
    rates = (
        frame["kg_per_million_aged_15_64"]
        if "kg_per_million_aged_15_64" in frame.columns
        else pl.Series([None] * frame.height, dtype=pl.Float64)
    )
    frame = frame.with_columns(rates.alias("_rate"))
    for name in order:
        part = frame.filter(pl.col("series") == name).sort("year")
        y = (part[measure] / scale).to_list()
        custom = [
            [
                quantity_text(kg),
                n,
                f"{share:.0%}" if share is not None else "n/a",
                f"{rate:,.3g} kg per million people aged 15–64" if rate is not None else "n/a",
            ]
            for kg, n, share, rate in zip(
                part["kg"],
                part["countries_reporting"],
                part["coverage_share"],
                part["_rate"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=part["year"].to_list(),
                y=y,
                name=plotly_text(name),
                mode="lines+markers",
                line={"color": colours.get(name), "width": 2.5, "dash": line_dash(colours, name)},
                marker={"size": 7},
                customdata=custom,
                hovertemplate="<b>%{fullData.name}</b><br>%{x}: <b>%{customdata[0]}</b><br>"
                "Countries reporting: %{customdata[1]} (%{customdata[2]} of usual reporters)"
                + ("<br>Rate: %{customdata[3]}" if measure == "kg_per_million_aged_15_64" else "")
                + "<extra></extra>",
            )
        )
    for flag, symbol, legend in (
        ("low_coverage", LOW_COVERAGE_MARKER, "Flag: under half the usual reporters"),
        ("large_change", LARGE_CHANGE_MARKER, "Flag: doubled or halved on previous year"),
    ):
        flagged = frame.filter(pl.col(flag))
        if flagged.is_empty():
            continue
        fig.add_trace(
            go.Scatter(
                x=flagged["year"].to_list(),
                y=(flagged[measure] / scale).to_list(),
                name=legend,
                mode="markers",
                marker={"symbol": symbol, "size": 16, "color": FLAG_COLOUR, "line": {"width": 2}},
                text=[plotly_text(n) for n in flagged["series"].to_list()],
                hovertemplate=f"{legend}<br>%{{text}}, %{{x}}<extra></extra>",
            )
        )
    return fig


def country_figure(frame: pl.DataFrame, *, colours: dict[str, str] | None = None) -> go.Figure:
    """A country's quantity per series and year, in tonnes (``country_series``)."""
    fig = _layout(go.Figure(), y_title="Quantity seized (tonnes)", log_scale=False)
    if frame.is_empty():
        return empty_figure(fig, "This country reported no seizures")
    names = frame["series"].unique(maintain_order=True).to_list()
    colours = colours or colour_map(names)
    for name in [n for n in colours if n in names] + sorted(set(names) - set(colours)):
        part = frame.filter(pl.col("series") == name).sort("year")
        fig.add_trace(
            go.Scatter(
                x=part["year"].to_list(),
                y=(part["kg"] / KG_PER_TONNE).to_list(),
                name=plotly_text(name),
                mode="lines+markers",
                line={"color": colours.get(name), "width": 2.5, "dash": line_dash(colours, name)},
                hovertemplate="<b>%{fullData.name}</b><br>%{x}: %{y:,.3f} tonnes<extra></extra>",
            )
        )
    return fig


def choropleth_figure(frame: pl.DataFrame) -> go.Figure:
    """Quantity by country (``map_values``) on the offline Natural Earth base map, log colour
    scale (seizures span six orders of magnitude); countries not reporting stay grey."""
    fig = go.Figure()
    fig.update_layout(font={"family": FONT, "size": 13}, margin={"l": 0, "r": 0, "t": 40, "b": 8})
    fig.update_geos(
        projection_type="natural earth",
        showcountries=True,
        countrycolor="#ffffff",
        showland=True,
        landcolor="#e5e5e5",
        showframe=False,
        showcoastlines=False,
    )
    if frame.is_empty():
        return empty_figure(fig, "No country reported this series in this year")
    shown = frame.filter(pl.col("kg") > 0)
    import math

    fig.add_trace(
        go.Choropleth(
            locations=shown["area"].to_list(),
            locationmode="ISO-3",
            z=[math.log10(v) for v in shown["kg"].to_list()],
            text=[
                f"{plotly_text(name)}: {quantity_text(kg)}"
                for name, kg in zip(shown["area_name"], shown["kg"], strict=True)
            ],
            hovertemplate="%{text}<extra></extra>",
            colorscale="Viridis",
            reversescale=True,
            marker={"line": {"color": "#ffffff", "width": 0.5}},
            colorbar={
                "title": {"text": "kg seized"},
                "tickvals": list(range(0, 8)),
                "ticktext": ["1", "10", "100", "1 t", "10 t", "100 t", "1,000 t", "10,000 t"],
                "orientation": "h",
                "y": -0.05,
                "yanchor": "top",
                "thickness": 12,
            },
        )
    )
    return fig


def trend_sentence(frame: pl.DataFrame, area: str) -> str:
    """A text alternative of the explorer chart: first and last value of each series."""
    parts = []
    for name in frame["series"].unique(maintain_order=True).to_list():
        part = frame.filter(pl.col("series") == name).sort("year")
        first, last = part.row(0, named=True), part.row(-1, named=True)
        parts.append(
            f"{name}: {quantity_text(first['kg'])} in {first['year']}, "
            f"{quantity_text(last['kg'])} in {last['year']}"
            f" ({last['countries_reporting']} countries reporting)"
        )
    flags = frame.filter(pl.col("low_coverage") | pl.col("large_change")).height
    text = f"{area}. " + "; ".join(parts) + "."
    if flags:
        text += f" {flags} point(s) carry a flag (low coverage or doubled/halved)."
    return text
