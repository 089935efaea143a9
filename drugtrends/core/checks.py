"""The blocking checks a region's batch must pass before it is written, as plain outcomes.

Each outcome says whether the check passed, a one-line summary a reader can act on, and its
metadata as plain values (numbers, strings, dicts, lists), so the rules here are tested without
Dagster; ``assets/`` turns outcomes into Dagster asset check results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drugtrends.contracts import Contract
from drugtrends.core.gx import GxReport  # the report only: GX itself loads on validate()
from drugtrends.core.quarantine import Split

# Metadata under this key is a file:// link to the validation's Data Docs page.
DATA_DOCS = "data_docs"

# What each check verifies, shown beside it wherever checks are listed.
DESCRIPTIONS = {
    "contract": "The clean rows pass the data contract's Great Expectations suite and no row "
    "breaks a blocking rule; otherwise the region keeps its last good data.",
    "reconciliation": "Every raw row ends in exactly one place: rows read = clean + quarantined.",
    "quarantine_share": "The share of rows quarantined stays within the contract's "
    "max_quarantine_share.",
}
DATASET_CHECKS = tuple(DESCRIPTIONS)
MART_CHECK_DESCRIPTION = (
    "The rebuilt mart passes its data contract before it is committed; otherwise the previous "
    "version stays."
)
SIDE_TABLE_CHECK_DESCRIPTION = (
    "The tables published beside the marts (quarantine, run history, check results, source "
    "files) pass their contracts; otherwise the previous snapshot stays current."
)


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    passed: bool
    summary: str
    metadata: dict[str, Any] = field(default_factory=dict)


def with_docs(metadata: dict[str, Any], report: GxReport) -> dict[str, Any]:
    return {**metadata, DATA_DOCS: report.docs_page} if report.docs_page else metadata


def with_sample(metadata: dict[str, Any], report: GxReport) -> dict[str, Any]:
    """Say so when Great Expectations checked a sample of the batch, not every row."""
    if not report.sampled:
        return metadata
    return {**metadata, "sampled": True, "rows_in_batch": report.rows_in_batch}


def contract_outcome(report: GxReport, split: Split, contract: Contract) -> CheckOutcome:
    """Fails when Great Expectations fails or any row breaks a rule of blocking severity."""
    blocked_by = contract.blocking_rules(split.rule_counts())
    summary = (
        report.summary
        if not blocked_by
        else (
            "rows break blocking rules: "
            + ", ".join(f"{rule} ({n} rows)" for rule, n in blocked_by.items())
        )
    )
    metadata = {
        "rows_checked": report.rows_checked,
        "expectations": report.expectations,
        "failures": report.failures,
        "examples": report.examples,
        "quarantined_by_rule": split.rule_counts(),
        "contract_version": contract.version,
    }
    return CheckOutcome(
        "contract",
        report.success and not blocked_by,
        summary,
        with_docs(with_sample(metadata, report), report),
    )


def reconciliation_outcome(split: Split) -> CheckOutcome:
    """Fails when rows were lost or doubled between raw and clean + quarantine."""
    return CheckOutcome(
        "reconciliation",
        split.reconciles,
        f"raw {split.raw_rows} = clean {split.clean.height} + "
        f"quarantined {split.quarantined.height}",
        {
            "raw_rows": split.raw_rows,
            "clean_rows": split.clean.height,
            "quarantined_rows": split.quarantined.height,
        },
    )


def quarantine_share_outcome(split: Split, contract: Contract) -> CheckOutcome:
    """Fails when more of the batch was quarantined than the contract allows."""
    share = split.quarantined.height / split.raw_rows if split.raw_rows else 0.0
    limit = contract.max_quarantine_share
    return CheckOutcome(
        "quarantine_share",
        share <= limit,
        f"{share:.1%} of rows quarantined (limit {limit:.0%})",
        {"share": share, "limit": limit},
    )


def dataset_outcomes(report: GxReport, split: Split, contract: Contract) -> list[CheckOutcome]:
    """The blocking checks of a region's batch, in ``DATASET_CHECKS`` order."""
    return [
        contract_outcome(report, split, contract),
        reconciliation_outcome(split),
        quarantine_share_outcome(split, contract),
    ]


def skipped_outcomes(reason: str, names: tuple[str, ...] = DATASET_CHECKS) -> list[CheckOutcome]:
    """Nothing to check (e.g. no source configured): the checks pass, saying why."""
    return [CheckOutcome(name, True, f"skipped: {reason}") for name in names]


def failures(outcomes: list[CheckOutcome]) -> list[str]:
    """``name: summary`` for every failed outcome."""
    return [f"{o.name}: {o.summary}" for o in outcomes if not o.passed]


def mart_outcome(name: str, report: GxReport, version: str) -> CheckOutcome:
    """A rebuilt mart's contract check."""
    if not report.success:
        return CheckOutcome(
            "contract",
            False,
            f"marts.{name}: {report.summary}",
            {"failures": report.failures, "examples": report.examples},
        )
    metadata = {"rows_checked": report.rows_checked, "contract_version": version}
    return CheckOutcome(
        "contract", True, report.summary, with_docs(with_sample(metadata, report), report)
    )


def side_table_outcome(failed: dict[str, str], rows_checked: dict[str, int]) -> CheckOutcome:
    """The published side tables' contracts: ``failed`` maps table -> GX summary."""
    return CheckOutcome(
        "side_table_contracts",
        not failed,
        "; ".join(f"{t}: {s}" for t, s in failed.items()) or "all passed",
        {"rows_checked": rows_checked},
    )
