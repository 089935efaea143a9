"""Recodes: source-side names rewritten to canonical ones through reference tables.

Declared in a contract's ``recode:`` list (see ``drugtrends.contracts.Recode``), applied to the
raw text before corrections and row rules, so an older layout with older names (e.g. an earlier
edition's "ATS" / "Cocaine-type" groups and no subgroup column) reaches the same core columns
as the current layout. Mappings are data: the reference CSV, never a code branch.
"""

from __future__ import annotations

import polars as pl

from drugtrends import reference
from drugtrends.contracts import Contract, Recode

_HIT = "_recode_hit"


def apply_recode(raw: pl.DataFrame, recode: Recode) -> tuple[pl.DataFrame, int]:
    """Rewrite the ``set`` columns of rows whose ``match`` columns are in the reference table."""
    table = reference.load(recode.reference)
    keys = [f"_recode_key_{c}" for c in recode.match]
    lookup = table.select(
        *[
            reference.text_key(pl.col(src)).alias(k)
            for k, src in zip(keys, recode.match.values(), strict=True)
        ],
        *[pl.col(src).alias(f"_recode_set_{c}") for c, src in recode.set.items()],
        pl.lit(True).alias(_HIT),
    )
    frame = raw.with_columns(
        *[
            reference.text_key(pl.col(c) if c in raw.columns else pl.lit(None, pl.String)).alias(k)
            for k, c in zip(keys, recode.match, strict=True)
        ]
    ).join(lookup, on=keys, how="left", maintain_order="left")
    hits = int(frame[_HIT].sum() or 0)
    out = frame.with_columns(
        pl.when(pl.col(_HIT)).then(pl.col(f"_recode_set_{c}")).otherwise(pl.col(c)).alias(c)
        for c in recode.set
    )
    return out.drop(*keys, *[f"_recode_set_{c}" for c in recode.set], _HIT), hits


def apply_recodes(raw: pl.DataFrame, contract: Contract) -> tuple[pl.DataFrame, dict[str, int]]:
    """Every recode of the contract in order; returns the frame and rows recoded per table."""
    counts: dict[str, int] = {}
    for recode in contract.recodes:
        raw, hits = apply_recode(raw, recode)
        if hits:
            counts[recode.reference] = hits
    return raw, counts
