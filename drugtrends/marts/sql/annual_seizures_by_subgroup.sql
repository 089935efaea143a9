-- One row per country x year x drug group x drug subgroup, following UNODC's aggregation rules:
--   * rows with the same key add up (quantities reported in different units, converted apart);
--   * where a country reports a subgroup "Total ..." row, that row stands for the subgroup and
--     the component rows are not added on top (basis = 'total_row');
--   * coca leaf / coca bush stay in their own subgroup ('Coca-type'), never in 'Cocaine';
--   * 'Reported total ...' subgroups are kept as rows with rollup_role = 'reported_total', so a
--     group rollup can avoid adding them to the components (see seizure_trends.sql).
with

seizures as (
    select * from core.annual_seizures
),

per_subgroup as (
    select
        country_iso3,
        year,
        drug_group,
        drug_subgroup,
        mode(region) as region,
        mode(subregion) as subregion,
        mode(country_name) as country_name,
        any_value(rollup_role) as rollup_role,
        sum(kg) filter (where is_total_row) as total_row_kg,
        sum(kg) filter (where not is_total_row) as component_kg,
        count(*) filter (where is_total_row) as total_rows,
        count(*) as source_rows,
        list(source_file || '#' || source_row order by source_file, source_row) as provenance,
        string_agg(distinct contract_version, ',') as contract_version
    from seizures
    group by country_iso3, year, drug_group, drug_subgroup
)

select
    region,
    subregion,
    country_iso3,
    country_name,
    year,
    drug_group,
    drug_subgroup,
    case when total_rows > 0 then total_row_kg else component_kg end as kg,
    case when total_rows > 0 then 'total_row' else 'components' end as basis,
    rollup_role,
    source_rows,
    provenance,
    contract_version
from per_subgroup
order by region, country_iso3, year, drug_group, drug_subgroup
