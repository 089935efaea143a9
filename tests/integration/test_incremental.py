"""Incremental nights: a region whose inputs did not change is not re-read, and says why."""

from __future__ import annotations

import pytest

from demo import generate

pytestmark = pytest.mark.slow  # runs Dagster


def _statuses(pipeline) -> dict[tuple[str, str], tuple[str, str]]:
    rows = pipeline.query(
        "SELECT dataset, region, status, message FROM meta.partition_runs "
        "QUALIFY row_number() OVER (PARTITION BY dataset, region ORDER BY finished_at DESC) = 1",
        db=pipeline.warehouse,
    )
    # Datasets the demo has no source for are skipped for that reason every night.
    return {(d, r): (s, m) for d, r, s, m in rows if m != "no source configured"}


def _totals(pipeline) -> list[tuple]:
    return pipeline.query(
        "SELECT (SELECT count(*) FROM core.individual_seizures), "
        "(SELECT count(*) FROM core.annual_seizures), "
        "(SELECT sum(seizures) FROM marts.route_flows), (SELECT sum(kg) FROM marts.seizure_trends), "
        "(SELECT count(*) FROM quarantine.rows)"
    )


def test_an_unchanged_night_skips_every_region_and_publishes_the_same_figures(pipeline, tmp_path):
    pipeline.use_sources(generate(tmp_path / "demo"))
    code, _ = pipeline()
    assert code == 0
    before = _totals(pipeline)

    code, out = pipeline()
    assert code == 0, out
    statuses = _statuses(pipeline)
    assert {s for s, _ in statuses.values()} == {"skipped"}
    assert all(m.startswith("unchanged since run") for _, m in statuses.values())
    assert "unchanged since run" in out and "published" in out
    assert _totals(pipeline) == before


def test_only_the_region_whose_file_changed_is_read_again(pipeline, tmp_path):
    sources = generate(tmp_path / "demo")
    pipeline.use_sources(sources)
    assert pipeline()[0] == 0
    oceania = tmp_path / "demo" / "individual_oceania.csv"
    lines = oceania.read_text(encoding="utf-8").splitlines(keepends=True)
    oceania.write_text("".join(lines[:-1]), encoding="utf-8")  # one seizure fewer

    code, out = pipeline()
    assert code == 0, out
    statuses = _statuses(pipeline)
    assert statuses[("individual_seizures", "Oceania")][0] == "success"
    others = {k: v for k, v in statuses.items() if k != ("individual_seizures", "Oceania")}
    assert {s for s, _ in others.values()} == {"skipped"}
    raw = pipeline.query(
        "SELECT count(*) FROM core.individual_seizures WHERE region = 'Oceania'",
        db=pipeline.warehouse,
    )[0][0]
    assert (
        raw
        == pipeline.query(
            "SELECT clean_rows FROM meta.partition_runs WHERE dataset = 'individual_seizures' "
            "AND region = 'Oceania' ORDER BY finished_at DESC LIMIT 1",
            db=pipeline.warehouse,
        )[0][0]
    )
