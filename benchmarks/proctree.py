"""Run a command and measure its wall time and the peak RSS of its whole process tree (Linux).

The tree's resident memory is sampled from /proc every ``interval`` seconds: the sum over the
process and every descendant alive at that moment. Sampling can miss a peak shorter than the
interval; the process's own high-water mark (VmHWM, read at the last sample) is taken as a floor.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    returncode: int
    seconds: float
    peak_rss_bytes: int
    stdout: str
    stderr: str

    @property
    def peak_rss_gib(self) -> float:
        return self.peak_rss_bytes / 2**30


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(root: int) -> int:
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss(pid)
        todo.extend(tree.get(pid, []))
    return total


def run(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    cwd: Path | None = None,
    interval: float = 0.1,
    timeline: list[tuple[float, int]] | None = None,
) -> Measured:
    """Run ``cmd``; with ``timeline``, append every sample to it as (``time.time()``, bytes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    import threading

    def drain(stream, chunks):
        for line in stream:
            chunks.append(line)

    threads = [
        threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, err_chunks), daemon=True),
    ]
    for t in threads:
        t.start()
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    peak = hwm = 0
    while proc.poll() is None:
        rss = tree_rss(proc.pid)
        peak = max(peak, rss)
        if timeline is not None:
            timeline.append((time.time(), rss))
        hwm = max(hwm, _hwm(proc.pid))
        time.sleep(interval)
    seconds = time.perf_counter() - start
    for t in threads:
        t.join()
    return Measured(
        proc.returncode, seconds, max(peak, hwm), "".join(out_chunks), "".join(err_chunks)
    )
