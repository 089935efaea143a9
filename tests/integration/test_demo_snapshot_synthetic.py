"""The demo pipeline's published snapshot says it is synthetic: recorded from the sources file."""

from __future__ import annotations

from pathlib import Path

from drugtrends.raw.sources import load_sources
from drugtrends.serving.snapshot import snapshot_info


def test_the_demo_pipeline_publishes_a_synthetic_snapshot(published_home: Path) -> None:
    """The demo generator's sources say synthetic; the pipeline records it, nobody guesses."""
    sources = load_sources(published_home / "demo" / "sources.yaml")
    assert sources and all(s.synthetic for s in sources)
    info = snapshot_info(published_home / "published" / "current.duckdb")
    assert info is not None and info["synthetic"] is True
