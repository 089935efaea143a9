"""``drugtrends`` command line: the headless nightly run, demo data, and the dashboard.

``drugtrends pipeline`` runs the ingest job once per region (a broken region fails alone), then
the publish job over every region's last good data; one summary line per region and dataset.
Exit status: 0 all good; 1 a region or the publish failed (each failure also written to the
alert log); 2 the settings or the sources file are unusable (nothing ran; every problem is
listed with its file and line); 3 another pipeline run holds the lock (its pid and start time
are named).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from drugtrends.errors import ConfigError
from drugtrends.reference import REGIONS
from drugtrends.settings import get_settings

EXIT_CONFIG = 2
EXIT_LOCKED = 3


class RunLocked(Exception):
    """Another pipeline run holds the lock of this DRUGTRENDS_HOME."""


@contextmanager
def pipeline_lock(home: Path) -> Iterator[None]:
    """One pipeline run per home at a time: the lock file names its holder's pid and start.

    ``flock`` is released by the kernel when the holder dies, so a killed run never leaves a
    stale lock behind; the file's text is only there to say who holds it.
    """
    home.mkdir(parents=True, exist_ok=True)
    path = home / "pipeline.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = json.loads(os.pread(fd, 4096, 0) or b"{}")
            except ValueError:
                holder = {}
            raise RunLocked(
                f"another run is in progress (pid {holder.get('pid', '?')}, started "
                f"{holder.get('started', '?')}; lock {path}): nothing was run"
            ) from None
        os.ftruncate(fd, 0)
        info = {"pid": os.getpid(), "started": datetime.now(UTC).isoformat(timespec="seconds")}
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _instance():
    import dagster as dg

    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()  # runs show up in `make dagster`
    return dg.DagsterInstance.ephemeral()


def _failure_text(result) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            data = event.step_failure_data
            user = getattr(data, "user_failure_data", None)
            if user is not None and user.description:
                return user.description
            error = data.error
            while error is not None and error.cause is not None:
                error = error.cause  # the user-facing cause, not Dagster's wrapper
            if error is not None:
                return error.message.strip().splitlines()[0]
    return "run failed"


def _ingest(job: str, region: str, instance=None) -> tuple[str, bool, str]:
    """One region's ingest run: (run id, success, failure text)."""
    from pipelines.definitions import defs

    # Dagster's console logger would print stack traces for data problems; the summary lines
    # carry the message, and the full event log stays in the Dagster instance.
    result = defs.resolve_job_def(job).execute_in_process(
        partition_key=region,
        instance=instance or _instance(),
        raise_on_error=False,
        run_config=QUIET,
    )
    return result.run_id, result.success, "" if result.success else _failure_text(result)


QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def run_pipeline(
    regions: list[str], *, publish: bool = True, instance=None, reprocess: bool = False
) -> int:
    """Run every region, then publish; print one line per region; return the exit status.

    On a warehouse that takes several writers (DuckLake), up to ``DRUGTRENDS_CONCURRENCY``
    regions run at once, each in its own process (and its own run in the Dagster instance).
    """
    try:
        settings = get_settings()
        ensure_demo_sources(settings)
        from drugtrends.raw.sources import load_sources

        sources = load_sources(settings.sources_file, settings.allowed_roots())
    except (ConfigError, ValueError) as err:  # pydantic's ValidationError is a ValueError
        lines = [ln for ln in str(err).splitlines() if ln.strip()]
        print("\n".join(f"config    FAILED  {ln}" for ln in lines), flush=True)
        print("nothing was run: fix the problems above", flush=True)
        return EXIT_CONFIG
    try:
        with pipeline_lock(settings.home):
            return _run_locked(settings, sources, regions, publish, instance, reprocess)
    except RunLocked as err:
        print(f"pipeline  BUSY    {err}", flush=True)
        return EXIT_LOCKED


def _run_locked(settings, sources, regions, publish, instance, reprocess) -> int:
    from drugtrends.storage import open_warehouse
    from pipelines.alerts import raise_alert
    from pipelines.definitions import defs

    store = open_warehouse(settings)
    instance = instance or _instance()  # its storage is created here, before any race
    job = "reprocess_region" if reprocess else "ingest_region"
    failed = 0
    lines: list[str] = []

    def alert(job: str, run_id: str, partition: str | None, message: str) -> None:
        try:
            raise_alert(settings, job=job, run_id=run_id, partition=partition, message=message)
        except OSError as exc:
            lines.append(f"alert     FAILED  alert log not written ({exc.strerror})")

    workers = min(store.max_writers, len(regions))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with store.connect():
            pass  # likewise the catalog
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            outcomes = list(pool.map(_ingest, [job] * len(regions), regions))
    else:
        outcomes = [_ingest(job, region, instance) for region in regions]
    for region, (run_id, success, failure) in zip(regions, outcomes, strict=True):
        rows = []
        if store.exists():
            with store.read_only() as con:
                rows = con.execute(
                    "SELECT dataset, status, message, raw_rows, clean_rows, quarantined_rows "
                    "FROM meta.partition_runs WHERE run_id = ? ORDER BY dataset",
                    [run_id],
                ).fetchall()
        if not success:
            failed += 1
        expected = sorted({s.dataset for s in sources if s.feeds(s.dataset, region)})
        recorded = {r[0] for r in rows}
        unrecorded = [d for d in expected if d not in recorded]
        if not success and (unrecorded or not any(r[1] != "skipped" for r in rows)):
            for dataset in unrecorded or ["run"]:
                lines.append(f"{region:<9} FAILED  {dataset}: {failure}")
            alert(job, run_id, region, failure)
        for dataset, status, message, raw, clean, quarantined in rows:
            if status == "skipped":
                lines.append(f"{region:<9} -       {dataset}: {message}")
            elif status == "success":
                lines.append(
                    f"{region:<9} ok      {dataset}: {raw} rows read, {clean} clean, "
                    f"{quarantined} quarantined"
                )
            else:
                lines.append(f"{region:<9} FAILED  {dataset}: {message}")
                alert(job, run_id, region, f"{dataset}: {message}")
    if publish:
        result = defs.resolve_job_def("publish").execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET
        )
        if result.success:
            lines.append(f"published {_published_location(result)}")
        else:
            failed += 1
            text = _failure_text(result)
            lines.append(f"publish   FAILED  {text} (the previous snapshot is still current)")
            alert("publish", result.run_id, None, text)
    print("\n".join(lines), flush=True)
    return 1 if failed else 0


def _published_location(result) -> str:
    """Where the publish run put its snapshot (from its materialization's metadata)."""
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.to_user_string() == "published_snapshot":
            location = materialization.metadata.get("path")
            if location is not None:
                return str(location.value)
    return str(get_settings().current_snapshot)


def ensure_demo_sources(settings) -> None:
    """With no sources configured, (re)generate the deterministic demo submissions."""
    if settings.sources is None and not settings.sources_file.exists():
        from demo import generate

        generate(settings.demo_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="drugtrends", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("pipeline", help="one full headless run over every source and region")
    run.add_argument(
        "--region",
        action="append",
        choices=REGIONS,
        help="limit to this region (repeatable); default: all five",
    )
    run.add_argument("--no-publish", action="store_true", help="ingest only")
    run.add_argument(
        "--reprocess",
        action="store_true",
        help="re-validate the rows already pulled (no re-pull): releases "
        "quarantined rows after a contract change or correction",
    )
    demo = sub.add_parser("demo-data", help="generate the demo submissions and sources file")
    demo.add_argument("--dest", type=Path, help="default: $DRUGTRENDS_HOME/demo")
    sub.add_parser("data-dictionary", help="regenerate docs/data_dictionary.md from the contracts")
    dash = sub.add_parser("dashboard", help="serve the dashboard")
    dash.add_argument("--port", type=int, help="default: DRUGTRENDS_DASHBOARD_PORT or 8501")
    dash.add_argument("--host", help="default: DRUGTRENDS_DASHBOARD_HOST or 127.0.0.1")
    args = parser.parse_args(argv)

    if args.command == "pipeline":
        return run_pipeline(
            args.region or list(REGIONS), publish=not args.no_publish, reprocess=args.reprocess
        )
    if args.command == "demo-data":
        from demo import generate

        dest = args.dest or get_settings().demo_dir
        print(generate(dest))
        return 0
    if args.command == "data-dictionary":
        from drugtrends.dictionary import write

        print(write())
        return 0
    settings = get_settings()
    return serve_dashboard(
        args.host or settings.dashboard_host,
        args.port if args.port is not None else settings.dashboard_port,
    )


APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"


def streamlit_command(host: str, port: int, *options: str) -> list[str]:
    """``streamlit run dashboards/app.py`` on ``host:port``, headless, with ``options`` added."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *options,
    ]


def serve_dashboard(host: str, port: int) -> int:
    """``streamlit run dashboards/app.py`` as a child that stops when this command is stopped.

    SIGTERM and SIGINT sent to this process are passed on to Streamlit, which is then waited
    for: stopping ``drugtrends dashboard`` (a service manager, ``kill``, Ctrl-C) frees the port
    instead of leaving an orphaned server holding it.
    """
    command = streamlit_command(host, port)
    child: subprocess.Popen | None = None
    pending: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        if child is None:
            pending.append(signum)  # arrived while the child was starting
        elif child.poll() is None:
            child.send_signal(signum)

    forwarded = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, forward) for sig in forwarded}
    try:
        child = subprocess.Popen(command)
        for signum in pending:
            child.send_signal(signum)
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code  # killed by signal N: the shell's 128 + N


class DashboardNotReady(Exception):
    """The local dashboard server exited, or was not healthy within the wait."""


@contextmanager
def local_dashboard(
    home: Path, log: Path, *, wait_seconds: float, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """The dashboard on ``home``'s snapshot, served on a free local port for a browser test or
    benchmark: yields its URL once the health endpoint answers, stops it afterwards.

    Its output is appended to ``log``. ``env`` (default: this process's) is the server's
    environment, with DRUGTRENDS_HOME set to ``home``. No file watcher: nothing is edited.
    Raises DashboardNotReady if the server exits or is not healthy within ``wait_seconds``.
    """
    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = streamlit_command("127.0.0.1", port, "--server.fileWatcherType", "none")
    environment = {**(os.environ if env is None else env), "DRUGTRENDS_HOME": str(home)}
    with log.open("ab") as out:
        proc = subprocess.Popen(
            command, env=environment, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            if proc.poll() is not None:
                raise DashboardNotReady(f"streamlit exited with {proc.returncode}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=5).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise DashboardNotReady(f"streamlit not healthy after {wait_seconds:g} s")
            time.sleep(0.2)  # the next poll of the health endpoint
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
