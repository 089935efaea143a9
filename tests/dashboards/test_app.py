"""The overview page through Streamlit's AppTest, on the tiny snapshot (and on none)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import tables
from drugtrends.reference import REGIONS
from tests.dashboards.snapshot import CANNABIS, COCAINE, build_snapshot

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
INJECTION = "Europe'; DROP TABLE marts.seizure_trends; --"


def app(view: str = "Drug groups") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)  # first run imports Plotly and Polars
    at.query_params["view"] = view  # these tests read the drug-group view (series: below)
    return at


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def shown_kg(at: AppTest) -> dict[str, float]:
    table = at.dataframe[0].value
    return dict(zip(table[tables.GROUP], table[tables.KG], strict=True))


def trend_chart(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_overview_renders_with_as_of_line_and_chart(tiny_home: Path) -> None:
    at = app().run()
    assert not at.exception
    assert (
        "Data as of snapshot 20240101T000000000000Z, published 01 Jan 2024, 06:30 UTC"
        in captions(at)
    )
    assert "UNODC, dataUNODC" in captions(at)
    spec = trend_chart(at)
    assert [trace["name"] for trace in spec["data"]] == [CANNABIS, COCAINE]
    assert spec["layout"]["yaxis"]["title"]["text"] == "Quantity seized (tonnes)"
    assert at.subheader[0].value == "World: quantity seized by drug group, 2019–2021"
    assert shown_kg(at) == {CANNABIS: 1_600_000, COCAINE: 320_000}
    assert [b.label for b in at.download_button] == [
        "Download this table (CSV, 2021)",
        "Download chart data (CSV, 2019–2021)",
        "Download the map's figures (CSV)",  # the world map's table
        "Download the map's figures (Excel)",
    ]
    methodology = next(e for e in at.expander if e.label == "Methodology")
    assert methodology.label == "Methodology"
    text = " ".join(m.value for m in methodology.markdown)
    for phrase in (
        "purity",
        "Zero is not missing",
        "Total",
        "coca bush",
        "larger of",
        "countries reporting",
    ):
        assert phrase in text


def test_changing_a_filter_changes_the_data(tiny_home: Path) -> None:
    at = app().run()
    at.selectbox(key="region").set_value("Europe").run()
    assert not at.exception
    assert at.subheader[0].value.startswith("Europe:")
    assert shown_kg(at) == {CANNABIS: 900_000, COCAINE: 300_000}

    at.multiselect(key="drugs").set_value([COCAINE]).run()
    assert shown_kg(at) == {COCAINE: 300_000}
    assert [trace["name"] for trace in trend_chart(at)["data"]] == [COCAINE]

    at.select_slider(key="years").set_range(2019, 2020).run()
    assert at.dataframe[0].value[tables.YEAR].to_list() == [2020]
    assert at.subheader[1].value == "Europe in 2020"


def test_filters_come_from_the_url(tiny_home: Path) -> None:
    at = app()
    at.query_params["region"] = "Africa"
    at.query_params["years"] = ["2019", "2020"]
    at.run()
    assert not at.exception
    assert at.selectbox(key="region").value == "Africa"
    assert at.select_slider(key="years").value == (2019, 2020)
    assert shown_kg(at) == {CANNABIS: 600_000}  # Africa reported no cocaine in 2020


@pytest.mark.parametrize("bad", [INJECTION, "Atlantis"])
def test_unknown_region_in_the_url_falls_back_to_world(tiny_home: Path, bad: str) -> None:
    at = app()
    at.query_params["region"] = bad
    at.run()
    assert not at.exception
    assert at.selectbox(key="region").value == "World"
    assert shown_kg(at)[CANNABIS] == 1_600_000


def test_no_drug_group_chosen(tiny_home: Path) -> None:
    at = app().run()
    at.multiselect(key="drugs").set_value([]).run()
    assert not at.exception
    assert "Choose at least one drug group" in at.info[0].value
    assert not at.get("plotly_chart")


def test_a_new_snapshot_shows_up_without_restart(tiny_home: Path) -> None:
    at = app().run()
    assert shown_kg(at)[COCAINE] == 320_000
    build_snapshot(
        tiny_home / "published" / "current.duckdb", snapshot_id="20250101T000000000000Z", scale=2.0
    )
    at.run()
    assert "snapshot 20250101T000000000000Z" in captions(at)
    assert shown_kg(at)[COCAINE] == 640_000


def test_no_snapshot_says_run_the_pipeline(empty_home: Path) -> None:
    at = app().run()
    assert not at.exception
    assert "make pipeline" in at.info[0].value
    assert not at.get("plotly_chart")


def test_every_region_renders_on_the_demo_snapshot(
    published_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline's own output (tests/conftest.py), not just the hand-made tiny snapshot."""
    monkeypatch.setenv("DRUGTRENDS_HOME", str(published_home))
    at = app().run()
    for region in ("World", *REGIONS):
        at.selectbox(key="region").set_value(region).run()
        assert not at.exception, region
        assert at.subheader[0].value.startswith(f"{region}: quantity seized"), region
        assert len(at.get("plotly_chart")) == 3  # trend, year-on-year change, world map
        assert at.dataframe[0].value[tables.AREA].eq(region).all(), region


def test_overview_leads_with_the_headline_series_and_their_definitions(tiny_home: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.segmented_control(key="view").value == "Headline series"
    assert at.subheader[0].value == "World: quantity seized by series, 2019–2021"
    spec = trend_chart(at)
    assert {trace["name"] for trace in spec["data"]} == {"Cocaine", "Cannabis herb"}
    text = " ".join(m.value for m in at.markdown)
    assert "Cocaine" in text and "excludes coca leaf" in text  # names escaped as text
    table = at.dataframe[0].value
    assert dict(zip(table[tables.SERIES], table[tables.KG], strict=True)) == {
        "Cocaine": 320_000,
        "Cannabis herb": 1_600_000,
    }
    for column in (tables.COVERAGE, tables.LIKE_FOR_LIKE, tables.YOY_FLAG, tables.DEFINITION):
        assert column in table.columns
