"""Dashboards only read: no Dagster or Great Expectations behind them, no SQL text from users."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
MODULES = (
    "charts",
    "countries",
    "country_queries",
    "explorer_charts",
    "explorer_queries",
    "flow_map",
    "layout",
    "provenance_panel",
    "quality_charts",
    "quality_queries",
    "quality_tables",
    "quality_text",
    "queries",
    "route_charts",
    "route_queries",
    "route_tables",
    "safe_text",
    "tables",
    "world_map",
)


def test_dashboard_modules_import_neither_dagster_nor_great_expectations() -> None:
    code = (
        "import sys\n"
        + "".join(f"import dashboards.{module}\n" for module in MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'dagster', 'great_expectations', 'pipelines', 'assets', 'country_converter'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_dashboard_module_is_checked() -> None:
    assert sorted(
        p.stem for p in DASHBOARDS.glob("*.py") if p.stem not in {"__init__", "app"}
    ) == sorted(MODULES)


def test_no_pages_folder_beside_the_app() -> None:
    """Streamlit runs a ``pages/`` folder beside the main script as an old-style multipage app
    until ``st.navigation`` first runs, so a deep link (``/routes``) to a fresh server would skip
    ``app.py``. Pages live in ``views/``."""
    assert not (DASHBOARDS / "pages").exists()
    assert (DASHBOARDS / "views" / "routes.py").exists()
