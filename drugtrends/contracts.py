"""Data contracts: load the YAML, map headers, type the columns, and flag rows that break a rule.

The same contract drives three things: header mapping (aliases, case and spacing), the row rules
that send rows to quarantine (vectorised Polars expressions, fast at millions of rows), and the
Great Expectations suite that reports on the clean batch (see ``drugtrends.gx``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from drugtrends.errors import ConfigError, SourceError

CONTRACTS_DIR = Path(__file__).resolve().parents[1] / "data_contracts"
EXTRA = "_extra"
PRESENT = "_present_"
# Columns every core table carries so each figure traces to its file, row and contract.
PROVENANCE_COLUMNS = ("source_file", "source_row", "file_id", "contract_version", "run_id",
                      "loaded_at", "corrections")
NULL_TOKENS = ("", "n/a", "na", "-", "--", "null", "none", "nan", "..", "…")
NULL_PATTERN = "(?i)^(?:" + "|".join(re.escape(t) for t in NULL_TOKENS) + ")$"
TYPES = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "date": pl.Date,
         "boolean": pl.Boolean, "list": pl.List(pl.String), "timestamp": pl.Datetime,
         "json": pl.String}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] | None = None
    allowed_reference: str | None = None
    pattern: str | None = None
    min: float | date | None = None
    max: float | date | None = None
    unique: bool = False
    unit: str | None = None
    description: str = ""
    doc_range: dict[str, Any] | None = field(default=None, compare=False)
    # "row": a row breaking a rule on this column is quarantined, the region publishes.
    # "blocking": any such row also stops the region from publishing (its last good data stays).
    severity: str = "row"


@dataclass(frozen=True)
class Contract:
    id: str
    version: str
    columns: tuple[Column, ...]
    description: str = ""
    grain: tuple[str, ...] = ()
    grain_unique: bool = False
    row_count_min: int = 0
    row_count_max: int | None = None
    max_quarantine_share: float = 1.0
    table: str = ""
    derived: tuple[Column, ...] = ()
    doc: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def blocking_rules(self, rule_counts: dict[str, int]) -> dict[str, int]:
        """The quarantined-row counts whose rule sits on a column of blocking severity."""
        blocking = {c.name for c in self.columns if c.severity == "blocking"}
        return {r: n for r, n in rule_counts.items() if r.split(".", 1)[0] in blocking}


@dataclass(frozen=True)
class RowRule:
    """A row-level rule: ``violated`` is True on rows that go to quarantine."""

    name: str
    column: str
    violated: pl.Expr
    message: pl.Expr


def _bound(value: Any, col_type: str) -> float | date | None:
    """A range bound; ``current_year`` / ``today`` keep the window moving with the calendar."""
    if value is None:
        return None
    if value == "current_year":
        return float(date.today().year)
    if value == "today":
        return date.today()
    if col_type == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return float(value)


def contract_ids(directory: Path = CONTRACTS_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.yaml"))


def load_contract(dataset: str, directory: Path = CONTRACTS_DIR) -> Contract:
    path = directory / f"{dataset}.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"no data contract for dataset {dataset!r} ({path})") from exc
    try:
        columns = _columns(doc["columns"])
        derived = _columns(doc.get("derived") or [])
        bad_types = [c.name for c in (*columns, *derived) if c.type not in TYPES]
        if bad_types:
            raise ConfigError(f"{path}: unknown type for column(s) {', '.join(bad_types)}")
        bad_severity = [c.name for c in columns if c.severity not in ("row", "blocking")]
        if bad_severity:
            raise ConfigError(f"{path}: severity must be row or blocking: "
                              f"{', '.join(bad_severity)}")
        rc = doc.get("row_count") or {}
        return Contract(
            id=doc["id"], version=str(doc["version"]), columns=columns,
            description=str(doc.get("description", "")).strip(),
            grain=tuple(doc.get("grain", ())), grain_unique=bool(doc.get("grain_unique")),
            row_count_min=int(rc.get("min", 0)),
            row_count_max=int(rc["max"]) if rc.get("max") is not None else None,
            max_quarantine_share=float(doc.get("max_quarantine_share", 1.0)),
            table=str(doc.get("table") or f"core.{doc['id']}"), derived=derived, doc=doc,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed contract ({exc})") from exc


def _columns(entries: list[dict[str, Any]]) -> tuple[Column, ...]:
    out = []
    for c in entries:
        col_type = c.get("type", "string")
        bounds = c.get("range") or {}
        out.append(Column(
            name=c["name"], type=col_type, required=bool(c.get("required")),
            aliases=tuple(c.get("aliases", ())),
            allowed=tuple(c["allowed"]) if c.get("allowed") else None,
            allowed_reference=c.get("allowed_reference"), pattern=c.get("pattern"),
            min=_bound(bounds.get("min"), col_type), max=_bound(bounds.get("max"), col_type),
            unique=bool(c.get("unique")), unit=c.get("unit"),
            description=str(c.get("description", "")).strip(), doc_range=c.get("range"),
            severity=str(c.get("severity", "row")),
        ))
    return tuple(out)


def _key(header: str) -> str:
    """Header comparison key: case, spacing and punctuation do not matter."""
    return re.sub(r"[^a-z0-9]+", "", header.lower())


def map_headers(df: pl.DataFrame, contract: Contract, *,
                name: str) -> tuple[pl.DataFrame, list[str]]:
    """Rename aliases to canonical names, pack unknown columns into ``_extra`` (JSON).

    Returns the frame (canonical columns in contract order, all strings, missing optional
    columns as null) and the list of unknown headers, which the run reports.
    Raises SourceError when a required column is missing or a header is duplicated, naming
    the header row the reader found (``_header_row``; title rows may sit above it).
    """
    from drugtrends.readers import HEADER_ROW, READER_COLUMNS

    header_row = (df[HEADER_ROW].drop_nulls().first() if HEADER_ROW in df.columns else 1)
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
            raise SourceError(name, f"columns {first!r} and {header!r} both map to {target!r}",
                              row=header_row)
        else:
            renames[header] = target
    missing = [c for c in contract.required if c not in renames.values()]
    if missing:
        raise SourceError(name, f"required column(s) missing: {', '.join(missing)} "
                                f"(found: {', '.join(headers) or 'none'})", row=header_row)
    extra = (pl.struct([pl.col(h) for h in unknown]).struct.json_encode() if unknown
             else pl.lit(None, pl.String))
    out = df.select(
        [pl.col(src).alias(dst) for src, dst in renames.items()]
        + [pl.lit(None, pl.String).alias(c) for c in contract.column_names
           if c not in renames.values()]
        + [extra.alias(EXTRA), pl.col("_source_row")]
    )
    return out.select([*contract.column_names, EXTRA, "_source_row"]), unknown


def _clean_text(col: str) -> pl.Expr:
    """Trim, and treat the usual 'not available' tokens as null."""
    c = pl.col(col).str.strip_chars()
    # One anchored regex, not a lower-cased copy of every value: this runs on every cell.
    return pl.when(c.str.contains(NULL_PATTERN)).then(None).otherwise(c)


def _number_text(col: str) -> pl.Expr:
    """Number text as Polars parses it. The decimal separator is '.', always.

    Thousands may be grouped by spaces (also no-break and narrow no-break): 1 234 567.5, or by
    commas where that cannot be a decimal comma: 1,234.5 and 1,234,567. Anything else must parse
    as is, so these stay unparseable and their row is quarantined by the type rule: a decimal
    comma (12,5 and 1 234,5), dots as thousands (1.234.567), and 1,234 or 12,345 (one comma
    group, no decimal point: a thousand times more in one convention than in the other).
    """
    c = _clean_text(col)
    spaced = c.str.contains(r"^[+-]?[0-9]{1,3}([ \u00a0\u202f][0-9]{3})+(\.[0-9]+)?$")
    commas = c.str.contains(r"^[+-]?[0-9]{1,3}(,[0-9]{3}){2,}(\.[0-9]+)?$"
                            r"|^[+-]?[0-9]{1,3},[0-9]{3}\.[0-9]+$")
    return (pl.when(spaced).then(c.str.replace_all(r"[ \u00a0\u202f]", ""))
            .when(commas).then(c.str.replace_all(",", ""))
            .otherwise(c))


def typed_columns(contract: Contract) -> list[pl.Expr]:
    """Expressions turning the string columns into the contract types (null where unparseable)."""
    exprs = []
    for col in contract.columns:
        if col.type == "string":
            exprs.append(_clean_text(col.name).alias(col.name))
        elif col.type == "integer":
            num = _number_text(col.name).cast(pl.Float64, strict=False)
            exprs.append(pl.when(num == num.round(0)).then(num).otherwise(None)
                         .cast(pl.Int64, strict=False).alias(col.name))
        elif col.type == "number":
            num = _number_text(col.name).cast(pl.Float64, strict=False)
            exprs.append(pl.when(num.is_finite()).then(num).otherwise(None).alias(col.name))
        elif col.type == "date":
            exprs.append(_clean_text(col.name).str.to_date("%Y-%m-%d", strict=False)
                         .alias(col.name))
        else:
            exprs.append(_clean_text(col.name).str.to_lowercase().is_in(["true", "1", "yes"])
                         .alias(col.name))
    return exprs


@cache
def reference_values(name: str) -> frozenset[str]:
    """Allowed-value lists that live in reference data rather than in the contract."""
    if name == "iso3":
        import logging

        import country_converter as coco

        logging.getLogger("country_converter").setLevel(logging.ERROR)
        return frozenset(coco.CountryConverter().data["ISO3"].dropna().astype(str))
    raise ConfigError(f"unknown allowed_reference {name!r}")


def row_rules(contract: Contract, raw_prefix: str = "_raw_") -> list[RowRule]:
    """Rules over a frame holding typed columns and, as ``_raw_<col>``, the original text."""
    rules: list[RowRule] = []
    for col in contract.columns:
        c, raw = pl.col(col.name), pl.col(raw_prefix + col.name)
        # Strings: the typed value is the cleaned text. Others: precomputed by apply_contract.
        raw_present = (c.is_not_null() if col.type == "string"
                       else pl.col(PRESENT + col.name))
        shown = pl.format("'{}'", raw.fill_null(""))
        if col.type == "string":
            # A spreadsheet formula saved without its value must not pass as text.
            rules.append(RowRule(f"{col.name}.formula", col.name, c.str.starts_with("="),
                                 pl.format("{} {} is a spreadsheet formula with no saved value",
                                           pl.lit(col.name), shown)))
        else:
            rules.append(RowRule(f"{col.name}.type", col.name, raw_present & c.is_null(),
                                 pl.format("{} {} is not a valid {}", pl.lit(col.name), shown,
                                           pl.lit(col.type))))
        if col.required:
            rules.append(RowRule(f"{col.name}.required", col.name, ~raw_present,
                                 pl.lit(f"{col.name} is required but empty")))
        if col.pattern:
            rules.append(RowRule(f"{col.name}.pattern", col.name,
                                 c.is_not_null() & ~c.str.contains(col.pattern),
                                 pl.format("{} {} does not match {}", pl.lit(col.name), shown,
                                           pl.lit(col.pattern))))
        allowed = col.allowed or (sorted(reference_values(col.allowed_reference))
                                  if col.allowed_reference else None)
        if allowed:
            label = (f"the {col.allowed_reference} reference list" if col.allowed_reference
                     else "the allowed values")
            rules.append(RowRule(f"{col.name}.allowed", col.name,
                                 c.is_not_null() & ~c.is_in(list(allowed)),
                                 pl.format("{} {} is not in {}", pl.lit(col.name), shown,
                                           pl.lit(label))))
        if col.min is not None or col.max is not None:
            inside = pl.lit(True)
            if col.min is not None:
                inside = inside & (c >= pl.lit(col.min))
            if col.max is not None:
                inside = inside & (c <= pl.lit(col.max))
            window = f"[{_show(col.min)}, {_show(col.max)}]"
            rules.append(RowRule(f"{col.name}.range", col.name, c.is_not_null() & ~inside,
                                 pl.format("{} {} is outside {}", pl.lit(col.name), shown,
                                           pl.lit(window))))
    return rules


def _show(bound: float | date | None) -> str:
    if bound is None:
        return "..."
    return bound.isoformat() if isinstance(bound, date) else f"{bound:g}"


def apply_contract(df: pl.DataFrame, contract: Contract) -> pl.DataFrame:
    """Type the canonical string columns and flag rule breaks, all vectorised.

    Returns the frame with typed columns, ``_raw_<col>`` originals, ``_rule`` (first rule
    broken, null when the row is clean) and ``_message`` (every rule broken, joined by '; ').
    Clean rows come first, then the rejected ones; messages are only built for the latter.
    """
    rules = row_rules(contract)
    flags = [f"_violates_{i}" for i in range(len(rules))]
    present = [_clean_text(c.name).is_not_null().alias(PRESENT + c.name)
               for c in contract.columns if c.type != "string"]
    typed = (
        df.with_columns([pl.col(c).alias("_raw_" + c) for c in contract.column_names] + present)
        .with_columns(typed_columns(contract))
        .with_columns([r.violated.alias(f) for r, f in zip(rules, flags, strict=True)])
        .with_columns(pl.coalesce([pl.when(pl.col(f)).then(pl.lit(r.name))
                                   for r, f in zip(rules, flags, strict=True)]
                                  or [pl.lit(None, pl.String)]).alias("_rule"))
    )
    helpers = flags + [PRESENT + c.name for c in contract.columns if c.type != "string"]
    good = typed.filter(pl.col("_rule").is_null()).with_columns(
        pl.lit(None, pl.String).alias("_message"))
    bad = typed.filter(pl.col("_rule").is_not_null()).with_columns(
        pl.concat_str([pl.when(pl.col(f)).then(r.message)
                       for r, f in zip(rules, flags, strict=True)],
                      separator="; ", ignore_nulls=True).alias("_message"))
    return pl.concat([good, bad]).drop(helpers)
