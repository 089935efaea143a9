"""Methodology, What changed and the overview's world map, through AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from drugtrends import reference
from tests.dashboards.country_snapshot import FIGURES, build_country_snapshot
from tests.dashboards.snapshot import COCAINE

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


@pytest.fixture
def country_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    build_country_snapshot(home / "published" / "current.duckdb")
    monkeypatch.setenv("DRUGTRENDS_HOME", str(home))
    return home


def run(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(path)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_methodology_reads_the_reference_tables(country_home: Path) -> None:
    at = run("views/methodology.py")
    assert not at.exception
    factors = at.dataframe[1].value
    assert len(factors) == reference.load("conversion_factors").height
    assert "source" in factors.columns
    contracts = at.dataframe[2].value
    assert "annual_seizures" in set(contracts["Dataset"])


def test_what_changed_says_when_the_snapshot_has_no_alerts(country_home: Path) -> None:
    at = run("views/changes.py")
    assert not at.exception
    assert "no alerts" in at.info[0].value


def test_world_map_draws_every_reporting_country_offline(country_home: Path) -> None:
    at = run("views/overview.py", map_drug=COCAINE, map_year="2020")
    assert not at.exception
    chart = next(
        c
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["data"][:1]
        and json.loads(c.proto.spec)["data"][0]["type"] == "choropleth"
    )
    spec = json.loads(chart.proto.spec)
    expected = sorted(i for i, g, _s, y, kg in FIGURES if g == COCAINE and y == 2020 and kg > 0)
    assert sorted(spec["data"][0]["locations"]) == expected
    config = json.loads(chart.proto.config) if chart.proto.config else {}
    assert config.get("topojsonURL") == "app/static/"
    assert config["toImageButtonOptions"]["filename"].endswith("2024-03-01")


ALERTS = [
    # kind, level, area, area_name, region, series, drug_group, year, value, baseline, score
    (
        "spike",
        "country",
        "ESP",
        "Spain",
        "Europe",
        "Cocaine",
        "Cocaine-type",
        2021,
        90.0,
        30.0,
        3.0,
    ),
    (
        "drop",
        "country",
        "COL",
        "Colombia",
        "Americas",
        "Cocaine",
        "Cocaine-type",
        2020,
        5.0,
        50.0,
        0.1,
    ),
    (
        "stopped_reporting",
        "country",
        "ESP",
        "Spain",
        "Europe",
        "Cannabis herb",
        "Cannabis-type",
        2020,
        None,
        12.0,
        None,
    ),
]


def add_alerts(snapshot: Path) -> None:
    import duckdb

    con = duckdb.connect(str(snapshot))
    try:
        con.execute(
            """
            CREATE TABLE marts.alerts (kind VARCHAR, level VARCHAR, area VARCHAR,
                area_name VARCHAR, region VARCHAR, series VARCHAR, drug_group VARCHAR,
                year INTEGER, value DOUBLE, baseline DOUBLE, score DOUBLE, threshold DOUBLE,
                robust_z DOUBLE, unit VARCHAR, sentence VARCHAR, source_files VARCHAR[])
            """
        )
        for row in ALERTS:
            con.execute(
                "INSERT INTO marts.alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2.0, NULL, "
                "'kg', ?, [])",
                [*row, f"{row[3]}: {row[0]} of {row[5]} in {row[7]}."],
            )
    finally:
        con.close()


def test_alerts_page_lists_the_alerts_and_filters_them_from_the_url(country_home: Path) -> None:
    add_alerts(country_home / "published" / "current.duckdb")
    at = run("views/alerts.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["Area"].to_list() == ["Spain", "Colombia", "Spain"]  # newest year first
    assert set(table.columns) >= {"Alert", "Series", "Year", "Value", "Baseline", "Score"}
    at = run("views/alerts.py", kind="Spike", region="Europe")
    assert not at.exception
    assert at.dataframe[0].value["Alert"].to_list() == ["Spike"]
    assert "Spain: spike of Cocaine in 2021." in [t.value for t in at.text]
    at = run("views/alerts.py", region="Africa")
    assert not at.exception
    assert "Africa" not in at.selectbox(key="region").options  # no alert there: not offered
    assert at.warning  # the link's region is named as replaced by the default


def test_alerts_page_says_when_the_snapshot_has_none(country_home: Path) -> None:
    at = run("views/alerts.py")
    assert not at.exception
    assert "no alerts" in at.info[0].value
