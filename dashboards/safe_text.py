"""Submitted text shown as text: never Markdown, HTML or a spreadsheet formula.

Country, drug and transport names, file names and column headers come from submissions, and so
do the failure messages that quote them. Each way of showing them has its own escape:

- ``markdown``: for text placed inside ``st.markdown`` / ``st.caption``: every ASCII punctuation
  character is backslash-escaped (CommonMark allows it for all of them), so ``![x](url)`` is no
  image, ``[a](url)`` no link, ``<a href>`` no HTML and ``:red[...]`` no colour. GitHub's
  autolink extension, which Streamlit's Markdown uses, links bare ``http://``, ``www.`` and
  e-mail addresses in the text once the escapes are resolved, so a word joiner (U+2060,
  invisible) is put before the ``:``, ``.`` or ``@`` that would start one.
- ``plotly``: Plotly renders a subset of HTML in labels, legends and hover text (``<a href>``,
  ``<b>``, ``<br>``); ``&``, ``<`` and ``>`` become entities, which it shows as the characters.
- ``spreadsheet``: CSV and Excel downloads. Following the OWASP guidance on CSV injection, a
  value starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return once invisible
  characters are stripped is prefixed with a single quote, so no spreadsheet runs it.
"""

from __future__ import annotations

import html
import re

import polars as pl

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Zero-width and bidi formatting characters, BOM, C0/C1 controls other than tab and CR/LF.
INVISIBLE = (
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
FORMULA_START = r"^[=+\-@\t\r]"


# Where GitHub's autolink extension would start a link: "http(s)" before "://", "www" before
# ".", and the "@" of an e-mail address.
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def markdown(text: object) -> str:
    """``text`` for a Markdown string: shown exactly (bar invisible word joiners), on one line."""
    plain = re.sub(INVISIBLE, "", str(text)).replace("\r", " ").replace("\n", " ")
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, plain))


def plotly(text: object) -> str:
    """``text`` for a Plotly label, legend, hover text, tick, annotation or title: every chart
    builder (``charts``, ``explorer_charts``, ``quality_charts``, ``route_charts``) passes
    submitted text through this or :func:`plotly_frame`, never into a hover template itself."""
    return html.escape(re.sub(INVISIBLE, "", str(text)), quote=False)


def plotly_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of ``frame`` escaped for Plotly (numbers untouched)."""
    return frame.with_columns(
        pl.col(pl.String)
        .str.replace_all(INVISIBLE, "")
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def spreadsheet(text: str) -> str:
    """One spreadsheet cell's text (a column header, a line of an "About" sheet)."""
    visible = re.sub(INVISIBLE, "", text)
    return f"'{visible}" if re.match(FORMULA_START, visible) else visible


def spreadsheet_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of ``frame`` safe to open in a spreadsheet, headers included; numeric
    columns untouched, so a negative number stays a number."""
    visible = pl.col(pl.String).str.replace_all(INVISIBLE, "")
    return frame.with_columns(
        pl.when(visible.str.contains(FORMULA_START))
        .then(pl.lit("'") + visible)
        .otherwise(visible)
        .name.keep()
    ).rename(spreadsheet)
