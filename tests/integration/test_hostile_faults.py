"""Hostile input and faults, part two: limits, sources-file checks, ownership, text, rendering.

Each case is built at test time (``tests/hostile/make_corpus.py`` and the helpers below), run
through the real pipeline where the pipeline is what a user meets, and checked for what a user
sees (one line naming the file and the problem, no traceback), for the other regions still
publishing, and for totals equal to a sum written out by hand (nothing lost, nothing doubled).
"""

from __future__ import annotations

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from drugtrends.errors import ConfigError
from drugtrends.raw.sources import load_sources
from tests.conftest import PipelineRunner, annual_row, write_json, write_sources
from tests.hostile import make_corpus

ROOT = Path(__file__).resolve().parents[2]
PAK = ("Pakistan", "PAK", "Asia", "South Asia")
ESP = ("Spain", "ESP", "Europe", "Western and Central Europe")
COCAINE = ("Cocaine and Derivatives", "Cocaine", "Cocaine hydrochloride")


def entry(region: str, path: Path, fmt: str | None = None, **extra: object) -> dict[str, object]:
    fmt = fmt or path.suffix[1:]
    base = {"dataset": "annual_seizures", "region": region, "format": fmt, "location": str(path)}
    return base | extra


def lines_of(out: str) -> dict[str, str]:
    assert "Traceback" not in out, out
    return {ln.split()[0]: ln for ln in out.splitlines() if "annual_seizures:" in ln}


def spain(year: int, kg: float) -> dict[str, object]:
    return annual_row(*ESP, *COCAINE, year, kg)


def subgroup_kg(pipeline: PipelineRunner, level: str, area: str, group: str, year: int):
    rows = pipeline.query(
        "SELECT kg FROM marts.seizure_trends WHERE level = ? AND area_name = ? "
        "AND grain = 'drug_group' AND drug_group = ? AND year = ?",
        [level, area, group, year],
    )
    return rows[0][0] if rows else None


# --- one night, five hostile regions -----------------------------------------------------------


@pytest.mark.slow
def test_far_cells_hidden_sheets_misfiled_rows_lookalikes_and_stray_bytes(pipeline, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    far = make_corpus.far_cell_xlsx(corpus)
    hidden = make_corpus.hidden_sheet_xlsx(corpus)
    # Asia: look-alike spellings must meet their rules; bad text and years are quarantined.
    asia = write_json(
        corpus / "asia.json",
        [
            annual_row(*PAK, *COCAINE, 2021, 100),  # 1 component
            annual_row(*PAK, "Cocaine and Derivatives", "Coca-Type", "Coca leaf", 2021, 5000),
            annual_row(  # 3: curly quotes, a reported total
                *PAK,
                "MDMA and Ecstasy-like Drugs",
                "Reported total “ecstasy”-type substances",
                "Ecstasy",
                2021,
                30,
            ),
            annual_row(*PAK, "cocaine and derivatives", "Cocaine", "Cocaine base", 2021, 50),
            annual_row(*PAK, "Cocaine and Derivatives", "Cocaine-ish", "Crack", 2021, 7),  # 5
            annual_row(*PAK, *COCAINE, "2e3", 9),  # 6: not a year written as an integer
            annual_row("Paki\u202estan", *PAK[1:], *COCAINE, 2021, 11),  # 7: bidi override
            annual_row("Pak\x00istan", *PAK[1:], *COCAINE, 2021, 13),  # 8: NUL
        ],
    )
    # Europe: its file also holds another region's rows, which must not publish under Europe,
    # and a subgroup under a group it does not belong to, which must not count as cocaine.
    europe = write_json(
        corpus / "europe.json",
        [
            spain(2019, 200),
            spain(2021, 300),
            annual_row(*PAK, *COCAINE, 2021, 999),
            annual_row(*ESP, "Cocaine and Derivatives", "Opiates", "Heroin", 2021, 77),
        ],
    )
    # Oceania: UTF-8 with accents, and one Windows-1252 byte in row 3.
    fields = ",".join(make_corpus.FIELDS)
    good = "Oceania,Melanesia,Nouvelle-Calédonie,NCL,Cocaine and Derivatives,Cocaine,Cocaïne"
    oceania = corpus / "oceania.csv"
    oceania.write_bytes(
        f"{fields}\n{good},2020,1\n".encode()
        + f"{good},2021,2\n".encode().replace("Cocaïne".encode(), b"Coca\xefne")
    )
    pipeline.use_sources(
        write_sources(
            tmp_path / "sources.yaml",
            [
                entry("Africa", far, sheet="Data"),
                entry("Americas", hidden),
                entry("Asia", asia),
                entry("Europe", europe),
                entry("Oceania", oceania),
            ],
        )
    )
    code, out = pipeline()
    lines = lines_of(out)
    assert code == 1 and out.splitlines()[-1].startswith("published "), out
    assert lines["Africa"].endswith(
        "FAILED  annual_seizures: far_cell.xlsx: sheet 'Data' has a value in cell XFD1048576: "
        "reading it means 17,179,869,184 cells (1,048,576 rows x 16,384 columns), more than "
        "the 20,000,000 read (limit: setting DRUGTRENDS_MAX_SHEET_CELLS)"
    ), out
    assert lines["Americas"].endswith(
        "hidden_first.xlsx: the workbook has 2 sheets ('Old' (hidden), 'Data'): name the one to "
        "read with 'sheet:' in the sources file"
    ), out
    assert "oceania.csv: is UTF-8 text but byte" in lines["Oceania"], out
    assert "(line 3) is 0xef, not UTF-8" in lines["Oceania"], out
    assert lines["Asia"].endswith("8 rows read, 4 clean, 4 quarantined"), out
    assert lines["Europe"].endswith("4 rows read, 2 clean, 2 quarantined"), out

    # Look-alikes are spelled as the reference spells them and meet their rules.
    assert pipeline.query(
        "SELECT source_row, drug_group, drug_subgroup, rollup_role FROM core.annual_seizures "
        "WHERE region = 'Asia' ORDER BY source_row"
    ) == [
        (1, "Cocaine and Derivatives", "Cocaine", "component"),
        (2, "Cocaine and Derivatives", "Coca-type", "excluded"),
        (
            3,
            "MDMA and Ecstasy-like Drugs",
            'Reported total "ecstasy"-type substances',
            "reported_total",
        ),
        (4, "Cocaine and Derivatives", "Cocaine", "component"),
    ]
    rules = pipeline.query(
        "SELECT source_file, source_row, rule, message FROM quarantine.rows ORDER BY 1, 2"
    )
    assert [r[:3] for r in rules] == [
        ("asia.json", 5, "drug_subgroup.allowed"),
        ("asia.json", 6, "year.type"),
        ("asia.json", 7, "country_name.control"),
        ("asia.json", 8, "country_name.control"),
        ("europe.json", 3, "region.partition"),
        ("europe.json", 4, "drug_subgroup.within"),
    ]
    assert "'Paki\u2423stan' holds invisible control" in rules[2][3]
    assert rules[4][3].startswith("region 'Asia' is not Europe, the region this file is listed")
    # Nothing published holds a control character.
    assert pipeline.query(
        "SELECT count(*) FROM core.annual_seizures WHERE regexp_matches(country_name, "
        "'[\\x00\\x{202e}]')"
    ) == [(0,)]
    # Totals against a hand sum: Asia cocaine 2021 = 100 + 50 (coca leaf excluded, the 999 kg
    # misfiled in Europe's file nowhere); Europe 2021 = 300 (the opiates filed under cocaine
    # nowhere); world = 450.
    assert subgroup_kg(pipeline, "region", "Asia", "Cocaine and Derivatives", 2021) == 150
    assert subgroup_kg(pipeline, "region", "Europe", "Cocaine and Derivatives", 2021) == 300
    assert subgroup_kg(pipeline, "global", "World", "Cocaine and Derivatives", 2021) == 450
    # Rejected files are not kept in landing; accepted ones are.
    landed = sorted(p.suffix for p in (pipeline.home / "landing").rglob("*.*"))
    assert landed == [".json", ".json"], landed


# --- the sources file ------------------------------------------------------------------------


def problems(tmp_path: Path, text: str) -> str:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    return str(err.value)


GOOD = "  - {dataset: annual_seizures, region: Europe, format: csv, location: europe.csv}\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "  - {dataset: annual_seizures, region: Europa, format: csv, location: e.csv}\n",
            "line 2: unknown region 'Europa' (did you mean 'Europe'?)",
        ),
        (
            "  - {dataset: annual_seizure, region: Europe, format: csv, location: e.csv}\n",
            "line 2: unknown dataset 'annual_seizure' (did you mean 'annual_seizures'?)",
        ),
        (
            "  - dataset: annual_seizures\n    region: Europe\n    format: csv\n"
            "    location: !!python/object:os.system echo\n",
            "line 5: location must be plain text, not tag:yaml.org,2002:python/object:os.system",
        ),
        (GOOD + GOOD, "line 3: the same entry as line 2 (annual_seizures, Europe, europe.csv)"),
        (
            GOOD + "  - {dataset: annual_seizures, region: all, format: csv, location: w.csv}\n",
            "line 3: annual_seizures for Europe is already read from europe.csv (line 2)",
        ),
        (
            "  - {dataset: annual_seizures, region: Asia, format: csv, "
            "location: ../../../../etc/passwd}\n",
            "line 2: location '../../../../etc/passwd' is outside the directories sources are "
            "read from",
        ),
        (
            "  - {dataset: annual_seizures, region: Asia, format: csv, location: /dev/zero}\n",
            "line 2: location '/dev/zero' is outside",
        ),
        (
            "  - {dataset: annual_seizures, region: Asia, format: csv, "
            "location: 'ftp://example.org/a.csv?token=secret'}\n",
            "line 2: location 'ftp://example.org/a.csv' uses ftp://; only http(s) URLs",
        ),
        (
            "  - {dataset: annual_seizures, region: Asia, fromat: csv, location: a.csv}\n",
            "line 2: unknown key 'fromat' (did you mean 'format'?)",
        ),
    ],
)
def test_sources_file_problems_are_named_with_their_line(tmp_path, body, expected):
    message = problems(tmp_path, "sources:\n" + body)
    assert expected in message, message
    assert "secret" not in message


def test_a_yaml_alias_bomb_fails_at_once(tmp_path):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    bomb += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}" + f", *{chr(97 + i)}" * 8 + "]"
        for i in range(8)
    ]
    started = time.monotonic()
    message = problems(tmp_path, "\n".join(bomb) + "\nsources: []\n")
    assert "more than 20 YAML aliases" in message and time.monotonic() - started < 2


def test_a_config_error_on_a_new_home_exits_2_naming_the_file_and_line(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - {dataset: annual_seizures, region: Europa, format: csv, location: e.csv}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER", "DRUGTRENDS"))}
    env |= {"DRUGTRENDS_HOME": str(tmp_path / "new-home"), "DRUGTRENDS_SOURCES": str(sources)}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "pipeline"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        f"config    FAILED  {sources}, line 2: unknown region 'Europa' (did you mean 'Europe'?) "
        "(regions: Africa, Americas, Asia, Europe, Oceania or all)",
        "nothing was run: fix the problems above",
    ]
    assert not (tmp_path / "new-home" / "warehouse").exists()


# --- network and disk ------------------------------------------------------------------------


class Hostile(http.server.BaseHTTPRequestHandler):
    """/good.json, /gzip.json (gzip-encoded), /endless, /drip (a byte a second), /loop."""

    body = b"[]"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        self.send_response(200)
        if self.path == "/gzip.json":
            data = gzip.compress(self.body)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif self.path == "/endless":
            self.end_headers()
            chunk = b"x" * (1 << 16)
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:
                return
        elif self.path == "/drip":
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"[")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                return
        else:
            self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            self.wfile.write(self.body)


@pytest.fixture
def server():
    Hostile.body = json.dumps([spain(2019, 200), spain(2021, 300)]).encode()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.slow
def test_endless_slow_looping_and_gzip_sources(pipeline, tmp_path, server, monkeypatch):
    monkeypatch.setenv("DRUGTRENDS_MAX_SOURCE_BYTES", str(4 << 20))
    monkeypatch.setenv("DRUGTRENDS_SOURCE_DEADLINE_SECONDS", "3")
    monkeypatch.setenv("DRUGTRENDS_HTTP_RETRIES", "0")
    pipeline.use_sources(
        write_sources(
            tmp_path / "sources.yaml",
            [
                {**entry("Africa", Path("x.json")), "location": f"{server}/endless"},
                {**entry("Americas", Path("x.json")), "location": f"{server}/drip"},
                {**entry("Asia", Path("x.json")), "location": f"{server}/loop"},
                {**entry("Europe", Path("x.json")), "location": f"{server}/gzip.json"},
            ],
        )
    )
    code, out = pipeline()  # the drip would take 60 s: the 3 s deadline ends it
    lines = lines_of(out)
    assert code == 1 and out.splitlines()[-1].startswith("published "), out
    assert lines["Africa"].endswith(
        "endless: larger than 4,194,304 bytes (limit: setting DRUGTRENDS_MAX_SOURCE_BYTES); "
        "nothing from it was read"
    ), out
    assert lines["Americas"].endswith(
        "drip: not received within 3 s (limit: setting DRUGTRENDS_SOURCE_DEADLINE_SECONDS)"
    ), out
    assert lines["Asia"].endswith("loop: too many redirects"), out
    assert lines["Europe"].endswith("2 rows read, 2 clean, 0 quarantined"), out
    assert subgroup_kg(pipeline, "region", "Europe", "Cocaine and Derivatives", 2021) == 300
    alerts = (pipeline.home / "alerts.log").read_text().splitlines()
    assert sorted(json.loads(a)["partition"] for a in alerts) == ["Africa", "Americas", "Asia"]


MEMORY_RUN = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from pipelines.cli import main
sys.exit(main(["pipeline", "--region", "Africa", "--region", "Europe", "--region", "Asia"]))
"""


@pytest.mark.slow
def test_far_cell_endless_body_and_dev_zero_under_a_4_gib_memory_limit(tmp_path, server):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sources = write_sources(
        tmp_path / "sources.yaml",
        [
            entry("Africa", make_corpus.far_cell_xlsx(corpus), sheet="Data"),
            {**entry("Europe", Path("x.json")), "location": f"{server}/endless"},
            entry("Asia", Path("/dev/zero"), "csv"),
        ],
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAGSTER")}
    env |= {
        "DRUGTRENDS_HOME": str(tmp_path / "home"),
        "DRUGTRENDS_SOURCES": str(sources),
        "DRUGTRENDS_DATA_DOCS": "false",
        "DRUGTRENDS_SOURCE_ROOTS": json.dumps([str(tmp_path), "/dev"]),
        "DRUGTRENDS_HTTP_RETRIES": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_RUN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done  # failed regions, not a crash (134) or a kill
    assert "Traceback" not in done.stdout + done.stderr, done
    lines = lines_of(done.stdout)
    assert "cell XFD1048576" in lines["Africa"], done.stdout
    assert "endless: larger than 536,870,912 bytes" in lines["Europe"], done.stdout
    assert lines["Asia"].endswith("zero: is not a regular file (a device, pipe or socket)")


# --- one run at a time; snapshots --------------------------------------------------------------


def test_a_second_pipeline_exits_naming_the_lock_holder(pipeline, tmp_path):
    from pipelines.cli import EXIT_LOCKED, pipeline_lock

    pipeline.use_sources(write_sources(tmp_path / "sources.yaml", []))
    with pipeline_lock(pipeline.home):
        code, out = pipeline()
    assert code == EXIT_LOCKED
    assert out.startswith(f"pipeline  BUSY    another run is in progress (pid {os.getpid()}, "), out
    assert "nothing was run" in out


def test_prune_orders_by_sequence_and_never_removes_current(tmp_path):
    from drugtrends.serving.snapshot import make_current, next_sequence, prune

    snaps = tmp_path / "snapshots"
    snaps.mkdir()
    # A clock that ran ahead named snapshot 1 far in the future; 2 is the one just published.
    ahead = snaps / f"{next_sequence(snaps):06d}-29991231T000000000000Z.duckdb"
    newest = snaps / f"{next_sequence(snaps):06d}-20260101T000000000000Z.duckdb"
    for path in (ahead, newest):
        path.write_bytes(path.name.encode())
    make_current(tmp_path, newest)
    assert prune(snaps, keep=1, current=newest) == [ahead]
    assert [p.name for p in snaps.glob("*.duckdb")] == [newest.name]
    current = tmp_path / "current.duckdb"
    assert not current.samefile(newest)  # a copy: damage to one never reaches the other
    assert current.read_bytes() == newest.read_bytes()
    assert next_sequence(snaps) == 3  # monotonic even after pruning


def test_a_region_dropped_from_the_sources_is_reported_and_kept(pipeline, tmp_path):
    europe = write_json(tmp_path / "europe.json", [spain(2019, 200)])
    asia = write_json(tmp_path / "asia.json", [annual_row(*PAK, *COCAINE, 2021, 5)])
    pipeline.use_sources(
        write_sources(tmp_path / "sources.yaml", [entry("Europe", europe), entry("Asia", asia)])
    )
    code, out = pipeline(["Asia", "Europe"])
    assert code == 0, out
    pipeline.use_sources(write_sources(tmp_path / "sources2.yaml", [entry("Asia", asia)]))
    code, out = pipeline(["Asia", "Europe"])
    assert code == 0, out
    assert lines_of(out)["Europe"] == (
        "Europe    -       annual_seizures: no source configured: 1 rows published earlier are "
        "kept (setting DRUGTRENDS_RETIRE_UNCONFIGURED=true retires them)"
    )
    assert pipeline.query("SELECT count(*) FROM core.annual_seizures WHERE region = 'Europe'") == [
        (1,)
    ]


# --- landing ---------------------------------------------------------------------------------


def test_a_file_a_blocking_check_stopped_does_not_stay_in_landing(pipeline, tmp_path):
    import hashlib

    def landed() -> set[str]:
        return {p.stem for p in (pipeline.home / "landing" / "annual_seizures").glob("*.json")}

    def sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    europe = write_json(tmp_path / "europe.json", [spain(2019, 200)])
    asia = tmp_path / "asia.json"
    sources = write_sources(
        tmp_path / "sources.yaml", [entry("Europe", europe), entry("Asia", asia)]
    )
    pipeline.use_sources(sources)
    write_json(asia, [annual_row(*PAK, *COCAINE, 2021, 5)])
    good = sha(asia)
    code, out = pipeline(["Asia", "Europe"])
    assert code == 0, out
    assert landed() == {sha(europe), good}

    # Given: Asia's next file has 2 of 3 rows quarantined, over the contract's 50 % share.
    write_json(asia, [annual_row(*PAK, *COCAINE, 2020 + i, kg) for i, kg in enumerate([-5, -7, 3])])
    blocked = sha(asia)
    for night in (2, 3):  # landed again each night, removed again each night
        code, out = pipeline(["Asia", "Europe"])
        assert "FAILED  annual_seizures: quarantine_share: 66.7%" in lines_of(out)["Asia"], out
        assert code == 1, out
        # Expected: the blocked bytes are gone; what the published rows stand on stays.
        assert landed() == {sha(europe), good}, night
        assert pipeline.query(
            "SELECT count(*) FROM raw.files WHERE sha256 = ?", [blocked], db=pipeline.warehouse
        ) == [(1,)]  # the run's record keeps checksum and size
        assert pipeline.query(
            "SELECT year, kg FROM core.annual_seizures WHERE region = 'Asia'"
        ) == [(2021, 5.0)]


# --- submitted text on the pages and in downloads ---------------------------------------------


def test_markdown_and_html_in_submitted_text_are_shown_as_text():
    from markdown_it import MarkdownIt

    from dashboards import safe_text

    hostile = "![x](http://127.0.0.1:8799/pixel.png) [Open the template](http://evil) :red[x]"
    rendered = MarkdownIt("commonmark").render(safe_text.markdown(hostile))
    assert "<img" not in rendered and "<a " not in rendered and "href" not in rendered
    shown = rendered.replace(safe_text.WORD_JOINER, "")  # invisible: breaks GitHub autolinks
    assert shown.strip() == f"<p>{hostile}</p>".replace("&", "&amp;")
    assert safe_text.plotly('<a href="http://evil">Air</a>') == (
        '&lt;a href="http://evil"&gt;Air&lt;/a&gt;'
    )


def test_csv_downloads_neutralise_every_formula_prefix():
    import polars as pl

    from dashboards.tables import to_csv

    values = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\u200b=HYPERLINK(1)", "Spain"]
    frame = pl.DataFrame({"Area": values, "Seized (kg)": [-1.5] * len(values)})
    read = pl.read_csv(to_csv(frame))
    assert read["Area"].to_list() == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "'=HYPERLINK(1)",
        "Spain",
    ]
    assert read["Seized (kg)"].to_list() == [-1.5] * len(values)  # numbers stay numbers


def test_a_json_record_giving_a_field_twice_fails_naming_the_record(tmp_path):
    from drugtrends.errors import SourceError
    from drugtrends.raw.readers import read_submission

    path = tmp_path / "twice.json"
    path.write_text(
        '[{"Year": 2020, "Kilograms": 1}, {"Year": 2021, "Kilograms": 5, "Kilograms": 500}]'
    )
    with pytest.raises(SourceError) as err:
        read_submission(path, "json", name="twice.json")
    assert str(err.value) == (
        "twice.json, row 2: field 'Kilograms' is given twice in the record (which value is meant?)"
    )
