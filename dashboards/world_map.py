"""The overview's world map of seizures by country: drawn offline from the static base map.

A page section, not a page: the overview calls :func:`show`; its data come from
``explorer_queries.map_values`` and its figure from ``explorer_charts.choropleth_figure``.
"""

from __future__ import annotations

import streamlit as st

from dashboards import explorer_charts, layout, queries, tables
from dashboards import explorer_queries as eq


def show(snap: queries.Snapshot, meta: queries.SnapshotMeta, groups: list[str]) -> None:
    years = queries.years(snap)
    if not groups or not years:
        return
    st.subheader("Seizures by country")
    layout.check_params({"map_drug": groups, "map_year": [str(y) for y in years]})
    c1, c2 = st.columns([3, 1])
    group = c1.selectbox("Drug group on the map", groups, key="map_drug", bind="query-params")
    year = c2.selectbox("Year on the map", years[::-1], key="map_year", bind="query-params")
    frame = eq.map_values(snap, "drug_group", group, year)
    title = f"{group} seized by country, {year} (kg, log colour scale)"
    fig = explorer_charts.with_context(
        explorer_charts.choropleth_figure(frame),
        title,
        meta.snapshot_id,
        note="Grey: not reported.",
        synthetic=meta.synthetic,
    )
    st.plotly_chart(
        fig,
        key="world_map",
        config=explorer_charts.export_config(
            f"map_{group}_{year}".replace(" ", "-"), meta.snapshot_id, map_=True
        ),
    )
    shown = frame.select(
        frame["area_name"].alias(tables.AREA),
        frame["kg"].round(1).alias(tables.KG),
        (frame["share_of_global"] * 100).round(2).alias(tables.SHARE),
    )
    top = ", ".join(
        f"{a} ({k:,.0f} kg)" for a, k in shown.head(5).select(tables.AREA, tables.KG).iter_rows()
    )
    st.caption(f"{shown.height} countries reported {group} in {year}. Largest: {top}.")
    with st.expander("The map's figures as a table", icon=":material/table_rows:"):
        layout.table(shown, caption=title)
        layout.downloads(shown, f"map_{year}", meta, title=title, label="the map's figures")
