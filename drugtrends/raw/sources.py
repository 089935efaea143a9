"""The sources file: which submission feeds which dataset and region, and how to read it.

The file is checked whole before anything runs, and every problem is reported at once, each
with the file and line (:class:`ConfigError`): YAML is read with the safe loader and at most
``MAX_ALIASES`` aliases (an alias bomb fails instead of hanging), entries are checked against a
schema (unknown datasets, regions, formats or keys, with a "did you mean"), an entry listed twice
or two entries claiming the same region of a dataset (either would count its rows twice), local
paths outside the allowed roots and URLs other than http(s) are refused.

A top-level ``synthetic: true`` marks every entry as invented data (the generated demo's sources
do); an entry may say otherwise with its own ``synthetic:``. The published snapshot records it.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from drugtrends.errors import ConfigError
from drugtrends.reference import REGIONS

Format = Literal["json", "csv", "xlsx"]
FORMATS: tuple[str, ...] = ("json", "csv", "xlsx")
# The datasets a sources file can feed: the contracts with no published table of their own
# (tests/unit/test_sources.py holds this list to data_contracts/).
DATASETS: tuple[str, ...] = ("annual_seizures", "individual_seizures", "drug_prices", "population")
ALL_REGIONS = "all"
KEYS = ("dataset", "region", "location", "format", "delimiter", "sheet", "auth_env")
REQUIRED = ("dataset", "region", "location", "format")
MAX_ALIASES = 20
MAX_FILE_BYTES = 1024 * 1024
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null")}


@dataclass(frozen=True)
class Source:
    dataset: str
    region: str  # one of REGIONS, or "all" (one file, rows carry their region)
    location: str  # absolute path or http(s) URL
    format: Format
    delimiter: str = ","
    sheet: str | None = None
    auth_env: str | None = None  # name of an environment variable holding a bearer token
    line: int = field(default=0, compare=False)  # where the entry starts in the sources file
    # Invented figures (the demo): the published snapshot says so, and nothing cites a producer.
    synthetic: bool = False

    @property
    def is_remote(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    @property
    def name(self) -> str:
        """Short, credential-free name used in messages and provenance."""
        return self.location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]

    def feeds(self, dataset: str, region: str) -> bool:
        return self.dataset == dataset and self.region in (region, ALL_REGIONS)


def load_sources(path: Path, roots: Sequence[Path] | None = None) -> list[Source]:
    """Parse and check a sources file; relative locations are relative to the file.

    ``roots``: directories local sources must be inside (default: the file's own directory).
    """
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: sources file not found") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: sources file cannot be read ({exc.strerror})") from exc
    allowed = tuple(Path(r).resolve() for r in (roots or [path.parent]))
    return list(_load(path.resolve(), stat.st_mtime_ns, stat.st_size, allowed))


@functools.lru_cache(maxsize=8)
def _load(
    path: Path, _mtime: int, size: int, roots: tuple[Path, ...]
) -> tuple[Source, ...]:  # cached per file version: parsed once per run, not once per asset
    if size > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: {size:,} bytes, more than a sources file holds")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    node = _compose(path, text)
    problems: list[str] = []
    sources = _entries(path, node, roots, problems)
    problems += _conflicts(path, sources)
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(sources)


class _Loader(yaml.SafeLoader):
    """The safe loader, counting aliases as it composes (before any object is built)."""

    aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise ConfigError(
                    f"{self.name}, line {mark.line + 1}: more than {MAX_ALIASES} YAML aliases "
                    "(a sources file needs none)"
                )
        return super().compose_node(parent, index)


def _compose(path: Path, text: str) -> yaml.Node | None:
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({exc.problem or exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    finally:
        loader.dispose()


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _entries(
    path: Path, doc: yaml.Node | None, roots: tuple[Path, ...], problems: list[str]
) -> list[Source]:
    entries = None
    synthetic: bool | None = False
    if isinstance(doc, yaml.MappingNode):
        for key, value in doc.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "sources":
                entries = value
            elif isinstance(key, yaml.ScalarNode) and key.value == "synthetic":
                synthetic = _flag(value, f"{path}, line {_line(key)}", problems)
            else:
                problems.append(
                    f"{path}, line {_line(key)}: unknown top-level key (only sources: and "
                    "synthetic:)"
                )
    if not isinstance(entries, yaml.SequenceNode):
        line = f", line {_line(entries)}" if entries is not None else ""
        raise ConfigError(f"{path}{line}: expected a top-level 'sources:' list")
    sources = []
    for node in entries.value:
        found = _entry(path, node, roots, problems, bool(synthetic))
        if found is not None:
            sources.append(found)
    return sources


def _flag(node: yaml.Node, where: str, problems: list[str]) -> bool | None:
    """A ``synthetic:`` value: YAML true or false, nothing else (no "yes please", no 1)."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on")
    shown = repr(node.value) if isinstance(node, yaml.ScalarNode) else "a list or mapping"
    problems.append(f"{where}: synthetic must be true or false, not {shown}")
    return None


def _entry(
    path: Path, node: yaml.Node, roots: tuple[Path, ...], problems: list[str], synthetic: bool
) -> Source | None:
    where = f"{path}, line {_line(node)}"
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{where}: expected a mapping (dataset:, region:, location:, format:)")
        return None
    values: dict[str, str] = {}
    unusable: set[str] = set()
    before = len(problems)
    for key, value in node.value:
        at = f"{path}, line {_line(key)}"
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name == "synthetic":
            synthetic = bool(_flag(value, at, problems))
        elif name not in KEYS:
            problems.append(
                f"{at}: unknown key {name!r}{_did_you_mean(str(name), (*KEYS, 'synthetic'))}"
            )
        elif name in values:
            problems.append(f"{at}: {name} is given twice in this entry")
        elif not isinstance(value, yaml.ScalarNode) or value.tag not in _PLAIN_TAGS:
            kind = value.tag if isinstance(value, yaml.ScalarNode) else "a list or mapping"
            problems.append(f"{at}: {name} must be plain text, not {kind}")
            unusable.add(name)
        elif value.tag != "tag:yaml.org,2002:null" and value.value.strip():
            values[name] = value.value
    missing = [k for k in REQUIRED if k not in values and k not in unusable]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    if len(problems) > before:
        return None
    dataset, region, fmt = values["dataset"], values["region"], values["format"].lower()
    if dataset not in DATASETS:
        problems.append(
            f"{where}: unknown dataset {dataset!r}{_did_you_mean(dataset, DATASETS)} "
            f"(datasets: {', '.join(DATASETS)})"
        )
    if region != ALL_REGIONS and region not in REGIONS:
        choices = (*REGIONS, ALL_REGIONS)
        problems.append(
            f"{where}: unknown region {region!r}{_did_you_mean(region, choices)} "
            f"(regions: {', '.join(REGIONS)} or all)"
        )
    if fmt not in FORMATS:
        problems.append(
            f"{where}: format {fmt!r} is not one of {', '.join(FORMATS)}"
            f"{_did_you_mean(fmt, FORMATS)}"
        )
    delimiter = values.get("delimiter", ",")
    if values.get("delimiter") == "\\t":
        delimiter = "\t"
    if len(delimiter) != 1:
        problems.append(f"{where}: delimiter {delimiter!r} must be one character")
    auth_env = values.get("auth_env")
    if auth_env is not None and not _ENV_NAME.match(auth_env):
        problems.append(f"{where}: auth_env {auth_env!r} is not an environment variable name")
    location = _location(values["location"], path, roots, where, problems)
    if len(problems) > before:
        return None
    return Source(
        dataset=dataset,
        region=region,
        location=location,
        format=fmt,  # type: ignore[arg-type]
        delimiter=delimiter,
        sheet=values.get("sheet"),
        auth_env=auth_env,
        line=_line(node),
        synthetic=synthetic,
    )


def _location(
    location: str, path: Path, roots: tuple[Path, ...], where: str, problems: list[str]
) -> str:
    scheme = _SCHEME.match(location)
    if scheme:
        if scheme.group(1).lower() not in ("http", "https"):
            problems.append(
                f"{where}: location {_shown(location)} uses {scheme.group(1)}://; "
                "only http(s) URLs and local paths are read"
            )
        return location
    if "\x00" in location:
        problems.append(f"{where}: location holds a NUL character")
        return location
    resolved = (path.parent / location).resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        problems.append(
            f"{where}: location {location!r} is outside the directories sources are read "
            f"from ({', '.join(str(r) for r in roots)}; setting DRUGTRENDS_SOURCE_ROOTS)"
        )
    return str(resolved)


def _shown(location: str) -> str:
    return repr(location.split("?", 1)[0])  # query strings hold credentials


def _did_you_mean(value: str, choices: Sequence[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""


def _conflicts(path: Path, sources: list[Source]) -> list[str]:
    """Entries that would count the same rows twice: listed twice, or one region claimed twice."""
    problems = []
    seen: dict[tuple[str, str, str], Source] = {}
    claimed: dict[tuple[str, str], Source] = {}
    for s in sources:
        key = (s.dataset, s.region, s.location)
        if key in seen:
            problems.append(
                f"{path}, line {s.line}: the same entry as line {seen[key].line} "
                f"({s.dataset}, {s.region}, {s.name}): its rows would be counted twice"
            )
            continue
        seen[key] = s
        for region in REGIONS if s.region == ALL_REGIONS else (s.region,):
            other = claimed.get((s.dataset, region))
            if other is not None:
                problems.append(
                    f"{path}, line {s.line}: {s.dataset} for {region} is already read from "
                    f"{other.name} (line {other.line}); one region takes one source per "
                    "dataset (merge the files, or name each region's own file)"
                )
                break
            claimed[(s.dataset, region)] = s
    return problems
