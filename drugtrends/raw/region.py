"""One region's raw stage: land and read its sources, then replace its raw rows in one transaction.

The region's ``raw.<dataset>`` rows, its ``raw.files`` records and the quarantined rows of an
all-regions file that no region can claim are replaced together, so a re-run is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from drugtrends.contracts import Contract, load_contract
from drugtrends.core import incremental
from drugtrends.core.corrections import load_registry
from drugtrends.core.quarantine import unassigned_quarantine
from drugtrends.errors import ConfigError
from drugtrends.raw.ingest import UNASSIGNED, land_sources, load_raw, sources_for
from drugtrends.raw.landing import LandedFile
from drugtrends.reference import iso3_to_region
from drugtrends.runs import Status, failed_run, record_run
from drugtrends.settings import Settings
from drugtrends.storage import Warehouse, open_warehouse
from drugtrends.warehouse import scalar, table_exists

NO_SOURCE = "no source configured"


def _unchanged_since(
    settings: Settings, contract: Contract, region: str, landed: list[LandedFile]
) -> str | None:
    """The run whose successful load had exactly these inputs, if any (see core.incremental)."""
    try:
        registry = load_registry(settings.corrections_file)
    except ConfigError:
        return None  # the core step reports it; nothing is skipped meanwhile
    inputs = incremental.fingerprint(
        [(f.source.name, f.sha256) for f in landed], contract.version, registry
    )
    with open_warehouse(settings).connect() as con:
        return incremental.unchanged_since(con, contract.id, region, inputs)


@dataclass(frozen=True)
class RawResult:
    status: Status  # success, failed (message says why) or skipped (no source, or unchanged)
    message: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)  # plain values


def load_region(settings: Settings, dataset: str, region: str, run_id: str) -> RawResult:
    """Land and load ``dataset`` x ``region``; a skipped or failed region is recorded as a run."""
    contract = load_contract(dataset, settings.contracts)
    store = open_warehouse(settings)
    commit_message = f"raw_{dataset} {region} run {run_id}"
    if not sources_for(settings, dataset, region):

        def skip(con) -> str:
            why = unconfigured(store, con, dataset, region, retire=settings.retire_unconfigured)
            record_run(con, dataset, region, run_id, "skipped", why, None, contract.version)
            return why

        message = store.commit(skip, message=commit_message)
        return RawResult("skipped", message, {"skipped": message})
    try:
        landed = land_sources(settings, dataset, region)
        since = _unchanged_since(settings, contract, region, landed)
        if since is not None:
            why = incremental.reason(since)
            store.commit(
                lambda con: record_run(
                    con, dataset, region, run_id, "skipped", why, None, contract.version
                ),
                message=commit_message,
            )
            return RawResult("skipped", why, {"unchanged": why})
        batch = load_raw(settings, contract, region, run_id, iso3_to_region(), landed_files=landed)
        files = pl.DataFrame(batch.files)
        orphans = (
            unassigned_quarantine(batch.unassigned, contract, run_id)
            if batch.unassigned is not None
            else None
        )

        def write(con) -> None:
            # Written by this region alone (its own tables on DuckLake): never a conflict.
            store.replace_rows(
                con, f"raw.{dataset}", batch.frame, "_region = ?", [region], partition=region
            )
            store.replace_rows(
                con,
                "raw.files",
                files,
                "dataset = ? AND read_by = ?",
                [dataset, region],
                partition=region,
            )
            if orphans is not None:
                store.replace_rows(
                    con,
                    "quarantine.rows",
                    orphans,
                    # By file name, not checksum: a fixed file leaves no stale rows behind.
                    "dataset = ? AND region = ? AND source_file IN (SELECT unnest(?))",
                    [dataset, UNASSIGNED, files["source_name"].to_list()],
                    partition=region,
                )

        store.commit(write, message=commit_message)
    except Exception as err:  # noqa: BLE001 - every failure, expected or not, ends as a run record
        message = failed_run(settings, dataset, region, run_id, err, contract.version)
        return RawResult("failed", message)
    return RawResult(
        "success",
        metadata={
            "rows": batch.frame.height,
            "files": [{k: str(v) for k, v in f.items() if k != "landed_path"} for f in batch.files],
            "unknown_columns": batch.unknown_columns,
            "unassigned_rows": orphans.height if orphans is not None else 0,
        },
    )


def unconfigured(store: Warehouse, con, dataset: str, region: str, *, retire: bool) -> str:
    """What happens to a region's published rows once no source feeds it, said every night.

    Kept (the default) or retired, per setting DRUGTRENDS_RETIRE_UNCONFIGURED.
    """
    if not table_exists(con, "core", dataset):
        return NO_SOURCE
    rows = scalar(con, f"SELECT count(*) FROM core.{dataset} WHERE region = ?", [region])
    if not rows:
        return NO_SOURCE
    if not retire:
        return (
            f"{NO_SOURCE}: {rows:,} rows published earlier are kept "
            "(setting DRUGTRENDS_RETIRE_UNCONFIGURED=true retires them)"
        )
    store.delete_rows(con, f"core.{dataset}", "region = ?", [region], partition=region)
    store.delete_rows(
        con, "quarantine.rows", "dataset = ? AND region = ?", [dataset, region], partition=region
    )
    store.delete_rows(con, f"raw.{dataset}", "_region = ?", [region], partition=region)
    return (
        f"{NO_SOURCE}: {rows:,} rows published earlier were retired (setting "
        "DRUGTRENDS_RETIRE_UNCONFIGURED)"
    )
