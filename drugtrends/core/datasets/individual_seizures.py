"""Individual (case-level) seizures: resolve countries, map drugs, convert units, flag duplicates.

All lookups come from the versioned reference tables (``drugtrends/reference``); what they do
not cover stays null and is reported in the run's metadata, never guessed.

Duplicate rule: a row is ``is_duplicate`` when every source field (after trimming spaces and
reading "n/a"-style tokens as empty) equals that of an earlier row of the same file. The first
occurrence is not flagged; nothing is deleted. ``duplicate_count`` is the size of the group.
Route marts count each distinct report once (duplicates excluded) and also show the count with
duplicates, because some repeats are double reports and some are distinct small seizures.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from drugtrends.contracts import load_contract
from drugtrends.core.normalise import (
    convert_units,
    map_drugs,
    normalise_countries,
    unknown_units,
    unmapped_drugs,
    unresolved_countries,
)
from drugtrends.reference import version as reference_version

COUNTRY_COLUMNS = {
    "country": "country_iso3",
    "producing_country": "producing_iso3",
    "departure_country": "departure_iso3",
    "destination_country": "destination_iso3",
}
TOP = 25  # how many unresolved names the run metadata lists


def flag_duplicates(df: pl.DataFrame, fields: list[str]) -> pl.DataFrame:
    keys = [*fields, "source_file"]
    return df.with_columns(
        (pl.col("source_row").rank("ordinal").over(keys) > 1).alias("is_duplicate"),
        pl.len().over(keys).cast(pl.Int64).alias("duplicate_count"),
    )


def _top(frame: pl.DataFrame, label: str) -> list[dict[str, Any]]:
    return frame.sort("rows", descending=True).head(TOP).rename({label: "name"}).to_dicts()


def transform(clean: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
    fields = load_contract("individual_seizures").column_names
    out = normalise_countries(clean, COUNTRY_COLUMNS)
    out = map_drugs(out, "drug")
    out = convert_units(out, "quantity", "unit_reported", "drug_group", "drug_subgroup")
    out = flag_duplicates(out, fields).with_columns(
        pl.col("seizure_date").dt.year().cast(pl.Int64).alias("year"),
        pl.lit(reference_version()).alias("reference_version"),
    )
    rows = out.height
    with_kg = int(out["kg_equivalent"].is_not_null().sum())
    unresolved = unresolved_countries(out, list(COUNTRY_COLUMNS))
    metadata = {
        "rows_with_kg_equivalent": with_kg,
        "share_with_kg_equivalent": round(with_kg / rows, 4) if rows else None,
        "duplicate_rows": int(out["is_duplicate"].sum()),
        "unmapped_drug_names": _top(unmapped_drugs(out, "drug"), "drug_name"),
        "unresolved_country_names": unresolved.sort("rows", descending=True).head(TOP).to_dicts(),
        "unknown_unit_spellings": _top(unknown_units(out, "unit_reported"), "spelling"),
        "reference_version": reference_version(),
    }
    return out, metadata
