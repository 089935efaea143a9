"""drug_prices: per-gram prices by hand on given rows; the real file loads with no row lost."""

from __future__ import annotations

import json

import polars as pl
import pytest

from drugtrends.core.datasets.drug_prices import transform
from tests.conftest import shared_file, write_sources


def given(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        orient="row",
        schema=[
            "country_name",
            "drug_group",
            "drug",
            "level_of_sale",
            "year",
            "typical_usd",
            "minimum_usd",
            "maximum_usd",
            "unit",
        ],
    )


def test_prices_per_gram_agree_with_a_hand_computation():
    out, _ = transform(
        given(
            [
                (
                    "Kazakhstan",
                    "Cannabis and Synthetic Cannabinoids",
                    "Marijuana (herb)",
                    "Retail",
                    2019,
                    10.44932079414838,
                    5.22466039707419,
                    15.67398119122257,
                    "10 g",
                ),
                (
                    "Kenya",
                    "Cannabis and Synthetic Cannabinoids",
                    "Cannabis herb (marijuana)",
                    "Wholesale",
                    2022,
                    255.290903985091,
                    None,
                    None,
                    "kg",
                ),
                (
                    "Spain",
                    "Cocaine and Derivatives",
                    "Cocaine hydrochloride",
                    "Wholesale",
                    2021,
                    34000.0,
                    30000.0,
                    36000.0,
                    "pound",
                ),
                (
                    "Spain",
                    "MDMA and Ecstasy-like Drugs",
                    "MDMA",
                    "Retail",
                    2021,
                    3000.0,
                    None,
                    None,
                    "1000 tablet",
                ),
            ]
        )
    )
    rows = out.to_dicts()
    # 10 g for 10.449 USD -> 1.0449 USD per gram (min 0.5225, max 1.5674)
    assert rows[0]["typical_usd_per_base_unit"] == pytest.approx(1.044932079414838)
    assert rows[0]["minimum_usd_per_base_unit"] == pytest.approx(0.522466039707419)
    assert rows[0]["maximum_usd_per_base_unit"] == pytest.approx(1.567398119122257)
    assert rows[0]["series"] == "Cannabis herb"  # the seizure series of the same name
    # 1 kg for 255.29 USD -> 0.25529 USD per gram; no range given, none invented
    assert rows[1]["typical_usd_per_base_unit"] == pytest.approx(0.255290903985091)
    assert rows[1]["minimum_usd_per_base_unit"] is None
    # an avoirdupois pound is 453.59237 g: 34,000 USD -> 74.957... USD per gram
    assert rows[2]["typical_usd_per_base_unit"] == pytest.approx(34000 / 453.59237)
    assert rows[2]["base_unit"] == "g" and rows[2]["country_iso3"] == "ESP"
    # counted units stay per tablet, never per gram
    assert (rows[3]["base_unit"], rows[3]["typical_usd_per_base_unit"]) == ("tablet", 3.0)


@pytest.mark.slow
def test_the_real_price_file_loads_with_no_row_lost(pipeline, tmp_path):
    path = shared_file("drug_prices_2018_2022.json")
    records = json.loads(path.read_text(encoding="utf-8"))
    no_unit = sum(1 for r in records if not str(r["Unit"]).strip())
    sources = write_sources(
        tmp_path / "sources.yaml",
        [{"dataset": "drug_prices", "region": "all", "format": "json", "location": str(path)}],
    )
    pipeline.use_sources(sources)
    code, out = pipeline()
    assert code == 0, out
    clean = pipeline.query("SELECT count(*) FROM core.drug_prices")[0][0]
    quarantined = pipeline.query(
        "SELECT count(*) FROM quarantine.rows WHERE dataset = 'drug_prices'"
    )[0][0]
    assert clean + quarantined == len(records)
    rules = dict(
        pipeline.query(
            "SELECT rule, count(*) FROM quarantine.rows WHERE dataset = 'drug_prices' GROUP BY 1"
        )
    )
    assert rules.get("unit.required") == no_unit
    # Kazakhstan, cannabis herb, retail 2019: 10.449 USD per 10 g
    got = pipeline.query(
        "SELECT typical_usd_per_gram FROM marts.price_trends WHERE country_iso3 = 'KAZ' "
        "AND series = 'Cannabis herb' AND level_of_sale = 'Retail' AND year = 2019"
    )
    expected = [
        r["Typical_USD"] / 10
        for r in records
        if r["Country/Territory"] == "Kazakhstan"
        and r["Drug"] in ("Marijuana (herb)", "Cannabis herb (marijuana)")
        and r["LevelOfSale"] == "Retail"
        and r["Year"] == 2019
        and r["Unit"] == "10 g"
    ]
    assert len(expected) == 1 and got[0][0] == pytest.approx(expected[0])
