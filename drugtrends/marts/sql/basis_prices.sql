-- Comparison basis, source-row level: drug prices (typical USD per the stated unit).
select
    'source_row' as grain,
    'drug_prices' as dataset,
    'country' as level,
    coalesce(country_iso3, country_name) as area,
    mode(country_name) as area_name,
    drug as series,
    level_of_sale || ' per ' || unit as detail,
    year,
    avg(typical_usd) as value,
    'USD' as unit,
    list_sort(list_distinct(list(source_file))) as source_files
from core.drug_prices
group by all
