"""One region's core stage: raw rows -> checked core + quarantine rows, written in one transaction.

Load the region's raw rows, apply corrections and the contract's row rules (``rule_split``),
transform the clean rows (``transform_split``), verify them with Great Expectations, reconcile
the counts and the quarantine share, and decide. The check results and the run record are
always written; the region's core and quarantine rows are replaced only when every blocking
check passed, in the same transaction, so a blocked region keeps its last good data and
nothing downstream publishes the bad batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from drugtrends.contracts import Contract, load_contract
from drugtrends.core import (
    gx,  # GX itself is imported only when a batch is validated
    incremental,
)
from drugtrends.core.checks import CheckOutcome, dataset_outcomes, failures, skipped_outcomes
from drugtrends.core.corrections import load_registry
from drugtrends.core.quarantine import Split, Transform, rule_split, transform_split
from drugtrends.raw.ingest import sources_for
from drugtrends.raw.landing import discard
from drugtrends.raw.region import NO_SOURCE
from drugtrends.runs import Status, failed_run, record_checks, record_run
from drugtrends.settings import Settings
from drugtrends.storage import open_warehouse
from drugtrends.warehouse import read_batched, read_frame, table_exists


@dataclass(frozen=True)
class CoreResult:
    status: Status
    message: str = ""  # why the region failed, for people and alerts
    checks: list[CheckOutcome] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)  # plain values


def write_region(
    settings: Settings,
    contract: Contract,
    region: str,
    run_id: str,
    split: Split,
    checks: list[CheckOutcome],
) -> list[str]:
    """Record the checks and the run; replace the region's rows only if every check passed.

    Returns the failed checks as ``name: summary`` (empty when the rows were written).
    """
    dataset = contract.id
    failed = failures(checks)
    store = open_warehouse(settings)

    def write(con) -> None:
        # Written by this region alone (its own tables on DuckLake): never a conflict.
        record_checks(con, dataset, region, run_id, checks, contract.version)
        if not failed:
            store.replace_rows(
                con, f"core.{dataset}", split.clean, "region = ?", [region], partition=region
            )
            store.replace_rows(
                con,
                "quarantine.rows",
                split.quarantined,
                "dataset = ? AND region = ?",
                [dataset, region],
                partition=region,
            )
        record_run(
            con,
            dataset,
            region,
            run_id,
            "failed" if failed else "success",
            "; ".join(failed),
            split,
            contract.version,
        )

    store.commit(write, message=f"{dataset} {region} run {run_id}")
    return failed


def discard_blocked_files(settings: Settings, dataset: str, region: str, run_id: str) -> list[str]:
    """Remove from landing the files of a run a blocking check stopped, as the raw stage removes
    a file its reader rejects: the region keeps its last good rows, and nothing stands on these
    bytes. A file is kept while anything else still uses the same bytes: the published core or
    quarantine rows (the last good load, any region) or another region's or run's file record.
    Their ``raw.files`` records stay, naming checksum and size. Returns the removed file names.
    """
    store = open_warehouse(settings)
    with store.connect() as con:
        files = read_frame(
            con,
            "SELECT DISTINCT file_id, source_name, landed_path FROM raw.files "
            "WHERE dataset = ? AND read_by = ? AND run_id = ? AND landed_path IS NOT NULL",
            [dataset, region, run_id],
        )
        if files.is_empty():
            return []
        used = set(
            read_frame(
                con,
                "SELECT DISTINCT file_id FROM raw.files WHERE dataset = ? "
                "AND NOT (read_by = ? AND run_id = ?) "
                "UNION SELECT DISTINCT file_id FROM quarantine.rows WHERE dataset = ?",
                [dataset, region, run_id, dataset],
            )["file_id"].to_list()
        )
        if table_exists(con, "core", dataset):
            used |= set(
                read_frame(con, f"SELECT DISTINCT file_id FROM core.{dataset}")["file_id"].to_list()
            )
    removed = []
    for file_id, name, path in files.iter_rows():
        if file_id not in used and discard(path, settings.landing_dir):
            removed.append(name)
    return removed


def build_region(
    settings: Settings,
    dataset: str,
    region: str,
    run_id: str,
    transform: Transform | None = None,
) -> CoreResult:
    """Run ``dataset`` x ``region`` from raw to core; never raises for bad data."""
    contract = load_contract(dataset, settings.contracts)
    if not sources_for(settings, dataset, region):
        return CoreResult("skipped", NO_SOURCE, skipped_outcomes(NO_SOURCE), {"skipped": NO_SOURCE})
    store = open_warehouse(settings)
    with store.connect() as con:
        unchanged = incremental.skipped_in_run(con, dataset, region, run_id)
        if unchanged is not None:
            return CoreResult(
                "skipped", unchanged, skipped_outcomes(unchanged), {"unchanged": unchanged}
            )
        raw = read_batched(con, f"SELECT * FROM raw.{dataset} WHERE _region = ?", [region])
    try:
        registry = load_registry(settings.corrections_file)
        with store.connect() as con:
            inputs = incremental.loaded_fingerprint(
                con, dataset, region, contract.version, registry
            )
        split = rule_split(raw, contract, region, run_id, registry=registry)
        del raw  # the raw batch is not held while the clean rows are transformed and checked
        split = transform_split(split, transform)
        split.metadata["inputs_fingerprint"] = inputs
        started = time.perf_counter()
        report = gx.validate(
            split.clean,
            contract,
            docs_dir=settings.docs_dir(),
            batch=region,
            run_name=run_id,
            sample_rows=settings.gx_sample_rows or None,
        )
        split.metadata.setdefault("seconds", {})["gx"] = round(time.perf_counter() - started, 3)
    except Exception as err:  # noqa: BLE001 - every failure, expected or not, ends as a run record
        message = failed_run(settings, dataset, region, run_id, err, contract.version)
        return CoreResult("failed", message)
    checks = dataset_outcomes(report, split, contract)
    try:
        failed = write_region(settings, contract, region, run_id, split, checks)
    except Exception as err:  # noqa: BLE001 - a disk or database error is recorded too
        message = failed_run(settings, dataset, region, run_id, err, contract.version)
        return CoreResult("failed", message, checks)
    if failed:
        try:
            removed = discard_blocked_files(settings, dataset, region, run_id)
        except Exception as err:  # noqa: BLE001 - the failed run is recorded; say what went wrong
            removed = [f"not cleaned: {type(err).__name__}: {err}"]
        return CoreResult(
            "failed",
            f"{dataset} / {region}: blocked by " + "; ".join(failed),
            checks,
            {"removed_from_landing": removed},
        )
    return CoreResult(
        "success",
        checks=checks,
        metadata={
            "clean_rows": split.clean.height,
            "quarantined_rows": split.quarantined.height,
            "raw_rows": split.raw_rows,
            "contract_version": contract.version,
            "quarantined_by_rule": split.rule_counts(),
            **split.metadata,
        },
    )
