"""Marts: set-based aggregates over the core tables, one SQL file each."""


import dagster as dg

from drugtrends.marts import MARTS, build_mart
from drugtrends.warehouse import warehouse
from pipelines.resources import DrugTrendsSettings

DESCRIPTIONS = {
    "annual_seizures_by_subgroup": "One row per country x year x drug group x subgroup, "
                                   "following UNODC's aggregation rules (total rows, coca leaf, "
                                   "reported totals).",
    "seizure_trends": "Rollups by level x drug group/subgroup x year with countries reporting, "
                      "year-on-year change and share of the global total.",
}


def _mart_asset(name: str, deps: list[str]) -> dg.AssetsDefinition:
    @dg.asset(name=name, deps=deps, group_name="marts", kinds={"duckdb", "sql"},
              description=DESCRIPTIONS.get(name, ""))
    def mart(drugtrends: DrugTrendsSettings) -> dg.MaterializeResult:
        with warehouse(drugtrends.get().warehouse_path) as con:
            rows = build_mart(con, name)
        return dg.MaterializeResult(metadata={"rows": rows})

    return mart


def mart_assets() -> list[dg.AssetsDefinition]:
    built: list[dg.AssetsDefinition] = []
    previous: list[str] = []
    for name, sources in MARTS.items():
        built.append(_mart_asset(name, [*sources, *previous]))
        previous = [name]
    return built
