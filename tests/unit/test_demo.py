"""Tests of the synthetic demo-data generator (the top-level ``demo`` package)."""

from __future__ import annotations

import collections
import csv
import hashlib
import json
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

import demo

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "unodc"
CASE_UNITS = {"Kilogram", "Gram", "Tablet", "Litre", "Unit", "Piece", "Millilitre"}
KNOWN_ISO3 = {c.iso3 for countries in demo.ANNUAL_COUNTRIES.values() for c in countries}


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------


def read_submission(base: Path, entry: dict) -> tuple[list[str], list[dict[str, object]]]:
    """Header and data rows of one submission, read as a pipeline would from sources.yaml."""
    path = base / entry["location"]
    if entry["format"] == "json":
        records = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(records, list) and records
        header = list(records[0])
        assert all(list(r) == header for r in records), f"{path.name}: records differ in keys"
        return header, records
    if entry["format"] == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter=entry["delimiter"])
            header, *body = list(reader)
        assert all(len(r) == len(header) for r in body), f"{path.name}: ragged rows"
        return header, [dict(zip(header, r, strict=True)) for r in body]
    if entry["format"] == "xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        sheet = workbook[entry["sheet"]]
        header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
        workbook.close()
        return header, [dict(zip(header, r, strict=True)) for r in body]
    raise AssertionError(f"unexpected format {entry['format']}")


def as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def contract_violations(row: dict[str, object]) -> list[str]:
    """A minimal stand-in for the annual data contract, one entry per broken rule."""
    broken = []
    kilograms = as_number(row["Kilograms"])
    if kilograms is None or math.isnan(kilograms):
        broken.append("kilograms_not_numeric")
    elif kilograms < 0:
        broken.append("kilograms_negative")
    year = as_number(row["Year"])
    if year is None or not 1990 <= year <= 2100:
        broken.append("year_out_of_range")
    if row["msCode"] not in KNOWN_ISO3:
        broken.append("unknown_mscode")
    if row["Drug group"] in (None, ""):
        broken.append("missing_drug_group")
    return broken


def annual_entries(sources: dict) -> list[dict]:
    return [e for e in sources["sources"] if e["dataset"] == "annual_seizures"]


def individual_entries(sources: dict) -> list[dict]:
    return [e for e in sources["sources"] if e["dataset"] == "individual_seizures"]


# ------------------------------------------------------------------------------------------------
# fixtures
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("demo_a")
    sources = demo.generate(dest)
    assert sources == dest / demo.SOURCES_FILE
    return dest


@pytest.fixture(scope="module")
def sources(generated: Path) -> dict:
    return yaml.safe_load((generated / demo.SOURCES_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def annual(generated: Path, sources: dict) -> dict[str, tuple[list[str], list[dict]]]:
    return {e["location"]: read_submission(generated, e) for e in annual_entries(sources)}


@pytest.fixture(scope="module")
def annual_clean(annual: dict) -> list[dict]:
    """All annual rows without the deliberately bad ones, with typed Year and Kilograms."""
    bad = {(b.file, b.row) for b in demo.BAD_ROWS}
    rows = []
    for file, (_, records) in annual.items():
        for number, row in enumerate(records, start=1):
            if (file, number) not in bad:
                rows.append(
                    {**row, "Year": int(row["Year"]), "Kilograms": as_number(row["Kilograms"])}
                )
    return rows


@pytest.fixture(scope="module")
def individual(generated: Path, sources: dict) -> dict[str, tuple[list[str], list[dict]]]:
    return {e["location"]: read_submission(generated, e) for e in individual_entries(sources)}


# ------------------------------------------------------------------------------------------------
# determinism
# ------------------------------------------------------------------------------------------------


def test_generation_is_byte_for_byte_deterministic(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "demo_b"
    demo.generate(again)
    names = sorted(p.name for p in generated.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (generated / name).read_bytes() == (again / name).read_bytes(), name


#: SHA-256 of the default submissions as the generator wrote them before its tables moved out of
#: the code into demo/data/ (recorded from the old drugtrends/demo.py). The workbook is pinned by
#: its members (name and uncompressed bytes): its ZIP bytes also depend on the zlib build.
#: A deliberate change to the demo data changes these; update them in the same commit.
#: The price and population files came later and are pinned as first written.
SUBMISSION_SHA256 = {
    "annual_africa.json": "3e1d5416f1a84cc58098a3e7130aab209c530a653c62d52b959b5573ec062098",
    "annual_americas.csv": "b3f7d752ea55e48c44cc7cb66d9e0eb756f712d3952331322993102abfbec95a",
    "annual_asia.csv": "f31d67ab7ed0ea0e24d8400b6f90868966bb2f256eb1fa0f099e5cb8fd87fb26",
    "annual_europe.xlsx": "044ae9c0addd146440721e942a373822d21ec55ed87afc928298d763ed83f9c5",
    "annual_oceania.json": "4257d57c1adce52c9fb081097cd4ad32b760be81a4c73b78139ade1189f41c7e",
    "individual_africa.csv": "f5453ace5acac14286ac8227a19b9a48c3f21a598877a9e6852e1d7c2253cfa4",
    "individual_americas.csv": "2787dee0756194bf004d4256cc48cb414f8a1fee2550fb2fe1771aea91ad32ee",
    "individual_asia.csv": "6f619bd391547add89ca8db0eb7fe36071f27538168856725a900f6619136fe4",
    "individual_europe.json": "e19df0cd59ae99af08f574a74e2c3784ce27ae0b17b49942ff3e7e3fe37e31ea",
    "individual_oceania.csv": "22ccb1a39262f770150fb6eab81c09fe7ba84c1796ba86fd01b633c46f740a5b",
    # Added with the synthetic prices and population (the seizure files above are unchanged).
    "prices_all.json": "9f4187952abecbac8ab4cba54ce59990892b8afe01df7efbaf3d6f0bb3a3f1a1",
    "population_all.json": "7e57cdc2bcf12707a159cf82dc8cc74bc2ab93cf157d588325e98bf456f5a195",
}


def submission_digest(path: Path) -> str:
    if path.suffix != ".xlsx":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            digest.update(name.encode() + b"\0" + archive.read(name))
    return digest.hexdigest()


def test_submissions_are_the_ones_recorded(generated: Path, sources: dict) -> None:
    assert {e["location"] for e in sources["sources"]} == set(SUBMISSION_SHA256)
    for name, expected in SUBMISSION_SHA256.items():
        assert submission_digest(generated / name) == expected, name


def test_other_seed_gives_other_data_same_bad_rows(tmp_path: Path) -> None:
    dest = tmp_path / "seed7"
    demo.generate(dest, seed=7)
    default = demo.generate_annual_rows("Africa")
    other = json.loads((dest / "annual_africa.json").read_text(encoding="utf-8"))
    assert other != default
    for bad in demo.BAD_ROWS:
        if bad.file == "annual_africa.json":
            assert contract_violations(other[bad.row - 1]) == [bad.rule]


def test_xlsx_has_fixed_properties_and_zip_timestamps(generated: Path) -> None:
    path = generated / "annual_europe.xlsx"
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {demo.ZIP_TIMESTAMP}
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [demo.XLSX_SHEET]
    assert workbook.properties.created == demo.XLSX_TIMESTAMP
    assert workbook.properties.modified == demo.XLSX_TIMESTAMP


# ------------------------------------------------------------------------------------------------
# sources.yaml
# ------------------------------------------------------------------------------------------------


def test_sources_yaml_points_to_existing_files(generated: Path, sources: dict) -> None:
    assert list(sources) == ["synthetic", "sources"]
    assert sources["synthetic"] is True
    assert sources["sources"] == demo.source_entries()
    files_on_disk = {p.name for p in generated.iterdir()} - {demo.SOURCES_FILE, "README.md"}
    assert {e["location"] for e in sources["sources"]} == files_on_disk
    for entry in sources["sources"]:
        assert (generated / entry["location"]).is_file()
        assert entry["location"].endswith("." + entry["format"])
        expected = {"dataset", "region", "location", "format"}
        if entry["format"] == "csv":
            assert entry["delimiter"] in {",", ";"}
            expected.add("delimiter")
        if entry["format"] == "xlsx":
            assert entry["sheet"] == "Seizures"
            expected.add("sheet")
        assert set(entry) == expected


def test_every_region_has_a_submission_per_dataset(sources: dict) -> None:
    pairs = collections.Counter((e["dataset"], e["region"]) for e in sources["sources"])
    for dataset in ("annual_seizures", "individual_seizures"):
        for region in demo.REGIONS:
            assert pairs[(dataset, region)] == 1, (dataset, region)
    # prices and population are one file each, their rows placed by country
    assert pairs[("drug_prices", "all")] == pairs[("population", "all")] == 1


def test_formats_are_mixed_as_specified(sources: dict) -> None:
    annual = {e["region"]: e for e in annual_entries(sources)}
    assert annual["Africa"]["format"] == annual["Oceania"]["format"] == "json"
    assert (annual["Americas"]["format"], annual["Americas"]["delimiter"]) == ("csv", ",")
    assert (annual["Asia"]["format"], annual["Asia"]["delimiter"]) == ("csv", ";")
    assert annual["Europe"]["format"] == "xlsx"
    individual = {e["region"]: e for e in individual_entries(sources)}
    assert individual["Europe"]["format"] == "json"
    for region in ("Africa", "Americas", "Asia", "Oceania"):
        assert (individual[region]["format"], individual[region]["delimiter"]) == ("csv", ";")


# ------------------------------------------------------------------------------------------------
# annual files
# ------------------------------------------------------------------------------------------------


def test_annual_files_use_exactly_the_dataunodc_fields(annual: dict) -> None:
    for file, (header, _) in annual.items():
        assert tuple(header) == demo.ANNUAL_FIELDS, file
    assert demo.ANNUAL_FIELDS == (
        "Region",
        "SubRegion",
        "Country/Territory",
        "msCode",
        "Drug group",
        "DrugSubGroup",
        "Drug",
        "Year",
        "Kilograms",
    )


def test_bad_rows_are_exactly_where_bad_rows_says(annual: dict) -> None:
    found = set()
    for file, (_, rows) in annual.items():
        for number, row in enumerate(rows, start=1):
            for rule in contract_violations(row):
                found.add((file, number, rule))
    assert found == {(b.file, b.row, b.rule) for b in demo.BAD_ROWS}


def test_bad_rows_are_few_spread_and_documented(generated: Path, annual: dict) -> None:
    total = sum(len(rows) for _, rows in annual.values())
    assert len(demo.BAD_ROWS) / total < 0.01
    assert {b.file for b in demo.BAD_ROWS} == set(annual)
    assert set(demo.BAD_ROW_RULES) == {b.rule for b in demo.BAD_ROWS}
    assert all(b.reason for b in demo.BAD_ROWS)
    readme = (generated / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme.lower()
    for bad in demo.BAD_ROWS:
        assert f"| `{bad.file}` | {bad.row} | `{bad.rule}` |" in readme


def test_missing_drug_group_is_null_in_json_and_empty_in_csv(annual: dict) -> None:
    for bad in demo.BAD_ROWS:
        if bad.rule == "missing_drug_group":
            value = annual[bad.file][1][bad.row - 1]["Drug group"]
            assert value == ("" if bad.file.endswith(".csv") else None)


def test_file_rows_match_generate_annual_rows(annual: dict) -> None:
    for region in demo.REGIONS:
        spec = demo.ANNUAL_FILES[region]
        expected = demo.generate_annual_rows(region)
        _, rows = annual[spec.location]
        assert len(rows) == len(expected)
        clean = demo.generate_annual_rows(region, include_bad_rows=False)
        assert len(clean) == len(expected) - sum(b.file == spec.location for b in demo.BAD_ROWS)
        if spec.format == "json":
            assert rows == expected


def test_clean_rows_are_regional_and_consistent(annual: dict) -> None:
    for region in demo.REGIONS:
        countries = {c.iso3: c for c in demo.ANNUAL_COUNTRIES[region]}
        assert 6 <= len(countries) <= 12
        for row in demo.generate_annual_rows(region, include_bad_rows=False):
            country = countries[row["msCode"]]
            assert row["Region"] == region
            assert (row["SubRegion"], row["Country/Territory"]) == (country.subregion, country.name)
            assert (row["Drug group"], row["DrugSubGroup"], row["Drug"]) in set(
                demo.TAXONOMY.values()
            )
            assert row["Year"] in demo.DEFAULT_YEARS
            assert row["Kilograms"] >= 0


def test_total_rows_exist_alongside_and_instead_of_components(annual_clean: list[dict]) -> None:
    cocaine_total = demo.TAXONOMY["cocaine_total"].name
    components = {demo.TAXONOMY[k].name for k in demo.TOTALS["cocaine_total"]}
    by_key = collections.defaultdict(set)
    for row in annual_clean:
        if row["Drug group"] == "Cocaine and Derivatives":
            by_key[(row["msCode"], row["Year"])].add(row["Drug"])
    with_total = [drugs for drugs in by_key.values() if cocaine_total in drugs]
    assert any(drugs & components for drugs in with_total), "no total alongside components"
    assert any(not drugs & components for drugs in with_total), "no total instead of components"

    subgroups = {row["DrugSubGroup"] for row in annual_clean}
    assert 'Reported total ATS (excluding "ecstasy")' in subgroups
    assert 'Reported total "ecstasy"-type substances' in subgroups
    drugs = {(row["DrugSubGroup"], row["Drug"]) for row in annual_clean}
    assert ("Coca-type", "Coca leaf") in drugs
    assert any(sub == "“Ecstasy”-type substances" and d.startswith("Total") for sub, d in drugs), (
        "no ecstasy total filed under the component subgroup"
    )


def test_totals_alongside_components_are_at_least_their_sum() -> None:
    for region in demo.REGIONS:
        rows = demo.generate_annual_rows(region, include_bad_rows=False)
        sums = collections.defaultdict(float)
        for row in rows:
            sums[(row["msCode"], row["Year"], row["Drug"])] += row["Kilograms"]
        for country in demo.ANNUAL_COUNTRIES[region]:
            for total_key in country.totals:
                for year in demo.DEFAULT_YEARS:
                    total = sums.get((country.iso3, year, demo.TAXONOMY[total_key].name))
                    if total is None:
                        continue
                    parts = sum(
                        sums.get((country.iso3, year, demo.TAXONOMY[k].name), 0.0)
                        for k in demo.TOTALS[total_key]
                    )
                    assert parts * 0.999 - 0.01 <= total <= parts * 1.13 + 0.01


def test_annual_traits_duplicates_zeros_and_trends(annual_clean: list[dict]) -> None:
    keys = collections.Counter((r["msCode"], r["Drug"], r["Year"]) for r in annual_clean)
    assert sum(n > 1 for n in keys.values()) >= 20, "too few duplicated keys"
    zeros = sum(r["Kilograms"] == 0 for r in annual_clean)
    assert 0.05 < zeros / len(annual_clean) < 0.3
    series = collections.defaultdict(dict)
    for r in annual_clean:
        if r["Kilograms"] > 0:
            key = (r["msCode"], r["Drug"])
            series[key][r["Year"]] = series[key].get(r["Year"], 0) + r["Kilograms"]
    slopes = []
    for values in series.values():
        if min(values, default=0) == 2017 and max(values) == 2022:
            slopes.append(math.log(values[2022] / values[2017]))
    assert sum(s > 0.5 for s in slopes) >= 10 and sum(s < -0.5 for s in slopes) >= 5


def test_short_year_ranges_work_and_too_short_ones_fail(tmp_path: Path) -> None:
    demo.generate(tmp_path / "three", years=range(2020, 2023))
    _, rows = read_submission(
        tmp_path / "three", {"location": "annual_oceania.json", "format": "json"}
    )
    bad = {b.row for b in demo.BAD_ROWS if b.file == "annual_oceania.json"}
    years = {r["Year"] for n, r in enumerate(rows, start=1) if n not in bad}
    assert years == {2020, 2021, 2022}
    with pytest.raises(ValueError, match="too few"):
        demo.generate(tmp_path / "one", years=range(2022, 2023))


# ------------------------------------------------------------------------------------------------
# individual (case-level) files
# ------------------------------------------------------------------------------------------------


def test_individual_files_use_the_case_level_layout(generated: Path, individual: dict) -> None:
    for file, (header, _) in individual.items():
        assert tuple(header) == demo.INDIVIDUAL_FIELDS, file
    first_line = (generated / "individual_asia.csv").read_text(encoding="utf-8").split("\n")[0]
    assert first_line == ";".join(demo.INDIVIDUAL_FIELDS)
    total = sum(len(rows) for _, rows in individual.values())
    assert 2_000 <= total <= 6_000


def test_individual_rows_are_realistic(individual: dict) -> None:
    rows = [r for _, records in individual.values() for r in records]
    units = {r["DRUG_UNIT"] for r in rows}
    assert units == CASE_UNITS
    for region in demo.REGIONS:
        countries = {c.name: c.subregion for c in demo.CASE_COUNTRIES[region]}
        for row in (r for r in rows if r["REGION"] == region):
            assert countries[row["COUNTRY"]] == row["SUBREGION"]
    assert all(float(r["AMOUNT"]) > 0 for r in rows)
    years = {str(r["SEIZURE_DATE"])[:4] for r in rows}
    assert years == {str(y) for y in demo.DEFAULT_YEARS}
    route = [
        r[f]
        for r in rows
        for f in ("PRODUCING_COUNTRY", "DEPARTURE_COUNTRY", "DESTINATION_COUNTRY")
    ]
    assert "Unknown" in route and ("" in route or None in route)
    countries = {r["COUNTRY"] for r in rows} | set(route)
    for old_name in (
        "Bolivia, Plurinational State of",
        "Iran, Islamic Republic of",
        "Venezuela, Bolivarian Republic of",
        "Czech Republic",
    ):
        assert old_name in countries
    transports = {r["TRANSPORT"] for r in rows}
    assert {"Commercial air", "Commercial sea", "Private road"} <= transports
    routings = {r["ROUTING"] for r in rows}
    assert {
        "National territory/domestic seizure",
        "Border - inbound",
        "Border - outbound",
    } <= routings


def test_cocaine_routes_run_from_the_andes_to_europe(individual: dict) -> None:
    _, rows = individual["individual_europe.json"]
    routed = [
        r
        for r in rows
        if r["DRUG_NAME"] == "Cocaine"
        and r["PRODUCING_COUNTRY"] in {"Colombia", "Peru", "Bolivia, Plurinational State of"}
        and r["DEPARTURE_COUNTRY"] in {"Ecuador", "Brazil"}
        and r["COUNTRY"] in {"Spain", "Netherlands", "Belgium"}
    ]
    assert routed


def test_individual_files_contain_exact_duplicates(individual: dict) -> None:
    for file, (_, rows) in individual.items():
        counts = collections.Counter(tuple(r.values()) for r in rows)
        assert sum(n - 1 for n in counts.values()) >= 3, file


def test_individual_europe_json_uses_null_for_empty(individual: dict) -> None:
    _, rows = individual["individual_europe.json"]
    assert all(r[f] != "" for r in rows for f in demo.INDIVIDUAL_FIELDS)
    assert any(r["ROUTING"] is None for r in rows)
    assert all(isinstance(r["AMOUNT"], float) for r in rows)


def test_flows_only_seize_in_their_own_region() -> None:
    for region, flows in demo.FLOWS.items():
        names = {c.name for c in demo.CASE_COUNTRIES[region]}
        for flow in flows:
            assert set(flow.seizing) <= names, (region, flow.name)
            for _, amounts in flow.drugs:
                assert {a.unit for a in amounts} <= CASE_UNITS


# ------------------------------------------------------------------------------------------------
# CLI
# ------------------------------------------------------------------------------------------------


def test_main_writes_the_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main([str(tmp_path / "cli"), "--years", "2019-2022", "--seed", "3"]) == 0
    printed = capsys.readouterr().out.strip()
    assert Path(printed) == tmp_path / "cli" / "sources.yaml"
    assert "years 2019-2022" in Path(printed).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# realism against the real public files (skipped when ../shared/data is absent)
# ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared UNODC data not available")
def test_names_and_codes_match_the_real_annual_data() -> None:
    real = json.loads((SHARED_DATA / "drug_seizures_2018_2021.json").read_text(encoding="utf-8"))
    taxonomy = {(r["Drug group"], r["DrugSubGroup"], r["Drug"]) for r in real}
    for key, drug in demo.TAXONOMY.items():
        assert tuple(drug) in taxonomy, key
    real_countries = {
        r["msCode"]: (r["Region"], r["SubRegion"], r["Country/Territory"]) for r in real
    }
    matched = 0
    for region, countries in demo.ANNUAL_COUNTRIES.items():
        for country in countries:
            if country.iso3 in real_countries:
                assert real_countries[country.iso3] == (region, country.subregion, country.name)
                matched += 1
    assert matched >= 40


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared UNODC data not available")
def test_case_level_vocabulary_matches_the_real_file() -> None:
    with (SHARED_DATA / "individual_seizures_2011_2013.csv").open(encoding="utf-8") as handle:
        real = list(csv.DictReader(handle, delimiter=";"))
    vocab = {
        f: {r[f] for r in real}
        for f in ("DRUG_UNIT", "TRANSPORT", "ROUTING", "HIDING_PLACE", "INSTALLATION", "DRUG_NAME")
    }
    for region in demo.REGIONS:
        for row in demo.generate_individual_rows(region, range(2017, 2020)):
            for field, values in vocab.items():
                assert row[field] in values, (field, row[field])


# ------------------------------------------------------------------------------------------------
# prices and population
# ------------------------------------------------------------------------------------------------


def whole_file(generated: Path, sources: dict, dataset: str) -> tuple[list[str], list[dict]]:
    (entry,) = [e for e in sources["sources"] if e["dataset"] == dataset]
    return read_submission(generated, entry)


def test_prices_use_the_dataunodc_price_layout(generated: Path, sources: dict) -> None:
    from drugtrends.contracts import load_contract

    header, rows = whole_file(generated, sources, "drug_prices")
    assert tuple(header) == demo.PRICE_FIELDS
    aliases = {a for c in load_contract("drug_prices").columns for a in (c.name, *c.aliases)}
    assert set(header) <= aliases
    countries = {c.name: c for cs in demo.ANNUAL_COUNTRIES.values() for c in cs}
    for r in rows:
        assert r["Country/Territory"] in countries, r
        assert r["SubRegion"] == countries[r["Country/Territory"]].subregion
        assert r["LevelOfSale"] in {"Retail", "Wholesale"}
        assert 0 < r["Minimum_USD"] <= r["Typical_USD"] <= r["Maximum_USD"]
        assert r["Year"] in demo.DEFAULT_YEARS
    assert {r["Unit"] for r in rows} >= {"g", "kg", "tablet"}
    keys = {(r["Country/Territory"], r["Drug"], r["LevelOfSale"], r["Unit"]) for r in rows}
    assert len(rows) < len(keys) * len(demo.DEFAULT_YEARS), "some years have no price"


def test_every_priced_drug_names_a_series_the_country_seizes(
    generated: Path, sources: dict
) -> None:
    from drugtrends import reference

    _, rows = whole_file(generated, sources, "drug_prices")
    mapped = {
        (r["drug_group"], r["drug"]): r["series"]
        for r in reference.load("price_series").iter_rows(named=True)
    }
    series = {(r["Drug group"], r["Drug"]) for r in rows}
    assert series <= set(mapped), series - set(mapped)
    assert {mapped[k] for k in series} >= {"Cocaine", "Cannabis herb", "Heroin", "Methamphetamine"}


def test_population_uses_the_dataunodc_layout_as_text(generated: Path, sources: dict) -> None:
    header, rows = whole_file(generated, sources, "population")
    assert tuple(header) == demo.POPULATION_FIELDS
    iso3 = {(r["ISO3"], r["Year"]) for r in rows}
    assert len(iso3) == len(rows) == len(KNOWN_ISO3) * len(demo.DEFAULT_YEARS)
    for r in rows:
        assert all(isinstance(r[f], str) for f in ("Year", "All", "Male", "Female"))
        assert float(r["Male"]) + float(r["Female"]) == pytest.approx(float(r["All"]), abs=0.002)
