"""JSON submissions: an array of records (or an object holding one), numbers kept as written."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from drugtrends.errors import SourceError
from drugtrends.raw.readers.common import READER_COLUMNS, decode, finish


def _read_json(path: Path, name: str) -> pl.DataFrame:
    text = decode(path, name, "json")
    try:
        # Numbers stay the text they were written as: '12.50' and '1e400' reach the contract.
        data = json.loads(
            text,
            parse_float=_JsonNumber,
            parse_int=_JsonNumber,
            parse_constant=_JsonNumber,
            object_pairs_hook=_Record,
        )
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg.removesuffix(' at')}"
        if text.lstrip().startswith("[") and not text.rstrip().endswith("]"):
            problem = (
                "the JSON array is never closed: is the file truncated? "
                f"(parser stopped at {where})"
            )
        else:
            problem = f"not valid JSON at {where}"
        raise SourceError(name, problem, row=_json_record_at(text, exc.pos)) from None
    if not isinstance(data, list):
        raise SourceError(name, f"expected a JSON array of records, found {_json_kind(data)}")
    if not data:
        raise SourceError(name, "the JSON array holds no records")
    columns: dict[str, list[str | None]] = {}
    for i, record in enumerate(data):
        if record is None:
            continue  # a null record holds no value: skipped like a blank row
        if not isinstance(record, dict):
            raise SourceError(
                name,
                f"the record is {_json_kind(record)}, not an object with named fields",
                row=i + 1,
            )
        twice = getattr(record, "twice", [])
        if twice:
            raise SourceError(
                name,
                f"field {twice[0]!r} is given twice in the record (which value is meant?)",
                row=i + 1,
            )
        for key, value in record.items():
            column = columns.get(key)
            if column is None:
                column = columns[key] = [None] * len(data)
            column[i] = _json_text(value)
    labels = [f"{k} (field)" if k in READER_COLUMNS else k for k in columns]
    values = pl.DataFrame(
        [
            pl.Series(label, col, dtype=pl.String)
            for label, col in zip(labels, columns.values(), strict=True)
        ]
    )
    rows = pl.int_range(1, len(data) + 1, eager=True)
    return finish(values, rows, None, name)


class _Record(dict):
    """A JSON object that remembers the keys it was given more than once."""

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        super().__init__(pairs)
        self.twice: list[str] = []
        if len(self) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.twice.append(key)
                seen.add(key)


class _JsonNumber(str):
    """A JSON number, as the text it was written as."""


def _json_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)  # nested object or array: kept whole


def _json_kind(value: object) -> str:
    return {
        dict: "an object",
        _Record: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        _JsonNumber: "a number",
    }.get(type(value), "null")


def _json_record_at(text: str, pos: int) -> int | None:
    """The 1-based record of the top-level array in which character ``pos`` falls, if any."""
    decoder = json.JSONDecoder()
    i = len(text) - len(text.lstrip())
    if not text.startswith("[", i):
        return None
    i += 1
    record = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            return None
        record += 1
        try:
            _, i = decoder.raw_decode(text, i)
        except (ValueError, RecursionError):
            return record
        if i > pos:
            return record
