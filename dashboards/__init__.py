"""Streamlit dashboards over the published snapshot (read-only; see ``dashboards/app.py``)."""

# The ``area`` (and ``area_name``) of the global rows in ``marts.seizure_trends``.
WORLD = "World"
