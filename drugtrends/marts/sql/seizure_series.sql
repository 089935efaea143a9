-- Headline series as the World Drug Report presents them (reference/series.csv), by level
-- (global, region, subregion, country) x series x year, with coverage and like-for-like change.
--   * A series is a set of members (reference/series_members.csv): whole subgroups, taken from
--     marts.annual_seizures_by_subgroup (a country's "Total ..." row already stands for its
--     subgroup there), or single drugs of a subgroup (opium, heroin and morphine are drugs of
--     the subgroup "Opiates"), taken from core.annual_seizures (total rows are never members).
--   * Members with role 'reported_total' overlap the others: a country's figure is the larger of
--     its components' sum and its reported total, never both added (basis says which).
--   * Series never overlap and are never summed with each other here: coca leaf is not cocaine,
--     cannabis plants are not herb, precursors are not drugs (family says which is which).
--   * Coverage: usual_reporters are the countries of the area that reported the series in any
--     year of the data; coverage_share = countries_reporting / usual_reporters; low_coverage
--     when below reference/thresholds.csv min_coverage_share.
--   * Like-for-like change: over the countries that reported the series in both years.
--     yoy_flag: 'small_base' (previous year under yoy_min_base_kg, or above country level fewer
--     than yoy_min_base_countries countries), 'reporters_changed' (the countries reporting in
--     both years hold less than yoy_min_like_for_like_share of either year's quantity).
with

by_subgroup as (
    select * from marts.annual_seizures_by_subgroup
),

seizures as (
    select * from core.annual_seizures
),

series as (
    select * from ref_series
),

members as (
    select * from ref_series_members
),

thresholds as (
    select * from ref_thresholds
),

settings as (
    select
        max(value) filter (where name = 'min_coverage_share') as min_coverage_share,
        max(value) filter (where name = 'yoy_min_base_kg') as min_base_kg,
        max(value) filter (where name = 'yoy_min_base_countries') as min_base_countries,
        max(value) filter (where name = 'yoy_min_like_for_like_share') as min_like_share
    from thresholds
),

countries as (
    select
        country_iso3,
        mode(region) as region,
        mode(subregion) as subregion,
        mode(country_name) as country_name
    from by_subgroup
    group by country_iso3
),

subgroup_members as (
    select
        m.series_id,
        m.role,
        b.country_iso3,
        b.year,
        b.kg,
        b.source_rows,
        b.provenance,
        b.contract_version
    from by_subgroup as b
    join members as m
        on m.drug_group = b.drug_group
        and m.drug_subgroup = b.drug_subgroup
        and m.drug is null
),

drug_members as (
    select
        m.series_id,
        m.role,
        s.country_iso3,
        s.year,
        s.kg,
        1 as source_rows,
        [s.source_file || '#' || s.source_row] as provenance,
        s.contract_version
    from seizures as s
    join members as m
        on m.drug_group = s.drug_group
        and m.drug_subgroup = s.drug_subgroup
        and lower(trim(m.drug)) = lower(trim(s.drug))
    where not s.is_total_row
),

member_rows as (
    select * from subgroup_members
    union all by name
    select * from drug_members
),

country_series as (
    select
        series_id,
        country_iso3,
        year,
        sum(kg) filter (where role = 'component') as component_kg,
        sum(kg) filter (where role = 'reported_total') as reported_total_kg,
        sum(source_rows)::bigint as source_rows,
        list_sort(flatten(list(provenance))) as provenance,
        list_sort(list_distinct(flatten(list(string_split(contract_version, ',')))))
            as contract_versions
    from member_rows
    group by series_id, country_iso3, year
),

country_figures as (
    select
        c.*,
        k.region,
        k.subregion,
        k.country_name,
        greatest(coalesce(c.component_kg, 0), coalesce(c.reported_total_kg, 0)) as kg,
        case
            when coalesce(c.reported_total_kg, 0) > coalesce(c.component_kg, 0)
                then 'reported_total'
            else 'components'
        end as basis
    from country_series as c
    join countries as k using (country_iso3)
),

with_previous as (
    select
        c.*,
        p.kg as previous_kg
    from country_figures as c
    left join country_figures as p
        on p.series_id = c.series_id
        and p.country_iso3 = c.country_iso3
        and p.year = c.year - 1
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
        series_id,
        year,
        sum(kg) as kg,
        count(*) as countries_reporting,
        count(*) filter (where kg > 0) as countries_with_quantity,
        count(previous_kg) as countries_both_years,
        sum(kg) filter (where previous_kg is not null) as kg_both_years,
        sum(previous_kg) as kg_previous_year_both_years,
        case when count(*) = 1 then any_value(basis) end as basis,
        sum(source_rows)::bigint as source_rows,
        list_sort(flatten(list(provenance))) as provenance,
        list_sort(list_distinct(flatten(list(contract_versions)))) as contract_versions
    from with_previous
    group by grouping sets (
        (series_id, year),
        (series_id, year, region),
        (series_id, year, region, subregion),
        (series_id, year, region, subregion, country_iso3)
    )

    -- a country with no known subregion (continent only) is in no subregion figure
    having grouping(subregion) = 1 or grouping(country_iso3) = 0 or subregion is not null
),

usual as (
    select
        rollup_level(grouping(region, subregion, country_iso3)) as level,
        rollup_area(grouping(region, subregion, country_iso3), region, subregion, country_iso3)
            as area,
        series_id,
        count(distinct country_iso3) as usual_reporters
    from country_figures
    group by grouping sets (
        (series_id),
        (series_id, region),
        (series_id, region, subregion),
        (series_id, region, subregion, country_iso3)
    )

    having grouping(subregion) = 1 or grouping(country_iso3) = 0 or subregion is not null
),

global_totals as (
    select series_id, year, kg as global_kg
    from rolled
    where level = 'global'
),

figures as (
    select
        r.*,
        u.usual_reporters,
        r.countries_reporting / u.usual_reporters as coverage_share,
        p.kg as kg_previous_year,
        p.countries_reporting as countries_reporting_previous_year,
        g.global_kg
    from rolled as r
    join usual as u
        on u.level = r.level
        and u.area is not distinct from r.area
        and u.series_id = r.series_id
    left join rolled as p
        on p.level = r.level
        and p.area is not distinct from r.area
        and p.series_id = r.series_id
        and p.year = r.year - 1
    left join global_totals as g
        on g.series_id = r.series_id
        and g.year = r.year
),

flagged as (
    select
        f.*,
        f.coverage_share < s.min_coverage_share as low_coverage,
        f.kg_previous_year is not null
        and (
            f.kg_previous_year < s.min_base_kg
            or (f.level <> 'country' and f.countries_reporting_previous_year < s.min_base_countries)
        ) as small_base,
        f.kg_previous_year is not null
        and (
            (f.kg > 0 and f.kg_both_years < s.min_like_share * f.kg)
            or (
                f.kg_previous_year > 0
                and f.kg_previous_year_both_years < s.min_like_share * f.kg_previous_year
            )
        ) as reporters_changed
    from figures as f, settings as s
)

select
    f.level,
    f.area,
    f.area_name,
    f.region,
    f.series_id,
    s.series,
    s.family,
    s.unit,
    s.headline,
    s.sort_order,
    s.definition,
    f.year,
    f.kg,
    f.countries_reporting,
    f.countries_with_quantity,
    f.usual_reporters,
    f.coverage_share,
    f.low_coverage,
    f.kg_previous_year,
    f.countries_reporting_previous_year,
    f.kg - f.kg_previous_year as yoy_change_kg,
    case
        when f.kg_previous_year > 0
            then 100.0 * (f.kg - f.kg_previous_year) / f.kg_previous_year
    end as yoy_change_pct,
    case when f.kg_previous_year is not null then f.countries_both_years end
        as countries_both_years,
    case when f.kg_previous_year is not null then f.kg_both_years end as kg_both_years,
    case when f.kg_previous_year is not null then f.kg_previous_year_both_years end
        as kg_previous_year_both_years,
    case
        when f.kg_previous_year_both_years > 0
            then 100.0 * (f.kg_both_years - f.kg_previous_year_both_years)
                / f.kg_previous_year_both_years
    end as yoy_like_for_like_pct,
    nullif(
        concat_ws(
            ',',
            case when f.small_base then 'small_base' end,
            case when f.reporters_changed then 'reporters_changed' end
        ),
        ''
    ) as yoy_flag,
    case when f.global_kg > 0 then f.kg / f.global_kg end as share_of_global,
    f.basis,
    f.source_rows,
    f.provenance,
    array_to_string(f.contract_versions, ',') as contract_version
from flagged as f
join series as s using (series_id)
order by f.level, f.area, s.sort_order, f.year
