"""Marts: set-based aggregates over the core tables, one SQL file each, each under a contract.

The contract is checked on the rebuilt rows before they are committed: a mart that breaks it is
rolled back, its blocking check fails, and the publish step downstream does not run.
"""

import dagster as dg

from drugtrends.contracts import load_contract
from drugtrends.marts.build import MARTS, MartRejected, build_mart, missing_inputs
from drugtrends.warehouse import warehouse
from pipelines.resources import DrugTrendsSettings


def _mart_asset(name: str, deps: list[str]) -> dg.AssetsDefinition:
    contract = load_contract(name)

    @dg.asset(
        name=name,
        deps=deps,
        group_name="marts",
        kinds={"duckdb", "sql"},
        description=contract.description,
        check_specs=[dg.AssetCheckSpec("contract", asset=name, blocking=True)],
    )
    def mart(context: dg.AssetExecutionContext, drugtrends: DrugTrendsSettings):
        from drugtrends.core import gx  # slow import: only when a mart is built

        settings = drugtrends.get()
        checked = load_contract(name, settings.contracts)
        reports = []

        def accept(frame):
            report = gx.validate(
                frame, checked, docs_dir=settings.docs_dir(), batch="mart", run_name=context.run_id
            )
            reports.append(report)
            return None if report.success else report.summary

        try:
            with warehouse(settings.warehouse_path) as con:
                missing = missing_inputs(con, name)
                if missing:
                    yield dg.AssetCheckResult(
                        check_name="contract",
                        passed=True,
                        description=f"skipped: no data loaded yet in {', '.join(missing)}",
                    )
                    yield dg.MaterializeResult(metadata={"rows": 0, "skipped": True})
                    return
                rows = build_mart(con, name, accept)
        except MartRejected as err:
            report = reports[-1]
            yield dg.AssetCheckResult(
                check_name="contract",
                passed=False,
                description=str(err),
                metadata={
                    "failures": dg.MetadataValue.json(report.failures),
                    "examples": dg.MetadataValue.json(report.examples),
                },
            )
            raise dg.Failure(
                description=f"{err} (previous version kept)", allow_retries=False
            ) from None
        report = reports[-1]
        yield dg.AssetCheckResult(
            check_name="contract",
            passed=True,
            description=report.summary,
            metadata={
                "rows_checked": report.rows_checked,
                "contract_version": checked.version,
                **(
                    {"data_docs": dg.MetadataValue.url(report.docs_page)}
                    if report.docs_page
                    else {}
                ),
            },
        )
        yield dg.MaterializeResult(metadata={"rows": rows, "contract_version": checked.version})

    return mart


def mart_assets() -> list[dg.AssetsDefinition]:
    return [_mart_asset(name, list(sources)) for name, sources in MARTS.items()]
