"""drugtrends dashboard: ``streamlit run dashboards/app.py`` (or ``make dashboard``).

One module per page in ``dashboards/pages/``. To add a page (routes, data quality, ...):
write ``pages/<name>.py`` (start it with ``layout.require_snapshot()``, read data only through
``dashboards.queries``, build figures in ``dashboards.charts``) and add one ``st.Page`` below.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(
    page_title="Drug seizure trends · drugtrends",
    page_icon=":material/monitoring:",
    layout="wide",
    menu_items={"About": "drugtrends: an independent, open-source project. "
                         "Data: UNODC, dataUNODC."},
)

PAGES = {
    "Seizures": [
        st.Page("pages/overview.py", title="Overview", icon=":material/show_chart:",
                url_path="overview", default=True),
    ],
    # "Trafficking routes": [st.Page("pages/routes.py", title="Routes", icon=":material/route:")],
    # "Data quality": [st.Page("pages/data_quality.py", title="Data quality",
    #                          icon=":material/fact_check:")],
}

st.navigation(PAGES).run()
