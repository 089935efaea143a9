"""Check the side tables, then publish: what the ``published_snapshot`` step does.

The marts and core tables were checked when they were built; the tables published next to them
(quarantine, run history, check results, source files) are checked here against their contracts
before the swap. Any failure stops here, and the previous snapshot stays current.
"""

from __future__ import annotations

from dataclasses import dataclass

from drugtrends.contracts import load_contract
from drugtrends.core import gx  # GX itself is imported only when a table is validated
from drugtrends.core.checks import CheckOutcome, side_table_outcome
from drugtrends.raw.sources import load_sources
from drugtrends.serving.snapshot import Snapshot
from drugtrends.settings import Settings
from drugtrends.storage import open_warehouse
from drugtrends.warehouse import read_checked, table_exists

SIDE_TABLES = ("quarantine_rows", "partition_runs", "check_results", "raw_files")


@dataclass(frozen=True)
class Release:
    check: CheckOutcome
    snapshot: Snapshot | None  # None when a side table failed: nothing was published
    message: str = ""


def release(settings: Settings, run_id: str) -> Release:
    store = open_warehouse(settings)
    with store.connect() as con:
        failed: dict[str, str] = {}
        checked: dict[str, int] = {}
        docs_dir = settings.docs_dir()
        if docs_dir is not None:  # before this step's validations re-render the index
            gx.prune_docs(docs_dir, settings.data_docs_keep_days)
        for cid in SIDE_TABLES:
            contract = load_contract(cid, settings.contracts)
            schema, table = contract.table.split(".")
            if not table_exists(con, schema, table):
                continue
            sample_rows = settings.gx_sample_rows or None
            frame, rows = read_checked(con, contract.table, sample_rows)
            report = gx.validate(
                frame,
                contract,
                docs_dir=docs_dir,
                batch="published",
                run_name=run_id,
                sample_rows=sample_rows,
                batch_rows=rows,
            )
            checked[contract.table] = report.rows_checked
            if not report.success:
                failed[contract.table] = report.summary
        outcome = side_table_outcome(failed, checked)
        if failed:
            message = "not published: " + "; ".join(f"{t} {s}" for t, s in failed.items())
            return Release(outcome, None, message)
        # Demo data says so in its sources file; the snapshot carries it to every reader.
        sources = load_sources(settings.sources_file, settings.allowed_roots())
        synthetic = any(s.synthetic for s in sources)
        snap = store.publish(con, run_id, synthetic=synthetic)
    return Release(outcome, snap)
