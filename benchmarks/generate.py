"""Seeded synthetic submissions at scale, drawn from the real UNODC files, streamed to disk.

Case level: one ``;``-separated file per region in the real 2011-2013 layout
(``individual_<region>.csv``). Each row is a real row of that region (so countries, drugs,
units, amounts and route fields keep their real joint distribution) moved to a year in
2006-2025, its amount jittered for most rows; a share of rows repeats an earlier row of the
file exactly (as in the real data) and a small share is broken on purpose (bad date, decimal
comma, empty country, negative amount) so quarantine has work to do.

Annual: one JSON array per region in the dataUNODC layout (``annual_<region>.json``), drawn
the same way from the real 2018-2021 records.

Also written: ``sources.yaml`` (what the pipeline reads), ``country_names.csv`` (every country
spelling the files can hold, with the ISO3 code drugtrends resolves it to, for the bare-DuckDB
baseline: country_converter's regular expressions are Python ``re``, which DuckDB's RE2 cannot
run) and ``manifest.json`` (seed and row counts; a matching manifest means the files are reused).

The real files are only read, never copied: nothing here ends up in the repository.

    .venv/bin/python benchmarks/generate.py OUT_DIR --rows 1000000 [--annual-rows N] [--seed 13]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "unodc"
CASE_FILE = "individual_seizures_2011_2013.csv"
ANNUAL_FILE = "drug_seizures_2018_2021.json"
YEARS = (2006, 2025)
CHUNK = 250_000
DUPLICATE_SHARE = 0.06  # the real file: 5,069 of 84,641 rows repeat an earlier row exactly
JITTER_SHARE = 0.7  # the rest keep the real amount, which keeps its round-number spikes
BAD_SHARE = 0.002
COUNTRY_COLUMNS = ("COUNTRY", "PRODUCING_COUNTRY", "DEPARTURE_COUNTRY", "DESTINATION_COUNTRY")
GENERATOR_VERSION = "1"


def region_slug(region: str) -> str:
    return region.lower()


def _shared(name: str, shared: Path) -> Path:
    path = shared / name
    if not path.exists():
        sys.exit(f"real data not found: {path} (see the shared data README)")
    return path


def _split_rows(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Rows per region in the real proportions, summing exactly to ``total``."""
    regions = sorted(shares)
    counts = {r: int(total * shares[r]) for r in regions}
    counts[max(regions, key=shares.get)] += total - sum(counts.values())
    return counts


def _move_years(dates: pl.Expr, years: np.ndarray) -> pl.Expr:
    """Same month and day in another year (29 February becomes the 28th)."""
    month_day = dates.str.slice(5, 5)
    month_day = pl.when(month_day == "02-29").then(pl.lit("02-28")).otherwise(month_day)
    return pl.concat_str(pl.Series(years.astype(str)), pl.lit("-"), month_day)


def _jitter(amounts: pl.Expr, factor: np.ndarray, keep: np.ndarray) -> pl.Expr:
    number = amounts.cast(pl.Float64, strict=False)
    moved = (number * pl.Series(factor)).round(3).cast(pl.String)
    return pl.when(pl.Series(keep) | number.is_null()).then(amounts).otherwise(moved)


def _repeat_previous(frame: pl.DataFrame, repeat: np.ndarray) -> pl.DataFrame:
    """Rows where ``repeat`` is set become exact copies of the row before them (the first row,
    with none before it, stays itself: shifting it would leave a row with no value at all)."""
    repeat[0] = False
    mask = pl.Series(repeat)
    return frame.with_columns(
        pl.when(mask).then(pl.col(c).shift(1)).otherwise(pl.col(c)).alias(c) for c in frame.columns
    )


def _break_rows(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """A small share of rows each broken one way the contract must quarantine."""
    kind = np.where(rng.random(frame.height) < BAD_SHARE, rng.integers(1, 5, frame.height), 0)
    k = pl.Series(kind)
    return frame.with_columns(
        pl.when(k == 1).then(pl.lit("2013-02-30")).otherwise("SEIZURE_DATE").alias("SEIZURE_DATE"),
        pl.when(k == 2)
        .then(pl.col("AMOUNT").str.replace(r"\.", ","))
        .when(k == 4)
        .then(pl.lit("-4"))
        .otherwise("AMOUNT")
        .alias("AMOUNT"),
        pl.when(k == 3).then(pl.lit("")).otherwise("COUNTRY").alias("COUNTRY"),
    )


def case_chunk(pool: pl.DataFrame, rows: int, rng: np.random.Generator) -> pl.DataFrame:
    picked = pool[rng.integers(0, pool.height, rows)]
    years = rng.integers(YEARS[0], YEARS[1] + 1, rows)
    factor = np.exp(rng.normal(0.0, 0.4, rows))
    keep = rng.random(rows) >= JITTER_SHARE
    out = picked.with_columns(
        _move_years(pl.col("SEIZURE_DATE"), years).alias("SEIZURE_DATE"),
        _jitter(pl.col("AMOUNT"), factor, keep).alias("AMOUNT"),
    )
    out = _repeat_previous(out, rng.random(rows) < DUPLICATE_SHARE)
    return _break_rows(out, rng)


def write_case_file(path: Path, pool: pl.DataFrame, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(".partial")
    with open(tmp, "wb") as out:
        done = 0
        while done < rows:
            n = min(CHUNK, rows - done)
            case_chunk(pool, n, rng).write_csv(
                out, separator=";", include_header=done == 0, null_value=""
            )
            done += n
    tmp.replace(path)


def annual_chunk(pool: pl.DataFrame, rows: int, rng: np.random.Generator) -> pl.DataFrame:
    picked = pool[rng.integers(0, pool.height, rows)]
    years = rng.integers(YEARS[0], YEARS[1] + 1, rows)
    factor = np.exp(rng.normal(0.0, 0.3, rows))
    bad = rng.random(rows) < BAD_SHARE
    kg = (pl.col("Kilograms") * pl.Series(factor)).round(2)
    return picked.with_columns(
        pl.Series("Year", years),
        pl.when(pl.Series(bad)).then(None).otherwise(kg).alias("Kilograms"),
    )


def write_annual_file(path: Path, pool: pl.DataFrame, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(".partial")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write("[\n")
        done = 0
        while done < rows:
            n = min(CHUNK, rows - done)
            lines = annual_chunk(pool, n, rng).write_ndjson().splitlines()
            out.write((",\n" if done else "") + ",\n".join(lines))
            done += n
        out.write("\n]\n")
    tmp.replace(path)


def country_names(case: pl.DataFrame) -> pl.DataFrame:
    """Every country spelling of the case-level file and the ISO3 drugtrends resolves it to."""
    from drugtrends.core.normalise import resolve_countries

    names = pl.concat([case[c] for c in COUNTRY_COLUMNS]).str.strip_chars().drop_nulls()
    resolved = resolve_countries(names.unique())
    return resolved.select("name", "iso3").filter(pl.col("name") != "").sort("name")


def sources_yaml(regions: list[str]) -> str:
    lines = [
        "# Synthetic benchmark submissions (benchmarks/generate.py). Not real data.",
        "sources:",
    ]
    for region in regions:
        slug = region_slug(region)
        lines += [
            "  - dataset: annual_seizures",
            f"    region: {region}",
            f"    location: annual_{slug}.json",
            "    format: json",
            "  - dataset: individual_seizures",
            f"    region: {region}",
            f"    location: individual_{slug}.csv",
            "    format: csv",
            '    delimiter: ";"',
        ]
    return "\n".join(lines) + "\n"


def generate(
    out_dir: Path,
    rows: int,
    annual_rows: int | None = None,
    seed: int = 13,
    shared: Path = SHARED,
    only_region: str | None = None,
) -> dict[str, object]:
    """Write every file (or, with ``only_region``, that region's case file) and the manifest."""
    annual_rows = rows // 20 if annual_rows is None else annual_rows
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.json"
    wanted = {"version": GENERATOR_VERSION, "rows": rows, "annual_rows": annual_rows, "seed": seed}
    if only_region is None and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if {k: manifest.get(k) for k in wanted} == wanted:
            return manifest
    case = pl.read_csv(_shared(CASE_FILE, shared), separator=";", infer_schema=False)
    annual = pl.read_json(_shared(ANNUAL_FILE, shared))
    regions = sorted(case["REGION"].unique().to_list())
    case_counts = _split_rows(rows, dict(case["REGION"].value_counts(normalize=True).iter_rows()))
    annual_counts = _split_rows(
        annual_rows, dict(annual["Region"].value_counts(normalize=True).iter_rows())
    )
    for i, region in enumerate(regions):
        if only_region not in (None, region):
            continue
        slug = region_slug(region)
        pool = case.filter(pl.col("REGION") == region)
        # A changed region (incremental night) gets other rows of the same size.
        case_seed = seed * 100 + i + (1000 if only_region else 0)
        write_case_file(out_dir / f"individual_{slug}.csv", pool, case_counts[region], case_seed)
        if only_region is None:
            pool = annual.filter(pl.col("Region") == region)
            write_annual_file(
                out_dir / f"annual_{slug}.json", pool, annual_counts[region], seed * 100 + 50 + i
            )
    if only_region is not None:
        return json.loads(manifest_path.read_text())
    country_names(case).write_csv(out_dir / "country_names.csv")
    (out_dir / "sources.yaml").write_text(sources_yaml(regions), encoding="utf-8")
    manifest = {**wanted, "case_rows": case_counts, "annual_rows_per_region": annual_counts}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000, help="case-level rows in all")
    parser.add_argument("--annual-rows", type=int, default=None, help="default: rows / 20")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--only-region", help="rewrite this region's case file (changed night)")
    args = parser.parse_args(argv)
    manifest = generate(
        args.out, args.rows, args.annual_rows, args.seed, args.shared, args.only_region
    )
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
