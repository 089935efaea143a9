"""End to end on the snapshot published from the real UNODC files: the overview leads with the
headline series, their definitions and flags; the routes page shows cocaine without coca leaf,
the flagged outliers and where the picture comes from."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_pages_browser import SANKEY_NODE, offline

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]
# The real snapshot is 40 times the demo: its pages take longer to render on a busy machine.
WAIT = 60_000


def settle(page: Page, citation: str) -> None:
    """Until the script run has finished (footer rendered, no running indicator)."""
    expect(page.get_by_text(citation)).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)


def test_real_overview_shows_series_definitions_and_a_small_base_flag(
    page: Page, real_dashboard_url: str, tmp_path: Path
) -> None:
    offline(page, real_dashboard_url)
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(
        f"{real_dashboard_url}/?region=Oceania&series=Plant-based+NPS+%28khat%2C+kratom%29"
        "&series=Cocaine"
    )
    settle(page, "UNODC, dataUNODC")
    expect(page.get_by_role("heading", name="Oceania: quantity seized by series")).to_be_visible(
        timeout=WAIT
    )
    expect(page.get_by_text("excludes coca leaf, coca bush and coca seeds")).to_be_visible(
        timeout=WAIT
    )
    expect(page.get_by_text("never added to synthetic NPS")).to_be_visible(timeout=WAIT)
    # The caption under the table names the flag; the table's flag column carries it too (its
    # grid cells are drawn on a canvas: present for screen readers, never "visible").
    caption = page.get_by_text("⚠ Change flagged for", exact=False)
    expect(caption).to_be_visible(timeout=WAIT)
    expect(caption).to_contain_text("small base: % not shown", timeout=WAIT)
    expect(
        page.locator('[role="gridcell"]', has_text="small base: % not shown").first
    ).to_be_attached(timeout=WAIT)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .scatterlayer .trace', timeout=WAIT)
    shot = tmp_path / "overview_series.png"
    page.screenshot(path=shot, full_page=True)
    print(f"screenshot: {shot}")


def test_real_routes_page_shows_cocaine_outliers_and_top_reporters(
    page: Page, real_dashboard_url: str, tmp_path: Path
) -> None:
    offline(page, real_dashboard_url)
    page.set_viewport_size({"width": 1400, "height": 3300})
    page.goto(f"{real_dashboard_url}/routes")
    page.wait_for_selector(SANKEY_NODE, timeout=WAIT)
    settle(page, "Data: UNODC, Individual Drug Seizures")
    expect(page.get_by_role("heading", name="Cocaine seized worldwide", exact=False)).to_be_visible(
        timeout=WAIT
    )
    expect(page.get_by_text("excludes coca leaf, coca bush and coca seeds")).to_be_visible(
        timeout=WAIT
    )
    expect(page.get_by_text("Flagged outliers").first).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Data period: seizures dated", exact=False)).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("seizing countries (", exact=False).first).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("domestic movements", exact=False).first).to_be_visible(timeout=WAIT)
    expect(
        page.get_by_text("of these corridors include flagged outliers", exact=False)
    ).to_be_visible(timeout=WAIT)
    page.get_by_text("Leave out flagged outliers", exact=True).first.click()
    expect(
        page.get_by_role("heading", name="flagged outliers left out", exact=False)
    ).to_be_visible(timeout=WAIT)
    assert "outliers=true" in page.url
    shot = tmp_path / "routes_series.png"
    page.screenshot(path=shot, full_page=True)
    print(f"screenshot: {shot}")
