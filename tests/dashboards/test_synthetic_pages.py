"""Every page says so when the snapshot is synthetic (demo), and cites UNODC only when it is not."""

from __future__ import annotations

import io
import os
from pathlib import Path

import duckdb
import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import explorer_charts, layout, tables
from dashboards.queries import SnapshotMeta
from tests.dashboards.country_snapshot import build_country_snapshot
from tests.dashboards.snapshot import build_snapshot

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
# page script -> its footer on real data
PAGES = {
    "views/overview.py": layout.CITATION,
    "views/explorer.py": layout.CITATION,
    "views/country.py": layout.CITATION,
    "views/changes.py": layout.CITATION,
    "views/alerts.py": layout.CITATION,
    "views/methodology.py": layout.CITATION,
    "views/routes.py": layout.CITATION_CASES,
    "views/data_quality.py": layout.CITATION_PIPELINE,
}
# The hand-made snapshot each page is tested on (the newer pages need the country marts).
BUILDERS = {page: build_snapshot for page in PAGES} | {
    page: build_country_snapshot
    for page in (
        "views/explorer.py",
        "views/country.py",
        "views/changes.py",
        "views/alerts.py",
        "views/methodology.py",
    )
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


def publish_marked(path: Path, page: str, synthetic: bool | None) -> None:
    """A hand-made snapshot, with meta.snapshot's synthetic flag set (None: left out, as in
    snapshots published before the flag existed)."""
    BUILDERS[page](path)
    os.chmod(path, 0o644)
    con = duckdb.connect(str(path))
    try:
        if page == "views/changes.py":  # no alerts, no changes: the page still runs to its end
            con.execute(
                "CREATE TABLE marts.alerts (kind VARCHAR, level VARCHAR, area VARCHAR, "
                "area_name VARCHAR, series VARCHAR, drug_group VARCHAR, year BIGINT, "
                "sentence VARCHAR)"
            )
            con.execute(
                "CREATE TABLE marts.snapshot_changes (kind VARCHAR, level VARCHAR, area VARCHAR, "
                "area_name VARCHAR, series VARCHAR, year BIGINT, description VARCHAR, "
                "previous_snapshot_id VARCHAR)"
            )
        if page == "views/alerts.py":  # no alert: the page says so and runs to its end
            con.execute(
                "CREATE TABLE marts.alerts (kind VARCHAR, level VARCHAR, area VARCHAR, "
                "area_name VARCHAR, region VARCHAR, series VARCHAR, drug_group VARCHAR, "
                "year BIGINT, value DOUBLE, baseline DOUBLE, score DOUBLE, threshold DOUBLE, "
                "unit VARCHAR, sentence VARCHAR)"
            )
        if synthetic is not None:
            con.execute(
                f"ALTER TABLE meta.snapshot ADD COLUMN synthetic BOOLEAN DEFAULT {synthetic}"
            )
    finally:
        con.close()
    os.chmod(path, 0o444)


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
    assert all(label.endswith("— synthetic demo data") for label in labels), labels
    if page != "views/changes.py":  # every other page offers its figures for download
        assert labels


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("synthetic", [False, None], ids=["marked-real", "before-the-flag"])
def test_real_snapshot_pages_cite_their_source_and_show_no_banner(
    page: str, synthetic: bool | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_marked(tmp_path / "published" / "current.duckdb", page, synthetic)
    monkeypatch.setenv("DRUGTRENDS_HOME", str(tmp_path))
    at = open_page(page)
    assert banners(at) == []
    assert at.caption[-1].value == PAGES[page]
    assert "UNODC" in at.caption[-1].value
    assert not any("synthetic" in label.lower() for label in (b.label for b in at.download_button))


def test_the_flag_not_the_figures_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same tiny figures, marked synthetic: the page believes the snapshot's metadata."""
    publish_marked(tmp_path / "published" / "current.duckdb", "views/overview.py", True)
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


def test_excel_about_sheet_names_the_demo_generator_not_a_producer() -> None:
    frame = pl.DataFrame({"Area": ["World"], "Seized (kg)": [1.0]})
    for synthetic, expected in ((True, tables.SYNTHETIC_SOURCE), (False, tables.SOURCE)):
        book = openpyxl.load_workbook(
            io.BytesIO(tables.to_excel(frame, title="T", snapshot_id="S1", synthetic=synthetic))
        )
        about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
        assert about["Source"] == expected
        assert ("UNODC" in about["Source"]) is not synthetic


def test_an_exported_figure_of_a_synthetic_snapshot_says_so_under_the_plot() -> None:
    def source_line(synthetic: bool) -> str:
        fig = explorer_charts.with_context(go.Figure(), "T", "S1", synthetic=synthetic)
        return fig.layout.annotations[-1].text

    assert source_line(True).startswith("Synthetic demo data — not real seizure statistics")
    assert "UNODC" not in source_line(True)
    assert source_line(False).startswith(explorer_charts.SOURCE)
