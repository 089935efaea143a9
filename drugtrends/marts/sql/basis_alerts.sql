-- Comparison basis, alerts: an alert is new when its key was not in the previous snapshot.
select
    'alert' as grain,
    'alerts' as dataset,
    level,
    area,
    area_name,
    series,
    kind as detail,
    year,
    coalesce(value, baseline) as value,
    unit,
    source_files
from marts.alerts
