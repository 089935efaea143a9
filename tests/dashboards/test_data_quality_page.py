"""The data-quality page through Streamlit's AppTest, on the tiny snapshot (and on none)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.snapshot import ANNUAL, QUARANTINED

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = APP.parent / "views" / "data_quality.py"
INJECTION = "kg.range' OR '1'='1"


def quality_page() -> AppTest:
    """The app, switched to the data-quality page (a first run registers the pages)."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    return at.switch_page("views/data_quality.py").run()


def opened_from_link(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.query_params.update(query)
    return at.run()


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def shown(source: str) -> str:
    """Markdown source as a reader sees it: submitted text is backslash-escaped in the source."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source)


def quarantined(at: AppTest):
    return at.dataframe[0].value


def test_status_grid_shows_every_dataset_and_region(tiny_home: Path) -> None:
    at = quality_page()
    assert not at.exception
    assert at.title[0].value == "Data quality"
    assert {m.label: m.value for m in at.metric} == {
        "Published": "2 of 4",
        "Failed": "1",
        "Skipped": "1",
        "Rows quarantined": "4",
    }
    text = markdown(at)
    assert text.count(":green-badge[:material/check_circle: Published]") == 2
    assert text.count(":red-badge[:material/error: Failed]") == 1
    assert text.count(":gray-badge[:material/remove_circle_outline: Skipped]") == 1
    # 2 datasets x 5 regions: the 6 cells without a run say so
    assert text.count("No run yet") == 6
    assert "the data published on 01 Jan 2024, 05:00 UTC stays in place" in shown(text)
    assert "5 read · 2 clean · 3 quarantined" in text
    captions = shown("\n".join(c.value for c in at.caption))
    assert ":red[:material/close:] **Quarantine share**: 60.0% of rows quarantined" in captions
    assert "Contract 1.1.0 · 01 Jan 2024, 06:00 UTC" in captions
    assert [b.label for b in at.download_button][:2] == [
        "Download status (CSV)",
        "Download quarantined rows (CSV)",
    ]


def test_quarantine_filters_change_the_rows(tiny_home: Path) -> None:
    at = quality_page()
    assert len(quarantined(at)) == len(QUARANTINED)
    assert set(quarantined(at).columns) >= {
        "Rule",
        "Message",
        "Contract version",
        "Record as received",
        "Row in file",
    }
    at.selectbox(key="q_version").set_value("1.1.0").run()
    assert quarantined(at)["Row in file"].tolist() == [3, 4, 7]
    at.selectbox(key="q_rule").set_value("kg.range").run()
    assert quarantined(at)["Row in file"].tolist() == [7]
    at.selectbox(key="q_dataset").set_value("individual_seizures").run()
    assert "No quarantined rows for this selection" in at.success[0].value


def test_history_shows_runs_and_contract_versions(tiny_home: Path) -> None:
    at = quality_page()
    at.selectbox(key="h_dataset").set_value(ANNUAL).run()
    at.selectbox(key="h_region").set_value("Europe").run()
    history = json.loads(at.get("plotly_chart")[-1].proto.spec)
    assert [t["name"] for t in history["data"]] == [
        "Clean rows",
        "Quarantined rows",
        "Failed run (not published)",
    ]
    assert [a["text"] for a in history["layout"]["annotations"]] == [
        "contract 1.0.0",
        "contract 1.1.0",
    ]
    runs = at.dataframe[1].value
    assert runs["Run id"].tolist() == ["run-e2", "run-e1"]  # newest first


def test_source_files_with_short_checksums(tiny_home: Path) -> None:
    files = quality_page().dataframe[-1].value
    assert files["Source file"].tolist() == ["annual_europe.csv", "individual_europe.json"]
    assert files["SHA-256 (first 12)"].tolist() == ["abababababab", "cdcdcdcdcdcd"]
    assert files["Unknown columns"].tolist() == ["", "EXTRA_NOTE"]


def test_filters_come_from_the_url(tiny_home: Path) -> None:
    at = opened_from_link({"q_rule": "kg.required", "h_region": "Africa"})
    assert not at.exception
    assert quarantined(at)["Rule"].tolist() == ["kg.required", "kg.required"]
    assert at.selectbox(key="h_region").value == "Africa"


@pytest.mark.parametrize("bad", [INJECTION, "no.such.rule"])
def test_unknown_values_in_the_url_fall_back_to_all(tiny_home: Path, bad: str) -> None:
    at = opened_from_link({"q_rule": bad, "q_dataset": bad})
    assert not at.exception
    assert at.selectbox(key="q_rule").value == "All"
    assert len(quarantined(at)) == len(QUARANTINED)


def test_no_snapshot_says_run_the_pipeline(empty_home: Path) -> None:
    at = quality_page()
    assert not at.exception
    assert "make pipeline" in at.info[0].value


def test_renders_on_the_demo_snapshot(
    published_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRUGTRENDS_HOME", str(published_home))
    at = quality_page()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Failed"] == "0"
    assert "No run yet" not in markdown(at)  # the demo runs every dataset in every region


def test_quarantined_rows_are_explained_in_plain_words_per_region(tiny_home: Path) -> None:
    at = quality_page()
    assert not at.exception
    text = shown(markdown(at))
    assert "What was set aside, region by region" in text
    assert "**Europe**:" in text
    assert "A row giving the quantity seized (kg) as '-1'" in text
    assert "*Why:* The quantity seized (kg) must be between 0 and 100,000,000" in text
    assert "*What to do:*" in text
    captions = shown("\n".join(c.value for c in at.caption))
    assert "Rule `kg.range` · for example: kg '-1' is outside [0, 1e+08]" in captions
    assert "Why it was set aside" in quarantined(at).columns
