"""The data dictionary, generated from the data contracts (so it cannot drift from them).

``drugtrends data-dictionary`` rewrites ``docs/data_dictionary.md``; a test fails when the
committed file differs from what the contracts say.
"""

from __future__ import annotations

from pathlib import Path

from drugtrends.contracts import (
    CONTRACTS_DIR,
    PROVENANCE_COLUMNS,
    Column,
    Contract,
    contract_ids,
    load_contract,
)

DICTIONARY = CONTRACTS_DIR.parent / "docs" / "data_dictionary.md"


def _rule(col: Column) -> str:
    parts = []
    if col.required:
        parts.append("required")
    if col.allowed:
        parts.append("one of: " + ", ".join(f"`{v}`" for v in col.allowed))
    if col.allowed_reference:
        parts.append(f"in the `{col.allowed_reference}` reference list")
    if col.within:
        parts.append(f"listed there under the row's `{col.within}`")
    if col.pattern:
        parts.append(f"matches `{col.pattern}`")
    raw_range = col.doc_range or {}
    if raw_range:
        parts.append(f"range [{raw_range.get('min', '…')}, {raw_range.get('max', '…')}]")
    if col.unique:
        parts.append("unique")
    if col.severity == "blocking":
        parts.append("**blocking**: a break stops the region's publication")
    return "; ".join(parts)


def _section(contract: Contract) -> list[str]:
    doc = contract.doc
    lines = [
        f"## `{contract.table}`",
        "",
        f"**{doc.get('name', contract.id)}** — contract "
        f"`data_contracts/{contract.id}.yaml`, version {contract.version}.",
        "",
        contract.description,
        "",
    ]
    source = doc.get("source") or {}
    if source:
        lines += ["Source: " + "; ".join(f"{k}: {v}" for k, v in source.items()), ""]
    grain = ", ".join(f"`{g}`" for g in contract.grain)
    if grain:
        lines += [
            f"Grain: {grain}"
            + (
                " (unique)."
                if contract.grain_unique
                else " (not unique: rows with the same key add up)."
            ),
            "",
        ]
    lines += ["| column | type | unit | rules | description |", "|---|---|---|---|---|"]
    for col in contract.columns:
        aliases = f" (source headers: {', '.join(col.aliases)})" if col.aliases else ""
        lines.append(
            f"| `{col.name}` | {col.type} | {col.unit or ''} | {_rule(col)} | "
            f"{col.description}{aliases} |"
        )
    for col in contract.derived:
        lines.append(
            f"| `{col.name}` | {col.type} | {col.unit or ''} | derived | {col.description} |"
        )
    if contract.table.startswith("core."):
        lines.append(
            "| "
            + ", ".join(f"`{c}`" for c in PROVENANCE_COLUMNS)
            + " | | | provenance | See the top of this page. |"
        )
    return [*lines, ""]


def render() -> str:
    contracts = [load_contract(i) for i in contract_ids()]
    order = {"core": 0, "marts": 1, "quarantine": 2}
    contracts.sort(key=lambda c: (order.get(c.table.split(".")[0], 9), c.table))
    head = [
        "# Data dictionary",
        "",
        "Generated from `data_contracts/*.yaml` by `drugtrends data-dictionary`; do not edit by "
        "hand. Every table below is in the published snapshot "
        "(`$DRUGTRENDS_HOME/published/current.duckdb`).",
        "",
        "Provenance columns on core tables: `source_file` and `source_row` (the row as a person "
        "finds it in the file: the line number with the header on line 1, or the 1-based record "
        "of a JSON array), `file_id` (first 16 hex digits of the file's SHA-256, see "
        "`raw.files`), `contract_version`, `run_id` (the Dagster run) and `loaded_at`.",
        "",
    ]
    body = [line for c in contracts for line in _section(c)]
    return "\n".join(head + body).rstrip() + "\n"


def write(path: Path = DICTIONARY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path
