"""Page furniture every page shares: the snapshot guard, the "as of" line and the citation.

A snapshot the pipeline marked synthetic (the demo's sources say so) gets a banner on every
page, "synthetic demo data" in its footer and every download, and no producer is credited.
"""

from __future__ import annotations

from collections.abc import Sequence
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

SYNTHETIC_BANNER = "Synthetic demo data — not real seizure statistics"
SYNTHETIC_CITATION = (
    "Synthetic demo data: every figure was invented by the drugtrends demo generator to "
    "exercise the pipeline, and none may be cited. Compiled by the independent, open-source "
    "drugtrends project."
)
SYNTHETIC_DOWNLOAD = "synthetic demo data"


def require_snapshot() -> tuple[queries.Snapshot, queries.SnapshotMeta]:
    """The snapshot the link asks for (``?snapshot=<id>``) while it is kept, else the current
    one, and its metadata; without any, explain what to do and stop the page.

    The id shown is written back into the URL, so a copied link keeps showing the same numbers
    after newer snapshots are published; opened later, it says so (or that it is gone)."""
    snap = queries.current()
    if snap is None:
        st.info(NO_SNAPSHOT, icon=":material/hourglass_empty:")
        st.stop()
    meta = _meta(snap)
    if meta is None:
        st.error(
            "The published snapshot could not be read. Run `make pipeline` to publish a "
            "new one, then reload this page.",
            icon=":material/error:",
        )
        st.stop()
    wanted = st.query_params.get("snapshot")
    if wanted and wanted != meta.snapshot_id:
        old = queries.kept(wanted)
        old_meta = _meta(old) if old else None
        if old is not None and old_meta is not None and old_meta.snapshot_id == wanted:
            st.warning(
                f"This link shows snapshot {wanted}, published {_when(old_meta)}, as it was "
                f"when the link was made. A newer snapshot exists: {meta.snapshot_id}, "
                f"published {_when(meta)}.",
                icon=":material/history:",
            )
            if st.button("Show the current snapshot", key="current_snapshot"):
                st.query_params["snapshot"] = meta.snapshot_id
                st.rerun()
            synthetic_banner(old_meta)
            return old, old_meta
        st.warning(
            f"This link asks for snapshot {wanted}, which is no longer kept (or is not a "
            f"snapshot id). Showing the current snapshot, {meta.snapshot_id}, published "
            f"{_when(meta)}: figures may differ from what the link showed.",
            icon=":material/history_toggle_off:",
        )
    st.query_params["snapshot"] = meta.snapshot_id
    synthetic_banner(meta)
    return snap, meta


def synthetic_banner(meta: queries.SnapshotMeta) -> None:
    """The banner of a snapshot the pipeline marked synthetic (from its sources file)."""
    if meta.synthetic:
        st.warning(
            f"**{SYNTHETIC_BANNER}.** This snapshot was published from the generated demo "
            "submissions; the figures are invented and must not be cited.",
            icon=":material/science:",
        )


def _meta(snap: queries.Snapshot) -> queries.SnapshotMeta | None:
    try:
        return queries.snapshot_meta(snap)
    except duckdb.Error:
        return None


def _when(meta: queries.SnapshotMeta) -> str:
    return meta.created_at.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")


def check_params(expected: dict[str, Sequence[str]]) -> None:
    """Name, in a visible notice, every URL parameter whose value the page cannot show (the
    bound widgets then fall back to their default). ``expected``: parameter -> valid values."""
    problems = []
    for name, valid in expected.items():
        allowed = {str(v) for v in valid}
        bad = [v for v in st.query_params.get_all(name) if v not in allowed]
        if bad:
            shown = ", ".join(repr(v[:60]) for v in bad[:3])
            problems.append(f"{name} = {shown}")
    if problems:
        st.warning(
            "Some of this link's settings are not valid here and were replaced by the "
            "defaults: " + "; ".join(problems) + ".",
            icon=":material/link_off:",
        )


def as_of_text(meta: queries.SnapshotMeta) -> str:
    return f"Data as of snapshot {meta.snapshot_id}, published {_when(meta)}."


def as_of_line(meta: queries.SnapshotMeta) -> None:
    st.caption(f":material/update: {as_of_text(meta)}")


def citation(meta: queries.SnapshotMeta, text: str = CITATION) -> None:
    """The page's footer: its data source, or the synthetic notice (then no source credited)."""
    st.divider()
    st.caption(SYNTHETIC_CITATION if meta.synthetic else text)


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


def marked(label: str, stem: str, meta: queries.SnapshotMeta) -> tuple[str, str]:
    """A download's label and file stem; from a synthetic snapshot both say "synthetic demo
    data" (the file's rows stay exactly the table shown)."""
    if meta.synthetic:
        return f"{label} — {SYNTHETIC_DOWNLOAD}", f"{SYNTHETIC_DOWNLOAD.replace(' ', '-')}_{stem}"
    return label, stem


def download_names(label: str, stem: str, meta: queries.SnapshotMeta) -> tuple[str, str]:
    """Button label and file name of a CSV download (see :func:`marked`)."""
    label, stem = marked(label, stem, meta)
    return label, f"{stem}_{meta.snapshot_id}.csv"


def csv_download(label: str, frame, stem: str, meta: queries.SnapshotMeta, *, container=st) -> None:
    """A CSV download of exactly what is shown, named after its content and the snapshot."""
    from dashboards import tables

    label, file_name = download_names(label, stem, meta)
    container.download_button(
        label,
        tables.to_csv(frame),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


def downloads(
    frame, stem: str, meta: queries.SnapshotMeta, *, title: str, label: str = "this table"
) -> None:
    """CSV and Excel of exactly the frame shown, named after it and the snapshot date; the
    Excel file's second sheet says what it is, where from and which snapshot."""
    from dashboards import explorer_charts, tables

    csv_label, name = marked(f"Download {label} (CSV)", stem, meta)
    excel_label, _ = marked(f"Download {label} (Excel)", stem, meta)
    name = f"{name}_{explorer_charts.snapshot_date(meta.snapshot_id)}"
    with st.container(horizontal=True):
        st.download_button(
            csv_label,
            tables.to_csv(frame),
            file_name=f"{name}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key=f"csv_{stem}",
        )
        st.download_button(
            excel_label,
            tables.to_excel(
                frame, title=title, snapshot_id=meta.snapshot_id, synthetic=meta.synthetic
            ),
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table_view:",
            on_click="ignore",
            key=f"xlsx_{stem}",
        )


def table(frame, *, caption: str, column_config: dict | None = None) -> None:
    """A table on the canvas grid, and the same rows as an HTML table (read by screen
    readers, copyable) in an expander beside it."""
    from dashboards import tables

    st.dataframe(frame, hide_index=True, column_config=column_config)
    with st.expander("The same table as text (accessible)", icon=":material/table_rows:"):
        st.html(tables.html_table(frame, caption=caption))


def alert_cards(alerts, meta: queries.SnapshotMeta) -> None:
    """Each alert (rows of ``marts.alerts``) as its sentence in a box, with a link to the page
    that shows it: the country profile for a country's alert, else the routes (corridors)."""
    for row in alerts.iter_rows(named=True):
        with st.container(border=True):
            st.text(row["sentence"])  # text from the data: shown as text, never Markdown
            if row["level"] == "country":
                st.page_link(
                    "views/country.py",
                    label=f"Show {row['area_name']} in its country profile",
                    query_params={"country": row["area_name"], "snapshot": meta.snapshot_id},
                    icon=":material/flag:",
                )
            else:
                st.page_link(
                    "views/routes.py",
                    label="Show the routes",
                    query_params={"snapshot": meta.snapshot_id},
                    icon=":material/route:",
                )
