"""Quarantine rules in plain words (dashboards/quality_text.py)."""

from __future__ import annotations

import polars as pl
import pytest

from dashboards import quality_tables, quality_text
from drugtrends.contracts import contract_ids, load_contract
from drugtrends.core.rules import row_rules


def test_a_range_rule_says_what_was_rejected_why_and_what_to_do() -> None:
    text = quality_text.explain("kg.range", "kg '-484' is outside [0, 1e+08]")
    assert text.what == "a row giving the quantity seized (kg) as '-484'"
    assert "between 0 and 100,000,000" in text.why and "'-484' is not" in text.why
    assert "typing or unit error" in text.why
    assert text.todo.startswith("check the figure")
    assert text.rule == "kg.range"
    assert text.sentence.startswith("Rejected: a row giving the quantity seized (kg) as '-484'.")


def test_a_year_range_keeps_years_as_written() -> None:
    text = quality_text.explain("year.range", "year '1890' is outside [1970, 2026]")
    assert "between 1970 and 2026" in text.why
    assert "period the data covers" in text.why


def test_an_open_range_names_its_one_bound() -> None:
    text = quality_text.explain(
        "seizure_date.range", "seizure_date '1890-01-01' is outside [1970-01-01, ...]"
    )
    assert "at least 1970-01-01" in text.why


@pytest.mark.parametrize(
    ("rule", "message", "phrases"),
    [
        ("kg.required", "kg is required but empty", ["no quantity seized (kg)", "left it empty"]),
        ("year.type", "year '2019.5' is not a valid integer", ["'2019.5'", "whole number"]),
        (
            "kg.type",
            "kg '12,5' is not a valid number; year is required but empty",
            ["'12,5'", "a number"],
        ),
        (
            "country_iso3.allowed",
            "country_iso3 'XXX' is not in the iso3 reference list",
            ["country code as 'XXX'", "accepted values"],
        ),
        ("drug_group.control", "drug_group 'x␣' holds invisible control", ["invisible characters"]),
        (
            "kg.formula",
            "kg '=A1' is a spreadsheet formula with no saved value",
            ["spreadsheet formula"],
        ),
        ("region.partition", "region 'Asia' ...", ["wrong region"]),
        (
            "region.allowed",
            "region 'Atlantis' is not a UNODC region and country code '' is not known",
            ["region as 'Atlantis'"],
        ),
        ("correction.c12", "dropped by correction c12: typo (email)", ["recorded correction"]),
    ],
)
def test_every_kind_of_rule_reads_in_plain_words(
    rule: str, message: str, phrases: list[str]
) -> None:
    text = quality_text.explain(rule, message)
    for phrase in phrases:
        assert phrase in text.sentence, (phrase, text.sentence)
    assert "{" not in text.sentence  # every template field was filled


def test_an_unknown_rule_still_names_its_id() -> None:
    text = quality_text.explain("grain.unique", None)
    assert "grain.unique" in text.what


def test_every_rule_the_contracts_can_raise_has_a_plain_sentence() -> None:
    kinds = {
        rule.name.partition(".")[2]
        for dataset in contract_ids()
        for rule in row_rules(load_contract(dataset))
    }
    assert kinds and kinds <= set(quality_text.RULE_KINDS), kinds - set(quality_text.RULE_KINDS)


def test_summary_per_region_keeps_the_rule_id_as_the_detail() -> None:
    counts = pl.DataFrame(
        {
            "region": ["Asia", "Asia"],
            "dataset": ["annual_seizures"] * 2,
            "rule": ["kg.range", "drug_group.required"],
            "rows": [3, 1],
            "example": ["kg '-484' is outside [0, 1e+08]", "drug_group is required but empty"],
        }
    )
    summary = quality_text.plain_summary(counts)
    assert summary.columns[-2:] == ["Rule", "Example message"]
    first = summary.row(0, named=True)
    assert first["What was rejected"] == "A row giving the quantity seized (kg) as '-484'"
    assert first["Rows set aside"] == 3 and first["Rule"] == "kg.range"
    assert quality_text.plain_summary(counts.clear()).height == 0


def test_the_quarantine_table_says_why_beside_the_rule() -> None:
    from datetime import UTC, datetime

    rows = pl.DataFrame(
        {
            "dataset": ["annual_seizures"],
            "region": ["Asia"],
            "source_file": ["annual_asia.csv"],
            "source_row": [7],
            "rule": ["kg.range"],
            "message": ["kg '-484' is outside [0, 1e+08]"],
            "contract_version": ["1.0.0"],
            "record": ["{}"],
            "quarantined_at": [datetime(2024, 1, 1, tzinfo=UTC)],
        }
    )
    table = quality_tables.quarantine_table(rows)
    assert table["Why it was set aside"][0].startswith("The quantity seized (kg) must be between")
    assert table.columns.index("Why it was set aside") < table.columns.index("Rule")
