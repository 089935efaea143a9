"""Skip a region whose inputs have not changed since its last successful load.

A region's core rows are a function of its landed files, the dataset's contract, the reference
tables and the corrections registry. Their fingerprint is recorded with every successful load
(``meta.partition_runs.details.inputs_fingerprint``); a night whose fingerprint equals the last
successful one for that dataset and region has nothing new to read or validate, so the region
is recorded as skipped with the reason, and its last good rows stay as they are.

A code change that alters a transform without bumping the contract or reference version is not
seen here: ``drugtrends pipeline --reprocess`` re-validates every region from raw.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import duckdb

from drugtrends import reference
from drugtrends.core.corrections import Registry
from drugtrends.warehouse import first_row

UNCHANGED = "unchanged since run"


def fingerprint(
    files: Iterable[tuple[str, str]], contract_version: str, registry: Registry | None
) -> str:
    """Digest of (file name, sha256) pairs, the contract and reference versions, the corrections."""
    doc = {
        "files": sorted(files),
        "contract_version": contract_version,
        "reference_version": reference.version(),
        "corrections": hashlib.sha256(repr(registry).encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def loaded_fingerprint(
    con: duckdb.DuckDBPyConnection, dataset: str, region: str, contract_version: str, registry
) -> str:
    """The fingerprint of the files now in raw for ``dataset`` x ``region``."""
    files = con.execute(
        "SELECT source_name, sha256 FROM raw.files WHERE dataset = ? AND read_by = ?",
        [dataset, region],
    ).fetchall()
    return fingerprint([(n, s) for n, s in files], contract_version, registry)


def unchanged_since(
    con: duckdb.DuckDBPyConnection, dataset: str, region: str, inputs: str
) -> str | None:
    """The run id of the last successful load, when its fingerprint equals ``inputs``."""
    row = first_row(
        con,
        "SELECT run_id, json_extract_string(details, '$.inputs_fingerprint') "
        "FROM meta.partition_runs WHERE dataset = ? AND region = ? AND status = 'success' "
        "ORDER BY finished_at DESC LIMIT 1",
        [dataset, region],
    )
    return row[0] if row and row[1] == inputs else None


def reason(run_id: str) -> str:
    return (
        f"{UNCHANGED} {run_id}: same files (sha256), contract, reference tables and "
        "corrections; not re-read, its last good rows stay"
    )


def skipped_in_run(
    con: duckdb.DuckDBPyConnection, dataset: str, region: str, run_id: str
) -> str | None:
    """The reason ``run_id`` skipped ``dataset`` x ``region`` as unchanged, if it did."""
    row = first_row(
        con,
        "SELECT message FROM meta.partition_runs WHERE dataset = ? AND region = ? "
        "AND run_id = ? AND status = 'skipped' AND starts_with(message, ?)",
        [dataset, region, run_id, UNCHANGED],
    )
    return row[0] if row else None
