-- Comparison basis, countries reporting each series per region and worldwide.
select
    'coverage' as grain,
    'annual_seizures' as dataset,
    level,
    area,
    area_name,
    series,
    '' as detail,
    year,
    countries_reporting::double as value,
    'countries' as unit,
    source_files
from marts.trend_series
where level in ('region', 'global')
