"""Contracts and tables stay in step; every published table has a contract and passes it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from drugtrends import dictionary
from drugtrends.contracts import PROVENANCE_COLUMNS, contract_ids, load_contract
from drugtrends.errors import ConfigError

DUCKDB_TYPES = {
    "string": {"VARCHAR"},
    "integer": {"BIGINT", "INTEGER", "HUGEINT"},
    "number": {"DOUBLE"},
    "date": {"DATE"},
    "boolean": {"BOOLEAN"},
    "list": {"VARCHAR[]"},
    "timestamp": {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP"},
    "json": {"JSON"},
}


def table_in_snapshot(home: Path, table: str) -> bool:
    con = duckdb.connect(str(home / "published" / "current.duckdb"), read_only=True)
    try:
        schema, name = table.split(".")
        return bool(
            con.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = ? AND table_name = ?",
                [schema, name],
            ).fetchone()[0]
        )
    finally:
        con.close()


def published_columns(home: Path, table: str) -> dict[str, str]:
    con = duckdb.connect(str(home / "published" / "current.duckdb"), read_only=True)
    try:
        return {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("contract_id", contract_ids())
def test_each_contract_matches_its_published_table(published_home, contract_id):
    contract = load_contract(contract_id)
    if not table_in_snapshot(published_home, contract.table):
        pytest.skip(f"the demo data has no source for {contract.table}")
    columns = published_columns(published_home, contract.table)
    expected = [c.name for c in (*contract.columns, *contract.derived)]
    if contract.table.startswith("core."):
        expected += list(PROVENANCE_COLUMNS)
    assert sorted(columns) == sorted(expected), f"{contract.table} and its contract differ"
    for col in (*contract.columns, *contract.derived):
        if contract.table.startswith("core.") or col.type != "list":
            assert (
                columns[col.name] in DUCKDB_TYPES[col.type]
                or (col.type == "list" and columns[col.name].endswith("[]"))
                or columns[col.name].startswith("STRUCT")
            ), (col.name, columns[col.name], col.type)


@pytest.mark.slow
def test_every_published_table_has_a_contract(published_home):
    con = duckdb.connect(str(published_home / "published" / "current.duckdb"), read_only=True)
    try:
        tables = {
            r[0]
            for r in con.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema <> 'meta' OR table_name <> 'snapshot'"
            ).fetchall()
        }
    finally:
        con.close()
    covered = {load_contract(c).table for c in contract_ids()}
    assert tables - covered == set()


def test_the_data_dictionary_is_generated_from_the_contracts():
    committed = dictionary.DICTIONARY.read_text(encoding="utf-8")
    assert committed == dictionary.render(), "run `drugtrends data-dictionary` and commit"


ROUTING = "Where on the route the seizure took place (domestic, border inbound/outbound, ...)."


def test_a_description_with_commas_appears_whole_in_the_data_dictionary():
    assert load_contract("individual_seizures").column("routing").description == ROUTING
    row = next(r for r in dictionary.render().splitlines() if r.startswith("| `routing` |"))
    assert f"| {ROUTING} (source headers: ROUTING) |" in row
    assert f"| {ROUTING} " in dictionary.DICTIONARY.read_text(encoding="utf-8")


def test_an_unquoted_comma_in_a_contract_is_refused_with_the_column_named(tmp_path):
    # In a YAML flow mapping an unquoted comma ends the value: the rest became stray keys and
    # the description was silently cut short.
    (tmp_path / "cut.yaml").write_text(
        "id: cut\nversion: 1.0.0\ncolumns:\n"
        "  - {name: note, type: string, description: Seizure cases, duplicates excluded.}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"cut\.yaml: column note: unknown key.*quote"):
        load_contract("cut", tmp_path)
