-- Seizures beside prices, per country x series x year: seized kg (marts.trend_series) and the
-- typical retail and wholesale price per gram (marts.price_trends), with the year-on-year
-- direction of each (up, down, or flat within change_flat_pct) and the World Drug Report's
-- reading of the combination (reference/supply_readings.csv). The price direction is the retail
-- one where there is a retail price in both years, else the wholesale one (price_level_used).
-- A reading is a documented hypothesis about the market, not a finding.
with

t as (
    select max(value::double) filter (where name = 'change_flat_pct') as flat_pct
    from ref_trend_thresholds
),

seizures as (
    select area as country_iso3, area_name as country_name, region, series, year, kg,
        source_files
    from marts.trend_series
    where level = 'country'
),

prices as (
    select * from marts.price_trends
),

joined as (
    select
        s.*,
        r.typical_usd_per_gram as retail_usd_per_gram,
        w.typical_usd_per_gram as wholesale_usd_per_gram,
        r.yoy_change_pct as retail_change_pct,
        w.yoy_change_pct as wholesale_change_pct,
        prev.kg as kg_previous_year,
        case when prev.kg > 0 then (s.kg - prev.kg) / prev.kg * 100 end as seizure_change_pct,
        list_distinct(flatten([s.source_files, coalesce(r.source_files, []),
            coalesce(w.source_files, [])])) as all_source_files
    from seizures as s
    left join prices as r on r.country_iso3 = s.country_iso3 and r.series = s.series
        and r.year = s.year and r.level_of_sale = 'Retail'
    left join prices as w on w.country_iso3 = s.country_iso3 and w.series = s.series
        and w.year = s.year and w.level_of_sale = 'Wholesale'
    left join seizures as prev on prev.country_iso3 = s.country_iso3
        and prev.series = s.series and prev.year = s.year - 1
    where r.typical_usd_per_gram is not null or w.typical_usd_per_gram is not null
),

directions as (
    select
        j.*,
        case when j.retail_change_pct is not null then 'Retail'
            when j.wholesale_change_pct is not null then 'Wholesale' end as price_level_used,
        coalesce(j.retail_change_pct, j.wholesale_change_pct) as price_change_pct
    from joined as j
),

labelled as (
    select
        d.*,
        case when d.seizure_change_pct > t.flat_pct then 'up'
            when d.seizure_change_pct < -t.flat_pct then 'down'
            when d.seizure_change_pct is not null then 'flat' end as seizure_direction,
        case when d.price_change_pct > t.flat_pct then 'up'
            when d.price_change_pct < -t.flat_pct then 'down'
            when d.price_change_pct is not null then 'flat' end as price_direction
    from directions as d
    cross join t
)

select
    l.country_iso3,
    l.country_name,
    l.region,
    l.series,
    l.year,
    l.kg,
    l.kg_previous_year,
    l.seizure_change_pct,
    l.retail_usd_per_gram,
    l.wholesale_usd_per_gram,
    l.price_level_used,
    l.price_change_pct,
    l.seizure_direction,
    l.price_direction,
    r.reading,
    r.note as reading_note,
    list_sort(l.all_source_files) as source_files
from labelled as l
left join ref_supply_readings as r
    on r.seizure_direction = l.seizure_direction and r.price_direction = l.price_direction
order by l.country_iso3, l.series, l.year
