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

import codecs
import contextlib
import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import polars as pl

from drugtrends.errors import SourceError

SOURCE_ROW = "_source_row"
HEADER_ROW = "_header_row"
READER_COLUMNS = (SOURCE_ROW, HEADER_ROW)
MAX_VALUE_CHARS = 1_000_000
HEADER_SEARCH_ROWS = 50
DELIMITERS = (",", ";", "\t", "|")
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,\s]*\d[\d.,\s]*")
_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (an xlsx workbook?)",
    b"\xd0\xcf\x11\xe0": "a legacy Office file (an xls workbook?)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}


def read_submission(path: Path, fmt: str, *, name: str, delimiter: str = ",",
                    sheet: str | None = None) -> pl.DataFrame:
    """Parse ``path``; raise SourceError naming ``name`` when the file cannot be read at all."""
    if path.stat().st_size == 0:
        raise SourceError(name, "the file is empty")
    try:
        if fmt == "json":
            df = _read_json(path, name)
        elif fmt == "csv":
            df = _read_csv(path, name, delimiter)
        elif fmt == "xlsx":
            df = _read_xlsx(path, name, sheet)
        else:
            raise SourceError(name, f"unsupported format {fmt!r}")
    except SourceError:
        raise
    except RecursionError as exc:
        raise SourceError(name, f"cannot be parsed as {fmt}: nested too deeply") from exc
    except Exception as exc:  # noqa: BLE001 - every parser failure becomes a readable message
        raise SourceError(name, f"cannot be parsed as {fmt}: {_first_line(exc)}") from exc
    if df.width == len(READER_COLUMNS):
        raise SourceError(name, "no columns found")
    return df


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


# --- shared by every format -------------------------------------------------------------------


def _finish(values: pl.DataFrame, rows: pl.Series, header_row: int | None, name: str, *,
            hint: str = "") -> pl.DataFrame:
    """Add the row numbers, drop rows with no value, refuse values no field can hold."""
    cols = values.columns
    df = values.with_columns(rows.cast(pl.Int64).alias(SOURCE_ROW),
                             pl.lit(header_row, pl.Int64).alias(HEADER_ROW))
    if cols:
        blank = pl.all_horizontal([pl.col(c).str.strip_chars().fill_null("") == "" for c in cols])
        df = df.filter(~blank)
        lengths = df.select(pl.col(cols).str.len_chars().max()).row(0)
        for col, longest in zip(cols, lengths, strict=True):
            if longest is not None and longest > MAX_VALUE_CHARS:
                row = df.filter(pl.col(col).str.len_chars() > MAX_VALUE_CHARS)[SOURCE_ROW][0]
                raise SourceError(name, f"column {col!r} holds a value of {longest:,} characters "
                                        f"(at most {MAX_VALUE_CHARS:,} are read{hint})", row=row)
    return df


def _letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _is_blank(value: object) -> bool:
    return value is None or not str(value).strip()


def _header_index(rows: list[list[str | None]]) -> int | None:
    """The title rows end where a row holds more than half the richest row's distinct texts."""
    scores = [len({v.strip() for v in row if not _is_blank(v) and not _NUMBER_LIKE.fullmatch(v)})
              for row in rows]
    best = max(scores, default=0)
    return next((i for i, s in enumerate(scores) if s * 2 > best), None)


def _named(body: pl.DataFrame, header: list[str | None], header_row: int, letters: list[str],
           name: str) -> pl.DataFrame:
    """Give the positional columns of ``body`` the header's names (see the module docstring)."""
    names: list[str] = []
    keep: list[int] = []
    first_seen: dict[str, int] = {}
    for i, (cell, letter) in enumerate(zip(header, letters, strict=True)):
        col = body.columns[i]
        label = (cell or "").strip()
        if not label:
            if body[col].str.strip_chars().fill_null("").eq("").all():
                continue  # an unnamed, empty column: a trailing delimiter or a formatted cell
            label = f"column {letter}"
        elif label in READER_COLUMNS:
            label = f"{label} (column {letter})"
        elif label in first_seen:
            j = first_seen[label]
            earlier = body.columns[j]
            differ = body.filter(~body[earlier].eq_missing(body[col]))
            if differ.height:
                raise SourceError(
                    name, f"columns {letters[j]} and {letter} are both named {label!r} and hold "
                          "different values: rename or remove one", row=header_row)
            label = f"{label} (column {letter})"
        first_seen.setdefault(label, i)
        names.append(label)
        keep.append(i)
    return body.select([pl.col(body.columns[i]).alias(n) for i, n in zip(keep, names, strict=True)])


# --- text files ----------------------------------------------------------------------------


def _decode(path: Path, name: str, fmt: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else Latin-1."""
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(name, "starts like UTF-16 text but is not valid UTF-16") from exc
    for signature, what in _SIGNATURES.items():
        if raw.startswith(signature):
            raise SourceError(name, f"is {what}, not {fmt} text: is the format in the sources "
                                    "file right?")
    head = raw[:4096]
    if b"\x00" in head:
        raise SourceError(name, "looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if sum(b < 32 and b not in (9, 10, 13) for b in head) > len(head) // 20:
        raise SourceError(name, "looks like a binary file, not text")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _read_json(path: Path, name: str) -> pl.DataFrame:
    text = _decode(path, name, "json")
    try:
        # Numbers stay the text they were written as: '12.50' and '1e400' reach the contract.
        data = json.loads(text, parse_float=_JsonNumber, parse_int=_JsonNumber,
                          parse_constant=_JsonNumber)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg.removesuffix(' at')}"
        if text.lstrip().startswith("[") and not text.rstrip().endswith("]"):
            problem = ("the JSON array is never closed: is the file truncated? "
                       f"(parser stopped at {where})")
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
            raise SourceError(name, f"the record is {_json_kind(record)}, not an object with "
                                    "named fields", row=i + 1)
        for key, value in record.items():
            column = columns.get(key)
            if column is None:
                column = columns[key] = [None] * len(data)
            column[i] = _json_text(value)
    labels = [f"{k} (field)" if k in READER_COLUMNS else k for k in columns]
    values = pl.DataFrame([pl.Series(label, col, dtype=pl.String)
                           for label, col in zip(labels, columns.values(), strict=True)])
    rows = pl.int_range(1, len(data) + 1, eager=True)
    return _finish(values, rows, None, name)


class _JsonNumber(str):
    """A JSON number, as the text it was written as."""


def _json_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)  # nested object or array: kept whole


def _json_kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            _JsonNumber: "a number"}.get(type(value), "null")


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
        line, self.pos = self.text[self.pos:end], end
        return line


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _records(text: str, delimiter: str, name: str, first: int = 1,
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
        return (f"a value is longer than {MAX_VALUE_CHARS:,} characters, more than any field "
                "holds (a quote left open swallows the rows after it)")
    if "unexpected end of data" in error:
        return "a quoted value opened in this row is never closed"
    return f"malformed CSV ({error}); values holding {delimiter!r} or quotes must be quoted"


def _read_csv(path: Path, name: str, delimiter: str) -> pl.DataFrame:
    text = _decode(path, name, "csv")
    head: list[tuple[int, int, list[str]]] = []
    head_end = 0
    with _field_limit(MAX_VALUE_CHARS):
        for row, start, end, values in _records(text, delimiter, name):
            head_end = end
            if any(not _is_blank(v) for v in values):
                head.append((row, start, values))
                if len(head) == HEADER_SEARCH_ROWS:
                    break
    if not head:
        raise SourceError(name, "the file holds no values")
    _check_delimiter(text[:min(head_end, 1 << 16)], delimiter, name, head[0][0])
    found = _header_index([values for _, _, values in head])
    header_no, start, header = head[found if found is not None else 0]
    body = _csv_body(text[start:], delimiter, name, header_no, len(header))
    rows = pl.int_range(header_no + 1, header_no + 1 + body.height, eager=True)
    letters = [_letter(i) for i in range(len(header))]
    return _finish(_named(body, list(header), header_no, letters, name), rows, header_no, name,
                   hint="; a quote left open swallows the rows after it")


def _check_delimiter(head: str, delimiter: str, name: str, row: int) -> None:
    """Say so when another delimiter splits the rows into many more columns than the declared one.

    Compared on the typical (median) row, as values holding the declared delimiter (a decimal
    comma, "Micronesia, Federated States of") split some rows in two whatever the header does.
    """
    def typical_width(d: str) -> int:
        try:
            with _field_limit(len(head) + 1):
                widths = sorted(len(r) for r in csv.reader(io.StringIO(head), delimiter=d)
                                if any(v.strip() for v in r))
        except csv.Error:
            return 0
        return widths[len(widths) // 2] if widths else 0

    declared = typical_width(delimiter)
    for other in DELIMITERS:
        found = typical_width(other) if other != delimiter else 0
        if found > 1 and (declared <= 1 or (found >= 3 and found > 2 * declared)):
            raise SourceError(name, f"{declared} column(s) found with delimiter {delimiter!r} but "
                                    f"{found} with {other!r}: is the delimiter in the sources "
                                    "file right?", row=row)


def _csv_body(text: str, delimiter: str, name: str, header_no: int, width: int) -> pl.DataFrame:
    """The records after the header (which starts ``text``), as ``width`` string columns.

    Polars reads well-formed files fast; anything it refuses is read again with the csv module,
    which can say which row is wrong.
    """
    try:
        grid = pl.read_csv(text.encode("utf-8"), has_header=False, separator=delimiter,
                           infer_schema=False, truncate_ragged_lines=False, raise_if_empty=False)
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
                if any(not _is_blank(v) for v in values[width:]):
                    too_long.append((row, len(values)))
                    continue
                values = values[:width]
            for i, column in enumerate(columns):
                column.append(values[i] if i < len(values) and values[i] != "" else None)
    if too_long:
        row, count = too_long[0]
        others = f"; {len(too_long) - 1} more row(s) like it" if len(too_long) > 1 else ""
        raise SourceError(name, f"{count} values where the header has {width} (a value holding "
                                f"{delimiter!r} must be in quotes){others}", row=row)
    return pl.DataFrame([pl.Series(str(i), c, dtype=pl.String) for i, c in enumerate(columns)])


# --- xlsx -----------------------------------------------------------------------------------

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_NS = rb"(?:\w+:)?"  # an optional namespace prefix, as some writers use
_FORMULA_CELL = re.compile(  # <c r=.. t=..><f>text</f><v>value</v>: f and v optional, in order
    rb"<" + _NS + rb"c\s([^>]*)>\s*<" + _NS + rb"f(?:\s[^>]*)?(?:/>|>([^<]*)</" + _NS + rb"f>)"
    rb"\s*(?:<" + _NS + rb"v(?:\s[^>]*)?(?:/>|>([^<]*)</" + _NS + rb"v>))?")
_ERROR_CELL = re.compile(
    rb"<" + _NS + rb"c\s([^>]*\bt=\"e\"[^>]*)>\s*<" + _NS + rb"v>([^<]*)</" + _NS + rb"v>")
_MERGE = re.compile(rb"<" + _NS + rb"mergeCell\s[^>]*\bref=\"([A-Z$]+\d+):([A-Z$]+\d+)\"")
_ATTR_R = re.compile(rb'\br="([^"]+)"')
_ATTR_T = re.compile(rb'\bt="([^"]+)"')


def _read_xlsx(path: Path, name: str, sheet: str | None) -> pl.DataFrame:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    if sheet is not None and sheet not in reader.sheet_names:
        raise SourceError(name, f"sheet {sheet!r} not found (the workbook has: "
                                f"{', '.join(reader.sheet_names)})")
    sheet_name = sheet if sheet is not None else reader.sheet_names[0]
    # No header and skip_rows=0: row i of the grid is sheet row i + 1.
    loaded = reader.load_sheet(sheet_name, header_row=None, skip_rows=0, dtypes="string")
    grid = loaded.to_polars()
    grid = grid.select([pl.col(c).cast(pl.String).alias(str(info.absolute_index))
                        for c, info in zip(grid.columns, loaded.available_columns(), strict=True)])
    cells, merges = _xlsx_cells_not_shown(path, sheet_name)
    grid = _merge_fill(_patch(grid, cells), merges)
    # Dates come as 'YYYY-MM-DD 00:00:00': show them as the date a person sees.
    grid = grid.with_columns(pl.all().str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "${1}"))
    filled = grid.select(pl.any_horizontal(pl.all().str.strip_chars().fill_null("") != "")
                         .alias("filled")).to_series() if grid.width else pl.Series([], dtype=bool)
    indices = filled.arg_true().head(HEADER_SEARCH_ROWS).to_list()
    if not indices:
        raise SourceError(name, f"sheet {sheet_name!r} holds no values")
    found = _header_index([list(grid.row(i)) for i in indices])
    at = indices[found if found is not None else 0]
    header_no = at + 1
    letters = [_letter(int(c)) for c in grid.columns]
    body = grid.slice(at + 1)
    rows = pl.int_range(header_no + 1, header_no + 1 + body.height, eager=True)
    return _finish(_named(body, list(grid.row(at)), header_no, letters, name), rows, header_no,
                   name)


def _cell(ref: str) -> tuple[int, int]:
    """'C5' -> (row index 4, column index 2)."""
    m = _CELL_REF.fullmatch(ref.replace("$", ""))
    if m is None:
        raise ValueError(f"bad cell reference {ref!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _xlsx_cells_not_shown(path: Path, sheet_name: str,
                          ) -> tuple[dict[tuple[int, int], str], list[tuple[int, int, int, int]]]:
    """What calamine shows as empty but a person sees: formulas without values, errors, merges.

    Scans the sheet's XML with regular expressions, chunk by chunk: an XML parser takes seconds
    per million cells, and only the few cells holding a formula or an error matter here.
    """
    with zipfile.ZipFile(path) as z:
        member, recalculate = _sheet_member(z, sheet_name)
        if member is None:
            return {}, []
        cells: dict[tuple[int, int], str] = {}
        merges: list[tuple[int, int, int, int]] = []
        with z.open(member) as f:
            carry = b""
            while True:
                chunk = f.read(1 << 22)
                buffer = carry + chunk
                cut = buffer.rfind(b"row>") + 4 if chunk else len(buffer)
                if cut < 4:  # no row ends in this buffer yet: read on
                    carry = buffer
                    continue
                _scan_cells(buffer[:cut], recalculate, cells, merges)
                carry = buffer[cut:]
                if not chunk:
                    return cells, merges


def _scan_cells(xml: bytes, recalculate: bool, cells: dict[tuple[int, int], str],
                merges: list[tuple[int, int, int, int]]) -> None:
    if b't="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            ref = _ATTR_R.search(m.group(1))
            if ref and m.group(2):
                cells[_cell(ref.group(1).decode())] = _xml_text(m.group(2))
    if any(marker in xml for marker in (b"<f>", b"<f ", b":f>", b":f ")):
        for m in _FORMULA_CELL.finditer(xml):
            attrs, formula, value = m.group(1), m.group(2), m.group(3)
            ref = _ATTR_R.search(attrs)
            kind = _ATTR_T.search(attrs)
            kind = kind.group(1) if kind else b"n"
            if ref is None:
                continue
            uncomputed = value is None or (not value and kind != b"str")
            if recalculate or uncomputed:
                text = _xml_text(formula) if formula else "(shared formula)"
                cells[_cell(ref.group(1).decode())] = "=" + text
            elif kind == b"e" and value:
                cells[_cell(ref.group(1).decode())] = _xml_text(value)
    if b"mergeCell" in xml:
        for m in _MERGE.finditer(xml):
            merges.append((*_cell(m.group(1).decode()), *_cell(m.group(2).decode())))


def _xml_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8"))


def _sheet_member(z: zipfile.ZipFile, sheet_name: str) -> tuple[str | None, bool]:
    """The zip member holding ``sheet_name``; whether the workbook asks to recalculate on load."""
    workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    recalculate = False
    member = None
    for el in workbook.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "calcPr":
            recalculate = el.get("fullCalcOnLoad") in ("1", "true")
        elif tag == "sheet" and el.get("name") == sheet_name:
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return member, recalculate


def _patch(grid: pl.DataFrame, cells: dict[tuple[int, int], str]) -> pl.DataFrame:
    """Write ``cells`` ((row, column) -> text) into the grid, growing it where needed."""
    if not cells:
        return grid
    height = max(grid.height, max(r for r, _ in cells) + 1)
    wanted = sorted({int(c) for c in grid.columns} | {c for _, c in cells})
    series = []
    for col in wanted:
        s = (grid[str(col)] if str(col) in grid.columns
             else pl.Series(str(col), [None] * grid.height, dtype=pl.String))
        s = s.extend_constant(None, height - s.len()) if height > s.len() else s.clone()
        mine = [(r, v) for (r, c), v in cells.items() if c == col]
        if mine:
            s.scatter([r for r, _ in mine], [v for _, v in mine])
        series.append(s)
    return pl.DataFrame(series)


def _merge_fill(grid: pl.DataFrame, merges: list[tuple[int, int, int, int]]) -> pl.DataFrame:
    """Every cell of a merge shows the merge's value, so every row gets it."""
    if not merges or not grid.width:
        return grid
    cols = {int(c): c for c in grid.columns}
    cells: dict[tuple[int, int], str] = {}
    for r1, c1, r2, c2 in merges:
        if r1 >= grid.height or c1 not in cols:
            continue
        value = grid[cols[c1]][r1]
        if _is_blank(value):
            continue
        for r in range(r1, min(r2, grid.height - 1) + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and c in cols:
                    cells[(r, c)] = value
    return _patch(grid, cells)
