"""Data Docs stay bounded: results older than the retention are removed, and the index drops them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from drugtrends.contracts import load_contract
from drugtrends.core import gx


def run_folders(docs: Path, run: str) -> list[Path]:
    return [p for p in (docs / "gx" / "uncommitted").rglob(run) if p.is_dir()]


@pytest.mark.slow
def test_old_validations_leave_the_store_and_the_index(tmp_path):
    contract = load_contract("annual_seizures")
    frame = pl.DataFrame({"region": ["Europe"] * 3, "year": [2020] * 3})
    for run in ("night-old", "night-new"):
        gx.validate(frame, contract, docs_dir=tmp_path, batch="Europe", run_name=run)
    # Results and pages are filed under <run name>/<run time>: age the old night by 40 days.
    for folder in run_folders(tmp_path, "night-old"):
        (stamp,) = [p for p in folder.iterdir() if p.is_dir()]
        stamp.rename(folder / "20261020T010203.000000Z")
    index = tmp_path / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert "night-old" in index.read_text(encoding="utf-8")

    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert gx.prune_docs(tmp_path, keep_days=30, now=now) == 1
    assert run_folders(tmp_path, "night-old") == []
    assert len(run_folders(tmp_path, "night-new")) == 2  # its result and its page stay
    # The next validation re-renders the index over what is kept.
    gx.validate(frame, contract, docs_dir=tmp_path, batch="Asia", run_name="night-next")
    text = index.read_text(encoding="utf-8")
    assert "night-old" not in text and "night-new" in text and "night-next" in text
    # Nothing is younger than the retention: a second prune removes nothing.
    assert gx.prune_docs(tmp_path, keep_days=30, now=now) == 0
