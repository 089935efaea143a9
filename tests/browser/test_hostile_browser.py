"""Submitted Markdown and HTML, through the real pipeline, shown as text in a real browser.

A submission's header, drug subgroup and transport values carry Markdown images and links and
HTML anchors and images that point at a second local HTTP server (the trap). The pipeline
publishes it; the data-quality and routes pages must show the text literally and the browser
must never contact the trap, or any origin other than the dashboard's own server.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboards import layout, safe_text
from tests.browser.conftest import _serve
from tests.conftest import annual_row, write_json, write_sources

pytestmark = pytest.mark.browser  # timeout: tests/browser/conftest.py

ESP = ("Spain", "ESP", "Europe", "Western and Central Europe")
COCAINE = ("Cocaine and Derivatives", "Cocaine", "Cocaine hydrochloride")


class Trap:
    """A local HTTP server on another port that counts every request it receives."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def texts(self) -> dict[str, str]:
        o = self.origin
        return {
            "markdown": f"![x]({o}/pixel.png) [Open the corrected template]({o}/phish)",
            "html": f'<a href="{o}/x">click</a> <img src={o}/img.png>',
        }


@pytest.fixture(scope="module")
def trap() -> Iterator[Trap]:
    trap = Trap()
    trap.thread.start()
    try:
        yield trap
    finally:
        trap.server.shutdown()
        trap.server.server_close()


def case(transport: str, day: int) -> dict[str, object]:
    return {
        "REGION": "Europe",
        "SUBREGION": "Western and Central Europe",
        "COUNTRY": "Spain",
        "SEIZURE_DATE": f"2012-03-{day:02d}",
        "DRUG_NAME": "Cocaine",
        "AMOUNT": 10 + day,
        "DRUG_UNIT": "Kilogram",
        "TRANSPORT": transport,
        "DEPARTURE_COUNTRY": "Colombia",
        "DESTINATION_COUNTRY": "Spain",
    }


@pytest.fixture(scope="module")
def hostile_home(trap: Trap, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pipeline run on the hostile submissions and published (Africa fails, Europe loads)."""
    from pipelines.cli import run_pipeline

    text = trap.texts()
    hostile = f"{text['markdown']} {text['html']}"
    home = tmp_path_factory.mktemp("hostile_home")
    # Europe: a hostile unknown header and one row whose subgroup is hostile (quarantined).
    europe = [
        {**annual_row(*ESP, *COCAINE, year, 100.0 * year), text["markdown"]: "x"}
        for year in (2019, 2020, 2021)
    ]
    europe.append(annual_row(*ESP, "Cocaine and Derivatives", hostile, "Crack", 2021, 3))
    # Africa: no quantity column; the failure message lists the headers found, hostile ones too.
    africa = [
        {
            k: v
            for k, v in annual_row(
                "Kenya", "KEN", "Africa", "Eastern Africa", *COCAINE, 2021, 5
            ).items()
            if k != "Kilograms"
        }
        | {text["markdown"]: "1", text["html"]: "2"}
    ]
    cases = [case(text["html"], 1), case(text["html"], 2), case(text["markdown"], 3)]
    cases.append(case("Commercial air", 4))
    sources = write_sources(
        home / "sources.yaml",
        [
            {
                "dataset": "annual_seizures",
                "region": "Europe",
                "format": "json",
                "location": str(write_json(home / "europe.json", europe)),
            },
            {
                "dataset": "annual_seizures",
                "region": "Africa",
                "format": "json",
                "location": str(write_json(home / "africa.json", africa)),
            },
            {
                "dataset": "individual_seizures",
                "region": "Europe",
                "format": "json",
                "location": str(write_json(home / "cases.json", cases)),
            },
        ],
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("DRUGTRENDS_HOME", str(home))
    mp.setenv("DRUGTRENDS_SOURCES", str(sources))
    mp.setenv("DRUGTRENDS_DATA_DOCS", "false")
    mp.setenv("DRUGTRENDS_SOURCE_ROOTS", json.dumps([str(home)]))
    try:
        code = run_pipeline(["Africa", "Europe"])
    finally:
        mp.undo()
    assert code == 1, "Africa fails (no quantity column), Europe publishes"
    assert (home / "published" / "current.duckdb").exists()
    return home


@pytest.fixture(scope="module")
def hostile_url(
    chromium_path: str, hostile_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with _serve(hostile_home, tmp_path_factory) as url:
        yield url


def requests_of(page: Page) -> list[str]:
    """Every request the page makes (pages, scripts, images, fetches, websockets)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda ws: seen.append(ws.url.replace("ws://", "http://", 1)))
    return seen


def settle(page: Page, citation: str) -> None:
    """Until the script run has finished: its footer rendered, no running indicator."""
    expect(page.get_by_text(citation)).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def assert_only_the_dashboard(seen: list[str], url: str, trap: Trap) -> None:
    assert seen, "no request recorded"
    elsewhere = [u for u in seen if not u.startswith(f"{url}/") and u != url]
    assert not elsewhere, elsewhere
    assert trap.hits == [], trap.hits
    # Nothing on the page links or loads from the trap.
    assert not any(trap.origin in u for u in seen)


def no_live_markup(page: Page, trap: Trap) -> None:
    """No element links to or loads from the trap (named with its markup when one does)."""
    live = page.locator(
        f'a[href^="{trap.origin}"], img[src^="{trap.origin}"], [src^="{trap.origin}"], '
        f'[href^="{trap.origin}"]'
    )
    found = live.evaluate_all("els => els.map(e => e.parentElement.outerHTML.slice(0, 600))")
    assert not found, found


def test_data_quality_page_shows_submitted_markup_as_text(
    page: Page, hostile_url: str, trap: Trap
) -> None:
    seen = requests_of(page)
    text = trap.texts()
    page.goto(f"{hostile_url}/data-quality")
    expect(page.get_by_role("heading", name="Data quality")).to_be_visible()
    # Africa's card quotes the headers found, Markdown and HTML as written.
    message = page.get_by_text("required column(s) missing", exact=False).first
    expect(message).to_be_visible()
    shown = (message.text_content() or "").replace(safe_text.WORD_JOINER, "")  # invisible
    assert text["markdown"] in shown and text["html"] in shown, shown
    settle(page, layout.CITATION_PIPELINE)
    no_live_markup(page, trap)
    assert_only_the_dashboard(seen, hostile_url, trap)


def test_routes_page_shows_hostile_transport_modes_as_text(
    page: Page, hostile_url: str, trap: Trap
) -> None:
    seen = requests_of(page)
    text = trap.texts()
    page.goto(f"{hostile_url}/routes?region=Europe")
    legend = page.locator('[data-testid="stPlotlyChart"] .legendtext')
    expect(legend.filter(has_text="Commercial air")).to_have_count(1)
    # The transport chart's legend shows each hostile mode as the characters submitted.
    expect(legend.filter(has_text=text["html"])).to_have_count(1)
    expect(legend.filter(has_text=text["markdown"])).to_have_count(1)
    settle(page, layout.CITATION_CASES)
    no_live_markup(page, trap)
    assert not page.locator('[data-testid="stPlotlyChart"] a').count()  # no Plotly <a> link
    assert_only_the_dashboard(seen, hostile_url, trap)
