"""The sources file: what loads, and a clear message for each way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from drugtrends.errors import ConfigError
from drugtrends.raw.sources import Source, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_entries_load_with_defaults_and_locations_beside_the_file(tmp_path):
    path = write(
        tmp_path,
        "sources:\n"
        "  - {dataset: annual_seizures, region: all, location: data/a.json, format: JSON}\n"
        "  - {dataset: individual_seizures, region: Europe, format: csv, delimiter: ';',\n"
        "     location: 'https://example.org/e.csv?token=x', auth_env: EU_TOKEN}\n",
    )
    first, second = load_sources(path)
    assert first == Source(
        "annual_seizures", "all", str((tmp_path / "data" / "a.json").resolve()), "json"
    )
    assert (second.delimiter, second.auth_env, second.is_remote) == (";", "EU_TOKEN", True)
    assert second.name == "e.csv"  # no query string: credentials never reach messages
    assert first.feeds("annual_seizures", "Asia") and not second.feeds(
        "individual_seizures", "Asia"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: [", "not valid YAML"),
        ("- a\n", "expected a top-level 'sources:' list"),
        ("sources:\n  - just text\n", "line 2: expected a mapping"),
        ("sources:\n  - {dataset: d, region: Africa}\n", "line 2: missing location, format"),
        (
            "sources:\n  - {dataset: d, region: Mars, location: x, format: csv}\n",
            "line 2: unknown region 'Mars' (regions: Africa, Americas, Asia, Europe, Oceania or all)",
        ),
        (
            "sources:\n  - {dataset: d, region: Asia, location: x, format: xls}\n",
            "format 'xls' is not one of json, csv, xlsx",
        ),
    ],
)
def test_a_bad_sources_file_names_the_problem(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load_sources(write(tmp_path, text))
    assert str(caught.value).startswith(str(tmp_path / "sources.yaml"))
    assert message in str(caught.value)


def test_a_missing_sources_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="sources file not found"):
        load_sources(tmp_path / "nope.yaml")


def test_the_datasets_a_sources_file_feeds_are_the_contracts_without_a_published_table():
    import yaml

    from drugtrends.contracts import CONTRACTS_DIR
    from drugtrends.raw.sources import DATASETS

    fed = {
        p.stem
        for p in CONTRACTS_DIR.glob("*.yaml")
        if "table" not in yaml.safe_load(p.read_text(encoding="utf-8"))
    }
    assert set(DATASETS) == fed


def test_a_price_source_is_accepted(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - {dataset: drug_prices, region: all, format: json, location: p.json}\n",
        encoding="utf-8",
    )
    (source,) = load_sources(path)
    assert source.dataset == "drug_prices"
