"""The corrections registry on inline raw rows: each action, the guards, and loading errors."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from drugtrends.core.corrections import (
    APPLIED,
    Correction,
    Registry,
    apply_corrections,
    load_registry,
)
from drugtrends.errors import ConfigError, SourceError

RAW = pl.DataFrame(
    {
        "country_iso3": ["KEN", "KEN", "NGA"],
        "year": ["2020", "2021", "2020"],
        "kg": ["5000", "7", "3"],
        "_source_row": [1, 2, 3],
    }
)


def corr(action: str, **kw: object) -> Correction:
    fields: dict = {
        "id": "C1",
        "dataset": "annual_seizures",
        "region": "Africa",
        "match": {"country_iso3": "KEN", "year": "2020"},
        "action": action,
        "reason": "grams",
        "evidence": "letter",
    }
    return Correction(**{**fields, **kw})


def apply(*corrections: Correction, region: str = "Africa"):
    return apply_corrections(RAW, Registry("v1", corrections), "annual_seizures", region)


def test_scale_multiplies_only_the_matched_row_and_tags_it():
    kept, dropped, applied = apply(corr("scale", column="kg", factor=0.001, expect={"kg": "5000"}))
    assert kept["kg"].to_list() == ["5.0", "7", "3"]
    assert kept[APPLIED].to_list() == [["C1"], [], []]
    assert dropped is None
    assert applied == [{"id": "C1", "action": "scale", "rows": 1, "reason": "grams"}]


def test_override_sets_values_and_flag_only_tags():
    kept, _, _ = apply(corr("override", set={"year": "2019"}))
    assert kept["year"].to_list() == ["2019", "2021", "2020"]
    kept, _, applied = apply(corr("flag", id="F1"))
    assert kept["kg"].to_list() == RAW["kg"].to_list() and kept[APPLIED].to_list()[0] == ["F1"]
    assert applied[0]["action"] == "flag"


def test_drop_moves_the_row_to_quarantine_with_the_reason():
    kept, dropped, _ = apply(corr("drop"))
    assert kept["_source_row"].to_list() == [2, 3]
    assert dropped is not None
    assert dropped.select("_source_row", "_rule", "_message").rows() == [
        (1, "correction.C1", "dropped by correction C1: grams (letter)")
    ]


def test_other_regions_and_datasets_are_untouched():
    kept, dropped, applied = apply(corr("drop"), region="Europe")
    assert kept["kg"].to_list() == RAW["kg"].to_list() and dropped is None and applied == []


def test_guards_fail_loudly_when_the_source_was_fixed():
    with pytest.raises(SourceError, match=r"expected 1 row\(s\) matching .* found 0"):
        apply(corr("drop", match={"country_iso3": "GHA"}))
    with pytest.raises(SourceError, match=r"expected 2 row\(s\) matching .* found 1"):
        apply(corr("drop", expect_rows=2))
    with pytest.raises(SourceError, match=r"expected kg = '9' in row\(s\) 1, found \['5000'\]"):
        apply(corr("scale", column="kg", factor=2.0, expect={"kg": "9"}))


def test_a_match_on_an_unknown_column_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown column 'drug'"):
        apply(corr("flag", match={"drug": "x"}))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_registry_loads_and_rejects_malformed_entries(tmp_path):
    assert load_registry().corrections == ()  # the shipped registry is valid
    entry = (
        "  - {id: C9, dataset: d, region: Africa, match: {year: 2020}, action: %s,"
        " reason: r, evidence: e%s}\n"
    )
    loaded = load_registry(write(tmp_path, "version: 3\ncorrections:\n" + entry % ("flag", "")))
    assert loaded.version == "3" and loaded.corrections[0].match == {"year": "2020"}
    with pytest.raises(ConfigError, match="correction C9: action must be one of"):
        load_registry(write(tmp_path, "corrections:\n" + entry % ("fix", "")))
    with pytest.raises(ConfigError, match="correction C9: scale needs column and factor"):
        load_registry(write(tmp_path, "corrections:\n" + entry % ("scale", ", column: kg")))
    with pytest.raises(ConfigError, match="correction #1: malformed"):
        load_registry(write(tmp_path, "corrections:\n  - {id: C1}\n"))
