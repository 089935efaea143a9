"""Known errors in source data, declared once in ``reference/corrections.yaml`` and applied to
the raw rows before validation.

Each correction names the dataset and region, matches source rows by their values as
received, and says what to do: ``override`` (set values), ``scale`` (multiply one numeric
column), ``drop`` (the row goes to quarantine with the correction's reason, never silently
away) or ``flag`` (keep the row, mark it). Every correction carries a reason and evidence, and
a guard: ``expect_rows`` (how many rows it must match) and ``expect`` (the erroneous values it
must find). When the publisher fixes the source, the guard fails the region loudly, so a
correction is never applied twice or to the wrong row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from drugtrends.errors import ConfigError, SourceError

ACTIONS = ("override", "scale", "drop", "flag")
APPLIED = "_corrections"


@dataclass(frozen=True)
class Correction:
    id: str
    dataset: str
    region: str
    match: dict[str, str]
    action: str
    reason: str
    evidence: str
    expect_rows: int = 1
    expect: dict[str, str] = field(default_factory=dict)
    set: dict[str, str] = field(default_factory=dict)
    column: str | None = None
    factor: float | None = None


@dataclass(frozen=True)
class Registry:
    version: str
    corrections: tuple[Correction, ...]


def load_registry(path: Path | None = None) -> Registry:
    if path is None:
        text = (resources.files("drugtrends.reference") / "corrections.yaml").read_text("utf-8")
        where = "drugtrends/reference/corrections.yaml"
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    doc = yaml.safe_load(text) or {}
    out = []
    for i, c in enumerate(doc.get("corrections") or [], start=1):
        try:
            corr = Correction(
                id=str(c["id"]),
                dataset=c["dataset"],
                region=c["region"],
                match={k: str(v) for k, v in c["match"].items()},
                action=c["action"],
                reason=c["reason"],
                evidence=c["evidence"],
                expect_rows=int(c.get("expect_rows", 1)),
                expect={k: str(v) for k, v in (c.get("expect") or {}).items()},
                set={k: str(v) for k, v in (c.get("set") or {}).items()},
                column=c.get("column"),
                factor=float(c["factor"]) if c.get("factor") is not None else None,
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ConfigError(f"{where}, correction #{i}: malformed ({exc})") from exc
        if corr.action not in ACTIONS:
            raise ConfigError(f"{where}, correction {corr.id}: action must be one of {ACTIONS}")
        if corr.action == "scale" and (corr.column is None or corr.factor is None):
            raise ConfigError(f"{where}, correction {corr.id}: scale needs column and factor")
        out.append(corr)
    return Registry(version=str(doc.get("version", "0")), corrections=tuple(out))


def _matches(frame: pl.DataFrame, values: dict[str, str]) -> pl.Expr:
    expr = pl.lit(True)
    for column, value in values.items():
        if column not in frame.columns:
            raise ConfigError(f"correction matches unknown column {column!r}")
        expr = expr & (pl.col(column).str.strip_chars() == value)
    return expr


def apply_corrections(
    raw: pl.DataFrame, registry: Registry, dataset: str, region: str
) -> tuple[pl.DataFrame, pl.DataFrame | None, list[dict[str, Any]]]:
    """Apply the registry to a region's raw rows (all values still text).

    Returns (rows to validate, rows dropped by a correction or None, what was applied). The
    kept rows carry ``_corrections``: the ids applied to each row. Raises SourceError when a
    guard fails.
    """
    out = raw.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias(APPLIED))
    dropped = []
    applied: list[dict[str, Any]] = []
    for corr in registry.corrections:
        if corr.dataset != dataset or corr.region != region:
            continue
        hit = _matches(out, corr.match)
        found = out.filter(hit)
        if found.height != corr.expect_rows:
            raise SourceError(
                f"correction {corr.id}",
                f"expected {corr.expect_rows} row(s) matching "
                f"{corr.match}, found {found.height}: the source may have been fixed; review "
                f"and update or remove the correction (registry version {registry.version})",
            )
        for column, value in corr.expect.items():
            seen = sorted({str(v) for v in found[column].to_list()})
            if seen != [value]:
                rows = ", ".join(str(r) for r in found["_source_row"].to_list())
                raise SourceError(
                    f"correction {corr.id}",
                    f"expected {column} = {value!r} in row(s) {rows}, "
                    f"found {seen}: the source may have been fixed; review and update or "
                    f"remove the correction (registry version {registry.version})",
                )
        tag = (
            pl.when(hit)
            .then(pl.col(APPLIED).list.concat(pl.lit([corr.id])))
            .otherwise(pl.col(APPLIED))
        )
        if corr.action == "drop":
            dropped.append(
                found.with_columns(
                    pl.lit(f"correction.{corr.id}").alias("_rule"),
                    pl.lit(
                        f"dropped by correction {corr.id}: {corr.reason} ({corr.evidence})"
                    ).alias("_message"),
                )
            )
            out = out.filter(~hit)
        elif corr.action == "override":
            out = out.with_columns(
                [
                    pl.when(hit).then(pl.lit(v)).otherwise(pl.col(k)).alias(k)
                    for k, v in corr.set.items()
                ]
                + [tag.alias(APPLIED)]
            )
        elif corr.action == "scale":
            col, factor = corr.column, corr.factor
            assert col is not None and factor is not None  # load_registry requires both
            scaled = (pl.col(col).cast(pl.Float64, strict=False) * factor).cast(pl.String)
            out = out.with_columns(
                pl.when(hit).then(scaled).otherwise(pl.col(col)).alias(col), tag.alias(APPLIED)
            )
        else:  # flag
            out = out.with_columns(tag.alias(APPLIED))
        applied.append(
            {"id": corr.id, "action": corr.action, "rows": found.height, "reason": corr.reason}
        )
    dropped_frame = pl.concat(dropped, how="vertical_relaxed") if dropped else None
    return out, dropped_frame, applied
