"""xlsx workbooks: merged cells, formulas without computed values, error cells.

The sheet's XML is scanned first, as a stream: its real used range (the cells holding a value,
never the ``<dimension>`` it declares), the unpacked size and the time are checked against
:class:`ReadLimits` before the spreadsheet library allocates a grid, so one value in cell
XFD1048576 fails its file with a message instead of asking for 512 GiB. A workbook of several
sheets must name one in the sources file; a hidden sheet is never picked on its own.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import polars as pl

from drugtrends.errors import SourceError
from drugtrends.raw.readers.common import (
    HEADER_SEARCH_ROWS,
    ReadLimits,
    finish,
    header_index,
    is_blank,
    letter,
    named,
)

# --- xlsx -----------------------------------------------------------------------------------

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_NS = rb"(?:\w+:)?"  # an optional namespace prefix, as some writers use
_FORMULA_CELL = re.compile(  # <c r=.. t=..><f>text</f><v>value</v>: f and v optional, in order
    rb"<" + _NS + rb"c\s([^>]*)>\s*<" + _NS + rb"f(?:\s[^>]*)?(?:/>|>([^<]*)</" + _NS + rb"f>)"
    rb"\s*(?:<" + _NS + rb"v(?:\s[^>]*)?(?:/>|>([^<]*)</" + _NS + rb"v>))?"
)
_ERROR_CELL = re.compile(
    rb"<" + _NS + rb"c\s([^>]*\bt=\"e\"[^>]*)>\s*<" + _NS + rb"v>([^<]*)</" + _NS + rb"v>"
)
_MERGE = re.compile(rb"<" + _NS + rb"mergeCell\s[^>]*\bref=\"([A-Z$]+\d+):([A-Z$]+\d+)\"")
_ATTR_R = re.compile(rb'\br="([^"]+)"')
_ATTR_T = re.compile(rb'\bt="([^"]+)"')
# Cell references, as column letters and as row numbers. Styled empty cells count too (cheaper
# to find, and a workbook formatted out to column XFD is as suspect as one holding a value there).
_REF_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]')
_REF_ROW = re.compile(rb'r="[A-Z]{1,3}([0-9]{1,7})"')
_ELEMENT_END = (b"row>", b"</c>")  # a chunk is cut after one: no cell is split
MAX_ELEMENT_BYTES = 16 * 1024 * 1024
CHUNK = 1 << 22


@dataclass
class SheetScan:
    """What the XML scan found: cells calamine shows empty, merges, and the used range."""

    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    last_row: int = 0  # 1-based, 0 when no cell holds a value
    last_col: int = -1  # 0-based
    far_cell: str = ""


def _read_xlsx(
    path: Path, name: str, sheet: str | None, limits: ReadLimits | None = None
) -> pl.DataFrame:
    import fastexcel

    limits = limits or ReadLimits()
    with zipfile.ZipFile(path) as z:
        sheets, recalculate = _workbook_sheets(z)
        sheet_name = _choose_sheet(sheets, sheet, name)
        scan = _scan_sheet(z, sheets[sheet_name], recalculate, name, sheet_name, limits)
    _check_used_range(scan, name, sheet_name, limits)
    reader = fastexcel.read_excel(str(path))
    # No header and skip_rows=0: row i of the grid is sheet row i + 1.
    loaded = reader.load_sheet(sheet_name, header_row=None, skip_rows=0, dtypes="string")
    grid = loaded.to_polars()
    grid = grid.select(
        [
            pl.col(c).cast(pl.String).alias(str(info.absolute_index))
            for c, info in zip(grid.columns, loaded.available_columns(), strict=True)
        ]
    )
    cells, merges = scan.cells, scan.merges
    grid = _merge_fill(_patch(grid, cells), merges, name, limits)
    # Dates come as 'YYYY-MM-DD 00:00:00': show them as the date a person sees.
    grid = grid.with_columns(pl.all().str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "${1}"))
    filled = (
        grid.select(
            pl.any_horizontal(pl.all().str.strip_chars().fill_null("") != "").alias("filled")
        ).to_series()
        if grid.width
        else pl.Series([], dtype=pl.Boolean)
    )
    indices = filled.arg_true().head(HEADER_SEARCH_ROWS).to_list()
    if not indices:
        raise SourceError(name, f"sheet {sheet_name!r} holds no values")
    found = header_index([list(grid.row(i)) for i in indices])
    at = indices[found if found is not None else 0]
    header_no = at + 1
    letters = [letter(int(c)) for c in grid.columns]
    body = grid.slice(at + 1)
    rows = pl.int_range(header_no + 1, header_no + 1 + body.height, eager=True)
    return finish(named(body, list(grid.row(at)), header_no, letters, name), rows, header_no, name)


def _cell(ref: str) -> tuple[int, int]:
    """'C5' -> (row index 4, column index 2)."""
    m = _CELL_REF.fullmatch(ref.replace("$", ""))
    if m is None:
        raise ValueError(f"bad cell reference {ref!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _workbook_sheets(z: zipfile.ZipFile) -> tuple[dict[str, tuple[str | None, str]], bool]:
    """Sheet name -> (zip member, state); whether the workbook asks to recalculate on load."""
    workbook = ElementTree.fromstring(_read_part(z, "xl/workbook.xml"))
    rels = ElementTree.fromstring(_read_part(z, "xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    recalculate = False
    sheets: dict[str, tuple[str | None, str]] = {}
    for el in workbook.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "calcPr":
            recalculate = el.get("fullCalcOnLoad") in ("1", "true")
        elif tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            sheets[el.get("name", "")] = (member if target else None, el.get("state", "visible"))
    return sheets, recalculate


def _read_part(z: zipfile.ZipFile, member: str, limit: int = 16 * 1024 * 1024) -> bytes:
    """A small workbook part, refusing one that unpacks to more than ``limit`` bytes."""
    with z.open(member) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise SourceError(member, f"workbook part unpacks to more than {limit:,} bytes")
    return data


def _choose_sheet(sheets: dict[str, tuple[str | None, str]], sheet: str | None, name: str) -> str:
    def listed() -> str:
        return ", ".join(
            repr(s) + ("" if state == "visible" else f" ({state})")
            for s, (_, state) in sheets.items()
        )

    if sheet is not None:
        if sheet not in sheets:
            raise SourceError(name, f"sheet {sheet!r} not found (the workbook has: {listed()})")
        return sheet
    if len(sheets) == 1:
        only, (_, state) = next(iter(sheets.items()))
        if state == "visible":
            return only
        raise SourceError(name, f"the workbook's only sheet {only!r} is {state}: name it")
    raise SourceError(
        name,
        f"the workbook has {len(sheets)} sheets ({listed()}): name the one to read with "
        "'sheet:' in the sources file",
    )


def _scan_sheet(
    z: zipfile.ZipFile,
    sheet: tuple[str | None, str],
    recalculate: bool,
    name: str,
    sheet_name: str,
    limits: ReadLimits,
) -> SheetScan:
    """Scan the sheet's XML chunk by chunk, with regular expressions (an XML parser takes
    seconds per million cells): the used range, plus the few cells holding a formula or an
    error and the merges, which calamine shows as empty but a person sees.
    """
    scan = SheetScan()
    member = sheet[0]
    if member is None:
        return scan
    unpacked = 0
    with z.open(member) as f:
        carry = b""
        while True:
            chunk = f.read(CHUNK)
            unpacked += len(chunk)
            if unpacked > limits.max_bytes:
                raise SourceError(
                    name,
                    f"sheet {sheet_name!r} unpacks to more than {limits.max_bytes:,} bytes "
                    "(limit: setting DRUGTRENDS_MAX_SOURCE_BYTES)",
                )
            limits.check_time(name, f"reading sheet {sheet_name!r}")
            if chunk.isspace():
                continue  # whitespace between elements holds nothing (a padded sheet)
            buffer = carry + chunk
            cut = _cut(buffer) if chunk else len(buffer)
            if not cut:  # no element ends in this buffer yet: read on
                if len(buffer) > MAX_ELEMENT_BYTES:
                    buffer = buffer.lstrip()  # whitespace between elements holds nothing
                    if len(buffer) > MAX_ELEMENT_BYTES:
                        raise SourceError(
                            name,
                            f"sheet {sheet_name!r} holds an XML element of more than "
                            f"{MAX_ELEMENT_BYTES:,} bytes",
                        )
                carry = buffer
                continue
            _used_range(buffer[:cut], scan)
            _scan_cells(buffer[:cut], recalculate, scan.cells, scan.merges)
            carry = buffer[cut:]
            if not chunk:
                return scan


def _cut(buffer: bytes) -> int:
    """Where ``buffer`` can be cut without splitting a cell or a merge: 0 when nowhere."""
    cut = max(buffer.rfind(end) + len(end) if end in buffer else 0 for end in _ELEMENT_END)
    merge = buffer.rfind(b"mergeCell ")
    if merge > cut:
        cut = max(buffer.rfind(b"<", 0, merge), 0)
    return cut


def _used_range(xml: bytes, scan: SheetScan) -> None:
    columns = set(_REF_COLUMN.findall(xml))
    if not columns:
        return
    last_col = max(_col(c) for c in columns)
    last_row = max(map(int, set(_REF_ROW.findall(xml))), default=0)
    if last_row > scan.last_row or last_col > scan.last_col:
        far = last_row > scan.last_row
        scan.last_row, scan.last_col = max(last_row, scan.last_row), max(last_col, scan.last_col)
        ref = rb'r="(' + (rb"[A-Z]+" + str(last_row).encode() if far else letter(last_col).encode())
        found = re.search(ref + rb'[0-9]*)"', xml)
        scan.far_cell = found.group(1).decode() if found else scan.far_cell


def _col(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1


def _check_used_range(scan: SheetScan, name: str, sheet_name: str, limits: ReadLimits) -> None:
    rows, cols = scan.last_row, scan.last_col + 1
    where = f"sheet {sheet_name!r} has a value in cell {scan.far_cell}"
    if rows > limits.max_rows:
        raise SourceError(
            name,
            f"{where}: {rows:,} rows, more than the {limits.max_rows:,} read "
            "(limit: setting DRUGTRENDS_MAX_SHEET_ROWS)",
        )
    if rows * cols > limits.max_cells:
        raise SourceError(
            name,
            f"{where}: reading it means {rows * cols:,} cells ({rows:,} rows x {cols:,} "
            f"columns), more than the {limits.max_cells:,} read "
            "(limit: setting DRUGTRENDS_MAX_SHEET_CELLS)",
        )


def _scan_cells(
    xml: bytes,
    recalculate: bool,
    cells: dict[tuple[int, int], str],
    merges: list[tuple[int, int, int, int]],
) -> None:
    if b't="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            ref = _ATTR_R.search(m.group(1))
            if ref and m.group(2):
                cells[_cell(ref.group(1).decode())] = _xml_text(m.group(2))
    if any(marker in xml for marker in (b"<f>", b"<f ", b":f>", b":f ")):
        for m in _FORMULA_CELL.finditer(xml):
            attrs, formula, value = m.group(1), m.group(2), m.group(3)
            ref = _ATTR_R.search(attrs)
            kind_attr = _ATTR_T.search(attrs)
            kind = kind_attr.group(1) if kind_attr else b"n"
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


def _patch(grid: pl.DataFrame, cells: dict[tuple[int, int], str]) -> pl.DataFrame:
    """Write ``cells`` ((row, column) -> text) into the grid, growing it where needed."""
    if not cells:
        return grid
    height = max(grid.height, max(r for r, _ in cells) + 1)
    wanted = sorted({int(c) for c in grid.columns} | {c for _, c in cells})
    series = []
    for col in wanted:
        s = (
            grid[str(col)]
            if str(col) in grid.columns
            else pl.Series(str(col), [None] * grid.height, dtype=pl.String)
        )
        s = s.extend_constant(None, height - s.len()) if height > s.len() else s.clone()
        mine = [(r, v) for (r, c), v in cells.items() if c == col]
        if mine:
            s.scatter([r for r, _ in mine], [v for _, v in mine])
        series.append(s)
    return pl.DataFrame(series)


def _merge_fill(
    grid: pl.DataFrame,
    merges: list[tuple[int, int, int, int]],
    name: str,
    limits: ReadLimits,
) -> pl.DataFrame:
    """Every cell of a merge shows the merge's value, so every row gets it.

    Merges are clipped to the grid: a merge declared over a whole sheet fills only the cells
    that exist, and no more than the cell limit.
    """
    if not merges or not grid.width:
        return grid
    cols = {int(c): c for c in grid.columns}
    last_col = max(cols)
    filled = sum(
        (min(r2, grid.height - 1) - r1 + 1) * (min(c2, last_col) - c1 + 1)
        for r1, c1, r2, c2 in merges
        if r1 < grid.height and c1 <= last_col
    )
    if filled > limits.max_cells:
        raise SourceError(
            name,
            f"merged cells cover {filled:,} cells, more than the {limits.max_cells:,} read "
            "(limit: setting DRUGTRENDS_MAX_SHEET_CELLS)",
        )
    cells: dict[tuple[int, int], str] = {}
    for r1, c1, r2, c2 in merges:
        c2 = min(c2, last_col)
        if r1 >= grid.height or c1 not in cols:
            continue
        value = grid[cols[c1]][r1]
        if is_blank(value):
            continue
        for r in range(r1, min(r2, grid.height - 1) + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and c in cols:
                    cells[(r, c)] = value
    return _patch(grid, cells)
