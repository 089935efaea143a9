"""Normalise case-level drug seizures: countries, drug names and units.

Every lookup works on the DISTINCT values of a column and joins the answer back, so the cost
grows with the number of distinct spellings (hundreds), not with the number of rows (millions).
The answers come from the versioned CSV tables in ``drugtrends/reference`` (see its README);
anything a table does not cover stays null and is listed by the ``unmapped_*`` /
``unresolved_*`` / ``unknown_*`` helpers, never guessed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from drugtrends.reference import load as load_reference
from drugtrends.reference import text_key

_KEY = "_key"
_key = text_key


# --------------------------------------------------------------------------- countries


@functools.cache
def _converter() -> Any:  # country_converter ships no type hints
    import country_converter as coco  # slow import: only when countries are resolved

    return coco.CountryConverter()


def _library_iso3(names: list[str]) -> list[str | None]:
    """country_converter on a list of names; None where it finds nothing or is ambiguous."""
    if not names:
        return []
    cc = _converter()
    log = logging.getLogger("country_converter")
    level = log.level
    log.setLevel(logging.CRITICAL)  # it warns once per unmatched name; we report them ourselves
    try:
        found = cc.convert(names=[n.strip() for n in names], to="ISO3", not_found=None)
    finally:
        log.setLevel(level)
    if not isinstance(found, list):  # a single name comes back unwrapped
        found = [found]
    # not_found=None echoes the input ("Unknown" -> "Unknown") and ambiguous names come back
    # as a list (["CHN", "MAC"]): only a real ISO3 code counts as resolved.
    valid = set(cc.data["ISO3"])
    return [code if isinstance(code, str) and code in valid else None for code in found]


@functools.lru_cache(maxsize=32)
def _resolve_distinct(names: tuple[str | None, ...]) -> pl.DataFrame:
    overrides = load_reference("country_overrides").select(
        _key(pl.col("name")).alias(_KEY),
        pl.col("iso3").alias("_override"),
        pl.lit(True).alias("_listed"),
    )
    frame = (
        pl.DataFrame({"name": list(names)}, schema={"name": pl.String})
        .with_columns(_key(pl.col("name")).alias(_KEY))
        .join(overrides, on=_KEY, how="left", maintain_order="left")
    )
    todo = frame.filter(pl.col("_listed").is_null())["name"].to_list()
    library = pl.DataFrame(
        {"name": todo, "_library": _library_iso3(todo)},
        schema={"name": pl.String, "_library": pl.String},
    )
    regions = load_reference("unodc_regions")
    return (
        frame.join(library, on="name", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("_override", "_library").alias("iso3"),
            pl.when(pl.col("_listed") & pl.col("_override").is_not_null())
            .then(pl.lit("override"))
            .when(pl.col("_listed"))
            .then(pl.lit("null_marker"))
            .when(pl.col("_library").is_not_null())
            .then(pl.lit("library"))
            .alias("resolved_by"),
        )
        .join(regions, on="iso3", how="left", maintain_order="left")
        .select("name", "iso3", "region", "subregion", "resolved_by")
    )


def resolve_countries(names: pl.Series) -> pl.DataFrame:
    """One row per distinct name: ``name, iso3, region, subregion, resolved_by``.

    ``resolved_by`` is 'override' (country_overrides.csv), 'library' (country_converter),
    'null_marker' (declared "not a country": Unknown, Other, empty, null) or null when the
    name is unresolved. Results are cached per process on the set of distinct names.
    """
    distinct = names.cast(pl.String).unique().to_list()
    ordered = tuple(sorted(distinct, key=lambda n: (n is None, n or "")))
    return _resolve_distinct(ordered).clone()


def normalise_countries(
    df: pl.DataFrame, columns: Mapping[str, str], *, with_regions: bool = False
) -> pl.DataFrame:
    """Add an ISO3 column per country column, e.g. ``{"departure_country": "departure_iso3"}``.

    With ``with_regions`` also add ``<prefix>_region`` and ``<prefix>_subregion`` (UNODC),
    where the prefix is the target name without its ``_iso3`` suffix.
    """
    out = df
    for source, target in columns.items():
        prefix = target.removesuffix("_iso3")
        extra = (
            [
                pl.col("region").alias(f"{prefix}_region"),
                pl.col("subregion").alias(f"{prefix}_subregion"),
            ]
            if with_regions
            else []
        )
        table = resolve_countries(df[source]).select(
            pl.col("name").cast(df.schema[source]).alias(source),
            pl.col("iso3").alias(target),
            *extra,
        )
        out = out.join(table, on=source, how="left", nulls_equal=True, maintain_order="left")
    return out


# --------------------------------------------------------------------------- drugs


def map_drugs(df: pl.DataFrame, column: str) -> pl.DataFrame:
    """Add ``drug_group``, ``drug_subgroup`` (UNODC taxonomy) and ``series_id`` (the headline
    series, ``reference/series.csv``); null when the name is unmapped."""
    ref = load_reference("drugs").select(
        _key(pl.col("drug_name")).alias(_KEY), "drug_group", "drug_subgroup", "series_id"
    )
    lookup = (
        df.select(pl.col(column).unique())
        .with_columns(_key(pl.col(column)).alias(_KEY))
        .join(ref, on=_KEY, how="left")
        .drop(_KEY)
    )
    return df.join(lookup, on=column, how="left", nulls_equal=True, maintain_order="left")


# --------------------------------------------------------------------------- units


def convert_units(
    df: pl.DataFrame, quantity_col: str, unit_col: str, group_col: str, subgroup_col: str
) -> pl.DataFrame:
    """Add ``unit``, ``unit_family``, ``kg_equivalent`` and ``conversion_rule``.

    The most specific factor wins: (unit, group, subgroup), then (unit, group), then
    (unit, any drug). No factor -> null ``kg_equivalent`` and null ``conversion_rule``: a count
    of tablets of an unknown weight is not given a made-up mass.
    """
    units = load_reference("units").select(
        _key(pl.col("spelling")).alias(_KEY), "unit", pl.col("family").alias("unit_family")
    )
    factors = load_reference("conversion_factors")
    group, sub = pl.col("drug_group"), pl.col("drug_subgroup")
    by_subgroup = factors.filter(sub.is_not_null()).select(
        "unit",
        group.alias(group_col),
        sub.alias(subgroup_col),
        pl.col("kg_per_unit").alias("_f_sub"),
    )
    by_group = factors.filter(group.is_not_null() & sub.is_null()).select(
        "unit", group.alias(group_col), pl.col("kg_per_unit").alias("_f_group")
    )
    any_drug = factors.filter(group.is_null() & sub.is_null()).select(
        "unit", pl.col("kg_per_unit").alias("_f_any")
    )
    prefix = pl.concat_str(pl.col("unit_family"), pl.lit(":"), pl.col("unit"))
    keys = [unit_col, group_col, subgroup_col]
    lookup = (
        df.select(keys)
        .unique()
        .with_columns(_key(pl.col(unit_col)).alias(_KEY))
        .join(units, on=_KEY, how="left")
        .join(by_subgroup, on=["unit", group_col, subgroup_col], how="left")
        .join(by_group, on=["unit", group_col], how="left")
        .join(any_drug, on="unit", how="left")
        .select(
            *keys,
            "unit",
            "unit_family",
            pl.coalesce("_f_sub", "_f_group", "_f_any").alias("_kg_per_unit"),
            pl.when(pl.col("_f_sub").is_not_null())
            .then(pl.concat_str(prefix, pl.lit(":"), pl.col(subgroup_col)))
            .when(pl.col("_f_group").is_not_null())
            .then(pl.concat_str(prefix, pl.lit(":"), pl.col(group_col)))
            .when(pl.col("_f_any").is_not_null())
            .then(prefix)
            .alias("conversion_rule"),
        )
    )
    return (
        df.join(lookup, on=keys, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(
            (pl.col(quantity_col).cast(pl.Float64) * pl.col("_kg_per_unit")).alias("kg_equivalent")
        )
        .drop("_kg_per_unit")
    )


# --------------------------------------------------------------------------- reports


def unmapped_drugs(df: pl.DataFrame, column: str) -> pl.DataFrame:
    """Drug names without a mapping: ``drug_name, rows`` (most frequent first)."""
    counts = df.group_by(column).agg(pl.len().alias("rows"))
    return (
        map_drugs(counts, column)
        .filter(pl.col("drug_group").is_null())
        .select(pl.col(column).alias("drug_name"), "rows")
        .sort("rows", "drug_name", descending=[True, False])
    )


def unresolved_countries(df: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """Country names neither resolved nor declared null markers: ``column, name, rows``."""
    parts = []
    for column in columns:
        counts = df.group_by(column).agg(pl.len().alias("rows"))
        resolved = resolve_countries(counts[column]).select(
            pl.col("name").cast(df.schema[column]).alias(column), "resolved_by"
        )
        parts.append(
            counts.join(resolved, on=column, how="left", nulls_equal=True)
            .filter(pl.col("resolved_by").is_null())
            .select(
                pl.lit(column).alias("column"), pl.col(column).cast(pl.String).alias("name"), "rows"
            )
        )
    schema = {"column": pl.String, "name": pl.String, "rows": pl.UInt32}
    out = pl.concat(parts) if parts else pl.DataFrame(schema=schema)
    return out.sort("rows", descending=True)


def unknown_units(df: pl.DataFrame, unit_col: str) -> pl.DataFrame:
    """Unit spellings missing from units.csv (null included): ``spelling, rows``."""
    known = load_reference("units").select(_key(pl.col("spelling")).alias(_KEY))
    return (
        df.group_by(unit_col)
        .agg(pl.len().alias("rows"))
        .with_columns(_key(pl.col(unit_col)).alias(_KEY))
        .join(known, on=_KEY, how="anti")
        .select(pl.col(unit_col).cast(pl.String).alias("spelling"), "rows")
        .sort("rows", descending=True)
    )


def unresolved_report(
    df: pl.DataFrame,
    *,
    drug_col: str | None = None,
    unit_col: str | None = None,
    country_cols: Iterable[str] = (),
) -> dict[str, pl.DataFrame]:
    """Everything the reference tables could not place, for asset metadata."""
    report: dict[str, pl.DataFrame] = {}
    if drug_col is not None:
        report["unmapped_drugs"] = unmapped_drugs(df, drug_col)
    country_cols = list(country_cols)
    if country_cols:
        report["unresolved_countries"] = unresolved_countries(df, country_cols)
    if unit_col is not None:
        report["unknown_units"] = unknown_units(df, unit_col)
    return report
