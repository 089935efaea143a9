"""The README's analyst queries run, read-only, against a published snapshot, and each result is
compared with an independent computation on the same snapshot: plain Python over rows read
with a simpler query, never the README's SQL again."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def analyst_queries() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## For analysts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def title(sql: str) -> str:
    return sql.splitlines()[0].removeprefix("--").strip()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def r1(x: float | None, digits: int = 1) -> float | None:
    return None if x is None else round(x, digits)


# ------------------------------------------------------------- independent computations


def headline_series(con) -> list[tuple]:
    """Global figures summed in Python from the country rows of the same mart."""
    by_key: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    meta = {}
    for series_id, series, order, year, kg in rows(
        con,
        "SELECT series_id, series, sort_order, year, kg FROM marts.seizure_series "
        "WHERE level = 'country' AND headline",
    ):
        by_key[(order, series, year)][0] += kg
        by_key[(order, series, year)][1] += 1
        meta[series] = series_id
    flags = {
        (r[0], r[1]): r[2:]
        for r in rows(
            con,
            "SELECT series, year, coverage_share, yoy_change_pct, yoy_like_for_like_pct, yoy_flag "
            "FROM marts.seizure_series WHERE level = 'global'",
        )
    }
    out = []
    for (_order, series, year), (kg, n) in sorted(by_key.items()):
        share, pct, lfl, flag = flags[(series, year)]
        out.append((series, year, r1(kg / 1000), n, r1(share * 100, 0), r1(pct), r1(lfl), flag))
    return out


def group_trends(con) -> list[tuple]:
    """Group = per country max(sum of components, sum of reported totals), added in Python."""
    per_country: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for iso3, year, group, role, kg in rows(
        con,
        "SELECT country_iso3, year, drug_group, rollup_role, kg "
        "FROM marts.annual_seizures_by_subgroup",
    ):
        if role != "excluded":
            per_country[(group, year, iso3)][role] += kg
    totals: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    for (group, year, _iso3), parts in per_country.items():
        totals[(group, year)][0] += max(parts.get("component", 0.0), parts.get("reported_total", 0))
        totals[(group, year)][1] += 1
    out = []
    for (group, year), (kg, n) in sorted(totals.items()):
        previous = totals.get((group, year - 1))
        pct = 100 * (kg - previous[0]) / previous[0] if previous and previous[0] > 0 else None
        small = previous is not None and (previous[0] < 1000 or previous[1] < 3)
        out.append((group, year, r1(kg / 1000), n, r1(pct), "small_base" if small else None))
    return out


def cocaine_drivers(con) -> list[tuple]:
    """Top three countries per region by kg, from the annual core rows with the total-row rule."""
    latest = max(y for (y,) in rows(con, "SELECT DISTINCT year FROM core.annual_seizures"))
    totals, parts = defaultdict(float), defaultdict(float)
    names, regions = {}, {}
    for region, iso3, name, kg, is_total in con.execute(
        "SELECT region, country_iso3, country_name, kg, is_total_row "
        "FROM core.annual_seizures WHERE drug_subgroup = 'Cocaine' AND year = ?",
        [latest],
    ).fetchall():
        (totals if is_total else parts)[iso3] += kg
        names.setdefault(iso3, Counter())[name] += 1
        regions.setdefault(iso3, Counter())[region] += 1
    kg = {iso3: totals.get(iso3, parts.get(iso3, 0.0)) for iso3 in set(totals) | set(parts)}
    world = sum(kg.values())
    by_region: dict[str, list] = defaultdict(list)
    for iso3, value in kg.items():
        by_region[regions[iso3].most_common(1)[0][0]].append((value, iso3))
    out = []
    for region in sorted(by_region):
        top = sorted(by_region[region], key=lambda t: (-t[0], t[1]))[:3]
        for value, iso3 in top:
            out.append(
                (
                    region,
                    names[iso3].most_common(1)[0][0],
                    round(value / 1000, 2),
                    round(100 * value / world, 1),
                )
            )
    return sorted(out, key=lambda t: (t[0], -t[2], t[1]))


def europe_departures(con) -> list[tuple]:
    """Each distinct cocaine seizure made in Europe, counted once, from the core rows."""
    counts: Counter[str] = Counter()
    kg: dict[str, float] = defaultdict(float)
    for departure, amount in rows(
        con,
        "SELECT departure_iso3, kg_equivalent FROM core.individual_seizures "
        "WHERE region = 'Europe' AND series_id = 'cocaine' AND NOT is_duplicate "
        "AND departure_iso3 IS NOT NULL",
    ):
        counts[departure] += 1
        kg[departure] += amount or 0.0
    ranked = sorted(counts, key=lambda d: (-counts[d], d))[:10]
    return [(d, counts[d], round(kg[d])) for d in ranked]


def cocaine_coverage(con) -> list[tuple]:
    """Every country of the annual data x year: reported (kg > 0), zero, or absent."""
    countries = {c for (c,) in rows(con, "SELECT DISTINCT country_iso3 FROM core.annual_seizures")}
    years = sorted(y for (y,) in rows(con, "SELECT DISTINCT year FROM core.annual_seizures"))
    kg = {
        (c, y): v
        for c, y, v in rows(
            con,
            "SELECT country_iso3, year, kg FROM marts.annual_seizures_by_subgroup "
            "WHERE drug_subgroup = 'Cocaine'",
        )
    }
    counts: Counter[tuple] = Counter()
    for year in years:
        for country in countries:
            value = kg.get((country, year))
            status = (
                "not_reported"
                if value is None
                else ("reported_quantity" if value > 0 else "reported_zero")
            )
            counts[(year, status)] += 1
    return [(y, s, n) for (y, s), n in sorted(counts.items())]


def traced_figures(con) -> list[tuple]:
    """The five largest figures, each recomputed from the core rows its provenance lists."""
    figures = rows(
        con,
        "SELECT country_name, year, drug_subgroup, kg, basis, provenance, contract_version "
        "FROM marts.annual_seizures_by_subgroup",
    )
    core = {
        f"{f}#{r}": (kg, total, version)
        for f, r, kg, total, version in rows(
            con,
            "SELECT source_file, source_row, kg, is_total_row, contract_version "
            "FROM core.annual_seizures",
        )
    }
    out = []
    for name, year, subgroup, _kg, _basis, provenance, _version in figures:
        listed = [core[p] for p in provenance]
        total_rows = [kg for kg, total, _ in listed if total]
        kg = sum(total_rows) if total_rows else sum(kg for kg, _, _ in listed)
        basis = "total_row" if total_rows else "components"
        versions = ",".join(sorted({v for *_, v in listed}))
        out.append((name, year, subgroup, kg, basis, provenance, versions))
    return sorted(out, key=lambda t: (-t[3], t[0], t[1], t[2]))[:5]


def more_seized_cheaper(con) -> list[tuple]:
    """Seized kg from marts.seizure_series and per-gram prices from core.drug_prices, paired by
    series name, directions and readings worked out here (thresholds and readings as data)."""
    from statistics import median

    from drugtrends import reference

    flat = float(reference.load("trend_thresholds").filter(name="change_flat_pct")["value"][0])
    readings = {
        (r["seizure_direction"], r["price_direction"]): r["reading"]
        for r in reference.load("supply_readings").iter_rows(named=True)
    }
    kg, names = {}, {}
    for iso3, name, series, year, value in rows(
        con,
        "SELECT area, area_name, series, year, kg FROM marts.seizure_series "
        "WHERE level = 'country'",
    ):
        kg[(iso3, series, year)] = value
        names[iso3] = name
    prices: dict[tuple, list[float]] = defaultdict(list)
    for iso3, series, level, year, usd in rows(
        con,
        "SELECT country_iso3, series, level_of_sale, year, typical_usd_per_base_unit "
        "FROM core.drug_prices WHERE base_unit = 'g' AND series IS NOT NULL "
        "AND country_iso3 IS NOT NULL AND typical_usd_per_base_unit IS NOT NULL",
    ):
        prices[(iso3, series, level, year)].append(usd)
    typical = {k: median(v) for k, v in prices.items()}

    def change(now: float | None, before: float | None) -> float | None:
        return None if now is None or not before else (now - before) / before * 100

    def direction(pct: float | None) -> str | None:
        if pct is None:
            return None
        return "up" if pct > flat else "down" if pct < -flat else "flat"

    out = []
    for (iso3, series, year), value in kg.items():
        if not any((iso3, series, lvl, year) in typical for lvl in ("Retail", "Wholesale")):
            continue
        seized = change(value, kg.get((iso3, series, year - 1)))
        level, price = None, None
        for lvl in ("Retail", "Wholesale"):
            pct = change(
                typical.get((iso3, series, lvl, year)), typical.get((iso3, series, lvl, year - 1))
            )
            if pct is not None:
                level, price = lvl, pct
                break
        pair = (direction(seized), direction(price))
        if pair[0] == "up" and pair[1] in ("down", "flat"):
            out.append((names[iso3], series, year, seized, level, price, readings[pair]))
    return sorted(out, key=lambda t: (t[0], t[1], t[2]))


def cocaine_per_capita(con) -> list[tuple]:
    """Regional cocaine kg (country rows of marts.seizure_series) over the population aged
    15-64 of the same countries (core.population), where every one has a figure."""
    population = {
        (iso3, year): thousands * 1000
        for iso3, year, thousands in rows(
            con, "SELECT country_iso3, year, population_thousands FROM core.population"
        )
    }
    years = {y for _, y in population}
    kg: dict[tuple, float] = defaultdict(float)
    people: dict[tuple, list] = defaultdict(list)
    for region, iso3, year, value in rows(
        con,
        "SELECT region, area, year, kg FROM marts.seizure_series "
        "WHERE level = 'country' AND series_id = 'cocaine'",
    ):
        if year in years:
            kg[(region, year)] += value
            people[(region, year)].append(population.get((iso3, year)))
    out = []
    for (region, year), value in sorted(kg.items()):
        counted = people[(region, year)]
        if None not in counted and sum(counted) > 0:
            out.append((region, year, value / (sum(counted) / 1e6)))  # unrounded: approx_rows
    return out


def quarantine_counts(con) -> list[tuple]:
    counts = Counter(rows(con, "SELECT dataset, region, rule FROM quarantine.rows"))
    return sorted(((*k, n) for k, n in counts.items()), key=lambda t: (-t[3], t[0], t[1], t[2]))


CHECKS: dict[str, Callable[[duckdb.DuckDBPyConnection], list[tuple]]] = {
    "Global seizures of the headline series, in tonnes, with coverage and change flags": (
        headline_series
    ),
    "Global seizures by drug group and year, in tonnes (groups mix products: prefer the series)": (
        group_trends
    ),
    "Which countries drive the latest year's cocaine seizures in each region?": cocaine_drivers,
    "Where does the cocaine seized in Europe leave from? (each seizure counted once)": (
        europe_departures
    ),
    "Which countries did not report cocaine, year by year?": cocaine_coverage,
    "Trace a published figure back to its source rows and contract version": traced_figures,
    "Where was more seized while prices fell or held? (same series on both sides)": (
        more_seized_cheaper
    ),
    "Cocaine seized per million people aged 15-64, by region and year": cocaine_per_capita,
    "What was rejected, and why?": quarantine_counts,
}


def approx_rows(got: list[tuple], expected: list[tuple]) -> bool:
    if len(got) != len(expected):
        return False
    for a, b in zip(got, expected, strict=True):
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) and isinstance(y, float):
                if x != pytest.approx(y, rel=1e-9, abs=0.051):
                    return False
            elif isinstance(x, float) or isinstance(y, float):
                if x is None or y is None or float(x) != pytest.approx(float(y), abs=0.51):
                    return False
            elif x != y:
                return False
    return True


def test_the_readme_has_analyst_queries_and_each_has_a_check():
    queries = analyst_queries()
    assert len(queries) >= 6
    assert sorted(title(q) for q in queries) == sorted(CHECKS)


@pytest.mark.parametrize("index", range(len(analyst_queries())))
def test_each_readme_query_matches_an_independent_computation(published_home, index):
    sql = analyst_queries()[index]
    con = duckdb.connect(str(published_home / "published" / "current.duckdb"), read_only=True)
    try:
        got = con.execute(sql).fetchall()
        expected = CHECKS[title(sql)](con)
    finally:
        con.close()
    assert got, title(sql)
    assert approx_rows(got, expected), (title(sql), got[:5], expected[:5])


def test_the_old_europe_query_multiplied_each_flow(published_home):
    """The README's former Europe query joined each flow to every European seizure row; the
    figure it gave was many times the real count (kept here so the mistake is not repeated)."""
    old = """
        SELECT sum(f.seizures)
        FROM marts.route_flows AS f
        JOIN core.individual_seizures AS s ON s.country_iso3 = f.seizing_iso3 AND s.region = 'Europe'
        WHERE f.series_id = 'cocaine' AND f.departure_iso3 IS NOT NULL
    """
    con = duckdb.connect(str(published_home / "published" / "current.duckdb"), read_only=True)
    try:
        inflated = con.execute(old).fetchone()[0]
        right = sum(n for _, n, _ in europe_departures(con))
        true_total = sum(
            n
            for (n,) in con.execute(
                "SELECT count(*) FROM core.individual_seizures WHERE region = 'Europe' "
                "AND series_id = 'cocaine' AND NOT is_duplicate AND departure_iso3 IS NOT NULL"
            ).fetchall()
        )
    finally:
        con.close()
    assert right <= true_total < inflated / 10


def test_analyst_connections_cannot_write(published_home):
    con = duckdb.connect(str(published_home / "published" / "current.duckdb"), read_only=True)
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM marts.seizure_trends")
    finally:
        con.close()


@pytest.mark.parametrize(
    "mart",
    [
        "seizure_trends",
        "annual_seizures_by_subgroup",
        "route_flows",
        "seizure_series",
        "reporting_coverage",
        "seizure_cases",
        "series_definitions",
    ],
)
def test_marts_are_exported_as_parquet(published_home, mart):
    parquet = published_home / "published" / "parquet" / "current"
    rows_in_parquet = duckdb.sql(
        f"SELECT count(*) FROM '{parquet / (mart + '.parquet')}'"
    ).fetchall()
    with duckdb.connect(
        str(published_home / "published" / "current.duckdb"), read_only=True
    ) as con:
        assert rows_in_parquet == con.execute(f"SELECT count(*) FROM marts.{mart}").fetchall()


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
