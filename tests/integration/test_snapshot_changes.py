"""What changed, alerts and their readable sentences, on hand-made submissions run for real."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from drugtrends.marts.build import build_mart
from tests.conftest import annual_row, write_json, write_sources

COCA = "Cocaine and Derivatives"
METH = "Amphetamines and Stimulants"
YEARS = range(2015, 2021)


def rows(record: float | None = None, drop_row: bool = False, new_country: bool = False):
    out = []
    for year in YEARS:
        kg = 1000.0 + 10 * (year - 2015)
        if year == 2020 and record is not None:
            kg = record
        out.append(
            annual_row(
                "Ecuador",
                "ECU",
                "Americas",
                "South America",
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                year,
                kg,
            )
        )
        if not (drop_row and year == 2018):
            out.append(
                annual_row(
                    "Mexico",
                    "MEX",
                    "Americas",
                    "Central America",
                    METH,
                    "Methamphetamine",
                    "Methamphetamine",
                    year,
                    500.0,
                )
            )
    if new_country:
        out.append(
            annual_row(
                "Peru",
                "PER",
                "Americas",
                "South America",
                COCA,
                "Cocaine",
                "Cocaine hydrochloride",
                2019,
                42.0,
            )
        )
    return out


@pytest.mark.slow
def test_changes_and_alerts_between_two_snapshots(pipeline, tmp_path):
    sources = write_sources(
        tmp_path / "sources.yaml",
        [{"dataset": "annual_seizures", "region": "all", "format": "json", "location": "a.json"}],
    )
    pipeline.use_sources(sources)
    write_json(tmp_path / "a.json", rows())
    assert pipeline(["Americas"])[0] == 0
    assert pipeline.query("SELECT count(*) FROM marts.snapshot_changes") == [(0,)]
    assert pipeline.query("SELECT count(*) FROM marts.alerts WHERE kind = 'spike'") == [(0,)]

    # Second submission: a record seizure (revision of 2020), a removed row, a new country-year.
    write_json(tmp_path / "a.json", rows(record=9000.0, drop_row=True, new_country=True))
    assert pipeline(["Americas"])[0] == 0
    changes = {
        (r[0], r[1], r[2], r[3], r[4]): (r[5], r[6], r[7])
        for r in pipeline.query(
            "SELECT kind, grain, area, series, year, old_value, new_value, new_source_files "
            "FROM marts.snapshot_changes WHERE grain IN ('series', 'source_row')"
        )
    }
    assert changes[("revised", "series", "ECU", "Cocaine", 2020)][:2] == (1050.0, 9000.0)
    assert changes[("removed", "series", "MEX", "Methamphetamine", 2018)][:2] == (500.0, None)
    assert changes[("new_country_year", "series", "PER", "Cocaine", 2019)][:2] == (None, 42.0)
    assert changes[("revised", "source_row", "ECU", "Cocaine", 2020)][2] == ["a.json"]
    assert len([k for k in changes if k[1] == "series"]) == 3, changes

    spike = pipeline.query(
        "SELECT value, baseline, score, threshold, sentence FROM marts.alerts "
        "WHERE kind = 'spike' AND area = 'ECU' AND year = 2020"
    )
    baseline = sorted(1000.0 + 10 * i for i in range(5))[2]  # median of 2015-2019
    assert spike and spike[0][:2] == (9000.0, baseline)
    assert spike[0][2] == pytest.approx(9000.0 / baseline)
    assert spike[0][4] == (
        f"Cocaine seized in Ecuador rose to 9.0 t in 2020, {9000 / baseline:.1f}× its "
        "2015–2019 median"
    )
    new_alerts = pipeline.query(
        "SELECT area, series, year FROM marts.snapshot_changes WHERE kind = 'new_alert' "
        "AND detail = 'spike'"
    )
    assert ("ECU", "Cocaine", 2020) in new_alerts
    check_readme_queries(pipeline)

    # Unchanged data: the same alerts, none of them new, no other change either.
    before = pipeline.query("SELECT * EXCLUDE (source_files) FROM marts.alerts ORDER BY ALL")
    assert pipeline(["Americas"])[0] == 0
    assert (
        pipeline.query("SELECT * EXCLUDE (source_files) FROM marts.alerts ORDER BY ALL") == before
    )
    assert pipeline.query("SELECT count(*) FROM marts.snapshot_changes") == [(0,)]


def corridors(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "year": y,
                "drug_group": COCA,
                "series_id": "cocaine",  # corridors are per headline series (coca leaf apart)
                "series": "Cocaine",
                "departure_iso3": d,
                "destination_iso3": a,
                "seizures": n,
                "kg_equivalent": float(n),
                "share_of_seizures": share,
                "share_of_kg": share,
                "main_transport": mode,
                "transport_mix": [{"transport": mode, "seizures": n, "kg_equivalent": float(n)}],
            }
            for y, d, a, n, share, mode in rows
        ]
    )


def test_a_new_corridor_raises_an_alert_with_a_sentence():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.register(
        "given",
        corridors(
            [
                (2011, "COL", "ESP", 20, 0.5, "Sea"),
                (2012, "COL", "ESP", 20, 0.2, "Sea"),
                (2012, "BRA", "PRT", 8, 0.1, "Commercial air"),
                (2013, "ECU", "NLD", 2, 0.02, "Sea"),  # below corridor_min_seizures
            ]
        ).to_arrow(),
    )
    con.execute("CREATE TABLE marts.route_corridors AS SELECT * FROM given")
    con.execute(
        "CREATE TABLE marts.trend_series (level VARCHAR, area VARCHAR, area_name VARCHAR, "
        "region VARCHAR, series VARCHAR, drug_group VARCHAR, year BIGINT, kg DOUBLE, "
        "countries_reporting BIGINT, source_files VARCHAR[])"
    )
    build_mart(con, "alerts")
    got = con.execute(
        "SELECT kind, area, year, value, sentence FROM marts.alerts ORDER BY kind"
    ).fetchall()
    kinds = {(k, a, y) for k, a, y, _, _ in got}
    assert ("new_corridor", "BRA>PRT", 2012) in kinds
    assert ("corridor_share_shift", "COL>ESP", 2012) in kinds
    assert not any(a == "ECU>NLD" for _, a, _, _, _ in got)
    sentence = next(s for k, a, _, _, s in got if k == "new_corridor")
    assert sentence == (
        "New corridor: 8 seizures of cocaine from Brazil to Portugal in 2012, none in earlier years"
    )


def readme_queries() -> list[str]:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("## Trend intelligence", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def check_readme_queries(pipeline) -> None:
    """The README's trend queries against values computed here from the two submissions."""
    revised, alerts, trends = readme_queries()
    assert pipeline.query(revised) == [
        ("Ecuador", "Cocaine", 2020, 1050.0, 9000.0, pytest.approx((9000 - 1050) / 1050))
    ]
    sentences = [s for k, s in pipeline.query(alerts) if k == "spike"]
    assert sentences == [
        f"Cocaine seized in Ecuador rose to 9.0 t in 2020, {9000 / 1020:.1f}× its 2015–2019 median"
    ]
    # Mexico's flat series is not a trend; Ecuador's is rising every year (S = n(n-1)/2).
    got = pipeline.query(trends)
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [("Ecuador", "Cocaine", 6, "increasing")]
