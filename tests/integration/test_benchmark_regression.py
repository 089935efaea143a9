"""The scale benchmark at ~200k rows: the pipeline's wall time as a multiple of bare DuckDB doing
the same work in the same run must not regress beyond the margin stated in
``benchmarks/regression.json``; both must produce the same mart totals. Never an absolute time:
the machine (shared, CI) sets the pace of both sides alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "benchmarks" / "regression.json"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_pipeline_to_baseline_ratio_has_not_regressed(tmp_path):
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not available: {SHARED_DATA}")
    reference = json.loads(REFERENCE.read_text())
    out = tmp_path / "figures.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRUGTRENDS_", "DAGSTER_"))}
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--rows",
        str(reference["rows"]),
    ]
    command += ["--quick", "--no-data-docs", "--work", str(tmp_path), "--json", str(out)]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["totals_match"], figures["totals"]
    ceiling = reference["ratio"] * (1 + reference["margin"])
    assert figures["ratio"] <= ceiling, (
        f"pipeline took {figures['ratio']:.2f}x the bare-DuckDB baseline at "
        f"{reference['rows']:,} rows; the reference is {reference['ratio']:.2f}x and the "
        f"allowed margin {reference['margin']:.0%} (ceiling {ceiling:.2f}x)\n{done.stdout}"
    )
