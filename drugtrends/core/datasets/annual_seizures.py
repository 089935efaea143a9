"""Annual seizures: flag the rows UNODC's aggregation rules treat specially.

- ``is_total_row``: a drug reported as a subgroup total ("Total ..." or "... (total of the
  above ...)"). Where a country reports one, it stands for the subgroup and the components are not
  added on top (see ``sql/annual_seizures_by_subgroup.sql``).
- ``rollup_role``: how the subgroup enters its group's rollup: ``component`` (added),
  ``reported_total`` (overlaps the components: never added on top) or ``excluded`` (coca leaf and
  bush, not cocaine). Declared in ``reference/annual_subgroup_rules.csv``, not in code.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from drugtrends import reference

TOTAL_ROW_PATTERN = r"(?i)^\s*total\b|\(total of the above"


def subgroup_rules() -> pl.DataFrame:
    return reference.load("annual_subgroup_rules")


def transform(clean: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, Any]]:
    rules = subgroup_rules().select("drug_group", "drug_subgroup", "rollup_role")
    # A layout with no subregion (the earlier edition) gets the UNODC subregion of its country.
    subregions = reference.load("unodc_regions").select(
        pl.col("iso3").alias("country_iso3"),
        pl.col("subregion").replace("", None).alias("_subregion"),
    )
    out = (
        clean.join(subregions, on="country_iso3", how="left", maintain_order="left")
        .with_columns(pl.coalesce("subregion", "_subregion").alias("subregion"))
        .drop("_subregion")
        .with_columns(pl.col("drug").str.contains(TOTAL_ROW_PATTERN).alias("is_total_row"))
        .join(rules, on=["drug_group", "drug_subgroup"], how="left", maintain_order="left")
        .with_columns(pl.col("rollup_role").fill_null("component"))
    )
    metadata = {
        "total_rows": int(out["is_total_row"].sum()),
        "reported_total_rows": int((out["rollup_role"] == "reported_total").sum()),
        "zero_kg_rows": int((out["kg"] == 0).sum()),
    }
    return out, metadata
