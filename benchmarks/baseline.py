"""The bare-DuckDB baseline: ``baseline.sql`` plus the project's mart SQL, run by the DuckDB CLI.

.venv/bin/python benchmarks/baseline.py DATA_DIR OUT.duckdb [--memory-limit 3GB]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL = Path(__file__).with_name("baseline.sql")
REFERENCE = ROOT / "drugtrends" / "reference"
MART_SQL = ROOT / "drugtrends" / "marts" / "sql"
# Build order: a mart may read one listed before it (as drugtrends.marts.build.MARTS).
MARTS = (
    "annual_seizures_by_subgroup",
    "seizure_trends",
    "seizure_cases",
    "route_flows",
    "route_legs",
    "route_corridors",
)

MART_REFERENCES = ("series", "series_members", "thresholds", "drug_groups")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def iso3_file() -> Path:
    import country_converter

    return Path(country_converter.__file__).with_name("country_data.tsv")


def script(data_dir: Path, memory_limit: str | None, threads: int | None = None) -> str:
    """The whole baseline as one SQL script (paths are ours, never user input)."""
    lines = [
        "SET enable_progress_bar = false;",
        f"SET VARIABLE data_dir = {_literal(str(data_dir))};",
        f"SET VARIABLE ref_dir = {_literal(str(REFERENCE))};",
        f"SET VARIABLE iso3_file = {_literal(str(iso3_file()))};",
        f"SET VARIABLE today = {_literal(date.today().isoformat())};",
    ]
    if memory_limit:
        lines.append(f"SET memory_limit = {_literal(memory_limit)};")
    if threads:
        lines.append(f"SET threads = {int(threads)};")
    lines.append(SQL.read_text(encoding="utf-8"))
    # Reference tables the marts' SQL reads as ref_<name> (drugtrends.marts.build registers all
    # of them; these are the ones the marts built here read), types detected as there.
    for name in MART_REFERENCES:
        path = _literal(str(REFERENCE / f"{name}.csv"))
        lines.append(f"CREATE TABLE ref_{name} AS SELECT * FROM read_csv({path});")
    # The macros the marts' SQL calls (drugtrends.marts.build creates them per connection).
    lines.append((MART_SQL / "_macros.sql").read_text(encoding="utf-8"))
    for mart in MARTS:
        body = (MART_SQL / f"{mart}.sql").read_text(encoding="utf-8").strip().rstrip(";")
        lines.append(f"CREATE TABLE marts.{mart} AS\n{body}\n;")
    lines.append("CHECKPOINT;")
    return "\n".join(lines) + "\n"


def duckdb_cli() -> str:
    found = Path(sys.executable).with_name("duckdb")
    if found.exists():
        return str(found)
    cli = shutil.which("duckdb")
    if cli is None:
        sys.exit("the duckdb command-line shell is not installed (pip package duckdb-cli)")
    return cli


def command(out: Path) -> list[str]:
    return [duckdb_cli(), "-bail", str(out)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--memory-limit", default=None)
    args = parser.parse_args(argv)
    import subprocess

    args.out.unlink(missing_ok=True)
    done = subprocess.run(
        command(args.out), input=script(args.data_dir.resolve(), args.memory_limit), text=True
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
