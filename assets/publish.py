"""The published snapshot: what dashboards and analysts read."""


import dagster as dg

from drugtrends.marts import MARTS
from drugtrends.publish import publish
from drugtrends.warehouse import warehouse
from pipelines.resources import DrugTrendsSettings


@dg.asset(deps=list(MARTS), group_name="serving", kinds={"duckdb"},
          description="Immutable read-only snapshot of core, quarantine, marts and meta, made "
                      "current at published/current.duckdb by an atomic swap.")
def published_snapshot(context: dg.AssetExecutionContext,
                       drugtrends: DrugTrendsSettings) -> dg.MaterializeResult:
    settings = drugtrends.get()
    with warehouse(settings.warehouse_path) as con:
        snap = publish(con, settings.published_dir, context.run_id, keep=settings.keep_snapshots)
    return dg.MaterializeResult(metadata={
        "snapshot_id": snap.id, "path": str(snap.path),
        "tables": dg.MetadataValue.json(snap.tables),
    })
