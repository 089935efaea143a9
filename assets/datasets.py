"""Per-region dataset assets, built the same way for every dataset from its contract.

``raw_<dataset>`` lands the region's source files and loads their rows as received
(``drugtrends.raw.region``). ``<dataset>`` applies the contract, runs the blocking checks and only
then replaces the region's core and quarantine rows (``drugtrends.core.partition``); the checks
run before the write, so a blocking failure leaves the last good data in place and nothing
downstream publishes it. Each check is partitioned by region: its latest result per region is
that region's own.
"""

import warnings
from collections.abc import Iterator

import dagster as dg

from assets.partitions import regions
from assets.results import check_result, failure, metadata
from drugtrends.core.checks import DATASET_CHECKS, DESCRIPTIONS
from drugtrends.core.partition import build_region
from drugtrends.core.quarantine import Transform
from drugtrends.raw.region import load_region
from pipelines.resources import DrugTrendsSettings


def _check_specs(dataset: str) -> list[dg.AssetCheckSpec]:
    with warnings.catch_warnings():
        # Partitioned asset checks are a preview feature in Dagster 1.13; used deliberately.
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return [
            dg.AssetCheckSpec(
                name,
                asset=dataset,
                blocking=True,
                description=DESCRIPTIONS[name],
                partitions_def=regions,
            )
            for name in DATASET_CHECKS
        ]


def build_dataset_assets(
    dataset: str, transform: Transform | None, description: str
) -> list[dg.AssetsDefinition]:
    raw_key = f"raw_{dataset}"

    @dg.asset(
        name=raw_key,
        partitions_def=regions,
        group_name="raw",
        kinds={"duckdb"},
        description=f"{dataset} rows as received from each region's sources, with "
        "file checksum and row number.",
    )
    def raw_asset(
        context: dg.AssetExecutionContext, drugtrends: DrugTrendsSettings
    ) -> dg.MaterializeResult:
        result = load_region(drugtrends.get(), dataset, context.partition_key, context.run_id)
        if result.status == "failed":
            raise failure(result.message)
        return dg.MaterializeResult(metadata=metadata(result.metadata))

    @dg.asset(
        name=dataset,
        partitions_def=regions,
        group_name="core",
        kinds={"duckdb", "polars"},
        deps=[raw_key],
        description=description,
        check_specs=_check_specs(dataset),
    )
    def core_asset(
        context: dg.AssetExecutionContext, drugtrends: DrugTrendsSettings
    ) -> Iterator[dg.AssetCheckResult | dg.MaterializeResult]:
        result = build_region(
            drugtrends.get(), dataset, context.partition_key, context.run_id, transform
        )
        for outcome in result.checks:
            yield check_result(outcome, dataset)
        if result.status == "failed":
            raise failure(result.message)
        yield dg.MaterializeResult(metadata=metadata(result.metadata))

    return [raw_asset, core_asset]
