"""annual_seizures end to end: real Dagster runs into a real DuckDB file, then the snapshot."""

from __future__ import annotations

import csv
import http.server
import threading
from pathlib import Path

import pytest

from tests.conftest import (
    ANNUAL_FIELDS,
    PipelineRunner,
    annual_row,
    shared_file,
    write_json,
    write_sources,
)

COCA = "Cocaine and Derivatives"
OPI = "Opioids and Opiates"
COUNTRIES = {
    "Africa": [("Nigeria", "NGA", "West and Central Africa"), ("Kenya", "KEN", "East Africa")],
    "Americas": [("Colombia", "COL", "South America"), ("Mexico", "MEX", "Central America")],
    "Asia": [("Thailand", "THA", "East and South-East Asia"), ("Pakistan", "PAK", "South Asia")],
    "Europe": [
        ("Spain", "ESP", "Western and Central Europe"),
        ("Ukraine", "UKR", "Eastern Europe"),
    ],
    "Oceania": [
        ("Australia", "AUS", "Australia and New Zealand"),
        ("New Zealand", "NZL", "Australia and New Zealand"),
    ],
}


def region_rows(region: str, years: range = range(2019, 2022)) -> list[dict[str, object]]:
    rows = []
    for i, (name, iso3, sub) in enumerate(COUNTRIES[region]):
        for year in years:
            base = 10.0 * (i + 1) + (year - 2019)
            rows.append(
                annual_row(
                    name, iso3, region, sub, COCA, "Cocaine", "Cocaine hydrochloride", year, base
                )
            )
            rows.append(
                annual_row(name, iso3, region, sub, OPI, "Opiates", "Heroin", year, base / 2)
            )
    return rows


def write_csv(path: Path, rows: list[dict[str, object]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=ANNUAL_FIELDS, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, object]], sheet: str) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(ANNUAL_FIELDS)
    for row in rows:
        ws.append([row[f] for f in ANNUAL_FIELDS])
    wb.save(path)
    return path


def regional_sources(
    tmp: Path, overrides: dict[str, list[dict[str, object]]] | None = None
) -> Path:
    """One file per region, in all three formats: JSON, CSV (',' and ';'), XLSX."""
    overrides = overrides or {}
    rows = {r: overrides.get(r, region_rows(r)) for r in COUNTRIES}
    entries = [
        {
            "dataset": "annual_seizures",
            "region": "Africa",
            "format": "json",
            "location": write_json(tmp / "africa.json", rows["Africa"]).name,
        },
        {
            "dataset": "annual_seizures",
            "region": "Americas",
            "format": "csv",
            "delimiter": ",",
            "location": write_csv(tmp / "americas.csv", rows["Americas"]).name,
        },
        {
            "dataset": "annual_seizures",
            "region": "Asia",
            "format": "csv",
            "delimiter": ";",
            "location": write_csv(tmp / "asia.csv", rows["Asia"], ";").name,
        },
        {
            "dataset": "annual_seizures",
            "region": "Europe",
            "format": "xlsx",
            "sheet": "Data",
            "location": write_xlsx(tmp / "europe.xlsx", rows["Europe"], "Data").name,
        },
        {
            "dataset": "annual_seizures",
            "region": "Oceania",
            "format": "json",
            "location": write_json(tmp / "oceania.json", rows["Oceania"]).name,
        },
    ]
    return write_sources(tmp / "sources.yaml", entries)


def global_kg(pipeline: PipelineRunner, subgroup: str, year: int) -> float:
    return pipeline.query(
        "SELECT kg FROM marts.seizure_trends WHERE level = 'global' AND grain = 'drug_subgroup' "
        "AND drug_subgroup = ? AND year = ?",
        [subgroup, year],
    )[0][0]


def table_contents(pipeline: PipelineRunner, db: Path) -> dict[str, list[tuple]]:
    """Every warehouse table, minus the columns that name the run or the clock."""
    volatile = {
        "run_id",
        "_run_id",
        "loaded_at",
        "_loaded_at",
        "quarantined_at",
        "fetched_at",
        "finished_at",
        "checked_at",
        # history.published_basis: which snapshot the comparison basis was published in
        "snapshot_id",
        "published_at",
    }
    tables = [
        r[0]
        for r in pipeline.query(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('meta') ORDER BY 1",
            db=db,
        )
    ]
    out = {}
    for table in tables:
        cols = [r[0] for r in pipeline.query(f"DESCRIBE {table}", db=db) if r[0] not in volatile]
        out[table] = sorted(
            pipeline.query(f"SELECT {', '.join(cols)} FROM {table}", db=db), key=repr
        )
    return out


@pytest.mark.slow
def test_real_annual_data_reproduces_published_global_cocaine_seizures(pipeline, tmp_path):
    real = shared_file("drug_seizures_2018_2021.json")
    pipeline.use_sources(
        write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "dataset": "annual_seizures",
                    "region": "all",
                    "location": str(real),
                    "format": "json",
                }
            ],
        )
    )
    code, out = pipeline()
    assert code == 0, out
    # World Drug Report: ~1,424 t in 2020 and ~2,026 t in 2021 (excluding coca leaf and bush).
    assert global_kg(pipeline, "Cocaine", 2020) / 1000 == pytest.approx(1424, rel=0.01)
    assert global_kg(pipeline, "Cocaine", 2021) / 1000 == pytest.approx(2026, rel=0.01)
    # Nothing lost: every one of the 8,603 source rows is clean or quarantined.
    clean = pipeline.query("SELECT count(*) FROM core.annual_seizures")[0][0]
    quarantined = pipeline.query("SELECT count(*) FROM quarantine.rows")[0][0]
    assert clean + quarantined == 8603
    # Real data: the sources do not say synthetic, so neither does the snapshot.
    assert pipeline.query("SELECT synthetic FROM meta.snapshot") == [(False,)]


@pytest.mark.slow
def test_every_format_loads_and_every_region_publishes(pipeline, tmp_path):
    pipeline.use_sources(regional_sources(tmp_path))
    code, out = pipeline()
    assert code == 0, out
    assert out.count(" ok ") == 5, out
    per_region = dict(
        pipeline.query("SELECT region, count(*) FROM core.annual_seizures GROUP BY region")
    )
    assert per_region == {r: len(region_rows(r)) for r in COUNTRIES}
    # The same figures whatever the format they arrived in.
    assert global_kg(pipeline, "Cocaine", 2019) == sum(10.0 * (i + 1) for i in range(2)) * 5
    source_rows = pipeline.query(
        "SELECT source_file, min(source_row), max(source_row) FROM core.annual_seizures "
        "GROUP BY 1 ORDER BY 1"
    )
    assert source_rows[0] == ("africa.json", 1, 12)  # JSON: record index
    assert source_rows[1] == ("americas.csv", 2, 13)  # CSV: line number, header on line 1


@pytest.mark.slow
def test_materialising_a_region_twice_leaves_every_table_identical(pipeline, tmp_path):
    pipeline.use_sources(regional_sources(tmp_path))
    assert pipeline()[0] == 0
    before = table_contents(pipeline, pipeline.warehouse)
    code, out = pipeline(["Europe"])
    assert code == 0, out
    after = table_contents(pipeline, pipeline.warehouse)
    assert after == before


@pytest.mark.slow
def test_a_broken_file_fails_only_its_region_and_keeps_its_last_good_data(pipeline, tmp_path):
    pipeline.use_sources(regional_sources(tmp_path))
    assert pipeline()[0] == 0
    europe_before = pipeline.query(
        "SELECT count(*), sum(kg) FROM core.annual_seizures WHERE region = 'Europe'"
    )
    (tmp_path / "europe.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    broken_csv = (tmp_path / "americas.csv").read_text().replace("Kilograms", "Weight")
    (tmp_path / "americas.csv").write_text(broken_csv)
    (tmp_path / "oceania.json").write_text(
        write_json(tmp_path / "x.json", region_rows("Oceania", range(2019, 2023))).read_text()
    )

    code, out = pipeline()
    assert code == 1
    lines: dict[str, str] = {}
    for line in out.splitlines():
        lines[line.split()[0]] = lines.get(line.split()[0], "") + line + "\n"
    assert "FAILED" in lines["Europe"] and "europe.xlsx" in lines["Europe"]
    assert "cannot be parsed as xlsx" in lines["Europe"]
    assert (
        "americas.csv" in lines["Americas"]
        and "required column(s) missing: kg" in lines["Americas"]
    )
    assert "Traceback" not in out
    assert " ok " in lines["Oceania"] and lines["published"]
    # The new Oceania year is published; Europe still shows its last good data.
    assert pipeline.query(
        "SELECT max(year) FROM core.annual_seizures WHERE region = 'Oceania'"
    ) == [(2022,)]
    assert (
        pipeline.query("SELECT count(*), sum(kg) FROM core.annual_seizures WHERE region = 'Europe'")
        == europe_before
    )


@pytest.mark.slow
def test_a_new_years_submission_updates_trends_and_year_on_year_change(pipeline, tmp_path):
    pipeline.use_sources(regional_sources(tmp_path))
    assert pipeline()[0] == 0
    assert pipeline.query("SELECT max(year) FROM marts.seizure_trends") == [(2021,)]
    regional_sources(tmp_path, {"Asia": region_rows("Asia", range(2019, 2023))})
    assert pipeline(["Asia"])[0] == 0
    kg, yoy = pipeline.query(
        "SELECT kg, yoy_change_kg FROM marts.seizure_trends WHERE level = 'region' "
        "AND area = 'Asia' AND grain = 'drug_subgroup' AND drug_subgroup = 'Cocaine' "
        "AND year = 2022"
    )[0]
    assert kg == (10 + 3) + (20 + 3)
    assert yoy == 2.0  # each of the two countries grew by 1 kg


@pytest.mark.slow
def test_bad_rows_are_quarantined_with_rule_and_message_and_counts_reconcile(pipeline, tmp_path):
    africa = region_rows("Africa")
    africa[0]["Kilograms"] = -5
    africa[1]["Year"] = 1890
    africa[2]["msCode"] = "XXX"
    africa[3]["Kilograms"] = "n/a"
    africa[4]["Drug group"] = ""
    africa[5]["Kilograms"] = "1,234.5"  # thousands separator: valid
    pipeline.use_sources(regional_sources(tmp_path, {"Africa": africa}))
    code, out = pipeline()
    assert code == 0, out
    rows = pipeline.query(
        "SELECT source_file, source_row, rule, message FROM quarantine.rows ORDER BY source_row"
    )
    assert [(r[1], r[2]) for r in rows] == [
        (1, "kg.range"),
        (2, "year.range"),
        (3, "country_iso3.allowed"),
        (4, "kg.required"),
        (5, "drug_group.required"),
    ]
    assert all(r[0] == "africa.json" for r in rows)
    assert "kg '-5' is outside [0, 1e+08]" in rows[0][3]
    assert pipeline.query(
        "SELECT kg FROM core.annual_seizures WHERE source_file = 'africa.json' AND source_row = 6"
    ) == [(1234.5,)]
    raw, clean, quarantined = pipeline.query(
        "SELECT raw_rows, clean_rows, quarantined_rows FROM meta.partition_runs "
        "WHERE region = 'Africa' AND status = 'success'"
    )[0]
    assert (raw, clean, quarantined) == (len(africa), len(africa) - 5, 5)
    checks = dict(
        pipeline.query("SELECT check_name, passed FROM meta.check_results WHERE region = 'Africa'")
    )
    assert checks == {"contract": True, "reconciliation": True, "quarantine_share": True}


@pytest.mark.slow
def test_rows_of_an_all_regions_file_with_no_known_region_are_quarantined_once(pipeline, tmp_path):
    rows = region_rows("Africa") + region_rows("Europe")
    rows.append(annual_row("Atlantis", "ATL", "Lemuria", "", COCA, "Cocaine", "Cocaine", 2020, 1))
    rows.append(annual_row("Spain", "ESP", "", "", COCA, "Cocaine", "Cocaine", 2020, 1))
    pipeline.use_sources(
        write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "dataset": "annual_seizures",
                    "region": "all",
                    "format": "json",
                    "location": write_json(tmp_path / "all.json", rows).name,
                }
            ],
        )
    )
    assert pipeline(["Africa", "Europe"])[0] == 0
    assert pipeline(["Europe"])[0] == 0  # re-runs do not duplicate quarantine rows
    quarantine = pipeline.query("SELECT region, source_row, rule FROM quarantine.rows ORDER BY 2")
    assert quarantine == [
        ("unassigned", len(rows) - 1, "region.allowed"),
        ("Europe", len(rows), "region.required"),
    ]
    clean = pipeline.query("SELECT count(*) FROM core.annual_seizures")[0][0]
    assert clean + len(quarantine) == len(rows)
    per_region = pipeline.query("SELECT read_by, rows FROM raw.files ORDER BY 1")
    assert per_region == [
        ("Africa", len(region_rows("Africa"))),
        ("Europe", len(region_rows("Europe")) + 1),
    ]


@pytest.mark.slow
def test_a_failed_publish_leaves_the_previous_snapshot_current(pipeline, tmp_path):
    pipeline.use_sources(regional_sources(tmp_path))
    assert pipeline()[0] == 0
    first = pipeline.query("SELECT snapshot_id FROM meta.snapshot")
    # Make the mart build fail: a core table the marts cannot aggregate.
    from drugtrends.warehouse import open_db

    con = open_db(pipeline.warehouse)
    con.execute("ALTER TABLE core.annual_seizures RENAME COLUMN kg TO kilograms")
    con.close()
    code, out = pipeline([], publish=True)
    assert code == 1 and "previous snapshot is still current" in out
    assert pipeline.query("SELECT snapshot_id FROM meta.snapshot") == first


class _FlakyHandler(http.server.SimpleHTTPRequestHandler):
    failures_left = 1

    def do_GET(self):  # noqa: N802 - http.server's naming
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            self.send_error(503, "try again")
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_an_http_source_is_retried_after_a_server_error(pipeline, tmp_path):
    write_json(tmp_path / "africa.json", region_rows("Africa"))
    handler = lambda *a, **kw: _FlakyHandler(*a, directory=str(tmp_path), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/africa.json"
        pipeline.use_sources(
            write_sources(
                tmp_path / "sources.yaml",
                [
                    {
                        "dataset": "annual_seizures",
                        "region": "Africa",
                        "format": "json",
                        "location": url,
                    }
                ],
            )
        )
        code, out = pipeline(["Africa"])
    finally:
        server.shutdown()
    assert code == 0, out
    assert _FlakyHandler.failures_left == 0
    files = pipeline.query("SELECT location, source_name, rows FROM raw.files")
    assert files == [(url, "africa.json", len(region_rows("Africa")))]


@pytest.mark.slow
def test_schema_drift_aliases_order_and_unknown_columns_are_handled(pipeline, tmp_path):
    rows = []
    for row in region_rows("Africa"):
        drifted = {
            " YEAR ": row["Year"],
            "Country": row["Country/Territory"],
            "kilograms": row["Kilograms"],
            "Notes": "provisional",
        }
        drifted.update(
            {k: v for k, v in row.items() if k not in ("Year", "Country/Territory", "Kilograms")}
        )
        rows.append(drifted)
    pipeline.use_sources(
        write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "dataset": "annual_seizures",
                    "region": "Africa",
                    "format": "json",
                    "location": write_json(tmp_path / "africa.json", rows).name,
                }
            ],
        )
    )
    code, out = pipeline(["Africa"])
    assert code == 0, out
    assert pipeline.query("SELECT count(*), sum(kg) FROM core.annual_seizures") == [
        (len(rows), sum(r["Kilograms"] for r in region_rows("Africa")))
    ]
    assert pipeline.query("SELECT unknown_columns FROM raw.files") == [(["Notes"],)]
    kept = pipeline.query("SELECT DISTINCT _extra FROM raw.annual_seizures", db=pipeline.warehouse)
    assert kept == [('{"Notes":"provisional"}',)]
