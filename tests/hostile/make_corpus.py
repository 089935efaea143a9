"""Write the hostile files that are binary or large, so none of them is committed.

The small text files beside this script are hand-made; these are written by code because an
editor would "fix" them (encodings), git would not diff them (workbooks, random bytes), or they
are too big to commit (50 MB). ``python tests/hostile/make_corpus.py DEST`` writes them all.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path

FIELDS = [
    "Region",
    "SubRegion",
    "Country/Territory",
    "msCode",
    "Drug group",
    "DrugSubGroup",
    "Drug",
    "Year",
    "Kilograms",
]
COCAINE = ["Cocaine and Derivatives", "Cocaine", "Cocaine hydrochloride"]
HEROIN = ["Opioids and Opiates", "Opiates", "Heroin"]
WEST = ["Africa", "West and Central Africa"]
BIG = 50 * 1024 * 1024


def _csv(rows: list[list[object]]) -> str:
    return "".join(",".join(str(v) for v in row) + "\r\n" for row in [FIELDS, *rows])


def encoded_csv(dest: Path, name: str, encoding: str) -> Path:
    """Africa rows naming "Côte d'Ivoire" and "Bénin", in ``encoding`` (a BOM where it has one)."""
    rows = [
        [*WEST, "Côte d'Ivoire", "CIV", *COCAINE, 2020, 12.5],
        [*WEST, "Côte d'Ivoire", "CIV", *HEROIN, 2020, 3],
        [*WEST, "Bénin", "BEN", *COCAINE, 2021, 0.75],
    ]
    path = dest / name
    path.write_bytes(_csv(rows).encode(encoding))
    return path


def garbage(dest: Path, name: str = "garbage.csv") -> Path:
    path = dest / name
    path.write_bytes(random.Random(6).randbytes(20_000))
    return path


def _workbook(rows: list[list[object]], *, title: str | None = None):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    if title is not None:
        ws.append([title])
        ws.append([])
    ws.append(FIELDS)
    for row in rows:
        ws.append(row)
    return wb, ws


def formulas_xlsx(dest: Path, name: str = "formulas.xlsx") -> Path:
    """Asia rows; openpyxl saves formulas with no computed value, and one error cell."""
    pak = ["Asia", "South Asia", "Pakistan", "PAK"]
    tha = ["Asia", "East and South-East Asia", "Thailand", "THA"]
    wb, _ = _workbook(
        [
            [*pak, *HEROIN, 2019, 10],  # row 2
            [*pak, *HEROIN, 2020, "=I2*2"],  # row 3: formula, no value -> kg.type
            [*pak, *HEROIN, "=2019+2", 5],  # row 4: formula, no value -> year.type
            [*tha, *HEROIN, 2019, "#N/A"],  # row 5: error cell -> kg.type
            [*tha, *HEROIN, 2020, 7],  # row 6
            [*tha, *HEROIN, 2021, 3],  # row 7
            [*tha, *COCAINE, 2021, 0.5],  # row 8
        ]
    )
    path = dest / name
    wb.save(path)
    return path


def cached_formulas_xlsx(dest: Path, name: str = "cached_formulas.xlsx") -> Path:
    """Oceania rows with a formula whose value was computed and saved, as Excel saves it."""
    aus = ["Oceania", "Australia and New Zealand", "Australia", "AUS"]
    wb, _ = _workbook([[*aus, *COCAINE, 2020, 10.5], [*aus, *COCAINE, 2021, "=I2*2"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":  # Excel does not ask for a recalculation
                data = re.sub(rb'\s*fullCalcOnLoad="1"', b"", data)
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"(<f>I2\*2</f>)<v\s*/>", rb"\1<v>21</v>", data)
            dst.writestr(info, data)
    path = dest / name
    path.write_bytes(out.getvalue())
    return path


def merged_xlsx(dest: Path, name: str = "merged.xlsx") -> Path:
    """Europe rows under a merged title; Region, SubRegion and Country merged down the rows."""
    wb, ws = _workbook(
        [
            ["Europe", "Western and Central Europe", "Spain", "ESP", *COCAINE, 2020, 36000],  # 4
            [None, None, None, None, *COCAINE, 2021, 47000],  # 5
            [None, "Eastern Europe", "Ukraine", "UKR", *COCAINE, 2020, 120],  # 6
            [None, None, None, None, *COCAINE, 2021, 95.5],  # 7
        ],
        title="Annual drug seizures 2021 - Europe (kg)",
    )
    ws.merge_cells("A1:I1")
    for cells in ("A4:A7", "B4:B5", "C4:C5", "D4:D5", "B6:B7", "C6:C7", "D6:D7"):
        ws.merge_cells(cells)
    path = dest / name
    wb.save(path)
    return path


def giant_json_line(dest: Path, name: str = "giant_line.json", records: int = 2_000) -> Path:
    """A 50 MB JSON array on one line: Asia records with a long 'Notes' field each."""
    note = "x" * (BIG // records)
    pak = ["Asia", "South Asia", "Pakistan", "PAK"]
    rows = [
        dict(zip(FIELDS, [*pak, *COCAINE, 2000 + i % 22, i], strict=True)) | {"Notes": note}
        for i in range(records)
    ]
    path = dest / name
    path.write_text(json.dumps(rows, separators=(",", ":")), encoding="utf-8")
    return path


def huge_field_csv(dest: Path, name: str = "huge_field.csv") -> Path:
    """Americas rows; row 3 holds a 50 MB Drug value on its single line."""
    col = ["Americas", "South America", "Colombia", "COL"]
    with (dest / name).open("w", encoding="utf-8", newline="") as f:
        f.write(_csv([[*col, *COCAINE, 2020, 670]]))
        f.write(",".join([*col, *COCAINE[:2], "y" * BIG, "2021", "700"]) + "\r\n")
        f.write(",".join(str(v) for v in [*col, *COCAINE, 2019, 600]) + "\r\n")
    return dest / name


# --- limits and faults (issue: hold under hostile input) --------------------------------------

EUROPE = ["Europe", "Western and Central Europe", "Spain", "ESP"]


def europe_rows(n: int = 3) -> list[list[object]]:
    """Spanish cocaine rows: 100 kg in 2018, 200 kg in 2019, ... (easy to add up by hand)."""
    return [[*EUROPE, *COCAINE, 2018 + i, 100 * (i + 1)] for i in range(n)]


def far_cell_xlsx(dest: Path, name: str = "far_cell.xlsx", cell: str = "XFD1048576") -> Path:
    """Three good rows and one value in ``cell``: a dense grid would be 17 billion cells."""
    wb, ws = _workbook(europe_rows())
    ws[cell] = 1
    path = dest / name
    wb.save(path)
    return path


def _rezip(wb, edit) -> bytes:
    """Save ``wb`` and pass each member through ``edit(name, data) -> data``."""
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, edit(info.filename, src.read(info.filename)))
    return out.getvalue()


def whitespace_xlsx(dest: Path, name: str = "whitespace.xlsx", mib: int = 1024) -> Path:
    """A workbook of about 1 MB whose sheet unpacks to ``mib`` MiB of spaces between rows."""
    wb, _ = _workbook(europe_rows())

    def pad(member: str, data: bytes) -> bytes:
        if member == "xl/worksheets/sheet1.xml":
            return data.replace(b"</row>", b"</row>" + b" " * (mib << 20), 1)
        return data

    path = dest / name
    path.write_bytes(_rezip(wb, pad))
    return path


def declared_dimension_xlsx(dest: Path, name: str = "declared_dimension.xlsx") -> Path:
    """Three rows in a sheet that declares the whole sheet as its dimension: read as 3 rows."""
    wb, _ = _workbook(europe_rows())

    def declare(member: str, data: bytes) -> bytes:
        if member == "xl/worksheets/sheet1.xml":
            return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
        return data

    path = dest / name
    path.write_bytes(_rezip(wb, declare))
    return path


def hidden_sheet_xlsx(dest: Path, name: str = "hidden_first.xlsx") -> Path:
    """A hidden first sheet holding 100x the figures, then the visible 'Data' sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    hidden = wb.active
    hidden.title = "Old"
    hidden.sheet_state = "hidden"
    hidden.append(FIELDS)
    for row in europe_rows():
        hidden.append([*row[:-1], row[-1] * 100])
    data = wb.create_sheet("Data")
    data.append(FIELDS)
    for row in europe_rows():
        data.append(row)
    path = dest / name
    wb.save(path)
    return path


def sparse_file(dest: Path, name: str = "sparse.csv", size: int = 2 << 30) -> Path:
    """A CSV header, then a hole: ``size`` bytes on paper, almost nothing on disk."""
    path = dest / name
    with path.open("wb") as f:
        f.write(",".join(FIELDS).encode() + b"\r\n")
        f.truncate(size)
    return path


def build(dest: Path) -> dict[str, Path]:
    dest.mkdir(parents=True, exist_ok=True)
    return {
        p.name: p
        for p in [
            encoded_csv(dest, "latin1.csv", "latin-1"),
            encoded_csv(dest, "utf16.csv", "utf-16"),  # Python writes the BOM
            encoded_csv(dest, "utf8_bom.csv", "utf-8-sig"),
            garbage(dest),
            formulas_xlsx(dest),
            cached_formulas_xlsx(dest),
            merged_xlsx(dest),
            giant_json_line(dest),
            huge_field_csv(dest),
        ]
    }


if __name__ == "__main__":
    for written in build(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")).values():
        print(written)
