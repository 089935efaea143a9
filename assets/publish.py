"""The published snapshot: what dashboards and analysts read.

Before the swap, the tables published next to the marts (quarantine, run history, check results,
source files) are checked against their contracts; the marts and core tables were checked when
they were built. Any failure stops here, and the previous snapshot stays current.
"""

import dagster as dg

from drugtrends.contracts import load_contract
from drugtrends.marts.build import MARTS
from drugtrends.serving.snapshot import publish
from drugtrends.warehouse import read_frame, table_exists, warehouse
from pipelines.resources import DrugTrendsSettings

SIDE_TABLES = ("quarantine_rows", "partition_runs", "check_results", "raw_files")


@dg.asset(
    deps=list(MARTS),
    group_name="serving",
    kinds={"duckdb"},
    description="Immutable read-only snapshot of core, quarantine, marts and meta, made "
    "current at published/current.duckdb by an atomic swap.",
    check_specs=[
        dg.AssetCheckSpec("side_table_contracts", asset="published_snapshot", blocking=True)
    ],
)
def published_snapshot(context: dg.AssetExecutionContext, drugtrends: DrugTrendsSettings):
    from drugtrends.core import gx  # slow import: only here

    settings = drugtrends.get()
    with warehouse(settings.warehouse_path) as con:
        failures: dict[str, str] = {}
        checked: dict[str, int] = {}
        for cid in SIDE_TABLES:
            contract = load_contract(cid, settings.contracts)
            schema, table = contract.table.split(".")
            if not table_exists(con, schema, table):
                continue
            report = gx.validate(
                read_frame(con, f"SELECT * FROM {contract.table}"),
                contract,
                docs_dir=settings.docs_dir(),
                batch="published",
                run_name=context.run_id,
            )
            checked[contract.table] = report.rows_checked
            if not report.success:
                failures[contract.table] = report.summary
        yield dg.AssetCheckResult(
            check_name="side_table_contracts",
            passed=not failures,
            description="; ".join(f"{t}: {s}" for t, s in failures.items()) or "all passed",
            metadata={"rows_checked": dg.MetadataValue.json(checked)},
        )
        if failures:
            raise dg.Failure(
                description="not published: " + "; ".join(f"{t} {s}" for t, s in failures.items()),
                allow_retries=False,
            )
        snap = publish(con, settings.published_dir, context.run_id, keep=settings.keep_snapshots)
    docs = settings.data_docs_index
    yield dg.MaterializeResult(
        metadata={
            "snapshot_id": snap.id,
            "path": str(snap.path),
            **({"data_docs": dg.MetadataValue.url(docs.as_uri())} if docs.exists() else {}),
            "tables": dg.MetadataValue.json(snap.tables),
        }
    )
