"""The sources file: which submission feeds which dataset and region, and how to read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from drugtrends.errors import ConfigError
from drugtrends.reference import REGIONS

Format = Literal["json", "csv", "xlsx"]
FORMATS: tuple[str, ...] = ("json", "csv", "xlsx")
ALL_REGIONS = "all"


@dataclass(frozen=True)
class Source:
    dataset: str
    region: str  # one of REGIONS, or "all" (one file, rows carry their region)
    location: str  # absolute path or http(s) URL
    format: Format
    delimiter: str = ","
    sheet: str | None = None
    auth_env: str | None = None  # name of an environment variable holding a bearer token

    @property
    def is_remote(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    @property
    def name(self) -> str:
        """Short, credential-free name used in messages and provenance."""
        return self.location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]

    def feeds(self, dataset: str, region: str) -> bool:
        return self.dataset == dataset and self.region in (region, ALL_REGIONS)


def load_sources(path: Path) -> list[Source]:
    """Parse and check a sources file; relative locations are relative to the file."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: sources file not found") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a top-level 'sources:' list")
    return [_parse_entry(path, i, entry) for i, entry in enumerate(entries, start=1)]


def _parse_entry(path: Path, index: int, entry: object) -> Source:
    where = f"{path}, source #{index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping")
    missing = [k for k in ("dataset", "region", "location", "format") if not entry.get(k)]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    region = str(entry["region"])
    if region != ALL_REGIONS and region not in REGIONS:
        raise ConfigError(f"{where}: region {region!r} is not one of {', '.join(REGIONS)} or all")
    fmt = str(entry["format"]).lower()
    if fmt not in FORMATS:
        raise ConfigError(f"{where}: format {fmt!r} is not one of {', '.join(FORMATS)}")
    location = str(entry["location"])
    if not location.startswith(("http://", "https://")):
        location = str((path.parent / location).resolve())
    return Source(
        dataset=str(entry["dataset"]),
        region=region,
        location=location,
        format=fmt,  # type: ignore[arg-type]
        delimiter=str(entry.get("delimiter", ",")),
        sheet=entry.get("sheet"),
        auth_env=entry.get("auth_env"),
    )
