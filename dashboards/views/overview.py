"""Overview: headline seizure series (as the World Drug Report presents them) for the World or one
region, with coverage and change flags beside every figure; the raw drug groups one click away.

Filters are bound to the URL (``bind="query-params"``), so a link reproduces the view, e.g.
``?region=Europe&years=2019&years=2021``. Bound widgets only accept listed options, and the
queries bind every value as a parameter.
"""

from __future__ import annotations

import streamlit as st

from dashboards import WORLD, charts, layout, queries, safe_text, tables, world_map
from drugtrends import reference
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
- **Series, not groups.** The headline series count one drug each (cocaine without coca leaf;
  cannabis herb, resin and plants apart; opium, heroin and morphine apart). Plant material and
  precursor chemicals are series of their own and are never added to drug quantities. The drug
  groups add different products together, so the group figures are offered only as a second view.
- **Coverage is shown.** *Share of usual reporters* is the share of the area's countries that
  reported the series in any year of the data that reported it this year; a figure below
  {min_coverage:.0%} is marked ⚠ *low coverage* (an open marker in the chart).
- **Change like for like.** Besides the plain change on the previous year, the like-for-like
  change compares only the countries that reported in both years. A change is flagged *small
  base* (and its percentage not shown) when the previous year was under {min_base:,.0f} kg or,
  above country level, fewer than {min_countries:.0f} countries reported; *reporters changed*
  when the countries reporting both years hold under {min_share:.0%} of either year's quantity.
- **Trends partly reflect reporting.** The number of countries reporting changes from year to
  year (see *Countries reporting*), so a rise or fall can come from who reported as much as from
  what was seized.
"""


SERIES_VIEW, GROUP_VIEW = "Headline series", "Drug groups"


def methodology() -> str:
    return METHODOLOGY.format(
        min_coverage=reference.threshold("min_coverage_share"),
        min_base=reference.threshold("yoy_min_base_kg"),
        min_countries=reference.threshold("yoy_min_base_countries"),
        min_share=reference.threshold("yoy_min_like_for_like_share"),
    )


def year_span(first: int, last: int) -> str:
    return f"{first}–{last}" if first != last else str(first)


def trend_charts(
    trends,
    colours: dict[str, str],
    *,
    title: str,
    what: str,
    label: str,
    keys: tuple[str, str],
    caption: str,
) -> None:
    """The heading with the log-scale toggle, the quantity and countries-reporting charts in two
    tabs (widget ``keys``: links and the browser tests use them), and the caption below."""
    heading, scale = st.columns([4, 1], vertical_alignment="bottom")
    heading.subheader(title)
    with scale.container(horizontal=True, horizontal_alignment="right"):
        log_scale = st.toggle(
            "Logarithmic scale",
            key="log",
            bind="query-params",
            help=f"Shows small and large {what} on one chart: equal steps are equal ratios. "
            "Years with none seized (0) cannot be drawn on this scale.",
        )
    quantity_tab, coverage_tab = st.tabs(["Quantity seized", "Countries reporting"])
    with quantity_tab:
        st.plotly_chart(
            charts.trend_figure(trends, colours=colours, log_scale=log_scale, label=label),
            key=keys[0],
            config={"displaylogo": False},
        )
    with coverage_tab:
        st.plotly_chart(
            charts.reporting_figure(trends, colours=colours, label=label),
            key=keys[1],
            config={"displaylogo": False},
        )
    st.caption(caption)


def latest_table(
    area: str, latest, fallback_year: int, *, column_config: dict, key: str | None = None
) -> int:
    """The latest year's table under "<area> in <year>"; returns that year (``fallback_year``
    when the table is empty)."""
    latest_year = latest[tables.YEAR][0] if latest.height else fallback_year
    st.subheader(f"{safe_text.markdown(area)} in {latest_year}")
    st.dataframe(
        latest,  # shown as is: the CSV download is this frame
        hide_index=True,
        key=key,
        column_config=column_config,
    )
    return latest_year


def csv_downloads(
    meta,
    area: str,
    latest,
    latest_year: int,
    chart_data,
    first: int,
    last: int,
    *,
    stems: tuple[str, str],
) -> None:
    """CSV of the latest year's table and of the chart's data points, side by side; the files
    are named ``<stem>_<area>_<year(s)>``."""
    slug = area.lower().replace(" ", "-")
    with st.container(horizontal=True):
        layout.csv_download(
            f"Download this table (CSV, {latest_year})",
            latest,
            f"{stems[0]}_{slug}_{latest_year}",
            meta,
        )
        layout.csv_download(
            f"Download chart data (CSV, {year_span(first, last)})",
            chart_data,
            f"{stems[1]}_{slug}_{first}-{last}",
            meta,
        )


def series_filters(catalogue, years: list[int]) -> tuple[str, list[str], int, int]:
    names = catalogue["series"].to_list()
    default = catalogue.filter(catalogue["headline"] & (catalogue["family"] == "drug"))
    with st.container(border=True):
        area_col, series_col, years_col = st.columns([1.2, 3, 1.6], gap="medium")
        area = area_col.selectbox(
            "Region",
            AREAS,
            key="region",
            bind="query-params",
            help="World totals, or one of the five UNODC regions.",
        )
        chosen = series_col.multiselect(
            "Series",
            names,
            default=default["series"].to_list() or names[:5],
            key="series",
            bind="query-params",
            placeholder="Choose one or more series",
            wrap=True,
            help="Headline series as the World Drug Report presents them; plant material and "
            "precursor chemicals are separate series, never added to drugs.",
        )
        first, last = layout.year_range(years_col, years)
    return area, chosen, first, last


def series_view(snap, meta, years: list[int]) -> None:
    catalogue = queries.series_catalogue(snap)
    if catalogue.is_empty():
        st.info("The published snapshot holds no headline series yet. Run `make pipeline`.")
        return
    area, chosen, first, last = series_filters(catalogue, years)
    if not chosen:
        st.info("Choose at least one series to see its trend.", icon=":material/filter_alt:")
        return
    definitions = catalogue.filter(catalogue["series"].is_in(chosen))
    st.markdown(
        "\n".join(
            f"- **{safe_text.markdown(name)}** ({tables.FAMILIES.get(family, family)}): "
            f"{safe_text.markdown(definition)}"
            for name, family, definition in definitions.select(
                "series", "family", "definition"
            ).iter_rows()
        )
    )
    colours = charts.colour_map(catalogue["series"].to_list())
    trends = queries.series_trends(snap, area, chosen, first, last)
    trend_charts(
        trends,
        colours,
        title=f"{safe_text.markdown(area)}: quantity seized by series, {year_span(first, last)}",
        what="series",
        label="series",
        keys=("series_chart", "series_coverage_chart"),
        caption="Bulk weights, not adjusted for purity. Open markers: ⚠ low coverage (fewer than "
        f"{reference.threshold('min_coverage_share'):.0%} of the area's usual reporters "
        "reported that year).",
    )
    latest = tables.series_latest_table(queries.series_latest(snap, area, chosen, first, last))
    latest_year = latest_table(
        area,
        latest,
        last,
        key="series_table",
        column_config={
            tables.KG: st.column_config.NumberColumn(format="localized"),
            tables.YOY: st.column_config.NumberColumn(format="%+.1f%%"),
            tables.LIKE_FOR_LIKE: st.column_config.NumberColumn(format="%+.1f%%"),
            tables.SHARE: st.column_config.NumberColumn(format="%.1f%%"),
            tables.COVERAGE: st.column_config.NumberColumn(format="%.0f%%"),
            tables.COUNTRIES: st.column_config.NumberColumn(format="%d"),
        },
    )
    flagged = latest.filter(latest[tables.YOY_FLAG].is_not_null())
    if flagged.height:
        pairs = flagged.select(tables.SERIES, tables.YOY_FLAG).iter_rows()
        st.caption(
            "⚠ Change flagged for "
            + ", ".join(f"{safe_text.markdown(n)} ({f})" for n, f in pairs)
            + "."
        )
    csv_downloads(
        meta,
        area,
        latest,
        latest_year,
        tables.series_trend_table(trends),
        first,
        last,
        stems=("drug-seizure-series", "drug-seizure-series-trends"),
    )


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
        "Quantities of drugs seized each year, as reported by national authorities: the "
        "headline series first, each with what it counts, how many of the usual reporters "
        "stand behind it, and whether its change can be read. Choose a region, series and "
        "years; the link in your browser keeps the selection, so you can share it."
    )
    layout.as_of_line(meta)

    groups = queries.drug_groups(snap)
    years = queries.years(snap)
    if not groups or not years:
        st.info("The published snapshot holds no seizure trends yet. Run `make pipeline`.")
        st.stop()
    has_series = not queries.missing_tables(snap, ["marts.seizure_series"])
    view = st.segmented_control(
        "Show",
        [SERIES_VIEW, GROUP_VIEW] if has_series else [GROUP_VIEW],
        default=SERIES_VIEW if has_series else GROUP_VIEW,
        key="view",
        bind="query-params",
        help="Headline series count one drug each; drug groups add different products "
        "(e.g. cannabis herb and plants, or precursors) together.",
    )
    if view != GROUP_VIEW and has_series:
        series_view(snap, meta, years)
        with st.expander("Methodology", icon=":material/info:"):
            st.markdown(methodology())
        layout.citation(meta)
        return
    st.warning(
        "Drug groups add different products together (e.g. cannabis herb, resin and plants; "
        "opium and heroin; precursor chemicals under Miscellaneous): compare series, not groups.",
        icon=":material/warning:",
    )
    area, chosen, first, last = filters(groups, years)
    if not chosen:
        st.info("Choose at least one drug group to see its trend.", icon=":material/filter_alt:")
        st.stop()

    definitions = queries.group_definitions(snap)
    if definitions:
        st.markdown(
            "\n".join(
                f"- **{safe_text.markdown(g)}**: {safe_text.markdown(definitions[g])}"
                for g in chosen
                if g in definitions
            )
        )
    colours = charts.colour_map(groups)
    trends = queries.group_trends(snap, area, chosen, first, last)
    trend_charts(
        trends,
        colours,
        title=f"{safe_text.markdown(area)}: quantity seized by drug group, "
        f"{year_span(first, last)}",
        what="drug groups",
        label="drug_group",
        keys=("trend_chart", "coverage_chart"),
        caption="Bulk weights, not adjusted for purity: tonnes in the chart, kilograms in the "
        "table. The number of countries reporting changes from year to year, so trends "
        "partly reflect reporting.",
    )

    latest = tables.latest_year_table(queries.latest_year(snap, area, chosen, first, last))
    latest_year = latest_table(
        area,
        latest,
        last,
        column_config={
            tables.KG: st.column_config.NumberColumn(format="localized"),
            tables.YOY: st.column_config.NumberColumn(format="%+.1f%%"),
            tables.SHARE: st.column_config.NumberColumn(format="%.1f%%"),
            tables.COUNTRIES: st.column_config.NumberColumn(format="%d"),
        },
    )
    csv_downloads(
        meta,
        area,
        latest,
        latest_year,
        tables.trend_table(trends),
        first,
        last,
        stems=("drug-seizures", "drug-seizure-trends"),
    )

    world_map.show(snap, meta, groups)

    with st.expander("Methodology", icon=":material/info:"):
        st.markdown(methodology())
    layout.citation(meta)


main()
