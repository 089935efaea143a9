"""Delimited text submissions: title rows, ragged rows, quoted values spanning lines."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from drugtrends.errors import SourceError
from drugtrends.raw.readers.common import (
    DELIMITERS,
    HEADER_SEARCH_ROWS,
    MAX_VALUE_CHARS,
    decode,
    finish,
    header_index,
    is_blank,
    letter,
    named,
)

# --- CSV ------------------------------------------------------------------------------------


class _Lines:
    """Lines of ``text`` for csv.reader, remembering where the next one starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.text):
            raise StopIteration
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end + 1
        line, self.pos = self.text[self.pos : end], end
        return line


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _records(
    text: str,
    delimiter: str,
    name: str,
    first: int = 1,
) -> Iterator[tuple[int, int, int, list[str]]]:
    """(row number, start offset, end offset, values) for each CSV record of ``text``.

    Use inside ``_field_limit``. A blank line is a record with no values, as in a spreadsheet.
    """
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    row = first - 1
    while True:
        start = lines.pos
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(name, _csv_problem(str(exc), delimiter), row=row + 1) from None
        row += 1
        yield row, start, lines.pos, values


def _csv_problem(error: str, delimiter: str) -> str:
    if "field larger than field limit" in error:
        return (
            f"a value is longer than {MAX_VALUE_CHARS:,} characters, more than any field "
            "holds (a quote left open swallows the rows after it)"
        )
    if "unexpected end of data" in error:
        return "a quoted value opened in this row is never closed"
    return f"malformed CSV ({error}); values holding {delimiter!r} or quotes must be quoted"


def _read_csv(path: Path, name: str, delimiter: str) -> pl.DataFrame:
    text = decode(path, name, "csv")
    head: list[tuple[int, int, list[str]]] = []
    head_end = 0
    with _field_limit(MAX_VALUE_CHARS):
        for row, start, end, values in _records(text, delimiter, name):
            head_end = end
            if any(not is_blank(v) for v in values):
                head.append((row, start, values))
                if len(head) == HEADER_SEARCH_ROWS:
                    break
    if not head:
        raise SourceError(name, "the file holds no values")
    _check_delimiter(text[: min(head_end, 1 << 16)], delimiter, name, head[0][0])
    found = header_index([values for _, _, values in head])
    header_no, start, header = head[found if found is not None else 0]
    body = _csv_body(text[start:], delimiter, name, header_no, len(header))
    rows = pl.int_range(header_no + 1, header_no + 1 + body.height, eager=True)
    letters = [letter(i) for i in range(len(header))]
    return finish(
        named(body, list(header), header_no, letters, name),
        rows,
        header_no,
        name,
        hint="; a quote left open swallows the rows after it",
    )


def _check_delimiter(head: str, delimiter: str, name: str, row: int) -> None:
    """Say so when another delimiter splits the rows into many more columns than the declared one.

    Compared on the typical (median) row, as values holding the declared delimiter (a decimal
    comma, "Micronesia, Federated States of") split some rows in two whatever the header does.
    """

    def typical_width(d: str) -> int:
        try:
            with _field_limit(len(head) + 1):
                widths = sorted(
                    len(r)
                    for r in csv.reader(io.StringIO(head), delimiter=d)
                    if any(v.strip() for v in r)
                )
        except csv.Error:
            return 0
        return widths[len(widths) // 2] if widths else 0

    declared = typical_width(delimiter)
    for other in DELIMITERS:
        found = typical_width(other) if other != delimiter else 0
        if found > 1 and (declared <= 1 or (found >= 3 and found > 2 * declared)):
            raise SourceError(
                name,
                f"{declared} column(s) found with delimiter {delimiter!r} but "
                f"{found} with {other!r}: is the delimiter in the sources "
                "file right?",
                row=row,
            )


def _csv_body(text: str, delimiter: str, name: str, header_no: int, width: int) -> pl.DataFrame:
    """The records after the header (which starts ``text``), as ``width`` string columns.

    Polars reads well-formed files fast; anything it refuses is read again with the csv module,
    which can say which row is wrong.
    """
    try:
        grid = pl.read_csv(
            text.encode("utf-8"),
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
        if grid.width == width:
            return grid.slice(1).rename({c: str(i) for i, c in enumerate(grid.columns)})
    except Exception:  # noqa: BLE001, S110 - the csv module below names the problem and the row
        pass
    columns: list[list[str | None]] = [[] for _ in range(width)]
    too_long: list[tuple[int, int]] = []
    with _field_limit(MAX_VALUE_CHARS):
        records = _records(text, delimiter, name, first=header_no)
        next(records)  # the header
        for row, _, _, values in records:
            if len(values) > width:
                if any(not is_blank(v) for v in values[width:]):
                    too_long.append((row, len(values)))
                    continue
                values = values[:width]
            for i, column in enumerate(columns):
                column.append(values[i] if i < len(values) and values[i] != "" else None)
    if too_long:
        row, count = too_long[0]
        others = f"; {len(too_long) - 1} more row(s) like it" if len(too_long) > 1 else ""
        raise SourceError(
            name,
            f"{count} values where the header has {width} (a value holding "
            f"{delimiter!r} must be in quotes){others}",
            row=row,
        )
    return pl.DataFrame([pl.Series(str(i), c, dtype=pl.String) for i, c in enumerate(columns)])
