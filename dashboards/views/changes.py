"""What changed: the newest snapshot's changes since the previous one, then its most recent
alerts, as plain sentences, each with a link to the page that shows it; the Alerts page has
them all, with filters."""

from __future__ import annotations

import streamlit as st

from dashboards import explorer_queries as eq
from dashboards import layout, queries

LEVEL_LABELS = {
    "global": "World",
    "region": "Region",
    "subregion": "Subregion",
    "country": "Country",
}
MARTS = ("marts.alerts", "marts.snapshot_changes")


def main() -> None:
    snap, meta = layout.require_snapshot()
    st.title("What changed")
    layout.as_of_line(meta)
    if queries.missing_tables(snap, MARTS):
        st.info("This snapshot holds no alerts or change records yet.")
        st.stop()
    st.subheader("Changes since the previous snapshot")
    changes = eq.changes(snap)
    if changes.is_empty():
        st.caption("Nothing changed since the previous snapshot (or there was none).")
    for row in changes.head(50).iter_rows(named=True):
        st.text(row["description"])  # text from the data: shown as text, never Markdown
    if changes.height > 50:
        st.caption(f"The first 50 of {changes.height:,} changes.")

    st.subheader("Alerts")
    alerts = eq.alerts(snap)
    if alerts.is_empty():
        st.caption("No alert in this snapshot.")
    else:
        st.markdown(
            f"This snapshot raises **{alerts.height:,} alert{'s' if alerts.height != 1 else ''}**"
            f" (newest year {alerts['year'].max()}). The most recent:"
        )
    layout.alert_cards(alerts.head(5), meta)
    if not alerts.is_empty():
        st.page_link(
            "views/alerts.py",
            label="Every alert, with filters",
            query_params={"snapshot": meta.snapshot_id},
            icon=":material/notifications:",
        )
    layout.citation(meta)


main()
