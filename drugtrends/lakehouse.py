"""DuckLake connections: the catalog in PostgreSQL, the data as Parquet on disk or in S3.

DuckDB 1.5.5 cannot download extensions offline; the ``duckdb-extension-*`` packages (the
``lakehouse`` extra) ship them as files. :func:`extension_dir` lays them out as a DuckDB
extension directory, so ``ducklake``, ``postgres_scanner`` and ``httpfs`` load by name and
autoload when an ``ATTACH 'ducklake:postgres:...'`` or an ``s3://`` path needs them.

Catalog creation is not safe to race (two first ``ATTACH`` es collide in PostgreSQL's
``pg_type``), so every writer attaches under one PostgreSQL advisory lock (:func:`attach_writer`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import duckdb

from drugtrends.settings import Settings
from drugtrends.warehouse import sql_string

T = TypeVar("T")

# Python package -> the name DuckDB loads it under (its entry point is named after the file).
EXTENSIONS = {"ducklake": "ducklake", "postgres": "postgres_scanner", "httpfs": "httpfs"}
ALIAS = "lake"
# pg_advisory_lock key for catalog creation and layout changes ("drugtrnd" in ASCII).
LOCK_KEY = 0x6472756774726E64
AUTHOR = "drugtrends"


class LakehouseUnavailable(RuntimeError):
    """The lakehouse extra is not installed or the catalog is not configured."""


def extension_dir(home: Path) -> Path:
    """A DuckDB extension directory linking the extensions installed as Python packages."""
    version = duckdb.__version__
    con = duckdb.connect()
    try:
        platform = con.execute("PRAGMA platform").fetchall()[0][0]
    finally:
        con.close()
    root = home / "duckdb_extensions"
    target_dir = root / f"v{version}" / platform
    target_dir.mkdir(parents=True, exist_ok=True)
    for package, name in EXTENSIONS.items():
        spec = importlib.util.find_spec(f"duckdb_extension_{package}")
        if spec is None or not spec.submodule_search_locations:
            raise LakehouseUnavailable(
                f"duckdb-extension-{package} is not installed: install the 'lakehouse' extra"
            )
        source = (
            Path(list(spec.submodule_search_locations)[0])
            / "extensions"
            / f"v{version}"
            / f"{package}.duckdb_extension"
        )
        link = target_dir / f"{name}.duckdb_extension"
        if link.is_symlink() and link.resolve() == source.resolve():
            continue
        tmp = link.with_name(f".{link.name}.{os.getpid()}")
        tmp.unlink(missing_ok=True)
        os.symlink(source, tmp)
        os.replace(tmp, link)  # atomic: concurrent processes may do this at once
    return root


def _s3_secret(settings: Settings) -> str | None:
    """CREATE SECRET for S3 from the settings (standard AWS variables), or None for local data."""
    if not settings.lake_data_path.startswith("s3://") and settings.s3_endpoint is None:
        return None
    options: list[str] = ["TYPE S3"]
    if settings.s3_key_id:
        options.append(f"KEY_ID {sql_string(settings.s3_key_id)}")
    if settings.s3_secret:
        options.append(f"SECRET {sql_string(settings.s3_secret.get_secret_value())}")
    if settings.s3_session_token:
        options.append(f"SESSION_TOKEN {sql_string(settings.s3_session_token.get_secret_value())}")
    if settings.s3_region:
        options.append(f"REGION {sql_string(settings.s3_region)}")
    if settings.s3_endpoint:
        # An S3-compatible service (MinIO, Ceph, a local stand-in): host and port, path-style.
        url = urlsplit(
            settings.s3_endpoint
            if "://" in settings.s3_endpoint
            else "https://" + settings.s3_endpoint
        )
        options.append(f"ENDPOINT {sql_string(url.netloc)}")
        options.append("URL_STYLE 'path'")
        options.append(f"USE_SSL {'true' if url.scheme == 'https' else 'false'}")
    return f"CREATE OR REPLACE SECRET drugtrends_s3 ({', '.join(options)})"


def connect(
    settings: Settings, *, read_only: bool = False, version: int | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached as ``lake`` and in use; close it when done.

    ``version`` pins a read-only attach to that DuckLake snapshot (what readers of a published
    snapshot do); tables then read exactly as they were at that version. Attaching costs
    (extensions, catalog), so each process keeps one DuckDB instance per target and hands out
    cursors: each cursor has its own transactions, all share the attached catalog.
    """
    if not settings.lake_catalog:
        raise LakehouseUnavailable("DRUGTRENDS_LAKE_CATALOG (a PostgreSQL DSN) is not set")
    key = (
        settings.lake_catalog,
        settings.lake_data_path,
        str(settings.home),
        _s3_secret(settings),
        read_only,
        version,
    )
    base = _INSTANCES.get(key)
    if base is None:
        base = _attach(settings, read_only=read_only, version=version)
        _INSTANCES[key] = base
        while len(_INSTANCES) > MAX_INSTANCES:  # e.g. a dashboard visiting many versions
            _INSTANCES.pop(next(iter(_INSTANCES))).close()
    con = base.cursor()
    con.execute(f"USE {ALIAS}")
    return con


MAX_INSTANCES = 8
_INSTANCES: dict[tuple, duckdb.DuckDBPyConnection] = {}


def _attach(
    settings: Settings, *, read_only: bool, version: int | None
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET extension_directory = {sql_string(str(extension_dir(settings.home)))}")
        con.execute("SET autoinstall_known_extensions = false")
        if settings.duckdb_memory_limit:
            con.execute(f"SET memory_limit = {sql_string(settings.duckdb_memory_limit)}")
        if secret := _s3_secret(settings):
            con.execute(secret)
        options = []
        if read_only or version is not None:
            options.append("READ_ONLY")
        else:
            options.append(f"DATA_PATH {sql_string(settings.lake_data_path)}")
        if version is not None:
            options.append(f"SNAPSHOT_VERSION {int(version)}")
        target = sql_string("ducklake:postgres:" + (settings.lake_catalog or ""))
        con.execute(f"ATTACH {target} AS {ALIAS} ({', '.join(options)})")
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def catalog_lock(settings: Settings) -> Iterator[None]:
    """Hold the lakehouse's PostgreSQL advisory lock (catalog creation, layout changes)."""
    import psycopg2  # type: ignore[import-untyped]

    pg = psycopg2.connect(settings.lake_catalog)
    try:
        pg.autocommit = True
        with pg.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            yield
        finally:
            with pg.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    finally:
        pg.close()


def catalog_exists(settings: Settings) -> bool:
    """Whether the DuckLake catalog tables exist in the PostgreSQL database (cheap: no DuckDB)."""
    import psycopg2

    pg = psycopg2.connect(settings.lake_catalog)
    try:
        with pg.cursor() as cur:
            cur.execute("SELECT to_regclass('ducklake_snapshot') IS NOT NULL")
            return bool(cur.fetchall()[0][0])
    finally:
        pg.close()


def attach_writer(
    settings: Settings,
    layout: Callable[[duckdb.DuckDBPyConnection], None],
    laid_out: Callable[[duckdb.DuckDBPyConnection], bool],
) -> duckdb.DuckDBPyConnection:
    """A writing connection. A new catalog is created and ``layout`` applied under the lock,
    once: later writers find ``laid_out`` true and never take the lock."""
    if catalog_exists(settings):
        con = connect(settings)
        if laid_out(con):
            return con
        con.close()
    with catalog_lock(settings):
        con = connect(settings)
        try:
            layout(con)
        except BaseException:
            con.close()
            raise
    return con


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


def commit(
    con: duckdb.DuckDBPyConnection,
    work: Callable[[duckdb.DuckDBPyConnection], T],
    *,
    message: str,
    extra_info: str | None = None,
    retries: int = 5,
) -> T:
    """Run ``work`` in one transaction and commit it with ``message`` in the snapshot log.

    A commit that conflicts with a concurrent one (DuckLake is optimistic) is run again from
    the start on a fresh snapshot, ``retries`` times with jittered backoff; any other error is
    rolled back and raised.
    """
    for attempt in range(retries + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            result = work(con)
            con.execute(
                f"CALL {ALIAS}.set_commit_message(?, ?, extra_info => ?)",
                [AUTHOR, message, extra_info],
            )
            con.execute("COMMIT")
            return result
        except BaseException as exc:
            with contextlib.suppress(duckdb.Error):  # a failed COMMIT has ended it already
                con.execute("ROLLBACK")
            if not is_conflict(exc) or attempt == retries:
                raise
        time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")
