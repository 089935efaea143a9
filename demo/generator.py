"""Entry points: write a folder of synthetic submissions (``generate``) and its command line."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from demo.annual import generate_annual_rows
from demo.individual import generate_individual_rows
from demo.layout import (
    ANNUAL_FIELDS,
    ANNUAL_FILES,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    INDIVIDUAL_FIELDS,
    INDIVIDUAL_FILES,
    MARKET_FILES,
    REGIONS,
    SOURCES_FILE,
)
from demo.manifest import readme, sources_yaml
from demo.markets import (
    POPULATION_FIELDS,
    PRICE_FIELDS,
    generate_population_rows,
    generate_price_rows,
)
from demo.writers import write


def generate(dest: Path, years: range = DEFAULT_YEARS, seed: int = DEFAULT_SEED) -> Path:
    """Write the synthetic submissions, sources.yaml and README.md under ``dest``.

    Returns the path of the written ``sources.yaml``.
    """
    year_list = sorted(years)
    if not year_list:
        raise ValueError("years must not be empty")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for region in REGIONS:
        spec = ANNUAL_FILES[region]
        rows = generate_annual_rows(region, year_list, seed)
        write(dest / spec.location, spec, rows, ANNUAL_FIELDS)
        counts[spec.location] = len(rows)

        spec = INDIVIDUAL_FILES[region]
        rows = generate_individual_rows(region, year_list, seed)
        write(dest / spec.location, spec, rows, INDIVIDUAL_FIELDS, empty_as_null=True)
        counts[spec.location] = len(rows)
    for dataset, (make, fields) in {
        "drug_prices": (generate_price_rows, PRICE_FIELDS),
        "population": (generate_population_rows, POPULATION_FIELDS),
    }.items():
        spec = MARKET_FILES[dataset]
        rows = make(year_list, seed)
        write(dest / spec.location, spec, rows, fields)
        counts[spec.location] = len(rows)
    sources = dest / SOURCES_FILE
    sources.write_text(sources_yaml(seed, year_list), encoding="utf-8")
    (dest / "README.md").write_text(readme(seed, year_list, counts), encoding="utf-8")
    return sources


def _parse_years(text: str) -> range:
    first, _, last = text.partition("-")
    start = int(first)
    return range(start, int(last or first) + 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description=(
            "Write synthetic demo submissions (annual and case-level drug seizures, drug "
            "prices, population aged 15-64)."
        ),
    )
    parser.add_argument("dest", type=Path, help="output folder (created if missing)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--years",
        type=_parse_years,
        default=DEFAULT_YEARS,
        help="inclusive range, e.g. 2017-2022 (default)",
    )
    args = parser.parse_args(argv)
    print(generate(args.dest, args.years, args.seed))
    return 0
