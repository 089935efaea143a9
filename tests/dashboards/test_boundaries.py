"""Dashboards only read: no Dagster or Great Expectations behind them, no SQL text from users."""

from __future__ import annotations

import subprocess
import sys


def test_dashboard_modules_import_neither_dagster_nor_great_expectations() -> None:
    code = (
        "import sys\n"
        "import dashboards.charts, dashboards.layout, dashboards.queries, dashboards.tables\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'dagster', 'great_expectations', 'pipelines', 'assets'})\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
