"""Dashboard page benchmark: how long each page takes to render, and to redraw after a filter
change, in a real Chromium against a real ``streamlit run`` server. Prints the figures; it is
not a test.

For every page: **cold** is the first visit on a server started just before (nothing cached,
the first script run imports Plotly and Polars), with the first filter change right after it;
**warm** is the median of ``--repeat`` further visits (new tab each time, server caches filled),
each followed by the same filter change. A render is timed from ``goto`` (or the click) until
the page's footer is shown, no script is running and, on pages with charts, a chart is drawn;
a filter change until what the filter changes is on screen.

    .venv/bin/python benchmarks/pages.py                      # the demo snapshot (built once)
    .venv/bin/python benchmarks/pages.py --snapshot big.duckdb  # any published snapshot file
    .venv/bin/python benchmarks/pages.py --home var            # a DRUGTRENDS_HOME

Chromium is Debian's (``/usr/bin/chromium``, or ``--chromium``); Playwright never downloads one.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from streamlit.logger import get_logger  # noqa: E402

# The page modules' caches are declared at import, outside a Streamlit server: not a warning here.
get_logger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)

from dashboards import layout  # noqa: E402
from pipelines.cli import DashboardNotReady, local_dashboard  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
FOOTERS = (
    layout.SYNTHETIC_CITATION,
    layout.CITATION,
    layout.CITATION_CASES,
    layout.CITATION_PIPELINE,
)
TIMEOUT_MS = 300_000


@dataclass(frozen=True)
class PageCase:
    path: str
    charts: bool  # wait for a drawn chart before a render counts as done
    change: Callable | None = None  # (page) -> None: change one filter and wait for its effect
    what: str = ""


def _choose(page, label: str, option: str, nth: int = 0) -> None:
    """Open a select box, type to filter (long lists render only the options in view), pick."""
    page.get_by_role("combobox", name=label).nth(nth).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def _overview(page) -> None:
    _choose(page, "Region", "Europe")
    page.get_by_role("heading", name=re.compile(r"^Europe: quantity seized")).wait_for()


def _explorer(page) -> None:
    page.get_by_test_id("stRadio").filter(has_text="Measure").get_by_text(
        "Countries reporting", exact=True
    ).click()
    page.locator(
        '[data-testid="stPlotlyChart"] .g-ytitle', has_text="Countries reporting"
    ).wait_for()


def _country(page) -> None:
    _choose(page, "Country", "Spain")
    page.get_by_role("heading", name="Spain: quantity seized by drug group").wait_for()


def _alerts(page) -> None:
    count = page.get_by_role("heading", name=re.compile(r"^[\d,]+ alerts?$"))
    before = count.inner_text()
    _choose(page, "Region", "Europe")
    page.wait_for_function(
        """before => [...document.querySelectorAll('h1,h2,h3')]
            .some(h => /^[\\d,]+ alerts?$/.test(h.innerText) && h.innerText !== before)""",
        arg=before,
        timeout=TIMEOUT_MS,
    )


def _routes(page) -> None:
    _choose(page, "Region", "Europe")
    page.get_by_role("heading", name=re.compile(r"seized in Europe")).first.wait_for()


def _data_quality(page) -> None:
    _choose(page, "Region", "Europe", nth=1)  # the run history's region
    page.get_by_text(re.compile(r"in Europe \(\d+ runs?\)")).wait_for()


PAGES = (
    PageCase("changes", False),
    PageCase("alerts", False, _alerts, "Region: Europe"),
    PageCase("overview", True, _overview, "Region: Europe"),
    PageCase("explorer", True, _explorer, "Measure: Countries reporting"),
    PageCase("country", True, _country, "Country: Spain"),
    PageCase("routes", True, _routes, "Region: Europe"),
    PageCase("data-quality", True, _data_quality, "Run history region: Europe"),
    PageCase("methodology", False),
)


@contextmanager
def serve(home: Path, log: Path) -> Iterator[str]:
    """``streamlit run dashboards/app.py`` on a free port, healthy before it is yielded."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        with local_dashboard(home, log, wait_seconds=TIMEOUT_MS / 1000, env=env) as url:
            yield url
    except DashboardNotReady as err:
        raise SystemExit(f"{err}: see {log}") from None


def settled(page, case: PageCase) -> None:
    """The footer is shown, no script is running, and a chart is drawn where the page has one."""
    from playwright.sync_api import expect

    footer = re.compile("|".join(re.escape(text) for text in FOOTERS))
    expect(page.get_by_text(footer).last).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    if case.charts:
        page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=TIMEOUT_MS)


def visit(context, url: str, case: PageCase) -> tuple[float, float | None]:
    """One visit in a new tab: seconds to the first render, then to the filter change's
    effect (None for a page without filters)."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        start = time.perf_counter()
        page.goto(f"{url}/{case.path}")
        settled(page, case)
        render = time.perf_counter() - start
        if case.change is None:
            return render, None
        start = time.perf_counter()
        case.change(page)
        settled(page, case)
        return render, time.perf_counter() - start
    finally:
        page.close()


def demo_home(work: Path) -> Path:
    """A home with the demo pipeline's snapshot, built once in ``work``."""
    home = work / "demo-home"
    if (home / "published" / "current.duckdb").exists():
        return home
    env = {
        **os.environ,
        "DRUGTRENDS_HOME": str(home),
        "DRUGTRENDS_DATA_DOCS": "false",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DAGSTER_HOME", None)
    cli = [sys.executable, "-m", "pipelines.cli"]
    print(f"building the demo snapshot in {home} ...", flush=True)
    subprocess.run([*cli, "demo-data"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "pipeline"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return home


def snapshot_home(snapshot: Path, work: Path) -> Path:
    """A home whose current snapshot is ``snapshot`` (linked, never copied or written)."""
    home = work / "snapshot-home"
    current = home / "published" / "current.duckdb"
    current.parent.mkdir(parents=True, exist_ok=True)
    current.unlink(missing_ok=True)
    current.symlink_to(snapshot.resolve())
    return home


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPU ({cpu}){memory}, {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--snapshot", type=Path, help="a published snapshot file (.duckdb)")
    source.add_argument("--home", type=Path, help="a DRUGTRENDS_HOME with a published snapshot")
    parser.add_argument("--work", type=Path, help="where the demo snapshot is built (kept)")
    parser.add_argument("--repeat", type=int, default=3, help="warm visits per page (median)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--pages", nargs="*", help="only these URL paths")
    args = parser.parse_args()

    from importlib.metadata import version

    from playwright.sync_api import sync_playwright

    work = (args.work or Path(tempfile.mkdtemp(prefix="drugtrends-pages-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.home:
        home, label = args.home.resolve(), f"home {args.home}"
    elif args.snapshot:
        home, label = snapshot_home(args.snapshot, work), f"snapshot {args.snapshot}"
    else:
        home, label = demo_home(work), "demo snapshot"
    snapshot = (home / "published" / "current.duckdb").resolve()
    log = work / "streamlit.log"
    cases = [c for c in PAGES if not args.pages or c.path in args.pages]

    chromium = subprocess.run(
        [args.chromium, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(f"machine: {machine()}")
    print(f"browser: {chromium}; Streamlit {version('streamlit')}; Python {sys.version.split()[0]}")
    print(f"data: {label} ({snapshot.stat().st_size / 1e6:.1f} MB)")
    print(f"warm = median of {args.repeat} visits; seconds\n")

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            for case in cases:
                with serve(home, log) as url:  # a fresh server: nothing cached
                    context = browser.new_context(viewport={"width": 1400, "height": 1800})
                    try:
                        cold = visit(context, url, case)
                        warm = [visit(context, url, case) for _ in range(args.repeat)]
                    finally:
                        context.close()
                rows.append((case, cold, warm))
                print(f"  {case.path}: done", file=sys.stderr, flush=True)
        finally:
            browser.close()

    def shown(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}"

    header = (
        f"{'page':<14}{'render cold':>12}{'render warm':>13}"
        f"{'filter cold':>13}{'filter warm':>13}  filter changed"
    )
    print(header)
    print("-" * len(header))
    for case, cold, warm in rows:
        warm_render = statistics.median(r for r, _ in warm) if warm else None
        changes = [c for _, c in warm if c is not None]
        warm_change = statistics.median(changes) if changes else None
        print(
            f"{case.path:<14}{shown(cold[0]):>12}{shown(warm_render):>13}"
            f"{shown(cold[1]):>13}{shown(warm_change):>13}  {case.what or '(no filter)'}"
        )


if __name__ == "__main__":
    main()
