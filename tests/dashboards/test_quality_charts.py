"""Data-quality cards, tables and figures on small inline frames."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from dashboards import quality_charts, quality_tables

T5, T6 = datetime(2024, 1, 1, 5, tzinfo=UTC), datetime(2024, 1, 1, 6, tzinfo=UTC)
RUN_SCHEMA = {
    "dataset": pl.String,
    "region": pl.String,
    "run_id": pl.String,
    "status": pl.String,
    "message": pl.String,
    "raw_rows": pl.Int64,
    "clean_rows": pl.Int64,
    "quarantined_rows": pl.Int64,
    "contract_version": pl.String,
    "finished_at": pl.Datetime("us", "UTC"),
    "last_success_at": pl.Datetime("us", "UTC"),
}
RUNS = pl.DataFrame(
    [
        ("annual_seizures", "Europe", "run-e1", "success", None, 10, 8, 2, "1.0.0", T5, T5),
        (
            "annual_seizures",
            "Europe",
            "run-e2",
            "failed",
            "quarantine_share: 60% over 50%",
            5,
            2,
            3,
            "1.1.0",
            T6,
            T5,
        ),
        (
            "annual_seizures",
            "Asia",
            "run-s1",
            "skipped",
            "no source",
            None,
            None,
            None,
            "1.1.0",
            T6,
            None,
        ),
    ],
    orient="row",
    schema=RUN_SCHEMA,
)
CHECKS = pl.DataFrame(
    [
        ("annual_seizures", "Europe", "contract", True, "12 expectations passed on 2 rows"),
        ("annual_seizures", "Europe", "reconciliation", True, "raw 5 = clean 2 + quarantined 3"),
        ("annual_seizures", "Europe", "quarantine_share", False, "60.0% of rows quarantined"),
    ],
    orient="row",
    schema=["dataset", "region", "check_name", "passed", "summary"],
)


def test_published_card_is_green_with_counts() -> None:
    card = quality_tables.status_card(RUNS.row(0, named=True), CHECKS.clear())
    assert (card.label, card.colour) == ("Published", "green")
    assert card.badge == ":green-badge[:material/check_circle: Published]"
    assert card.counts == "10 read · 8 clean · 2 quarantined"
    assert card.detail == "Contract 1.0.0 · 01 Jan 2024, 05:00 UTC"


def test_failed_card_is_red_and_says_what_stays_published() -> None:
    card = quality_tables.status_card(RUNS.row(1, named=True), CHECKS)
    assert (card.label, card.colour) == ("Failed", "red")
    assert card.message == (
        "quarantine_share: 60% over 50% — the data published on "
        "01 Jan 2024, 05:00 UTC stays in place."
    )
    assert [(c.name, c.passed) for c in card.checks] == [
        ("contract", True),
        ("reconciliation", True),
        ("quarantine_share", False),
    ]


def test_skipped_and_missing_runs_are_grey() -> None:
    skipped = quality_tables.status_card(RUNS.row(2, named=True), CHECKS.clear())
    assert (skipped.label, skipped.colour, skipped.counts) == ("Skipped", "gray", "")
    assert skipped.message == "no source"
    missing = quality_tables.status_card(None, CHECKS.clear())
    assert (missing.label, missing.colour) == ("No run yet", "gray")


def test_status_table_summarises_checks() -> None:
    table = quality_tables.status_table(RUNS.tail(2), CHECKS)
    assert table[quality_tables.STATUS].to_list() == ["Failed", "Skipped"]
    assert table[quality_tables.CHECKS].to_list() == ["2/3", "0/0"]
    assert table[quality_tables.FAILING].to_list() == ["quarantine_share", ""]
    assert table[quality_tables.QUARANTINED_PCT].to_list() == [60.0, None]


def test_history_marks_failed_runs_and_contract_versions() -> None:
    fig = quality_charts.history_figure(RUNS.head(2))
    assert [t.name for t in fig.data] == [
        "Clean rows",
        "Quarantined rows",
        "Failed run (not published)",
    ]
    assert list(fig.data[0].x) == ["2024-01-01 05:00:00", "2024-01-01 06:00:00"]
    assert list(fig.data[1].y) == [2, 3]
    assert list(fig.data[2].x) == ["2024-01-01 06:00:00"]
    assert [a.text for a in fig.layout.annotations] == ["contract 1.0.0", "contract 1.1.0"]
    assert len(fig.layout.shapes) == 1  # one version change
    assert (
        "No runs recorded" in quality_charts.history_figure(RUNS.clear()).layout.annotations[0].text
    )


def test_rules_figure_counts_rows_per_rule() -> None:
    by_rule = pl.DataFrame(
        {
            "dataset": ["annual_seizures", "annual_seizures", "individual"],
            "rule": ["kg.range", "year.range", "quantity.required"],
            "rows": [2, 1, 1],
        }
    )
    fig = quality_charts.rules_figure(by_rule)
    assert [t.name for t in fig.data] == ["annual_seizures", "individual"]
    assert list(fig.layout.yaxis.categoryarray) == ["quantity.required", "year.range", "kg.range"]
    assert fig.layout.xaxis.dtick == 1


def test_files_table_shortens_checksums() -> None:
    files = pl.DataFrame(
        {
            "source_name": ["a.csv"],
            "dataset": ["annual_seizures"],
            "region": ["Europe"],
            "format": ["csv"],
            "sha256": ["ab" * 32],
            "size_bytes": [12_345],
            "fetched_at": [T6],
            "rows": [5],
            "unknown_columns": [["X", "Y"]],
        }
    )
    row = quality_tables.files_table(files).row(0, named=True)
    assert row["SHA-256 (first 12)"] == "abababababab"
    assert row["Size (kB)"] == 12.3
    assert row["Unknown columns"] == "X, Y"
    assert row["Fetched (UTC)"] == datetime(2024, 1, 1, 6)
