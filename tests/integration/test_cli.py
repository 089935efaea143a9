"""The ``drugtrends`` command as people run it: a real process, real signals, a real port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import wait_seconds

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the environment running the tests


def make(target: str, **variables: str) -> list[str]:
    """``make <target>`` run with the test's own environment, never installing into it."""
    venv = BIN.parent
    return [
        "make",
        "--no-print-directory",
        "-C",
        str(ROOT),
        "-o",
        f"{venv}/.installed",
        target,
        f"VENV={venv}",
        *(f"{k}={v}" for k, v in variables.items()),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed port's TIME_WAIT
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def children(pid: int) -> list[int]:
    return [
        int(c)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for c in (task / "children").read_text().split()
    ]


def wait_until(what: str, probe: Callable[[], object], timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError, OSError):
            if value := probe():
                return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_the_dashboard_command_stops_streamlit_and_frees_its_port(tmp_path, sig):
    port = free_port()
    env = {**os.environ, "DRUGTRENDS_HOME": str(tmp_path)}
    log = tmp_path / "dashboard.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "drugtrends"), "dashboard", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the cleanup below is exact
        )
    try:
        wait_until(
            "the dashboard's health endpoint",
            lambda: httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).text == "ok",
            wait_seconds(),
        )
        [streamlit] = children(proc.pid)
        proc.send_signal(sig)  # to the command only, as a service manager or `kill` does
        assert proc.wait(timeout=30) == 0, log.read_text()
        assert not alive(streamlit), f"streamlit (pid {streamlit}) outlived the command"
        wait_until(f"port {port} to be free", lambda: port_is_free(port), 10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the group this test started
        proc.wait()


def test_make_dashboard_serves_on_the_host_and_port_given(tmp_path):
    port = free_port()
    env = {**os.environ, "DRUGTRENDS_HOME": str(tmp_path)}
    log = tmp_path / "make.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            make("dashboard", DASHBOARD_HOST="127.0.0.1", DASHBOARD_PORT=str(port)),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(
            f"the dashboard on port {port}",
            lambda: httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).text == "ok",
            wait_seconds(),
        )
        assert f"Dashboard on http://127.0.0.1:{port} (Ctrl-C to stop)" in log.read_text()
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
        proc.wait(timeout=30)
        wait_until(f"port {port} to be free", lambda: port_is_free(port), 10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
