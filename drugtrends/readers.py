"""Read a landed file into a Polars frame of strings, exactly as received.

Every value stays a string here: typing is the contract's job, so a bad value becomes a
quarantined row with a reason instead of a parser error that loses the whole file.
Each frame gets ``_source_row``: the row as a person finds it in the file (spreadsheet or CSV
line number with the header on line 1, or the 1-based record index of a JSON array).
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from drugtrends.errors import SourceError

SOURCE_ROW = "_source_row"


def read_submission(path: Path, fmt: str, *, name: str, delimiter: str = ",",
                    sheet: str | None = None) -> pl.DataFrame:
    """Parse ``path``; raise SourceError naming ``name`` when the file cannot be read at all."""
    if path.stat().st_size == 0:
        raise SourceError(name, "the file is empty")
    try:
        if fmt == "json":
            df, first_row = _read_json(path, name), 1
        elif fmt == "csv":
            df, first_row = _read_csv(path, name, delimiter), 2
        elif fmt == "xlsx":
            df, first_row = _read_xlsx(path, name, sheet), 2
        else:
            raise SourceError(name, f"unsupported format {fmt!r}")
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - every parser failure becomes a readable message
        raise SourceError(name, f"cannot be parsed as {fmt}: {_first_line(exc)}") from exc
    if df.width == 0:
        raise SourceError(name, "no columns found")
    df = _all_strings(df)
    return df.with_row_index(SOURCE_ROW, offset=first_row).with_columns(
        pl.col(SOURCE_ROW).cast(pl.Int64)
    )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _decode(path: Path, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1 (which never fails)."""
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(name, "looks like a binary file, not text")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _read_json(path: Path, name: str) -> pl.DataFrame:
    text = _decode(path, name).lstrip()
    if not text.startswith("["):
        raise SourceError(name, "expected a JSON array of records")
    return pl.read_json(io.StringIO(text), infer_schema_length=None)


def _read_csv(path: Path, name: str, delimiter: str) -> pl.DataFrame:
    text = _decode(path, name)
    df = pl.read_csv(io.StringIO(text), separator=delimiter, infer_schema=False,
                     truncate_ragged_lines=False, raise_if_empty=True)
    if df.width == 1 and delimiter not in df.columns[0] and any(
        d in df.columns[0] for d in (",", ";", "\t", "|") if d != delimiter
    ):
        raise SourceError(name, f"only one column found with delimiter {delimiter!r}: "
                                "is the delimiter in the sources file right?", row=1)
    return df


def _read_xlsx(path: Path, name: str, sheet: str | None) -> pl.DataFrame:
    if sheet is None:
        return pl.read_excel(path, engine="calamine", infer_schema_length=0)
    try:
        return pl.read_excel(path, sheet_name=sheet, engine="calamine", infer_schema_length=0)
    except ValueError as exc:
        if "sheet" in str(exc).lower():
            raise SourceError(name, f"sheet {sheet!r} not found") from exc
        raise


def _all_strings(df: pl.DataFrame) -> pl.DataFrame:
    exprs = []
    for col, dtype in df.schema.items():
        if dtype == pl.String:
            exprs.append(pl.col(col))
        elif isinstance(dtype, (pl.Struct, pl.List)):
            exprs.append(pl.col(col).map_batches(lambda s: s.to_frame().select(
                pl.col(s.name).struct.json_encode() if isinstance(s.dtype, pl.Struct)
                else pl.col(s.name).cast(pl.List(pl.String)).list.join("|")).to_series(),
                return_dtype=pl.String))
        elif dtype.is_float():
            # 11713.0 -> "11713": keep the number as a person typed it.
            exprs.append(pl.col(col).cast(pl.String).str.replace(r"\.0$", ""))
        else:
            exprs.append(pl.col(col).cast(pl.String))
    return df.select(exprs)
