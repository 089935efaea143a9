"""drugtrends dashboard: ``streamlit run dashboards/app.py`` (or ``make dashboard``).

One module per page in ``dashboards/views/``. To add a page: write ``views/<name>.py`` (start it
with ``layout.require_snapshot()``, read data only through the query modules, build figures in
the chart modules) and add one ``st.Page`` below.

The folder is deliberately not called ``pages/``: Streamlit treats a ``pages/`` folder beside the
main script as an old-style (v1) multipage app until ``st.navigation`` first runs in the server
process, so a shared deep link such as ``/routes`` opened first on a fresh server would run the
page without this script (no page config, wrong navigation).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from dashboards import queries

st.set_page_config(
    page_title="Drug seizure trends · drugtrends",
    # A local file (sent inline): an emoji or :material/…: favicon is fetched from Google's
    # font servers, which fails offline and leaks every page view.
    page_icon=str(Path(__file__).parent / "static" / "favicon.svg"),
    layout="wide",
    menu_items={
        "About": "drugtrends: an independent, open-source project, not affiliated with the "
        "United Nations. Each page names the source of its data in its footer."
    },
)

OVERVIEW = st.Page(
    "views/overview.py", title="Overview", icon=":material/show_chart:", url_path="overview"
)


def _open_overview() -> None:
    """The app's root opens the overview at its own path, keeping the link's filters."""
    st.switch_page(OVERVIEW, query_params={k: st.query_params.get_all(k) for k in st.query_params})


BRIEFING_MARTS = ("marts.snapshot_changes", "marts.alerts")


def _briefing_first() -> bool:
    """Whether the published snapshot holds the change and alert marts: then "What changed"
    leads the navigation (the root still opens the overview, so old links keep working)."""
    snap = queries.current()
    if snap is None:
        return False
    try:
        return not queries.missing_tables(snap, BRIEFING_MARTS)
    except duckdb.Error:
        return False


SEIZURES = [
    # Every page has its own path, so each opens directly from a link; the root (which
    # Streamlit reserves for the default page) only forwards to the overview.
    st.Page(_open_overview, title="Overview", default=True, visibility="hidden"),
    OVERVIEW,
    st.Page(
        "views/explorer.py",
        title="Trend explorer",
        icon=":material/query_stats:",
        url_path="explorer",
    ),
    st.Page(
        "views/country.py", title="Country profile", icon=":material/flag:", url_path="country"
    ),
]
BRIEFING = [
    st.Page(
        "views/changes.py", title="What changed", icon=":material/campaign:", url_path="changes"
    ),
    st.Page("views/alerts.py", title="Alerts", icon=":material/notifications:", url_path="alerts"),
    st.Page(
        "views/methodology.py",
        title="Methodology and sources",
        icon=":material/menu_book:",
        url_path="methodology",
    ),
]
SECTIONS = {
    "Trafficking routes": [
        st.Page("views/routes.py", title="Routes", icon=":material/route:", url_path="routes"),
    ],
    "Data quality": [
        st.Page(
            "views/data_quality.py",
            title="Data quality",
            icon=":material/fact_check:",
            url_path="data-quality",
        ),
    ],
}
if _briefing_first():
    PAGES = {"Briefing": BRIEFING, "Seizures": SEIZURES, **SECTIONS}
else:
    PAGES = {"Seizures": SEIZURES, "Briefing": BRIEFING, **SECTIONS}

st.navigation(PAGES).run()
