-- The series the trend intelligence reads (alerts, trend tests, changes, prices, per-capita):
-- level (global, region, subregion, country) x series x year, kg and countries reporting.
-- This is the one swappable input: today a series is a drug subgroup of
-- marts.annual_seizures_by_subgroup ('Reported total ...' subgroups are left out: they overlap
-- the others); when the World Drug Report series mart exists, only this file changes.
with

subgroups as (
    select * from marts.annual_seizures_by_subgroup where rollup_role <> 'reported_total'
),

regions as (
    select iso3, region, nullif(subregion, '') as subregion from ref_unodc_regions
),

country as (
    select
        s.country_iso3,
        s.country_name,
        coalesce(s.region, r.region) as region,
        coalesce(s.subregion, r.subregion) as subregion,
        s.drug_subgroup as series,
        s.drug_group,
        s.year,
        s.kg,
        list_distinct(list_transform(s.provenance, p -> split_part(p, '#', 1))) as source_files
    from subgroups as s
    left join regions as r on r.iso3 = s.country_iso3
),

levels as (
    select
        'country' as level, country_iso3 as area, country_name as area_name, region,
        series, drug_group, year, kg, 1::bigint as countries_reporting, source_files
    from country
    union all
    select
        'subregion', subregion, subregion, region, series, drug_group, year,
        sum(kg), count(*), list_sort(list_distinct(flatten(list(source_files))))
    from country
    where subregion is not null
    group by all
    union all
    select
        'region', region, region, region, series, drug_group, year,
        sum(kg), count(*), list_sort(list_distinct(flatten(list(source_files))))
    from country
    group by all
    union all
    select
        'global', 'World', 'World', null, series, drug_group, year,
        sum(kg), count(*), list_sort(list_distinct(flatten(list(source_files))))
    from country
    group by all
)

select
    level,
    area,
    area_name,
    region,
    series,
    drug_group,
    year,
    kg,
    countries_reporting,
    list_sort(source_files) as source_files
from levels
order by level, area, series, year
