"""Jobs. A region's ingest is one run per partition, so one broken region fails alone; the
publish job then rebuilds the marts from every region's last good data and swaps the snapshot."""

from __future__ import annotations

import dagster as dg

from assets.partitions import regions

ingest_job = dg.define_asset_job(
    "ingest_region",
    selection=dg.AssetSelection.groups("raw", "core"),
    partitions_def=regions,
    description="Pull, validate and load one region's submissions (all datasets).",
    tags={"warehouse": "write"},
)

publish_job = dg.define_asset_job(
    "publish",
    selection=dg.AssetSelection.groups("marts", "serving"),
    description="Rebuild the marts and publish a new snapshot.",
    # One publish at a time even where several runs write at once (dagster-postgres.yaml).
    tags={"warehouse": "write", "drugtrends/publish": "true"},
)

reprocess_job = dg.define_asset_job(
    "reprocess_region",
    selection=dg.AssetSelection.groups("core"),
    partitions_def=regions,
    description="Re-apply the current contracts and corrections to the rows already in raw "
    "(no re-pull): releases quarantined rows after a contract change or correction.",
    tags={"warehouse": "write"},
)
