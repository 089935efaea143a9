"""Trend explorer, country profile and shareable snapshot links, through AppTest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import tables
from tests.dashboards.country_snapshot import FIGURES, SHA256, SOURCE_FILE, build_country_snapshot
from tests.dashboards.snapshot import CANNABIS, COCAINE

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
OLD_ID = "20231201T000000000000Z"


@pytest.fixture
def country_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    build_country_snapshot(home / "published" / "current.duckdb")
    monkeypatch.setenv("DRUGTRENDS_HOME", str(home))
    return home


def page(path: str, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(path)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def expected(iso3s: set[str], group: str) -> dict[int, float]:
    """Independent sum of the given figures by year."""
    out: dict[int, float] = {}
    for iso3, g, _sub, year, kg in FIGURES:
        if iso3 in iso3s and g == group:
            out[year] = out.get(year, 0.0) + kg
    return out


def shown(at: AppTest, series: str) -> dict[int, float]:
    table = at.dataframe[0].value
    part = table[table[tables.SERIES] == series]
    return dict(zip(part[tables.YEAR], part[tables.KG], strict=True))


def test_explorer_subregion_totals_coverage_and_flags(country_home: Path) -> None:
    at = page(
        "views/explorer.py",
        level="Subregion",
        area="South America",
        series=[COCAINE],
    )
    assert not at.exception
    assert shown(at, COCAINE) == expected({"COL", "BRA", "ECU"}, COCAINE)
    table = at.dataframe[0].value
    flags = dict(zip(table[tables.YEAR], table[tables.FLAGS], strict=True))
    # 3 usual reporters; only Colombia reported 2021: 1 of 3 is under half.
    assert flags[2021] == "low coverage" and flags[2020] in ("", None)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t["name"] for t in spec["data"]]
    assert names == [COCAINE, "Flag: under half the usual reporters"]
    assert spec["layout"]["title"]["text"].startswith("South America: quantity seized")
    assert any(
        "Snapshot 20240301T000000000000Z" in a["text"] for a in spec["layout"]["annotations"]
    )
    assert [b.label for b in at.download_button] == [
        "Download these figures (CSV)",
        "Download these figures (Excel)",
    ]


def test_explorer_country_flags_a_doubling_and_traces_a_figure(country_home: Path) -> None:
    at = page("views/explorer.py", level="Country", area="Spain", series=[COCAINE, CANNABIS])
    assert not at.exception
    assert shown(at, COCAINE) == expected({"ESP"}, COCAINE)
    table = at.dataframe[0].value
    doubled = table[(table[tables.SERIES] == COCAINE) & (table[tables.YEAR] == 2020)]
    assert doubled[tables.FLAGS].iloc[0] == "doubled or halved"
    panel = next(e for e in at.expander if e.label.startswith("Where a figure comes from"))
    assert "Spain" in panel.label
    text = " ".join(m.value for m in panel.markdown)
    assert "1 source row(s)" in text and "1.0.0" in text


def test_country_profile_shows_every_series_corridors_and_files(country_home: Path) -> None:
    at = page("views/country.py", country="Colombia")
    assert not at.exception
    assert "2 drug group(s)" in at.markdown[0].value
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sorted(t["name"] for t in chart["data"]) == sorted([CANNABIS, COCAINE])
    frames = [d.value for d in at.dataframe]
    by_group = frames[0]
    cocaine = by_group[by_group[tables.SERIES] == COCAINE]
    assert dict(zip(cocaine[tables.YEAR], cocaine[tables.KG], strict=True)) == expected(
        {"COL"}, COCAINE
    )
    share_2020 = cocaine[cocaine[tables.YEAR] == 2020][tables.SHARE_REGION].iloc[0]
    assert share_2020 == pytest.approx(round(100 * 150 / (150 + 40 + 20), 2))
    corridors = next(f for f in frames if "From" in f.columns)
    assert set(corridors["From"]) | set(corridors["To"]) >= {"Colombia"}
    files = next(f for f in frames if "sha256" in f.columns)
    assert files["source_file"].tolist() == [SOURCE_FILE]
    assert files["sha256"].tolist() == [SHA256]


def test_invalid_parameters_are_reported(country_home: Path) -> None:
    at = page("views/explorer.py", level="planet", series=["<b>x</b>"])
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "level = 'planet'" in warning


def test_old_snapshot_link_shows_that_snapshot_and_says_so(country_home: Path) -> None:
    build_country_snapshot(
        country_home / "published" / "snapshots" / f"{OLD_ID}.duckdb",
        snapshot_id=OLD_ID,
        scale=2.0,
    )
    at = page("views/explorer.py", level="Country", area="Spain", series=[COCAINE], snapshot=OLD_ID)
    assert not at.exception
    assert f"This link shows snapshot {OLD_ID}" in at.warning[0].value
    assert shown(at, COCAINE) == {y: 2 * kg for y, kg in expected({"ESP"}, COCAINE).items()}


def test_a_pruned_snapshot_link_says_it_is_gone(country_home: Path) -> None:
    at = page("views/country.py", country="Spain", snapshot="20200101T000000000000Z")
    assert not at.exception
    assert "no longer kept" in at.warning[0].value
    assert at.query_params["snapshot"] == "20240301T000000000000Z"


def test_excel_export_is_the_table_shown(country_home: Path) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    at = page("views/country.py", country="Spain")
    table = pl.from_pandas(at.dataframe[0].value)
    data = tables.to_excel(table, title="t", snapshot_id="s")
    sheet = load_workbook(BytesIO(data))["Data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == table.columns and len(rows) - 1 == table.height


PEOPLE = {"ESP": 30_000_000.0, "FRA": 40_000_000.0}  # aged 15-64, every year


def add_rates(snapshot: Path) -> None:
    """marts.seizures_per_capita for the countries with a population figure (Spain, France)."""
    import duckdb

    os.chmod(snapshot, 0o644)
    con = duckdb.connect(str(snapshot))
    try:
        con.execute(
            """
            CREATE TABLE marts.seizures_per_capita (level VARCHAR, area VARCHAR,
                area_name VARCHAR, region VARCHAR, series VARCHAR, year INTEGER, kg DOUBLE,
                countries_reporting BIGINT, countries_with_population BIGINT,
                population_15_64 DOUBLE, kg_per_million_aged_15_64 DOUBLE, rate_label VARCHAR)
            """
        )
        for iso3, _group, subgroup, year, kg in FIGURES:
            people = PEOPLE.get(iso3)
            con.execute(
                "INSERT INTO marts.seizures_per_capita VALUES ('country', ?, ?, NULL, ?, ?, ?, "
                "1, ?, ?, ?, 'kg per million people aged 15-64')",
                [
                    iso3,
                    iso3,
                    subgroup,
                    year,
                    kg,
                    int(people is not None),
                    people,
                    kg / (people / 1e6) if people else None,
                ],
            )
    finally:
        con.close()
    os.chmod(snapshot, 0o444)


RATE = "Kilograms per million people aged 15–64"


def test_explorer_offers_the_rate_only_where_the_snapshot_has_population(
    country_home: Path,
) -> None:
    at = page("views/explorer.py", level="Country", area="Spain")
    assert RATE not in at.radio(key="measure").options
    assert any("need population figures" in c.value for c in at.caption)


def test_explorer_shows_kg_per_million_people_aged_15_to_64(country_home: Path) -> None:
    add_rates(country_home / "published" / "current.duckdb")
    at = page("views/explorer.py", level="Country", area="Spain", series=[COCAINE], measure=RATE)
    assert not at.exception
    table = at.dataframe[0].value
    rates = dict(zip(table[tables.YEAR], table[tables.PER_MILLION], strict=True))
    assert rates == {year: round(kg / 30, 3) for year, kg in expected({"ESP"}, COCAINE).items()}
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["title"]["text"] == RATE
    assert spec["layout"]["title"]["text"].startswith(
        "Spain: kilograms per million people aged 15–64"
    )
    # the doubling (2020) keeps its flag on the rate chart
    assert [t["name"] for t in spec["data"]][-1] == "Flag: doubled or halved on previous year"
    assert spec["data"][0]["y"] == [kg / 30 for kg in expected({"ESP"}, COCAINE).values()]

    at = page("views/explorer.py", level="Country", area="Colombia", series=[COCAINE], measure=RATE)
    assert not at.exception  # no population figure: the chart says so
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["annotations"][0]["text"] == "No population figure for this selection"


def test_explorer_subgroup_rates_come_from_the_mart(country_home: Path) -> None:
    add_rates(country_home / "published" / "current.duckdb")
    at = page(
        "views/explorer.py",
        level="Country",
        area="France",
        grain="Drug subgroups",
        series=["Cannabis herb"],
        measure=RATE,
    )
    assert not at.exception
    table = at.dataframe[0].value
    assert table[tables.PER_MILLION].to_list() == [100.0 / 40]
