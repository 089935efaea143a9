"""End to end: the routes and data-quality pages on the demo snapshot, in Chromium, offline."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from playwright.sync_api import Page, Route, expect

from dashboards import layout

pytestmark = pytest.mark.browser  # timeout: tests/browser/conftest.py

SANKEY_NODE = '[data-testid="stPlotlyChart"] g.sankey .sankey-node rect'
LAND = '[data-testid="stPlotlyChart"] .geo .layer.land path'
COUNTRIES = '[data-testid="stPlotlyChart"] .geo .layer.countries path'


def offline(page: Page, dashboard_url: str) -> list[str]:
    """Refuse every request that leaves the dashboard's server (as in CI: no internet).
    Returns the list the refused URLs are added to."""
    refused: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(dashboard_url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    return refused


def settle(page: Page) -> None:
    """Until the script run has finished (footer rendered, no running indicator). The demo
    pipeline's snapshot is synthetic: every footer says so instead of citing a source."""
    expect(page.get_by_text(layout.SYNTHETIC_CITATION)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def test_routes_page_draws_the_sankey_and_the_map_offline(
    page: Page, dashboard_url: str, tmp_path: Path
) -> None:
    refused = offline(page, dashboard_url)
    page.set_viewport_size({"width": 1400, "height": 3300})  # the whole page in one screenshot
    with page.expect_response(lambda r: r.url.endswith("/app/static/world_110m.json")) as base:
        page.goto(f"{dashboard_url}/routes?region=Europe")
        page.wait_for_selector(SANKEY_NODE)
        page.wait_for_selector(LAND)
    assert base.value.status == 200
    settle(page)

    expect(page.get_by_role("heading", name="Trafficking routes")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Cocaine seized in Europe", exact=False)
    ).to_be_visible()
    assert page.locator(SANKEY_NODE).count() >= 3
    # Land and country borders are drawn from the topojson: real outlines, not empty paths.
    assert len(page.locator(LAND).first.get_attribute("d") or "") > 1000
    assert page.locator(COUNTRIES).count() >= 1
    assert page.locator('[data-testid="stPlotlyChart"] .geo .scatterlayer path').count() > 0
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    assert not [url for url in refused if "plot.ly" in url]  # never Plotly's CDN
    assert "region=Europe" in page.url

    shot = tmp_path / "routes.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"screenshot: {shot}")


def test_data_quality_page_shows_the_status_grid(
    page: Page, dashboard_url: str, dashboard_home: Path, tmp_path: Path
) -> None:
    offline(page, dashboard_url)
    page.set_viewport_size({"width": 1400, "height": 3700})
    page.goto(f"{dashboard_url}/data-quality")
    settle(page)
    expect(page.get_by_role("heading", name="Latest run per dataset and region")).to_be_visible()
    # every dataset x region the demo pipeline published, counted in its run records
    con = duckdb.connect(str(dashboard_home / "published" / "current.duckdb"), read_only=True)
    try:
        (published,) = con.execute(
            "SELECT count(DISTINCT (dataset, region)) FROM meta.partition_runs "
            "WHERE status = 'success'"
        ).fetchone()
    finally:
        con.close()
    assert published >= 10  # four datasets in the demo, the regions all published
    expect(page.locator(".stMarkdownBadge", has_text="Published")).to_have_count(published)
    expect(page.locator(".stMarkdownBadge", has_text="Failed")).to_have_count(0)
    expect(page.get_by_role("heading", name="Quarantined rows")).to_be_visible()
    expect(page.get_by_role("heading", name="Source files")).to_be_visible()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .barlayer .point path')  # charts drawn

    shot = tmp_path / "data_quality.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"screenshot: {shot}")


PAGES = {  # URL path -> the page's title (its last element is the synthetic footer: settle)
    "overview": "Drug seizure trends",
    "routes": "Trafficking routes",
    "data-quality": "Data quality",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_opens_directly_from_its_url_path(page: Page, dashboard_url: str, path: str):
    page.goto(f"{dashboard_url}/{path}")
    settle(page)
    expect(page.get_by_role("heading", name=PAGES[path], exact=True)).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert page.url.split("?")[0] == f"{dashboard_url}/{path}"


def test_the_root_opens_the_overview_at_its_path_with_the_links_filters(
    page: Page, dashboard_url: str
):
    page.goto(f"{dashboard_url}/?region=Europe")
    settle(page)
    expect(page.get_by_role("combobox", name="Region")).to_have_value("Europe")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    # The page writes the snapshot it shows into the link too (?snapshot=...).
    page.wait_for_url(re.compile(re.escape(f"{dashboard_url}/overview?") + r".*region=Europe"))


def test_no_request_leaves_the_dashboard_server(page: Page, dashboard_url: str):
    """Every request of every page (scripts, fonts, the map, the favicon) goes to the local
    server: the dashboards work offline."""
    local = urlsplit(dashboard_url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        page.goto(f"{dashboard_url}/{path}")
        settle(page)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    # Chromium fetches the favicon outside the page's request events: check where it points.
    icons = page.eval_on_selector_all("link[rel~='icon']", "links => links.map(l => l.href)")
    assert icons and all(icon.startswith(("data:", f"{dashboard_url}/")) for icon in icons), icons
    elsewhere = [
        url
        for url in requested
        if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != local
    ]
    assert requested and elsewhere == []
