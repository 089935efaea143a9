"""The provenance panel: what is behind one country x drug group x year figure.

Shared by the trend explorer and the country profile. It only selects (through
``explorer_queries.provenance``) and shows; the conversion factors are the reference table the
pipeline applied.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboards import explorer_queries as eq
from dashboards import layout
from dashboards.charts import quantity_text
from dashboards.queries import Snapshot, SnapshotMeta
from drugtrends import reference


def show(
    snap: Snapshot,
    meta: SnapshotMeta,
    iso3: str,
    country: str,
    groups: Sequence[str],
    years: Sequence[int],
) -> None:
    with st.expander(f"Where a figure comes from: {country}", icon=":material/source:"):
        if not groups or not years:
            st.caption("No figure to trace.")
            return
        c1, c2 = st.columns(2)
        group = c1.selectbox("Drug group", list(groups), key="prov_group")
        year = c2.selectbox("Year", list(years), index=len(years) - 1, key="prov_year")
        parts = eq.provenance(snap, iso3, group, year)
        subgroups, rows, files = parts["subgroups"], parts["rows"], parts["files"]
        if subgroups.is_empty():
            st.caption(f"{country} reported no {group} for {year}.")
            return
        st.markdown(
            f"**{country}, {group}, {year}**: {subgroups.height} subgroup figure(s) from "
            f"{rows.height} source row(s), contract version(s) "
            f"{', '.join(sorted(set(subgroups['contract_version'].to_list())))}."
        )
        st.caption(
            "Each subgroup's kg and how it enters the group total (component, reported total "
            "or excluded), then the source rows and files."
        )
        st.dataframe(subgroups, hide_index=True)
        st.dataframe(rows, hide_index=True)
        st.dataframe(files, hide_index=True)
        total = rows["kg"].sum() if rows.height else None
        st.caption(f"Sum of the source rows: {quantity_text(total)} (before the rollup rules).")
        factors = reference.load("conversion_factors")
        st.caption(
            "Quantities reported in other units were converted with the project's conversion "
            "factors (reference version " + reference.version() + "):"
        )
        st.dataframe(factors, hide_index=True)
        fixes = corrections_for(iso3)
        if fixes:
            st.caption("Known errors in the source corrected for this country:")
            st.dataframe(fixes, hide_index=True)
        else:
            st.caption(
                "No correction of the source (drugtrends/reference/corrections.yaml, "
                f"version {corrections_version()}) concerns {country}."
            )
        layout.csv_download(
            "Download the source rows (CSV)", rows, f"source-rows_{iso3}_{group}_{year}", meta
        )


def _registry() -> dict:
    from importlib import resources

    import yaml

    text = resources.files(reference.PACKAGE).joinpath("corrections.yaml").read_text("utf-8")
    return yaml.safe_load(text) or {}


def corrections_version() -> str:
    return str(_registry().get("version", "unknown"))


def corrections_for(iso3: str) -> list[dict[str, str]]:
    """Corrections in the registry whose match names this country."""
    return [
        {k: str(v) for k, v in entry.items() if k in ("id", "action", "reason", "evidence")}
        for entry in _registry().get("corrections") or []
        if str((entry.get("match") or {}).get("country_iso3")) == iso3
    ]
