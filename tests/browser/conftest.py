"""A real ``streamlit run`` server and Debian's Chromium driven by Playwright (never downloaded).

The browser tests skip, with the reason, only when no chromium binary is installed
(``make browser`` installs Debian's). ``playwright install`` is never run.

Every wait is on a rendered element (or the server's health endpoint), with one generous ceiling
for a busy machine: ``DRUGTRENDS_TEST_WAIT_SECONDS`` (default 120).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import unavailable, wait_seconds

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + wait_seconds()
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=5).text == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"streamlit not healthy after {wait_seconds():g} s:\n{log.read_text()}")


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
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "DRUGTRENDS_HOME": str(dashboard_home)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(APP),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_healthy(proc, url, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
