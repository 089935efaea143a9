"""Submitted text in figures: Plotly renders a subset of HTML in trace names, legends, hover
text, axis ticks, annotations and titles, so every builder escapes what it is given."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboards import (
    charts,
    explorer_charts,
    flow_map,
    quality_charts,
    route_charts,
    safe_text,
)

LINK = '<a href="http://127.0.0.1:9/x">click</a>'
BOLD = "<b>Heroin</b>"
HOSTILE = f"{LINK} {BOLD}"
ESCAPED = safe_text.plotly(HOSTILE)


def strings(value: object) -> Iterator[str]:
    """Every string in a figure's JSON (data and layout)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


def assert_inert(fig: go.Figure, *, shown: bool = True) -> None:
    texts = list(strings(fig.to_plotly_json()))
    live = [t for t in texts if "<a " in t or "href=" in t and "&lt;" not in t or BOLD in t]
    assert not live, live
    if shown:
        assert any(ESCAPED in t for t in texts), "the hostile name is not shown at all"


def test_escape_makes_links_and_bold_inert() -> None:
    assert ESCAPED == (
        '&lt;a href="http://127.0.0.1:9/x"&gt;click&lt;/a&gt; &lt;b&gt;Heroin&lt;/b&gt;'
    )
    frame = safe_text.plotly_frame(pl.DataFrame({"name": [HOSTILE], "kg": [-1.0]}))
    assert frame.row(0) == (ESCAPED, -1.0)


TRENDS = pl.DataFrame(
    {
        "drug_group": [HOSTILE, HOSTILE],
        "year": [2020, 2021],
        "kg": [1_500.0, 1_200.0],
        "countries_reporting": [10, 12],
        "yoy_change_kg": [None, -300.0],
        "yoy_change_pct": [None, -20.0],
    }
)
EXPLORER = pl.DataFrame(
    {
        "area_name": ["World", "World"],
        "series": [HOSTILE, HOSTILE],
        "year": [2020, 2021],
        "kg": [1_500.0, 3_200.0],
        "countries_reporting": [10, 3],
        "coverage_share": [1.0, 0.3],
        "low_coverage": [False, True],
        "large_change": [False, True],
    }
)
FLOWS = pl.DataFrame(
    {
        "departure_iso3": [HOSTILE, "COL"],
        "seizing_iso3": ["ESP", "ESP"],
        "destination_iso3": ["ESP", HOSTILE],
        "seizures": [10, 5],
        "seizures_with_kg": [10, 5],
        "kg_equivalent": [100.0, 50.0],
    }
)
MODES = pl.DataFrame(
    {
        "rank": [1, 1],
        "departure_iso3": ["COL", "COL"],
        "destination_iso3": ["ESP", "ESP"],
        "transport": [HOSTILE, "Commercial air"],
        "seizures": [10, 3],
        "kg_equivalent": [49.0, 60.0],
    }
)
T5 = datetime(2024, 1, 1, 5, tzinfo=UTC)
RUNS = pl.DataFrame(
    [
        (
            "annual_seizures",
            "Europe",
            "run-e1",
            "failed",
            f"unknown drug {HOSTILE}",
            5,
            2,
            3,
            HOSTILE,
        ),
    ],
    orient="row",
    schema={
        "dataset": pl.String,
        "region": pl.String,
        "run_id": pl.String,
        "status": pl.String,
        "message": pl.String,
        "raw_rows": pl.Int64,
        "clean_rows": pl.Int64,
        "quarantined_rows": pl.Int64,
        "contract_version": pl.String,
    },
).with_columns(pl.lit(T5).alias("finished_at"))


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.trend_figure(TRENDS),
        lambda: charts.reporting_figure(TRENDS),
        lambda: charts.trend_figure(TRENDS.rename({"drug_group": "series"}), label="series"),
        lambda: explorer_charts.explorer_figure(EXPLORER),
        lambda: explorer_charts.country_figure(EXPLORER),
        lambda: explorer_charts.choropleth_figure(
            pl.DataFrame(
                {"area": ["ESP"], "area_name": [HOSTILE], "kg": [10.0], "share_of_global": [1.0]}
            )
        ),
        lambda: explorer_charts.with_context(go.Figure(), f"{HOSTILE} seized", "S1", note=HOSTILE),
        lambda: route_charts.sankey_figure(FLOWS, measure="seizures", include_unknown=True),
        lambda: route_charts.transport_figure(MODES, measure="seizures"),
        lambda: quality_charts.history_figure(RUNS),
        lambda: quality_charts.rules_figure(
            pl.DataFrame({"dataset": [HOSTILE], "rule": [f"drug.{HOSTILE}"], "rows": [2]})
        ),
    ],
    ids=[
        "trend",
        "reporting",
        "series_trend",
        "explorer",
        "country",
        "world_map",
        "title_and_note",
        "sankey",
        "transport",
        "run_history",
        "rules",
    ],
)
def test_submitted_names_are_inert_in_every_figure(build) -> None:
    assert_inert(build())


def test_the_flow_map_draws_known_countries_only() -> None:
    # A code the country list lacks has no map point, so it is never drawn or named.
    assert_inert(flow_map.flow_map_figure(FLOWS, measure="seizures"), shown=False)


def test_a_hostile_transport_mode_keeps_the_hover_template_intact() -> None:
    fig = route_charts.transport_figure(MODES, measure="seizures")
    assert all(HOSTILE not in (t.hovertemplate or "") for t in fig.data)
    assert {t.name for t in fig.data} == {ESCAPED, "Commercial air"}
