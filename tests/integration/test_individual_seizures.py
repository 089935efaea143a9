"""individual_seizures: normalisation, duplicates and route marts, on given rows and real data."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from drugtrends.core.datasets.individual_seizures import flag_duplicates
from drugtrends.marts.build import build_mart
from tests.conftest import shared_file, write_sources

REAL_ROWS = 84641


# ---------------------------------------------------------------- duplicates and legs, by example


def test_exact_repeats_are_flagged_not_deleted_and_the_first_stays_unflagged():
    frame = pl.DataFrame(
        {
            "drug": ["Heroin", "Heroin", "Heroin", "Cocaine"],
            "quantity": [1.0, 1.0, 2.0, 1.0],
            "source_file": ["a.csv"] * 4,
            "source_row": [2, 3, 4, 5],
        }
    )
    out = flag_duplicates(frame, ["drug", "quantity"])
    assert out.height == 4
    assert out["is_duplicate"].to_list() == [False, True, False, False]
    assert out["duplicate_count"].to_list() == [2, 2, 1, 1]


def legs_for(rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core; CREATE SCHEMA marts")
    frame = pl.DataFrame(
        rows,
        orient="row",
        schema=[
            "producing_iso3",
            "departure_iso3",
            "country_iso3",
            "destination_iso3",
            "is_duplicate",
            "kg_equivalent",
        ],
    ).with_columns(
        pl.lit(2012).alias("year"),
        pl.lit("Cocaine and Derivatives").alias("drug_group"),
        pl.lit("cocaine").alias("series_id"),
        pl.lit("Cocaine").alias("series"),
        pl.lit(False).alias("outlier_flag"),
    )
    con.register("given", frame.to_arrow())
    # route_legs reads the case-level mart (series and outlier flags added to the core rows).
    con.execute("CREATE TABLE marts.seizure_cases AS SELECT * FROM given")
    build_mart(con, "route_legs")
    return con.execute(
        "SELECT from_iso3, to_iso3, seizures, seizures_incl_duplicates, "
        "kg_equivalent FROM marts.route_legs ORDER BY 1, 2"
    ).fetchall()


def test_route_legs_skip_unknown_and_repeated_stops():
    assert legs_for(
        [
            ("COL", "ECU", "ESP", "NLD", False, 10.0),  # COL->ECU->ESP->NLD
            (None, "ECU", "ESP", None, False, 5.0),  # unknowns skipped: ECU->ESP
            ("COL", "COL", "COL", "USA", False, 1.0),  # repeated stops: COL->USA
            (None, "ECU", "ESP", None, True, 5.0),  # a duplicate report
            (None, None, "ESP", None, False, 2.0),  # no leg at all
        ]
    ) == [
        ("COL", "ECU", 1, 1, 10.0),
        ("COL", "USA", 1, 1, 1.0),
        ("ECU", "ESP", 2, 3, 15.0),
        ("ESP", "NLD", 1, 1, 10.0),
    ]


# ---------------------------------------------------------------- the real 2011-2013 file


@pytest.fixture(scope="module")
def real_run(tmp_path_factory) -> tuple[Path, dg.DagsterInstance]:
    real = shared_file("individual_seizures_2011_2013.csv")
    from pipelines.cli import run_pipeline

    tmp = tmp_path_factory.mktemp("individual_real")
    mp = pytest.MonkeyPatch()
    mp.setenv("DRUGTRENDS_HOME", str(tmp / "home"))
    mp.setenv(
        "DRUGTRENDS_SOURCES",
        str(
            write_sources(
                tmp / "sources.yaml",
                [
                    {
                        "dataset": "individual_seizures",
                        "region": "all",
                        "format": "csv",
                        "delimiter": ";",
                        "location": str(real),
                    }
                ],
            )
        ),
    )
    instance = dg.DagsterInstance.ephemeral()
    try:
        assert (
            run_pipeline(["Africa", "Americas", "Asia", "Europe", "Oceania"], instance=instance)
            == 0
        )
    finally:
        mp.undo()
    return tmp / "home" / "published" / "current.duckdb", instance


def query(snapshot: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def run_metadata(instance: dg.DagsterInstance) -> list[dict]:
    records = instance.fetch_materializations(dg.AssetKey("individual_seizures"), limit=10).records
    return [{k: v.value for k, v in r.asset_materialization.metadata.items()} for r in records]


@pytest.mark.slow
def test_every_real_row_is_in_core_or_quarantine(real_run):
    snapshot, _ = real_run
    clean = query(snapshot, "SELECT count(*) FROM core.individual_seizures")[0][0]
    quarantined = query(
        snapshot, "SELECT count(*) FROM quarantine.rows WHERE dataset = 'individual_seizures'"
    )[0][0]
    assert clean + quarantined == REAL_ROWS
    missing_reason = query(
        snapshot, "SELECT count(*) FROM quarantine.rows WHERE rule IS NULL OR message IS NULL"
    )[0][0]
    assert missing_reason == 0


@pytest.mark.slow
def test_the_run_reports_kg_coverage_unresolved_countries_and_unmapped_drugs(real_run):
    _, instance = real_run
    metadata = run_metadata(instance)
    assert len(metadata) == 5  # one materialization per region
    rows = sum(m["clean_rows"] for m in metadata)
    with_kg = sum(m["rows_with_kg_equivalent"] for m in metadata)
    share = with_kg / rows
    print(f"kg equivalent on {share:.2%} of {rows} rows")
    assert share > 0.975
    unresolved = [n for m in metadata for n in m["unresolved_country_names"]]
    assert unresolved == [], unresolved
    unmapped = Counter()
    for m in metadata:
        for item in m["unmapped_drug_names"]:
            unmapped[item["name"]] += item["rows"]
    print("unmapped drug names:", dict(unmapped))
    assert 0 < sum(unmapped.values()) < 0.005 * REAL_ROWS
    assert "Quinoline" in unmapped  # reported, not guessed
    assert all(
        not m["unknown_unit_spellings"]
        or m["unknown_unit_spellings"]
        == [{"name": None, "rows": m["unknown_unit_spellings"][0]["rows"]}]
        for m in metadata
    )


def plain_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("year", "departure", "destination", "dep_iso3", "dest_iso3"),
    [
        (2011, "Dominican Republic", "Spain", "DOM", "ESP"),
        (2012, "Brazil", "Spain", "BRA", "ESP"),
        (2013, "Colombia", "Spain", "COL", "ESP"),
    ],
)
def test_corridor_counts_match_a_plain_count_of_the_raw_file(
    real_run, year, departure, destination, dep_iso3, dest_iso3
):
    snapshot, _ = real_run
    rows = plain_rows(shared_file("individual_seizures_2011_2013.csv"))
    seen: set[tuple[str, ...]] = set()
    expected = 0
    for row in rows:
        key = tuple(v.strip() for v in row.values())
        if key in seen:
            continue  # an exact repeat of an earlier row: counted once
        seen.add(key)
        if (
            row["SEIZURE_DATE"].startswith(str(year))
            and row["DEPARTURE_COUNTRY"] == departure
            and row["DESTINATION_COUNTRY"] == destination
        ):
            expected += 1
    got = query(
        snapshot,
        "SELECT sum(seizures) FROM marts.route_corridors WHERE year = ? "
        "AND departure_iso3 = ? AND destination_iso3 = ?",
        [year, dep_iso3, dest_iso3],
    )[0][0]
    assert got == expected > 50


@pytest.mark.slow
def test_duplicates_are_flagged_and_route_flows_say_how_they_count_them(real_run):
    snapshot, _ = real_run
    rows = plain_rows(shared_file("individual_seizures_2011_2013.csv"))
    distinct = len({tuple(v.strip() for v in r.values()) for r in rows})
    flagged, total = query(
        snapshot,
        "SELECT count(*) FILTER (WHERE is_duplicate), count(*) FROM core.individual_seizures",
    )[0]
    # The pipeline also reads "n/a"-style tokens as empty, so it may find a few more repeats.
    assert total - flagged <= distinct and total - flagged >= distinct - 10
    with_dups, without = query(
        snapshot, "SELECT sum(seizures_incl_duplicates), sum(seizures) FROM marts.route_flows"
    )[0]
    assert with_dups == total and without == total - flagged


@pytest.mark.slow
def test_corridor_shares_and_transport_mix_add_up(real_run):
    snapshot, _ = real_run
    over = query(
        snapshot,
        "SELECT year, series_id, sum(share_of_seizures) s FROM "
        "marts.route_corridors GROUP BY ALL HAVING s > 1.000001",
    )
    assert over == []
    mix = query(
        snapshot,
        "SELECT seizures, list_sum(list_transform(transport_mix, "
        "lambda t: t.seizures)) FROM marts.route_corridors",
    )
    assert all(a == b for a, b in mix)


@pytest.mark.slow
@pytest.mark.parametrize("region", ["World", "Europe"])
def test_the_routes_page_renders_on_the_real_data(real_run, monkeypatch, region):
    from streamlit.testing.v1 import AppTest

    snapshot, _ = real_run
    monkeypatch.setenv("DRUGTRENDS_HOME", str(snapshot.parent.parent))
    page = Path(__file__).resolve().parents[2] / "dashboards" / "views" / "routes.py"
    at = AppTest.from_file(page, default_timeout=60)
    at.query_params.update({"region": region})
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3  # Sankey, flow map, transport modes
    assert int(at.metric[0].value.replace(",", "")) > 1000  # cocaine seizures, 2011-2013
    assert at.dataframe[0].value.shape[0] > 0  # top corridors
