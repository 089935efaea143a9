"""Data contracts: the YAML files in ``data_contracts/`` loaded into typed objects.

One contract drives every stage: header mapping (``drugtrends.raw.headers``), the row rules that
send rows to quarantine (``drugtrends.core.rules``), the Great Expectations suite that reports on
the clean batch (``drugtrends.core.gx``) and the data dictionary (``drugtrends.dictionary``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from drugtrends.errors import ConfigError

CONTRACTS_DIR = Path(__file__).resolve().parents[1] / "data_contracts"
EXTRA = "_extra"
PRESENT = "_present_"
# Columns every core table carries so each figure traces to its file, row and contract.
PROVENANCE_COLUMNS = (
    "source_file",
    "source_row",
    "file_id",
    "contract_version",
    "run_id",
    "loaded_at",
    "corrections",
)
NULL_TOKENS = ("", "n/a", "na", "-", "--", "null", "none", "nan", "..", "…")
NULL_PATTERN = "(?i)^(?:" + "|".join(re.escape(t) for t in NULL_TOKENS) + ")$"
TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "date": pl.Date,
    "boolean": pl.Boolean,
    "list": pl.List(pl.String),
    "timestamp": pl.Datetime,
    "json": pl.String,
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] | None = None
    allowed_reference: str | None = None
    # The reference list pairs each value with one of this other column (a drug subgroup with
    # its drug group): the pair must be listed, not only each value on its own.
    within: str | None = None
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
class Recode:
    """Source-side names rewritten to canonical ones through a reference table, before the row
    rules: e.g. an older edition's drug group and drug names mapped to the current taxonomy.

    ``match`` maps a canonical column to the reference column holding its source-side value
    (compared on trimmed, single-spaced, lower-case text; empty matches empty); ``set`` maps a
    canonical column to the reference column giving its new value. Rows that match no reference
    row are left as they are (and the row rules decide about them).
    """

    reference: str
    match: dict[str, str]
    set: dict[str, str]


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
    recodes: tuple[Recode, ...] = ()
    doc: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def recoded_columns(self) -> set[str]:
        """Columns a recode can fill: a source may lack their header."""
        return {c for r in self.recodes for c in r.set}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def blocking_rules(self, rule_counts: dict[str, int]) -> dict[str, int]:
        """The quarantined-row counts whose rule sits on a column of blocking severity."""
        blocking = {c.name for c in self.columns if c.severity == "blocking"}
        return {r: n for r, n in rule_counts.items() if r.split(".", 1)[0] in blocking}


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
        columns = _columns(doc["columns"], path)
        derived = _columns(doc.get("derived") or [], path)
        bad_types = [c.name for c in (*columns, *derived) if c.type not in TYPES]
        if bad_types:
            raise ConfigError(f"{path}: unknown type for column(s) {', '.join(bad_types)}")
        bad_severity = [c.name for c in columns if c.severity not in ("row", "blocking")]
        if bad_severity:
            raise ConfigError(
                f"{path}: severity must be row or blocking: {', '.join(bad_severity)}"
            )
        rc = doc.get("row_count") or {}
        return Contract(
            id=doc["id"],
            version=str(doc["version"]),
            columns=columns,
            description=str(doc.get("description", "")).strip(),
            grain=tuple(doc.get("grain", ())),
            grain_unique=bool(doc.get("grain_unique")),
            row_count_min=int(rc.get("min", 0)),
            row_count_max=int(rc["max"]) if rc.get("max") is not None else None,
            max_quarantine_share=float(doc.get("max_quarantine_share", 1.0)),
            table=str(doc.get("table") or f"core.{doc['id']}"),
            derived=derived,
            recodes=tuple(
                Recode(str(r["reference"]), dict(r["match"]), dict(r["set"]))
                for r in doc.get("recode") or []
            ),
            doc=doc,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed contract ({exc})") from exc


COLUMN_KEYS = frozenset(
    {"name", "type", "required", "aliases", "allowed", "allowed_reference", "pattern", "range"}
    | {"unique", "unit", "description", "severity", "within"}
)


def _columns(entries: list[dict[str, Any]], path: Path) -> tuple[Column, ...]:
    out = []
    for c in entries:
        # In a flow mapping (``{name: x, description: a, b}``) an unquoted comma ends the value
        # and the rest turns into keys: refuse it rather than publish a description cut short.
        unknown = sorted(str(k) for k in set(c) - COLUMN_KEYS)
        if unknown:
            raise ConfigError(
                f"{path}: column {c.get('name')}: unknown key(s) {', '.join(map(repr, unknown))}"
                " (a value holding a comma must be quoted)"
            )
        col_type = c.get("type", "string")
        bounds = c.get("range") or {}
        out.append(
            Column(
                name=c["name"],
                type=col_type,
                required=bool(c.get("required")),
                aliases=tuple(c.get("aliases", ())),
                allowed=tuple(c["allowed"]) if c.get("allowed") else None,
                allowed_reference=c.get("allowed_reference"),
                within=c.get("within"),
                pattern=c.get("pattern"),
                min=_bound(bounds.get("min"), col_type),
                max=_bound(bounds.get("max"), col_type),
                unique=bool(c.get("unique")),
                unit=c.get("unit"),
                description=str(c.get("description", "")).strip(),
                doc_range=c.get("range"),
                severity=str(c.get("severity", "row")),
            )
        )
    return tuple(out)
