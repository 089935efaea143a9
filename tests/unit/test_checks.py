"""The blocking checks' pass/fail rules, on inline frames and hand-made reports (no Dagster)."""

from __future__ import annotations

import polars as pl

from drugtrends.contracts import Column, Contract
from drugtrends.core.checks import (
    DATA_DOCS,
    DATASET_CHECKS,
    DESCRIPTIONS,
    dataset_outcomes,
    failures,
    mart_outcome,
    side_table_outcome,
    skipped_outcomes,
)
from drugtrends.core.gx import GxReport
from drugtrends.core.quarantine import Split

CONTRACT = Contract(
    id="seizures",
    version="3",
    columns=(Column("country", "string", severity="blocking"), Column("kg", "number")),
    max_quarantine_share=0.5,
)
PASSED = GxReport(success=True, rows_checked=3, expectations=4)


def split(clean: int, rules: list[str], raw: int | None = None) -> Split:
    quarantined = pl.DataFrame({"rule": rules}, schema={"rule": pl.String})
    return Split(
        clean=pl.DataFrame({"kg": [1.0] * clean}),
        quarantined=quarantined,
        raw_rows=clean + len(rules) if raw is None else raw,
    )


def outcomes(report: GxReport, batch: Split) -> dict[str, tuple[bool, str]]:
    return {o.name: (o.passed, o.summary) for o in dataset_outcomes(report, batch, CONTRACT)}


def test_a_clean_batch_passes_every_check():
    assert outcomes(PASSED, split(3, [])) == {
        "contract": (True, "4 expectations passed on 3 rows"),
        "reconciliation": (True, "raw 3 = clean 3 + quarantined 0"),
        "quarantine_share": (True, "0.0% of rows quarantined (limit 50%)"),
    }


def test_a_great_expectations_failure_fails_the_contract_check_only():
    report = GxReport(success=False, rows_checked=3, expectations=4, failures={"kg.range": 2})
    result = outcomes(report, split(3, []))
    assert result["contract"] == (False, "failed: kg.range (2 rows)")
    assert result["reconciliation"][0] and result["quarantine_share"][0]


def test_rows_breaking_a_blocking_rule_fail_the_contract_even_when_gx_passes():
    # country is blocking, kg is a row rule: only the country rows block.
    result = outcomes(
        PASSED, split(8, ["country.allowed", "kg.range", "country.required", "country.allowed"])
    )
    assert result["contract"] == (
        False,
        "rows break blocking rules: country.allowed (2 rows), country.required (1 rows)",
    )
    assert outcomes(PASSED, split(8, ["kg.range", "kg.type"]))["contract"][0] is True


def test_lost_or_doubled_rows_fail_reconciliation():
    assert outcomes(PASSED, split(3, ["kg.type"], raw=5))["reconciliation"] == (
        False,
        "raw 5 = clean 3 + quarantined 1",
    )
    assert outcomes(PASSED, split(3, ["kg.type"], raw=3))["reconciliation"][0] is False


def test_the_quarantine_share_may_reach_the_limit_but_not_pass_it():
    at_limit = outcomes(PASSED, split(2, ["kg.type", "kg.type"]))["quarantine_share"]
    assert at_limit == (True, "50.0% of rows quarantined (limit 50%)")
    over = outcomes(PASSED, split(1, ["kg.type", "kg.type"]))["quarantine_share"]
    assert over == (False, "66.7% of rows quarantined (limit 50%)")
    assert outcomes(PASSED, split(0, [], raw=0))["quarantine_share"][0] is True  # empty batch


def test_failures_name_each_failed_check_and_its_summary():
    checks = dataset_outcomes(PASSED, split(1, ["kg.type", "kg.type"]), CONTRACT)
    assert failures(checks) == ["quarantine_share: 66.7% of rows quarantined (limit 50%)"]


def test_contract_metadata_is_plain_and_links_the_data_docs_page():
    report = GxReport(success=True, rows_checked=3, expectations=4, docs_page="file:///d.html")
    (contract, *_) = dataset_outcomes(report, split(3, ["kg.type"]), CONTRACT)
    assert contract.metadata == {
        "rows_checked": 3,
        "expectations": 4,
        "failures": {},
        "examples": {},
        "quarantined_by_rule": {"kg.type": 1},
        "contract_version": "3",
        DATA_DOCS: "file:///d.html",
    }


def test_skipped_checks_pass_and_say_why():
    assert [(o.name, o.passed, o.summary) for o in skipped_outcomes("no source configured")] == [
        (name, True, "skipped: no source configured") for name in DATASET_CHECKS
    ]


def test_every_dataset_check_has_a_description():
    assert set(DESCRIPTIONS) == set(DATASET_CHECKS) and all(DESCRIPTIONS.values())


def test_a_failed_mart_names_the_mart_and_a_passing_one_its_version():
    bad = GxReport(success=False, rows_checked=2, expectations=3, failures={"year.range": 1})
    failed = mart_outcome("route_flows", bad, "1")
    assert (failed.passed, failed.summary) == (
        False,
        "marts.route_flows: failed: year.range (1 rows)",
    )
    ok = mart_outcome("route_flows", PASSED, "1")
    assert (ok.passed, ok.metadata) == (True, {"rows_checked": 3, "contract_version": "1"})


def test_side_tables_pass_only_when_none_failed():
    assert side_table_outcome({}, {"meta.partition_runs": 4}).summary == "all passed"
    failed = side_table_outcome({"quarantine.rows": "failed: rule.required (1 rows)"}, {})
    assert (failed.passed, failed.summary) == (
        False,
        "quarantine.rows: failed: rule.required (1 rows)",
    )
