"""Writers of the submission files: JSON, CSV and a byte-for-byte reproducible XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.writer.excel import ExcelWriter

from demo.layout import XLSX_SHEET
from demo.tables import FileFormat

# Fixed timestamps: openpyxl would stamp the current time into the workbook and its ZIP entries.
XLSX_TIMESTAMP = dt.datetime(2026, 11, 28, 0, 0, 0)
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def write_json(path: Path, rows: list[dict[str, object]], *, empty_as_null: bool) -> None:
    if empty_as_null:
        rows = [{k: (None if v == "" else v) for k, v in row.items()} for row in rows]
    text = json.dumps(rows, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def write_csv(
    path: Path, rows: list[dict[str, object]], fields: Sequence[str], delimiter: str
) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, delimiter=delimiter, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _normalise_zip(raw: bytes) -> bytes:
    """Rewrite a ZIP archive with fixed entry timestamps and permissions."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_xlsx(
    path: Path, rows: list[dict[str, object]], fields: Sequence[str], sheet: str
) -> None:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(fields))
    for row in rows:
        worksheet.append([row[f] for f in fields])
    props = workbook.properties
    props.creator = "drugtrends.demo (synthetic data)"  # unchanged since the move: bytes pinned
    props.title = "Synthetic annual drug seizures"
    props.created = XLSX_TIMESTAMP
    props.modified = XLSX_TIMESTAMP
    buffer = io.BytesIO()
    # ExcelWriter instead of Workbook.save(): save() stamps the current time as 'modified'.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def write(
    path: Path,
    spec: FileFormat,
    rows: list[dict[str, object]],
    fields: Sequence[str],
    *,
    empty_as_null: bool = False,
) -> None:
    if spec.format == "json":
        write_json(path, rows, empty_as_null=empty_as_null)
    elif spec.format == "csv":
        write_csv(path, rows, fields, spec.delimiter or ",")
    elif spec.format == "xlsx":
        write_xlsx(path, rows, fields, spec.sheet or XLSX_SHEET)
    else:
        raise ValueError(f"{path.name}: unsupported format {spec.format!r} in submissions.csv")
