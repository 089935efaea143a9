"""Display tables and status cards of the data-quality page. Pure functions, no Streamlit.

As elsewhere, a table the page shows is the CSV it offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl

from dashboards.quality_charts import run_labels
from dashboards.quality_text import explain, first_upper

DATASET = "Dataset"
REGION = "Region"
STATUS = "Status"
MESSAGE = "Message"
READ = "Rows read"
CLEAN = "Clean rows"
QUARANTINED = "Quarantined rows"
QUARANTINED_PCT = "Quarantined (%)"
VERSION = "Contract version"
FINISHED = "Finished (UTC)"
LAST_PUBLISHED = "Last published (UTC)"
CHECKS = "Checks passed"
FAILING = "Failing checks"
RUN = "Run"

# status -> (label, Streamlit colour)
STATUS_STYLE = {
    "success": ("Published", "green"),
    "failed": ("Failed", "red"),
    "skipped": ("Skipped", "gray"),
    None: ("No run yet", "gray"),
}
STATUS_ICON = {
    "green": ":material/check_circle:",
    "red": ":material/error:",
    "gray": ":material/remove_circle_outline:",
}


def utc_text(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC") if moment else "never"


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    summary: str


@dataclass(frozen=True)
class StatusCard:
    """What the grid shows for one dataset x region."""

    label: str
    colour: str  # a Streamlit colour name: green, red, gray
    counts: str = ""
    detail: str = ""
    message: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def badge(self) -> str:
        return f":{self.colour}-badge[{STATUS_ICON[self.colour]} {self.label}]"


def status_card(run: dict | None, checks: pl.DataFrame) -> StatusCard:
    """The card of one dataset x region from its latest run (a ``latest_runs`` row, or None)
    and that run's checks (``latest_checks`` rows of the same dataset and region)."""
    if run is None:
        label, colour = STATUS_STYLE[None]
        return StatusCard(label, colour, detail="The pipeline has not run this region yet.")
    label, colour = STATUS_STYLE.get(run["status"], (run["status"], "gray"))
    failed_checks = checks.filter(~pl.col("passed")).height if checks.height else 0
    if colour == "green" and failed_checks:
        colour = "red"  # never show green next to a failed check
    counts = ""
    if run["raw_rows"] is not None:
        counts = (
            f"{run['raw_rows']:,} read · {run['clean_rows'] or 0:,} clean · "
            f"{run['quarantined_rows'] or 0:,} quarantined"
        )
    detail = f"Contract {run['contract_version']} · {utc_text(run['finished_at'])}"
    message = run["message"] or ""
    if run["status"] == "failed":
        kept = (
            f"the data published on {utc_text(run['last_success_at'])} stays in place"
            if run["last_success_at"]
            else "nothing has been published for it yet"
        )
        message = f"{message} — {kept}." if message else f"Not published: {kept}."
    return StatusCard(
        label,
        colour,
        counts=counts,
        detail=detail,
        message=message,
        checks=[
            Check(name, bool(passed), summary)
            for name, passed, summary in checks.select(
                "check_name", "passed", "summary"
            ).iter_rows()
        ],
    )


def status_table(runs: pl.DataFrame, checks: pl.DataFrame) -> pl.DataFrame:
    """One row per dataset x region: the grid as a table (for the CSV)."""
    per_run = (
        checks.group_by("dataset", "region").agg(
            pl.format("{}/{}", pl.col("passed").sum(), pl.len()).alias(CHECKS),
            pl.col("check_name").filter(~pl.col("passed")).str.join(", ").alias(FAILING),
        )
        if checks.height
        else pl.DataFrame(
            schema={
                "dataset": pl.String,
                "region": pl.String,
                CHECKS: pl.String,
                FAILING: pl.String,
            }
        )
    )
    joined = runs.join(per_run, on=["dataset", "region"], how="left")
    return joined.select(
        pl.col("dataset").alias(DATASET),
        pl.col("region").alias(REGION),
        pl.col("status")
        .replace_strict({k: v[0] for k, v in STATUS_STYLE.items() if k}, default=pl.col("status"))
        .alias(STATUS),
        pl.col("raw_rows").alias(READ),
        pl.col("clean_rows").alias(CLEAN),
        pl.col("quarantined_rows").alias(QUARANTINED),
        (100 * pl.col("quarantined_rows") / pl.col("raw_rows")).round(2).alias(QUARANTINED_PCT),
        pl.col("contract_version").alias(VERSION),
        pl.col("finished_at")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
        .alias(FINISHED),
        pl.col("last_success_at")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
        .alias(LAST_PUBLISHED),
        pl.col(CHECKS).fill_null("0/0"),
        pl.col(FAILING).fill_null(""),
        pl.col("message").fill_null("").alias(MESSAGE),
    )


def quarantine_table(rows: pl.DataFrame) -> pl.DataFrame:
    """Quarantined rows (``quality_queries.quarantined_rows``) with plain column names and,
    beside the rule id and its message, why the row was rejected in plain words."""
    reasons = [
        first_upper(explain(rule, message).why)
        for rule, message in zip(rows["rule"], rows["message"], strict=True)
    ]
    return rows.with_columns(pl.Series("_why", reasons, dtype=pl.String)).select(
        pl.col("dataset").alias(DATASET),
        pl.col("region").alias(REGION),
        pl.col("source_file").alias("Source file"),
        pl.col("source_row").alias("Row in file"),
        pl.col("_why").alias("Why it was set aside"),
        pl.col("rule").alias("Rule"),
        pl.col("message").alias(MESSAGE),
        pl.col("contract_version").alias(VERSION),
        pl.col("record").alias("Record as received"),
        pl.col("quarantined_at")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
        .alias("Quarantined at (UTC)"),
    )


def history_table(runs: pl.DataFrame) -> pl.DataFrame:
    """The history chart's runs (``quality_queries.run_history``), newest first."""
    return runs.select(
        pl.Series(RUN, run_labels(runs)) if runs.height else pl.lit(None, pl.String).alias(RUN),
        pl.col("run_id").alias("Run id"),
        pl.col("status").alias(STATUS),
        pl.col("raw_rows").alias(READ),
        pl.col("clean_rows").alias(CLEAN),
        pl.col("quarantined_rows").alias(QUARANTINED),
        pl.col("contract_version").alias(VERSION),
        pl.col("message").fill_null("").alias(MESSAGE),
    ).reverse()


def files_table(files: pl.DataFrame) -> pl.DataFrame:
    """Source files (``quality_queries.source_files``): short checksum, size in kB."""
    return files.select(
        pl.col("source_name").alias("Source file"),
        pl.col("dataset").alias(DATASET),
        pl.col("region").alias(REGION),
        pl.col("format").alias("Format"),
        pl.col("sha256").str.slice(0, 12).alias("SHA-256 (first 12)"),
        (pl.col("size_bytes") / 1000).round(1).alias("Size (kB)"),
        pl.col("fetched_at")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
        .alias("Fetched (UTC)"),
        pl.col("rows").alias("Rows"),
        pl.col("unknown_columns").list.join(", ").fill_null("").alias("Unknown columns"),
    )
