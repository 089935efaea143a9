"""Freshness: one check per region on a dataset's core asset, failing when the region's last
successful materialization is older than ``stale_after_hours``.

Dagster's ``build_last_update_freshness_checks`` looks at the latest materialization of *any*
partition, so one fresh region would hide four stale ones; these checks ask the instance for each
region's own latest materialization instead. They are non-blocking warnings: stale data is still
the last good data. The threshold is read from the settings when the check runs, not at load.
"""

import time
from typing import Any

import dagster as dg

from drugtrends.reference import REGIONS
from pipelines.resources import DrugTrendsSettings

RECENT_MATERIALIZATIONS = 25  # more skipped runs than this in a row: not fresh anyway


def check_name(region: str) -> str:
    return f"fresh_{region.lower()}"


def last_materialized(instance: dg.DagsterInstance, asset: str, region: str) -> float | None:
    """Unix time of the latest materialization of ``asset`` for ``region`` that loaded data.

    A region with no source configured still materializes (metadata ``skipped``): that is not a
    load. None when none of the recent materializations loaded anything.
    """
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[region]),
        limit=RECENT_MATERIALIZATIONS,
    ).records
    for record in records:
        materialization = record.asset_materialization
        if materialization is None or "skipped" not in materialization.metadata:
            return record.timestamp
    return None


def freshness_checks(dataset: str) -> dg.AssetChecksDefinition:
    """The per-region freshness checks for ``dataset`` (one definition, one run evaluates all)."""
    specs = [
        dg.AssetCheckSpec(
            check_name(region),
            asset=dataset,
            description=f"{region} loaded within stale_after_hours",
        )
        for region in REGIONS
    ]

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
                summary = (
                    f"{region} last loaded {age_hours:.1f} h ago "
                    f"({'within' if passed else 'over'} the {limit_hours:g} h limit)"
                )
            metadata: dict[str, Any] = {"stale_after_hours": limit_hours}
            if loaded is not None:
                metadata["last_loaded"] = dg.MetadataValue.timestamp(loaded)
                metadata["age_hours"] = round(age_hours or 0.0, 3)
            yield dg.AssetCheckResult(
                asset_key=dataset,
                check_name=check_name(region),
                passed=passed,
                severity=dg.AssetCheckSeverity.WARN,
                description=summary,
                metadata=metadata,
            )

    return checks
