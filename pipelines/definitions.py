"""The one Definitions object: assets, checks, jobs, schedules, sensors and resources."""

from __future__ import annotations

import dagster as dg

from assets.datasets import build_dataset_assets
from assets.marts import mart_assets
from assets.publish import published_snapshot
from drugtrends.datasets import annual_seizures
from pipelines.jobs import ingest_job, publish_job
from pipelines.resources import DrugTrendsSettings

dataset_assets = build_dataset_assets(
    "annual_seizures", annual_seizures.transform,
    "Annual seizures per region: contract-clean, typed, with total-row and rollup flags.",
)

defs = dg.Definitions(
    assets=[*dataset_assets, *mart_assets(), published_snapshot],
    jobs=[ingest_job, publish_job],
    resources={"drugtrends": DrugTrendsSettings()},
    executor=dg.in_process_executor,
)
