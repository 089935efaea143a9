"""Raw -> core + quarantine under a contract, and the reconciliation proving nothing is lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import polars as pl

from drugtrends.contracts import EXTRA, Contract
from drugtrends.core.corrections import APPLIED, Registry, apply_corrections
from drugtrends.core.recode import apply_recodes
from drugtrends.core.rules import apply_contract
from drugtrends.reference import iso3_to_region

Transform = Callable[[pl.DataFrame], tuple[pl.DataFrame, dict[str, Any]]]
QUARANTINE_COLUMNS = [
    "dataset",
    "region",
    "source_file",
    "file_id",
    "source_row",
    "record",
    "rule",
    "message",
    "contract_version",
    "run_id",
    "quarantined_at",
]


@dataclass
class Split:
    clean: pl.DataFrame
    quarantined: pl.DataFrame
    raw_rows: int
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def reconciles(self) -> bool:
        return self.raw_rows == self.clean.height + self.quarantined.height

    def rule_counts(self) -> dict[str, int]:
        if not self.quarantined.height:
            return {}
        counts = self.quarantined.group_by("rule").len().sort("len", descending=True)
        return dict(zip(counts["rule"].to_list(), counts["len"].to_list(), strict=True))


def record_json(contract: Contract) -> pl.Expr:
    """The row as received (canonical names, original text, unknown columns), as JSON."""
    fields = [pl.col("_raw_" + c).alias(c) for c in contract.column_names]
    return pl.struct([*fields, pl.col(EXTRA).alias("unknown_columns")]).struct.json_encode()


def quarantine_frame(
    flagged: pl.DataFrame, contract: Contract, region: str, run_id: str, now: datetime
) -> pl.DataFrame:
    return flagged.select(
        pl.lit(contract.id).alias("dataset"),
        pl.lit(region).alias("region"),
        pl.col("_source_file").alias("source_file"),
        pl.col("_file_id").alias("file_id"),
        pl.col("_source_row").alias("source_row"),
        record_json(contract).alias("record"),
        pl.col("_rule").alias("rule"),
        pl.col("_message").alias("message"),
        pl.lit(contract.version).alias("contract_version"),
        pl.lit(run_id).alias("run_id"),
        pl.lit(now).alias("quarantined_at"),
    )


PARTITION_RULE = "region.partition"


def claim_partition(flagged: pl.DataFrame, contract: Contract, region: str) -> pl.DataFrame:
    """A region's source publishes only that region's rows: a clean row naming another region
    is quarantined (rule ``region.partition``), so a file holding several regions' rows can
    never publish them under one region, nor twice. Files for several regions are listed with
    ``region: all`` in the sources file and split by their region column instead. A row that
    names no region (the population file has no region column) belongs to the region of its
    ISO3 code, as when an all-regions file is split.
    """
    if "region" not in contract.column_names or not flagged.height:
        return flagged
    owner = pl.col("region")
    if "country_iso3" in contract.column_names:
        by_country = (
            pl.col("country_iso3")
            .str.strip_chars()
            .str.to_uppercase()
            .replace_strict(iso3_to_region(), default=None, return_dtype=pl.String)
        )
        owner = pl.coalesce(owner, by_country)
    misfiled = pl.col("_rule").is_null() & owner.ne_missing(pl.lit(region))
    return flagged.with_columns(
        pl.when(misfiled).then(pl.lit(PARTITION_RULE)).otherwise(pl.col("_rule")).alias("_rule"),
        pl.when(misfiled)
        .then(
            pl.format(
                "region '{}' is not {}, the region this file is listed for in the sources "
                "file (a file holding several regions is listed as region: all)",
                pl.col("region"),
                pl.lit(region),
            )
        )
        .otherwise(pl.col("_message"))
        .alias("_message"),
    )


def split_batch(
    raw: pl.DataFrame,
    contract: Contract,
    region: str,
    run_id: str,
    transform: Transform | None = None,
    *,
    registry: Registry | None = None,
) -> Split:
    """Apply the contract's recodes and the corrections, then the contract's row rules; clean
    rows go through ``transform`` into core shape. Rows a correction drops are quarantined with
    its reason.

    ``metadata["seconds"]`` times the two stages (row rules, transform) for run reports."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    raw_rows = raw.height
    # A region's batch can be millions of rows: each step below drops its input as soon as the
    # next frame exists (``del``), so at most two copies of the batch are held at once.
    raw, recoded = apply_recodes(raw, contract)
    kept, dropped, applied = (
        apply_corrections(raw, registry, contract.id, region)
        if registry is not None
        else (raw, None, [])
    )
    del raw
    if APPLIED not in kept.columns:
        kept = kept.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias(APPLIED))
    flagged = claim_partition(apply_contract(kept, contract), contract, region)
    del kept
    bad = flagged.filter(pl.col("_rule").is_not_null())
    if dropped is not None:
        raws = [pl.col(c).alias("_raw_" + c) for c in contract.column_names]
        bad = pl.concat(
            [
                bad.select(dropped.columns + [f"_raw_{c}" for c in contract.column_names]),
                dropped.with_columns(raws),
            ],
            how="vertical_relaxed",
        )
    # Filtered after the projection: a clean row's original text (``_raw_*``) is not copied.
    clean = (
        flagged.lazy()
        .filter(pl.col("_rule").is_null())
        .select(
            *contract.column_names,
            pl.col("_source_file").alias("source_file"),
            pl.col("_source_row").alias("source_row"),
            pl.col("_file_id").alias("file_id"),
            pl.lit(contract.version).alias("contract_version"),
            pl.col("_run_id").alias("run_id"),
            pl.col("_loaded_at").alias("loaded_at"),
            pl.col(APPLIED).alias("corrections"),
        )
        .collect()
    )
    del flagged
    metadata: dict[str, Any] = {"corrections_applied": applied} if applied else {}
    if recoded:
        metadata["recoded_rows"] = recoded
    ruled = time.perf_counter()
    if transform is not None:
        clean, extra = transform(clean)
        metadata.update(extra)
    seconds = {"rules": ruled - started, "transform": time.perf_counter() - ruled}
    metadata["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    return Split(
        clean=clean,
        quarantined=quarantine_frame(bad, contract, region, run_id, now),
        raw_rows=raw_rows,
        metadata=metadata,
    )


def unassigned_quarantine(orphans: pl.DataFrame, contract: Contract, run_id: str) -> pl.DataFrame:
    """Rows of an all-regions file that name no known region and no known country."""
    now = datetime.now(UTC)
    flagged = orphans.with_columns(
        [pl.col(c).alias("_raw_" + c) for c in contract.column_names]
    ).with_columns(
        pl.lit("region.allowed").alias("_rule"),
        pl.format(
            "region '{}' is not a UNODC region and country code '{}' is not known",
            pl.col("region").fill_null(""),
            pl.col("country_iso3").fill_null("")
            if "country_iso3" in orphans.columns
            else pl.lit(""),
        ).alias("_message"),
    )
    return quarantine_frame(flagged, contract, "unassigned", run_id, now)
