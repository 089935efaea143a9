"""The real service: dagster-webserver and dagster-daemon as `make dagster` would run them, an
ingest run launched through the GraphQL API, and the daemon's sensor publishing after it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import wait_seconds
from tests.integration.test_annual_seizures import region_rows, regional_sources

ROOT = Path(__file__).resolve().parents[2]
# The commands of the environment running the tests (whichever venv that is), never a path
# guessed from the checkout.
BIN = Path(sys.executable).parent
REPOSITORY = "__repository__"

LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on InvalidSubsetError { message }
    ... on PipelineNotFoundError { message }
  }
}"""
RUN = """
query Run($runId: ID!) {
  runOrError(runId: $runId) { __typename ... on Run { status } }
}"""
RUNS = """
query Runs($filter: RunsFilter!) {
  runsOrError(filter: $filter) { ... on Runs { results { runId status tags { key value } } } }
}"""
LOCATIONS = """
{ workspaceOrError { ... on Workspace { locationEntries {
    name locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
SENSOR = """
query Sensor($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename ... on Sensor { sensorState { status ticks(limit: 1) { status } } }
  }
}"""
DAEMONS = """
{ instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, probe: Callable[[], Any], timeout: float, every: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if (value := probe()) is not None:
                return value
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


@dataclass
class Service:
    url: str
    location: str
    home: Path
    logs: Path

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        resp = httpx.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables}, timeout=30
        )
        resp.raise_for_status()
        body = resp.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def selector(self, **extra: str) -> dict[str, str]:
        return {"repositoryLocationName": self.location, "repositoryName": REPOSITORY, **extra}

    def runs(self, job: str) -> list[dict[str, Any]]:
        return self.gql(RUNS, filter={"pipelineName": job})["runsOrError"]["results"]

    def log_tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:]
            for p in sorted(self.logs.glob("*.log"))
        )


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # own process group: its code servers too


def _stop(proc: subprocess.Popen) -> None:
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # children (code servers) outliving the parent
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    shutil.copy(ROOT / "pipelines" / "dagster.yaml", dagster_home / "dagster.yaml")
    data = tmp_path / "sources"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRUGTRENDS_")}
    env.update(
        DAGSTER_HOME=str(dagster_home),
        DRUGTRENDS_HOME=str(tmp_path / "home"),
        DRUGTRENDS_SOURCES=str(regional_sources(data)),
        DRUGTRENDS_SCHEDULE_CRON="0 0 1 1 *",
    )  # no nightly tick during the test
    port = free_port()
    logs = tmp_path / "logs"
    logs.mkdir()
    workspace = ["-w", str(ROOT / "workspace.yaml")]
    # Create the instance's storage once: a webserver and a daemon starting together on a new
    # DAGSTER_HOME race to create it (alembic: "more than one head present").
    subprocess.run(
        [str(BIN / "dagster"), "instance", "migrate"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    procs = [
        _start(
            [str(BIN / "dagster-webserver"), *workspace, "-h", "127.0.0.1", "-p", str(port)],
            env,
            logs / "webserver.log",
        ),
        _start([str(BIN / "dagster-daemon"), "run", *workspace], env, logs / "daemon.log"),
    ]
    try:
        url = f"http://127.0.0.1:{port}"
        svc = Service(url, "", tmp_path / "home", logs)
        try:
            wait_for(
                "the webserver",
                lambda: httpx.get(f"{url}/server_info", timeout=5).raise_for_status().json(),
                timeout=wait_seconds(),  # a busy machine takes well over a minute
                every=0.5,
            )
            [entry] = svc.gql(LOCATIONS)["workspaceOrError"]["locationEntries"]
        except AssertionError:
            pytest.fail(svc.log_tail())
        assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
        svc.location = entry["name"]
        yield svc
    finally:
        for proc in procs:
            _stop(proc)


@pytest.mark.slow
@pytest.mark.timeout(900)  # a backstop above the waits below, which follow wait_seconds()
def test_a_run_launched_through_graphql_ingests_and_the_daemon_publishes(service: Service):
    # The publish sensor only reacts to runs that end after its first tick: wait for that tick.
    def sensor_ticked():
        state = service.gql(SENSOR, selector=service.selector(sensorName="publish_after_ingest"))
        state = state["sensorOrError"]["sensorState"]
        return state if state["status"] == "RUNNING" and state["ticks"] else None

    wait_for("the daemon's first publish_after_ingest tick", sensor_ticked, timeout=wait_seconds())

    launched = service.gql(
        LAUNCH,
        params={
            "selector": service.selector(jobName="ingest_region"),
            "runConfigData": {},
            "executionMetadata": {"tags": [{"key": "dagster/partition", "value": "Africa"}]},
        },
    )["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    def finished():
        status = service.gql(RUN, runId=run_id)["runOrError"]["status"]
        return status if status in ("SUCCESS", "FAILURE", "CANCELED") else None

    status = wait_for(f"ingest run {run_id}", finished, timeout=2 * wait_seconds())
    assert status == "SUCCESS", service.log_tail()

    # The daemon's sensor requested a publish for exactly this run.
    def publish_requested():
        runs = [
            r
            for r in service.runs("publish")
            if {"key": "dagster/run_key", "value": run_id} in r["tags"]
        ]
        return runs or None

    [publish] = wait_for("the publish run", publish_requested, timeout=wait_seconds())
    tags = {t["key"]: t["value"] for t in publish["tags"]}
    assert tags["drugtrends/after_region"] == "Africa"
    # (Not waited for: the publish run itself takes another ~20 s here; test_operations and
    # test_annual_seizures cover what it does.)

    # The warehouse holds Africa's rows (retry while a publish run holds DuckDB's write lock).
    import duckdb

    from drugtrends.warehouse import open_db

    def africa_rows():
        try:
            con = open_db(service.home / "warehouse" / "warehouse.duckdb", read_only=True)
        except duckdb.IOException:
            return None
        try:
            return dict(
                con.execute(
                    "SELECT region, count(*) FROM core.annual_seizures GROUP BY region"
                ).fetchall()
            )
        finally:
            con.close()

    assert wait_for("the warehouse", africa_rows, timeout=30, every=0.5) == {
        "Africa": len(region_rows("Africa"))
    }

    daemons = service.gql(DAEMONS)["instance"]["daemonHealth"]["allDaemonStatuses"]
    health = {d["daemonType"]: d["healthy"] for d in daemons if d["required"]}
    assert health.get("SENSOR") and health.get("QUEUED_RUN_COORDINATOR"), health


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_make_dagster_serves_without_a_supersession_warning(tmp_path: Path):
    from tests.integration.test_cli import make

    env = {k: v for k, v in os.environ.items() if not k.startswith("DRUGTRENDS_")}
    env.update(DRUGTRENDS_HOME=str(tmp_path / "home"), DAGSTER_HOME=str(tmp_path / "dagster"))
    env.update(DRUGTRENDS_SCHEDULE_CRON="0 0 1 1 *")  # no nightly tick during the test
    port = free_port()
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            make("dagster", DAGSTER_HOST="127.0.0.1", DAGSTER_PORT=str(port)),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        # dagster dev starts a webserver, a daemon and code servers: slower than one server.
        wait_for(
            "the webserver started by `make dagster`",
            lambda: (
                httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=5)
                .raise_for_status()
                .json()
            ),
            timeout=2 * wait_seconds(),
        )
    except AssertionError:
        pytest.fail(f"{out.read_text()}\n{err.read_text()}")
    finally:
        _stop(proc)
    assert f"Dagster on http://127.0.0.1:{port}" in out.read_text()
    stderr_text = err.read_text()
    assert "SupersessionWarning" not in stderr_text and "superseded" not in stderr_text, stderr_text
