"""Map a submission's headers to the contract's canonical columns (aliases, case, spacing)."""

from __future__ import annotations

import re
from typing import cast

import polars as pl

from drugtrends.contracts import EXTRA, Contract
from drugtrends.errors import SourceError


def _key(header: str) -> str:
    """Header comparison key: case, spacing and punctuation do not matter."""
    return re.sub(r"[^a-z0-9]+", "", header.lower())


def map_headers(
    df: pl.DataFrame, contract: Contract, *, name: str
) -> tuple[pl.DataFrame, list[str]]:
    """Rename aliases to canonical names, pack unknown columns into ``_extra`` (JSON).

    Returns the frame (canonical columns in contract order, all strings, missing optional
    columns as null) and the list of unknown headers, which the run reports.
    Raises SourceError when a required column is missing or a header is duplicated, naming
    the header row the reader found (``_header_row``; title rows may sit above it).
    """
    from drugtrends.raw.readers import HEADER_ROW, READER_COLUMNS

    header_row = cast(
        "int | None", df[HEADER_ROW].drop_nulls().first() if HEADER_ROW in df.columns else 1
    )
    lookup: dict[str, str] = {}
    for col in contract.columns:
        for alias in (col.name, *col.aliases):
            lookup[_key(alias)] = col.name
    renames: dict[str, str] = {}
    unknown: list[str] = []
    headers = [h for h in df.columns if h not in READER_COLUMNS]
    for header in headers:
        target = lookup.get(_key(header))
        if target is None:
            unknown.append(header)
        elif target in renames.values():
            first = next(h for h, t in renames.items() if t == target)
            raise SourceError(
                name, f"columns {first!r} and {header!r} both map to {target!r}", row=header_row
            )
        else:
            renames[header] = target
    missing = [
        c
        for c in contract.required
        if c not in renames.values() and c not in contract.recoded_columns
    ]
    if missing:
        raise SourceError(
            name,
            f"required column(s) missing: {', '.join(missing)} "
            f"(found: {', '.join(headers) or 'none'})",
            row=header_row,
        )
    extra = (
        pl.struct([pl.col(h) for h in unknown]).struct.json_encode()
        if unknown
        else pl.lit(None, pl.String)
    )
    out = df.select(
        [pl.col(src).alias(dst) for src, dst in renames.items()]
        + [
            pl.lit(None, pl.String).alias(c)
            for c in contract.column_names
            if c not in renames.values()
        ]
        + [extra.alias(EXTRA), pl.col("_source_row")]
    )
    return out.select([*contract.column_names, EXTRA, "_source_row"]), unknown
