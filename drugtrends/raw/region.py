"""One region's raw stage: land and read its sources, then replace its raw rows in one transaction.

The region's ``raw.<dataset>`` rows, its ``raw.files`` records and the quarantined rows of an
all-regions file that no region can claim are replaced together, so a re-run is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from drugtrends.contracts import load_contract
from drugtrends.core.quarantine import unassigned_quarantine
from drugtrends.errors import SourceError
from drugtrends.raw.ingest import UNASSIGNED, load_raw, sources_for
from drugtrends.reference import iso3_to_region
from drugtrends.runs import Status, record_run
from drugtrends.settings import Settings
from drugtrends.warehouse import replace_rows, transaction, warehouse

NO_SOURCE = "no source configured"


@dataclass(frozen=True)
class RawResult:
    status: Status  # success, failed (message says why) or skipped (no source)
    message: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)  # plain values


def load_region(settings: Settings, dataset: str, region: str, run_id: str) -> RawResult:
    """Land and load ``dataset`` x ``region``; a skipped or failed region is recorded as a run."""
    contract = load_contract(dataset, settings.contracts)
    if not sources_for(settings, dataset, region):
        with warehouse(settings.warehouse_path) as con:
            record_run(con, dataset, region, run_id, "skipped", NO_SOURCE, None, contract.version)
        return RawResult("skipped", NO_SOURCE, {"skipped": NO_SOURCE})
    try:
        batch = load_raw(settings, contract, region, run_id, iso3_to_region())
    except SourceError as err:
        with warehouse(settings.warehouse_path) as con:
            record_run(con, dataset, region, run_id, "failed", str(err), None, contract.version)
        return RawResult("failed", str(err))
    files = pl.DataFrame(batch.files)
    file_ids = files["file_id"].to_list()
    orphans = (
        unassigned_quarantine(batch.unassigned, contract, run_id)
        if batch.unassigned is not None
        else None
    )
    with warehouse(settings.warehouse_path) as con, transaction(con):
        replace_rows(con, f"raw.{dataset}", batch.frame, "_region = ?", [region])
        replace_rows(con, "raw.files", files, "dataset = ? AND read_by = ?", [dataset, region])
        if orphans is not None:
            replace_rows(
                con,
                "quarantine.rows",
                orphans,
                "dataset = ? AND region = ? AND file_id IN (SELECT unnest(?))",
                [dataset, UNASSIGNED, file_ids],
            )
    return RawResult(
        "success",
        metadata={
            "rows": batch.frame.height,
            "files": [{k: str(v) for k, v in f.items() if k != "landed_path"} for f in batch.files],
            "unknown_columns": batch.unknown_columns,
            "unassigned_rows": orphans.height if orphans is not None else 0,
        },
    )
