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
