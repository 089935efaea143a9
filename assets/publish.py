"""The published snapshot: what dashboards and analysts read.

``drugtrends.serving.release`` checks the side tables against their contracts, then swaps the
new snapshot in; any failure stops before the swap, and the previous snapshot stays current.
"""

from collections.abc import Iterator

import dagster as dg

from assets.results import check_result, failure, metadata
from drugtrends.core.checks import SIDE_TABLE_CHECK_DESCRIPTION
from drugtrends.marts.build import MARTS
from drugtrends.serving.release import release
from pipelines.resources import DrugTrendsSettings


@dg.asset(
    deps=list(MARTS),
    group_name="serving",
    kinds={"duckdb"},
    description="Immutable read-only snapshot of core, quarantine, marts and meta, made "
    "current at published/current.duckdb by an atomic swap.",
    check_specs=[
        dg.AssetCheckSpec(
            "side_table_contracts",
            asset="published_snapshot",
            blocking=True,
            description=SIDE_TABLE_CHECK_DESCRIPTION,
        )
    ],
)
def published_snapshot(
    context: dg.AssetExecutionContext, drugtrends: DrugTrendsSettings
) -> Iterator[dg.AssetCheckResult | dg.MaterializeResult]:
    settings = drugtrends.get()
    result = release(settings, context.run_id)
    yield check_result(result.check)
    if result.snapshot is None:
        raise failure(result.message)
    docs = settings.data_docs_index
    yield dg.MaterializeResult(
        metadata=metadata(
            {
                "snapshot_id": result.snapshot.id,
                "synthetic": result.snapshot.synthetic,
                "path": result.snapshot.location,
                **({"data_docs": docs.as_uri()} if docs.exists() else {}),
                "tables": result.snapshot.tables,
            }
        )
    )
