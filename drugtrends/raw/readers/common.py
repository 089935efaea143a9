"""What every reader shares: row numbering, header detection, decoding, value limits."""

from __future__ import annotations

import codecs
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class ReadLimits:
    """How much a reader may take from one file before it fails the file (see settings).

    Each limit names the setting that raises it, so a message can say what to change.
    """

    max_bytes: int = 512 * 1024 * 1024  # bytes of one file, or of one unpacked workbook part
    max_cells: int = 20_000_000  # rows x columns of a sheet's used range
    max_rows: int = 2_000_000
    seconds: float = 600.0  # to read one file
    started: float = 0.0  # time.monotonic() when reading began; 0: when the limits were made

    def __post_init__(self) -> None:
        if not self.started:
            object.__setattr__(self, "started", time.monotonic())

    def check_time(self, name: str, what: str = "reading") -> None:
        if time.monotonic() - self.started > self.seconds:
            raise SourceError(
                name,
                f"{what} took longer than {self.seconds:g} s "
                "(limit: setting DRUGTRENDS_READ_TIMEOUT_SECONDS)",
            )


def first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


# --- shared by every format -------------------------------------------------------------------


def finish(
    values: pl.DataFrame, rows: pl.Series, header_row: int | None, name: str, *, hint: str = ""
) -> pl.DataFrame:
    """Add the row numbers, drop rows with no value, refuse values no field can hold."""
    cols = values.columns
    df = values.with_columns(
        rows.cast(pl.Int64).alias(SOURCE_ROW), pl.lit(header_row, pl.Int64).alias(HEADER_ROW)
    )
    if cols:
        blank = pl.all_horizontal([pl.col(c).str.strip_chars().fill_null("") == "" for c in cols])
        df = df.filter(~blank)
        lengths = df.select(pl.col(cols).str.len_chars().max()).row(0)
        for col, longest in zip(cols, lengths, strict=True):
            if longest is not None and longest > MAX_VALUE_CHARS:
                row = df.filter(pl.col(col).str.len_chars() > MAX_VALUE_CHARS)[SOURCE_ROW][0]
                raise SourceError(
                    name,
                    f"column {col!r} holds a value of {longest:,} characters "
                    f"(at most {MAX_VALUE_CHARS:,} are read{hint})",
                    row=row,
                )
    return df


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def is_blank(value: object) -> bool:
    return value is None or not str(value).strip()


def header_index(rows: Sequence[Sequence[str | None]]) -> int | None:
    """The title rows end where a row holds more than half the richest row's distinct texts."""
    scores = [
        len(
            {
                v.strip()
                for v in row
                if v is not None and not is_blank(v) and not _NUMBER_LIKE.fullmatch(v)
            }
        )
        for row in rows
    ]
    best = max(scores, default=0)
    return next((i for i, s in enumerate(scores) if s * 2 > best), None)


def named(
    body: pl.DataFrame, header: list[str | None], header_row: int, letters: list[str], name: str
) -> pl.DataFrame:
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
                    name,
                    f"columns {letters[j]} and {letter} are both named {label!r} and hold "
                    "different values: rename or remove one",
                    row=header_row,
                )
            label = f"{label} (column {letter})"
        first_seen.setdefault(label, i)
        names.append(label)
        keep.append(i)
    return body.select([pl.col(body.columns[i]).alias(n) for i, n in zip(keep, names, strict=True)])


# --- text files ----------------------------------------------------------------------------


def _mostly_utf8(raw: bytes) -> bool:
    """More well-formed UTF-8 multi-byte letters than malformed bytes: UTF-8, damaged."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return good > bad


def decode(path: Path, name: str, fmt: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else Latin-1."""
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(name, "starts like UTF-16 text but is not valid UTF-16") from exc
    for signature, what in _SIGNATURES.items():
        if raw.startswith(signature):
            raise SourceError(
                name, f"is {what}, not {fmt} text: is the format in the sources file right?"
            )
    head = raw[:4096]
    if b"\x00" in head:
        raise SourceError(name, "looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _mostly_utf8(raw):
        # UTF-8 with a stray byte: decoding the whole file as cp1252 would turn every other
        # accented letter into mojibake, so the file fails, naming where to look.
        line = raw.count(b"\n", 0, bad) + 1
        raise SourceError(
            name,
            f"is UTF-8 text but byte {bad:,} (line {line}) is 0x{raw[bad]:02x}, not UTF-8: "
            "nothing was read from the file; save it as UTF-8 again",
        )
    if sum(b < 32 and b not in (9, 10, 13) for b in head) > len(head) // 20:
        raise SourceError(name, "looks like a binary file, not text")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
