"""Country profile: one country's every series with its trend, its share of the region and the
world, corridors touching it, its source files, its drug prices, the alerts and revisions
concerning it, and what is behind each figure.

``?country=COL`` (ISO3) opens a country directly; the snapshot id is in the URL too.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import (
    countries,
    explorer_charts,
    layout,
    provenance_panel,
    queries,
    safe_text,
    tables,
)
from dashboards import country_queries as cq
from dashboards import explorer_queries as eq

ROUTE_MARTS = ("marts.route_corridors",)


def prices_section(snap, meta, iso3: str, name: str) -> None:
    shown_name = safe_text.markdown(name)
    st.subheader(f"Drug prices in {shown_name}")
    prices = cq.country_prices(snap, iso3)
    if prices.is_empty():
        st.caption(f"No drug prices for {shown_name} in this snapshot.")
        return
    shown = prices.select(
        pl.col("series").alias(tables.SERIES),
        pl.col("level_of_sale").alias("Level of sale"),
        pl.col("year").alias(tables.YEAR),
        pl.col("typical_usd_per_gram").round(2).alias("Typical (USD per gram)"),
        pl.col("minimum_usd_per_gram").round(2).alias("Minimum (USD per gram)"),
        pl.col("maximum_usd_per_gram").round(2).alias("Maximum (USD per gram)"),
        pl.col("yoy_change_pct").round(1).alias("Change on previous year (%)"),
        pl.col("source_files").list.join(", ").alias("Source files"),
    )
    title = f"Drug prices in {name} (US dollars per gram, not adjusted for purity)"
    layout.table(shown, caption=title)
    layout.downloads(shown, f"prices_{iso3}", meta, title=title, label="prices")


def alerts_section(snap, meta, iso3: str, name: str) -> None:
    shown_name = safe_text.markdown(name)
    st.subheader(f"Alerts and revisions concerning {shown_name}")
    alerts = cq.country_alerts(snap, iso3)
    if alerts.is_empty():
        st.caption(f"No alert on {shown_name}'s figures in this snapshot.")
    else:
        layout.alert_cards(alerts.head(10), meta)
        if alerts.height > 10:
            st.caption(f"{alerts.height - 10} more on the Alerts page.")
    changes = cq.country_changes(snap, iso3)
    if changes.is_empty():
        st.caption(f"The newest snapshot changed none of {shown_name}'s figures.")
        return
    shown = changes.select(
        pl.col("year").alias(tables.YEAR),
        pl.col("series").alias(tables.SERIES),
        pl.col("kind").str.replace_all("_", " ").alias("Change"),
        pl.col("detail").alias("Detail"),
        pl.col("old_value").round(1).alias("Old value"),
        pl.col("new_value").round(1).alias("New value"),
        pl.col("unit").alias("Unit"),
    )
    title = f"What the newest snapshot changed in {name}'s figures"
    layout.table(shown, caption=title)
    layout.downloads(shown, f"changes_{iso3}", meta, title=title, label="changes")


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("Country profile")
    layout.as_of_line(meta)
    area_frame = eq.areas(snap, "country")
    codes = area_frame["area"].to_list()
    names = dict(zip(codes, area_frame["area_name"].to_list(), strict=True))
    regions = dict(zip(codes, area_frame["region"].to_list(), strict=True))
    if not codes:
        st.info("The snapshot holds no country figures yet.")
        st.stop()
    # The URL holds the name shown (bound widgets write the label): ?country=Colombia.
    by_name = {name: code for code, name in names.items()}
    layout.check_params({"country": list(by_name)})
    iso3 = by_name[st.selectbox("Country", list(by_name), key="country", bind="query-params")]
    name = names.get(iso3, iso3)
    series = eq.country_series(snap, iso3)
    reported = series["series"].unique(maintain_order=True).to_list()
    first, last = (series["year"].min(), series["year"].max()) if series.height else (None, None)
    st.markdown(
        f"**{name}** ({regions.get(iso3)}) reported seizures of **{len(reported)} drug "
        f"group(s)** between {first} and {last}: {', '.join(reported)}."
    )

    st.subheader(f"{name}: quantity seized by drug group")
    colours = explorer_charts.colour_map(eq.series_names(snap, "global", "World", "drug_group"))
    fig = explorer_charts.with_context(
        explorer_charts.country_figure(series, colours=colours),
        f"{name}: quantity seized by drug group, {first}–{last} (tonnes)",
        meta.snapshot_id,
        note="Bulk weight, not adjusted for purity.",
        synthetic=meta.synthetic,
    )
    st.plotly_chart(
        fig,
        key="country_chart",
        config=explorer_charts.export_config(f"country_{iso3}", meta.snapshot_id),
    )
    shown = tables.country_table(series)
    title = f"{name}: seizures by drug group and year, with shares of region and world"
    layout.table(shown, caption=title)
    layout.downloads(shown, f"country_{iso3}", meta, title=title)

    st.subheader("Drug subgroups")
    subgroups = tables.country_table(eq.country_series(snap, iso3, "drug_subgroup"))
    layout.table(subgroups, caption=f"{name}: seizures by drug subgroup and year")
    layout.downloads(
        subgroups,
        f"country_{iso3}_subgroups",
        meta,
        title=f"{name} by drug subgroup",
        label="subgroups",
    )

    st.subheader("Trafficking corridors touching " + name)
    if queries.missing_tables(snap, ROUTE_MARTS):
        st.info("This snapshot has no case-level data, so no corridors.")
    else:
        corridors = eq.country_corridors(snap, iso3)
        if corridors.is_empty():
            st.caption(f"No reported case starts or ends in {name}.")
        else:
            shown_routes = corridors.with_columns(
                countries.name_expr("departure_iso3").alias("From"),
                countries.name_expr("destination_iso3").alias("To"),
            ).select(
                pl.col("year").alias(tables.YEAR),
                pl.col("drug_group").alias(tables.GROUP),
                "From",
                "To",
                pl.col("seizures").alias("Seizures"),
                pl.col("kg_equivalent").round(1).alias("Seized (kg equivalent)"),
                pl.col("main_transport").alias("Main transport"),
            )
            layout.table(shown_routes, caption=f"Corridors from or to {name}")
            layout.downloads(
                shown_routes,
                f"corridors_{iso3}",
                meta,
                title=f"Corridors touching {name}",
                label="corridors",
            )
        st.caption(
            f"{layout.SYNTHETIC_BANNER} (invented cases, not volumes)."
            if meta.synthetic
            else "Data: UNODC, Individual Drug Seizures (reported cases, not volumes)."
        )

    st.subheader("Source files")
    files = eq.country_source_files(snap, iso3)
    layout.table(files, caption=f"Files {name}'s figures were read from")

    prices_section(snap, meta, iso3, name)
    alerts_section(snap, meta, iso3, name)

    provenance_panel.show(
        snap, meta, iso3, name, reported, series["year"].unique().sort().to_list()
    )
    layout.citation(meta)


main()
