"""Marts: set-based aggregates over the core tables, one SQL file each, each under a contract.

``drugtrends.marts.refresh`` checks the contract on the rebuilt rows before they are committed: a
mart that breaks it is rolled back, its blocking check fails, and the publish step downstream
does not run.
"""

from collections.abc import Iterator

import dagster as dg

from assets.results import check_result, failure, metadata
from drugtrends.contracts import load_contract
from drugtrends.core.checks import MART_CHECK_DESCRIPTION
from drugtrends.marts.build import MARTS
from drugtrends.marts.refresh import refresh_mart
from pipelines.resources import DrugTrendsSettings


def _mart_asset(name: str, deps: list[str]) -> dg.AssetsDefinition:
    @dg.asset(
        name=name,
        deps=deps,
        group_name="marts",
        kinds={"duckdb", "sql"},
        description=load_contract(name).description,
        check_specs=[
            dg.AssetCheckSpec(
                "contract", asset=name, blocking=True, description=MART_CHECK_DESCRIPTION
            )
        ],
    )
    def mart(
        context: dg.AssetExecutionContext, drugtrends: DrugTrendsSettings
    ) -> Iterator[dg.AssetCheckResult | dg.MaterializeResult]:
        result = refresh_mart(drugtrends.get(), name, context.run_id)
        yield check_result(result.check)
        if result.status == "failed":
            raise failure(result.message)
        yield dg.MaterializeResult(metadata=metadata(result.metadata))

    return mart


def mart_assets() -> list[dg.AssetsDefinition]:
    return [_mart_asset(name, list(sources)) for name, sources in MARTS.items()]
