"""Per-region dataset assets, built the same way for every dataset from its contract.

``raw_<dataset>``: land the region's source files and load their rows as received (strings, with
file and row). ``<dataset>``: apply the contract (row rules -> quarantine), verify the clean batch
with Great Expectations and reconcile counts, and only then replace the region's core and
quarantine rows in one transaction. The checks run before the write, so a blocking failure leaves
the last good data in place and nothing downstream publishes it.
"""

import json
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import polars as pl

from assets.partitions import regions
from drugtrends.contracts import load_contract
from drugtrends.core.corrections import load_registry
from drugtrends.core.quarantine import Split, Transform, split_batch, unassigned_quarantine
from drugtrends.errors import SourceError
from drugtrends.raw.ingest import PROVENANCE, UNASSIGNED, load_raw, sources_for
from drugtrends.reference import iso3_to_region
from drugtrends.warehouse import read_frame, replace_rows, transaction, warehouse
from pipelines.resources import DrugTrendsSettings

CHECKS = ("contract", "reconciliation", "quarantine_share")


def _record_run(
    con,
    dataset: str,
    region: str,
    run_id: str,
    status: str,
    message: str,
    split: Split | None,
    contract_version: str,
) -> None:
    con.execute(
        "INSERT INTO meta.partition_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            dataset,
            region,
            run_id,
            status,
            message,
            split.raw_rows if split else None,
            split.clean.height if split else None,
            split.quarantined.height if split else None,
            contract_version,
            datetime.now(UTC),
            json.dumps(split.metadata, default=str) if split else None,
        ],
    )


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
        settings = drugtrends.get()
        region = context.partition_key
        contract = load_contract(dataset, settings.contracts)
        if not sources_for(settings, dataset, region):
            with warehouse(settings.warehouse_path) as con:
                _record_run(
                    con,
                    dataset,
                    region,
                    context.run_id,
                    "skipped",
                    "no source configured",
                    None,
                    contract.version,
                )
            return dg.MaterializeResult(metadata={"skipped": "no source configured"})
        try:
            batch = load_raw(settings, contract, region, context.run_id, iso3_to_region())
        except SourceError as err:
            with warehouse(settings.warehouse_path) as con:
                _record_run(
                    con, dataset, region, context.run_id, "failed", str(err), None, contract.version
                )
            raise dg.Failure(description=str(err), allow_retries=False) from None
        files = pl.DataFrame(batch.files)
        file_ids = files["file_id"].to_list()
        orphans = (
            unassigned_quarantine(batch.unassigned, contract, context.run_id)
            if batch.unassigned is not None
            else None
        )
        with warehouse(settings.warehouse_path) as con, transaction(con):
            replace_rows(con, f"raw.{dataset}", batch.frame, "_region = ?", [region])
            replace_rows(con, "raw.files", files, "dataset = ? AND read_by = ?", [dataset, region])
            if orphans is not None:
                replace_rows(
                    con,
                    "quarantine.rows",
                    orphans,
                    "dataset = ? AND region = ? AND file_id IN (SELECT unnest(?))",
                    [dataset, UNASSIGNED, file_ids],
                )
        return dg.MaterializeResult(
            metadata={
                "rows": batch.frame.height,
                "files": dg.MetadataValue.json(
                    [{k: str(v) for k, v in f.items() if k != "landed_path"} for f in batch.files]
                ),
                "unknown_columns": dg.MetadataValue.json(batch.unknown_columns),
                "unassigned_rows": orphans.height if orphans is not None else 0,
            }
        )

    @dg.asset(
        name=dataset,
        partitions_def=regions,
        group_name="core",
        kinds={"duckdb", "polars"},
        deps=[raw_key],
        description=description,
        check_specs=[dg.AssetCheckSpec(name, asset=dataset, blocking=True) for name in CHECKS],
    )
    def core_asset(context: dg.AssetExecutionContext, drugtrends: DrugTrendsSettings):
        from drugtrends.core import gx  # Great Expectations is slow to import: only here

        settings = drugtrends.get()
        region = context.partition_key
        contract = load_contract(dataset, settings.contracts)
        if not sources_for(settings, dataset, region):
            for name in CHECKS:
                yield dg.AssetCheckResult(
                    check_name=name,
                    passed=True,
                    asset_key=dataset,
                    description="skipped: no source configured",
                )
            yield dg.MaterializeResult(metadata={"skipped": "no source configured"})
            return
        with warehouse(settings.warehouse_path) as con:
            raw = read_frame(con, f"SELECT * FROM raw.{dataset} WHERE _region = ?", [region])
        try:
            registry = load_registry(settings.corrections_file)
            split = split_batch(raw, contract, region, context.run_id, transform, registry=registry)
        except SourceError as err:
            with warehouse(settings.warehouse_path) as con:
                _record_run(
                    con, dataset, region, context.run_id, "failed", str(err), None, contract.version
                )
            raise dg.Failure(description=str(err), allow_retries=False) from None
        report = gx.validate(
            split.clean,
            contract,
            docs_dir=settings.docs_dir(),
            batch=region,
            run_name=context.run_id,
        )
        share = split.quarantined.height / split.raw_rows if split.raw_rows else 0.0
        blocked_by = contract.blocking_rules(split.rule_counts())
        contract_summary = (
            report.summary
            if not blocked_by
            else (
                "rows break blocking rules: "
                + ", ".join(f"{rule} ({n} rows)" for rule, n in blocked_by.items())
            )
        )
        outcomes = {
            "contract": (
                report.success and not blocked_by,
                contract_summary,
                {
                    "rows_checked": report.rows_checked,
                    "expectations": report.expectations,
                    "failures": dg.MetadataValue.json(report.failures),
                    "examples": dg.MetadataValue.json(report.examples),
                    "quarantined_by_rule": dg.MetadataValue.json(split.rule_counts()),
                    "contract_version": contract.version,
                    **(
                        {"data_docs": dg.MetadataValue.url(report.docs_page)}
                        if report.docs_page
                        else {}
                    ),
                },
            ),
            "reconciliation": (
                split.reconciles,
                f"raw {split.raw_rows} = clean {split.clean.height} + "
                f"quarantined {split.quarantined.height}",
                {
                    "raw_rows": split.raw_rows,
                    "clean_rows": split.clean.height,
                    "quarantined_rows": split.quarantined.height,
                },
            ),
            "quarantine_share": (
                share <= contract.max_quarantine_share,
                f"{share:.1%} of rows quarantined (limit {contract.max_quarantine_share:.0%})",
                {"share": share, "limit": contract.max_quarantine_share},
            ),
        }
        now = datetime.now(UTC)
        results = pl.DataFrame(
            [
                {
                    "dataset": dataset,
                    "region": region,
                    "run_id": context.run_id,
                    "check_name": name,
                    "severity": "blocking",
                    "passed": passed,
                    "summary": summary,
                    "details": json.dumps(_plain(meta)),
                    "contract_version": contract.version,
                    "checked_at": now,
                }
                for name, (passed, summary, meta) in outcomes.items()
            ]
        )
        failed = [
            f"{name}: {summary}" for name, (passed, summary, _) in outcomes.items() if not passed
        ]
        with warehouse(settings.warehouse_path) as con, transaction(con):
            con.register("_checks", results.to_arrow())
            con.execute("INSERT INTO meta.check_results BY NAME SELECT * FROM _checks")
            if not failed:
                replace_rows(con, f"core.{dataset}", split.clean, "region = ?", [region])
                replace_rows(
                    con,
                    "quarantine.rows",
                    split.quarantined,
                    "dataset = ? AND region = ?",
                    [dataset, region],
                )
            _record_run(
                con,
                dataset,
                region,
                context.run_id,
                "failed" if failed else "success",
                "; ".join(failed),
                split,
                contract.version,
            )
        for name, (passed, summary, meta) in outcomes.items():
            yield dg.AssetCheckResult(
                check_name=name,
                passed=passed,
                asset_key=dataset,
                severity=dg.AssetCheckSeverity.ERROR,
                description=summary,
                metadata=meta,
            )
        if failed:
            raise dg.Failure(
                description=f"{dataset} / {region}: blocked by " + "; ".join(failed),
                allow_retries=False,
            )
        yield dg.MaterializeResult(
            metadata={
                "clean_rows": split.clean.height,
                "quarantined_rows": split.quarantined.height,
                "raw_rows": split.raw_rows,
                "contract_version": contract.version,
                "quarantined_by_rule": dg.MetadataValue.json(split.rule_counts()),
                **{k: _meta_value(v) for k, v in split.metadata.items()},
            }
        )

    return [raw_asset, core_asset]


def _plain(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if isinstance(v, dg.MetadataValue) else v) for k, v in meta.items()}


def _meta_value(value: Any) -> Any:
    return dg.MetadataValue.json(value) if isinstance(value, (dict, list)) else value


__all__ = ["build_dataset_assets", "PROVENANCE"]
