"""Page furniture every page shares: the snapshot guard, the "as of" line and the citation."""

from __future__ import annotations

from datetime import UTC

import duckdb
import streamlit as st

from dashboards import queries

NO_SNAPSHOT = (
    "**No published data yet.** The dashboard reads the snapshot that the pipeline publishes. "
    "Run `make pipeline` (or `make demo` for demonstration data), then reload this page."
)
CITATION = (
    "Data: UNODC, dataUNODC (annual drug seizures). Compiled by the independent, "
    "open-source drugtrends project."
)
CITATION_CASES = (
    "Data: UNODC, Individual Drug Seizures. Compiled by the independent, "
    "open-source drugtrends project."
)
CITATION_PIPELINE = (
    "Records of the drugtrends pipeline (an independent, open-source project) "
    "about the files it read. Data: UNODC, dataUNODC and UNODC, Individual Drug "
    "Seizures."
)


def require_snapshot() -> tuple[queries.Snapshot, queries.SnapshotMeta]:
    """The current snapshot and its metadata; otherwise explain what to do and stop the page."""
    snap = queries.current()
    if snap is None:
        st.info(NO_SNAPSHOT, icon=":material/hourglass_empty:")
        st.stop()
    try:
        meta = queries.snapshot_meta(snap)
    except duckdb.Error:
        meta = None
    if meta is None:
        st.error(
            "The published snapshot could not be read. Run `make pipeline` to publish a "
            "new one, then reload this page.",
            icon=":material/error:",
        )
        st.stop()
    return snap, meta


def as_of_text(meta: queries.SnapshotMeta) -> str:
    created = meta.created_at.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")
    return f"Data as of snapshot {meta.snapshot_id}, published {created}."


def as_of_line(meta: queries.SnapshotMeta) -> None:
    st.caption(f":material/update: {as_of_text(meta)}")


def citation(text: str = CITATION) -> None:
    st.divider()
    st.caption(text)


def year_range(container, years: list[int]) -> tuple[int, int]:
    """A year-range slider bound to the URL (``?years=2019&years=2021``); one year is shown
    as text, since a slider needs two."""
    if len(years) > 1:
        first, last = container.select_slider(
            "Years", years, value=(years[0], years[-1]), key="years", bind="query-params"
        )
        return first, last
    container.markdown(f"**Years**  \n{years[0]}")
    return years[0], years[0]


def csv_download(label: str, frame, stem: str, meta: queries.SnapshotMeta, *, container=st) -> None:
    """A CSV download of exactly what is shown, named after its content and the snapshot."""
    from dashboards import tables

    container.download_button(
        label,
        tables.to_csv(frame),
        file_name=f"{stem}_{meta.snapshot_id}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
