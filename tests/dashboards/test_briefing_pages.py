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


def add_prices_and_changes(snapshot: Path) -> None:
    import duckdb

    con = duckdb.connect(str(snapshot))
    try:
        con.execute(
            """
            CREATE TABLE marts.price_trends (country_iso3 VARCHAR, country_name VARCHAR,
                region VARCHAR, series VARCHAR, level_of_sale VARCHAR, year INTEGER,
                typical_usd_per_gram DOUBLE, minimum_usd_per_gram DOUBLE,
                maximum_usd_per_gram DOUBLE, yoy_change_pct DOUBLE, source_rows INTEGER,
                source_files VARCHAR[])
            """
        )
        con.execute(
            "INSERT INTO marts.price_trends VALUES "
            "('ESP', 'Spain', 'Europe', 'Cocaine', 'Retail', 2020, 60.0, 50.0, 70.0, NULL, 1, "
            "['prices.json']), "
            "('ESP', 'Spain', 'Europe', 'Cocaine', 'Retail', 2021, 63.0, 55.0, 80.0, 5.0, 1, "
            "['prices.json']), "
            "('COL', 'Colombia', 'Americas', 'Cocaine', 'Retail', 2021, 4.5, 3.0, 6.0, NULL, 1, "
            "['prices.json'])"
        )
        con.execute(
            """
            CREATE TABLE marts.snapshot_changes (kind VARCHAR, grain VARCHAR, dataset VARCHAR,
                level VARCHAR, area VARCHAR, area_name VARCHAR, series VARCHAR, detail VARCHAR,
                year INTEGER, old_value DOUBLE, new_value DOUBLE, unit VARCHAR,
                relative_change DOUBLE, old_source_files VARCHAR[], new_source_files VARCHAR[],
                previous_snapshot_id VARCHAR, description VARCHAR)
            """
        )
        con.execute(
            "INSERT INTO marts.snapshot_changes VALUES "
            "('revised', 'source_row', 'annual_seizures', 'country', 'ESP', 'Spain', 'Cocaine', "
            "'Cocaine-type / Cocaine', 2020, 100.0, 120.0, 'kg', 0.2, ['a.json'], ['b.json'], "
            "'s1', 'Spain Cocaine 2020 revised from 100 kg to 120 kg'), "
            "('revised', 'source_row', 'annual_seizures', 'country', 'COL', 'Colombia', "
            "'Cocaine', 'Cocaine-type / Cocaine', 2020, 1.0, 2.0, 'kg', 1.0, ['a.json'], "
            "['b.json'], 's1', 'Colombia')"
        )
    finally:
        con.close()


def test_country_profile_shows_its_prices_alerts_and_revisions(country_home: Path) -> None:
    snapshot = country_home / "published" / "current.duckdb"
    add_alerts(snapshot)
    add_prices_and_changes(snapshot)
    at = run("views/country.py", country="Spain")
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert "Drug prices in Spain" in headings
    assert "Alerts and revisions concerning Spain" in headings
    tables = [d.value for d in at.dataframe]
    prices = next(t for t in tables if "Typical (USD per gram)" in t.columns)
    # Spain's two rows only, newest first, as inserted above.
    assert prices["Year"].to_list() == [2021, 2020]
    assert prices["Typical (USD per gram)"].to_list() == [63.0, 60.0]
    # Spain's own alerts (two of the three), never Colombia's.
    sentences = [t.value for t in at.text]
    assert "Spain: spike of Cocaine in 2021." in sentences
    assert "Spain: stopped_reporting of Cannabis herb in 2020." in sentences
    assert not any(s.startswith("Colombia") for s in sentences)
    changes = next(t for t in tables if "Old value" in t.columns)
    assert changes[["Old value", "New value"]].values.tolist() == [[100.0, 120.0]]


def test_country_profile_says_when_it_has_no_prices_or_alerts(country_home: Path) -> None:
    at = run("views/country.py", country="Spain")
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "No drug prices for Spain in this snapshot." in captions
    assert "No alert on Spain's figures in this snapshot." in captions
