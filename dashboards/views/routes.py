"""Routes: where seizures of a headline series left from, where they were seized and where they
were heading, from case-level seizures (``marts.route_flows`` and ``marts.route_corridors``).

Filters are bound to the URL, e.g. ``?region=Europe&drug=Cocaine&measure=Kilograms``.
The flow map draws its base map from ``dashboards/static/world_110m.json`` (served by Streamlit at
``app/static/``), never from Plotly's CDN, so it works offline.
"""

from __future__ import annotations

import streamlit as st

from dashboards import (
    WORLD,
    Measure,
    countries,
    flow_map,
    layout,
    queries,
    route_charts,
    route_queries,
    route_tables,
    safe_text,
)
from drugtrends import reference
from drugtrends.reference import REGIONS

AREAS = (WORLD, *REGIONS)
DEFAULT_SERIES = "Cocaine"
TOP_CHOICES = (5, 10, 15, 20, 25, 30)
MEASURE_CHOICES: dict[str, Measure] = {"Seizures": "seizures", "Kilograms": "kg"}
MAP_LEGS = 40
ROUTE_MARTS = ("marts.route_flows", "marts.route_corridors")
CHART_CONFIG = {"displaylogo": False}
# Plotly fetches "<topojsonURL>world_110m.json"; point it at our static folder, not the CDN.
MAP_CONFIG = {
    "displaylogo": False,
    "topojsonURL": countries.STATIC_URL,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}

NOTES = """
- **Reported cases, not trafficking volumes.** Each seizure is one case reported by national
  authorities. Not every country reports individual seizures, and those that do not report every
  case, so the routes show what was reported, not everything that was trafficked.
- **Duplicates are counted once.** A row whose every field equals an earlier row of the same
  file is left out of seizures and kilograms ({duplicates} in this selection).
- **Kilograms only where a defensible conversion exists.** Masses convert exactly and one litre
  counts as one kilogram; counts (tablets, units) convert only where a drug-specific factor is
  published. {with_kg} of the {seizures} seizures ({kg_share}) have a kilogram equivalent; the
  others count as seizures but add nothing to kilograms. Weights are bulk, not purity-adjusted.
- **Unknown route ends.** The departure country is reported for {departure} of the seizures and
  the destination for {destination}. The diagram leaves out routes with an unknown end unless
  *Show unknown route ends* is on, when they run through an "Unknown" node; the map draws only
  legs whose two countries are known.
- **"Other countries".** The diagram keeps the countries of the largest routes and groups every
  other country, column by column, as "Other countries".
- **One series, one rule.** The drug is a headline series (coca leaf, bush and seeds are never
  cocaine). **Domestic movements** (departure and destination in the same country,
  {domestic} in this selection) are left out of the diagram, the map and the corridors alike;
  the totals at the top count every seizure.
- **Outliers.** A seizure is flagged when its amount is unusually large for its drug and unit
  (more than {outlier_k} scaled median absolute deviations above the median on a log scale,
  e.g. 14,733,068 grams of cocaine in a file where the median gram seizure is under 2 kg).
  {outliers} flagged seizures ({outlier_kg}) are in this selection; they are never deleted, and
  *Leave out flagged outliers* shows every figure without them.
- **Reporting volume is not trafficking volume.** {top_reporters}
- **Region** is the UNODC region of the country that made the seizure. Corridors (departure
  → destination, both reported and different) are listed when they leave from or lead to a
  country of the region, wherever along the way the seizure was made.
- **Shares are over all seizures of the series and years,** worldwide: every seizing
  country and every seizure, unknown routes included. The corridors' shares therefore add up to
  much less than 100%, which shows how much of the picture known corridors explain.
- **Country points and names.** Lines join country centroids (the middle of a country's largest
  landmass), not actual places of departure or seizure. Names and boundaries imply no position
  on the status of any territory.
"""


def filters(names: list[str], years: list[int]) -> tuple[str, str, int, int, Measure]:
    with st.container(border=True):
        area_col, group_col, years_col, measure_col = st.columns([1.1, 1.7, 1.4, 1.3], gap="medium")
        area = area_col.selectbox(
            "Region of the seizing country",
            AREAS,
            key="region",
            bind="query-params",
            help="Seizures made anywhere (World) or by the countries of one UNODC region.",
        )
        name = group_col.selectbox(
            "Drug",
            names,
            index=names.index(DEFAULT_SERIES) if DEFAULT_SERIES in names else 0,
            key="drug",
            bind="query-params",
            help="A headline series: coca leaf is not cocaine, cannabis plants are not herb.",
        )
        first, last = layout.year_range(years_col, years)
        # Options are the words shown, so the URL reads ?measure=Kilograms (a bound widget puts
        # the displayed text in the URL).
        choice = measure_col.radio(
            "Measure",
            list(MEASURE_CHOICES),
            key="measure",
            bind="query-params",
            captions=["seizure cases", "kg equivalent"],
            help="Count seizure cases, or add up their kilogram equivalents.",
        )
    return area, name, first, last, MEASURE_CHOICES[choice]


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def top_reporters_text(top, seizures: int) -> str:
    if top.is_empty():
        return "No seizing country in this selection."
    names = [countries.name(iso3) for iso3 in top["seizing_iso3"].to_list()]
    share = float(top["share_of_seizures"].sum())
    return (
        f"{len(names)} seizing countries ({', '.join(names)}) report {100 * share:.0f}% of the "
        f"{seizures:,} cases: the picture follows who reports case by case."
    )


def summary_metrics(summary: dict[str, float]) -> None:
    seizures = summary["seizures"]
    with st.container(horizontal=True):
        st.metric(
            "Seizures",
            f"{seizures:,.0f}",
            border=True,
            help="Seizure cases reported, duplicates counted once.",
        )
        st.metric(
            "Kilogram equivalent",
            route_charts.amount_text(summary["kg_equivalent"], "kg"),
            border=True,
            help="Bulk weight of the seizures that can be converted.",
        )
        st.metric(
            "Departure reported",
            percent(summary["known_departure"], seizures),
            border=True,
            help="Share of seizures whose departure country is known.",
        )
        st.metric(
            "Destination reported",
            percent(summary["known_destination"], seizures),
            border=True,
            help="Share of seizures whose destination country is known.",
        )
        st.metric(
            "With a kilogram equivalent",
            percent(summary["seizures_with_kg"], seizures),
            border=True,
            help="Share of seizures with a defensible conversion to kg.",
        )
        st.metric(
            "Flagged outliers",
            f"{summary['outlier_seizures']:,.0f}",
            border=True,
            help="Seizures unusually large for their drug and unit, and their kilograms "
            f"({route_charts.amount_text(summary['outlier_kg'], 'kg')}). Never deleted.",
        )


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("Trafficking routes")
    st.markdown(
        "Where the drugs seized by national authorities had left from, where they were "
        "seized and where they were heading, as reported case by case. Choose where the "
        "seizures were made, a drug group and years; the link in your browser keeps the "
        "selection."
    )
    layout.as_of_line(meta)

    missing = queries.missing_tables(snap, ROUTE_MARTS)
    options = route_queries.series_options(snap) if not missing else None
    names = options["series"].to_list() if options is not None else []
    years = route_queries.years(snap) if not missing else []
    if not names or not years:
        st.info(
            "The published snapshot holds no case-level seizures with routes yet. Add an "
            "`individual_seizures` source and run `make pipeline`."
        )
        st.stop()
    area, group, first, last, measure = filters(names, years)
    chosen = options.row(names.index(group), named=True)
    series_id = chosen["series_id"]
    if chosen["definition"]:
        st.caption(f"**{safe_text.markdown(group)}:** {safe_text.markdown(chosen['definition'])}")
    span = f"{first}–{last}" if first != last else str(first)
    where = "worldwide" if area == WORLD else f"in {safe_text.markdown(area)}"

    exclude = st.toggle(
        "Leave out flagged outliers",
        key="outliers",
        bind="query-params",
        help="Show every figure below without the seizures flagged as unusually large for "
        "their drug and unit (they are never deleted).",
    )
    flows = route_queries.flows(snap, area, series_id, first, last, exclude)
    summary = route_queries.flow_summary(snap, area, series_id, first, last)
    summary_metrics(summary)
    period = route_queries.data_period(snap, area, series_id, first, last)
    top = route_queries.top_reporters(snap, area, series_id, first, last)
    reporters = top_reporters_text(top, summary["seizures"])
    if period["first_date"] is not None:
        st.caption(
            f"Data period: seizures dated {period['first_date']:%d %b %Y} to "
            f"{period['last_date']:%d %b %Y}. {reporters}"
        )

    heading, view_options = st.columns([3, 2], vertical_alignment="bottom")
    outlier_note = ", flagged outliers left out" if exclude else ""
    heading.subheader(f"{safe_text.markdown(group)} seized {where}, {span}{outlier_note}")
    with view_options.container(
        horizontal=True, horizontal_alignment="right", vertical_alignment="bottom"
    ):
        top_n = st.select_slider(
            "Routes shown",
            TOP_CHOICES,
            value=10,
            key="top",
            bind="query-params",
            width=220,
            help="The largest routes keep their countries; the rest are "
            "grouped as “Other countries”.",
        )
        include_unknown = st.toggle(
            "Show unknown route ends",
            key="unknown",
            bind="query-params",
            help="Also show seizures whose departure or destination was not reported, "
            "as “Unknown”.",
        )
    st.plotly_chart(
        route_charts.sankey_figure(
            flows, measure=measure, top_n=top_n, include_unknown=include_unknown
        ),
        key="sankey_chart",
        config=CHART_CONFIG,
    )
    left_out = summary["seizures"] - summary["known_both"]
    domestic = f"{summary['domestic']:,} domestic movements (departure = destination)"
    if include_unknown:
        st.caption(
            f"The {top_n} largest routes by {route_charts.MEASURES[measure].lower()}; "
            "other countries are grouped per column. “Unknown”: departure or "
            f"destination not reported. Left out here, on the map and in the corridors: "
            f"{domestic}."
        )
    else:
        st.caption(
            f"The {top_n} largest routes by {route_charts.MEASURES[measure].lower()}; "
            f"other countries are grouped per column. Left out: {left_out:,} seizures "
            f"({percent(left_out, summary['seizures'])}) whose departure or destination "
            "was not reported (switch on *Show unknown route ends* to include them), and "
            f"{domestic}, here, on the map and in the corridors."
        )

    st.subheader("On the map")
    st.plotly_chart(
        flow_map.flow_map_figure(flows, measure=measure, limit=MAP_LEGS),
        key="flow_map",
        config=MAP_CONFIG,
    )
    st.caption(
        f"Lines: the {MAP_LEGS} largest country-to-country legs, thicker for more "
        "seized. Dots: the countries that made the seizures, larger for more seized. "
        "Lines join country centroids, not actual places."
    )

    corridor_scope = (
        "" if area == WORLD else f" leaving from or leading to {safe_text.markdown(area)}"
    )
    st.subheader(f"Main corridors{corridor_scope}, {span}")
    corridors = route_tables.corridor_table(
        route_queries.corridors(snap, area, series_id, first, last, measure, top_n, exclude)
    )
    modes = route_queries.corridor_transport(
        snap, area, series_id, first, last, measure, top_n, exclude
    )
    st.dataframe(
        corridors,  # shown as is: the CSV below is this frame
        hide_index=True,
        column_config={
            route_tables.RANK: st.column_config.NumberColumn(format="%d", width="small"),
            route_tables.SEIZURES: st.column_config.NumberColumn(format="localized"),
            route_tables.KG: st.column_config.NumberColumn(format="localized"),
            route_tables.SHARE_SEIZURES: st.column_config.NumberColumn(format="%.2f%%"),
            route_tables.SHARE_KG: st.column_config.NumberColumn(format="%.2f%%"),
            route_tables.OUTLIERS: st.column_config.NumberColumn(format="%d"),
        },
    )
    flagged = corridors.filter(corridors[route_tables.OUTLIERS] > 0).height
    st.caption(
        f"Shares are over all seizures of {safe_text.markdown(group)} worldwide in {span}, "
        f"unknown routes included{outlier_note}. Main transport: the mode with the most "
        f"{route_charts.UNIT[measure]} on the corridor. "
        + (
            f"⚠ {flagged} of these corridors include flagged outliers (column "
            f"*{route_tables.OUTLIERS}*)."
            if flagged and not exclude
            else ""
        )
    )
    st.markdown(f"**Transport modes on these corridors** ({route_charts.MEASURES[measure]})")
    st.plotly_chart(
        route_charts.transport_figure(modes, measure=measure),
        key="transport_chart",
        config=CHART_CONFIG,
    )

    slug = f"{area}_{series_id}".lower().replace(" ", "-")
    with st.container(horizontal=True):
        span_slug = f"{slug}_{first}-{last}"
        layout.csv_download(
            f"Download routes (CSV, {span})",
            route_tables.flow_table(flows),
            f"drug-routes_{span_slug}",
            meta,
        )
        layout.csv_download(
            "Download corridors (CSV)", corridors, f"drug-corridors_{span_slug}", meta
        )
        layout.csv_download(
            "Download transport modes (CSV)",
            route_tables.transport_table(modes),
            f"drug-corridor-transport_{span_slug}",
            meta,
        )

    with st.expander("How to read these figures", icon=":material/info:"):
        seizures = summary["seizures"]
        st.markdown(
            NOTES.format(
                duplicates=f"{summary['duplicates']:,} duplicate rows",
                with_kg=f"{summary['seizures_with_kg']:,}",
                seizures=f"{seizures:,}",
                kg_share=percent(summary["seizures_with_kg"], seizures),
                departure=percent(summary["known_departure"], seizures),
                destination=percent(summary["known_destination"], seizures),
                domestic=f"{summary['domestic']:,}",
                outlier_k=f"{reference.threshold('outlier_k'):g}",
                outliers=f"{summary['outlier_seizures']:,}",
                outlier_kg=route_charts.amount_text(summary["outlier_kg"], "kg"),
                top_reporters=reporters,
            )
        )
    layout.citation(meta, layout.CITATION_CASES)


main()
