"""Great Expectations 1.x validation of a clean batch, compiled from the data contract.

GX cannot validate DuckDB directly, and importing it costs ~10 s, so it is imported here, inside
the call, and runs on a pandas batch. Row-level quarantine is already done by the Polars rules in
``drugtrends.contracts``; GX independently verifies and reports on what would be published.

A batch larger than ``sample_rows`` is verified on a seeded random sample of that many rows (the
row count is still checked on the whole batch): GX on pandas costs far more per row than the
Polars rules, which have already checked every row against the same contract. The report says
so (``sampled``, ``rows_in_batch``), and the asset checks carry it in their metadata.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from drugtrends.contracts import Contract
from drugtrends.core.rules import reference_values


@dataclass
class GxReport:
    success: bool
    rows_checked: int
    expectations: int
    failures: dict[str, int] = field(default_factory=dict)  # rule -> failing rows
    examples: dict[str, list[Any]] = field(default_factory=dict)  # rule -> a few failing values
    docs_page: str | None = None  # file:// URL of this validation's Data Docs page
    rows_in_batch: int | None = None  # the whole batch; rows_checked is less when sampled

    @property
    def sampled(self) -> bool:
        return self.rows_in_batch is not None and self.rows_checked < self.rows_in_batch

    @property
    def summary(self) -> str:
        if self.success:
            if self.sampled:
                return (
                    f"{self.expectations} expectations passed on a random sample of "
                    f"{self.rows_checked} of {self.rows_in_batch} rows"
                )
            return f"{self.expectations} expectations passed on {self.rows_checked} rows"
        broken = ", ".join(f"{k} ({v} rows)" for k, v in self.failures.items())
        return f"failed: {broken}"


def _gx_bound(bound: Any) -> Any:
    """Dates compare as timestamps in the pandas batch."""
    if isinstance(bound, date):
        import pandas as pd

        return pd.Timestamp(bound)
    return bound


def _expectations(contract: Contract, gx: Any) -> list[tuple[str, Any]]:
    e = gx.expectations
    out: list[tuple[str, Any]] = [
        (
            "row_count",
            e.ExpectTableRowCountToBeBetween(
                min_value=contract.row_count_min, max_value=contract.row_count_max
            ),
        ),
    ]
    for col in contract.columns:
        out.append((f"{col.name}.exists", e.ExpectColumnToExist(column=col.name)))
        if col.required:
            out.append((f"{col.name}.required", e.ExpectColumnValuesToNotBeNull(column=col.name)))
        allowed = col.allowed or (
            sorted(reference_values(col.allowed_reference)) if col.allowed_reference else None
        )
        if allowed:
            out.append(
                (
                    f"{col.name}.allowed",
                    e.ExpectColumnValuesToBeInSet(column=col.name, value_set=list(allowed)),
                )
            )
        if col.pattern:
            out.append(
                (
                    f"{col.name}.pattern",
                    e.ExpectColumnValuesToMatchRegex(column=col.name, regex=col.pattern),
                )
            )
        if col.min is not None or col.max is not None:
            out.append(
                (
                    f"{col.name}.range",
                    e.ExpectColumnValuesToBeBetween(
                        column=col.name, min_value=_gx_bound(col.min), max_value=_gx_bound(col.max)
                    ),
                )
            )
        if col.unique:
            out.append((f"{col.name}.unique", e.ExpectColumnValuesToBeUnique(column=col.name)))
    if contract.grain_unique and contract.grain:
        out.append(
            ("grain.unique", e.ExpectCompoundColumnsToBeUnique(column_list=list(contract.grain)))
        )
    return out


def _gx() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    return gx


# One ephemeral context per process: building one per validation cost more than many small
# validations. A file-backed context (Data Docs) is built per call, as other processes (regions
# running at once) write the same project.
_EPHEMERAL: list[Any] = []


def _context(docs_dir: Path | None) -> Any:
    gx = _gx()
    if docs_dir is None and _EPHEMERAL:
        return _EPHEMERAL[0]
    if docs_dir is None:
        context = gx.get_context(mode="ephemeral")
    else:
        context = gx.get_context(mode="file", project_root_dir=str(docs_dir))
    # No progress bars in nightly logs.
    bars = gx.data_context.types.base.ProgressBarsConfig
    context.variables.progress_bars = bars(globally=False)
    if docs_dir is None:
        _EPHEMERAL.append(context)
    return context


def _suite(contract: Contract) -> tuple[list[tuple[str, Any]], Any]:
    """The contract's expectations (rule name, expectation) and a suite holding them.

    The suite is given all of them at once: adding them one by one compares each with every
    one before it (and, on a file-backed project, saves the suite each time).
    """
    gx = _gx()
    named = _expectations(contract, gx)
    for rule, expectation in named:
        expectation.meta = {"rule": rule}  # ids are unset on ephemeral suites; meta survives
    suite = gx.ExpectationSuite(
        name=f"{contract.id}-{contract.version}", expectations=[e for _, e in named]
    )
    return named, suite


def validate(
    frame: pl.DataFrame,
    contract: Contract,
    *,
    docs_dir: Path | None = None,
    batch: str = "batch",
    run_name: str | None = None,
    sample_rows: int | None = None,
    batch_rows: int | None = None,
) -> GxReport:
    """Validate ``frame`` (contract columns at least) against the contract's GX suite.

    With ``docs_dir``, the validation runs through a file-backed GX project there and updates
    its Data Docs (one page per dataset x batch x run); ``GxReport.docs_page`` points at it.
    With ``sample_rows``, a larger frame is validated on a seeded sample of that many rows.
    ``batch_rows`` says ``frame`` is already a sample of a batch of that many rows (drawn where
    the batch is stored, :func:`drugtrends.warehouse.read_checked`): the report and the row-count
    rule are then about the whole batch.
    """
    gx = _gx()
    context = _context(docs_dir)
    named, suite = _suite(contract)
    total = frame.height if batch_rows is None else batch_rows
    columns = [c for c in contract.column_names if c in frame.columns]
    checked = frame.select(columns)
    if sample_rows and checked.height > sample_rows:
        checked = checked.sample(n=sample_rows, seed=0)
    pdf = checked.to_pandas()
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
    batch_def = _batch_definition(context, contract.id, batch)
    docs_page = None
    if docs_dir is None:
        result = batch_def.get_batch(batch_parameters={"dataframe": pdf}).validate(
            suite, result_format=result_format
        )
    else:
        suite = context.suites.add_or_update(suite)
        name = f"{contract.id}__{batch}"
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch_def, suite=suite)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=name,
                validation_definitions=[definition],
                result_format=result_format,
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
            )
        )
        run_id = gx.core.run_identifier.RunIdentifier(run_name=run_name or "manual")
        outcome = checkpoint.run(batch_parameters={"dataframe": pdf}, run_id=run_id)
        identifier, result = next(iter(outcome.run_results.items()))
        urls = context.get_docs_sites_urls(resource_identifier=identifier)
        docs_page = urls[0]["site_url"] if urls else None
    failures: dict[str, int] = {}
    examples: dict[str, list[Any]] = {}
    for res in result.results:
        rule = (res.expectation_config.meta or {}).get("rule", res.expectation_config.type)
        if not res.success:
            failures[rule] = int(res.result.get("unexpected_count") or 1)
            examples[rule] = [str(v) for v in (res.result.get("partial_unexpected_list") or [])]
    success = bool(result.success)
    if len(pdf) < total:
        # A sample's row count says nothing about the batch's: check the whole batch's here.
        failures.pop("row_count", None)
        examples.pop("row_count", None)
        low, high = contract.row_count_min, contract.row_count_max
        if total < low or (high is not None and total > high):
            failures["row_count"] = total
            examples["row_count"] = [str(total)]
        success = not failures
    return GxReport(
        success=success,
        rows_checked=len(pdf),
        expectations=len(named),
        failures=failures,
        examples=examples,
        docs_page=docs_page,
        rows_in_batch=total,
    )


def _batch_definition(context: Any, source: str, asset: str) -> Any:
    """Get or create the pandas data source / dataframe asset / whole-frame batch definition."""
    try:
        data_source = context.data_sources.get(source)
    except (KeyError, ValueError, LookupError):
        data_source = context.data_sources.add_pandas(source)
    try:
        data_asset = data_source.get_asset(asset)
    except (KeyError, ValueError, LookupError):
        data_asset = data_source.add_dataframe_asset(asset)
    if data_asset.batch_definitions:
        return data_asset.batch_definitions[0]
    return data_asset.add_batch_definition_whole_dataframe("whole")


# GX names a validation result's folder by its run time: 20261201T155539.556061Z.
_RUN_TIME = re.compile(r"^(\d{8}T\d{6})(?:\.\d+)?Z$")


def prune_docs(docs_dir: Path, keep_days: int, now: datetime | None = None) -> int:
    """Remove validation results, and their rendered Data Docs pages, older than ``keep_days``.

    Every validation re-renders the Data Docs index from all stored results, so an unpruned
    store makes each night slower than the last. Returns how many results were removed; the
    next validation's docs update drops them from the index.
    """
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    uncommitted = docs_dir / "gx" / "uncommitted"
    removed = 0
    results = uncommitted / "validations"
    for root in (results, uncommitted / "data_docs" / "local_site" / "validations"):
        if not root.is_dir():
            continue
        for folder in sorted(root.rglob("*"), reverse=True):  # children before their parents
            if not folder.is_dir():
                continue
            stamp = _RUN_TIME.match(folder.name)
            if stamp:
                when = datetime.strptime(stamp.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
                if when < cutoff:
                    shutil.rmtree(folder)
                    removed += root == results
            elif not any(folder.iterdir()):
                folder.rmdir()  # a run or suite folder left empty
    return removed
