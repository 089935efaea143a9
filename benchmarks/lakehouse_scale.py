"""Backend benchmark: a full ``drugtrends pipeline`` run on the embedded DuckDB file and on
DuckLake (a local PostgreSQL catalog started here, data on local disk), with 1 and 5 regions
ingesting at once, at each size of case-level data. Prints wall time and the peak RSS of the
whole process tree (the CLI and its region processes) for each.

Input: seeded synthetic case-level files, one per region, drawn from the demo submissions (rows
resampled, amounts and dates jittered), plus the demo's annual files.

    .venv/bin/python benchmarks/lakehouse_scale.py [--rows 1000000 --rows 10000000] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from demo import generate  # noqa: E402
from drugtrends.raw.readers import read_submission  # noqa: E402
from pipelines.services import Postgres, free_port  # noqa: E402

SEED = 14
RUNS = (("duckdb", 1), ("ducklake", 1), ("ducklake", 5))


def synthetic_sources(work: Path, rows: int) -> Path:
    """Case-level files totalling ``rows`` (split across regions as in the demo), reused when
    already written for this size."""
    out = work / f"input_{rows}"
    sources = out / "sources.yaml"
    if sources.exists():
        return sources
    demo = generate(work / "demo")
    entries = yaml.safe_load(demo.read_text())["sources"]
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    case = [e for e in entries if e["dataset"] == "individual_seizures"]
    frames = {
        e["region"]: read_submission(
            demo.parent / e["location"],
            e["format"],
            name=e["location"],
            delimiter=e.get("delimiter") or ",",
        )
        for e in case
    }
    total = sum(f.height for f in frames.values())
    written = []
    for region, frame in frames.items():
        n = rows * frame.height // total
        picked = frame.select(c for c in frame.columns if not c.startswith("_"))
        picked = picked[rng.integers(0, frame.height, n)]
        amount = pl.Series(picked["AMOUNT"]).cast(pl.Float64, strict=False)
        jitter = pl.Series(rng.uniform(0.5, 1.5, n))
        days = pl.Series(rng.integers(0, 6 * 365, n)).cast(pl.Int32)
        picked = picked.with_columns(
            (amount * jitter).round(3).cast(pl.String).alias("AMOUNT"),
            (pl.date(2017, 1, 1) + pl.duration(days=days)).cast(pl.String).alias("SEIZURE_DATE"),
        )
        path = out / f"individual_{region.lower()}.csv"
        picked.write_csv(path, separator=";")
        written.append(
            {
                "dataset": "individual_seizures",
                "region": region,
                "location": path.name,
                "format": "csv",
                "delimiter": ";",
            }
        )
    for entry in entries:
        if entry["dataset"] == "annual_seizures":
            shutil.copy(demo.parent / entry["location"], out / entry["location"])
            written.append(entry)
    sources.write_text(yaml.safe_dump({"sources": written}, sort_keys=False), encoding="utf-8")
    return sources


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child, parent = int(entry.name), int(fields[1])
        children.setdefault(parent, []).append(child)
        rss[child] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def timed_run(env: dict[str, str]) -> tuple[float, int, str]:
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "pipeline"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.2)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"pipeline failed:\n{out}")
    return time.monotonic() - started, peak, out.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="default: 1,000,000")
    parser.add_argument("--work", type=Path, help="default: a temporary directory")
    args = parser.parse_args()
    sizes = args.rows or [1_000_000]
    work = args.work or Path(tempfile.mkdtemp(prefix="drugtrends-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    pg_root = Path(tempfile.mkdtemp(prefix="drugtrends-bench-pg-"))
    os.chmod(pg_root, 0o755)
    postgres = Postgres(pg_root / "postgres", free_port()).start()
    results = []
    try:
        for rows in sizes:
            sources = synthetic_sources(work, rows)
            for backend, concurrency in RUNS:
                name = f"{backend}_{concurrency}_{rows}"
                home = work / name
                shutil.rmtree(home, ignore_errors=True)
                env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
                env |= {
                    "DRUGTRENDS_HOME": str(home),
                    "DRUGTRENDS_SOURCES": str(sources),
                    "DRUGTRENDS_DATA_DOCS": "false",
                    "DRUGTRENDS_WAREHOUSE": backend,
                    "DRUGTRENDS_CONCURRENCY": str(concurrency),
                }
                if backend == "ducklake":
                    env["DRUGTRENDS_LAKE_CATALOG"] = postgres.create_database(name)
                wall, peak, last = timed_run(env)
                results.append((rows, backend, concurrency, wall, peak))
                print(
                    f"{rows:>11,} rows  {backend:<8} {concurrency} at once  "
                    f"{wall:8.1f} s  peak RSS {peak / 2**30:5.2f} GiB   ({last})",
                    flush=True,
                )
                shutil.rmtree(home, ignore_errors=True)
    finally:
        postgres.stop()
        shutil.rmtree(pg_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
