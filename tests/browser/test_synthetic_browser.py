"""End to end: on the demo snapshot every page shows the synthetic banner, and a download's
file is named synthetic demo data, in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboards import layout

pytestmark = pytest.mark.browser  # timeout: tests/browser/conftest.py

PAGES = ("overview", "routes", "data-quality")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_the_synthetic_banner(page: Page, dashboard_url: str, path: str) -> None:
    page.goto(f"{dashboard_url}/{path}")
    # The footer is the last element: once shown, the script run has finished.
    expect(page.get_by_text(layout.SYNTHETIC_CITATION)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    banner = page.get_by_test_id("stAlert").filter(has_text=layout.SYNTHETIC_BANNER)
    expect(banner).to_have_count(1)
    expect(banner).to_be_visible()
    expect(page.get_by_text(re.compile("Data: UNODC|dataUNODC"))).to_have_count(0)


def test_a_download_from_the_demo_snapshot_is_named_synthetic(
    page: Page, dashboard_url: str
) -> None:
    page.goto(dashboard_url)
    expect(page.get_by_text(layout.SYNTHETIC_CITATION)).to_be_visible()
    button = page.get_by_role("button", name=re.compile(r"^Download this table .*synthetic"))
    with page.expect_download() as download:
        button.click()
    name = download.value.suggested_filename
    # The overview leads with the headline series: its table is named after them.
    assert name.startswith("synthetic-demo-data_drug-seizure-series_world_"), name
    assert name.endswith(".csv")
