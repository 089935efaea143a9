"""Two real snapshots in a row (the earlier edition, then the 2018-2021 file): the source-row
changes agree with an independent diff of the two files."""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict

import pytest

from drugtrends import reference
from tests.conftest import shared_file, write_sources

OLDER = "drug_seizures_1970_2020_kg_equivalent.csv"
NEWER = "drug_seizures_2018_2021.json"


def iso3_codes() -> set[str]:
    import country_converter as coco

    return set(coco.CountryConverter().data["ISO3"].dropna().astype(str))


def older_rows() -> dict[tuple, float]:
    """The earlier edition read with csv, names mapped through the reference table as data."""
    names = {
        (r["source_drug_group"].lower(), r["source_drug"].lower()): (
            r["drug_group"],
            r["drug_subgroup"],
        )
        for r in reference.load("annual_edition_names").iter_rows(named=True)
    }
    codes = iso3_codes()
    out: dict[tuple, float] = defaultdict(float)
    with shared_file(OLDER).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            mapped = names.get((row["Drug Group"].lower(), row["Drug"].lower()))
            kg = row["KG Equivalent"]
            if mapped is None or kg == "NULL" or row["ISO Code"] not in codes or float(kg) < 0:
                continue
            group, subgroup = mapped
            out[(row["ISO Code"], group, subgroup, row["Drug"], int(row["Year"]))] += float(kg)
    return out


def newer_rows() -> dict[tuple, float]:
    out: dict[tuple, float] = defaultdict(float)
    for r in json.loads(shared_file(NEWER).read_text(encoding="utf-8")):
        key = (r["msCode"], r["Drug group"], r["DrugSubGroup"], r["Drug"], int(r["Year"]))
        out[key] += float(r["Kilograms"])
    return out


@pytest.mark.slow
def test_older_then_newer_edition_changes_agree_with_an_independent_diff(pipeline, tmp_path):
    tolerance = float(
        reference.load("trend_thresholds").filter(name="revision_tolerance")["value"][0]
    )
    old, new = older_rows(), newer_rows()
    years = [k[4] for k in new]
    first, last = min(years), max(years)
    expected = {}
    for key in old.keys() | new.keys():
        if key not in old:
            expected[key] = ("new_country_year", None, new[key])
        elif key not in new:
            if first <= key[4] <= last:
                expected[key] = ("removed", old[key], None)
        elif abs(new[key] - old[key]) > tolerance:
            expected[key] = ("revised", old[key], new[key])

    for name, fmt in [(OLDER, "csv"), (NEWER, "json")]:
        sources = write_sources(
            tmp_path / "sources.yaml",
            [
                {
                    "dataset": "annual_seizures",
                    "region": "all",
                    "format": fmt,
                    "location": str(shared_file(name)),
                }
            ],
        )
        pipeline.use_sources(sources)
        code, out = pipeline()
        assert code == 0, out
        if name == OLDER:
            older_edition_gives_the_world_drug_reports_methamphetamine(pipeline, old, new)
    got = {}
    for kind, area, detail, series, year, old_v, new_v, old_f, new_f in pipeline.query(
        "SELECT kind, area, detail, series, year, old_value, new_value, old_source_files, "
        "new_source_files FROM marts.snapshot_changes WHERE grain = 'source_row'"
    ):
        group, drug = detail.split(" / ", 1)
        got[(area, group, series, drug, year)] = (kind, old_v, new_v)
        if kind == "revised":
            assert old_f == [OLDER] and new_f == [NEWER]
    assert got.keys() == expected.keys()
    for key, (kind, old_v, new_v) in expected.items():
        g = got[key]
        assert g[0] == kind, key
        for a, b in ((g[1], old_v), (g[2], new_v)):
            assert (a is None and b is None) or math.isclose(a, b, rel_tol=1e-9), key
    meth = [k for k, v in expected.items() if v[0] == "revised" and k[3] == "Methamphetamine"]
    assert any(k[4] == 2019 for k in meth), "methamphetamine 2019 differs between editions"


def older_edition_gives_the_world_drug_reports_methamphetamine(pipeline, old, new) -> None:
    """The 2018 methamphetamine series is 233 t on the 2018-2021 file but 228 t in the World
    Drug Report: on the earlier edition (the one of the report's time) the pipeline gives the
    report's figure, within 1%. That edition has no 2018 row for Bangladesh at all; the newer
    file adds its 4.8 t of "yaba" tablets as a new country-year."""
    ((kg,),) = pipeline.query(
        "SELECT kg FROM marts.seizure_series WHERE level = 'global' "
        "AND series_id = 'methamphetamine' AND year = 2018"
    )
    plain = sum(v for k, v in old.items() if k[4] == 2018 and k[2] == "Methamphetamine")
    assert kg == pytest.approx(plain, rel=1e-9)
    assert kg / 1000 == pytest.approx(228, rel=0.01)
    assert not any(k[0] == "BGD" and k[4] == 2018 for k in old)
    assert [k[3] for k in new if k[0] == "BGD" and k[4] == 2018 and k[2] == "Methamphetamine"] == [
        "“Yaba”"
    ]
