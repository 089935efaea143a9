"""The one loader of the versioned reference tables in this folder (see its README).

Every module reads reference data through here: ``load`` for a CSV table (keys checked for
duplicates, which would silently multiply rows in a join), ``version`` for the tables' version,
and ``regions`` / ``iso3_to_region`` for the UNODC regions, read from ``unodc_regions.csv`` once.
"""

from __future__ import annotations

import functools
import io
from importlib import resources

import polars as pl

PACKAGE = "drugtrends.reference"

# Columns that must be unique (after key normalisation) in the tables joined by the pipeline.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "country_overrides": ("name",),
    "unodc_regions": ("iso3",),
    "drugs": ("drug_name",),
    "units": ("spelling",),
    "conversion_factors": ("unit", "drug_group", "drug_subgroup"),
    "annual_edition_names": ("source_drug_group", "source_drug_subgroup", "source_drug"),
    "trend_thresholds": ("name",),
    "price_units": ("spelling",),
    "price_series": ("drug_group", "drug"),
    "supply_readings": ("seizure_direction", "price_direction"),
    "drug_subgroups": ("drug_group", "drug_subgroup"),
    "series": ("series_id",),
    "series_members": ("drug_group", "drug_subgroup", "drug"),
    "drug_groups": ("drug_group",),
    "thresholds": ("name",),
}

# Look-alikes folded by taxonomy_key: typographic quotes and dashes, as word processors write them.
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'"}
_QUOTES |= {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'}
_QUOTES |= {"\u00ab": '"', "\u00bb": '"'}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


def text_key(expr: pl.Expr) -> pl.Expr:
    """Matching key for free text: trimmed, single-spaced, lower case; null and '' both -> ''."""
    return (
        expr.cast(pl.String)
        .str.strip_chars()
        .str.replace_all(r"\s+", " ")
        .str.to_lowercase()
        .fill_null("")
    )


def taxonomy_key(expr: pl.Expr) -> pl.Expr:
    """Matching key for reference-matched names (groups, subgroups, regions).

    Unicode NFKC (full-width letters, ligatures), typographic quotes and dashes made plain,
    invisible format characters dropped, whitespace collapsed, case folded: two spellings with
    the same key are the same name to a reader, so they must meet the same rule.
    """
    out = expr.cast(pl.String).str.normalize("NFKC")
    for fancy, plain in _QUOTES.items():
        out = out.str.replace_all(fancy, plain, literal=True)
    out = out.str.replace_all(f"[{_DASHES}]", "-").str.replace_all(
        r"[\u200b-\u200d\u2060\ufeff]", ""
    )
    return text_key(out)


@functools.cache
def version() -> str:
    """Version of the reference tables (``drugtrends/reference/VERSION``)."""
    return resources.files(PACKAGE).joinpath("VERSION").read_text("utf-8").strip()


@functools.cache
def _read(name: str) -> pl.DataFrame:
    path = resources.files(PACKAGE).joinpath(f"{name}.csv")
    if not path.is_file():
        raise ValueError(f"unknown reference table {name!r} (no {name}.csv in {PACKAGE})")
    # Everything is text except the factor; empty fields come back as null (= "any" / "none").
    df = pl.read_csv(io.BytesIO(path.read_bytes()), infer_schema=False)
    if "kg_per_unit" in df.columns:
        df = df.with_columns(pl.col("kg_per_unit").cast(pl.Float64))
    if name == "thresholds":
        df = df.with_columns(pl.col("value").cast(pl.Float64))
    if name == "series":
        df = df.with_columns(
            pl.col("headline").eq("true").alias("headline"), pl.col("sort_order").cast(pl.Int64)
        )
    keys = TABLE_KEYS.get(name, ())
    if keys:
        dupes = df.filter(pl.struct(text_key(pl.col(c)) for c in keys).is_duplicated())
        if dupes.height:
            raise ValueError(f"{name}.csv has duplicate keys {keys}: {dupes.rows()}")
    return df


def table_names() -> list[str]:
    """Every reference CSV in this folder, by name."""
    return sorted(
        p.name.removesuffix(".csv")
        for p in resources.files(PACKAGE).iterdir()
        if p.name.endswith(".csv")
    )


def load(name: str) -> pl.DataFrame:
    """Read ``drugtrends/reference/<name>.csv`` (cached; the caller gets its own copy)."""
    return _read(name).clone()


def threshold(name: str) -> float:
    """One documented threshold from ``thresholds.csv`` (raises on an unknown name)."""
    table = _read("thresholds").filter(pl.col("name") == name)
    if table.height != 1:
        raise ValueError(f"no threshold {name!r} in thresholds.csv")
    return float(table["value"][0])


@functools.cache
def regions() -> tuple[str, ...]:
    """The UNODC regions, in alphabetical order: the partitions of every regional dataset."""
    return tuple(sorted(_read("unodc_regions")["region"].unique().to_list()))


@functools.cache
def iso3_to_region() -> dict[str, str]:
    """ISO3 -> UNODC region (places rows of all-regions files that name no valid region)."""
    table = _read("unodc_regions")
    return dict(zip(table["iso3"].to_list(), table["region"].to_list(), strict=True))


REGIONS: tuple[str, ...] = regions()
