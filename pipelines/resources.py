"""Dagster resources: the one settings object, injected where assets need paths and sources,
and the storage backend it selects (``DRUGTRENDS_WAREHOUSE``)."""

from __future__ import annotations

import dagster as dg

from drugtrends.settings import Settings, get_settings
from drugtrends.storage import Warehouse, open_warehouse


class DrugTrendsSettings(dg.ConfigurableResource):
    """Wraps :class:`drugtrends.settings.Settings`; set fields only to override the environment."""

    home: str | None = None
    sources: str | None = None

    def get(self) -> Settings:
        overrides = {k: v for k, v in (("home", self.home), ("sources", self.sources)) if v}
        return get_settings(**overrides)

    def store(self) -> Warehouse:
        """The warehouse the settings select: the DuckDB file or the DuckLake lakehouse."""
        return open_warehouse(self.get())
