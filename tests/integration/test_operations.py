"""Nightly operations without a webserver: the schedule, the sensors against real files and real
HTTP servers, the alert log and webhook, and the per-region freshness checks."""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from drugtrends.reference import REGIONS
from drugtrends.settings import get_settings
from pipelines.alerts import raise_alert
from pipelines.resources import DrugTrendsSettings
from pipelines.schedules import nightly_ingest
from pipelines.sensors import alert_on_failure, publish_after_ingest, source_changes
from tests.conftest import annual_row, write_json, write_sources

SECRET = "SECRET"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("DRUGTRENDS_HOME", str(home))
    monkeypatch.delenv("DRUGTRENDS_ALERT_WEBHOOK", raising=False)
    monkeypatch.delenv("DRUGTRENDS_STALE_AFTER_HOURS", raising=False)
    return home


def rows(region: str, kg: float = 10.0) -> list[dict[str, object]]:
    return [
        annual_row(
            "Somewhere",
            "NGA",
            region,
            "",
            "Cocaine and Derivatives",
            "Cocaine",
            "Cocaine hydrochloride",
            2020,
            kg,
        )
    ]


def use_sources(tmp: Path, monkeypatch: pytest.MonkeyPatch, entries: list[dict]) -> None:
    monkeypatch.setenv("DRUGTRENDS_SOURCES", str(write_sources(tmp / "sources.yaml", entries)))


def local_entry(tmp: Path, region: str) -> dict[str, object]:
    path = write_json(tmp / f"{region.lower()}.json", rows(region))
    return {"dataset": "annual_seizures", "region": region, "format": "json", "location": path.name}


class Sensor:
    """Ticks ``source_changes`` like the daemon does: the cursor carries over between ticks."""

    def __init__(self) -> None:
        self.cursor: str | None = None

    def tick(self) -> list[str]:
        context = dg.build_sensor_context(
            cursor=self.cursor, resources={"drugtrends": DrugTrendsSettings()}
        )
        result = source_changes(context)
        assert isinstance(result, dg.SensorResult), result
        self.cursor = result.cursor
        return sorted(r.partition_key for r in result.run_requests or [])


# --- schedule -------------------------------------------------------------------------------


def test_nightly_schedule_requests_one_ingest_run_per_region():
    schedule = nightly_ingest("30 1 * * *", "Europe/Vienna")
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2025, 3, 4, 0, 30, tzinfo=UTC)
    )
    requests = list(schedule(context))
    assert [r.partition_key for r in requests] == list(REGIONS)
    assert [r.run_key for r in requests] == [f"nightly:2025-03-04:{r}" for r in REGIONS]
    assert schedule.cron_schedule == "30 1 * * *"
    assert schedule.execution_timezone == "Europe/Vienna"
    assert schedule.job_name == "ingest_region"


def test_definitions_wire_the_schedules_sensors_and_checks():
    from pipelines.definitions import defs

    repo = defs.get_repository_def()
    assert repo.get_schedule_def("nightly_ingest").cron_schedule == get_settings().schedule_cron
    assert {s.name for s in repo.sensor_defs} == {
        "source_changes",
        "publish_after_ingest",
        "alert_on_failure",
    }
    assert {k.name for k in repo.asset_graph.asset_check_keys} >= {
        f"fresh_{r.lower()}" for r in REGIONS
    }


# --- source-change sensor: local files ------------------------------------------------------


def test_source_sensor_requests_only_regions_whose_files_changed(home, tmp_path, monkeypatch):
    use_sources(tmp_path, monkeypatch, [local_entry(tmp_path, r) for r in REGIONS[:4]])
    sensor = Sensor()
    assert sensor.tick() == list(REGIONS[:4])  # first tick: every region with a source
    assert sensor.tick() == []  # nothing changed: nothing re-pulled

    africa = tmp_path / "africa.json"
    os.utime(africa, ns=(time.time_ns(), africa.stat().st_mtime_ns + 5_000_000_000))
    assert sensor.tick() == ["Africa"]  # touched: re-pull on demand

    asia = tmp_path / "asia.json"
    before = asia.stat()
    write_json(asia, rows("Asia", kg=20.0))  # same size, different content ...
    os.utime(asia, ns=(before.st_atime_ns, before.st_mtime_ns))  # ... and the old mtime
    assert asia.stat().st_size == before.st_size
    assert sensor.tick() == ["Asia"]  # caught by the SHA-256
    assert sensor.tick() == []


def test_a_shared_all_regions_file_changes_every_region(home, tmp_path, monkeypatch):
    everything = write_json(tmp_path / "all.json", rows("Africa") + rows("Europe"))
    use_sources(
        tmp_path,
        monkeypatch,
        [
            {
                "dataset": "annual_seizures",
                "region": "all",
                "format": "json",
                "location": "all.json",
            },
            # Another dataset's file for Asia (one region takes one source per dataset).
            {**local_entry(tmp_path, "Asia"), "dataset": "individual_seizures"},
        ],
    )
    sensor = Sensor()
    assert sensor.tick() == list(REGIONS)
    write_json(everything, rows("Africa", kg=99.0))
    assert sensor.tick() == list(REGIONS)
    write_json(tmp_path / "asia.json", rows("Asia", kg=99.0))
    assert sensor.tick() == ["Asia"]


def test_a_missing_file_skips_its_region_until_it_appears(home, tmp_path, monkeypatch):
    entries = [local_entry(tmp_path, "Africa"), local_entry(tmp_path, "Europe")]
    (tmp_path / "europe.json").unlink()
    use_sources(tmp_path, monkeypatch, entries)
    sensor = Sensor()
    assert sensor.tick() == ["Africa"]
    assert sensor.tick() == []
    write_json(tmp_path / "europe.json", rows("Europe"))
    assert sensor.tick() == ["Europe"]


# --- source-change sensor: HTTP -------------------------------------------------------------


class Served:
    """What the test server answers; the test changes it between ticks."""

    body = b"[]"
    etag: str | None = '"v1"'
    status = 200
    requests: list[tuple[str, str]] = []


class SourceHandler(http.server.BaseHTTPRequestHandler):
    def _answer(self, with_body: bool) -> None:
        Served.requests.append((self.command, self.path))
        if Served.status != 200:
            self.send_error(Served.status)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(Served.body)))
        if Served.etag:
            self.send_header("ETag", Served.etag)
        self.end_headers()
        if with_body:
            self.wfile.write(Served.body)

    def do_HEAD(self):  # noqa: N802 - http.server's naming
        self._answer(with_body=False)

    def do_GET(self):  # noqa: N802
        self._answer(with_body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_source(home, tmp_path, monkeypatch) -> Iterator[str]:
    Served.body, Served.etag, Served.status, Served.requests = b"[]", '"v1"', 200, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SourceHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/africa.json?token={SECRET}"
    use_sources(
        tmp_path,
        monkeypatch,
        [{"dataset": "annual_seizures", "region": "Africa", "format": "json", "location": url}],
    )
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_http_source_is_checked_with_its_etag(http_source):
    sensor = Sensor()
    assert sensor.tick() == ["Africa"]
    assert sensor.tick() == []
    assert {method for method, _ in Served.requests} == {"HEAD"}  # no body downloaded
    Served.etag = '"v2"'
    assert sensor.tick() == ["Africa"]
    assert SECRET not in (sensor.cursor or "")  # the cursor is stored in Dagster's database


def test_http_source_without_validators_is_hashed(http_source):
    Served.etag = None
    sensor = Sensor()
    assert sensor.tick() == ["Africa"]
    assert sensor.tick() == []
    Served.body = b'[{"Region": "Africa"}]'
    assert sensor.tick() == ["Africa"]
    assert ("GET", f"/africa.json?token={SECRET}") in Served.requests


def test_a_failing_server_skips_its_region_without_crashing_the_sensor(http_source):
    sensor = Sensor()
    assert sensor.tick() == ["Africa"]
    Served.status = 500
    assert sensor.tick() == []
    Served.status = 200
    assert sensor.tick() == []  # back, unchanged: the old fingerprint was kept
    Served.etag = '"v3"'
    assert sensor.tick() == ["Africa"]


def test_an_unreachable_server_skips_its_region(home, tmp_path, monkeypatch):
    use_sources(
        tmp_path,
        monkeypatch,
        [
            local_entry(tmp_path, "Asia"),
            {
                "dataset": "annual_seizures",
                "region": "Africa",
                "format": "json",
                "location": "http://127.0.0.1:9/africa.json",
            },
        ],
    )  # discard port: connection refused
    assert Sensor().tick() == ["Asia"]


# --- publish trigger ------------------------------------------------------------------------


@dg.op
def _succeeds() -> None:
    pass


@dg.job(tags={"dagster/partition": "Africa"})
def _ingest_stand_in():
    _succeeds()


def test_a_successful_ingest_requests_one_publish(home):
    instance = dg.DagsterInstance.ephemeral()
    result = _ingest_stand_in.execute_in_process(instance=instance)
    context = dg.build_run_status_sensor_context(
        sensor_name="publish_after_ingest",
        dagster_event=result.get_run_success_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
    )
    request = publish_after_ingest(context)
    assert isinstance(request, dg.RunRequest)
    assert request.run_key == result.run_id
    assert request.tags["drugtrends/after_region"] == "Africa"

    # While a publish waits to start it will pick this run's data up: no second publish.
    # (NOT_STARTED: a QUEUED run record would need a code-location origin.)
    instance.add_run(
        dg.DagsterRun(
            job_name="publish", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.NOT_STARTED
        )
    )
    assert isinstance(publish_after_ingest(context), dg.SkipReason)


# --- failure alerts -------------------------------------------------------------------------


class HookHandler(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(monkeypatch) -> Iterator[list[tuple[str, dict]]]:
    HookHandler.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HookHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(
        "DRUGTRENDS_ALERT_WEBHOOK",
        f"http://hook:{SECRET}@127.0.0.1:{server.server_port}/alert?token={SECRET}",
    )
    try:
        yield HookHandler.received
    finally:
        server.shutdown()
        server.server_close()


def alert_lines(home: Path) -> list[dict]:
    return [json.loads(line) for line in (home / "alerts.log").read_text().splitlines()]


def test_a_failed_ingest_run_is_logged_and_posted_without_credentials(
    home, tmp_path, monkeypatch, webhook, http_source
):
    from pipelines.definitions import defs

    Served.status = 404
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("ingest_region").execute_in_process(
        partition_key="Africa", instance=instance, raise_on_error=False
    )
    assert not result.success
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_failure",
        dagster_event=result.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"drugtrends": DrugTrendsSettings()},
    ).for_run_failure()
    alert_on_failure(context)

    [line] = alert_lines(home)
    assert line["job"] == "ingest_region" and line["partition"] == "Africa"
    assert line["run_id"] == result.run_id
    assert line["message"] == "africa.json: HTTP 404 Not Found"
    assert datetime.fromisoformat(line["time"]).tzinfo is not None
    assert SECRET not in (home / "alerts.log").read_text()
    [(path, body)] = webhook
    assert path == f"/alert?token={SECRET}"  # the webhook's own token is used, not logged
    assert {k: body[k] for k in line} == line
    assert body["text"] == (
        "drugtrends: ingest_region [Africa] failed: africa.json: HTTP 404 Not Found"
    )


def test_an_alert_masks_urls_and_tokens_and_survives_a_dead_webhook(home, monkeypatch, caplog):
    monkeypatch.setenv("DRUGTRENDS_ALERT_WEBHOOK", f"http://127.0.0.1:9/hook?token={SECRET}")

    record = raise_alert(
        get_settings(),
        job="publish",
        run_id="r1",
        partition=None,
        message=(
            f"\nGET https://user:{SECRET}@data.example.org/x.json?token={SECRET}&a=1 failed"
            f" (Authorization: Bearer {SECRET})\nTraceback ..."
        ),
    )
    assert record["message"] == (
        "GET https://data.example.org/x.json failed (Authorization: Bearer ***)"
    )
    assert alert_lines(home) == [record]
    assert SECRET not in (home / "alerts.log").read_text()
    assert "unreachable" in caplog.text and SECRET not in caplog.text


# --- freshness ------------------------------------------------------------------------------


def freshness(instance: dg.DagsterInstance) -> dict[str, bool]:
    from pipelines.definitions import defs

    result = defs.resolve_job_def("check_freshness").execute_in_process(instance=instance)
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def test_freshness_checks_mark_each_region_on_its_own_last_load(home, monkeypatch):
    instance = dg.DagsterInstance.ephemeral()
    instance.report_runless_asset_event(
        dg.AssetMaterialization("annual_seizures", partition="Africa")
    )
    instance.report_runless_asset_event(
        dg.AssetMaterialization(  # a region with no source
            "annual_seizures", partition="Asia", metadata={"skipped": "no source configured"}
        )
    )
    assert freshness(instance) == {
        "fresh_africa": True,
        "fresh_americas": False,
        "fresh_asia": False,
        "fresh_europe": False,
        "fresh_oceania": False,
    }
    monkeypatch.setenv("DRUGTRENDS_STALE_AFTER_HOURS", "0.0001")  # 0.36 s
    time.sleep(0.5)
    assert freshness(instance)["fresh_africa"] is False
