"""Dashboard fixtures: a tiny published snapshot in a temporary DRUGTRENDS_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboards.snapshot import build_snapshot


@pytest.fixture(autouse=True, scope="session")
def _no_magic() -> None:
    """As dashboards/.streamlit/config.toml sets for the server: AppTest reads no config file
    from there (see that file for why magic is off)."""
    from streamlit import config

    config.set_option("runner.magicEnabled", False)


@pytest.fixture
def tiny_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DRUGTRENDS_HOME with the tiny snapshot published as ``published/current.duckdb``."""
    home = tmp_path / "home"
    build_snapshot(home / "published" / "current.duckdb")
    monkeypatch.setenv("DRUGTRENDS_HOME", str(home))
    return home


@pytest.fixture
def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DRUGTRENDS_HOME before any pipeline run: nothing published."""
    home = tmp_path / "empty"
    home.mkdir()
    monkeypatch.setenv("DRUGTRENDS_HOME", str(home))
    return home
