"""Pull a source into the landing area as received, with checksum, size and fetch time.

Files are content-addressed (``landing/<dataset>/<sha256>.<format>``), so a re-pull of unchanged
data costs no space and provenance can always point at the exact bytes a figure came from.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from drugtrends.errors import SourceError
from drugtrends.raw.sources import Source


@dataclass(frozen=True)
class LandedFile:
    source: Source
    path: Path
    sha256: str
    size_bytes: int
    fetched_at: datetime

    @property
    def file_id(self) -> str:
        return self.sha256[:16]


def land(
    source: Source, landing_dir: Path, *, timeout: float = 60.0, retries: int = 3
) -> LandedFile:
    """Copy or download ``source`` into ``landing_dir``; raise SourceError with a clear message."""
    target_dir = landing_dir / source.dataset
    target_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target_dir, prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if source.is_remote:
                _download(source, out, timeout=timeout, retries=retries)
            else:
                _copy_local(source, out)
        digest, size = _sha256(tmp)
        final = target_dir / f"{digest}.{source.format}"
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return LandedFile(source, final, digest, size, datetime.now(UTC))


def _copy_local(source: Source, out) -> None:
    try:
        with open(source.location, "rb") as src:
            shutil.copyfileobj(src, out, length=1 << 20)
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


def _download(source: Source, out, *, timeout: float, retries: int) -> None:
    """GET with retries and exponential backoff on time-outs, 5xx and truncated bodies."""
    headers = auth_headers(source)
    last_problem = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(min(2 ** (attempt - 1), 30) * 0.5)
        out.seek(0)
        out.truncate()
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
                received = 0
                for chunk in resp.iter_raw(1 << 20):
                    out.write(chunk)
                    received += len(chunk)
                expected = resp.headers.get("content-length")
                encoded = resp.headers.get("content-encoding")
                if expected is not None and not encoded and int(expected) != received:
                    last_problem = f"truncated download ({received} of {expected} bytes)"
                    continue
                out.flush()
                return
        except httpx.TimeoutException:
            last_problem = f"timed out after {timeout:g} s"
        except httpx.TransportError as exc:
            last_problem = f"network error ({type(exc).__name__})"
    raise SourceError(source.name, f"download failed after {retries + 1} attempts: {last_problem}")


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size
