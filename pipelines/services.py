"""Local lakehouse services on loopback: a PostgreSQL cluster and, optionally, an S3 stand-in.

For trying the DuckLake backend (``make lakehouse-up`` / ``make lakehouse-down``) and for the
tests, which start their own on free ports. Production uses a managed PostgreSQL and object
storage instead (see the README).

PostgreSQL runs as an unprivileged cluster (``initdb`` + ``pg_ctl``) listening only on
127.0.0.1, with trust authentication (loopback, local use only). PostgreSQL refuses to run as
root: as root, the cluster is owned by and run as the ``postgres`` user (or ``nobody``).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DATABASES = ("lake", "dagster")
BUCKET = "drugtrends-lake"
PG_USER = "drugtrends"


class ServiceUnavailable(RuntimeError):
    """The service's programs are not installed here."""


def postgres_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are (Debian keeps them off PATH), or None."""
    if found := shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version_key)
    return Path(candidates[-1]).parent if candidates else None


def _version_key(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f} s")


def _service_user() -> str | None:
    """The unprivileged user PostgreSQL runs as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ServiceUnavailable("running as root and no unprivileged user to run PostgreSQL")


@dataclass
class Postgres:
    root: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def dsn(self, database: str = "lake") -> str:
        return f"host=127.0.0.1 port={self.port} user={PG_USER} dbname={database}"

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        bindir = postgres_bindir()
        if bindir is None:
            raise ServiceUnavailable("PostgreSQL is not installed (initdb/pg_ctl not found)")
        command = [str(bindir / program), *args]
        user = _service_user()
        if user is not None:
            command = ["runuser", "-u", user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def start(self) -> Postgres:
        self.root.mkdir(parents=True, exist_ok=True)
        user = _service_user()
        if user is not None:
            shutil.chown(self.root, user)
        if not (self.data_dir / "PG_VERSION").exists():
            done = self._run(
                "initdb", "-D", str(self.data_dir), "-U", PG_USER, "--auth=trust", "-E", "UTF8"
            )
            if done.returncode:
                raise ServiceUnavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        log = self.root / "postgres.log"
        done = self._run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(log), "-o", options, "-w", "start"
        )
        if done.returncode:
            raise ServiceUnavailable(f"pg_ctl start failed: {done.stdout[-300:]} {log}")
        self._create_databases()
        return self

    def _create_databases(self) -> None:
        import psycopg2  # type: ignore[import-untyped]

        pg = psycopg2.connect(self.dsn("postgres"))
        try:
            pg.autocommit = True
            with pg.cursor() as cur:
                for name in DATABASES:
                    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                    if not cur.fetchall():
                        cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            pg.close()

    def create_database(self, name: str) -> str:
        """A fresh empty database (one per test); returns its DSN."""
        import psycopg2

        pg = psycopg2.connect(self.dsn("postgres"))
        try:
            pg.autocommit = True
            with pg.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            pg.close()
        return self.dsn(name)

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")


@dataclass
class S3StandIn:
    """moto's S3 server on loopback (a stand-in for object storage, for tests and trying)."""

    root: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, bucket: str = BUCKET) -> S3StandIn:
        server = Path(sys.executable).parent / "moto_server"
        if not server.exists():
            raise ServiceUnavailable("moto[server] is not installed (the test extra)")
        self.root.mkdir(parents=True, exist_ok=True)
        log = open(self.root / "s3.log", "ab")  # noqa: SIM115  (the child keeps it open)
        self.process = subprocess.Popen(
            [str(server), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        (self.root / "s3.pid").write_text(str(self.process.pid))
        _wait_for_port(self.port, 30)
        self.create_bucket(bucket)
        return self

    def create_bucket(self, bucket: str) -> str:
        request = urllib.request.Request(f"{self.endpoint}/{bucket}", method="PUT")
        with urllib.request.urlopen(request, timeout=10):
            pass
        return f"s3://{bucket}/"

    def stop(self) -> None:
        pid_file = self.root / "s3.pid"
        pid = self.process.pid if self.process is not None else None
        if pid is None and pid_file.exists():
            pid = int(pid_file.read_text())
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)  # its own session: the server and any children
            if self.process is not None:
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(pid, signal.SIGKILL)
                    self.process.wait(timeout=10)
        pid_file.unlink(missing_ok=True)


def _env_lines(pg: Postgres, s3: S3StandIn | None) -> list[str]:
    lines = [
        "DRUGTRENDS_WAREHOUSE=ducklake",
        f"DRUGTRENDS_LAKE_CATALOG='{pg.dsn('lake')}'",
        "DRUGTRENDS_CONCURRENCY=5",
        "DAGSTER_PG_HOST=127.0.0.1",
        f"DAGSTER_PG_PORT={pg.port}",
        f"DAGSTER_PG_USER={PG_USER}",
        "DAGSTER_PG_PASSWORD=",
        "DAGSTER_PG_DB=dagster",
    ]
    if s3 is not None:
        lines += [
            f"DRUGTRENDS_LAKE_DATA=s3://{BUCKET}/",
            f"AWS_ENDPOINT_URL={s3.endpoint}",
            "AWS_ACCESS_KEY_ID=local",
            "AWS_SECRET_ACCESS_KEY=local",
            "AWS_REGION=us-east-1",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("DRUGTRENDS_HOME", "var")))
    parser.add_argument("--pg-port", type=int, default=54329)
    parser.add_argument("--s3", action="store_true", help="also start the S3 stand-in")
    parser.add_argument("--s3-port", type=int, default=54330)
    args = parser.parse_args(argv)
    root = args.home.resolve() / "lakehouse"
    pg = Postgres(root / "postgres", args.pg_port)
    s3 = S3StandIn(root / "s3", args.s3_port) if args.s3 else None
    env_file = root / "env"
    if args.action == "down":
        pg.stop()
        S3StandIn(root / "s3", args.s3_port).stop()
        env_file.unlink(missing_ok=True)
        print("lakehouse services stopped")
        return 0
    pg.start()
    if s3 is not None:
        s3.start()
    env_file.write_text("\n".join(f"export {line}" for line in _env_lines(pg, s3)) + "\n")
    print(f"PostgreSQL on 127.0.0.1:{pg.port} (databases: {', '.join(DATABASES)})")
    if s3 is not None:
        print(f"S3 stand-in on {s3.endpoint} (bucket {BUCKET})")
    print(f"Use it: . {env_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
