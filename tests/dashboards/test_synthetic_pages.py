"""Every page says so when the snapshot is synthetic (demo), and cites UNODC only when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import layout
from dashboards.queries import SnapshotMeta
from tests.dashboards.snapshot import build_snapshot

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
# page script -> its footer on real data
PAGES = {
    "views/overview.py": layout.CITATION,
    "views/routes.py": layout.CITATION_CASES,
    "views/data_quality.py": layout.CITATION_PIPELINE,
}
# What credits a producer for the figures (the regions' names, "UNODC region", are not credits).
ATTRIBUTIONS = ("Data: UNODC", "dataUNODC", "UNODC, Individual Drug Seizures")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page != "views/overview.py":
        at = at.switch_page(page).run()
    assert not at.exception, page
    return at


def texts(at: AppTest) -> list[str]:
    """Every text the page shows (markdown, captions, alerts, headings, button labels)."""
    kinds = ("markdown", "caption", "warning", "info", "error", "success", "title", "subheader")
    shown = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    return shown + [b.label for b in at.download_button]


def banners(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if layout.SYNTHETIC_BANNER in w.value]


@pytest.mark.parametrize("page", PAGES)
def test_demo_snapshot_pages_carry_the_banner_and_credit_no_one(
    page: str, published_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the demo pipeline's own snapshot (tests/conftest.py): banner, footer and downloads."""
    monkeypatch.setenv("DRUGTRENDS_HOME", str(published_home))
    at = open_page(page)
    assert len(banners(at)) == 1
    assert "Synthetic demo data — not real seizure statistics" in banners(at)[0]
    shown = "\n".join(texts(at))
    for credit in ATTRIBUTIONS:
        assert credit not in shown, credit
    assert at.caption[-1].value == layout.SYNTHETIC_CITATION
    assert "synthetic demo data" in at.caption[-1].value.lower()
    labels = [b.label for b in at.download_button]
    assert labels and all(label.endswith("— synthetic demo data") for label in labels)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("synthetic", [False, None], ids=["marked-real", "before-the-flag"])
def test_real_snapshot_pages_cite_their_source_and_show_no_banner(
    page: str, synthetic: bool | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_snapshot(tmp_path / "published" / "current.duckdb", synthetic=synthetic)
    monkeypatch.setenv("DRUGTRENDS_HOME", str(tmp_path))
    at = open_page(page)
    assert banners(at) == []
    assert at.caption[-1].value == PAGES[page]
    assert "UNODC" in at.caption[-1].value
    assert not any("synthetic" in label.lower() for label in (b.label for b in at.download_button))


def test_the_flag_not_the_figures_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same tiny figures, marked synthetic: the page believes the snapshot's metadata."""
    build_snapshot(tmp_path / "published" / "current.duckdb", synthetic=True)
    monkeypatch.setenv("DRUGTRENDS_HOME", str(tmp_path))
    at = open_page("views/overview.py")
    assert len(banners(at)) == 1
    assert at.caption[-1].value == layout.SYNTHETIC_CITATION


def test_download_file_names_say_synthetic_only_for_synthetic_snapshots() -> None:
    real = SnapshotMeta("S1", None, "r", False)  # type: ignore[arg-type]
    demo = real._replace(synthetic=True)
    assert layout.download_names("Download (CSV)", "trends_world", real) == (
        "Download (CSV)",
        "trends_world_S1.csv",
    )
    assert layout.download_names("Download (CSV)", "trends_world", demo) == (
        "Download (CSV) — synthetic demo data",
        "synthetic-demo-data_trends_world_S1.csv",
    )
