-- Who reported what: country x year x dataset x series, with status
--   reported_quantity : the country reported more than 0 of the series that year;
--   reported_zero     : it reported the series as none seized (annual 0 kg, or case-level
--                       rows whose amounts are all 0);
--   not_reported      : it reported nothing for the series that year.
-- The frame of each dataset is every country that reported anything in it (any year, any
-- series) x every year of the dataset x every series seen in the dataset, so "not reported" is
-- a row, never a silent gap. Annual figures come from marts.seizure_series (country level),
-- case-level ones from marts.seizure_cases (each distinct report once).
with

annual as (
    select * from marts.seizure_series where level = 'country'
),

cases as (
    select * from marts.seizure_cases
    where country_iso3 is not null and series_id is not null and not is_duplicate
),

series as (
    select * from ref_series
),

reported as (
    select
        'annual_seizures' as dataset,
        area as country_iso3,
        year,
        series_id,
        case when kg > 0 then 'reported_quantity' else 'reported_zero' end as status,
        kg,
        null::bigint as seizures,
        source_rows
    from annual
    union all
    select
        'individual_seizures' as dataset,
        country_iso3,
        year,
        series_id,
        case when sum(quantity) > 0 then 'reported_quantity' else 'reported_zero' end as status,
        sum(kg_equivalent) as kg,
        count(*) as seizures,
        count(*) as source_rows
    from cases
    group by all
),

countries as (
    select country_iso3, any_value(region) as region, any_value(country_name) as country_name
    from (
        select area as country_iso3, region, area_name as country_name from annual
        union all
        select country_iso3, region, null as country_name from cases
    )
    group by country_iso3
),

frame as (
    select c.dataset, c.country_iso3, y.year, s.series_id
    from (select distinct dataset, country_iso3 from reported) as c
    join (select distinct dataset, year from reported) as y using (dataset)
    join (select distinct dataset, series_id from reported) as s using (dataset)
)

select
    f.dataset,
    k.region,
    f.country_iso3,
    coalesce(k.country_name, f.country_iso3) as country_name,
    f.year,
    f.series_id,
    s.series,
    s.family,
    coalesce(r.status, 'not_reported') as status,
    r.kg,
    r.seizures,
    coalesce(r.source_rows, 0)::bigint as source_rows
from frame as f
join series as s using (series_id)
left join countries as k using (country_iso3)
left join reported as r
    on r.dataset = f.dataset
    and r.country_iso3 = f.country_iso3
    and r.year = f.year
    and r.series_id = f.series_id
order by f.dataset, f.country_iso3, f.year, s.sort_order
