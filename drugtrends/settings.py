"""One settings object for the whole project, read from ``DRUGTRENDS_*`` variables and ``.env``.

Nothing reads the environment at import time: call :func:`get_settings` where a value is needed
(Dagster resources, the CLI, the dashboard).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DRUGTRENDS_", env_file=".env", extra="ignore")

    home: Path = Field(Path("var"), description="Data directory: landing, warehouse, published.")
    sources: Path | None = Field(None, description="Sources file; default: the demo sources.")
    keep_snapshots: int = Field(5, ge=1, description="Published snapshots kept on disk.")
    schedule_cron: str = "0 2 * * *"
    schedule_timezone: str = "UTC"
    stale_after_hours: float = Field(36.0, gt=0)
    alert_webhook: str | None = None
    http_timeout_seconds: float = 60.0
    http_retries: int = 3
    # Limits on one source: anything over one fails only its region, naming the setting.
    max_source_bytes: int = Field(
        512 * 1024 * 1024,
        gt=0,
        description="Largest file landed or read (bytes, after HTTP decompression; also each "
        "unpacked workbook part). Default 512 MiB.",
    )
    source_deadline_seconds: float = Field(
        900.0, gt=0, description="Whole time allowed to land one source, retries included."
    )
    read_timeout_seconds: float = Field(600.0, gt=0, description="Time allowed to read one file.")
    max_sheet_cells: int = Field(
        20_000_000, gt=0, description="Largest used range of a sheet (rows x columns) read."
    )
    max_sheet_rows: int = Field(2_000_000, gt=0, description="Most rows of a sheet read.")
    retire_unconfigured: bool = Field(
        False,
        description="A region no source feeds any more: keep its published rows (default; "
        "the run says so every night) or retire them.",
    )
    source_roots: list[Path] | None = Field(
        None,
        description="Directories local sources may be read from (JSON list); default: the "
        "directory of the sources file.",
    )
    data_docs: bool = Field(True, description="Build Great Expectations Data Docs each run.")
    data_docs_keep_days: int = Field(
        30,
        ge=1,
        description="Validation results (and their Data Docs pages) older than this are removed "
        "at publish: every validation re-renders the Data Docs index over all kept results.",
    )
    gx_sample_rows: int = Field(
        20_000,
        ge=0,
        description="Great Expectations checks a seeded random sample of this many rows of a "
        "larger batch (every row already passed the contract's Polars rules); 0: every row.",
    )
    contracts_dir: Path | None = Field(None, description="Contracts; default: data_contracts/.")
    dashboard_host: str = Field("127.0.0.1", description="Address the dashboard binds.")
    dashboard_port: int = Field(8501, ge=1, le=65535, description="Port the dashboard serves.")
    corrections_file: Path | None = Field(
        None, description="Corrections registry; default: drugtrends/reference/corrections.yaml."
    )
    duckdb_memory_limit: str | None = Field(
        None,
        description="DuckDB memory_limit for every warehouse connection, e.g. '2GB' (default: "
        "DuckDB's, 80% of RAM); DuckDB spills to disk beyond it.",
    )

    # Storage backend: the embedded DuckDB file (needs nothing else) or a DuckLake lakehouse
    # (catalog in PostgreSQL, Parquet data on disk or S3) for concurrent regions and remote readers.
    warehouse: Literal["duckdb", "ducklake"] = "duckdb"
    lake_catalog: str | None = Field(
        None, description="DuckLake catalog: a PostgreSQL DSN (password from PGPASSWORD)."
    )
    lake_data: str | None = Field(
        None, description="DuckLake data: a directory or s3:// URL; default $DRUGTRENDS_HOME/lake."
    )
    concurrency: int = Field(
        1, ge=1, description="Regions ingested at once (DuckLake only; DuckDB has one writer)."
    )
    commit_retries: int = Field(5, ge=0, description="Retries of a conflicting DuckLake commit.")
    # S3-compatible storage for DuckLake data: the standard AWS variables, or DRUGTRENDS_S3_*.
    s3_endpoint: str | None = Field(
        None, validation_alias=AliasChoices("DRUGTRENDS_S3_ENDPOINT", "AWS_ENDPOINT_URL")
    )
    s3_region: str | None = Field(
        None,
        validation_alias=AliasChoices("DRUGTRENDS_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
    )
    s3_key_id: str | None = Field(
        None, validation_alias=AliasChoices("DRUGTRENDS_S3_KEY_ID", "AWS_ACCESS_KEY_ID")
    )
    s3_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("DRUGTRENDS_S3_SECRET", "AWS_SECRET_ACCESS_KEY")
    )
    s3_session_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("DRUGTRENDS_S3_SESSION_TOKEN", "AWS_SESSION_TOKEN")
    )

    def read_limits(self):
        from drugtrends.raw.readers import ReadLimits

        return ReadLimits(
            max_bytes=self.max_source_bytes,
            max_cells=self.max_sheet_cells,
            max_rows=self.max_sheet_rows,
            seconds=self.read_timeout_seconds,
        )

    def allowed_roots(self) -> list[Path]:
        roots = self.source_roots or [self.sources_file.parent]
        return [Path(r).resolve() for r in roots]

    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse" / "warehouse.duckdb"

    @property
    def lake_data_path(self) -> str:
        """Where DuckLake writes Parquet: a directory (with a trailing slash) or an s3:// URL."""
        data = self.lake_data or str(self.home / "lake")
        return data if data.endswith("/") else data + "/"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def current_snapshot(self) -> Path:
        return self.published_dir / "current.duckdb"

    @property
    def demo_dir(self) -> Path:
        return self.home / "demo"

    @property
    def sources_file(self) -> Path:
        return self.sources if self.sources is not None else self.demo_dir / "sources.yaml"

    @property
    def gx_dir(self) -> Path:
        return self.home / "gx"

    @property
    def data_docs_index(self) -> Path:
        return self.gx_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    @property
    def contracts(self) -> Path:
        from drugtrends.contracts import CONTRACTS_DIR

        return self.contracts_dir if self.contracts_dir is not None else CONTRACTS_DIR

    def docs_dir(self) -> Path | None:
        """Where GX keeps its Data Docs project, or None when they are switched off."""
        return self.gx_dir if self.data_docs else None

    @property
    def alert_log(self) -> Path:
        return self.home / "alerts.log"


def get_settings(**overrides: object) -> Settings:
    """Build settings from the environment now (never cached: tests change the environment)."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    settings.home = settings.home.resolve()
    return settings
