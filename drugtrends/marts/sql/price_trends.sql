-- Drug prices per country x series x level of sale x year, in USD per gram (prices whose unit is a
-- mass; per-tablet or per-unit prices are left out). Several rows for the same key (e.g. two
-- spellings of the same drug) give the median typical price, the lowest minimum and the highest
-- maximum. Year-on-year change only when the previous calendar year is present.
with

prices as (
    select * from core.drug_prices
    where base_unit = 'g' and series is not null and country_iso3 is not null
),

per_year as (
    select
        country_iso3,
        mode(country_name) as country_name,
        mode(region) as region,
        series,
        level_of_sale,
        year,
        median(typical_usd_per_base_unit) as typical_usd_per_gram,
        min(minimum_usd_per_base_unit) as minimum_usd_per_gram,
        max(maximum_usd_per_base_unit) as maximum_usd_per_gram,
        count(*) as source_rows,
        list_sort(list_distinct(list(source_file))) as source_files
    from prices
    group by country_iso3, series, level_of_sale, year
)

select
    p.country_iso3,
    p.country_name,
    p.region,
    p.series,
    p.level_of_sale,
    p.year,
    p.typical_usd_per_gram,
    p.minimum_usd_per_gram,
    p.maximum_usd_per_gram,
    case when prev.typical_usd_per_gram > 0
        then (p.typical_usd_per_gram - prev.typical_usd_per_gram) / prev.typical_usd_per_gram * 100
    end as yoy_change_pct,
    p.source_rows,
    p.source_files
from per_year as p
left join per_year as prev
    on prev.country_iso3 = p.country_iso3 and prev.series = p.series
    and prev.level_of_sale = p.level_of_sale and prev.year = p.year - 1
order by p.country_iso3, p.series, p.level_of_sale, p.year
