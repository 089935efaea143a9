"""The README's analyst queries run, read-only, against a published snapshot."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections import defaultdict
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


def shell_commands() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## For analysts", 1)[1]
    block = re.findall(r"```sh\n(.*?)```", section.split("\n## ", 1)[0], flags=re.S)[0]
    return [line for line in block.splitlines() if line.startswith(".venv/bin/duckdb")]


@pytest.fixture
def analyst_dir(published_home, tmp_path):
    """A directory laid out as the README assumes: the installed CLI in ``.venv/bin`` and a
    published snapshot in ``var/published``."""
    cli = Path(sys.executable).parent / "duckdb"  # what `make install` put beside python
    assert cli.exists(), f"{cli} is missing: the duckdb-cli package is a dependency"
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "duckdb").symlink_to(cli)
    (tmp_path / "var").symlink_to(published_home)
    return tmp_path


def global_tonnes_from_subgroups(snapshot: Path) -> dict[tuple[str, int], float]:
    """The README's rollup rules applied in Python to the subgroup mart, not through its SQL."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        rows = con.execute(
            "SELECT country_iso3, year, drug_group, rollup_role, kg "
            "FROM marts.annual_seizures_by_subgroup"
        ).fetchall()
    finally:
        con.close()
    parts: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for iso3, year, group, role, kg in rows:
        if role != "excluded":
            parts[(iso3, year, group)][role] += kg
    totals: dict[tuple[str, int], float] = defaultdict(float)
    for (_iso3, year, group), kg in parts.items():
        totals[(group, year)] += max(kg.get("component", 0.0), kg.get("reported_total", 0.0))
    return {key: kg / 1000 for key, kg in totals.items()}


def test_the_readme_shell_example_runs_with_the_installed_duckdb_cli(analyst_dir):
    interactive, query = shell_commands()
    shell = subprocess.run(
        ["bash", "-c", interactive],
        cwd=analyst_dir,
        input="SELECT count(*) AS n FROM marts.seizure_trends;\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.returncode == 0, shell.stderr
    out = subprocess.run(
        ["bash", "-c", query], cwd=analyst_dir, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and not out.stderr, out.stderr
    printed = list(csv.DictReader(io.StringIO(out.stdout)))
    expected = global_tonnes_from_subgroups(analyst_dir / "var" / "published" / "current.duckdb")
    assert len(printed) == len(expected) > 0
    for row in printed:
        assert float(row["tonnes"]) == pytest.approx(
            expected[(row["drug_group"], int(row["year"]))], abs=0.05 + 1e-9
        ), row


def test_the_installed_duckdb_cli_opens_the_snapshot_read_only(analyst_dir):
    interactive, _ = shell_commands()
    shell = subprocess.run(
        ["bash", "-c", interactive],
        cwd=analyst_dir,
        input="DELETE FROM marts.seizure_trends;\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "read-only" in shell.stdout + shell.stderr
