-- Rollups by level (global, region, subregion, country) x drug group / subgroup x year, with
-- countries reporting, year-on-year change and share of the global total.
--   grain = 'drug_subgroup': one subgroup (drug_subgroup set);
--   grain = 'drug_group'   : the whole group (drug_subgroup null). Per country and year the group
--     is max(sum of component subgroups, sum of 'Reported total' subgroups): a reported total
--     includes the components, so it is never added on top of them. Excluded subgroups (coca leaf
--     and bush) are left out of the group.
-- yoy_flag = 'small_base' when the previous year is under yoy_min_base_kg or, above country
-- level, fewer than yoy_min_base_countries countries reported it (reference/thresholds.csv); the
-- headline series (seizure_series.sql) also give like-for-like change.
with

thresholds as (
    select * from ref_thresholds
),

settings as (
    select
        max(value) filter (where name = 'yoy_min_base_kg') as min_base_kg,
        max(value) filter (where name = 'yoy_min_base_countries') as min_base_countries
    from thresholds
),

by_subgroup as (
    select * from marts.annual_seizures_by_subgroup
),

country_groups as (
    select
        region, subregion, country_iso3, country_name, year, drug_group,
        coalesce(sum(kg) filter (where rollup_role = 'component'), 0) as component_kg,
        sum(kg) filter (where rollup_role = 'reported_total') as reported_total_kg,
        count(*) filter (where rollup_role <> 'excluded') as included_subgroups
    from by_subgroup
    group by all
),

country_rows as (
    select
        'drug_subgroup' as grain, region, subregion, country_iso3, country_name, year,
        drug_group, drug_subgroup, kg
    from by_subgroup
    union all
    select
        'drug_group' as grain, region, subregion, country_iso3, country_name, year,
        drug_group, null as drug_subgroup,
        greatest(component_kg, coalesce(reported_total_kg, 0)) as kg
    from country_groups
    where included_subgroups > 0
),

rolled as (
    select
        rollup_level(grouping(region, subregion, country_iso3)) as level,
        rollup_area(grouping(region, subregion, country_iso3), region, subregion, country_iso3)
            as area,
        rollup_area(
            grouping(region, subregion, country_iso3), region, subregion, any_value(country_name)
        ) as area_name,
        case when grouping(region) = 1 then null else region end as region,
        grain, year, drug_group, drug_subgroup,
        sum(kg) as kg,
        count(distinct country_iso3) as countries_reporting
    from country_rows
    group by grouping sets (
        (grain, year, drug_group, drug_subgroup),
        (grain, year, drug_group, drug_subgroup, region),
        (grain, year, drug_group, drug_subgroup, region, subregion),
        (grain, year, drug_group, drug_subgroup, region, subregion, country_iso3)
    )
),

with_previous as (
    select
        *,
        lag(year) over series as previous_year,
        lag(kg) over series as previous_kg,
        lag(countries_reporting) over series as previous_countries
    from rolled
    window series as (
        partition by level, area, grain, drug_group, drug_subgroup order by year
    )
),

global_totals as (
    select grain, year, drug_group, drug_subgroup, kg as global_kg
    from rolled
    where level = 'global'
)

select
    p.level,
    p.area,
    p.area_name,
    p.region,
    p.grain,
    p.drug_group,
    p.drug_subgroup,
    p.year,
    p.kg,
    p.countries_reporting,
    case when p.previous_year = p.year - 1 then p.previous_kg end as kg_previous_year,
    case when p.previous_year = p.year - 1 then p.kg - p.previous_kg end as yoy_change_kg,
    case
        when p.previous_year = p.year - 1 and p.previous_kg > 0
            then 100.0 * (p.kg - p.previous_kg) / p.previous_kg
    end as yoy_change_pct,
    case when g.global_kg > 0 then p.kg / g.global_kg end as share_of_global,
    case when p.previous_year = p.year - 1 then p.previous_countries end
        as countries_reporting_previous_year,
    case
        when p.previous_year = p.year - 1
            and (
                p.previous_kg < st.min_base_kg
                or (p.level <> 'country' and p.previous_countries < st.min_base_countries)
            )
            then 'small_base'
    end as yoy_flag
from with_previous as p
cross join settings as st
left join global_totals as g
    on g.grain = p.grain
    and g.year = p.year
    and g.drug_group = p.drug_group
    and g.drug_subgroup is not distinct from p.drug_subgroup
-- Countries with no known subregion (some in the earlier edition) count in their region and
-- the world, but make no subregion row.
where not (p.level = 'subregion' and p.area is null)
order by p.level, p.area, p.grain, p.drug_group, p.drug_subgroup, p.year
