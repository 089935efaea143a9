"""Freshness: one check per region on a dataset's core asset, failing when the region's last
successful materialization is older than ``stale_after_hours``.

Dagster's ``build_last_update_freshness_checks`` looks at the latest materialization of *any*
partition, so one fresh region would hide four stale ones; these checks ask the instance for each
region's own latest materialization instead. They are non-blocking warnings: stale data is still
the last good data. The threshold is read from the settings when the check runs, not at load.
"""


import time

import dagster as dg

from drugtrends import REGIONS
from pipelines.resources import DrugTrendsSettings


def check_name(region: str) -> str:
    return f"fresh_{region.lower()}"


def last_materialized(instance: dg.DagsterInstance, asset: str, region: str) -> float | None:
    """Unix time of the latest materialization of ``asset`` for ``region`` (None: never)."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[region]), limit=1
    ).records
    return records[0].timestamp if records else None


def freshness_checks(dataset: str) -> dg.AssetChecksDefinition:
    """The per-region freshness checks for ``dataset`` (one definition, one run evaluates all)."""
    specs = [dg.AssetCheckSpec(check_name(region), asset=dataset,
                               description=f"{region} loaded within stale_after_hours")
             for region in REGIONS]

    @dg.multi_asset_check(specs=specs, name=f"{dataset}_freshness", can_subset=True)
    def checks(context: dg.AssetCheckExecutionContext, drugtrends: DrugTrendsSettings):
        limit_hours = drugtrends.get().stale_after_hours
        now = time.time()
        for region in REGIONS:
            key = dg.AssetCheckKey(dg.AssetKey(dataset), check_name(region))
            if key not in context.selected_asset_check_keys:
                continue
            loaded = last_materialized(context.instance, dataset, region)
            age_hours = (now - loaded) / 3600 if loaded is not None else None
            passed = age_hours is not None and age_hours <= limit_hours
            if age_hours is None:
                summary = f"{region} has never been loaded"
            else:
                summary = (f"{region} last loaded {age_hours:.1f} h ago "
                           f"({'within' if passed else 'over'} the {limit_hours:g} h limit)")
            yield dg.AssetCheckResult(
                asset_key=dataset, check_name=check_name(region), passed=passed,
                severity=dg.AssetCheckSeverity.WARN, description=summary,
                metadata={"stale_after_hours": limit_hours,
                          "age_hours": round(age_hours, 3) if age_hours is not None else None,
                          **({"last_loaded": dg.MetadataValue.timestamp(loaded)} if loaded else {})})

    return checks
