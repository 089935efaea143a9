"""Read a landed file into a Polars frame of strings, exactly as received.

Every value stays a string here: typing is the contract's job, so a bad value becomes a
quarantined row with a reason instead of a parser error that loses the whole file. A file that
cannot be read at all raises SourceError naming the file and, where one is to blame, the row.

Rows are numbered as a person finds them (``_source_row``): the sheet row of a workbook, the row
of a CSV file as a spreadsheet shows it (its line number, unless a quoted value spans lines), the
1-based record of a JSON array. ``_header_row`` is the row holding the column names (null for
JSON), so header problems can name it.

What a reader decides, so that the contract never has to:

- Encoding: UTF-8 (with or without BOM), UTF-16 (with BOM), else Windows-1252 / Latin-1.
- Title rows above the header are skipped: the header is the first row (of the first 50 with
  values) holding more than half as many distinct text cells as the richest of them.
- Rows with no value at all are skipped; the numbers of the other rows do not change.
- Two columns with the same name: the file fails naming both, unless they hold the same values,
  in which case the second is kept as an unknown column "<name> (column J)".
- CSV: a row with more values than the header fails the file, naming the row (a value holding
  the delimiter was probably not quoted), unless the extra values are empty; a row with fewer
  values reads the missing trailing values as empty, as a spreadsheet shows it.
- xlsx: a merged cell's value fills every cell of the merge; a formula with no computed value
  (openpyxl and xlsxwriter save none; their workbooks ask for recalculation on load) reads as its
  formula text, e.g. "=SUM(I2:I4)", and an error cell as its error, e.g. "#DIV/0!", so the
  contract quarantines them instead of reading 0 or empty.
- A value longer than MAX_VALUE_CHARS fails the file: no field of these datasets is that long,
  and in a CSV file it is nearly always a quote left open that swallowed the rows after it.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from drugtrends.errors import SourceError
from drugtrends.raw.readers.common import (
    HEADER_ROW,
    READER_COLUMNS,
    SOURCE_ROW,
    ReadLimits,
    first_line,
)
from drugtrends.raw.readers.csv_reader import _read_csv
from drugtrends.raw.readers.json_reader import _read_json
from drugtrends.raw.readers.xlsx_reader import _read_xlsx


def read_submission(
    path: Path,
    fmt: str,
    *,
    name: str,
    delimiter: str = ",",
    sheet: str | None = None,
    limits: ReadLimits | None = None,
) -> pl.DataFrame:
    """Parse ``path``; raise SourceError naming ``name`` when the file cannot be read at all."""
    limits = limits or ReadLimits()
    size = path.stat().st_size
    if size == 0:
        raise SourceError(name, "the file is empty")
    if size > limits.max_bytes:
        raise SourceError(
            name,
            f"the file is {size:,} bytes, more than the {limits.max_bytes:,} read "
            "(limit: setting DRUGTRENDS_MAX_SOURCE_BYTES)",
        )
    try:
        if fmt == "json":
            df = _read_json(path, name)
        elif fmt == "csv":
            df = _read_csv(path, name, delimiter)
        elif fmt == "xlsx":
            df = _read_xlsx(path, name, sheet, limits)
        else:
            raise SourceError(name, f"unsupported format {fmt!r}")
    except SourceError:
        raise
    except MemoryError as exc:
        raise SourceError(name, f"ran out of memory reading it as {fmt}") from exc
    except RecursionError as exc:
        raise SourceError(name, f"cannot be parsed as {fmt}: nested too deeply") from exc
    except Exception as exc:  # noqa: BLE001 - every parser failure becomes a readable message
        raise SourceError(name, f"cannot be parsed as {fmt}: {first_line(exc)}") from exc
    if df.width == len(READER_COLUMNS):
        raise SourceError(name, "no columns found")
    return df


__all__ = ["HEADER_ROW", "READER_COLUMNS", "SOURCE_ROW", "ReadLimits", "read_submission"]
