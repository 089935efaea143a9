"""Row rules: type the canonical string columns and flag every rule a row breaks.

Vectorised Polars expressions compiled from the contract, fast at millions of rows; a row that
breaks a rule goes to quarantine with the rule's name and a message (``core.quarantine``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import polars as pl

from drugtrends.contracts import NULL_PATTERN, PRESENT, Contract
from drugtrends.errors import ConfigError
from drugtrends.reference import load as load_reference
from drugtrends.reference import taxonomy_key

# C0/C1 controls except tab, LF and CR; zero-width and bidi formatting characters.
CONTROL_CHARACTERS = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


@dataclass(frozen=True)
class RowRule:
    """A row-level rule: ``violated`` is True on rows that go to quarantine."""

    name: str
    column: str
    violated: pl.Expr
    message: pl.Expr


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
    commas = c.str.contains(
        r"^[+-]?[0-9]{1,3}(,[0-9]{3}){2,}(\.[0-9]+)?$"
        r"|^[+-]?[0-9]{1,3},[0-9]{3}\.[0-9]+$"
    )
    return (
        pl.when(spaced)
        .then(c.str.replace_all(r"[ \u00a0\u202f]", ""))
        .when(commas)
        .then(c.str.replace_all(",", ""))
        .otherwise(c)
    )


def canonical_spellings(df: pl.DataFrame, contract: Contract) -> dict[str, dict[str, str]]:
    """Per list-checked string column: each distinct value whose taxonomy key matches an allowed
    value but whose text differs from it -> the allowed spelling (``Coca-Type`` -> ``Coca-type``).

    Worked out on the distinct values (a few dozen), not on every row. A value matching no key
    is left as written, for the ``.allowed`` rule to quarantine.
    """
    out: dict[str, dict[str, str]] = {}
    for col in contract.columns:
        allowed = allowed_values(col) if col.type == "string" else None
        if not allowed or col.allowed_reference == "iso3" or col.name not in df.columns:
            continue
        keys = pl.DataFrame({"value": allowed}).select(
            taxonomy_key(pl.col("value")).alias("k"), pl.col("value").alias("canonical")
        )
        seen = (
            df.select(pl.col(col.name).unique())
            .select(_clean_text(col.name).unique().drop_nulls().alias("text"))
            .with_columns(taxonomy_key(pl.col("text")).alias("k"))
            .join(keys.unique("k", keep="first"), on="k", how="inner")
            .filter(pl.col("text") != pl.col("canonical"))
        )
        if seen.height:
            out[col.name] = dict(
                zip(seen["text"].to_list(), seen["canonical"].to_list(), strict=True)
            )
    return out


def allowed_values(col) -> list[str] | None:
    if col.allowed:
        return list(col.allowed)
    if col.allowed_reference:
        return sorted(reference_values(col.allowed_reference))
    return None


def typed_columns(
    contract: Contract, spellings: dict[str, dict[str, str]] | None = None
) -> list[pl.Expr]:
    """Expressions turning the string columns into the contract types (null where unparseable).

    ``spellings`` (``canonical_spellings``) respells look-alikes as the allowed list spells them.
    """
    exprs = []
    spellings = spellings or {}
    for col in contract.columns:
        if col.type == "string":
            text = _clean_text(col.name)
            if spellings.get(col.name):
                text = text.replace(spellings[col.name])
            exprs.append(text.alias(col.name))
        elif col.type == "integer":
            # Written as an integer: "2e3" or "2019.5" is not a year (an exponent is a typo).
            num = _number_text(col.name).cast(pl.Float64, strict=False)
            written = pl.col(col.name).str.contains(
                r"^\s*[+-]?[0-9][0-9 \u00a0\u202f,]*(\.0*)?\s*$"
            )
            exprs.append(
                pl.when(written & (num == num.round(0)))
                .then(num)
                .otherwise(None)
                .cast(pl.Int64, strict=False)
                .alias(col.name)
            )
        elif col.type == "number":
            num = _number_text(col.name).cast(pl.Float64, strict=False)
            exprs.append(pl.when(num.is_finite()).then(num).otherwise(None).alias(col.name))
        elif col.type == "date":
            exprs.append(
                _clean_text(col.name).str.to_date("%Y-%m-%d", strict=False).alias(col.name)
            )
        else:
            exprs.append(
                _clean_text(col.name).str.to_lowercase().is_in(["true", "1", "yes"]).alias(col.name)
            )
    return exprs


@cache
def reference_values(name: str) -> frozenset[str]:
    """Allowed-value lists that live in reference data rather than in the contract."""
    if name == "iso3":
        import logging

        import country_converter as coco

        logging.getLogger("country_converter").setLevel(logging.ERROR)
        return frozenset(coco.CountryConverter().data["ISO3"].dropna().astype(str))
    if name == "drug_subgroups":
        return frozenset(load_reference("drug_subgroups")["drug_subgroup"].to_list())
    raise ConfigError(f"unknown allowed_reference {name!r}")


@cache
def reference_pairs(name: str, within: str, column: str) -> dict[str, tuple[str, ...]]:
    """The reference list ``name`` as {``within`` value: its allowed ``column`` values}."""
    frame = load_reference(name)
    missing = {within, column} - set(frame.columns)
    if missing:
        raise ConfigError(f"reference {name!r} has no column(s) {', '.join(sorted(missing))}")
    pairs: dict[str, list[str]] = {}
    for parent, value in frame.select(within, column).iter_rows():
        pairs.setdefault(parent, []).append(value)
    return {parent: tuple(values) for parent, values in pairs.items()}


def _pair_rule(contract: Contract, col) -> RowRule:
    """``<col>.within``: both values are allowed on their own but the reference does not list
    them together (subgroup "Heroin" under group "Cocaine and Derivatives"). Quarantined, never
    aggregated into a group it does not belong to."""
    parent = next((p for p in contract.columns if p.name == col.within), None)
    if parent is None or not col.allowed_reference:
        raise ConfigError(
            f"contract {contract.id}: column {col.name}: 'within: {col.within}' needs an "
            "allowed_reference list and a column of that name"
        )
    pairs = reference_pairs(col.allowed_reference, col.within, col.name)
    c, p = pl.col(col.name), pl.col(col.within)
    key = pl.concat_str([p, c], separator="\x1f")
    listed = [f"{g}\x1f{v}" for g, values in pairs.items() for v in values]
    parent_allowed = allowed_values(parent)
    both_known = c.is_in(sorted({v for values in pairs.values() for v in values})) & (
        p.is_in(parent_allowed) if parent_allowed else p.is_not_null()
    )
    # Where the value is listed, and under which parent(s): said in the message.
    homes = (
        pl.DataFrame(
            [(v, g) for g, values in pairs.items() for v in values],
            schema=["value", "parent"],
            orient="row",
        )
        .group_by("value")
        .agg(pl.col("parent").sort().str.join("', '"))
    )
    home = c.replace_strict(
        homes["value"].to_list(), homes["parent"].to_list(), default=None, return_dtype=pl.String
    )
    return RowRule(
        f"{col.name}.within",
        col.name,
        both_known & ~key.is_in(listed),
        pl.format(
            "{} '{}' is not listed under {} '{}' in the {} reference list (it is listed under "
            "'{}'): the pair is quarantined, not aggregated",
            pl.lit(col.name),
            c,
            pl.lit(col.within),
            p,
            pl.lit(col.allowed_reference),
            home,
        ),
    )


def row_rules(contract: Contract, raw_prefix: str = "_raw_") -> list[RowRule]:
    """Rules over a frame holding typed columns and, as ``_raw_<col>``, the original text."""
    rules: list[RowRule] = []
    for col in contract.columns:
        c, raw = pl.col(col.name), pl.col(raw_prefix + col.name)
        # Strings: the typed value is the cleaned text. Others: precomputed by apply_contract.
        raw_present = c.is_not_null() if col.type == "string" else pl.col(PRESENT + col.name)
        shown = pl.format("'{}'", raw.fill_null(""))
        if col.type == "string":
            # NUL, control and bidi-override characters hide or reorder what a reader sees.
            rules.append(
                RowRule(
                    f"{col.name}.control",
                    col.name,
                    raw.str.contains(CONTROL_CHARACTERS).fill_null(False),
                    pl.format(
                        "{} '{}' holds invisible control or text-direction characters (shown "
                        "as \u2423)",
                        pl.lit(col.name),
                        raw.str.replace_all(CONTROL_CHARACTERS, "\u2423"),
                    ),
                )
            )
            # A spreadsheet formula saved without its value must not pass as text.
            rules.append(
                RowRule(
                    f"{col.name}.formula",
                    col.name,
                    c.str.starts_with("="),
                    pl.format(
                        "{} {} is a spreadsheet formula with no saved value",
                        pl.lit(col.name),
                        shown,
                    ),
                )
            )
        else:
            rules.append(
                RowRule(
                    f"{col.name}.type",
                    col.name,
                    raw_present & c.is_null(),
                    pl.format("{} {} is not a valid {}", pl.lit(col.name), shown, pl.lit(col.type)),
                )
            )
        if col.required:
            rules.append(
                RowRule(
                    f"{col.name}.required",
                    col.name,
                    ~raw_present,
                    pl.lit(f"{col.name} is required but empty"),
                )
            )
        if col.pattern:
            rules.append(
                RowRule(
                    f"{col.name}.pattern",
                    col.name,
                    c.is_not_null() & ~c.str.contains(col.pattern),
                    pl.format(
                        "{} {} does not match {}", pl.lit(col.name), shown, pl.lit(col.pattern)
                    ),
                )
            )
        allowed = allowed_values(col)
        if allowed:
            label = (
                f"the {col.allowed_reference} reference list"
                if col.allowed_reference
                else "the allowed values"
            )
            rules.append(
                RowRule(
                    f"{col.name}.allowed",
                    col.name,
                    c.is_not_null() & ~c.is_in(list(allowed)),
                    pl.format("{} {} is not in {}", pl.lit(col.name), shown, pl.lit(label)),
                )
            )
        if col.within:
            rules.append(_pair_rule(contract, col))
        if col.min is not None or col.max is not None:
            inside = pl.lit(True)
            if col.min is not None:
                inside = inside & (c >= pl.lit(col.min))
            if col.max is not None:
                inside = inside & (c <= pl.lit(col.max))
            window = f"[{_show(col.min)}, {_show(col.max)}]"
            rules.append(
                RowRule(
                    f"{col.name}.range",
                    col.name,
                    c.is_not_null() & ~inside,
                    pl.format("{} {} is outside {}", pl.lit(col.name), shown, pl.lit(window)),
                )
            )
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
    present = [
        _clean_text(c.name).is_not_null().alias(PRESENT + c.name)
        for c in contract.columns
        if c.type != "string"
    ]
    first_broken: list[pl.Expr] = [
        pl.when(pl.col(f)).then(pl.lit(r.name)) for r, f in zip(rules, flags, strict=True)
    ]
    typed = (
        df.with_columns([pl.col(c).alias("_raw_" + c) for c in contract.column_names] + present)
        .with_columns(typed_columns(contract, canonical_spellings(df, contract)))
        .with_columns([r.violated.alias(f) for r, f in zip(rules, flags, strict=True)])
        .with_columns(pl.coalesce(first_broken or [pl.lit(None, pl.String)]).alias("_rule"))
    )
    helpers = flags + [PRESENT + c.name for c in contract.columns if c.type != "string"]
    good = typed.filter(pl.col("_rule").is_null()).with_columns(
        pl.lit(None, pl.String).alias("_message")
    )
    bad = typed.filter(pl.col("_rule").is_not_null()).with_columns(
        pl.concat_str(
            [pl.when(pl.col(f)).then(r.message) for r, f in zip(rules, flags, strict=True)],
            separator="; ",
            ignore_nulls=True,
        ).alias("_message")
    )
    return pl.concat([good, bad]).drop(helpers)
