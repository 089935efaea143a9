-- Comparison basis, country x series x year figures (marts.trend_series, country level).
select
    'series' as grain,
    'annual_seizures' as dataset,
    level,
    area,
    area_name,
    series,
    '' as detail,
    year,
    kg as value,
    'kg' as unit,
    source_files
from marts.trend_series
where level = 'country'
