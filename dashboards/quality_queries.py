"""Read-only, cached queries for the data-quality page: the pipeline's own records in the
snapshot (``meta.partition_runs``, ``meta.check_results``, ``quarantine.rows``, ``raw.files``).

Same rules as :mod:`dashboards.queries`: Snapshot-keyed cache, read-only per-query connections,
filter values only as bound parameters (``None`` = no filter on that column).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards.queries import CACHE, Snapshot, read


@st.cache_data(**CACHE)
def latest_runs(snap: Snapshot) -> pl.DataFrame:
    """The latest run of every dataset x region, with the last time it was published."""
    return read(
        snap,
        """
        WITH runs AS (
            SELECT *,
                   max(finished_at) FILTER (WHERE status = 'success')
                       OVER (PARTITION BY dataset, region) AS last_success_at
            FROM meta.partition_runs
        )
        SELECT dataset, region, run_id, status, message, raw_rows, clean_rows,
               quarantined_rows, contract_version, finished_at, last_success_at
        FROM runs
        QUALIFY row_number() OVER (
            PARTITION BY dataset, region ORDER BY finished_at DESC, run_id DESC) = 1
        ORDER BY dataset, region
    """,
    )


@st.cache_data(**CACHE)
def latest_checks(snap: Snapshot) -> pl.DataFrame:
    """The contract checks of each dataset x region's latest run (contract, reconciliation,
    quarantine share)."""
    return read(
        snap,
        """
        WITH latest AS (
            SELECT dataset, region, run_id
            FROM meta.partition_runs
            QUALIFY row_number() OVER (
                PARTITION BY dataset, region ORDER BY finished_at DESC, run_id DESC) = 1
        )
        SELECT c.dataset, c.region, c.check_name, c.passed, c.summary, c.contract_version,
               c.checked_at
        FROM meta.check_results AS c
        JOIN latest USING (dataset, region, run_id)
        ORDER BY c.dataset, c.region,
                 CASE c.check_name WHEN 'contract' THEN 1 WHEN 'reconciliation' THEN 2
                                   WHEN 'quarantine_share' THEN 3 ELSE 4 END, c.check_name
    """,
    )


@st.cache_data(**CACHE)
def run_history(snap: Snapshot, dataset: str, region: str) -> pl.DataFrame:
    """Every run of one dataset x region, oldest first."""
    return read(
        snap,
        """
        SELECT run_id, status, message, raw_rows, clean_rows, quarantined_rows,
               contract_version, finished_at
        FROM meta.partition_runs
        WHERE dataset = ? AND region = ?
        ORDER BY finished_at, run_id
    """,
        [dataset, region],
    )


@st.cache_data(**CACHE)
def run_keys(snap: Snapshot) -> pl.DataFrame:
    """(dataset, region) pairs with at least one run."""
    return read(
        snap,
        """
        SELECT DISTINCT dataset, region FROM meta.partition_runs ORDER BY dataset, region
    """,
    )


_QUARANTINE_FILTER = """
    WHERE ($dataset IS NULL OR dataset = $dataset)
      AND ($region IS NULL OR region = $region)
      AND ($rule IS NULL OR rule = $rule)
      AND ($version IS NULL OR contract_version = $version)
"""


def _quarantine_params(
    dataset: str | None, region: str | None, rule: str | None, version: str | None
) -> dict[str, object]:
    return {"dataset": dataset, "region": region, "rule": rule, "version": version}


@st.cache_data(**CACHE)
def quarantine_options(snap: Snapshot) -> dict[str, list[str]]:
    """The values each quarantine filter can take (the ones present in the snapshot)."""
    frame = read(
        snap,
        """
        SELECT list(DISTINCT dataset ORDER BY dataset) AS dataset,
               list(DISTINCT region ORDER BY region) AS region,
               list(DISTINCT rule ORDER BY rule) AS rule,
               list(DISTINCT contract_version ORDER BY contract_version) AS contract_version
        FROM quarantine.rows
    """,
    )
    return {
        column: frame[column][0].to_list() if frame[column][0] is not None else []
        for column in frame.columns
    }


@st.cache_data(**CACHE)
def quarantined_rows(
    snap: Snapshot,
    dataset: str | None = None,
    region: str | None = None,
    rule: str | None = None,
    version: str | None = None,
) -> pl.DataFrame:
    """Quarantined rows with the rule they broke, newest first, then in file order."""
    return read(
        snap,
        f"""
        SELECT dataset, region, source_file, source_row, rule, message, contract_version,
               record::VARCHAR AS record, quarantined_at, run_id
        FROM quarantine.rows
        {_QUARANTINE_FILTER}
        ORDER BY quarantined_at DESC, dataset, region, source_file, source_row
    """,
        _quarantine_params(dataset, region, rule, version),
    )


@st.cache_data(**CACHE)
def quarantine_by_rule(
    snap: Snapshot,
    dataset: str | None = None,
    region: str | None = None,
    rule: str | None = None,
    version: str | None = None,
) -> pl.DataFrame:
    """Quarantined rows per dataset and rule, largest first."""
    return read(
        snap,
        f"""
        SELECT dataset, rule, count(*) AS rows
        FROM quarantine.rows
        {_QUARANTINE_FILTER}
        GROUP BY ALL
        ORDER BY rows DESC, dataset, rule
    """,
        _quarantine_params(dataset, region, rule, version),
    )


@st.cache_data(**CACHE)
def source_files(snap: Snapshot) -> pl.DataFrame:
    """Files the pipeline read, newest first."""
    return read(
        snap,
        """
        SELECT source_name, dataset, region, format, sha256, size_bytes, fetched_at, rows,
               unknown_columns
        FROM raw.files
        ORDER BY fetched_at DESC, dataset, region, source_name
    """,
    )


@st.cache_data(**CACHE)
def quarantine_summary(
    snap: Snapshot,
    dataset: str | None = None,
    region: str | None = None,
    rule: str | None = None,
    version: str | None = None,
) -> pl.DataFrame:
    """Quarantined rows per region, dataset and rule, with one example message (the first row
    in file order) to explain them by; regions by name, the largest count first."""
    return read(
        snap,
        f"""
        SELECT region, dataset, rule, count(*) AS rows,
               arg_min(message, (source_file, source_row)) AS example
        FROM quarantine.rows
        {_QUARANTINE_FILTER}
        GROUP BY ALL
        ORDER BY region, rows DESC, dataset, rule
    """,
        _quarantine_params(dataset, region, rule, version),
    )
