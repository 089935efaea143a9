"""Alerts: what deserves attention in this snapshot (``marts.alerts``): spikes and drops against
each country's own baseline, countries that started or stopped reporting, new corridors and
shifts between them. Every filter is in the URL (``?kind=Spike&region=Europe&year=2021``).
"""

from __future__ import annotations

import streamlit as st

from dashboards import explorer_queries as eq
from dashboards import layout, queries, tables

ALL = "All"
MARTS = ("marts.alerts",)


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("Alerts")
    st.markdown(
        "Figures that moved far from their usual level, countries that started or stopped "
        "reporting, and new or shifting trafficking corridors. An alert is a reason to look, "
        "not a finding: check the figure behind it before quoting it."
    )
    layout.as_of_line(meta)
    if queries.missing_tables(snap, MARTS):
        st.info("This snapshot holds no alerts yet.")
        st.stop()
    options = eq.alert_options(snap)
    years = [str(y) for y in options["year"]]
    # The URL holds the labels shown (bound widgets write the label): ?kind=Spike.
    kind_of = {tables.alert_kind_label(kind): kind for kind in options["kind"]}
    layout.check_params(
        {
            "kind": list(kind_of),
            "region": [ALL, *options["region"]],
            "series": [ALL, *options["series"]],
            "year": [ALL, *years],
        }
    )
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([1.6, 1, 1.4, 0.8], gap="medium")
        kinds = c1.multiselect(
            "Kind of alert",
            list(kind_of),
            key="kind",
            bind="query-params",
            placeholder="All kinds",
        )
        region = c2.selectbox(
            "Region", [ALL, *options["region"]], key="region", bind="query-params"
        )
        series = c3.selectbox(
            "Series", [ALL, *options["series"]], key="series", bind="query-params"
        )
        year = c4.selectbox("Year", [ALL, *years], key="year", bind="query-params")
    frame = eq.alert_rows(
        snap,
        tuple(kind_of[k] for k in kinds),
        None if region == ALL else region,
        None if series == ALL else series,
        None if year == ALL else int(year),
    )
    if frame.is_empty():
        st.success("No alert for this selection.", icon=":material/check_circle:")
        layout.citation(meta)
        st.stop()

    st.subheader(f"{frame.height:,} alert{'s' if frame.height != 1 else ''}")
    shown = tables.alerts_table(frame)
    layout.table(shown, caption="Alerts for this selection")
    layout.downloads(shown, "alerts", meta, title="Alerts", label="these alerts")

    st.subheader("In words")
    layout.alert_cards(frame.head(20), meta)
    if frame.height > 20:
        st.caption(f"The first 20 of {frame.height:,}; the table above lists them all.")
    st.caption(
        "Spike and drop: the year's value against the median of the country's previous "
        "years, with the ratio (score) and the threshold it passed "
        "(reference/trend_thresholds.csv). Corridor alerts come from the case-level data."
    )
    layout.citation(meta)


main()
