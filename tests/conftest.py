"""Shared fixtures: temporary homes, sources files, and pipeline runs on real files."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "unodc"
ANNUAL_FIELDS = [
    "Region",
    "SubRegion",
    "Country/Territory",
    "msCode",
    "Drug group",
    "DrugSubGroup",
    "Drug",
    "Year",
    "Kilograms",
]


def shared_file(name: str) -> Path:
    """A real UNODC file beside the checkout; skip cleanly when it is not there."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


def unavailable(what: str, reason: str) -> None:
    """Skip a test whose service or browser is missing here, or fail it where the run says that
    it must be there (``make test`` sets DRUGTRENDS_TEST_REQUIRE=browser,services: CI never
    passes by skipping the browser or lakehouse tests)."""
    required = {w.strip() for w in os.environ.get("DRUGTRENDS_TEST_REQUIRE", "").split(",")}
    if what in required:
        pytest.fail(f"{reason} (DRUGTRENDS_TEST_REQUIRE names {what})", pytrace=False)
    pytest.skip(reason)


TIER_MARKERS = {"integration": "integration", "dashboards": "dashboards", "browser": "browser"}
FAST_TIERS = ("unit", "sql", "contracts")
SLOW_FIXTURES = {"pipeline", "published_home", "real_home"}


LONGEST_FIRST = {
    name: rank
    for rank, name in enumerate(
        [
            "test_lakehouse.py",
            "test_benchmark_regression.py",
            "test_serving.py",
            "test_quarantine.py",
            "test_hostile_faults.py",
            "test_annual_seizures.py",
            "test_incremental.py",
            "test_dagster_service.py",
        ]
    )
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its folder's tier; a fast-tier test that runs the pipeline must say
    so with ``slow`` (so ``make test-fast`` stays fast)."""
    root = Path(__file__).resolve().parent
    for item in items:
        tier = Path(item.path).resolve().relative_to(root).parts[0]
        if tier in TIER_MARKERS:
            item.add_marker(TIER_MARKERS[tier])
        fixtures = set(getattr(item, "fixturenames", ()))
        if tier in FAST_TIERS and fixtures & SLOW_FIXTURES and "slow" not in item.keywords:
            raise pytest.UsageError(
                f"{item.nodeid} runs the pipeline: move it to tests/integration or mark it slow"
            )
    # The longest files first: two workers given whole files finish together instead of one
    # running the lakehouse tests alone at the end (measured durations, make test).
    items.sort(key=lambda item: LONGEST_FIRST.get(Path(item.path).name, len(LONGEST_FIRST)))


@pytest.fixture(autouse=True, scope="session")
def _no_persistent_dagster_home():
    """Tests use ephemeral Dagster instances, whatever the Makefile exported."""
    saved = os.environ.pop("DAGSTER_HOME", None)
    yield
    if saved is not None:
        os.environ["DAGSTER_HOME"] = saved


def _shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This session's temporary root: under pytest-xdist, the folder all workers share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """A home built by the first worker that needs it and read by every other (under a file
    lock): the demo and real-data snapshots are read-only fixtures, built once per session,
    not once per worker."""
    from filelock import FileLock

    home = _shared_root(tmp_path_factory) / name
    with FileLock(str(home) + ".lock"):
        if not (home / ".built").exists():
            shutil.rmtree(home, ignore_errors=True)  # a worker that failed building it
            home.mkdir()
            build(home)
            (home / ".built").touch()
    return home


@pytest.fixture(autouse=True, scope="session")
def _source_roots(tmp_path_factory: pytest.TempPathFactory):
    """Sources in tests live in temporary directories, the repository's tests and shared data."""
    roots = [_shared_root(tmp_path_factory), Path(__file__).resolve().parent, SHARED_DATA.parent]
    saved = os.environ.get("DRUGTRENDS_SOURCE_ROOTS")
    os.environ["DRUGTRENDS_SOURCE_ROOTS"] = json.dumps([str(r) for r in roots])
    yield
    if saved is None:
        os.environ.pop("DRUGTRENDS_SOURCE_ROOTS", None)
    else:
        os.environ["DRUGTRENDS_SOURCE_ROOTS"] = saved


def write_sources(path: Path, entries: list[dict[str, object]]) -> Path:
    import yaml

    path.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")
    return path


def annual_row(
    country: str,
    iso3: str,
    region: str,
    subregion: str,
    group: str,
    subgroup: str,
    drug: str,
    year: int,
    kg: object,
) -> dict[str, object]:
    return dict(
        zip(
            ANNUAL_FIELDS,
            [region, subregion, country, iso3, group, subgroup, drug, year, kg],
            strict=True,
        )
    )


def write_json(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


class PipelineRunner:
    """Runs the real pipeline (Dagster jobs in process) against a temporary home."""

    def __init__(
        self, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        self.home = home
        self._mp = monkeypatch
        self._capsys = capsys
        monkeypatch.setenv("DRUGTRENDS_HOME", str(home))
        # Data Docs cost ~0.5 s a validation; tests/integration/test_quarantine.py checks them.
        monkeypatch.setenv("DRUGTRENDS_DATA_DOCS", "false")

    def use_sources(self, path: Path) -> None:
        self._mp.setenv("DRUGTRENDS_SOURCES", str(path))

    def __call__(self, regions: list[str] | None = None, publish: bool = True) -> tuple[int, str]:
        from drugtrends.reference import REGIONS
        from pipelines.cli import run_pipeline

        self._capsys.readouterr()
        code = run_pipeline(regions or list(REGIONS), publish=publish)
        return code, self._capsys.readouterr().out

    @property
    def snapshot(self) -> Path:
        return self.home / "published" / "current.duckdb"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse" / "warehouse.duckdb"

    def query(
        self, sql: str, params: list[object] | None = None, *, db: Path | None = None
    ) -> list[tuple]:
        from drugtrends.warehouse import open_db

        con = open_db(db or self.snapshot, read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


@pytest.fixture
def pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> PipelineRunner:
    return PipelineRunner(tmp_path / "home", monkeypatch, capsys)


@pytest.fixture(scope="session")
def published_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DRUGTRENDS_HOME with a snapshot published from the generated demo data (built once)."""
    from demo import generate
    from pipelines.cli import run_pipeline

    def build(home: Path) -> None:
        sources = generate(home / "demo")
        mp = pytest.MonkeyPatch()
        mp.setenv("DRUGTRENDS_HOME", str(home))
        mp.setenv("DRUGTRENDS_SOURCES", str(sources))
        mp.setenv("DRUGTRENDS_DATA_DOCS", "false")  # tests/integration/test_quarantine.py has them
        try:
            code = run_pipeline(["Africa", "Americas", "Asia", "Europe", "Oceania"])
        finally:
            mp.undo()
        assert code == 0, "the demo pipeline must publish every region"

    return built_once(tmp_path_factory, "published_home", build)


Factory = Callable[..., Path]


def wait_seconds() -> float:
    """The ceiling for waits on a real server or browser (a busy machine is slow, never hung):
    ``DRUGTRENDS_TEST_WAIT_SECONDS``, default 120."""
    return float(os.environ.get("DRUGTRENDS_TEST_WAIT_SECONDS", "120"))


@pytest.fixture(scope="session")
def real_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DRUGTRENDS_HOME with a snapshot published from the real UNODC annual (2018-2021) and
    case-level (2011-2013) files (built once per session; skips when the files are absent)."""
    from pipelines.cli import run_pipeline

    annual = shared_file("drug_seizures_2018_2021.json")
    cases = shared_file("individual_seizures_2011_2013.csv")

    def build(home: Path) -> None:
        sources = write_sources(
            home / "sources.yaml",
            [
                {
                    "dataset": "annual_seizures",
                    "region": "all",
                    "format": "json",
                    "location": str(annual),
                },
                {
                    "dataset": "individual_seizures",
                    "region": "all",
                    "format": "csv",
                    "delimiter": ";",
                    "location": str(cases),
                },
            ],
        )
        mp = pytest.MonkeyPatch()
        mp.setenv("DRUGTRENDS_HOME", str(home))
        mp.setenv("DRUGTRENDS_SOURCES", str(sources))
        mp.setenv("DRUGTRENDS_DATA_DOCS", "false")
        mp.setenv("DRUGTRENDS_SOURCE_ROOTS", json.dumps([str(home), str(SHARED_DATA)]))
        try:
            code = run_pipeline(["Africa", "Americas", "Asia", "Europe", "Oceania"])
        finally:
            mp.undo()
        assert code == 0, "the real files must publish every region"

    return built_once(tmp_path_factory, "real_home", build)
