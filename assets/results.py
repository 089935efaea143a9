"""Plain outcomes from ``drugtrends`` -> Dagster check results, failures and metadata."""

from __future__ import annotations

from typing import Any

import dagster as dg

from drugtrends.core.checks import DATA_DOCS, CheckOutcome


def metadata(values: dict[str, Any]) -> dict[str, Any]:
    """Plain values as Dagster metadata: dicts and lists as JSON, the Data Docs page as a link."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == DATA_DOCS and isinstance(value, str):
            out[key] = dg.MetadataValue.url(value)
        elif isinstance(value, (dict, list)):
            out[key] = dg.MetadataValue.json(value)
        else:
            out[key] = value
    return out


def check_result(
    outcome: CheckOutcome, asset_key: str | None = None, *, blocking: bool = True
) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=outcome.name,
        passed=outcome.passed,
        asset_key=asset_key,
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        description=outcome.summary,
        metadata=metadata(outcome.metadata),
    )


def failure(message: str) -> dg.Failure:
    """A data problem: the message is the whole story, and retrying would not change it."""
    return dg.Failure(description=message, allow_retries=False)
