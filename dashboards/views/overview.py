"""Overview: seizure trends by drug group for the World or one region.

Filters are bound to the URL (``bind="query-params"``), so a link reproduces the view, e.g.
``?region=Europe&years=2019&years=2021``. Bound widgets only accept listed options, and the
queries bind every value as a parameter.
"""

from __future__ import annotations

import streamlit as st

from dashboards import WORLD, charts, layout, queries, safe_text, tables, world_map
from drugtrends.reference import REGIONS

AREAS = (WORLD, *REGIONS)

METHODOLOGY = """
- **Bulk weight, not purity.** Quantities are the weights seized as reported, in kilograms
  (volumes and, for amphetamine-type tablets, counts converted to kilogram equivalents). They are
  not adjusted for purity, so tonnes of different drugs are not comparable doses.
- **Zero is not missing.** 0 means a country reported seizing none; a missing value means it did
  not report. Missing values are never counted as zero.
- **"Total" rows replace their components.** Where a country reports a "Total …" row for a drug,
  that row stands for it and the detailed rows are not added on top.
- **Coca leaf and coca bush are excluded from cocaine.** They are plant material and stay out of
  the "Cocaine and Derivatives" total.
- **Reported totals are never double-counted.** Some countries report a group total (e.g.
  "Reported total Cannabis-type") as well as details. A group's quantity is the larger of the
  sum of its details and the reported total, never both added together.
- **Trends partly reflect reporting.** The number of countries reporting changes from year to
  year (see *Countries reporting*), so a rise or fall can come from who reported as much as from
  what was seized.
"""


def filters(groups: list[str], years: list[int]) -> tuple[str, list[str], int, int]:
    with st.container(border=True):
        area_col, groups_col, years_col = st.columns([1.2, 3, 1.6], gap="medium")
        area = area_col.selectbox(
            "Region",
            AREAS,
            key="region",
            bind="query-params",
            help="World totals, or one of the five UNODC regions.",
        )
        chosen = groups_col.multiselect(
            "Drug groups",
            groups,
            default=groups,
            key="drugs",
            bind="query-params",
            placeholder="Choose one or more drug groups",
            wrap=True,
        )
        first, last = layout.year_range(years_col, years)
    return area, chosen, first, last


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("Drug seizure trends")
    st.markdown(
        "Quantities of drugs seized each year, as reported by national authorities, "
        "by drug group. Choose a region, drug groups and years; the link in your "
        "browser keeps the selection, so you can share it."
    )
    layout.as_of_line(meta)

    groups = queries.drug_groups(snap)
    years = queries.years(snap)
    if not groups or not years:
        st.info("The published snapshot holds no seizure trends yet. Run `make pipeline`.")
        st.stop()
    area, chosen, first, last = filters(groups, years)
    if not chosen:
        st.info("Choose at least one drug group to see its trend.", icon=":material/filter_alt:")
        st.stop()

    colours = charts.colour_map(groups)
    trends = queries.group_trends(snap, area, chosen, first, last)
    span = f"{first}–{last}" if first != last else str(first)

    heading, scale = st.columns([4, 1], vertical_alignment="bottom")
    heading.subheader(f"{safe_text.markdown(area)}: quantity seized by drug group, {span}")
    with scale.container(horizontal=True, horizontal_alignment="right"):
        log_scale = st.toggle(
            "Logarithmic scale",
            key="log",
            bind="query-params",
            help="Shows small and large drug groups on one chart: equal steps are equal ratios. "
            "Years with none seized (0) cannot be drawn on this scale.",
        )
    quantity_tab, coverage_tab = st.tabs(["Quantity seized", "Countries reporting"])
    with quantity_tab:
        st.plotly_chart(
            charts.trend_figure(trends, colours=colours, log_scale=log_scale),
            key="trend_chart",
            config={"displaylogo": False},
        )
    with coverage_tab:
        st.plotly_chart(
            charts.reporting_figure(trends, colours=colours),
            key="coverage_chart",
            config={"displaylogo": False},
        )
    st.caption(
        "Bulk weights, not adjusted for purity: tonnes in the chart, kilograms in the "
        "table. The number of countries reporting changes from year to year, so trends "
        "partly reflect reporting."
    )

    latest = tables.latest_year_table(queries.latest_year(snap, area, chosen, first, last))
    latest_year = latest[tables.YEAR][0] if latest.height else last
    st.subheader(f"{safe_text.markdown(area)} in {latest_year}")
    st.dataframe(
        latest,  # shown as is: the CSV below is this frame
        hide_index=True,
        column_config={
            tables.KG: st.column_config.NumberColumn(format="localized"),
            tables.YOY: st.column_config.NumberColumn(format="%+.1f%%"),
            tables.SHARE: st.column_config.NumberColumn(format="%.1f%%"),
            tables.COUNTRIES: st.column_config.NumberColumn(format="%d"),
        },
    )

    slug = area.lower().replace(" ", "-")
    with st.container(horizontal=True):
        layout.csv_download(
            f"Download this table (CSV, {latest_year})",
            latest,
            f"drug-seizures_{slug}_{latest_year}",
            meta,
        )
        layout.csv_download(
            f"Download chart data (CSV, {span})",
            tables.trend_table(trends),
            f"drug-seizure-trends_{slug}_{first}-{last}",
            meta,
        )

    world_map.show(snap, meta, groups)

    with st.expander("Methodology", icon=":material/info:"):
        st.markdown(METHODOLOGY)
    layout.citation(meta)


main()
