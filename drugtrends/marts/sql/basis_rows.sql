-- Comparison basis, source-row level: the annual rows under their key (country, group,
-- subgroup, drug, year); rows with the same key add up, as the contract says.
select
    'source_row' as grain,
    'annual_seizures' as dataset,
    'country' as level,
    country_iso3 as area,
    mode(country_name) as area_name,
    drug_subgroup as series,
    drug_group || ' / ' || drug as detail,
    year,
    sum(kg) as value,
    'kg' as unit,
    list_sort(list_distinct(list(source_file))) as source_files
from core.annual_seizures
group by country_iso3, drug_group, drug_subgroup, drug, year
