"""Seizure series on the real UNODC files (tests/conftest.py real_home): figures checked against plain-Python computations over the same files."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import shared_file

# ------------------------------------------------------------------ the real 2018-2021 data


def plain_annual(path) -> list[dict]:
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def plain_global(records: list[dict], year: int, keep) -> float:
    """Global kg of the records ``keep`` selects, with the total-row rule applied per country
    and subgroup, computed in plain Python (no SQL, no pipeline code)."""
    totals: dict[tuple[str, str], float] = {}
    parts: dict[tuple[str, str], float] = {}
    for r in records:
        if r["Year"] != year or not keep(r):
            continue
        key = (r["msCode"], r["DrugSubGroup"])
        is_total = r["Drug"].startswith("Total") or "(total of the above" in r["Drug"]
        bucket = totals if is_total else parts
        bucket[key] = bucket.get(key, 0.0) + float(r["Kilograms"])
    keys = set(totals) | set(parts)
    return sum(totals[k] if k in totals else parts[k] for k in keys)


def mart_global(home, series_id: str, year: int) -> float:
    con = duckdb.connect(str(home / "published" / "current.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT kg FROM marts.seizure_series WHERE level = 'global' AND series_id = ? "
            "AND year = ?",
            [series_id, year],
        ).fetchone()[0]
    finally:
        con.close()


def in_subgroup(subgroup: str):
    return lambda r: r["DrugSubGroup"] == subgroup


def is_drug(drug: str):
    return lambda r: r["DrugSubGroup"] == "Opiates" and r["Drug"] == drug


REAL_CASES = [
    # series, year, World Drug Report figure (t), tolerance, plain-Python selection
    ("cocaine", 2020, 1424, 0.01, in_subgroup("Cocaine")),
    ("cocaine", 2021, 2026, 0.01, in_subgroup("Cocaine")),
    ("opium", 2018, 704, 0.02, is_drug("Opium")),
    ("heroin", 2018, 97, 0.02, is_drug("Heroin")),
    ("morphine", 2018, 43, 0.02, is_drug("Illicit morphine")),
]


@pytest.mark.slow
@pytest.mark.parametrize(("series_id", "year", "wdr_t", "tolerance", "keep"), REAL_CASES)
def test_real_series_match_the_world_drug_report(
    real_home, series_id, year, wdr_t, tolerance, keep
):
    records = plain_annual(shared_file("drug_seizures_2018_2021.json"))
    got = mart_global(real_home, series_id, year)
    assert got == pytest.approx(plain_global(records, year, keep), rel=1e-9)
    print(
        f"{series_id} {year}: {got / 1000:,.1f} t vs WDR {wdr_t} t ({got / 1000 / wdr_t - 1:+.2%})"
    )
    assert got / 1000 == pytest.approx(wdr_t, rel=tolerance)


@pytest.mark.slow
def test_real_methamphetamine_2018_and_why_it_is_above_228_t(real_home):
    """The methamphetamine series counts every form, "yaba" tablets included (they are
    methamphetamine). On the 2018 data that is 233 t, 2.4% above the World Drug Report's 228 t;
    the gap is Bangladesh's yaba (4.8 t) and small revisions. The report was made from an
    earlier edition that has no 2018 row for Bangladesh: on that edition the same series gives
    227.7 t, within 1% of 228 t (tests/integration/test_editions.py). Not a rule difference: a
    later report reached the newer file."""
    records = plain_annual(shared_file("drug_seizures_2018_2021.json"))
    got = mart_global(real_home, "methamphetamine", 2018)
    assert got == pytest.approx(plain_global(records, 2018, in_subgroup("Methamphetamine")))
    yaba_bgd = sum(
        float(r["Kilograms"])
        for r in records
        if r["Year"] == 2018 and r["msCode"] == "BGD" and "Yaba" in r["Drug"]
    )
    print(f"methamphetamine 2018: {got / 1000:,.1f} t vs WDR 228 t ({got / 228_000 - 1:+.2%})")
    assert got / 1000 == pytest.approx(228, rel=0.03)
    assert (got - yaba_bgd) / 1000 == pytest.approx(228, rel=0.01)


@pytest.mark.slow
def test_real_cannabis_products_are_separate_and_precursors_stand_alone(real_home):
    records = plain_annual(shared_file("drug_seizures_2018_2021.json"))
    for series_id, subgroup in [
        ("cannabis_herb", "Cannabis herb (marijuana)"),
        ("cannabis_resin", "Cannabis resin (hashish)"),
        ("cannabis_plants", "Cannabis plants"),
    ]:
        expected = plain_global(records, 2021, in_subgroup(subgroup))
        assert mart_global(real_home, series_id, 2021) == pytest.approx(expected)
    con = duckdb.connect(str(real_home / "published" / "current.duckdb"), read_only=True)
    try:
        families = dict(
            con.execute(
                "SELECT series_id, any_value(family) FROM marts.seizure_series GROUP BY 1"
            ).fetchall()
        )
        # No row of a drug series comes from a precursor source row.
        precursor_rows = {
            f"{r[0]}#{r[1]}"
            for r in con.execute(
                "SELECT source_file, source_row FROM core.annual_seizures "
                "WHERE drug_subgroup IN ('Precursors', 'Non-specified precursors')"
            ).fetchall()
        }
        drug_provenance = {
            p
            for (ps,) in con.execute(
                "SELECT provenance FROM marts.seizure_series WHERE family = 'drug' "
                "AND level = 'country'"
            ).fetchall()
            for p in ps
        }
    finally:
        con.close()
    assert families["precursors"] == "precursor"
    assert families["cannabis_plants"] == "plant_material"
    assert precursor_rows and not precursor_rows & drug_provenance


@pytest.mark.slow
def test_real_small_base_changes_are_flagged_on_the_overview(real_home, monkeypatch):
    """Oceania's plant-based NPS went from 0.079 kg (2020) to 4.4 t (2021): the page must not
    show that percentage bare, in the series view or in the drug-group view (NPS +116,669%)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from dashboards import tables

    monkeypatch.setenv("DRUGTRENDS_HOME", str(real_home))
    app = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
    at = AppTest.from_file(app, default_timeout=60)
    at.query_params.update({"region": "Oceania", "series": "Plant-based NPS (khat, kratom)"})
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    row = table.to_dict("records")[0]
    assert row[tables.SERIES] == "Plant-based NPS (khat, kratom)" and row[tables.YEAR] == 2021
    assert row[tables.YOY] != row[tables.YOY]  # NaN: the percentage is not shown
    assert row[tables.LIKE_FOR_LIKE] != row[tables.LIKE_FOR_LIKE]  # nor like for like
    assert "small base" in row[tables.YOY_FLAG]
    assert any("small base" in c.value for c in at.caption)

    groups = AppTest.from_file(app, default_timeout=60)
    groups.query_params.update({"region": "Oceania", "view": "Drug groups", "drugs": "NPS"})
    groups.run()
    assert not groups.exception
    nps = groups.dataframe[0].value.to_dict("records")[0]
    assert nps[tables.GROUP] == "NPS" and nps[tables.YEAR] == 2021
    assert nps[tables.YOY] != nps[tables.YOY] and "small base" in nps[tables.YOY_FLAG]
