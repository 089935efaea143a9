"""Safe serving: readers never notice a run, a killed run costs nothing, secrets stay secret."""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml

from demo import generate
from tests.conftest import annual_row, write_json, write_sources

ROOT = Path(__file__).resolve().parents[2]

READER = textwrap.dedent("""
    import json, sys, time, duckdb
    from pathlib import Path
    path, stop, deadline = sys.argv[1], Path(sys.argv[2]), time.time() + 300
    reads = errors = torn = 0
    ids = set()
    while not stop.exists() and time.time() < deadline:
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                con.execute("SET enable_progress_bar = false")
                sid, tables = con.execute(
                    "SELECT snapshot_id, tables FROM meta.snapshot").fetchall()[0]
                expected = json.loads(tables)
                for table in ("marts.seizure_trends", "core.annual_seizures", "quarantine.rows"):
                    got = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                    if got != expected[table]:
                        torn += 1
            finally:
                con.close()
            reads += 1
            ids.add(sid)
        except Exception as exc:  # any error is a failure the test reports
            errors += 1
            print("reader error:", type(exc).__name__, exc, file=sys.stderr)
        time.sleep(0.01)
    print(json.dumps({"reads": reads, "errors": errors, "torn": torn, "ids": sorted(ids)}))
""")


def pipeline_env(home: Path, sources: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update(
        DRUGTRENDS_HOME=str(home), DRUGTRENDS_SOURCES=str(sources), DRUGTRENDS_DATA_DOCS="false"
    )
    return env


def start_pipeline(home: Path, sources: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "pipeline"],
        cwd=ROOT,
        env=pipeline_env(home, sources),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def snapshot_state(home: Path) -> tuple[str, dict[str, int]]:
    import duckdb

    con = duckdb.connect(str(home / "published" / "current.duckdb"), read_only=True)
    try:
        sid, tables = con.execute("SELECT snapshot_id, tables FROM meta.snapshot").fetchall()[0]
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in json.loads(tables)
        }
    finally:
        con.close()
    return sid, counts


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """A home with one snapshot already published (demo annual data, three regions: the
    serving guarantees do not depend on volume, and every run here costs real seconds)."""
    tmp = tmp_path_factory.mktemp("serving")
    home = tmp / "home"
    demo = generate(tmp / "demo")
    entries = [
        e
        for e in yaml.safe_load(demo.read_text())["sources"]
        if e["dataset"] == "annual_seizures" and e["region"] in ("Africa", "Asia", "Europe")
    ]
    for entry in entries:
        entry["location"] = str(demo.parent / entry["location"])
    sources = write_sources(tmp / "sources.yaml", entries)
    started = time.monotonic()
    proc = start_pipeline(home, sources)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    return home, sources, time.monotonic() - started


@pytest.mark.slow
def test_readers_never_notice_a_run_and_always_see_one_whole_snapshot(demo_home):
    home, sources, _ = demo_home
    first_id, _ = snapshot_state(home)
    current = str(home / "published" / "current.duckdb")
    stop = home.parent / "stop-readers"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, current, str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    time.sleep(1)  # readers are reading before the run starts
    run = start_pipeline(home, sources)
    out, _ = run.communicate(timeout=300)
    time.sleep(1)  # and after it has published
    stop.touch()
    assert run.returncode == 0, out
    results = []
    for reader in readers:
        stdout, stderr = reader.communicate(timeout=120)
        results.append(json.loads(stdout.strip().splitlines()[-1]))
        assert reader.returncode == 0, stderr
    for result in results:
        assert result["errors"] == 0 and result["torn"] == 0, result
        assert result["reads"] > 20
    seen = set().union(*(r["ids"] for r in results))
    new_id, _ = snapshot_state(home)
    assert new_id != first_id
    assert {first_id, new_id} <= seen, "readers saw the old and then the new snapshot"


@pytest.mark.slow
def test_killing_the_run_at_any_point_leaves_the_snapshot_intact(demo_home):
    home, sources, duration = demo_home
    before = snapshot_state(home)
    # Early (ingesting) and late (building marts, publishing): each is a real SIGKILL.
    for fraction in (0.5, 0.93):
        run = start_pipeline(home, sources)
        time.sleep(duration * fraction)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
        after = snapshot_state(home)
        # Either the run was killed before its swap (previous snapshot, unchanged), or the swap
        # had happened (a complete new snapshot): never a partial one.
        if after[0] == before[0]:
            assert after == before
        before = after
    run = start_pipeline(home, sources)
    out, _ = run.communicate(timeout=300)
    assert run.returncode == 0, out
    final_id, counts = snapshot_state(home)
    assert final_id != before[0] and counts["marts.seizure_trends"] > 0
    leftovers = list((home / "published" / "snapshots").glob(".*"))
    assert leftovers == []


class _GuardedHandler(http.server.SimpleHTTPRequestHandler):
    token = ""

    def do_GET(self):  # noqa: N802
        if self.headers.get("Authorization") != f"Bearer {self.token}":
            self.send_error(401, "Unauthorized")
            return
        if "missing" in self.path:
            self.send_error(404, "Not Found")
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_source_credentials_never_appear_in_output_metadata_or_errors(
    pipeline, tmp_path, monkeypatch
):
    token, query_secret = "tok-3f9a-SECRET", "qs-77c1-SECRET"
    monkeypatch.setenv("AFRICA_TOKEN", token)
    rows = [annual_row("Kenya", "KEN", "Africa", "East Africa", "NPS", "Other NPS", "x", 2020, 1)]
    write_json(tmp_path / "africa.json", rows)
    _GuardedHandler.token = token
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: _GuardedHandler(*a, directory=str(tmp_path), **k)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    pipeline.use_sources(
        write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "dataset": "annual_seizures",
                    "region": "Africa",
                    "format": "json",
                    "location": f"{base}/africa.json?key={query_secret}",
                    "auth_env": "AFRICA_TOKEN",
                },
                {
                    "dataset": "annual_seizures",
                    "region": "Europe",
                    "format": "json",
                    "location": f"{base}/missing.json?key={query_secret}",
                    "auth_env": "AFRICA_TOKEN",
                },
            ],
        )
    )
    instance = dg.DagsterInstance.ephemeral()
    from pipelines.cli import run_pipeline

    try:
        code = run_pipeline(["Africa", "Europe"], instance=instance)
    finally:
        server.shutdown()
    assert code == 1
    files = pipeline.query("SELECT location FROM raw.files")
    assert files == [(f"{base}/africa.json",)]
    runs = pipeline.query("SELECT message FROM meta.partition_runs WHERE status = 'failed'")
    assert runs == [("missing.json: HTTP 404 Not Found",)]
    texts = [
        repr(e) for r in instance.get_run_records() for e in instance.all_logs(r.dagster_run.run_id)
    ]
    with pipeline.snapshot.open("rb") as f:
        texts.append(f.read().decode("latin-1"))
    for text in texts:
        assert token not in text and query_secret not in text


KILLED_PUBLISH = textwrap.dedent("""
    import os, signal, sys, duckdb
    con = duckdb.connect()
    con.execute("SET checkpoint_threshold = '1GB'")  # the rows stay in the WAL, as mid-publish
    con.execute(f"ATTACH '{sys.argv[1]}' AS snap")
    con.execute("CREATE TABLE snap.t AS SELECT range AS i FROM range(1000)")
    os.kill(os.getpid(), signal.SIGKILL)
""")


def _small_warehouse():
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.m AS SELECT 1 AS a")
    return con


def test_publish_clears_every_leftover_of_a_killed_publish_but_not_the_snapshots(tmp_path):
    from drugtrends.serving.snapshot import publish, snapshot_info

    published = tmp_path / "published"
    snaps = published / "snapshots"
    con = _small_warehouse()
    first = publish(con, published, "run-1", keep=5)
    # A publish killed mid-copy leaves its half-built file and that file's write-ahead log.
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_PUBLISH, str(snaps / ".20000101T000000000000Z.building")]
    )
    assert killed.returncode == -signal.SIGKILL
    leftovers = sorted(p.name for p in snaps.glob(".*"))
    assert leftovers == [".20000101T000000000000Z.building", ".20000101T000000000000Z.building.wal"]
    # An orphaned WAL alone (its .building already cleared by an earlier version of prune).
    (snaps / ".20000102T000000000000Z.building.wal").write_bytes(b"\0" * 64)
    (published / "parquet" / ".20000101T000000000000Z.building").mkdir()

    second = publish(con, published, "run-2", keep=5)

    assert sorted(p.name for p in snaps.iterdir()) == [first.path.name, second.path.name]
    assert [p.name for p in (published / "parquet").glob(".*")] == []
    assert snapshot_info(published / "current.duckdb")["snapshot_id"] == second.id
    assert snapshot_info(first.path)["snapshot_id"] == first.id  # older snapshot still readable
