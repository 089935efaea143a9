"""Run history in the warehouse: one ``meta.partition_runs`` row per dataset x region x run, and
one ``meta.check_results`` row per check. Both go inside the caller's transaction when there is
one, so the history says exactly what the data tables hold."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Literal

import duckdb
import polars as pl

from drugtrends.core.checks import CheckOutcome
from drugtrends.core.quarantine import Split

Status = Literal["success", "failed", "skipped"]


def record_run(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    region: str,
    run_id: str,
    status: Status,
    message: str,
    split: Split | None,
    contract_version: str,
) -> None:
    con.execute(
        "INSERT INTO meta.partition_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            dataset,
            region,
            run_id,
            status,
            message,
            split.raw_rows if split else None,
            split.clean.height if split else None,
            split.quarantined.height if split else None,
            contract_version,
            datetime.now(UTC),
            json.dumps(split.metadata, default=str) if split else None,
        ],
    )


def record_checks(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    region: str,
    run_id: str,
    outcomes: list[CheckOutcome],
    contract_version: str,
) -> None:
    now = datetime.now(UTC)
    results = pl.DataFrame(
        [
            {
                "dataset": dataset,
                "region": region,
                "run_id": run_id,
                "check_name": o.name,
                "severity": "blocking",
                "passed": o.passed,
                "summary": o.summary,
                "details": json.dumps(o.metadata),
                "contract_version": contract_version,
                "checked_at": now,
            }
            for o in outcomes
        ]
    )
    con.register("_checks", results.to_arrow())
    try:
        con.execute("INSERT INTO meta.check_results BY NAME SELECT * FROM _checks")
    finally:
        con.unregister("_checks")


def failed_run(
    settings, dataset: str, region: str, run_id: str, err: Exception, contract_version: str
) -> str:
    """Record a failed run for any error, expected or not; return its message.

    A SourceError is the user's problem, in its own words; anything else is named with its type,
    so the run record, the CLI summary line and the alert all say what happened.
    """
    from drugtrends.errors import SourceError
    from drugtrends.storage import open_warehouse

    if isinstance(err, SourceError):
        message = str(err)
    else:
        text = next((ln.strip() for ln in str(err).splitlines() if ln.strip()), "")
        message = f"{dataset} / {region}: unexpected {type(err).__name__}" + (
            f": {text[:300]}" if text else ""
        )
    try:
        open_warehouse(settings).commit(
            lambda con: record_run(
                con, dataset, region, run_id, "failed", message, None, contract_version
            ),
            message=f"{dataset} {region} run {run_id} failed",
        )
    except Exception:  # noqa: BLE001 - the caller still reports the message
        message += " (the run record could not be written)"
    return message
