"""End to end, in Chromium: every page renders without an error element (with a screenshot of
each kept as a test artefact), the navigation leads with What changed, the explorer redraws on
a filter change, What changed and Alerts keep their filters in the URL, the country profile on
the real files, and the overview on a 390 px wide phone screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from dashboards import layout
from tests.browser.test_pages_browser import offline, settle

pytestmark = pytest.mark.browser  # timeout: tests/browser/conftest.py

CHART = '[data-testid="stPlotlyChart"]'
TRACE = f"{CHART} .scatterlayer .trace"
# URL path -> the page's title
PAGES = {
    "changes": "What changed",
    "alerts": "Alerts",
    "overview": "Drug seizure trends",
    "explorer": "Trend explorer",
    "country": "Country profile",
    "routes": "Trafficking routes",
    "data-quality": "Data quality",
    "methodology": "Methodology and sources",
}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder with a full screenshot of every page (printed, kept with pytest's tmp)."""
    return tmp_path_factory.mktemp("page_screenshots")


def no_errors(page: Page) -> None:
    expect(page.locator(ERRORS)).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_without_an_error(
    page: Page, dashboard_url: str, screenshots: Path, path: str
) -> None:
    offline(page, dashboard_url)
    page.set_viewport_size({"width": 1400, "height": 3600})  # the whole page in one shot
    page.goto(f"{dashboard_url}/{path}")
    settle(page)
    expect(page.get_by_role("heading", name=PAGES[path], exact=True)).to_be_visible()
    no_errors(page)
    shot = screenshots / f"{path}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")


def test_navigation_leads_with_what_changed_and_alerts(page: Page, dashboard_url: str) -> None:
    """The demo snapshot holds marts.snapshot_changes and marts.alerts: the briefing leads."""
    page.goto(f"{dashboard_url}/overview")
    settle(page)
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(links.first).to_contain_text("What changed")
    expect(links.nth(1)).to_contain_text("Alerts")


def y_title(page: Page) -> Locator:
    return page.locator(f"{CHART} .g-ytitle").first


def chart_title(page: Page) -> Locator:
    return page.locator(f"{CHART} .gtitle").first


def test_explorer_redraws_when_a_filter_changes(page: Page, dashboard_url: str) -> None:
    offline(page, dashboard_url)
    page.goto(f"{dashboard_url}/explorer?level=Region&area=Africa")
    settle(page)
    page.wait_for_selector(TRACE)
    expect(chart_title(page)).to_contain_text("Africa: quantity seized (tonnes)")
    expect(y_title(page)).to_have_text("Quantity seized (tonnes)")

    page.get_by_role("combobox", name="Area").click()
    page.get_by_role("option", name="Europe", exact=True).click()
    expect(chart_title(page)).to_contain_text("Europe: quantity seized (tonnes)")
    # A bound widget writes its value into the URL unless it is the default (Africa, first).
    expect(page).to_have_url(re.compile(r"area=Europe"))

    page.get_by_test_id("stRadio").filter(has_text="Measure").get_by_text(
        "Countries reporting", exact=True
    ).click()
    expect(y_title(page)).to_have_text("Countries reporting")
    expect(chart_title(page)).to_contain_text("Europe: countries reporting")
    expect(page).to_have_url(re.compile(r"measure=Countries"))
    settle(page)
    assert page.locator(TRACE).count() >= 1
    no_errors(page)


def test_what_changed_lists_changes_then_links_to_every_alert(
    page: Page, dashboard_url: str
) -> None:
    offline(page, dashboard_url)
    page.goto(f"{dashboard_url}/changes")
    settle(page)
    expect(page.get_by_role("heading", name="Changes since the previous snapshot")).to_be_visible()
    # The demo publishes one snapshot: nothing to compare with yet.
    expect(page.get_by_text("Nothing changed since the previous snapshot")).to_be_visible()
    expect(page.get_by_text(re.compile(r"This snapshot raises [\d,]+ alerts"))).to_be_visible()
    page.get_by_role("link", name="Every alert, with filters").click()
    page.wait_for_url(re.compile(re.escape(f"{dashboard_url}/alerts")))
    settle(page)
    expect(page.get_by_role("heading", name=re.compile(r"^[\d,]+ alerts?$"))).to_be_visible()
    no_errors(page)


def test_alerts_filters_come_from_and_go_to_the_url(page: Page, dashboard_url: str) -> None:
    offline(page, dashboard_url)
    page.goto(f"{dashboard_url}/alerts?kind=Spike")
    settle(page)
    count = page.get_by_role("heading", name=re.compile(r"^[\d,]+ alerts?$"))
    expect(count).to_be_visible()
    spikes = int(count.inner_text().split()[0].replace(",", ""))
    sentences = page.get_by_test_id("stText")
    expect(sentences.first).to_contain_text("rose to")  # spike sentences: "... rose to ..."
    assert all(" rose to " in s for s in sentences.all_inner_texts())

    page.get_by_role("combobox", name="Region").click()
    page.get_by_role("option", name="Europe", exact=True).click()
    expect(page).to_have_url(re.compile(r"kind=Spike.*region=Europe|region=Europe.*kind=Spike"))
    settle(page)
    expect(count).not_to_have_text(f"{spikes:,} alert{'s' if spikes != 1 else ''}")
    assert int(count.inner_text().split()[0].replace(",", "")) < spikes
    no_errors(page)


def test_country_profile_on_the_demo_snapshot(page: Page, dashboard_url: str) -> None:
    offline(page, dashboard_url)
    page.goto(f"{dashboard_url}/country?country=Spain")
    settle(page)
    expect(page.get_by_role("heading", name="Spain: quantity seized by drug group")).to_be_visible()
    page.wait_for_selector(TRACE)
    expect(page.get_by_role("heading", name="Trafficking corridors touching Spain")).to_be_visible()
    expect(page.get_by_role("heading", name="Source files")).to_be_visible()
    no_errors(page)


def test_methodology_shows_its_reference_tables(page: Page, dashboard_url: str) -> None:
    offline(page, dashboard_url)
    page.goto(f"{dashboard_url}/methodology")
    settle(page)
    for heading in (
        "Aggregation rules",
        "Conversion factors",
        "Data contracts",
        "Glossary of drug groups and subgroups",
        "Citation and licence",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(4)
    expect(page.get_by_text("must not be cited", exact=False).first).to_be_visible()
    no_errors(page)


def test_data_quality_explains_the_set_aside_rows_in_plain_words(
    page: Page, dashboard_url: str
) -> None:
    offline(page, dashboard_url)
    page.goto(f"{dashboard_url}/data-quality")
    settle(page)
    expect(page.get_by_text("What was set aside, region by region")).to_be_visible()
    # The demo plants a negative quantity in some regions' files.
    expect(page.get_by_text("must be between 0 and 100,000,000").first).to_be_visible()
    expect(page.get_by_text("What to do:").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Rule kg\.range · for example")).first).to_be_visible()


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_overview_on_a_390_px_screen(page: Page, dashboard_url: str, screenshots: Path) -> None:
    """A phone: the trend chart's axis titles and legend do not overlap (bounding boxes of the
    rendered SVG elements) and the page does not scroll sideways."""
    offline(page, dashboard_url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{dashboard_url}/overview")
    settle(page)
    chart = page.locator(CHART).first
    chart.locator(".scatterlayer .trace").first.wait_for()
    chart.scroll_into_view_if_needed()
    boxes = {}
    for name in ("g-xtitle", "g-ytitle", "legend"):
        element = chart.locator(f".{name}").first
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, name
        boxes[name] = box
    for a, b in (("g-xtitle", "legend"), ("g-ytitle", "legend"), ("g-xtitle", "g-ytitle")):
        assert not overlaps(boxes[a], boxes[b]), (a, boxes[a], b, boxes[b])
    widths = page.evaluate(
        """() => [document.documentElement, document.body,
                   ...document.querySelectorAll('[data-testid="stAppViewContainer"],'
                                                + '[data-testid="stMain"]')]
                 .map(e => [e.scrollWidth, e.clientWidth])"""
    )
    assert all(scroll <= client for scroll, client in widths), widths
    shot = screenshots / "overview_390px.png"
    page.screenshot(path=shot)
    print(f"screenshot: {shot}")


# The real snapshot is 40 times the demo: its pages take longer to render on a busy machine.
REAL_WAIT = 60_000
# Pages that draw charts of the real data (the others are text and tables).
CHART_PAGES = {"overview", "explorer", "country", "routes", "data-quality"}


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_on_the_real_files(
    page: Page, real_dashboard_url: str, screenshots: Path, path: str
) -> None:
    """On the snapshot published from the real UNODC files: no error element, the source line,
    charts drawn with their axis titles (units), and a full-page screenshot kept."""
    offline(page, real_dashboard_url)
    page.set_viewport_size({"width": 1400, "height": 3600})
    page.goto(f"{real_dashboard_url}/{path}")
    # The footer credits the source (on Data quality: the pipeline's records of UNODC files).
    expect(page.get_by_text(re.compile(r"Data: UNODC")).last).to_be_visible(timeout=REAL_WAIT)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=REAL_WAIT)
    expect(page.get_by_role("heading", name=PAGES[path], exact=True)).to_be_visible()
    no_errors(page)
    expect(page.get_by_text("Synthetic demo data", exact=False)).to_have_count(0)
    if path in CHART_PAGES:
        page.wait_for_selector(f"{CHART} .main-svg", timeout=REAL_WAIT)
        with_axes = 0
        for chart in page.locator(CHART).all():
            if chart.locator(".xtick").count():  # a chart with axes says what it measures
                with_axes += 1
                titles = chart.locator(".g-xtitle text, .g-ytitle text")
                assert titles.filter(has_text=re.compile(r"\S")).count() >= 1
        assert with_axes >= 1
    shot = screenshots / f"{path}_real.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("country", ["Colombia", "Spain"])
def test_country_profile_on_the_real_files(
    page: Page, real_dashboard_url: str, screenshots: Path, country: str
) -> None:
    """On the snapshot published from the real UNODC files (skips without ../shared/data):
    the country's series, the corridors touching it and the files its figures came from."""
    offline(page, real_dashboard_url)
    page.set_viewport_size({"width": 1400, "height": 4000})
    page.goto(f"{real_dashboard_url}/country?country={country}")
    expect(page.get_by_text(layout.CITATION)).to_be_visible(timeout=REAL_WAIT)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=REAL_WAIT)
    no_errors(page)
    expect(page.get_by_role("combobox", name="Country")).to_have_value(country)
    expect(
        page.get_by_role("heading", name=f"{country}: quantity seized by drug group")
    ).to_be_visible()
    expect(
        page.get_by_text(re.compile(rf"^{country} \(\w+\) reported seizures of"))
    ).to_be_visible()
    page.wait_for_selector(TRACE, timeout=REAL_WAIT)
    assert page.locator(TRACE).count() >= 2  # several drug groups
    # Each table also sits, as text, in an expander (hidden until opened: textContent).
    tables = page.get_by_test_id("stExpander").locator("table")
    expect(tables.filter(has_text="Cocaine")).not_to_have_count(0)
    expect(
        page.get_by_role("heading", name=f"Trafficking corridors touching {country}")
    ).to_be_visible()
    expect(tables.filter(has_text=f"Corridors from or to {country}")).to_have_count(1)
    expect(page.get_by_text(f"No reported case starts or ends in {country}")).to_have_count(0)
    expect(page.get_by_role("heading", name="Source files")).to_be_visible()
    expect(tables.filter(has_text="drug_seizures_2018_2021.json")).not_to_have_count(0)
    shot = screenshots / f"country_{country.lower()}_real.png"
    page.screenshot(path=shot, full_page=True)
    print(f"screenshot: {shot}")
