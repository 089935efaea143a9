"""The one Definitions object: assets, checks, jobs, schedules, sensors and resources."""

from __future__ import annotations

import dagster as dg

from assets.datasets import build_dataset_assets
from assets.freshness import freshness_checks
from assets.marts import mart_assets
from assets.publish import published_snapshot
from drugtrends.core.datasets import annual_seizures, drug_prices, individual_seizures, population
from drugtrends.settings import get_settings
from drugtrends.storage import open_warehouse
from pipelines.jobs import ingest_job, publish_job, reprocess_job
from pipelines.resources import DrugTrendsSettings
from pipelines.schedules import freshness_job, freshness_schedule, nightly_ingest
from pipelines.sensors import alert_on_failure, publish_after_ingest, source_changes

dataset_assets = [
    *build_dataset_assets(
        "annual_seizures",
        annual_seizures.transform,
        "Annual seizures per region: contract-clean, typed, with total-row and rollup flags.",
    ),
    *build_dataset_assets(
        "individual_seizures",
        individual_seizures.transform,
        "Case-level seizures per region: countries resolved to ISO3, drugs mapped to the UNODC "
        "taxonomy, quantities converted to kg equivalents, duplicates flagged.",
    ),
    *build_dataset_assets(
        "drug_prices",
        drug_prices.transform,
        "Retail and wholesale drug prices per region: countries resolved to ISO3, prices in USD "
        "per gram (per mL, tablet or unit where no mass applies), drugs mapped to series.",
    ),
    *build_dataset_assets(
        "population",
        population.transform,
        "Population aged 15-64 per country and year (thousands), placed in UNODC regions.",
    ),
]

freshness = [freshness_checks("annual_seizures")]
check_freshness = freshness_job(freshness)
# The one environment read at load: Dagster needs a schedule's cron and timezone, and the
# executor, when it loads definitions (DRUGTRENDS_SCHEDULE_CRON / _TIMEZONE, DRUGTRENDS_WAREHOUSE
# and DRUGTRENDS_CONCURRENCY; a change needs a code-location reload).
_schedule = get_settings()
# A warehouse with several writers (DuckLake) runs a region's steps in parallel processes too;
# the DuckDB file takes one writing process, so its steps run in the run's own process.
_writers = open_warehouse(_schedule).max_writers
_executor = (
    dg.multiprocess_executor.configured({"max_concurrent": _writers})
    if _writers > 1
    else dg.in_process_executor
)

defs = dg.Definitions(
    assets=[*dataset_assets, *mart_assets(), published_snapshot],
    asset_checks=freshness,
    jobs=[ingest_job, publish_job, reprocess_job, check_freshness],
    schedules=[
        nightly_ingest(_schedule.schedule_cron, _schedule.schedule_timezone),
        freshness_schedule(check_freshness),
    ],
    sensors=[source_changes, publish_after_ingest, alert_on_failure],
    resources={"drugtrends": DrugTrendsSettings()},
    executor=_executor,
)
