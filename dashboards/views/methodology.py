"""Methodology and sources: read from the reference tables, the contracts and the snapshot.

Nothing here is a copy of a rule in prose: the aggregation rules are
``reference/annual_subgroup_rules.csv``, the factors ``reference/conversion_factors.csv``, the
contract versions ``data_contracts/*.yaml`` and the columns the snapshot itself records.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import layout
from drugtrends import contracts, reference


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("Methodology and sources")
    layout.as_of_line(meta)
    st.markdown(
        "How the figures are made, from the tables the pipeline itself applies. "
        f"Reference tables version {reference.version()}."
    )

    st.subheader("Aggregation rules")
    st.caption("How each drug subgroup enters its group's total (annual_subgroup_rules.csv).")
    layout.table(reference.load("annual_subgroup_rules"), caption="Aggregation rules")

    st.subheader("Conversion factors")
    st.caption("Units converted to kilograms, each with its source (conversion_factors.csv).")
    factors = reference.load("conversion_factors")
    layout.table(factors, caption="Conversion factors")
    layout.downloads(factors, "conversion-factors", meta, title="Conversion factors")

    st.subheader("Data contracts")
    rows = []
    for dataset in contracts.contract_ids():
        contract = contracts.load_contract(dataset)
        rows.append(
            {
                "Dataset": dataset,
                "Version": str(getattr(contract, "version", "")),
                "Table": str(getattr(contract, "table", "")),
                "Description": " ".join(str(getattr(contract, "description", "")).split()),
            }
        )
    layout.table(pl.DataFrame(rows), caption="Data contracts and their versions")

    st.subheader("Glossary of drug groups and subgroups")
    drugs = reference.load("drugs")
    keep = [c for c in ("drug_group", "drug_subgroup") if c in drugs.columns]
    glossary = drugs.select(keep).unique().sort(keep) if keep else drugs
    layout.table(glossary, caption="Drug groups and their subgroups")

    st.subheader("Citation and licence")
    if meta.synthetic:
        st.markdown(
            f"This snapshot (`{meta.snapshot_id}`) holds synthetic demo data, invented by the "
            "drugtrends demo generator to exercise the pipeline: it has no producer and must "
            "not be cited. drugtrends is an independent, open-source project."
        )
    else:
        st.markdown(
            "Cite the underlying data as *UNODC, dataUNODC (annual drug seizures)* and *UNODC, "
            "Individual Drug Seizures*, with the snapshot id shown on every page "
            f"(this one: `{meta.snapshot_id}`). drugtrends is an independent, open-source "
            "project and does not speak for the data's producer; see the producer's terms of "
            "use for the data's licence."
        )
    layout.citation(meta)


main()
