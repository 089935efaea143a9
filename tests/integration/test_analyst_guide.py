"""The README's analyst queries run, read-only, against a published snapshot."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def analyst_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## For analysts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_the_readme_has_analyst_queries():
    assert len(analyst_queries()) >= 4


@pytest.mark.parametrize("index", range(len(analyst_queries())))
def test_each_readme_query_runs_and_returns_rows(published_home, index):
    sql = analyst_queries()[index]
    con = duckdb.connect(str(published_home / "published" / "current.duckdb"), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows, sql.splitlines()[0]


def test_analyst_connections_cannot_write(published_home):
    con = duckdb.connect(str(published_home / "published" / "current.duckdb"), read_only=True)
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM marts.seizure_trends")
    finally:
        con.close()


def test_marts_are_exported_as_parquet(published_home):
    parquet = published_home / "published" / "parquet" / "current"
    for mart in ("seizure_trends", "annual_seizures_by_subgroup", "route_flows"):
        rows = duckdb.sql(f"SELECT count(*) FROM '{parquet / (mart + '.parquet')}'").fetchall()
        with duckdb.connect(
            str(published_home / "published" / "current.duckdb"), read_only=True
        ) as con:
            assert rows == con.execute(f"SELECT count(*) FROM marts.{mart}").fetchall()
