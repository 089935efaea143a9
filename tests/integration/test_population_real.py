"""Population aged 15-64 from the real file: every row kept, and per-capita rates computed on it
agree with a hand computation from the two files."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared_file, write_sources


@pytest.mark.slow
def test_the_real_population_file_gives_rates_per_million_aged_15_64(pipeline, tmp_path):
    annual = shared_file("drug_seizures_2018_2021.json")
    people = shared_file("population_2018_2022.json")
    records = json.loads(people.read_text(encoding="utf-8"))
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            {
                "dataset": "annual_seizures",
                "region": "all",
                "format": "json",
                "location": str(annual),
            },
            {"dataset": "population", "region": "all", "format": "json", "location": str(people)},
        ],
    )
    pipeline.use_sources(sources)
    code, out = pipeline()
    assert code == 0, out
    clean = pipeline.query("SELECT count(*) FROM core.population")[0][0]
    quarantined = pipeline.query(
        "SELECT count(*) FROM quarantine.rows WHERE dataset = 'population'"
    )[0][0]
    assert clean + quarantined == len(records)
    assert clean >= 0.95 * len(records), f"{quarantined} of {len(records)} rows quarantined"

    # Spain, 2021: kg of each series over the file's 15-64 population (thousands) / 1000.
    (spain,) = [r for r in records if r["ISO3"] == "ESP" and int(r["Year"]) == 2021]
    per_million = float(spain["All"]) * 1000 / 1e6
    rows = pipeline.query(
        "SELECT p.series, p.kg, p.kg_per_million_aged_15_64, p.rate_label "
        "FROM marts.seizures_per_capita AS p WHERE p.level = 'country' AND p.area = 'ESP' "
        "AND p.year = 2021"
    )
    assert rows, "no per-capita rows for Spain 2021"
    for series, kg, rate, label in rows:
        assert rate == pytest.approx(kg / per_million), series
        assert label == "kg per million people aged 15-64"
    # The same kg as the series mart (the rate divides it; it never re-aggregates).
    cocaine = pipeline.query(
        "SELECT kg FROM marts.trend_series WHERE level = 'country' AND area = 'ESP' "
        "AND series = 'Cocaine' AND year = 2021"
    )[0][0]
    assert dict((s, kg) for s, kg, _, _ in rows)["Cocaine"] == pytest.approx(cocaine)
