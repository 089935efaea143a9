"""Sources -> raw: land each file feeding a dataset x region, read it, map its headers.

The raw frame keeps every value as received (strings), with provenance columns, so every row can
be traced to its file and row and nothing is lost before the contract decides where it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl

from drugtrends.contracts import Contract
from drugtrends.errors import SourceError
from drugtrends.raw.headers import map_headers
from drugtrends.raw.landing import LandedFile, land, reject
from drugtrends.raw.readers import SOURCE_ROW, read_submission
from drugtrends.raw.sources import ALL_REGIONS, Source, load_sources
from drugtrends.reference import REGIONS
from drugtrends.settings import Settings

UNASSIGNED = "unassigned"
PROVENANCE = ["_region", "_file_id", "_source_file", "_source_row", "_run_id", "_loaded_at"]


@dataclass
class RawBatch:
    """The rows one region claims from its sources, plus what the run reports about them."""

    dataset: str
    region: str
    frame: pl.DataFrame  # canonical string columns + _extra + provenance
    files: list[dict[str, object]] = field(default_factory=list)
    unassigned: pl.DataFrame | None = None  # rows of an 'all' file no region can claim
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)


def sources_for(settings: Settings, dataset: str, region: str) -> list[Source]:
    sources = load_sources(settings.sources_file, settings.allowed_roots())
    return [s for s in sources if s.feeds(dataset, region)]


def _region_key(expr: pl.Expr) -> pl.Expr:
    """Match region names whatever their case and spacing."""
    canonical = {r.lower(): r for r in REGIONS}
    return (
        expr.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(canonical, default=None, return_dtype=pl.String)
    )


def claim_region(
    frame: pl.DataFrame,
    region: str,
    iso3_region: dict[str, str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split an 'all regions' frame into the rows ``region`` owns and rows nobody can own.

    A row belongs to the region it names; a row naming no known region falls back to the region
    of its country code (reference data); a row with neither is 'unassigned' and is quarantined.
    """
    named = _region_key(pl.col("region"))
    by_country = (
        pl.col("country_iso3")
        .str.strip_chars()
        .str.to_uppercase()
        .replace_strict(iso3_region or {}, default=None, return_dtype=pl.String)
        if "country_iso3" in frame.columns
        else pl.lit(None, pl.String)
    )
    owner = pl.coalesce(named, by_country)
    tagged = frame.with_columns(owner.fill_null(UNASSIGNED).alias("_owner"))
    mine = tagged.filter(pl.col("_owner") == region).drop("_owner")
    orphans = tagged.filter(pl.col("_owner") == UNASSIGNED).drop("_owner")
    return mine, orphans


def land_sources(settings: Settings, dataset: str, region: str) -> list[LandedFile]:
    """Land every source feeding ``dataset`` x ``region`` (checksums known before any read)."""
    sources = sources_for(settings, dataset, region)
    if not sources:
        raise SourceError(
            str(settings.sources_file),
            f"no source for dataset {dataset!r} and region {region!r}",
        )
    return [
        land(
            source,
            settings.landing_dir,
            timeout=settings.http_timeout_seconds,
            retries=settings.http_retries,
            max_bytes=settings.max_source_bytes,
            deadline=settings.source_deadline_seconds,
        )
        for source in sources
    ]


def load_raw(
    settings: Settings,
    contract: Contract,
    region: str,
    run_id: str,
    iso3_region: dict[str, str] | None = None,
    landed_files: list[LandedFile] | None = None,
) -> RawBatch:
    """Land (unless ``landed_files`` are given) and read every source feeding the region."""
    if landed_files is None:
        landed_files = land_sources(settings, contract.id, region)
    now = datetime.now(UTC)
    frames: list[pl.DataFrame] = []
    orphan_frames: list[pl.DataFrame] = []
    batch = RawBatch(contract.id, region, pl.DataFrame())
    for landed in landed_files:
        source = landed.source
        try:
            table = read_submission(
                landed.path,
                source.format,
                name=source.name,
                delimiter=source.delimiter,
                sheet=source.sheet,
                limits=settings.read_limits(),
            )
        except SourceError:
            reject(landed)
            raise
        mapped, unknown = map_headers(table, contract, name=source.name)
        mapped = mapped.with_columns(
            pl.lit(landed.file_id).alias("_file_id"),
            pl.lit(source.name).alias("_source_file"),
            pl.col(SOURCE_ROW).cast(pl.Int64),
            pl.lit(run_id).alias("_run_id"),
            pl.lit(now).alias("_loaded_at"),
        )
        if source.region == ALL_REGIONS and "region" in contract.column_names:
            mine, orphans = claim_region(mapped, region, iso3_region)
            orphan_frames.append(orphans.with_columns(pl.lit(UNASSIGNED).alias("_region")))
        else:
            mine = mapped
        frames.append(mine.with_columns(pl.lit(region).alias("_region")))
        batch.files.append(_file_record(landed, contract.id, mine.height, unknown, run_id, region))
        if unknown:
            batch.unknown_columns[source.name] = unknown
    batch.frame = pl.concat(frames, how="vertical_relaxed")
    if orphan_frames:
        batch.unassigned = pl.concat(orphan_frames, how="vertical_relaxed")
    return batch


def _file_record(
    landed: LandedFile, dataset: str, rows: int, unknown: list[str], run_id: str, region: str
) -> dict[str, object]:
    src = landed.source
    return {
        "file_id": landed.file_id,
        "dataset": dataset,
        "region": src.region,
        "source_name": src.name,
        # Never store query strings: they are where credentials hide.
        "location": src.location.split("?", 1)[0],
        "format": src.format,
        "sha256": landed.sha256,
        "size_bytes": landed.size_bytes,
        "fetched_at": landed.fetched_at,
        "landed_path": str(landed.path),
        "rows": rows,
        "unknown_columns": unknown,
        "run_id": run_id,
        "read_by": region,
    }
