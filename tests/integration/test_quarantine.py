"""Quarantine release, the corrections registry and Data Docs, through real pipeline runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from drugtrends.contracts import CONTRACTS_DIR, load_contract
from tests.conftest import annual_row, write_json, write_sources

COCA = "Cocaine and Derivatives"
SHIPPED = load_contract("annual_seizures").version
WIDENED = "9.0.0"  # the version the test gives its widened contracts


def kenya_rows() -> list[dict[str, object]]:
    return [
        annual_row(
            "Kenya",
            "KEN",
            "Africa",
            "East Africa",
            COCA,
            "Cocaine",
            "Cocaine hydrochloride",
            year,
            kg,
        )
        for year, kg in ((1965, 3), (2019, 10), (2020, 12500), (2021, 14))
    ]


def africa_sources(tmp: Path, rows: list[dict[str, object]]) -> Path:
    return write_sources(
        tmp / "sources.yaml",
        [
            {
                "dataset": "annual_seizures",
                "region": "Africa",
                "format": "json",
                "location": write_json(tmp / "africa.json", rows).name,
            }
        ],
    )


def test_a_contract_change_releases_quarantined_rows_without_a_re_pull(
    pipeline, tmp_path, monkeypatch
):
    pipeline.use_sources(africa_sources(tmp_path, kenya_rows()))
    assert pipeline(["Africa"])[0] == 0
    assert pipeline.query("SELECT source_row, rule, contract_version FROM quarantine.rows") == [
        (1, "year.range", SHIPPED)
    ]
    fetched = pipeline.query("SELECT file_id, fetched_at FROM raw.files", db=pipeline.warehouse)

    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS_DIR, contracts)
    for path in contracts.glob("*.yaml"):  # widen the year window everywhere it is declared
        doc = yaml.safe_load(path.read_text())
        for col in doc["columns"]:
            if col["name"] == "year" and "range" in col:
                col["range"]["min"] = 1960
                doc["version"] = WIDENED
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
    monkeypatch.setenv("DRUGTRENDS_CONTRACTS_DIR", str(contracts))
    (tmp_path / "africa.json").unlink()  # the source is gone: nothing may be re-pulled

    from pipelines.cli import run_pipeline

    assert run_pipeline(["Africa"], reprocess=True) == 0
    assert pipeline.query("SELECT count(*) FROM quarantine.rows") == [(0,)]
    assert pipeline.query(
        "SELECT year, contract_version FROM core.annual_seizures WHERE source_row = 1"
    ) == [(1965, WIDENED)]
    assert (
        pipeline.query("SELECT file_id, fetched_at FROM raw.files", db=pipeline.warehouse)
        == fetched
    )
    versions = pipeline.query("SELECT DISTINCT contract_version FROM meta.check_results ORDER BY 1")
    assert versions == [(SHIPPED,), (WIDENED,)]


def registry(tmp: Path, kg_expected: str) -> Path:
    path = tmp / "corrections.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "version": "test.1",
                "corrections": [
                    {
                        "id": "C-1",
                        "dataset": "annual_seizures",
                        "region": "Africa",
                        "match": {"country_iso3": "KEN", "year": "2020"},
                        "action": "scale",
                        "column": "kg",
                        "factor": 0.001,
                        "reason": "reported in grams",
                        "evidence": "focal point, 2026-03-02",
                        "expect_rows": 1,
                        "expect": {"kg": kg_expected},
                    },
                    {
                        "id": "C-2",
                        "dataset": "annual_seizures",
                        "region": "Africa",
                        "match": {"country_iso3": "KEN", "year": "2019"},
                        "action": "drop",
                        "reason": "double report of 2020",
                        "evidence": "ticket 42",
                    },
                    {
                        "id": "C-3",
                        "dataset": "annual_seizures",
                        "region": "Africa",
                        "match": {"country_iso3": "KEN", "year": "2021"},
                        "action": "flag",
                        "reason": "estimate",
                        "evidence": "questionnaire note",
                    },
                    {
                        "id": "C-9",
                        "dataset": "annual_seizures",
                        "region": "Europe",
                        "match": {"country_iso3": "ESP"},
                        "action": "drop",
                        "reason": "other region",
                        "evidence": "n/a",
                    },
                ],
            }
        )
    )
    return path


def test_corrections_are_applied_before_validation_and_traced(pipeline, tmp_path, monkeypatch):
    monkeypatch.setenv("DRUGTRENDS_CORRECTIONS_FILE", str(registry(tmp_path, "12500")))
    pipeline.use_sources(africa_sources(tmp_path, kenya_rows()))
    code, out = pipeline(["Africa"])
    assert code == 0, out
    core = pipeline.query("SELECT year, kg, corrections FROM core.annual_seizures ORDER BY year")
    assert core == [(2020, 12.5, ["C-1"]), (2021, 14.0, ["C-3"])]
    quarantine = pipeline.query(
        "SELECT source_row, rule, message FROM quarantine.rows ORDER BY source_row"
    )
    assert [(r[0], r[1]) for r in quarantine] == [(1, "year.range"), (2, "correction.C-2")]
    assert "double report of 2020 (ticket 42)" in quarantine[1][2]
    reconciled = pipeline.query(
        "SELECT raw_rows, clean_rows, quarantined_rows "
        "FROM meta.partition_runs WHERE status = 'success'"
    )
    assert reconciled == [(4, 2, 2)]


def test_a_correction_whose_source_was_fixed_fails_loudly(pipeline, tmp_path, monkeypatch):
    monkeypatch.setenv("DRUGTRENDS_CORRECTIONS_FILE", str(registry(tmp_path, "12500")))
    rows = kenya_rows()
    rows[2]["Kilograms"] = 12.5  # the publisher fixed the grams error
    pipeline.use_sources(africa_sources(tmp_path, rows))
    code, out = pipeline(["Africa"])
    assert code == 1
    assert "correction C-1: expected kg = '12500' in row(s) 3, found ['12.5']" in out
    assert "Traceback" not in out


def test_data_docs_are_built_per_run_and_linked(pipeline, tmp_path, monkeypatch):
    monkeypatch.setenv("DRUGTRENDS_DATA_DOCS", "true")
    pipeline.use_sources(africa_sources(tmp_path, kenya_rows()))
    assert pipeline(["Africa"])[0] == 0
    details = pipeline.query(
        "SELECT details FROM meta.check_results WHERE check_name = 'contract'"
    )[0][0]
    page = json.loads(details)["data_docs"]
    assert page.startswith("file://") and Path(page.removeprefix("file://")).is_file()
    index = pipeline.home / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert "annual_seizures" in index.read_text()


def test_a_blocking_rule_stops_the_region_and_keeps_its_last_good_data(
    pipeline, tmp_path, monkeypatch
):
    rows = kenya_rows()[1:]
    pipeline.use_sources(africa_sources(tmp_path, rows))
    assert pipeline(["Africa"])[0] == 0
    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS_DIR, contracts)
    doc = yaml.safe_load((contracts / "annual_seizures.yaml").read_text())
    next(c for c in doc["columns"] if c["name"] == "country_iso3")["severity"] = "blocking"
    (contracts / "annual_seizures.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    monkeypatch.setenv("DRUGTRENDS_CONTRACTS_DIR", str(contracts))
    rows[0]["msCode"] = "XKE"  # a code that is not a country
    pipeline.use_sources(africa_sources(tmp_path, rows))
    code, out = pipeline(["Africa"])
    assert code == 1
    assert "rows break blocking rules: country_iso3.allowed (1 rows)" in out
    assert pipeline.query("SELECT count(*) FROM core.annual_seizures") == [(3,)]
    assert pipeline.query("SELECT count(*) FROM quarantine.rows") == [(0,)]
