"""Streamlit dashboards over the published snapshot (read-only; see ``dashboards/app.py``)."""

from typing import Literal

# The ``area`` (and ``area_name``) of the global rows in ``marts.seizure_trends``.
WORLD = "World"

# What the routes page adds up: seizure cases, or their kilogram equivalents.
Measure = Literal["seizures", "kg"]
