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


CHUNK_ROWS = 500_000  # rows the row rules judge at a time (they are row-local)
ORDER = "_batch_order"


def split_batch(
    raw: pl.DataFrame,
    contract: Contract,
    region: str,
    run_id: str,
    transform: Transform | None = None,
    *,
    registry: Registry | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Split:
    """Apply the contract's recodes and the corrections, then the contract's row rules; clean
    rows go through ``transform`` into core shape. Rows a correction drops are quarantined with
    its reason.

    ``metadata["seconds"]`` times the two stages (row rules, transform) for run reports."""
    return transform_split(
        rule_split(raw, contract, region, run_id, registry=registry, chunk_rows=chunk_rows),
        transform,
    )


def rule_split(
    raw: pl.DataFrame,
    contract: Contract,
    region: str,
    run_id: str,
    *,
    registry: Registry | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Split:
    """The row-level half of :func:`split_batch`: recodes, corrections, row rules; the clean
    rows in the contract's columns, not yet transformed.

    Recodes and corrections see the whole batch (a correction's guard counts the rows it
    matches); the row rules and the region claim are row-local, so they run ``chunk_rows`` at a
    time: a region of millions of rows never holds more than one chunk's typed copy beside the
    batch and the clean rows kept so far. Clean and quarantined rows each keep the batch's
    order, so the result is the same for any chunk size.
    """
    now = datetime.now(UTC)
    started = time.perf_counter()
    raw_rows = raw.height
    raw, recoded = apply_recodes(raw, contract)
    kept, dropped, applied = (
        apply_corrections(raw, registry, contract.id, region)
        if registry is not None
        else (raw, None, [])
    )
    del raw
    if APPLIED not in kept.columns:
        kept = kept.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias(APPLIED))
    kept = kept.with_row_index(ORDER)
    clean_parts: list[pl.DataFrame] = []
    bad_parts: list[pl.DataFrame] = []
    step = max(chunk_rows, 1)
    for offset in range(0, max(kept.height, 1), step):
        chunk = kept.slice(offset, step)  # a view, not a copy
        flagged = claim_partition(apply_contract(chunk, contract), contract, region)
        bad_parts.append(flagged.filter(pl.col("_rule").is_not_null()))
        # Filtered after the projection: a clean row's original text (``_raw_*``) is not copied.
        clean_parts.append(
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
        del chunk, flagged
    del kept
    clean = pl.concat(clean_parts, rechunk=False)
    bad = pl.concat(bad_parts, rechunk=False).sort(ORDER).drop(ORDER)  # in the file's order
    del clean_parts, bad_parts
    if dropped is not None:
        raws = [pl.col(c).alias("_raw_" + c) for c in contract.column_names]
        bad = pl.concat(
            [
                bad.select(dropped.columns + [f"_raw_{c}" for c in contract.column_names]),
                dropped.with_columns(raws),
            ],
            how="vertical_relaxed",
        )
    metadata: dict[str, Any] = {"corrections_applied": applied} if applied else {}
    if recoded:
        metadata["recoded_rows"] = recoded
    metadata["seconds"] = {"rules": round(time.perf_counter() - started, 3), "transform": 0.0}
    return Split(
        clean=clean,
        quarantined=quarantine_frame(bad, contract, region, run_id, now),
        raw_rows=raw_rows,
        metadata=metadata,
    )


def transform_split(split: Split, transform: Transform | None) -> Split:
    """The clean rows of :func:`rule_split` through ``transform`` into core shape, in place;
    ``metadata["seconds"]["transform"]`` times it."""
    started = time.perf_counter()
    if transform is not None:
        split.clean, extra = transform(split.clean)
        split.metadata.update(extra)
    split.metadata.setdefault("seconds", {})["transform"] = round(time.perf_counter() - started, 3)
    return split


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
