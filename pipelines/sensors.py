"""Sensors: re-pull a region when its sources change, publish after ingest, alert on failure.

* ``source_changes`` fingerprints every region's sources on each tick and requests an
  ``ingest_region`` run only for regions whose fingerprint moved since the last tick (the cursor
  holds the fingerprints as JSON). A source that cannot be reached is logged and its region
  skipped, keeping its old fingerprint, so it is looked at again next tick.
* ``publish_after_ingest`` requests a ``publish`` run when an ingest run succeeds, so every
  nightly or sensor-triggered ingest ends in a published snapshot.
* ``alert_on_failure`` turns any failed run into an alert (see :mod:`pipelines.alerts`).
"""

import hashlib
import json
import os

import dagster as dg

from drugtrends.errors import ConfigError, SourceError
from drugtrends.raw.landing import auth_headers  # the same credential rule as the download
from drugtrends.raw.sources import Source, load_sources
from drugtrends.reference import REGIONS
from pipelines.alerts import first_line, raise_alert, redact
from pipelines.jobs import ingest_job, publish_job
from pipelines.resources import DrugTrendsSettings

# A tick must finish well inside the daemon's sensor time-out, whatever the sources' servers do.
PROBE_TIMEOUT_SECONDS = 10.0
SOURCE_CHECK_INTERVAL_SECONDS = 300


class ProbeError(Exception):
    """A source's fingerprint could not be taken this tick."""


def fingerprint(source: Source, *, timeout: float = PROBE_TIMEOUT_SECONDS) -> str:
    """What identifies the current content of ``source``; it changes when the content may have.

    Local files: size, modification time and SHA-256 (so ``touch`` forces a re-pull and a copy
    that kept the old mtime is still noticed). HTTP: the server's ETag or Last-Modified from a
    HEAD request; without either, the SHA-256 of a full GET.
    """
    if not source.is_remote:
        try:
            stat = os.stat(source.location)
            return f"file:{stat.st_size}:{stat.st_mtime_ns}:{_sha256_file(source.location)}"
        except OSError as exc:
            raise ProbeError(f"{source.name}: {exc.strerror or type(exc).__name__}") from None
    import httpx  # slow to import: only when a remote source or webhook is used

    try:
        headers = auth_headers(source)
    except SourceError as exc:
        raise ProbeError(str(exc)) from None
    try:
        with httpx.Client(headers=headers, timeout=timeout, follow_redirects=True) as client:
            head = client.head(source.location)
            if head.status_code < 400:
                if etag := head.headers.get("etag"):
                    return f"etag:{etag}"
                if modified := head.headers.get("last-modified"):
                    return f"last-modified:{modified}:{head.headers.get('content-length', '')}"
            elif head.status_code >= 500:
                raise ProbeError(f"{source.name}: HTTP {head.status_code} on HEAD")
            # No validators, or HEAD refused (405, some signed URLs): hash the body instead.
            resp = client.get(source.location)
            if resp.status_code >= 400:
                raise ProbeError(f"{source.name}: HTTP {resp.status_code}")
            return f"sha256:{hashlib.sha256(resp.content).hexdigest()}"
    except httpx.HTTPError as exc:
        raise ProbeError(f"{source.name}: network error ({type(exc).__name__})") from None


def _sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _source_key(source: Source) -> str:
    """A cursor key per source that never stores a credential from the URL."""
    if not source.is_remote or ("?" not in source.location and "@" not in source.location):
        return f"{source.dataset}:{source.location}"
    hidden = hashlib.sha256(source.location.encode()).hexdigest()[:12]
    return f"{source.dataset}:{redact(source.location)}#{hidden}"


def region_fingerprints(sources: list[Source], log) -> dict[str, dict[str, str] | None]:
    """Per region with sources: {source key: fingerprint}, or None when a source failed."""
    probed: dict[str, str | None] = {}  # an 'all' source is probed once, not once per region
    result: dict[str, dict[str, str] | None] = {}
    for region in REGIONS:
        mine = [s for s in sources if s.region in (region, "all")]
        if not mine:
            continue
        prints: dict[str, str] = {}
        unreachable = False
        for source in mine:
            key = _source_key(source)
            if key not in probed:
                try:
                    probed[key] = fingerprint(source)
                except ProbeError as err:
                    log.warning(f"source check skipped for {region}: {redact(str(err))}")
                    probed[key] = None
            value = probed[key]
            if value is None:
                unreachable = True
                break
            prints[key] = value
        result[region] = None if unreachable else prints
    return result


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=SOURCE_CHECK_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Requests an ingest run for each region whose sources changed "
    "(files: size, mtime, SHA-256; HTTP: ETag / Last-Modified, else SHA-256).",
)
def source_changes(
    context: dg.SensorEvaluationContext, drugtrends: DrugTrendsSettings
) -> dg.SensorResult | dg.SkipReason:
    settings = drugtrends.get()
    try:
        sources = load_sources(settings.sources_file, settings.allowed_roots())
    except ConfigError as err:
        return dg.SkipReason(f"sources file unusable: {err}")
    previous: dict[str, dict[str, str]] = json.loads(context.cursor) if context.cursor else {}
    current = dict(previous)
    requests = []
    for region, prints in region_fingerprints(sources, context.log).items():
        if prints is None or prints == previous.get(region):
            continue  # unreachable (keep the old fingerprint, try next tick) or unchanged
        current[region] = prints
        requests.append(
            dg.RunRequest(partition_key=region, tags={"drugtrends/trigger": "source_change"})
        )
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(current, sort_keys=True))


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=publish_job,
    minimum_interval_seconds=15,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Publishes a new snapshot after each successful ingest run.",
)
def publish_after_ingest(context: dg.RunStatusSensorContext):
    waiting = context.instance.get_run_records(
        dg.RunsFilter(
            job_name=publish_job.name,
            statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED],
        ),
        limit=1,
    )
    if waiting:
        # A publish that has not started yet will read this run's data: one is enough.
        return dg.SkipReason(f"publish run {waiting[0].dagster_run.run_id} is already queued")
    region = context.dagster_run.tags.get("dagster/partition")
    return dg.RunRequest(
        run_key=context.dagster_run.run_id,
        tags={
            "drugtrends/trigger": "ingest_success",
            "drugtrends/after_run": context.dagster_run.run_id,
            **({"drugtrends/after_region": region} if region else {}),
        },
    )


def failure_message(context: dg.RunFailureSensorContext) -> str:
    """The first step failure's own words (what a reader needs), else Dagster's run message."""
    for event in context.get_step_failure_events():
        data = event.step_failure_data
        user = getattr(data, "user_failure_data", None)
        if user is not None and user.description:
            return first_line(user.description)
        if data.error is not None:
            return first_line(data.error.message)
    return first_line(context.failure_event.message or "run failed")


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes a line to the alert log (and the webhook, when set) for every failed run.",
)
def alert_on_failure(context: dg.RunFailureSensorContext, drugtrends: DrugTrendsSettings) -> None:
    run = context.dagster_run
    raise_alert(
        drugtrends.get(),
        job=run.job_name,
        run_id=run.run_id,
        partition=run.tags.get("dagster/partition"),
        message=failure_message(context),
        logger=context.log,
    )
