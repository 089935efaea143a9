"""Each published snapshot also as Parquet files, for tools that do not read DuckDB."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from drugtrends.warehouse import sql_string


def export_parquet(
    con: duckdb.DuckDBPyConnection, parquet_dir: Path, snap_id: str, tables: list[str]
) -> Path:
    """Write each table to ``<parquet_dir>/<snap_id>/<table>.parquet`` (for non-DuckDB tools)."""
    building = parquet_dir / f".{snap_id}.building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    for table in tables:
        target = building / f"{table.split('.', 1)[1]}.parquet"
        con.execute(f"COPY {table} TO {sql_string(str(target))} (FORMAT parquet)")
    final = parquet_dir / snap_id
    os.replace(building, final)
    return final


def swap_symlink(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target.name, tmp)
    os.replace(tmp, link)
