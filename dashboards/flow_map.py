"""The routes page's flow map: route legs as great-circle lines, seizing countries as markers.
Pure functions, no Streamlit; inputs are the flow frames of :mod:`dashboards.route_queries`.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from dashboards import Measure, countries
from dashboards.charts import empty_figure
from dashboards.route_charts import VALUE_COLUMN, amount_text, base_layout, rgba
from dashboards.safe_text import plotly_frame

INBOUND = "Departure → where seized"
ONWARD = "Where seized → destination"
LEG_COLOURS = {INBOUND: "#0072B2", ONWARD: "#D55E00"}
SEIZED_COLOUR = "#1F2933"
LAND, BORDERS, WATER = "#E4E7EB", "#FFFFFF", "#F4F7FA"


# --- Flow map ----------------------------------------------------------------------------------


def map_segments(flows: pl.DataFrame, *, measure: Measure, limit: int = 40) -> pl.DataFrame:
    """Country-to-country legs of the flows: departure -> seizing country (``INBOUND``) and
    seizing country -> destination (``ONWARD``), known and distinct ends only, summed, the
    ``limit`` largest. Columns: from_iso3, to_iso3, leg, value."""
    value = pl.col(VALUE_COLUMN[measure]).cast(pl.Float64).alias("value")
    inbound = flows.filter(
        pl.col("departure_iso3").is_not_null()
        & (pl.col("departure_iso3") != pl.col("seizing_iso3"))
    ).select(
        pl.col("departure_iso3").alias("from_iso3"),
        pl.col("seizing_iso3").alias("to_iso3"),
        pl.lit(INBOUND).alias("leg"),
        value,
    )
    onward = flows.filter(
        pl.col("destination_iso3").is_not_null()
        & (pl.col("destination_iso3") != pl.col("seizing_iso3"))
    ).select(
        pl.col("seizing_iso3").alias("from_iso3"),
        pl.col("destination_iso3").alias("to_iso3"),
        pl.lit(ONWARD).alias("leg"),
        value,
    )
    return (
        pl.concat([inbound, onward])
        .group_by("from_iso3", "to_iso3", "leg")
        .agg(pl.col("value").sum())
        .filter(pl.col("value") > 0)
        .sort(["value", "leg", "from_iso3", "to_iso3"], descending=[True, False, False, False])
        .head(limit)
    )


def _midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Midpoint of the great circle from a to b (lat, lon in degrees): where Plotly's arc is."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    bx = math.cos(lat2) * math.cos(lon2 - lon1)
    by = math.cos(lat2) * math.sin(lon2 - lon1)
    lat = math.atan2(math.sin(lat1) + math.sin(lat2), math.hypot(math.cos(lat1) + bx, by))
    lon = lon1 + math.atan2(by, math.cos(lat1) + bx)
    return math.degrees(lat), (math.degrees(lon) + 540) % 360 - 180


def flow_map_figure(flows: pl.DataFrame, *, measure: Measure, limit: int = 40) -> go.Figure:
    """Route legs as great-circle lines (width by the measure) and the seizing countries as
    markers (size by the measure). The base map is the offline topojson (see the page)."""
    flows = plotly_frame(flows)  # submitted names shown as text, never as HTML
    fig = base_layout(go.Figure(), height=520)
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 8, "b": 0},
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
    )
    fig.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showland=True,
        landcolor=LAND,
        showcountries=True,
        countrycolor=BORDERS,
        countrywidth=0.6,
        showocean=True,
        oceancolor=WATER,
        showlakes=True,
        lakecolor=WATER,
        bgcolor="rgba(0,0,0,0)",
        lataxis_range=[-58, 85],
    )
    segments = map_segments(flows, measure=measure, limit=limit)
    seized = (
        flows.group_by("seizing_iso3")
        .agg(pl.col(VALUE_COLUMN[measure]).cast(pl.Float64).sum().alias("value"))
        .filter(pl.col("value") > 0)
        .sort("value", descending=True)
    )
    if segments.is_empty() and seized.is_empty():
        return empty_figure(fig, "No seizures with a reported route for this selection")

    largest = float(segments["value"].max()) if segments.height else 1.0
    hover_lat, hover_lon, hover_text = [], [], []
    shown_legs: set[str] = set()
    for start, end, leg, amount in segments.iter_rows():
        a, b = countries.point(start), countries.point(end)
        if a is None or b is None:
            continue
        fig.add_trace(
            go.Scattergeo(
                lat=[a[0], b[0]],
                lon=[a[1], b[1]],
                mode="lines",
                name=leg,
                legendgroup=leg,
                legendrank=1 if leg == INBOUND else 2,
                showlegend=leg not in shown_legs,
                hoverinfo="skip",
                line={"width": 1 + 7 * math.sqrt(amount / largest), "color": LEG_COLOURS[leg]},
                opacity=0.55,
            )
        )
        shown_legs.add(leg)
        mid = _midpoint(a, b)
        hover_lat.append(mid[0])
        hover_lon.append(mid[1])
        hover_text.append(
            f"{countries.name(start)} → {countries.name(end)}<br>"
            f"<b>{amount_text(amount, measure)}</b>"
        )
    if hover_text:  # invisible points on the arcs' midpoints carry the legs' hover text
        fig.add_trace(
            go.Scattergeo(
                lat=hover_lat,
                lon=hover_lon,
                mode="markers",
                showlegend=False,
                name="",
                marker={"size": 12, "opacity": 0},
                hovertext=hover_text,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )

    placed = [(iso3, amount, countries.point(iso3)) for iso3, amount in seized.iter_rows()]
    placed = [(iso3, amount, p) for iso3, amount, p in placed if p is not None]
    if placed:
        top = max(amount for _, amount, _ in placed)
        fig.add_trace(
            go.Scattergeo(
                lat=[p[0] for _, _, p in placed],
                lon=[p[1] for _, _, p in placed],
                mode="markers",
                name="Seizing country (size: amount seized there)",
                legendrank=3,
                marker={
                    "size": [6 + 22 * math.sqrt(amount / top) for _, amount, _ in placed],
                    "color": rgba(SEIZED_COLOUR, 0.75),
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=[
                    f"Seized in {countries.name(iso3)}<br><b>{amount_text(amount, measure)}</b>"
                    for iso3, amount, _ in placed
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    if len({*segments["from_iso3"], *segments["to_iso3"], *seized["seizing_iso3"]}) > 1:
        fig.update_geos(fitbounds="locations", lataxis_range=None)
    return fig
