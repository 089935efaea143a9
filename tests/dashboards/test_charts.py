"""Figure builders on small inline frames: one trace per drug group, tonnes, hover content."""

from __future__ import annotations

import polars as pl

from dashboards import charts

CANNABIS, COCAINE = "Cannabis and Synthetic Cannabinoids", "Cocaine and Derivatives"


def trends(rows: list[tuple]) -> pl.DataFrame:
    """(group, year, kg, countries, yoy_kg, yoy_pct) -> a frame shaped like queries.group_trends."""
    frame = pl.DataFrame(
        rows,
        orient="row",
        schema={
            "drug_group": pl.String,
            "year": pl.Int64,
            "kg": pl.Float64,
            "countries_reporting": pl.Int64,
            "yoy_change_kg": pl.Float64,
            "yoy_change_pct": pl.Float64,
        },
    )
    return frame.with_columns(
        pl.lit("World").alias("area_name"),
        (pl.col("kg") - pl.col("yoy_change_kg")).alias("kg_previous_year"),
        pl.lit(1.0).alias("share_of_global"),
    )


FRAME = trends(
    [
        (CANNABIS, 2020, 2_000_000.0, 40, None, None),
        (CANNABIS, 2021, 2_500_000.0, 42, 500_000.0, 25.0),
        (COCAINE, 2020, 1_500.0, 10, None, None),
        (COCAINE, 2021, 1_200.0, 12, -300.0, -20.0),
    ]
)


def test_one_trace_per_drug_group_in_tonnes() -> None:
    fig = charts.trend_figure(FRAME)
    assert [t.name for t in fig.data] == [CANNABIS, COCAINE]
    cannabis, cocaine = fig.data
    assert list(cannabis.x) == [2020, 2021]
    assert list(cannabis.y) == [2000.0, 2500.0]
    assert list(cocaine.y) == [1.5, 1.2]


def test_axes_are_labelled() -> None:
    layout = charts.trend_figure(FRAME).layout
    assert layout.xaxis.title.text == "Year"
    assert layout.yaxis.title.text == "Quantity seized (tonnes)"
    assert layout.yaxis.type == "linear"
    log_axis = charts.trend_figure(FRAME, log_scale=True).layout.yaxis
    assert log_axis.type == "log"
    assert "s" not in log_axis.tickformat  # no SI suffixes: "100m" would read as millions


def test_hover_shows_countries_reporting_and_change() -> None:
    cannabis = charts.trend_figure(FRAME).data[0]
    assert "Countries reporting: %{customdata[0]}" in cannabis.hovertemplate
    assert "Change on previous year: %{customdata[1]}" in cannabis.hovertemplate
    assert "%{customdata[2]}" in cannabis.hovertemplate
    first, second = (list(point) for point in cannabis.customdata)
    assert first == [40, "not available", "2,000.0 tonnes"]  # no previous year: never "0"
    assert second == [42, "+25.0% (+500.0 tonnes)", "2,500.0 tonnes"]
    cocaine = charts.trend_figure(FRAME).data[1]
    assert list(cocaine.customdata[1]) == [12, "-20.0% (-300 kg)", "1.2 tonnes"]


def test_quantities_below_a_tonne_are_in_kilograms() -> None:
    assert charts.quantity_text(1_234_567.0) == "1,234.6 tonnes"
    assert charts.quantity_text(1000.0) == "1.0 tonnes"
    assert charts.quantity_text(812.0) == "812 kg"
    assert charts.quantity_text(0.4) == "0.4 kg"  # not "0.0 tonnes", which reads as none
    assert charts.quantity_text(0.0) == "0 kg"
    assert charts.quantity_text(None) == "not reported"


def test_a_group_keeps_its_colour_when_others_are_filtered_out() -> None:
    colours = charts.colour_map([CANNABIS, COCAINE])
    both = charts.trend_figure(FRAME, colours=colours)
    only_cocaine = charts.trend_figure(
        FRAME.filter(pl.col("drug_group") == COCAINE), colours=colours
    )
    assert only_cocaine.data[0].line.color == both.data[1].line.color == colours[COCAINE]
    assert colours[CANNABIS] != colours[COCAINE]


def test_traces_follow_the_colour_map_order() -> None:
    fig = charts.trend_figure(FRAME, colours=charts.colour_map([COCAINE, CANNABIS]))
    assert [t.name for t in fig.data] == [COCAINE, CANNABIS]


def test_empty_selection_says_so() -> None:
    fig = charts.trend_figure(FRAME.clear())
    assert len(fig.data) == 0
    assert "No seizures reported" in fig.layout.annotations[0].text


def test_reporting_figure_counts_countries() -> None:
    fig = charts.reporting_figure(FRAME)
    assert [t.name for t in fig.data] == [CANNABIS, COCAINE]
    assert list(fig.data[0].y) == [40, 42]
    assert fig.layout.yaxis.title.text == "Countries reporting"


def test_no_two_lines_look_alike_when_there_are_more_series_than_colours():
    """18 headline series and a 12-colour palette: a series sharing a colour with an earlier
    one is drawn with another dash, so the legend tells every line apart."""
    names = [f"Series {i:02d}" for i in range(18)]
    frame = pl.concat(
        trends([(name, 2020, 1000.0 + i, 5, None, None), (name, 2021, 900.0, 5, -100.0 - i, -9.0)])
        for i, name in enumerate(names)
    )
    fig = charts.trend_figure(frame, colours=charts.colour_map(names))
    styles = [(t.line.color, t.line.dash) for t in fig.data]
    assert len(fig.data) == 18
    assert len(set(styles)) == 18
    assert len({colour for colour, _ in styles}) == len(charts.PALETTE)
