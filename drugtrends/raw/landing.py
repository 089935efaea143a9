"""Pull a source into the landing area as received, with checksum, size and fetch time.

Files are content-addressed (``landing/<dataset>/<sha256>.<format>``), so a re-pull of unchanged
data costs no space and provenance can always point at the exact bytes a figure came from.

Every pull is bounded: at most ``max_bytes`` are written (counted after HTTP decompression, so a
gzip bomb stops at the limit too), within ``deadline`` seconds for the whole pull, retries
included; only regular files are copied (never a device such as /dev/zero or a pipe). Any
problem, network or disk, becomes a SourceError naming the source, so the region's run is
recorded as failed with that message. A file its reader rejects is removed again (``reject``),
and so is a file whose region a blocking check stopped (``discard``, called by the core stage
once the failed run is recorded): landing keeps only the bytes a load still stands on.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from drugtrends.errors import SourceError
from drugtrends.raw.sources import Source


@dataclass(frozen=True)
class LandedFile:
    source: Source
    path: Path
    sha256: str
    size_bytes: int
    fetched_at: datetime
    new: bool = True  # False when the same bytes were already in landing

    @property
    def file_id(self) -> str:
        return self.sha256[:16]


def land(
    source: Source,
    landing_dir: Path,
    *,
    timeout: float = 60.0,
    retries: int = 3,
    max_bytes: int = 512 * 1024 * 1024,
    deadline: float = 900.0,
) -> LandedFile:
    """Copy or download ``source`` into ``landing_dir``; raise SourceError with a clear message."""
    budget = _Budget(source.name, max_bytes, time.monotonic() + deadline, deadline)
    try:
        target_dir = landing_dir / source.dataset
        target_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target_dir, prefix=".incoming-")
    except OSError as exc:
        raise SourceError(
            source.name, f"cannot write to the landing area ({_os_problem(exc)})"
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if source.is_remote:
                _download(source, out, timeout=timeout, retries=retries, budget=budget)
            else:
                _copy_local(source, out, budget)
        digest, size = _sha256(tmp)
        final = target_dir / f"{digest}.{source.format}"
        new = not final.exists()
        os.replace(tmp, final)
    except OSError as exc:  # disk full, quota, permissions: the run record says so
        raise SourceError(
            source.name, f"cannot write to the landing area ({_os_problem(exc)})"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return LandedFile(source, final, digest, size, datetime.now(UTC), new)


def reject(landed: LandedFile) -> None:
    """Remove a file its reader refused, unless an earlier pull had landed the same bytes."""
    if landed.new:
        landed.path.unlink(missing_ok=True)


def discard(landed_path: str | Path, landing_dir: Path) -> bool:
    """Remove a landed file whose region's run a blocking check failed (``core.partition``).

    Only a file inside ``landing_dir`` is ever removed (a record naming another path is left
    alone). True when a file was removed.
    """
    path = Path(landed_path)
    try:
        if not path.resolve().is_relative_to(landing_dir.resolve()):
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _os_problem(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else type(exc).__name__


@dataclass
class _Budget:
    """Bytes and time one pull may still take."""

    name: str
    max_bytes: int
    ends_at: float
    deadline: float
    written: int = 0

    def take(self, n: int) -> None:
        self.written += n
        if self.written > self.max_bytes:
            raise SourceError(
                self.name,
                f"larger than {self.max_bytes:,} bytes (limit: setting "
                "DRUGTRENDS_MAX_SOURCE_BYTES); nothing from it was read",
            )
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.ends_at:
            raise SourceError(
                self.name,
                f"not received within {self.deadline:g} s (limit: setting "
                "DRUGTRENDS_SOURCE_DEADLINE_SECONDS)",
            )

    def restart(self) -> None:
        self.written = 0


def _copy_local(source: Source, out, budget: _Budget) -> None:
    try:
        with open(source.location, "rb") as src:
            mode = os.fstat(src.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise SourceError(source.name, "is not a regular file (a device, pipe or socket)")
            while chunk := src.read(1 << 20):
                budget.take(len(chunk))
                out.write(chunk)
    except FileNotFoundError as exc:
        raise SourceError(source.name, "file not found") from exc
    except IsADirectoryError as exc:
        raise SourceError(source.name, "is a directory, not a file") from exc
    except PermissionError as exc:
        raise SourceError(source.name, "permission denied") from exc


def auth_headers(source: Source) -> dict[str, str]:
    if not source.auth_env:
        return {}
    token = os.environ.get(source.auth_env)
    if not token:
        raise SourceError(source.name, f"credential variable {source.auth_env} is not set")
    return {"Authorization": f"Bearer {token}"}


def _download(source: Source, out, *, timeout: float, retries: int, budget: _Budget) -> None:
    """GET with retries and exponential backoff on time-outs, 5xx and truncated bodies.

    The body is decoded as the server encoded it (gzip, deflate, br): what lands is the file
    itself, and the size limit applies to the decoded bytes.
    """
    import httpx  # slow to import (~0.3 s), and only remote sources need it

    headers = auth_headers(source)
    last_problem = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(2 ** (attempt - 1), 30) * 0.5)
        budget.check_time()
        out.seek(0)
        out.truncate()
        budget.restart()
        try:
            with httpx.stream(
                "GET", source.location, headers=headers, timeout=timeout, follow_redirects=True
            ) as resp:
                if resp.status_code >= 500:
                    last_problem = f"server error HTTP {resp.status_code}"
                    continue
                if resp.status_code >= 400:
                    # 4xx will not get better by retrying: fail now, without echoing credentials.
                    raise SourceError(source.name, f"HTTP {resp.status_code} {resp.reason_phrase}")
                declared = resp.headers.get("content-length")
                encoded = resp.headers.get("content-encoding", "identity") != "identity"
                too_big = declared and declared.isdigit() and int(declared) > budget.max_bytes
                if too_big and not encoded:
                    budget.take(int(declared))  # fails now, naming the limit
                for chunk in resp.iter_bytes(1 << 20):
                    budget.take(len(chunk))
                    out.write(chunk)
                received = resp.num_bytes_downloaded
                if declared is not None and declared.isdigit() and int(declared) != received:
                    last_problem = f"truncated download ({received} of {declared} bytes)"
                    continue
                out.flush()
                return
        except httpx.TimeoutException:
            last_problem = f"timed out after {timeout:g} s"
        except httpx.DecodingError as exc:
            raise SourceError(
                source.name,
                f"the server's {resp.headers.get('content-encoding')} encoding "
                f"cannot be decoded ({type(exc).__name__})",
            ) from None
        except httpx.TooManyRedirects:
            raise SourceError(source.name, "too many redirects") from None
        except httpx.TransportError as exc:
            last_problem = f"network error ({type(exc).__name__})"
        except httpx.HTTPError as exc:
            raise SourceError(source.name, f"download failed ({type(exc).__name__})") from None
    raise SourceError(source.name, f"download failed after {retries + 1} attempts: {last_problem}")


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size
