"""The DuckLake backend on real services: a PostgreSQL cluster started here on a free loopback
port, data on local disk and on an S3 stand-in (moto) on loopback, real Dagster runs.

The same input gives the same marts as the embedded DuckDB file; five regions ingest at once
and all publish; readers see only whole publications, a reader pinned to a publication keeps
reading it after the next one, and a SIGKILLed run costs nothing but its own work.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import polars as pl
import polars.testing
import pytest
import yaml

from demo import generate
from drugtrends.marts.build import MARTS
from drugtrends.settings import get_settings
from drugtrends.storage import open_warehouse
from pipelines.services import Postgres, S3StandIn, ServiceUnavailable, free_port, postgres_bindir
from tests.conftest import unavailable, write_sources

ROOT = Path(__file__).resolve().parents[2]
# Columns that differ between any two runs (times, run ids, where files landed).
RUN_COLUMNS = {"run_id", "loaded_at", "quarantined_at", "fetched_at", "landed_path", "location"}
COMPARED = [f"marts.{m}" for m in MARTS] + [
    "core.annual_seizures",
    "core.individual_seizures",
    "quarantine.rows",
    "raw.files",
]


@dataclass
class Services:
    postgres: Postgres
    s3: S3StandIn

    def lake_env(self, name: str, *, on_s3: bool = False) -> dict[str, str]:
        """Settings for a fresh, empty lakehouse called ``name``."""
        env = {
            "DRUGTRENDS_WAREHOUSE": "ducklake",
            "DRUGTRENDS_LAKE_CATALOG": self.postgres.create_database(name),
        }
        if on_s3:
            env |= {
                "DRUGTRENDS_LAKE_DATA": self.s3.create_bucket(name.replace("_", "-")),
                "AWS_ENDPOINT_URL": self.s3.endpoint,
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_REGION": "us-east-1",
            }
        return env


@pytest.fixture(scope="module")
def services() -> Iterator[Services]:
    if postgres_bindir() is None:
        unavailable("services", "PostgreSQL is not installed (`make services` installs it)")
    # Not under pytest's tmp: PostgreSQL may run as another user, who must reach its directory.
    root = Path(tempfile.mkdtemp(prefix="drugtrends-lakehouse-"))
    os.chmod(root, 0o755)
    postgres = Postgres(root / "postgres", free_port())
    s3 = S3StandIn(root / "s3", free_port())
    try:
        postgres.start()
        s3.start()
    except ServiceUnavailable as exc:
        postgres.stop()
        s3.stop()
        unavailable("services", f"lakehouse services cannot start here: {exc}")
    try:
        yield Services(postgres, s3)
    finally:
        s3.stop()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


def run_cli(home: Path, sources: Path, env: dict[str, str], *args: str) -> subprocess.Popen:
    full = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    full |= env | {
        "DRUGTRENDS_HOME": str(home),
        "DRUGTRENDS_SOURCES": str(sources),
        "DRUGTRENDS_DATA_DOCS": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "pipeline", *args],
        cwd=ROOT,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def pipeline(home: Path, sources: Path, env: dict[str, str], *, regions=None) -> None:
    """A whole run in this process (regions in their own processes when concurrent)."""
    from drugtrends.reference import REGIONS
    from pipelines.cli import run_pipeline

    mp = pytest.MonkeyPatch()
    for key, value in env.items():
        mp.setenv(key, value)
    mp.setenv("DRUGTRENDS_HOME", str(home))
    mp.setenv("DRUGTRENDS_SOURCES", str(sources))
    mp.setenv("DRUGTRENDS_DATA_DOCS", "false")
    try:
        assert run_pipeline(list(REGIONS) if regions is None else regions) == 0
    finally:
        mp.undo()


def settings_for(home: Path, env: dict[str, str]):
    mp = pytest.MonkeyPatch()
    for key, value in env.items():
        mp.setenv(key, value)
    try:
        return get_settings(home=home)
    finally:
        mp.undo()


def published_frames(home: Path, env: dict[str, str]) -> dict[str, pl.DataFrame]:
    """Every compared table of the current publication, run-specific columns dropped, sorted."""
    store = open_warehouse(settings_for(home, env))
    frames = {}
    with store.open_published() as con:
        assert con is not None, "nothing published"
        present = {
            r[0]
            for r in con.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database()"
            ).fetchall()
        }
        # Marts without input here (e.g. no price source) are skipped alike on both backends.
        for table in [t for t in COMPARED if t in present]:
            frame = pl.from_arrow(con.sql(f"SELECT * FROM {table}").to_arrow_table())
            frame = frame.drop([c for c in frame.columns if c in RUN_COLUMNS])
            frames[table] = frame.select(sorted(frame.columns)).sort(pl.all())
    return frames


def assert_same(expected: dict[str, pl.DataFrame], got: dict[str, pl.DataFrame]) -> None:
    assert set(got) == set(expected)
    assert expected["marts.seizure_trends"].height and expected["marts.route_flows"].height
    for table, frame in expected.items():
        # Floating-point sums may differ in the last bit with the scan order (1e-15).
        polars.testing.assert_frame_equal(got[table], frame, check_exact=False, rel_tol=1e-12)


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The demo's annual data of all five regions and its case-level data of two (every asset
    and mart has rows; the guarantees tested here do not depend on volume)."""
    demo = generate(tmp_path_factory.mktemp("lake_demo") / "demo")
    entries = [
        e | {"location": str(demo.parent / e["location"])}
        for e in yaml.safe_load(demo.read_text())["sources"]
        if e["dataset"] == "annual_seizures" or e["region"] in ("Africa", "Oceania")
    ]
    return write_sources(demo.parent / "lake_sources.yaml", entries)


@pytest.fixture(scope="module")
def embedded(sources: Path, tmp_path_factory) -> dict[str, pl.DataFrame]:
    home = tmp_path_factory.mktemp("embedded") / "home"
    pipeline(home, sources, {})
    return published_frames(home, {})


@pytest.mark.slow
def test_five_regions_at_once_on_ducklake_give_the_embedded_marts(
    services, sources, embedded, tmp_path, capsys
):
    env = services.lake_env("lake_local") | {"DRUGTRENDS_CONCURRENCY": "5"}
    env |= dagster_on_postgres(services, tmp_path / "dagster")
    home = tmp_path / "home"
    capsys.readouterr()
    pipeline(home, sources, env)
    out = capsys.readouterr().out
    assert out.count(" ok ") == 7, out  # five regions' annual, two regions' case-level data
    assert out.splitlines()[-1].startswith("published ducklake version "), out
    assert_same(embedded, published_frames(home, env))
    with open_warehouse(settings_for(home, env)).read_only() as con:
        runs = con.execute(
            "SELECT count(DISTINCT run_id), count(*) FILTER (status = 'success') "
            "FROM meta.partition_runs"
        ).fetchall()[0]
        data = con.execute(
            "SELECT min(data_file) FROM ducklake_list_files('lake', 'seizure_trends', "
            "schema => 'marts')"
        ).fetchall()[0][0]
    assert runs == (5, 7)
    assert data.startswith(str(home / "lake"))
    # Each region's run and the publish run are in Dagster's PostgreSQL storage.
    mp = pytest.MonkeyPatch()
    for key, value in env.items():
        mp.setenv(key, value)
    try:
        instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
        statuses = [r.dagster_run.status for r in instance.get_run_records()]
        instance.dispose()
    finally:
        mp.undo()
    assert statuses == [dg.DagsterRunStatus.SUCCESS] * 6


def dagster_on_postgres(services: Services, home: Path) -> dict[str, str]:
    """DAGSTER_HOME with the documented PostgreSQL instance settings, on a fresh database."""
    home.mkdir(parents=True)
    shutil.copy(ROOT / "pipelines" / "dagster-postgres.yaml", home / "dagster.yaml")
    services.postgres.create_database("dagster_local")
    return {
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": "127.0.0.1",
        "DAGSTER_PG_PORT": str(services.postgres.port),
        "DAGSTER_PG_USER": "drugtrends",
        "DAGSTER_PG_PASSWORD": "",
        "DAGSTER_PG_DB": "dagster_local",
    }


@pytest.fixture(scope="module")
def s3_lake(services, sources, tmp_path_factory) -> tuple[Path, dict[str, str], float]:
    """A lakehouse on the S3 stand-in with one publication, and how long its run took."""
    env = services.lake_env("lake_s3", on_s3=True) | {
        "DRUGTRENDS_CONCURRENCY": "2",
        "DRUGTRENDS_KEEP_SNAPSHOTS": "2",
    }
    home = tmp_path_factory.mktemp("s3_lake") / "home"
    started = time.monotonic()
    pipeline(home, sources, env)
    return home, env, time.monotonic() - started


def publication(home: Path, env: dict[str, str]) -> tuple[str, dict[str, int]]:
    """The current publication's id, and each table's rows as read (not as recorded)."""
    with open_warehouse(settings_for(home, env)).open_published() as con:
        assert con is not None
        sid, tables = con.execute("SELECT snapshot_id, tables FROM meta.snapshot").fetchall()[0]
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in json.loads(tables)
        }
        assert counts == json.loads(tables), "a publication holds what it recorded"
    return sid, counts


@pytest.mark.slow
def test_a_lakehouse_on_s3_gives_the_embedded_marts(s3_lake, embedded):
    home, env, _ = s3_lake
    assert_same(embedded, published_frames(home, env))
    with open_warehouse(settings_for(home, env)).read_only() as con:
        paths = con.execute(
            "SELECT data_file FROM ducklake_list_files('lake', 'seizure_trends', schema => 'marts')"
        ).fetchall()
    assert paths and all(p[0].startswith("s3://lake-s3/") for p in paths)


READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from drugtrends.settings import get_settings
    from drugtrends.storage import open_warehouse
    stop, deadline = Path(sys.argv[1]), time.time() + 1800  # the stop file ends it
    store = open_warehouse(get_settings())
    reads = errors = torn = 0
    ids = set()
    while not stop.exists() and time.time() < deadline:
        try:
            with store.open_published() as con:
                sid, tables = con.execute(
                    "SELECT snapshot_id, tables FROM meta.snapshot").fetchall()[0]
                expected = json.loads(tables)
                for table in ("marts.seizure_trends", "core.annual_seizures", "quarantine.rows"):
                    got = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                    if got != expected[table]:
                        torn += 1
            reads += 1
            ids.add(sid)
        except Exception as exc:  # any error is a failure the test reports
            errors += 1
            print("reader error:", type(exc).__name__, exc, file=sys.stderr)
        time.sleep(0.05)
    print(json.dumps({"reads": reads, "errors": errors, "torn": torn, "ids": sorted(ids)}))
""")


def cli_run(home: Path, sources: Path, env: dict[str, str]) -> subprocess.Popen:
    return run_cli(home, sources, env)


@pytest.mark.slow
def test_readers_see_whole_publications_through_killed_runs_and_the_next_run(s3_lake, sources):
    """Four readers loop while two runs are SIGKILLed (ingesting; late, in marts or the
    publishing commit) and a third completes: they only ever see whole publications, the
    killed runs leave the publication readable (the old one, or a whole new one), and the
    next run publishes."""
    home, env, duration = s3_lake
    first_id, _ = publication(home, env)
    stop = home.parent / "stop-readers"
    reader_env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    reader_env |= env | {"DRUGTRENDS_HOME": str(home)}
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(stop)],
            cwd=ROOT,
            env=reader_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    time.sleep(2)  # readers are reading before the runs start
    before = publication(home, env)
    for fraction in (0.45, 0.9):
        run = cli_run(home, sources, env)
        time.sleep(duration * fraction)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
        after = publication(home, env)
        if after[0] == before[0]:
            assert after == before  # killed before its publication: the old one, whole
        before = after
    run = cli_run(home, sources, env)
    out, _ = run.communicate(timeout=600)
    assert run.returncode == 0, out
    final_id, counts = publication(home, env)
    assert final_id != before[0] and counts["marts.seizure_trends"] > 0
    time.sleep(2)  # readers read the last one too
    stop.touch()
    results = []
    for reader in readers:
        stdout, stderr = reader.communicate(timeout=120)
        assert reader.returncode == 0, stderr
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    for result in results:
        assert result["errors"] == 0 and result["torn"] == 0, result
        assert result["reads"] > 5, result
    assert {first_id, final_id} <= set().union(*(r["ids"] for r in results))


def publish_only(home: Path, sources: Path, env: dict[str, str]) -> None:
    """A run that ingests no region and publishes: one more publication of the same data."""
    pipeline(home, sources, env, regions=[])


@pytest.mark.slow
def test_a_pinned_reader_keeps_its_publication_and_ids_map_to_versions(s3_lake, sources):
    home, env, _ = s3_lake
    store = open_warehouse(settings_for(home, env))
    n_id, n_counts = publication(home, env)
    with store.open_published() as pinned:
        publish_only(home, sources, env)
        next_id, _ = publication(home, env)
        assert next_id != n_id
        # The connection opened before is pinned to its version: it still reads n.
        assert pinned.execute("SELECT snapshot_id FROM meta.snapshot").fetchall() == [(n_id,)]
        assert (
            pinned.execute("SELECT count(*) FROM core.annual_seizures").fetchall()[0][0]
            == (n_counts["core.annual_seizures"])
        )
    # A snapshot id (as in a dashboard URL) opens its own version.
    with store.open_published(n_id) as old:
        assert old.execute("SELECT snapshot_id FROM meta.snapshot").fetchall() == [(n_id,)]
    # Keep-N (2 here) expires older publications: one more, and n is gone.
    publish_only(home, sources, env)
    with store.open_published(n_id) as gone:
        assert gone is None
    with store.open_published(next_id) as kept, store.read_only() as con:
        assert kept is not None
        from drugtrends.serving.lake import publications

        assert len(publications(con)) == 2


@pytest.mark.slow
def test_regions_commit_side_by_side_and_a_conflict_is_retried(services, tmp_path):
    from drugtrends import lakehouse

    settings = settings_for(tmp_path, services.lake_env("lake_commits"))
    store = open_warehouse(settings)

    def frame(region: str, value: int) -> pl.DataFrame:
        return pl.DataFrame({"region": [region] * 3, "value": [value] * 3})

    def replace(con, region: str, value: int) -> None:
        store.replace_rows(
            con, "core.demo", frame(region, value), "region = ?", [region], partition=region
        )

    store.commit(lambda con: replace(con, "Africa", 0), message="first")
    # Two regions in flight at once, committed one after the other: no conflict.
    with store.connect() as a, store.connect() as b:
        a.execute("BEGIN TRANSACTION")
        b.execute("BEGIN TRANSACTION")
        replace(a, "Africa", 1)
        replace(b, "Europe", 1)
        a.execute("COMMIT")
        b.execute("COMMIT")
    # The same region twice at once: the second commit conflicts and is run again.
    attempts = []

    def racing(con) -> None:
        attempts.append(1)
        replace(con, "Africa", 3)
        if len(attempts) == 1:  # another writer lands Africa while this one is in flight
            store.commit(lambda other: replace(other, "Africa", 2), message="other")

    with store.connect() as con:
        lakehouse.commit(con, racing, message="racing", retries=2)
        rows = con.execute(
            "SELECT region, value, count(*) FROM core.demo GROUP BY ALL ORDER BY 1"
        ).fetchall()
    assert len(attempts) == 2
    assert rows == [("Africa", 3, 3), ("Europe", 1, 3)]
