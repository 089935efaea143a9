"""The contract's row rules on inline frames: typing, the rule each bad row breaks and its
message, severities, and contract loading errors (no pipeline run)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from drugtrends.contracts import Column, Contract, load_contract
from drugtrends.core.rules import apply_contract
from drugtrends.errors import ConfigError

CONTRACT = Contract(
    id="t",
    version="1",
    columns=(
        Column("code", "string", required=True, pattern=r"^[A-Z]{3}$", severity="blocking"),
        Column("kind", "string", allowed=("a", "b")),
        Column("n", "integer", min=0, max=10),
        Column("kg", "number", min=0),
        Column("day", "date", max=date(2030, 1, 1)),
        Column("ok", "boolean"),
    ),
)


def row(**values: str | None) -> dict[str, str | None]:
    base = {"code": "KEN", "kind": "a", "n": "1", "kg": "2.5", "day": "2020-01-31", "ok": "yes"}
    return {**base, **values}


def frame(*rows: dict[str, str | None]) -> pl.DataFrame:
    """Raw rows as the readers give them: every value text (or null)."""
    return pl.DataFrame(list(rows), schema=dict.fromkeys(row(), pl.String))


def flagged(*rows: dict[str, str | None]) -> list[tuple[str | None, str | None]]:
    """(first rule broken, message) per input row, in input order."""
    out = apply_contract(frame(*rows).with_row_index("i"), CONTRACT).sort("i")
    return list(zip(out["_rule"].to_list(), out["_message"].to_list(), strict=True))


def test_a_clean_row_is_typed_and_unflagged():
    out = apply_contract(frame(row()), CONTRACT)
    assert out.select("code", "kind", "n", "kg", "day", "ok", "_rule").row(0) == (
        "KEN",
        "a",
        1,
        2.5,
        date(2020, 1, 31),
        True,
        None,
    )
    assert out["_raw_kg"].to_list() == ["2.5"]  # the text as received is kept


def test_each_rule_flags_its_row_with_a_message_naming_the_value():
    assert flagged(
        row(n="1.5"),
        row(kg="12,5"),
        row(day="31/01/2020"),
        row(code=None),
        row(code="n/a"),
        row(code="Kenya"),
        row(kind="c"),
        row(n="11"),
        row(kg="-1"),
        row(day="2031-01-01"),
        row(code="=A1"),
    ) == [
        ("n.type", "n '1.5' is not a valid integer"),
        ("kg.type", "kg '12,5' is not a valid number"),
        ("day.type", "day '31/01/2020' is not a valid date"),
        ("code.required", "code is required but empty"),
        ("code.required", "code is required but empty"),
        ("code.pattern", "code 'Kenya' does not match ^[A-Z]{3}$"),
        ("kind.allowed", "kind 'c' is not in the allowed values"),
        ("n.range", "n '11' is outside [0, 10]"),
        ("kg.range", "kg '-1' is outside [0, ...]"),
        ("day.range", "day '2031-01-01' is outside [..., 2030-01-01]"),
        (
            "code.formula",
            "code '=A1' is a spreadsheet formula with no saved value; "
            "code '=A1' does not match ^[A-Z]{3}$",
        ),
    ]


def test_a_row_breaking_several_rules_names_the_first_and_lists_all():
    ((rule, message),) = flagged(row(code="x", n="-3"))
    assert rule == "code.pattern"
    assert message == "code 'x' does not match ^[A-Z]{3}$; n '-3' is outside [0, 10]"


def test_grouped_thousands_parse_and_ambiguous_commas_do_not():
    out = apply_contract(
        frame(row(kg="1 234 567.5"), row(kg="1,234,567"), row(kg="1,234")), CONTRACT
    )
    assert out.sort("_rule", nulls_last=False)["kg"].to_list() == [1234567.5, 1234567.0, None]


def test_missing_optional_values_are_null_not_flagged():
    out = apply_contract(frame(row(kind="-", n="", kg="..", day=None, ok=None)), CONTRACT)
    assert out.select("kind", "n", "kg", "day", "_rule").row(0) == (None, None, None, None, None)


def test_clean_rows_come_first_then_the_rejected():
    out = apply_contract(frame(row(kind="z"), row(), row(n="x")), CONTRACT)
    assert out["_rule"].to_list() == [None, "kind.allowed", "n.type"]


def test_only_rules_on_blocking_columns_block():
    counts = {"code.pattern": 2, "code.required": 1, "kind.allowed": 5, "n.range": 1}
    assert CONTRACT.blocking_rules(counts) == {"code.pattern": 2, "code.required": 1}
    assert CONTRACT.blocking_rules({}) == {}


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_malformed_contract_is_named_with_its_problem(tmp_path):
    with pytest.raises(ConfigError, match="no data contract for dataset 'nope'"):
        load_contract("nope", tmp_path)
    bad_type = "id: t\nversion: 1\ncolumns:\n  - {name: a, type: text}\n"
    with pytest.raises(ConfigError, match=r"t.yaml: unknown type for column\(s\) a"):
        load_contract("t", write(tmp_path, bad_type))
    bad_severity = "id: t\nversion: 1\ncolumns:\n  - {name: a, severity: fatal}\n"
    with pytest.raises(ConfigError, match="severity must be row or blocking: a"):
        load_contract("t", write(tmp_path, bad_severity))
    with pytest.raises(ConfigError, match="t.yaml: malformed contract"):
        load_contract("t", write(tmp_path, "id: t\nversion: 1\n"))


def test_the_shipped_contracts_compile_to_rules():
    contract = load_contract("annual_seizures")
    out = apply_contract(
        pl.DataFrame({c: ["x"] for c in contract.column_names}).with_columns(
            pl.lit(None, pl.String).alias("_extra")
        ),
        contract,
    )
    assert out.height == 1 and out["_rule"].item() is not None


def test_a_subgroup_under_a_group_it_does_not_belong_to_is_quarantined():
    """Given a group and a subgroup each on their reference list but not listed together, the
    row is quarantined as ``drug_subgroup.within``, never counted under that group."""
    annual = load_contract("annual_seizures")
    base = {
        "region": "Europe",
        "subregion": "Western and Central Europe",
        "country_name": "Spain",
        "country_iso3": "ESP",
        "drug": "Heroin",
        "year": "2021",
        "kg": "5",
    }
    given = [
        ("Opioids and Opiates", "Opiates"),  # listed together: clean
        ("Cocaine and Derivatives", "Opiates"),  # each listed, the pair is not
        ("cocaine and derivatives", "opiates"),  # look-alikes respelled, then the same pair
        ("Cocaine and Derivatives", "Heroin"),  # a drug, not a subgroup: the list rule
        ("Cocaine and Derivatives", "Cocaine"),
    ]
    raw = pl.DataFrame(
        [base | {"drug_group": g, "drug_subgroup": s} for g, s in given],
        schema=dict.fromkeys([c.name for c in annual.columns], pl.String),
    ).with_row_index("i")
    out = apply_contract(raw, annual).sort("i")
    assert out["_rule"].to_list() == [
        None,
        "drug_subgroup.within",
        "drug_subgroup.within",
        "drug_subgroup.allowed",
        None,
    ]
    assert out["_message"][1] == (
        "drug_subgroup 'Opiates' is not listed under drug_group 'Cocaine and Derivatives' in "
        "the drug_subgroups reference list (it is listed under 'Opioids and Opiates'): the "
        "pair is quarantined, not aggregated"
    )


def test_within_needs_a_reference_list_and_a_column(tmp_path):
    contract = Contract(
        id="t", version="1", columns=(Column("sub", "string", allowed=("a",), within="group"),)
    )
    with pytest.raises(ConfigError, match="'within: group' needs an allowed_reference"):
        apply_contract(pl.DataFrame({"sub": ["a"]}), contract)
