"""The routes page through Streamlit's AppTest, on the tiny snapshot (and on none)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import route_tables
from drugtrends.reference import REGIONS
from tests.dashboards.snapshot import build_snapshot

# The page's drug selector lists the headline series by name.
COCAINE, CANNABIS = "Cocaine", "Cannabis herb"

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = APP.parent / "views" / "routes.py"
INJECTION = "Europe'; DROP TABLE marts.route_flows; --"


def routes_page() -> AppTest:
    """The app, switched to the routes page (a first run registers the pages)."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    return at.switch_page("views/routes.py").run()


def opened_from_link(query: dict[str, str]) -> AppTest:
    """A shared link opens a fresh session on the page with the link's query string."""
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.query_params.update(query)
    return at.run()


def charts(at: AppTest) -> dict[str, dict]:
    return {
        name: json.loads(c.proto.spec)
        for name, c in zip(("sankey", "map", "transport"), at.get("plotly_chart"), strict=True)
    }


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def corridors(at: AppTest) -> list[tuple]:
    table = at.dataframe[0].value
    return list(
        zip(
            table[route_tables.DEPARTURE],
            table[route_tables.DESTINATION],
            table[route_tables.SEIZURES],
            strict=True,
        )
    )


def sankey_labels(at: AppTest) -> set[str]:
    return set(charts(at)["sankey"]["data"][0]["node"]["label"])


def test_routes_page_renders_sankey_map_and_corridors(tiny_home: Path) -> None:
    at = routes_page()
    assert not at.exception
    assert at.title[0].value == "Trafficking routes"
    assert at.selectbox(key="drug").value == COCAINE  # the default question: cocaine
    assert at.subheader[0].value == f"{COCAINE} seized worldwide, 2019–2021"
    assert metrics(at)["Seizures"] == "38"
    assert metrics(at)["Departure reported"] == "84%"
    assert {"Colombia", "Spain", "Netherlands"} <= sankey_labels(at)
    spec = charts(at)
    assert spec["map"]["data"][0]["type"] == "scattergeo"
    assert spec["transport"]["data"][0]["orientation"] == "h"
    assert corridors(at) == [
        ("Colombia", "Spain", 13),
        ("Ecuador", "Netherlands", 8),
        ("Colombia", "Italy", 5),
        ("Brazil", "Spain", 4),
    ]
    assert [b.label for b in at.download_button] == [
        "Download routes (CSV, 2019–2021)",
        "Download corridors (CSV)",
        "Download transport modes (CSV)",
    ]
    captions = "\n".join(c.value for c in at.caption)
    assert "Data: UNODC, Individual Drug Seizures" in captions
    assert "Left out: 8 seizures (21%) whose departure or destination was not reported" in captions
    notes = " ".join(m.value for m in at.expander[0].markdown)
    for phrase in (
        "Duplicates are counted once",
        "1 duplicate rows",
        "defensible conversion",
        "35 of the 38 seizures (92%)",
        "Unknown route ends",
        "Other countries",
        "all seizures of the series and years",
    ):
        assert phrase in notes, phrase


def test_the_map_asks_our_server_for_its_base_map(tiny_home: Path) -> None:
    at = routes_page()
    config = json.loads(at.get("plotly_chart")[1].proto.config)
    assert config["topojsonURL"] == "app/static/"


def test_filters_change_the_data(tiny_home: Path) -> None:
    at = routes_page()
    at.selectbox(key="region").set_value("Africa").run()
    assert not at.exception
    assert metrics(at)["Seizures"] == "3"
    assert at.subheader[0].value == f"{COCAINE} seized in Africa, 2019–2021"
    assert "Nigeria" in sankey_labels(at)
    assert at.dataframe[0].value.empty  # no corridor leaves from or leads to Africa

    at.selectbox(key="drug").set_value(CANNABIS).run()
    assert corridors(at) == [("Morocco", "France", 20), ("Morocco", "Spain", 7)]

    at.selectbox(key="region").set_value("World").run()
    at.selectbox(key="drug").set_value(COCAINE).run()
    at.radio(key="measure").set_value("Kilograms").run()
    assert corridors(at)[0] == ("Ecuador", "Netherlands", 8)  # largest by kg
    assert charts(at)["sankey"]["data"][0]["valuesuffix"] == " kg"

    at.select_slider(key="years").set_range(2020, 2020).run()
    assert metrics(at)["Seizures"] == "13"

    assert "Unknown" not in sankey_labels(at)
    at.select_slider(key="years").set_range(2019, 2021).run()
    at.toggle(key="unknown").set_value(True).run()
    assert "Unknown" in sankey_labels(at)


def test_filters_come_from_the_url(tiny_home: Path) -> None:
    at = opened_from_link(
        {"region": "Europe", "drug": CANNABIS, "measure": "Kilograms", "top": "5"}
    )
    assert not at.exception
    assert at.selectbox(key="region").value == "Europe"
    assert at.radio(key="measure").value == "Kilograms"
    assert at.select_slider(key="top").value == 5
    assert metrics(at)["Seizures"] == "20"  # Morocco -> Spain -> France; Morocco's own is Africa
    assert corridors(at) == [
        ("Morocco", "France", 20),
        ("Morocco", "Spain", 7),
    ]  # Europe at one end


@pytest.mark.parametrize("bad", [INJECTION, "Atlantis"])
def test_unknown_values_in_the_url_fall_back(tiny_home: Path, bad: str) -> None:
    at = opened_from_link({"region": bad, "drug": bad, "measure": bad})
    assert not at.exception
    assert at.selectbox(key="region").value == "World"
    assert at.selectbox(key="drug").value == COCAINE
    assert metrics(at)["Seizures"] == "38"


def test_no_snapshot_says_run_the_pipeline(empty_home: Path) -> None:
    at = routes_page()
    assert not at.exception
    assert "make pipeline" in at.info[0].value
    assert not at.get("plotly_chart")


def test_without_case_level_data_says_what_to_add(tiny_home: Path) -> None:
    build_snapshot(tiny_home / "published" / "current.duckdb", routes=False)
    at = routes_page()
    assert not at.exception
    assert "`individual_seizures` source" in at.info[0].value
    assert not at.get("plotly_chart")


def test_every_region_renders_on_the_demo_snapshot(
    published_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline's own output (tests/conftest.py), not just the hand-made tiny snapshot."""
    monkeypatch.setenv("DRUGTRENDS_HOME", str(published_home))
    at = routes_page()
    for region in ("World", *REGIONS):
        at.selectbox(key="region").set_value(region).run()
        assert not at.exception, region
        assert len(at.get("plotly_chart")) == 3, region
