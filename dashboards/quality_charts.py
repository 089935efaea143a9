"""Figures of the data-quality page. Pure functions, no Streamlit."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboards.charts import FONT, PALETTE, empty_figure
from dashboards.safe_text import plotly as plotly_text

CLEAN = "#0072B2"
QUARANTINED = "#D55E00"
FAILED = "#C62828"
SKIPPED = "#7B8794"
VERSION = "#3E4C59"
RUN_LABEL_FORMAT = "%Y-%m-%d %H:%M:%S"


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
        hovermode="closest",
        hoverlabel={"font": {"family": FONT}},
        paper_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
    )
    return fig


def run_labels(runs: pl.DataFrame) -> list[str]:
    """One x-axis label per run: its finishing time in UTC."""
    return [
        f"{t.strftime(RUN_LABEL_FORMAT)}" if t is not None else "–"
        for t in runs["finished_at"].dt.convert_time_zone("UTC").to_list()
    ]


def history_figure(runs: pl.DataFrame) -> go.Figure:
    """Clean and quarantined rows per run (``quality_queries.run_history``), stacked, with
    failed and skipped runs marked and each contract version change labelled."""
    fig = _layout(go.Figure(), height=400)
    if runs.is_empty():
        return empty_figure(fig, "No runs recorded for this dataset and region")
    labels = run_labels(runs)
    hover = [  # the message quotes submitted text: shown as text, never as HTML
        f"Run {plotly_text(run_id[:8])} · {plotly_text(status)}<br>Read {raw or 0:,} · "
        f"clean {clean or 0:,} · quarantined {quarantined or 0:,}<br>"
        f"Contract {plotly_text(version)}" + (f"<br>{plotly_text(message)}" if message else "")
        for run_id, status, message, raw, clean, quarantined, version in runs.select(
            "run_id",
            "status",
            "message",
            "raw_rows",
            "clean_rows",
            "quarantined_rows",
            "contract_version",
        ).iter_rows()
    ]
    for column, name, colour in (
        ("clean_rows", "Clean rows", CLEAN),
        ("quarantined_rows", "Quarantined rows", QUARANTINED),
    ):
        fig.add_trace(
            go.Bar(
                x=labels,
                y=runs[column].fill_null(0).to_list(),
                name=name,
                marker={"color": colour},
                hovertext=hover,
                width=0.5,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    top = (runs["clean_rows"].fill_null(0) + runs["quarantined_rows"].fill_null(0)).to_list()
    for status, symbol, colour, name in (
        ("failed", "x", FAILED, "Failed run (not published)"),
        ("skipped", "circle-open", SKIPPED, "Skipped run"),
    ):
        at = [i for i, s in enumerate(runs["status"].to_list()) if s == status]
        if at:
            fig.add_trace(
                go.Scatter(
                    x=[labels[i] for i in at],
                    y=[top[i] for i in at],
                    name=name,
                    mode="markers",
                    marker={
                        "symbol": symbol,
                        "size": 14,
                        "color": colour,
                        "line": {"width": 2.5, "color": colour},
                    },
                    hovertext=[hover[i] for i in at],
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    previous = None
    for i, (label, version) in enumerate(
        zip(labels, runs["contract_version"].to_list(), strict=True)
    ):
        if version != previous:
            if previous is not None:  # between the last run of the old and the first of the new
                fig.add_vline(x=i - 0.5, line={"dash": "dot", "color": VERSION, "width": 1.5})
            fig.add_annotation(
                x=label,
                y=1.0,
                yref="paper",
                yanchor="bottom",
                text=f"contract {plotly_text(version)}",
                showarrow=False,
                font={"size": 12, "color": VERSION},
                bgcolor="rgba(255,255,255,0.85)",
            )
        previous = version
    fig.update_layout(barmode="stack", margin={"t": 64}, legend={"y": 1.12})
    # Room for at least 8 runs, so one or two runs do not draw as wall-wide bars.
    fig.update_xaxes(
        type="category",
        title_text="Run (finished, UTC)",
        showgrid=False,
        range=[-0.5, max(len(labels), 8) - 0.5],
    )
    fig.update_yaxes(title_text="Rows", tickformat=",~g", rangemode="tozero", gridcolor="#E4E7EB")
    return fig


def rules_figure(by_rule: pl.DataFrame) -> go.Figure:
    """Quarantined rows per rule (``quality_queries.quarantine_by_rule``), one colour per
    dataset, largest on top."""
    rules = by_rule["rule"].unique(maintain_order=True).to_list()
    fig = _layout(go.Figure(), height=120 + 30 * max(len(rules), 1))
    if by_rule.is_empty():
        fig.update_layout(height=200)
        return empty_figure(fig, "No quarantined rows for this selection")
    for i, dataset in enumerate(by_rule["dataset"].unique(maintain_order=True).to_list()):
        part = by_rule.filter(pl.col("dataset") == dataset)
        fig.add_trace(
            go.Bar(
                y=[plotly_text(r) for r in part["rule"].to_list()],
                x=part["rows"].to_list(),
                name=plotly_text(dataset),
                orientation="h",
                marker={"color": PALETTE[i % len(PALETTE)]},
                hovertemplate="%{y}: <b>%{x:,} rows</b> (%{fullData.name})<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_yaxes(
        categoryorder="array", categoryarray=[plotly_text(r) for r in rules[::-1]], automargin=True
    )
    few = int(by_rule["rows"].max() or 0) <= 10  # whole-row ticks, never "0 1 1 2 2"
    fig.update_xaxes(
        title_text="Quarantined rows",
        tickformat=",d",
        gridcolor="#E4E7EB",
        dtick=1 if few else None,
    )
    return fig
