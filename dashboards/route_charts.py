"""Figures of the routes page: Sankey and transport mix (the flow map: :mod:`dashboards.flow_map`).
Pure functions, no Streamlit.

Inputs are the frames of :mod:`dashboards.route_queries`; countries are shown by name
(:mod:`dashboards.countries`), never by ISO3 code.
"""

from __future__ import annotations

import zlib

import plotly.graph_objects as go
import polars as pl

from dashboards import Measure, countries
from dashboards.charts import FONT, PALETTE, empty_figure
from dashboards.safe_text import plotly_frame

MEASURES: dict[str, str] = {"seizures": "Seizures (cases)", "kg": "Kilograms (kg equivalent)"}
VALUE_COLUMN: dict[str, str] = {"seizures": "seizures", "kg": "kg_equivalent"}
UNIT: dict[str, str] = {"seizures": "seizures", "kg": "kg"}

OTHER = "Other countries"
STAGES = ("departure_iso3", "seizing_iso3", "destination_iso3")
STAGE_TITLES = ("Departure", "Seized in", "Destination")
STAGE_COLOURS = ("#0072B2", "#D55E00", "#009E73")
GREY = "#9AA5B1"
# Modes that say nothing about the mode share a grey; real modes get the palette.
VAGUE_MODES = {
    "Not reported": "#C3C9D0",
    "Unknown": "#AEB6BF",
    "Other": "#8A94A0",
    "None": "#D5DADF",
}
# One fixed colour per transport mode (the modes of the case-level data), so a mode keeps its
# colour whatever corridors, drug or years are chosen. A mode not listed here gets a colour
# from its name, the same on every selection.
MODE_COLOURS = {
    "Commercial air": PALETTE[0],
    "Private air": PALETTE[5],
    "Commercial road": PALETTE[1],
    "Private road": PALETTE[3],
    "Commercial sea": PALETTE[2],
    "Private sea": PALETTE[10],
    "River": PALETTE[8],
    "Rail": PALETTE[6],
    "Mail": PALETTE[4],
    "Pedestrian": PALETTE[9],
}


def amount_text(value: float, measure: Measure) -> str:
    """ "1,234 seizures" or "1,234.5 kg" (kg below 10 keep one decimal)."""
    if measure == "kg":
        return f"{value:,.1f} kg" if abs(value) < 10 else f"{value:,.0f} kg"
    return f"{value:,.0f} seizure" + ("" if value == 1 else "s")


def base_layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 8, "r": 8, "t": 36, "b": 8},
        hoverlabel={"font": {"family": FONT}},
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


# --- Sankey ------------------------------------------------------------------------------------


def _label(column: str, keep: set[str | None]) -> pl.Expr:
    """Country name; "Unknown" for a null end; "Other countries" outside the kept set."""
    code = pl.col(column)
    return (
        pl.when(code.is_null())
        .then(pl.lit(countries.UNKNOWN))
        .when(code.is_in([c for c in keep if c is not None]))
        .then(countries.name_expr(column))
        .otherwise(pl.lit(OTHER))
    )


def sankey_links(
    flows: pl.DataFrame, *, measure: Measure, top_n: int, include_unknown: bool
) -> pl.DataFrame:
    """The Sankey's links: (source_stage, source, target_stage, target, value).

    The ``top_n`` largest departure -> seizing -> destination flows keep their countries; every
    other country is grouped, per column, as "Other countries". Without ``include_unknown``,
    flows with an unknown departure or destination are left out; with it, they run through an
    "Unknown" node. Flows with no amount of the measure (e.g. no kg equivalent) are left out.
    """
    value = VALUE_COLUMN[measure]
    frame = flows.select(*STAGES, pl.col(value).cast(pl.Float64).alias("value"))
    if not include_unknown:
        frame = frame.drop_nulls(["departure_iso3", "destination_iso3"])
    frame = frame.filter(pl.col("value") > 0)
    top = frame.sort(
        ["value", *STAGES], descending=[True, False, False, False], nulls_last=True
    ).head(top_n)
    labelled = frame.with_columns(
        _label(stage, set(top[stage].to_list())).alias(f"label_{i}")
        for i, stage in enumerate(STAGES)
    )
    parts = []
    for i in (0, 1):
        parts.append(
            labelled.group_by(f"label_{i}", f"label_{i + 1}")
            .agg(pl.col("value").sum())
            .select(
                pl.lit(i).alias("source_stage"),
                pl.col(f"label_{i}").alias("source"),
                pl.lit(i + 1).alias("target_stage"),
                pl.col(f"label_{i + 1}").alias("target"),
                "value",
            )
        )
    links = pl.concat(parts)
    # Largest first, "Other countries" and "Unknown" after the named countries.
    vague = pl.col("source").is_in([OTHER, countries.UNKNOWN]) | pl.col("target").is_in(
        [OTHER, countries.UNKNOWN]
    )
    return links.sort(
        [pl.col("source_stage"), vague, pl.col("value"), "source", "target"],
        descending=[False, False, True, False, False],
    )


def sankey_figure(
    flows: pl.DataFrame, *, measure: Measure, top_n: int = 12, include_unknown: bool = False
) -> go.Figure:
    """Departure country -> seizing country -> destination country, link width by the measure."""
    fig = base_layout(go.Figure(), height=560)
    links = sankey_links(flows, measure=measure, top_n=top_n, include_unknown=include_unknown)
    links = plotly_frame(links)  # submitted names shown as text, never as HTML
    if links.is_empty():
        fig = empty_figure(fig, "No seizures with a reported route for this selection")
        fig.update_layout(height=260)
        return fig

    nodes: dict[tuple[int, str], int] = {}
    for stage, label in [
        *zip(links["source_stage"], links["source"], strict=True),
        *zip(links["target_stage"], links["target"], strict=True),
    ]:
        nodes.setdefault((stage, label), len(nodes))
    vague = {OTHER, countries.UNKNOWN}
    node_colours = [GREY if label in vague else STAGE_COLOURS[stage] for stage, label in nodes]
    total = float(links.filter(pl.col("source_stage") == 0)["value"].sum())
    unit = UNIT[measure]

    link_colours, link_text = [], []
    for source, target, amount in links.select("source", "target", "value").iter_rows():
        grey = source in vague or target in vague
        colour = GREY if grey else STAGE_COLOURS[0]
        link_colours.append(rgba(colour, 0.28 if grey else 0.35))
        link_text.append(f"{amount_text(amount, measure)} ({100 * amount / total:.1f}% of shown)")

    fig.add_trace(
        go.Sankey(
            arrangement="snap",
            valueformat=",.0f",
            textfont={"family": FONT, "size": 13, "color": "#1F2933", "shadow": "none"},
            valuesuffix=f" {unit}",
            node={
                "label": [label for _, label in nodes],
                "color": node_colours,
                "customdata": [STAGE_TITLES[stage] for stage, _ in nodes],
                "hovertemplate": "<b>%{label}</b> (%{customdata})<br>%{value}<extra></extra>",
                "pad": 14,
                "thickness": 16,
                "line": {"width": 0},
            },
            link={
                "source": [
                    nodes[(s, label)]
                    for s, label in zip(links["source_stage"], links["source"], strict=True)
                ],
                "target": [
                    nodes[(s, label)]
                    for s, label in zip(links["target_stage"], links["target"], strict=True)
                ],
                "value": links["value"].to_list(),
                "color": link_colours,
                "customdata": link_text,
                "hovertemplate": "%{source.label} → %{target.label}<br>"
                "<b>%{customdata}</b><extra></extra>",
            },
        )
    )
    for x, title, anchor in zip(
        (0, 0.5, 1), STAGE_TITLES, ("left", "center", "right"), strict=True
    ):
        fig.add_annotation(
            text=f"<b>{title}</b>",
            x=x,
            y=1.0,
            xref="paper",
            yref="paper",
            yanchor="bottom",
            xanchor=anchor,
            showarrow=False,
            font={"size": 14, "color": "#3E4C59"},
        )
    return fig


# --- Transport mix -----------------------------------------------------------------------------


def corridor_expr() -> pl.Expr:
    """ "Colombia → Spain" from departure_iso3 and destination_iso3."""
    return pl.concat_str(
        countries.name_expr("departure_iso3"),
        pl.lit(" → "),
        countries.name_expr("destination_iso3"),
    )


def transport_colour(mode: str) -> str:
    """The one colour of a transport mode, independent of what else is shown."""
    if mode in VAGUE_MODES:
        return VAGUE_MODES[mode]
    if mode in MODE_COLOURS:
        return MODE_COLOURS[mode]
    return PALETTE[zlib.crc32(mode.encode("utf-8")) % len(PALETTE)]


def transport_colours(modes: list[str]) -> dict[str, str]:
    """A colour per transport mode: fixed per mode (``MODE_COLOURS``), greys for vague modes."""
    return {mode: transport_colour(mode) for mode in modes}


def transport_figure(modes: pl.DataFrame, *, measure: Measure) -> go.Figure:
    """One stacked bar per corridor (``route_queries.corridor_transport``), by transport mode,
    largest corridor on top."""
    modes = plotly_frame(modes)  # a transport value holding <a href> is shown as text
    value = VALUE_COLUMN[measure]
    fig = base_layout(go.Figure(), height=160 + 34 * modes["rank"].n_unique())
    fig.update_layout(
        barmode="stack",
        bargap=0.35,
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "traceorder": "normal",
            "title": {"text": "Transport: "},
        },
        margin={"l": 8, "r": 8, "t": 48, "b": 8},
    )
    fig.update_xaxes(
        title_text=MEASURES[measure], tickformat=",~g", showgrid=True, gridcolor="#E4E7EB"
    )
    if modes.is_empty():
        return empty_figure(fig, "No cross-border corridor reported for this selection")
    frame = modes.with_columns(
        corridor_expr().alias("corridor"),
        (pl.col(value) / pl.col(value).sum().over("rank")).alias("share"),
    )
    order = frame.sort("rank")["corridor"].unique(maintain_order=True).to_list()
    by_mode = (
        frame.group_by("transport")
        .agg(pl.col(value).sum())
        .sort([value, "transport"], descending=[True, False])["transport"]
        .to_list()
    )
    colours = transport_colours(by_mode)
    for mode in [m for m in by_mode if m not in VAGUE_MODES] + [
        m for m in VAGUE_MODES if m in by_mode
    ]:
        part = frame.filter(pl.col("transport") == mode)
        fig.add_trace(
            go.Bar(
                y=part["corridor"].to_list(),
                x=part[value].to_list(),
                name=mode,
                orientation="h",
                marker={"color": colours[mode]},
                customdata=[
                    [amount_text(v, measure), f"{100 * s:.0f}%" if s == s else "–"]
                    for v, s in zip(part[value], part["share"], strict=True)
                ],
                hovertemplate="%{y}<br>%{fullData.name}: <b>%{customdata[0]}</b> "
                "(%{customdata[1]} of the corridor)<extra></extra>",
            )
        )
    fig.update_yaxes(
        categoryorder="array", categoryarray=order[::-1], title_text="", automargin=True
    )
    return fig
