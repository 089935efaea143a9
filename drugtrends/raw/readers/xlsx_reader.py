"""xlsx workbooks: merged cells, formulas without computed values, error cells."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import polars as pl

from drugtrends.errors import SourceError
from drugtrends.raw.readers.common import (
    HEADER_SEARCH_ROWS,
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


def _read_xlsx(path: Path, name: str, sheet: str | None) -> pl.DataFrame:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    if sheet is not None and sheet not in reader.sheet_names:
        raise SourceError(
            name, f"sheet {sheet!r} not found (the workbook has: {', '.join(reader.sheet_names)})"
        )
    sheet_name = sheet if sheet is not None else reader.sheet_names[0]
    # No header and skip_rows=0: row i of the grid is sheet row i + 1.
    loaded = reader.load_sheet(sheet_name, header_row=None, skip_rows=0, dtypes="string")
    grid = loaded.to_polars()
    grid = grid.select(
        [
            pl.col(c).cast(pl.String).alias(str(info.absolute_index))
            for c, info in zip(grid.columns, loaded.available_columns(), strict=True)
        ]
    )
    cells, merges = _xlsx_cells_not_shown(path, sheet_name)
    grid = _merge_fill(_patch(grid, cells), merges)
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


def _xlsx_cells_not_shown(
    path: Path,
    sheet_name: str,
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
        if is_blank(value):
            continue
        for r in range(r1, min(r2, grid.height - 1) + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and c in cols:
                    cells[(r, c)] = value
    return _patch(grid, cells)
