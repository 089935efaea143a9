"""Quarantine rules in plain words: what was rejected, why, and what to do about it.

A quarantined row carries the id of the first rule it broke (``<column>.<kind>``, e.g.
``kg.range``) and a message naming every rule it broke (``kg '-484' is outside [0, 1e+08]``).
:data:`RULE_KINDS` maps each kind of rule (``drugtrends/core/rules.py``, ``core/quarantine.py``,
``core/corrections.py``) to sentences a reader without the contract can act on; the rule id
stays beside them as the technical detail. Pure functions, no Streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class RuleText:
    """Templates for one kind of rule; ``{field}`` is the column in words, ``{value}`` the value
    as received, ``{window}`` a range's bounds, ``{hint}`` the usual cause."""

    what: str
    why: str
    todo: str


RULE_KINDS: dict[str, RuleText] = {
    "required": RuleText(
        "a row with no {field}",
        "every row must give its {field}, and this one left it empty",
        "fill in the {field} in the source file and send the row again",
    ),
    "range": RuleText(
        "a row giving the {field} as {value}",
        "the {field} must be {window}, and {value} is not{hint}",
        "check the figure against the original record and send a corrected row",
    ),
    "type": RuleText(
        "a row whose {field} reads {value}",
        "{value} cannot be read as a {kind_of_value} (for example a decimal comma, a word or a "
        "date in another format)",
        "write the {field} as a plain {kind_of_value} and send the row again",
    ),
    "allowed": RuleText(
        "a row giving the {field} as {value}",
        "{value} is not one of the accepted values for the {field} (a misspelling or a code "
        "that is not on the list)",
        "use one of the accepted values (see Methodology and sources) or ask for the list to "
        "be extended",
    ),
    "pattern": RuleText(
        "a row whose {field} reads {value}",
        "{value} is not written in the expected form for the {field}",
        "write the {field} in the form the data contract gives and send the row again",
    ),
    "control": RuleText(
        "a row whose {field} holds invisible characters",
        "hidden control or text-direction characters can change what a reader sees",
        "remove the hidden characters (retype the value) and send the row again",
    ),
    "formula": RuleText(
        "a row whose {field} is a spreadsheet formula",
        "the file was saved with the formula but not its result, so there is no value to read",
        "save the spreadsheet with its values (or paste the values) and send the file again",
    ),
    "partition": RuleText(
        "a row filed under the wrong region",
        "its country belongs to another region than the file it came in",
        "send the row in that region's submission",
    ),
    "within": RuleText(
        "a row giving the {field} as {value}",
        "{value} is a known {field}, but not one that belongs to the drug group the row gives, "
        "so it cannot be counted under that group",
        "check the drug group and the {field} together (see Methodology and sources) and send "
        "a corrected row",
    ),
    "correction": RuleText(
        "a row removed by a recorded correction",
        "the corrections registry says this source row is wrong and must not be used",
        "nothing, unless the source has been fixed: then review the correction",
    ),
}
UNKNOWN = RuleText(
    "a row that broke the rule {rule}",
    "it did not meet the data contract",
    "read the message and the data contract, correct the row and send it again",
)
FIELDS = {
    "kg": "quantity seized (kg)",
    "kg_equivalent": "quantity (kg equivalent)",
    "quantity": "quantity",
    "year": "year",
    "country_iso3": "country code",
    "country": "country",
    "region": "region",
    "subregion": "subregion",
    "drug_group": "drug group",
    "drug_subgroup": "drug subgroup",
    "drug": "drug",
    "unit": "unit",
    "seizure_date": "seizure date",
    "population_thousands": "population (thousands)",
}
VALUE_KINDS = {"kg": "number", "year": "whole number"}
RANGE_HINTS = {
    "kg": " (a negative or implausibly large quantity is usually a typing or unit error)",
    "year": " (a year outside the period the data covers is usually a typing error)",
}
_QUOTED = re.compile(r"^\S+ '(.*)' (?:is|does|holds) ")
_RANGE = re.compile(r"outside \[([^,\]]*), ([^\]]*)\]")
_TYPE = re.compile(r"is not a valid (\w+)")


@dataclass(frozen=True)
class Explanation:
    rule: str
    what: str
    why: str
    todo: str

    @property
    def sentence(self) -> str:
        return f"Rejected: {self.what}. Why: {self.why}. What to do: {self.todo}."


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def field_words(column: str) -> str:
    return FIELDS.get(column, column.replace("_", " "))


def _bound(text: str) -> str | None:
    """``1e+08`` -> ``100,000,000``; ``...`` (no bound) -> None."""
    if text.strip() in {"", "..."}:
        return None
    try:
        number = float(text)
    except ValueError:
        return text  # a date
    if number != int(number):
        return f"{number:,g}"
    return f"{number:,.0f}" if abs(number) >= 10_000 else f"{number:.0f}"


def _window(bounds: re.Match[str] | None) -> str:
    low, high = (_bound(bounds.group(1)), _bound(bounds.group(2))) if bounds else (None, None)
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    return "within the range the data contract gives"


def _segment(message: str, column: str) -> str:
    """The part of a message (rules broken, joined by '; ') about ``column``."""
    for part in message.split("; "):
        if part.startswith(column + " "):
            return part
    return message


def explain(rule: str, message: str | None = None) -> Explanation:
    """The plain-language explanation of one quarantined row's rule and message."""
    column, _, kind = rule.partition(".")
    if column == "correction":  # correction.<id>
        kind = "correction"
    template = RULE_KINDS.get(kind, UNKNOWN)
    part = _segment(message or "", column)
    quoted = _QUOTED.search(part)
    value = f"'{quoted.group(1)}'" if quoted else "the value received"
    bounds = _RANGE.search(part)
    type_name = _TYPE.search(part)
    kind_of_value = VALUE_KINDS.get(column) or (
        {"integer": "whole number", "number": "number", "date": "date (YYYY-MM-DD)"}.get(
            type_name.group(1) if type_name else "", "value of the expected type"
        )
    )
    fields = {
        "field": field_words(column),
        "value": value,
        "window": _window(bounds),
        "kind_of_value": kind_of_value,
        "hint": RANGE_HINTS.get(column, ""),
        "rule": rule,
    }
    return Explanation(
        rule,
        template.what.format(**fields),
        template.why.format(**fields),
        template.todo.format(**fields),
    )


def plain_summary(counts: pl.DataFrame) -> pl.DataFrame:
    """Per region, dataset and rule (``quality_queries.quarantine_summary``): the rows set
    aside with what was rejected, why and what to do; the rule id last, as the detail."""
    rows = []
    for row in counts.iter_rows(named=True):
        text = explain(row["rule"], row["example"])
        rows.append(
            {
                "Region": row["region"],
                "Dataset": row["dataset"],
                "Rows set aside": row["rows"],
                "What was rejected": first_upper(text.what),
                "Why": first_upper(text.why),
                "What to do": first_upper(text.todo),
                "Rule": row["rule"],
                "Example message": row["example"],
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "Region": pl.String,
            "Dataset": pl.String,
            "Rows set aside": pl.Int64,
            "What was rejected": pl.String,
            "Why": pl.String,
            "What to do": pl.String,
            "Rule": pl.String,
            "Example message": pl.String,
        },
    )
