"""Plotly figures from query frames: pure functions, no Streamlit, unit-tested on small frames."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from dashboards.safe_text import plotly as plotly_text

KG_PER_TONNE = 1000.0
# Okabe-Ito-like qualitative palette (colour-blind safe), then extras for groups 9+.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#8C6D31",
    "#4D4D4D",
    "#B8A400",
    "#7F3C8D",
    "#11A579",
    "#E73F74",
)
FONT = "Source Sans, -apple-system, Segoe UI, Roboto, sans-serif"


def colour_map(groups: Sequence[str]) -> dict[str, str]:
    """One fixed colour per drug group, so a group keeps its colour whatever is filtered."""
    return {group: PALETTE[i % len(PALETTE)] for i, group in enumerate(groups)}


# Past the palette's colours, a name shares a colour with one before it: its line is dashed.
DASHES = ("solid", "dash", "dashdot")


def line_dash(colours: dict[str, str], name: str) -> str:
    """The dash that tells apart two names of one colour (``colour_map`` order)."""
    order = list(colours)
    rank = order.index(name) if name in colours else 0
    return DASHES[(rank // len(PALETTE)) % len(DASHES)]


def _yoy_text(
    pct: float | None,
    change_kg: float | None,
    flag: str | None = None,
    like_for_like: float | None = None,
) -> str:
    """E.g. "+12.5% (+1,234.0 tonnes)"; "not available" without a previous year's report.

    The percentage is left out when the previous year was 0 (reported none) or when the mart
    flags its base as small (``yoy_flag`` small_base); a change of reporters is said, with the
    like-for-like change over the countries that reported in both years.
    """
    if change_kg is None:
        return "not available"
    amount = f"({'+' if change_kg >= 0 else '-'}{quantity_text(abs(change_kg))})"
    flags = set((flag or "").split(","))
    if "small_base" in flags:
        text = f"{amount} ⚠ small base, % not shown"
    else:
        text = f"{pct:+,.1f}% {amount}" if pct is not None else amount
    if "reporters_changed" in flags:
        text += " ⚠ reporters changed"
        if like_for_like is not None and "small_base" not in flags:
            text += f"; like-for-like {like_for_like:+,.1f}%"
    return text


def _column(frame: pl.DataFrame, name: str) -> list:
    return frame[name].to_list() if name in frame.columns else [None] * frame.height


def quantity_text(kg: float | None) -> str:
    """A weight as people read it: tonnes from one tonne up, kilograms below (never "0.0 t")."""
    if kg is None:
        return "not reported"
    if abs(kg) >= KG_PER_TONNE:
        return f"{kg / KG_PER_TONNE:,.1f} tonnes"
    return f"{kg:,.1f} kg" if kg % 1 else f"{kg:,.0f} kg"


def _base_layout(fig: go.Figure, *, y_title: str, log_scale: bool = False) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 13},
        margin={"l": 8, "r": 8, "t": 16, "b": 8},
        height=430,
        hovermode="closest",
        # The legend sits at the foot of the figure (container coordinates), so the margin
        # Plotly reserves for it starts under the axis title: placed in plot coordinates
        # (y < 0) it slid up over "Year" once a narrow screen wrapped it into many rows.
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "xanchor": "left",
            "x": 0,
            "title": {"text": ""},
        },
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(title_text="Year", dtick=1, tickformat="d", showgrid=False)
    # Plain numbers on both scales: SI suffixes would print 0.1 t as "100m", read as millions.
    fig.update_yaxes(
        title_text=y_title,
        tickformat=",~g",
        type="log" if log_scale else "linear",
        rangemode="tozero",
        zeroline=True,
    )
    return fig


def empty_figure(fig: go.Figure, message: str) -> go.Figure:
    """A figure that says why it has nothing to show."""
    fig.add_annotation(
        text=message,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 15, "color": "#666"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _coverage_text(low: bool | None, share: float | None, usual: int | None) -> str:
    if share is None:
        return ""
    text = f" ({100 * share:.0f}% of the {usual} usual reporters)"
    return text + " ⚠ low coverage" if low else text


def trend_figure(
    frame: pl.DataFrame,
    *,
    colours: dict[str, str] | None = None,
    log_scale: bool = False,
    label: str = "drug_group",
) -> go.Figure:
    """Quantity seized per year, one line per drug group (or series: ``label="series"``), in
    tonnes.

    ``frame`` has the columns of ``queries.group_trends`` (or ``queries.series_trends``); hover
    shows the countries reporting and the change on the previous year, with the mart's flags:
    a small base hides the percentage, low coverage draws an open marker.
    """
    fig = _base_layout(go.Figure(), y_title="Quantity seized (tonnes)", log_scale=log_scale)
    if frame.is_empty():
        return empty_figure(fig, "No seizures reported for this selection")
    colours = colours or colour_map(frame[label].unique(maintain_order=True).to_list())
    for group in _ordered_groups(frame, colours, label):
        part = frame.filter(pl.col(label) == group).sort("year")
        low = [bool(v) for v in _column(part, "low_coverage")]
        custom = [
            [
                countries if share is None else f"{countries}{_coverage_text(lo, share, usual)}",
                _yoy_text(pct, change, flag, lfl),
                quantity_text(kg),
            ]
            for countries, pct, change, kg, flag, lfl, lo, share, usual in zip(
                part["countries_reporting"],
                part["yoy_change_pct"],
                part["yoy_change_kg"],
                part["kg"],
                _column(part, "yoy_flag"),
                _column(part, "yoy_like_for_like_pct"),
                low,
                _column(part, "coverage_share"),
                _column(part, "usual_reporters"),
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=part["year"].to_list(),
                y=(part["kg"] / KG_PER_TONNE).to_list(),
                name=plotly_text(group),  # a submitted name is shown as text
                mode="lines+markers",
                line={
                    "color": colours.get(group),
                    "width": 2.5,
                    "dash": line_dash(colours, group),
                },
                marker={
                    "size": [11 if lo else 7 for lo in low],
                    "symbol": ["circle-open" if lo else "circle" for lo in low],
                },
                customdata=custom,
                hovertemplate=(
                    "<b>%{fullData.name}</b><br>"
                    "%{x}: <b>%{customdata[2]}</b><br>"
                    "Change on previous year: %{customdata[1]}<br>"
                    "Countries reporting: %{customdata[0]}"
                    "<extra></extra>"
                ),
            )
        )
    return fig


def reporting_figure(
    frame: pl.DataFrame, *, colours: dict[str, str] | None = None, label: str = "drug_group"
) -> go.Figure:
    """Countries reporting seizures per year, one line per drug group or series (coverage
    behind a trend)."""
    fig = _base_layout(go.Figure(), y_title="Countries reporting")
    if frame.is_empty():
        return empty_figure(fig, "No seizures reported for this selection")
    colours = colours or colour_map(frame[label].unique(maintain_order=True).to_list())
    for group in _ordered_groups(frame, colours, label):
        part = frame.filter(pl.col(label) == group).sort("year")
        fig.add_trace(
            go.Scatter(
                x=part["year"].to_list(),
                y=part["countries_reporting"].to_list(),
                name=plotly_text(group),  # a submitted name is shown as text
                mode="lines+markers",
                line={"color": colours.get(group), "width": 2.5, "dash": "dot"},
                marker={"size": 7},
                hovertemplate="<b>%{fullData.name}</b><br>%{x}: %{y} countries reporting"
                "<extra></extra>",
            )
        )
    fig.update_yaxes(tickformat="d")
    return fig


def _ordered_groups(
    frame: pl.DataFrame, colours: dict[str, str], label: str = "drug_group"
) -> list[str]:
    """Groups in the colour map's order (largest first), then any the map does not know."""
    present = set(frame[label].to_list())
    known = [g for g in colours if g in present]
    return known + sorted(present - set(known))
