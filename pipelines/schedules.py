"""Schedules: the nightly ingest of every region, and the hourly freshness checks.

A schedule's cron must be known when definitions load, so :func:`nightly_ingest` takes it as
arguments and ``pipelines/definitions.py`` reads it from the settings there: the only setting read
at load time (``DRUGTRENDS_SCHEDULE_CRON``, ``DRUGTRENDS_SCHEDULE_TIMEZONE``). Changing it needs a
code-location reload in the Dagster UI or a restart.
"""

from __future__ import annotations

import dagster as dg

from assets.partitions import regions
from pipelines.jobs import ingest_job

FRESHNESS_CRON = "17 * * * *"


def nightly_ingest(cron: str, timezone: str) -> dg.ScheduleDefinition:
    """One ``ingest_region`` run per region (a broken region fails alone); the
    ``publish_after_ingest`` sensor then publishes."""

    @dg.schedule(
        name="nightly_ingest",
        job=ingest_job,
        cron_schedule=cron,
        execution_timezone=timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Pulls every region's sources; each success triggers a publish.",
    )
    def schedule(context: dg.ScheduleEvaluationContext):
        day = context.scheduled_execution_time.strftime("%Y-%m-%d")
        for region in regions.get_partition_keys():
            yield dg.RunRequest(
                run_key=f"nightly:{day}:{region}",
                partition_key=region,
                tags={"drugtrends/trigger": "nightly"},
            )

    return schedule


def freshness_job(checks: list[dg.AssetChecksDefinition]) -> dg.UnresolvedAssetJobDefinition:
    return dg.define_asset_job(
        "check_freshness",
        selection=dg.AssetSelection.checks(*checks),
        description="Marks regions whose data is older than "
        "stale_after_hours (reads run history only).",
    )


def freshness_schedule(job: dg.UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="hourly_freshness",
        job=job,
        cron_schedule=FRESHNESS_CRON,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
