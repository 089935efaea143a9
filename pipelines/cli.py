"""``drugtrends`` command line: the headless nightly run, demo data, and the dashboard.

``drugtrends pipeline`` runs the ingest job once per region (a broken region fails alone), then
the publish job over every region's last good data; one summary line per region, exit status 1
when any region failed.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from drugtrends.reference import REGIONS
from drugtrends.settings import get_settings


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


def run_pipeline(
    regions: list[str], *, publish: bool = True, instance=None, reprocess: bool = False
) -> int:
    """Run every region, then publish; print one line per region; return the exit status."""
    from drugtrends.warehouse import open_db
    from pipelines.definitions import defs

    settings = get_settings()
    ensure_demo_sources(settings)
    instance = instance or _instance()
    ingest = defs.resolve_job_def("reprocess_region" if reprocess else "ingest_region")
    # Dagster's console logger would print stack traces for data problems; the summary lines
    # below carry the message, and the full event log stays in the Dagster instance.
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    failed = 0
    lines: list[str] = []
    for region in regions:
        result = ingest.execute_in_process(
            partition_key=region, instance=instance, raise_on_error=False, run_config=quiet
        )
        con = open_db(settings.warehouse_path, read_only=True)
        try:
            rows = con.execute(
                "SELECT dataset, status, message, raw_rows, clean_rows, quarantined_rows "
                "FROM meta.partition_runs WHERE run_id = ? ORDER BY dataset",
                [result.run_id],
            ).fetchall()
        finally:
            con.close()
        if not result.success:
            failed += 1
        if not any(r[1] != "skipped" for r in rows) and not result.success:
            lines.append(f"{region:<9} FAILED  {_failure_text(result)}")
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
    if publish:
        result = defs.resolve_job_def("publish").execute_in_process(
            instance=instance, raise_on_error=False, run_config=quiet
        )
        if result.success:
            lines.append(f"published {settings.current_snapshot}")
        else:
            failed += 1
            lines.append(
                f"publish   FAILED  {_failure_text(result)} "
                "(the previous snapshot is still current)"
            )
    print("\n".join(lines), flush=True)
    return 1 if failed else 0


def ensure_demo_sources(settings) -> None:
    """With no sources configured, (re)generate the deterministic demo submissions."""
    if settings.sources is None and not settings.sources_file.exists():
        from drugtrends.demo import generate

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
        from drugtrends.demo import generate

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


def serve_dashboard(host: str, port: int) -> int:
    """``streamlit run dashboards/app.py`` as a child that stops when this command is stopped.

    SIGTERM and SIGINT sent to this process are passed on to Streamlit, which is then waited
    for: stopping ``drugtrends dashboard`` (a service manager, ``kill``, Ctrl-C) frees the port
    instead of leaving an orphaned server holding it.
    """
    app = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
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


if __name__ == "__main__":
    sys.exit(main())
