"""Great Expectations 1.x validation of a clean batch, compiled from the data contract.

GX cannot validate DuckDB directly, and importing it costs ~10 s, so it is imported here, inside
the call, and runs on a pandas batch. Row-level quarantine is already done by the Polars rules in
``drugtrends.contracts``; GX independently verifies and reports on what would be published.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from drugtrends.contracts import Contract, reference_values


@dataclass
class GxReport:
    success: bool
    rows_checked: int
    expectations: int
    failures: dict[str, int] = field(default_factory=dict)  # rule -> failing rows
    examples: dict[str, list[Any]] = field(default_factory=dict)  # rule -> a few failing values

    @property
    def summary(self) -> str:
        if self.success:
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
        ("row_count", e.ExpectTableRowCountToBeBetween(
            min_value=contract.row_count_min, max_value=contract.row_count_max)),
    ]
    for col in contract.columns:
        out.append((f"{col.name}.exists", e.ExpectColumnToExist(column=col.name)))
        if col.required:
            out.append((f"{col.name}.required", e.ExpectColumnValuesToNotBeNull(column=col.name)))
        allowed = col.allowed or (sorted(reference_values(col.allowed_reference))
                                  if col.allowed_reference else None)
        if allowed:
            out.append((f"{col.name}.allowed",
                        e.ExpectColumnValuesToBeInSet(column=col.name, value_set=list(allowed))))
        if col.pattern:
            out.append((f"{col.name}.pattern",
                        e.ExpectColumnValuesToMatchRegex(column=col.name, regex=col.pattern)))
        if col.min is not None or col.max is not None:
            out.append((f"{col.name}.range", e.ExpectColumnValuesToBeBetween(
                column=col.name, min_value=_gx_bound(col.min), max_value=_gx_bound(col.max))))
        if col.unique:
            out.append((f"{col.name}.unique", e.ExpectColumnValuesToBeUnique(column=col.name)))
    if contract.grain_unique and contract.grain:
        out.append(("grain.unique", e.ExpectCompoundColumnsToBeUnique(
            column_list=list(contract.grain))))
    return out


def validate(frame: pl.DataFrame, contract: Contract) -> GxReport:
    """Validate ``frame`` (contract columns at least) against the contract's GX suite."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    # No progress bars in nightly logs.
    context.variables.progress_bars = gx.data_context.types.base.ProgressBarsConfig(globally=False)
    batch_def = (context.data_sources.add_pandas(contract.id)
                 .add_dataframe_asset(f"{contract.id}_batch")
                 .add_batch_definition_whole_dataframe("whole"))
    named = _expectations(contract, gx)
    suite = gx.ExpectationSuite(name=f"{contract.id}-{contract.version}")
    for rule, expectation in named:
        expectation.meta = {"rule": rule}  # ids are unset on ephemeral suites; meta survives
        suite.add_expectation(expectation)
    columns = [c for c in contract.column_names if c in frame.columns]
    pdf = frame.select(columns).to_pandas()
    batch = batch_def.get_batch(batch_parameters={"dataframe": pdf})
    result = batch.validate(suite, result_format={"result_format": "SUMMARY",
                                                  "partial_unexpected_count": 5})
    failures: dict[str, int] = {}
    examples: dict[str, list[Any]] = {}
    for res in result.results:
        rule = (res.expectation_config.meta or {}).get("rule", res.expectation_config.type)
        if not res.success:
            failures[rule] = int(res.result.get("unexpected_count") or 1)
            examples[rule] = [str(v) for v in (res.result.get("partial_unexpected_list") or [])]
    return GxReport(success=bool(result.success), rows_checked=len(pdf),
                    expectations=len(named), failures=failures, examples=examples)
