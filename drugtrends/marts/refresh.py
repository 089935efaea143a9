"""Rebuild one mart under its contract: skipped while its inputs are missing, rolled back when
the new rows break the contract (the previous version stays), committed otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from drugtrends.contracts import load_contract
from drugtrends.core import gx  # GX itself is imported only when a mart is validated
from drugtrends.core.checks import CheckOutcome, mart_outcome, skipped_outcomes
from drugtrends.marts.build import MartRejected, build_mart, missing_inputs
from drugtrends.runs import Status
from drugtrends.settings import Settings
from drugtrends.storage import open_warehouse


@dataclass(frozen=True)
class MartResult:
    status: Status
    check: CheckOutcome
    message: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)  # plain values


def refresh_mart(settings: Settings, name: str, run_id: str) -> MartResult:
    contract = load_contract(name, settings.contracts)
    reports: list[gx.GxReport] = []

    sample_rows = settings.gx_sample_rows or None

    def accept(frame: pl.DataFrame, rows: int) -> str | None:
        report = gx.validate(
            frame,
            contract,
            docs_dir=settings.docs_dir(),
            batch="mart",
            run_name=run_id,
            sample_rows=sample_rows,
            batch_rows=rows,
        )
        reports.append(report)
        return None if report.success else report.summary

    try:
        with open_warehouse(settings).connect() as con:
            missing = missing_inputs(con, name)
            if missing:
                reason = f"no data loaded yet in {', '.join(missing)}"
                (skipped,) = skipped_outcomes(reason, ("contract",))
                return MartResult("skipped", skipped, reason, {"rows": 0, "skipped": True})
            rows = build_mart(con, name, accept, sample_rows=sample_rows)
    except MartRejected as err:
        return MartResult(
            "failed",
            mart_outcome(name, reports[-1], contract.version),
            f"{err} (previous version kept)",
        )
    return MartResult(
        "success",
        mart_outcome(name, reports[-1], contract.version),
        metadata={"rows": rows, "contract_version": contract.version},
    )
