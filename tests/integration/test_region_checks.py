"""Each region's blocking checks are that region's own: a region that ran earlier and failed
still shows failed after another region passes (Dagster partitioned asset checks)."""

from __future__ import annotations

import dagster as dg
import pytest

from tests.conftest import annual_row, write_json, write_sources

COCA = "Cocaine and Derivatives"


def rows(region: str, country: str, iso3: str, kgs: list[object]) -> list[dict[str, object]]:
    return [
        annual_row(country, iso3, region, "", COCA, "Cocaine", "Cocaine", 2018 + i, kg)
        for i, kg in enumerate(kgs)
    ]


def latest_by_region(instance: dg.DagsterInstance, asset: str, check: str) -> dict:
    """The latest evaluation of ``check`` per partition, read back from the instance."""
    key = dg.AssetCheckKey(dg.AssetKey(asset), check)
    history = instance.event_log_storage.get_asset_check_execution_history(key, limit=50)
    latest: dict = {}
    for record in history:  # newest first
        latest.setdefault(record.partition, record.status.value)
    return latest


@pytest.mark.slow
def test_a_failed_region_keeps_its_failed_check_after_another_region_passes(pipeline, tmp_path):
    from pipelines.cli import run_pipeline

    africa = rows("Africa", "Kenya", "KEN", [-5, -7, 3])  # 2 of 3 rows quarantined: over 50 %
    europe = rows("Europe", "Spain", "ESP", [10, 12, 14])
    pipeline.use_sources(
        write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "dataset": "annual_seizures",
                    "region": region,
                    "format": "json",
                    "location": write_json(tmp_path / f"{region}.json", data).name,
                }
                for region, data in (("Africa", africa), ("Europe", europe))
            ],
        )
    )
    instance = dg.DagsterInstance.ephemeral()
    assert run_pipeline(["Africa", "Europe"], publish=False, instance=instance) == 1  # Europe last

    share = latest_by_region(instance, "annual_seizures", "quarantine_share")
    assert share == {"Africa": "FAILED", "Europe": "SUCCEEDED"}
    assert latest_by_region(instance, "annual_seizures", "reconciliation") == {
        "Africa": "SUCCEEDED",
        "Europe": "SUCCEEDED",
    }
    # The warehouse's own record agrees with what Dagster shows.
    assert pipeline.query(
        "SELECT region, passed FROM meta.check_results WHERE check_name = 'quarantine_share' "
        "ORDER BY region",
        db=pipeline.warehouse,
    ) == [("Africa", False), ("Europe", True)]
