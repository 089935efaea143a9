"""Data quality: did every region's submission get through its contract, what was quarantined
and why, how runs have gone over time, and which files were read.

Reads the pipeline's records in the published snapshot (``meta.partition_runs``,
``meta.check_results``, ``quarantine.rows``, ``raw.files``). Filters are bound to the URL.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import (
    layout,
    quality_charts,
    quality_queries,
    quality_tables,
    quality_text,
    safe_text,
)
from drugtrends.reference import REGIONS

ALL = "All"
CHART_CONFIG = {"displaylogo": False}
CHECK_TITLES = {
    "contract": "Contract",
    "reconciliation": "Reconciliation",
    "quarantine_share": "Quarantine share",
}

NOTES = """
- **One run per dataset and region.** Each region's submission is read, checked against the
  dataset's data contract and published on its own; one region failing does not hold back the
  others.
- **Blocking checks.** *Contract*: the clean rows pass every expectation of the contract.
  *Reconciliation*: rows read = clean rows + quarantined rows, so no row is lost. *Quarantine
  share*: the share of rows quarantined stays under the contract's limit. If any fails, the run
  is marked failed and the region's previously published data stays in place.
- **Quarantine.** A row that breaks a rule of the contract (a required value missing, a value
  out of range, an unknown code, …) is kept as received, with the first rule it broke and a
  message naming every rule it broke. It is not loaded, and not corrected by hand.
- **Skipped** means no source was configured for the region.
"""


def grid(runs: pl.DataFrame, checks: pl.DataFrame) -> None:
    """A card per dataset x region: green = published, red = failed, grey = skipped/none."""
    regions = [*REGIONS, *sorted(set(runs["region"]) - set(REGIONS))]
    for dataset in runs["dataset"].unique(maintain_order=True).to_list():
        st.markdown(f"##### `{dataset}`")
        for column, region in zip(st.columns(len(regions)), regions, strict=True):
            match = runs.filter((pl.col("dataset") == dataset) & (pl.col("region") == region))
            card = quality_tables.status_card(
                match.row(0, named=True) if match.height else None,
                checks.filter((pl.col("dataset") == dataset) & (pl.col("region") == region)),
            )
            with column.container(border=True, height="stretch"):
                st.markdown(f"**{safe_text.markdown(region)}**  \n{card.badge}")
                if card.counts:
                    st.markdown(card.counts)
                if card.message:  # quotes submitted text: shown as text, never as Markdown
                    st.markdown(f":{card.colour}[{safe_text.markdown(card.message)}]")
                lines = [
                    f"{':green[:material/check:]' if c.passed else ':red[:material/close:]'}"
                    f" **{CHECK_TITLES.get(c.name, c.name)}**: {safe_text.markdown(c.summary)}"
                    for c in card.checks
                ]
                if lines:
                    st.caption("  \n".join(lines))
                st.caption(safe_text.markdown(card.detail))


def summary_metrics(runs: pl.DataFrame) -> None:
    statuses = runs["status"].to_list()
    with st.container(horizontal=True):
        st.metric(
            "Published",
            f"{statuses.count('success')} of {len(statuses)}",
            border=True,
            help="Dataset × region runs whose latest run passed and was published.",
        )
        st.metric(
            "Failed",
            statuses.count("failed"),
            border=True,
            help="Latest run blocked by a check: the previous data stays published.",
        )
        st.metric(
            "Skipped",
            statuses.count("skipped"),
            border=True,
            help="No source configured for the region.",
        )
        st.metric(
            "Rows quarantined",
            f"{runs['quarantined_rows'].fill_null(0).sum():,}",
            border=True,
            help="In the latest run of every dataset × region.",
        )


def quarantine_section(snap, meta) -> None:
    st.subheader("Quarantined rows")
    options = quality_queries.quarantine_options(snap)
    with st.container(border=True):
        cols = st.columns(4, gap="medium")
        chosen = [
            col.selectbox(label, [ALL, *options[column]], key=key, bind="query-params")
            for col, label, column, key in zip(
                cols,
                ("Dataset", "Region", "Rule", "Contract version"),
                ("dataset", "region", "rule", "contract_version"),
                ("q_dataset", "q_region", "q_rule", "q_version"),
                strict=True,
            )
        ]
    dataset, region, rule, version = (None if value == ALL else value for value in chosen)
    rows = quality_tables.quarantine_table(
        quality_queries.quarantined_rows(snap, dataset, region, rule, version)
    )
    if rows.is_empty():
        st.success("No quarantined rows for this selection.", icon=":material/check_circle:")
        return
    plain_words(quality_queries.quarantine_summary(snap, dataset, region, rule, version))
    chart_col, _ = st.columns([2, 1])
    with chart_col:
        st.markdown("**Quarantined rows per rule**")
        st.plotly_chart(
            quality_charts.rules_figure(
                quality_queries.quarantine_by_rule(snap, dataset, region, rule, version)
            ),
            key="rules_chart",
            config=CHART_CONFIG,
        )
    st.markdown(f"**{rows.height:,} quarantined row{'s' if rows.height != 1 else ''}**")
    st.dataframe(
        rows,
        hide_index=True,
        height=min(420, 38 + 35 * rows.height),
        column_config={
            "Row in file": st.column_config.NumberColumn(format="%d"),
            "Record as received": st.column_config.TextColumn(width="large"),
        },
    )
    layout.csv_download("Download quarantined rows (CSV)", rows, "quarantined-rows", meta)


def plain_words(counts: pl.DataFrame) -> None:
    """Region by region: what was set aside, why, and what the submitter can do; the rule id
    and an example message stay as the detail underneath."""
    summary = quality_text.plain_summary(counts)
    st.markdown("**What was set aside, region by region**")
    for region in summary["Region"].unique(maintain_order=True).to_list():
        part = summary.filter(pl.col("Region") == region)
        total = part["Rows set aside"].sum()
        with st.container(border=True):
            st.markdown(
                f"**{safe_text.markdown(region)}**: {total:,} row{'s' if total != 1 else ''} "
                "set aside, not published"
            )
            for row in part.iter_rows(named=True):
                n = row["Rows set aside"]
                st.markdown(
                    f"- **{n:,} row{'s' if n != 1 else ''}** of `{row['Dataset']}`. "
                    f"{safe_text.markdown(row['What was rejected'])}. "
                    f"*Why:* {safe_text.markdown(row['Why'])}. "
                    f"*What to do:* {safe_text.markdown(row['What to do'])}."
                )
                example = safe_text.markdown(row["Example message"])
                st.caption(f"Rule `{row['Rule']}` · for example: {example}")


def history_section(snap, meta) -> None:
    st.subheader("Runs over time")
    keys = quality_queries.run_keys(snap)
    datasets = keys["dataset"].unique(maintain_order=True).to_list()
    with st.container(border=True):
        dataset_col, region_col = st.columns(2, gap="medium")
        dataset = dataset_col.selectbox("Dataset", datasets, key="h_dataset", bind="query-params")
        regions = keys.filter(pl.col("dataset") == dataset)["region"].to_list()
        region = region_col.selectbox("Region", regions, key="h_region", bind="query-params")
    runs = quality_queries.run_history(snap, dataset, region)
    st.plotly_chart(quality_charts.history_figure(runs), key="history_chart", config=CHART_CONFIG)
    st.caption(
        "Clean and quarantined rows of every run; a dotted line marks a new contract "
        "version; ✕ marks a failed run (its data was not published)."
    )
    history = quality_tables.history_table(runs)
    runs_text = f"{history.height} run{'s' if history.height != 1 else ''}"
    with st.expander(f"Every run of `{dataset}` in {safe_text.markdown(region)} ({runs_text})"):
        st.dataframe(history, hide_index=True)
        layout.csv_download(
            "Download runs (CSV)", history, f"runs_{dataset}_{region.lower()}", meta
        )


def files_section(snap, meta) -> None:
    st.subheader("Source files")
    files = quality_tables.files_table(quality_queries.source_files(snap))
    st.dataframe(
        files,
        hide_index=True,
        column_config={
            "Size (kB)": st.column_config.NumberColumn(format="localized"),
            "Rows": st.column_config.NumberColumn(format="localized"),
        },
    )
    st.caption(
        "Every file the pipeline read, kept as received and identified by its SHA-256 "
        "checksum. Unknown columns are headers the contract does not know; they are "
        "kept in the raw layer but not loaded."
    )
    layout.csv_download("Download file list (CSV)", files, "source-files", meta)


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("Data quality")
    st.markdown(
        "Whether each region's latest submission passed its data contract and was "
        "published, which rows were set aside and why, and which files were read."
    )
    layout.as_of_line(meta)

    runs = quality_queries.latest_runs(snap)
    if runs.is_empty():
        st.info("The published snapshot holds no pipeline runs yet. Run `make pipeline`.")
        st.stop()
    checks = quality_queries.latest_checks(snap)

    st.subheader("Latest run per dataset and region")
    summary_metrics(runs)
    grid(runs, checks)
    status = quality_tables.status_table(runs, checks)
    layout.csv_download("Download status (CSV)", status, "run-status", meta)

    quarantine_section(snap, meta)
    history_section(snap, meta)
    files_section(snap, meta)

    with st.expander("How the checks work", icon=":material/info:"):
        st.markdown(NOTES)
    layout.citation(meta, layout.CITATION_PIPELINE)


main()
