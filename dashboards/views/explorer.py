"""Trend explorer: any level (World, region, subregion, country) x drug groups or subgroups x
years; quantity, countries reporting or kg per million people aged 15–64 (where the snapshot
holds population figures); linear or log; coverage and change flags on the chart.

Every filter is in the URL (``?level=country&area=ESP&grain=drug_group&series=...``), with the
snapshot id (``layout.require_snapshot``): a copied link reproduces the view.
"""

from __future__ import annotations

import streamlit as st

from dashboards import explorer_charts, layout, provenance_panel, tables
from dashboards import explorer_queries as eq

# URL values are the labels shown (bound widgets write the label): ?level=Country&area=Spain.
LEVELS = {"World": "global", "Region": "region", "Subregion": "subregion", "Country": "country"}
GRAINS = {"Drug groups": "drug_group", "Drug subgroups": "drug_subgroup"}


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("Trend explorer")
    st.markdown(
        "Seizures of any area and drug, year by year. Choose the level, the area, drug groups "
        "or subgroups and the years; the link in your browser keeps the whole selection."
    )
    layout.as_of_line(meta)
    rates = eq.per_capita_available(snap)
    measures = [
        label
        for label, measure in explorer_charts.MEASURES.items()
        if rates or measure != "kg_per_million_aged_15_64"
    ]
    layout.check_params({"level": list(LEVELS), "grain": list(GRAINS), "measure": measures})

    with st.container(border=True):
        c1, c2, c3 = st.columns([1, 1.6, 1.2], gap="medium")
        level = LEVELS[c1.selectbox("Level", list(LEVELS), key="level", bind="query-params")]
        area_frame = eq.areas(snap, level)
        codes = area_frame["area"].to_list()
        names = dict(zip(codes, area_frame["area_name"].to_list(), strict=True))
        by_name = {name: code for code, name in names.items()}
        layout.check_params({"area": list(by_name)})
        if not codes:
            st.info("The snapshot holds no figures at this level.")
            st.stop()
        area = by_name[c2.selectbox("Area", list(by_name), key="area", bind="query-params")]
        grain_label = c3.radio(
            "Series", list(GRAINS), key="grain", bind="query-params", horizontal=True
        )
        grain = GRAINS[grain_label]
        options = eq.series_names(snap, level, area, grain)
        layout.check_params({"series": options})
        chosen = st.multiselect(
            grain_label,
            options,
            default=options[:3],
            key="series",
            bind="query-params",
            placeholder="Choose one or more",
            wrap=True,
        )
        c4, c5, c6 = st.columns([2, 1.4, 1], gap="medium", vertical_alignment="bottom")
        years = eq.years(snap, level, area)
        first, last = layout.year_range(c4, years) if years else (0, 0)
        measure_label = c5.radio(
            "Measure",
            measures,
            key="measure",
            bind="query-params",
            horizontal=True,
        )
        log_scale = c6.toggle("Logarithmic scale", key="log", bind="query-params")
    if not rates:
        st.caption(
            "Kilograms per million people aged 15–64 need population figures, which this "
            "snapshot does not hold."
        )
    if not chosen:
        st.info("Choose at least one series to see its trend.", icon=":material/filter_alt:")
        st.stop()

    measure = explorer_charts.MEASURES[measure_label]
    frame = eq.trend_rates(snap, level, area, grain, chosen, first, last)
    area_name = names.get(area, area)
    span = f"{first}–{last}" if first != last else str(first)
    shown_measure = measure_label[:1].lower() + measure_label[1:]
    title = f"{area_name}: {shown_measure}, {grain_label.lower()}, {span}"
    fig = explorer_charts.explorer_figure(
        frame,
        measure=measure,
        colours=explorer_charts.colour_map(eq.series_names(snap, "global", "World", grain)),
        log_scale=log_scale,
    )
    explorer_charts.with_context(
        fig,
        title,
        meta.snapshot_id,
        note="Bulk weight, not adjusted for purity.",
        synthetic=meta.synthetic,
    )
    slug = f"trend_{level}_{area}".lower().replace(" ", "-")
    st.plotly_chart(
        fig, key="explorer_chart", config=explorer_charts.export_config(slug, meta.snapshot_id)
    )
    if not frame.is_empty():
        st.caption(explorer_charts.trend_sentence(frame, title))
    if measure == "kg_per_million_aged_15_64":
        st.caption(
            "Rate: kilograms seized per million people aged 15–64 (the population base UNODC "
            "uses, not per million inhabitants). Above country level a rate is shown only "
            "where every reporting country has a population figure for the year; for drug "
            "groups, only at country level (choose drug subgroups for regions and the world)."
        )
    st.caption(
        "Open circle: fewer than half of the countries that usually report this series "
        "reported that year, so the total is not comparable with other years. Open diamond: "
        "the quantity more than doubled or fell by more than half on the previous year; "
        "check it before quoting."
    )

    shown = tables.explorer_table(frame, rates=measure == "kg_per_million_aged_15_64")
    layout.table(shown, caption=title)
    layout.downloads(shown, slug, meta, title=title, label="these figures")
    if level == "country" and grain == "drug_group" and not frame.is_empty():
        provenance_panel.show(
            snap, meta, area, area_name, chosen, frame["year"].unique().sort().to_list()
        )
    layout.citation(meta)


main()
