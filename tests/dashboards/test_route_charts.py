"""Routes figures and tables on small inline frames: names not codes, "Other" and "Unknown",
line widths by the measure, and the offline base map."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path

import polars as pl
import pytest

from dashboards import countries, flow_map, route_charts, route_tables, tables
from drugtrends.reference import iso3_to_region

FLOWS = pl.DataFrame(
    [
        ("COL", "ESP", "ESP", 10, 10, 100.0),
        ("ECU", "NLD", "NLD", 8, 8, 400.0),
        (None, "ESP", None, 6, 6, 12.0),
        ("COL", "ESP", "ITA", 5, 5, 50.0),
        ("BRA", "PRT", "ESP", 4, 3, 30.0),
        ("COL", "NGA", "ESP", 3, 3, 9.0),
        ("PER", "ESP", None, 2, 0, 0.0),
    ],
    orient="row",
    schema={
        "departure_iso3": pl.String,
        "seizing_iso3": pl.String,
        "destination_iso3": pl.String,
        "seizures": pl.Int64,
        "seizures_with_kg": pl.Int64,
        "kg_equivalent": pl.Float64,
    },
)
OTHER, UNKNOWN = route_charts.OTHER, countries.UNKNOWN


def link_map(links: pl.DataFrame) -> dict[tuple, float]:
    return {
        (s, src, tgt): v
        for s, src, tgt, v in links.select("source_stage", "source", "target", "value").iter_rows()
    }


def test_top_flows_keep_their_countries_the_rest_is_other() -> None:
    links = route_charts.sankey_links(FLOWS, measure="seizures", top_n=2, include_unknown=False)
    assert link_map(links) == {
        (0, "Colombia", "Spain"): 15,
        (0, "Ecuador", "Netherlands"): 8,
        (0, "Colombia", OTHER): 3,
        (0, OTHER, OTHER): 4,
        (1, "Spain", "Spain"): 10,
        (1, "Netherlands", "Netherlands"): 8,
        (1, "Spain", OTHER): 5,
        (1, OTHER, "Spain"): 7,
    }
    # what enters a seizing country leaves it: the middle column balances
    entering = links.filter(pl.col("source_stage") == 0).group_by("target").agg(pl.sum("value"))
    leaving = links.filter(pl.col("source_stage") == 1).group_by("source").agg(pl.sum("value"))
    assert dict(entering.rows()) == dict(leaving.rows())


def test_unknown_route_ends_are_left_out_or_shown() -> None:
    without = route_charts.sankey_links(FLOWS, measure="seizures", top_n=10, include_unknown=False)
    assert UNKNOWN not in set(without["source"]) | set(without["target"])
    assert without.filter(pl.col("source_stage") == 0)["value"].sum() == 30
    shown = link_map(
        route_charts.sankey_links(FLOWS, measure="seizures", top_n=10, include_unknown=True)
    )
    assert shown[(0, UNKNOWN, "Spain")] == 6
    assert shown[(1, "Spain", UNKNOWN)] == 8


def test_kilograms_leave_out_seizures_without_a_conversion() -> None:
    links = route_charts.sankey_links(FLOWS, measure="kg", top_n=10, include_unknown=True)
    assert links.filter(pl.col("source_stage") == 0)["value"].sum() == 601.0
    assert "Peru" not in set(links["source"])  # its only route has no kg


def test_sankey_figure_shows_names_and_column_titles() -> None:
    fig = route_charts.sankey_figure(FLOWS, measure="seizures", top_n=2)
    sankey = fig.data[0]
    assert sankey.type == "sankey"
    assert {"Colombia", "Spain", "Netherlands", OTHER} <= set(sankey.node.label)
    assert not {"COL", "ESP"} & set(sankey.node.label)
    assert sum(sankey.link.value) == 2 * 30  # two columns of links, 30 seizures each
    assert [a.text for a in fig.layout.annotations] == [
        "<b>Departure</b>",
        "<b>Seized in</b>",
        "<b>Destination</b>",
    ]
    assert sankey.valuesuffix == " seizures"
    assert route_charts.sankey_figure(FLOWS, measure="kg").data[0].valuesuffix == " kg"


def test_empty_selection_says_so() -> None:
    for fig in (
        route_charts.sankey_figure(FLOWS.clear(), measure="seizures"),
        flow_map.flow_map_figure(FLOWS.clear(), measure="seizures"),
    ):
        assert "No seizures with a reported route" in fig.layout.annotations[0].text
    modes = pl.DataFrame(
        schema={
            "rank": pl.Int64,
            "departure_iso3": pl.String,
            "destination_iso3": pl.String,
            "transport": pl.String,
            "seizures": pl.Int64,
            "kg_equivalent": pl.Float64,
        }
    )
    assert (
        "No cross-border corridor"
        in route_charts.transport_figure(modes, measure="seizures").layout.annotations[0].text
    )


def test_map_segments_are_known_distinct_legs() -> None:
    segments = flow_map.map_segments(FLOWS, measure="seizures", limit=3)
    assert segments.rows() == [
        ("COL", "ESP", flow_map.INBOUND, 15.0),
        ("ECU", "NLD", flow_map.INBOUND, 8.0),
        ("ESP", "ITA", flow_map.ONWARD, 5.0),
    ]


def test_flow_map_lines_scale_with_the_measure_on_an_offline_base_map() -> None:
    fig = flow_map.flow_map_figure(FLOWS, measure="seizures", limit=3)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.line.width for t in lines] == pytest.approx(
        [8.0, 1 + 7 * (8 / 15) ** 0.5, 1 + 7 * (5 / 15) ** 0.5]
    )
    assert lines[0].lat == (countries.point("COL")[0], countries.point("ESP")[0])
    assert [t.showlegend for t in lines] == [True, False, True]  # one legend entry per leg type
    seized = fig.data[-1]
    assert seized.hovertext[0] == "Seized in Spain<br><b>23 seizures</b>"
    geo = fig.layout.geo
    assert geo.showland and geo.showcountries and geo.fitbounds == "locations"


def test_the_base_map_is_served_from_our_static_folder() -> None:
    dashboards = Path(countries.__file__).parent
    config = tomllib.loads((dashboards / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    topojson = json.loads((countries.STATIC / "world_110m.json").read_text())
    assert {"land", "countries", "ocean"} <= set(topojson["objects"])
    assert countries.STATIC_URL == "app/static/"  # plotly appends "world_110m.json"


def test_every_region_country_has_a_name_and_a_map_point() -> None:
    for iso3 in iso3_to_region():
        assert countries.name(iso3) != iso3, iso3
        assert countries.point(iso3) is not None, iso3
    assert countries.name(None) == UNKNOWN
    assert countries.name("ZZZ") == "ZZZ"  # never a guess


def test_midpoint_follows_the_great_circle() -> None:
    assert flow_map._midpoint((0.0, 0.0), (0.0, 90.0)) == pytest.approx((0.0, 45.0))
    lat, lon = flow_map._midpoint((0.0, 170.0), (0.0, -170.0))
    assert lat == pytest.approx(0.0) and abs(lon) == pytest.approx(180.0)


MODES = pl.DataFrame(
    [
        (1, "COL", "ESP", "Commercial air", 10, 49.0),
        (1, "COL", "ESP", "Commercial sea", 3, 60.0),
        (2, "ECU", "NLD", "Commercial sea", 6, 390.0),
        (2, "ECU", "NLD", "Not reported", 2, 10.0),
    ],
    orient="row",
    schema=["rank", "departure_iso3", "destination_iso3", "transport", "seizures", "kg_equivalent"],
)


def test_transport_figure_stacks_modes_per_corridor() -> None:
    fig = route_charts.transport_figure(MODES, measure="kg")
    assert [t.name for t in fig.data] == ["Commercial sea", "Commercial air", "Not reported"]
    sea = fig.data[0]
    assert list(sea.y) == ["Colombia → Spain", "Ecuador → Netherlands"]
    assert list(sea.x) == [60.0, 390.0]
    assert sea.customdata[1][1] == "98%"  # of the corridor's kg
    assert list(fig.layout.yaxis.categoryarray) == ["Ecuador → Netherlands", "Colombia → Spain"]
    assert fig.data[2].marker.color == route_charts.VAGUE_MODES["Not reported"]


def test_amounts_read_naturally() -> None:
    assert route_charts.amount_text(1, "seizures") == "1 seizure"
    assert route_charts.amount_text(1234, "seizures") == "1,234 seizures"
    assert route_charts.amount_text(2.25, "kg") == "2.2 kg"
    assert route_charts.amount_text(12345.6, "kg") == "12,346 kg"


CORRIDORS = pl.DataFrame(
    {
        "rank": [1],
        "departure_iso3": ["COL"],
        "destination_iso3": ["ESP"],
        "seizures": [13],
        "kg_equivalent": [109.04],
        "share_of_seizures": [13 / 38],
        "share_of_kg": [None],
        "main_transport": ["Commercial air"],
        "outlier_seizures": [2],
    },
    schema_overrides={"share_of_kg": pl.Float64},
)


def test_corridor_table_in_names_and_percent() -> None:
    table = route_tables.corridor_table(CORRIDORS)
    assert table.row(0) == (1, "Colombia", "Spain", 13, 34.21, 109.0, None, "Commercial air", 2)
    assert table.columns[4] == route_tables.SHARE_SEIZURES
    back = pl.read_csv(io.BytesIO(tables.to_csv(table)), schema=table.schema)
    assert back.equals(table)


def test_a_transport_mode_keeps_its_colour_whatever_else_is_shown() -> None:
    alone = route_charts.transport_colours(["Commercial sea"])
    among = route_charts.transport_colours(["Commercial air", "Private road", "Commercial sea"])
    assert alone["Commercial sea"] == among["Commercial sea"]
    # An unlisted mode gets a colour from its name, the same in any selection.
    first = route_charts.transport_colours(["Hovercraft"])["Hovercraft"]
    assert route_charts.transport_colours(["Rail", "Hovercraft"])["Hovercraft"] == first
    figure = route_charts.transport_figure(MODES, measure="seizures")
    by_name = {trace.name: trace.marker.color for trace in figure.data}
    assert by_name["Commercial sea"] == alone["Commercial sea"]


def test_flow_table_names_unknown_ends() -> None:
    table = route_tables.flow_table(FLOWS)
    assert table.row(2) == (UNKNOWN, "Spain", UNKNOWN, 6, 6, 12.0)
    assert route_tables.transport_table(MODES)[route_tables.CORRIDOR][0] == "Colombia → Spain"
