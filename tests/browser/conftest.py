"""A real ``streamlit run`` server and Debian's Chromium driven by Playwright (never downloaded).

The browser tests skip, with the reason, only when no chromium binary is installed
(``make browser`` installs Debian's). ``playwright install`` is never run.

Every wait is on a rendered element (or the server's health endpoint), with one generous ceiling
for a busy machine: ``DRUGTRENDS_TEST_WAIT_SECONDS`` (default 120).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines.cli import DashboardNotReady, local_dashboard
from tests.conftest import unavailable, wait_seconds

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        unavailable("browser", "no chromium on PATH: `make browser` installs Debian's chromium")
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser test may wait the ceiling several times over (and its first one also waits for
    the demo pipeline and the server): its overall timeout follows the ceiling."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.timeout(5 * wait_seconds() + 300))


@pytest.fixture(scope="session")
def dashboard_home(published_home: Path) -> Path:
    """The home the server reads: the demo pipeline's published snapshot (tests/conftest.py)."""
    return published_home


@pytest.fixture(scope="session")
def dashboard_url(
    chromium_path: str, dashboard_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``streamlit run dashboards/app.py`` on a free local port; always stopped afterwards."""
    with _serve(dashboard_home, tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def real_dashboard_url(
    chromium_path: str, real_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The same server on the snapshot published from the real UNODC files."""
    with _serve(real_home, tmp_path_factory) as url:
        yield url


@contextmanager
def _serve(dashboard_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    try:
        with local_dashboard(dashboard_home, log, wait_seconds=wait_seconds()) as url:
            yield url
    except DashboardNotReady as err:
        pytest.fail(f"{err}:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    from playwright.sync_api import expect

    ceiling_ms = wait_seconds() * 1000
    expect.set_options(timeout=ceiling_ms)  # expect(...) retries until then (default: 5 s)
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    tab = context.new_page()
    tab.set_default_timeout(ceiling_ms)  # wait_for_selector, goto, expect_response
    try:
        yield tab
    finally:
        context.close()
