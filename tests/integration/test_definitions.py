"""The full Definitions load, and their asset graph matches the committed snapshot.

A change to the graph (an asset, a dependency, a check, a job, a schedule, a sensor) shows up
here as a diff to review. After an intended change, regenerate the snapshot and commit it:

    UPDATE_DEFINITIONS_SNAPSHOT=1 .venv/bin/python -m pytest tests/integration/test_definitions.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("definitions_snapshot.json")


def graph() -> dict[str, Any]:
    from pipelines.definitions import defs

    asset_graph = defs.resolve_asset_graph()
    repo = defs.get_repository_def()
    assets = {}
    for key in sorted(asset_graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = asset_graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "partitioned": node.partitions_def is not None,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
        }
    checks = {}
    for check in sorted(asset_graph.asset_check_keys, key=lambda k: k.to_user_string()):
        spec = asset_graph.get_check_spec(check)
        checks[check.to_user_string()] = {
            "blocking": spec.blocking,
            "partitioned": spec.partitions_def is not None,
        }
    return {
        "assets": assets,
        "checks": checks,
        "jobs": sorted(j.name for j in repo.get_all_jobs() if not j.name.startswith("__")),
        "schedules": {
            s.name: {"job": s.job_name, "default_status": s.default_status.value}
            for s in sorted(repo.schedule_defs, key=lambda s: s.name)
        },
        "sensors": {
            s.name: {"jobs": sorted(j.name for j in s.jobs) if s.has_jobs else []}
            for s in sorted(repo.sensor_defs, key=lambda s: s.name)
        },
    }


def test_the_asset_graph_matches_the_committed_snapshot():
    current = graph()
    if os.environ.get("UPDATE_DEFINITIONS_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current == committed, (
        "the asset graph changed; if intended, regenerate with "
        "UPDATE_DEFINITIONS_SNAPSHOT=1 (see this module's docstring)"
    )


def test_every_asset_check_has_a_description():
    from pipelines.definitions import defs

    asset_graph = defs.resolve_asset_graph()
    missing = [
        key.to_user_string()
        for key in asset_graph.asset_check_keys
        if not (asset_graph.get_check_spec(key).description or "").strip()
    ]
    assert missing == []


def test_the_blocking_checks_of_region_assets_are_per_region():
    from assets.partitions import regions
    from pipelines.definitions import defs

    asset_graph = defs.resolve_asset_graph()
    for key in asset_graph.asset_check_keys:
        spec = asset_graph.get_check_spec(key)
        if spec.blocking and asset_graph.get(key.asset_key).partitions_def is not None:
            assert spec.partitions_def == regions, key.to_user_string()
