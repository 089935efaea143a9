"""The scale benchmark: the real pipeline against bare DuckDB doing the same work, back to back.

1. Generate (or reuse) synthetic submissions: ROWS case-level rows in five regional ``;`` files
   and ROWS/20 annual rows in five JSON files (``benchmarks/generate.py``).
2. Run the bare-DuckDB baseline (``benchmarks/baseline.py``) and then ``drugtrends pipeline``
   (Dagster included, a fresh home), each as its own process with the same DuckDB memory limit;
   time each and sample the peak RSS of its whole process tree.
3. Check both produce the same mart totals (and the same clean / quarantined counts).
4. An incremental night: rewrite one region's case file, run the pipeline again on the same home.
5. Time loading the Dagster definitions in a fresh interpreter (median of three).

Prints every figure, and with ``--json`` writes them to a file.

    .venv/bin/python benchmarks/run.py [--rows 1000000] [--memory-limit 2GB] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402
import generate  # noqa: E402
import proctree  # noqa: E402

CHANGED_REGION = "Oceania"
# Mart -> the columns whose totals must agree between the baseline and the pipeline.
TOTALS = {
    "annual_seizures_by_subgroup": ("kg", "source_rows"),
    "seizure_trends": ("kg", "countries_reporting"),
    "seizure_cases": ("kg_equivalent",),
    "route_flows": ("seizures", "seizures_incl_duplicates", "seizures_with_kg", "kg_equivalent"),
    "route_legs": ("seizures", "seizures_incl_duplicates", "kg_equivalent"),
    "route_corridors": ("seizures", "kg_equivalent"),
}
CORE_TOTALS = {
    "individual_seizures": "count(*), sum(is_duplicate::int), count(kg_equivalent), "
    "sum(kg_equivalent), count(country_iso3), count(departure_iso3), count(drug_group)",
    "annual_seizures": "count(*), sum(kg), sum(is_total_row::int)",
}


def default_work() -> Path:
    home = os.environ.get("DRUGTRENDS_HOME")
    return (Path(home) / "benchmarks") if home else ROOT / "benchmarks" / "out"


def _python() -> str:
    return sys.executable


def _drugtrends() -> str:
    return str(Path(sys.executable).with_name("drugtrends"))


def pipeline_env(home: Path, sources: Path, dagster_home: Path, memory_limit: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRUGTRENDS_", "DAGSTER_"))}
    env.update(
        DRUGTRENDS_HOME=str(home),
        DRUGTRENDS_SOURCES=str(sources),
        DRUGTRENDS_DUCKDB_MEMORY_LIMIT=memory_limit,
        DAGSTER_HOME=str(dagster_home),
        # The hostile-input limits' defaults (512 MiB a source, 2M rows, 600 s a read) refuse the
        # 10M-row Americas file (5.2M rows, ~620 MB): the benchmark measures speed, not limits.
        DRUGTRENDS_MAX_SOURCE_BYTES=str(16 * 2**30),
        DRUGTRENDS_MAX_SHEET_ROWS="100000000",
        DRUGTRENDS_MAX_SHEET_CELLS="2000000000",
        DRUGTRENDS_READ_TIMEOUT_SECONDS="7200",
        DRUGTRENDS_SOURCE_DEADLINE_SECONDS="7200",
    )
    return env


def run_baseline(data: Path, out: Path, memory_limit: str) -> proctree.Measured:
    out.unlink(missing_ok=True)
    Path(str(out) + ".wal").unlink(missing_ok=True)
    result = proctree.run(
        baseline.command(out), stdin=baseline.script(data.resolve(), memory_limit)
    )
    if result.returncode:
        sys.exit(f"baseline failed:\n{result.stderr[-3000:]}")
    return result


def run_pipeline(env: dict, timeline: list | None = None) -> proctree.Measured:
    result = proctree.run([_drugtrends(), "pipeline"], env=env, cwd=ROOT, timeline=timeline)
    if result.returncode:
        sys.exit(f"pipeline failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def definitions_load_seconds(env: dict, repeat: int = 3) -> float:
    code = (
        "import time; t = time.perf_counter(); import pipelines.definitions; "
        "print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(repeat):
        done = subprocess.run(
            [_python(), "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def _totals(db: Path) -> dict[str, list]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[str, list] = {}
        for mart, cols in TOTALS.items():
            sums = ", ".join(f"sum({c})::double" for c in cols)
            out[f"marts.{mart}"] = list(
                con.execute(f"SELECT count(*), {sums} FROM marts.{mart}").fetchone()
            )
        for table, exprs in CORE_TOTALS.items():
            out[f"core.{table}"] = list(con.execute(f"SELECT {exprs} FROM core.{table}").fetchone())
        out["quarantine.rows"] = [
            list(r)
            for r in con.execute(
                "SELECT dataset, rule, count(*) FROM quarantine.rows GROUP BY ALL ORDER BY ALL"
            ).fetchall()
        ]
        return out
    finally:
        con.close()


def _close(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def compare_totals(baseline_db: Path, snapshot: Path) -> dict[str, dict]:
    """Per table: both sides' totals and whether they agree."""
    base, pipe = _totals(baseline_db), _totals(snapshot)
    return {
        k: {"baseline": base[k], "pipeline": pipe[k], "same": _close(base[k], pipe[k])}
        for k in base
    }


def run_steps(dagster_home: Path, since: float):
    """(run, step stats) of every Dagster run that started at or after ``since``."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    instance = dg.DagsterInstance.get()
    for run in instance.get_runs():
        if (instance.get_run_stats(run.run_id).start_time or 0) >= since:
            for step in instance.get_run_step_stats(run.run_id):
                yield run, step


def stage_figures(home: Path, dagster_home: Path, since: float) -> dict[str, dict]:
    """Seconds and rows/s per stage, from Dagster's step timings and the run details."""
    import duckdb

    seconds = {"pull": 0.0, "validate": 0.0, "normalise": 0.0, "aggregate": 0.0, "publish": 0.0}
    core_seconds = 0.0
    for _, step in run_steps(dagster_home, since):
        took = (step.end_time or 0) - (step.start_time or 0)
        key = step.step_key
        if key.startswith("raw_"):
            seconds["pull"] += took
        elif key in ("individual_seizures", "annual_seizures"):
            core_seconds += took
        elif key == "published_snapshot":
            seconds["publish"] += took
        else:
            seconds["aggregate"] += took
    con = duckdb.connect(str(home / "published" / "current.duckdb"), read_only=True)
    try:
        details = con.execute(
            "SELECT raw_rows, clean_rows, details FROM meta.partition_runs "
            "WHERE status = 'success' AND finished_at >= to_timestamp(?)",
            [since],
        ).fetchall()
        published_rows = sum(
            json.loads(con.execute("SELECT tables FROM meta.snapshot").fetchone()[0]).values()
        )
    finally:
        con.close()
    raw_rows = sum(r[0] or 0 for r in details)
    clean_rows = sum(r[1] or 0 for r in details)
    gx = 0.0
    for _, _, d in details:
        timed = json.loads(d or "{}").get("seconds", {})
        seconds["normalise"] += timed.get("transform", 0.0)
        gx += timed.get("gx", 0.0)
    seconds["validate"] = core_seconds - seconds["normalise"]
    rows = {
        "pull": raw_rows,
        "validate": raw_rows,
        "normalise": clean_rows,
        "aggregate": clean_rows,
        "publish": published_rows,
    }
    out = {
        stage: {
            "seconds": round(s, 2),
            "rows": rows[stage],
            "rows_per_s": round(rows[stage] / s) if s > 0 else None,
        }
        for stage, s in seconds.items()
    }
    out["validate"]["of_which_gx_seconds"] = round(gx, 2)
    return out


def memory_by_step(dagster_home: Path, since: float, timeline: list) -> list[dict]:
    """The memory profile: for each Dagster step of the runs since ``since``, the process tree's
    RSS when it started and its peak while it ran (from the sampled timeline), largest first.
    Steps run one after another in one process (the DuckDB warehouse takes one writer), so the
    growth within a step's window is that step's."""
    out = []
    for run, step in run_steps(dagster_home, since):
        partition = run.tags.get("dagster/partition", "")
        start, end = step.start_time or 0, step.end_time or 0
        inside = [rss for t, rss in timeline if start <= t <= end]
        before = [rss for t, rss in timeline if t <= start]
        if not inside:
            continue
        out.append(
            {
                "step": f"{step.step_key} {partition}".strip(),
                "seconds": round(end - start, 1),
                "rss_at_start_gib": round((before[-1] if before else 0) / 2**30, 2),
                "peak_gib": round(max(inside) / 2**30, 2),
            }
        )
    return sorted(out, key=lambda r: r["peak_gib"], reverse=True)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="case-level rows")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit for both")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="no incremental night; load definitions once"
    )
    parser.add_argument(
        "--no-data-docs", action="store_true", help="the pipeline builds no GX Data Docs"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    import time

    work = (args.work or default_work()).resolve()
    data = work / f"data-{args.rows}"
    home = work / f"home-{args.rows}"
    dagster_home = work / f"dagster-{args.rows}"
    print(
        f"work dir {work}; {args.rows:,} case-level rows; DuckDB memory_limit {args.memory_limit}"
    )
    started = time.perf_counter()
    manifest = generate.generate(data, args.rows)
    print(f"data ready in {time.perf_counter() - started:.1f} s (reused when the manifest matches)")
    for path in (home, dagster_home):
        shutil.rmtree(path, ignore_errors=True)
    dagster_home.mkdir(parents=True)
    shutil.copy(ROOT / "pipelines" / "dagster.yaml", dagster_home / "dagster.yaml")
    env = pipeline_env(home, data / "sources.yaml", dagster_home, args.memory_limit)
    if args.no_data_docs:
        env["DRUGTRENDS_DATA_DOCS"] = "false"

    base = run_baseline(data, work / f"baseline-{args.rows}.duckdb", args.memory_limit)
    since = time.time()
    timeline: list[tuple[float, int]] = []
    pipe = run_pipeline(env, timeline)
    figures: dict = {
        "rows": args.rows,
        "annual_rows": manifest["annual_rows"],
        "memory_limit": args.memory_limit,
        "data_docs": not args.no_data_docs,
        "baseline": {
            "seconds": round(base.seconds, 2),
            "peak_rss_gib": round(base.peak_rss_gib, 3),
        },
        "pipeline": {
            "seconds": round(pipe.seconds, 2),
            "peak_rss_gib": round(pipe.peak_rss_gib, 3),
        },
        "ratio": round(pipe.seconds / base.seconds, 3),
    }
    figures["stages"] = stage_figures(home, dagster_home, since)
    figures["memory_by_step"] = memory_by_step(dagster_home, since, timeline)
    totals = compare_totals(
        work / f"baseline-{args.rows}.duckdb", home / "published" / "current.duckdb"
    )
    figures["totals_match"] = all(t["same"] for t in totals.values())
    figures["totals"] = totals
    if not (args.no_incremental or args.quick):
        generate.generate(data, args.rows, only_region=CHANGED_REGION)
        night_since = time.time()
        night_timeline: list[tuple[float, int]] = []
        night = run_pipeline(env, night_timeline)
        share = manifest["case_rows"][CHANGED_REGION] / args.rows
        figures["incremental"] = {
            "changed_region": CHANGED_REGION,
            "changed_share_of_rows": round(share, 4),
            "seconds": round(night.seconds, 2),
            "peak_rss_gib": round(night.peak_rss_gib, 3),
            "share_of_full": round(night.seconds / pipe.seconds, 3),
            "summary": night.stdout.strip().splitlines(),
            "stages": stage_figures(home, dagster_home, night_since),
            "memory_by_step": memory_by_step(dagster_home, night_since, night_timeline),
        }
        # Put the data back as generated, so a later run reuses it unchanged.
        (data / "manifest.json").unlink()
        generate.generate(data, args.rows)
    repeat = 1 if args.quick else 3
    figures["definitions_load_seconds"] = round(definitions_load_seconds(env, repeat), 2)
    report(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return figures


def report(f: dict) -> None:
    b, p = f["baseline"], f["pipeline"]
    print()
    print(f"{'':<28}{'baseline':>12}{'pipeline':>12}")
    print(
        f"{'wall time (s)':<28}{b['seconds']:>12.1f}{p['seconds']:>12.1f}   ratio {f['ratio']:.2f}x"
    )
    print(
        f"{'peak RSS, process tree (GiB)':<28}{b['peak_rss_gib']:>12.2f}{p['peak_rss_gib']:>12.2f}"
    )
    print("\nstage        seconds         rows       rows/s")
    for stage, s in f["stages"].items():
        rate = f"{s['rows_per_s']:>12,}" if s["rows_per_s"] else f"{'-':>12}"
        print(f"{stage:<10}{s['seconds']:>10.1f}{s['rows']:>13,}{rate}")
    gx = f["stages"]["validate"]["of_which_gx_seconds"]
    print(f"  (validate includes Great Expectations: {gx:.1f} s)")
    print("\nmemory by step (largest peak first)      seconds  RSS at start  peak (GiB)")
    for m in f.get("memory_by_step", [])[:12]:
        print(
            f"{m['step']:<40}{m['seconds']:>8.1f}{m['rss_at_start_gib']:>14.2f}{m['peak_gib']:>12.2f}"
        )
    if "incremental" in f:
        n = f["incremental"]
        print(
            f"\nincremental night ({n['changed_region']} changed, "
            f"{n['changed_share_of_rows']:.1%} of rows): {n['seconds']:.1f} s = "
            f"{n['share_of_full']:.0%} of the full night, peak RSS {n['peak_rss_gib']:.2f} GiB"
        )
        stages = ", ".join(f"{k} {v['seconds']:.1f} s" for k, v in n.get("stages", {}).items())
        print(f"  stages: {stages}")
        for m in n.get("memory_by_step", [])[:3]:
            print(f"  {m['step']:<38}{m['seconds']:>8.1f} s  peak {m['peak_gib']:.2f} GiB")
    print(f"Dagster definitions load: {f['definitions_load_seconds']:.2f} s")
    print(f"mart totals match: {'yes' if f['totals_match'] else 'NO'}")
    for table, t in f["totals"].items():
        if not t["same"]:
            print(f"  {table}: baseline {t['baseline']} vs pipeline {t['pipeline']}")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    figures = main()
    sys.exit(0 if figures["totals_match"] else 1)
