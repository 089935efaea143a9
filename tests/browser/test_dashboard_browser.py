"""End to end: the demo pipeline's snapshot, a real Streamlit server, Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboards import layout
from drugtrends.serving.snapshot import snapshot_info

pytestmark = pytest.mark.browser  # timeout: tests/browser/conftest.py

CHART_LINE = '[data-testid="stPlotlyChart"] .js-plotly-plot svg path.js-line'


def wait_for_page(page: Page) -> None:
    """Until the chart has drawn a line and the script run has finished (footer rendered).
    The demo pipeline's snapshot is synthetic: its footer says so instead of citing UNODC."""
    page.wait_for_selector(CHART_LINE)
    expect(page.get_by_text(layout.SYNTHETIC_CITATION)).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()  # + the map's
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def test_overview_shows_chart_and_as_of_line(
    page: Page, dashboard_url: str, dashboard_home: Path, tmp_path: Path
) -> None:
    snapshot_id = snapshot_info(dashboard_home / "published" / "current.duckdb")["snapshot_id"]
    page.goto(dashboard_url)
    wait_for_page(page)
    expect(page.get_by_role("heading", name="Drug seizure trends")).to_be_visible()
    expect(page.get_by_text(f"Data as of snapshot {snapshot_id}")).to_be_visible()
    assert page.locator(CHART_LINE).count() >= 1
    expect(page.get_by_role("heading", name=re.compile(r"^World: quantity seized"))).to_be_visible()

    shot = tmp_path / "overview.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")


def test_shareable_url_opens_with_the_region_selected(page: Page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/?region=Europe")
    wait_for_page(page)
    expect(page.get_by_role("combobox", name="Region")).to_have_value("Europe")
    expect(
        page.get_by_role("heading", name=re.compile(r"^Europe: quantity seized"))
    ).to_be_visible()
    assert "region=Europe" in page.url
