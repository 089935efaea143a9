-- Alerts on the seizure series (country level): spikes and drops against a robust baseline, and
-- countries that start or stop reporting a series. Thresholds: ref_trend_thresholds.
--   spike / drop: the baseline is the median of the country's reported values (0 kg counts) in
--     the baseline_years calendar years before, with at least baseline_min_years of them; the
--     score is value / median; the robust z-score is |value - median| / (1.4826 x MAD) and must
--     also pass robust_z unless the MAD is 0. Series-years below min_kg are ignored.
--   stopped_reporting: reported in year - 1, nothing in year, while other countries reported the
--     series in that year (so it is not just the end of the data).
--   started_reporting: first year the country reports the series, later than the series' first
--     year in the data (so it is not just the start of the data).
with

t as (
    select
        max(value::double) filter (where name = 'baseline_years') as baseline_years,
        max(value::double) filter (where name = 'baseline_min_years') as baseline_min_years,
        max(value::double) filter (where name = 'spike_ratio') as spike_ratio,
        max(value::double) filter (where name = 'drop_ratio') as drop_ratio,
        max(value::double) filter (where name = 'robust_z') as robust_z,
        max(value::double) filter (where name = 'min_kg') as min_kg
    from ref_trend_thresholds
),

series as (
    select * from marts.trend_series where level = 'country'
),

pairs as (
    select s.area, s.series, s.year, b.year as base_year, b.kg as base_kg
    from series as s
    cross join t
    join series as b
        on b.area = s.area and b.series = s.series
        and b.year < s.year and b.year >= s.year - t.baseline_years
),

medians as (
    select area, series, year, median(base_kg) as baseline, count(*) as base_n,
        min(base_year) as base_from, max(base_year) as base_to
    from pairs
    group by all
),

baselines as (
    select m.*, median(abs(p.base_kg - m.baseline)) as mad
    from medians as m
    join pairs as p using (area, series, year)
    group by all
),

scored as (
    select
        s.*,
        b.baseline,
        b.base_from,
        b.base_to,
        b.mad,
        case when b.baseline > 0 then s.kg / b.baseline end as ratio,
        case when b.mad > 0 then abs(s.kg - b.baseline) / (1.4826 * b.mad) end as robust_z
    from series as s
    join baselines as b using (area, series, year)
    cross join t
    where b.base_n >= t.baseline_min_years and greatest(s.kg, b.baseline) >= t.min_kg
),

spikes as (
    select
        case when ratio is null or ratio >= t.spike_ratio then 'spike' else 'drop' end as kind,
        s.*,
        ratio as score,
        case when ratio is null or ratio >= t.spike_ratio then t.spike_ratio
            else t.drop_ratio end as threshold
    from scored as s
    cross join t
    where (s.ratio >= t.spike_ratio or s.ratio <= t.drop_ratio or (s.ratio is null and s.kg > 0))
        and (s.mad = 0 or s.robust_z >= t.robust_z)
),

series_years as (
    select series, min(year) as first_year, list_distinct(list(year)) as years from series group by all
),

spans as (
    select area, series, min(year) as first_year from series group by all
),

stops as (
    select
        'stopped_reporting' as kind, s.*, s.year + 1 as alert_year, t.min_kg as threshold
    from series as s
    join series_years as y using (series)
    cross join t
    where list_contains(y.years, s.year + 1)
        and not exists (
            select 1 from series as n
            where n.area = s.area and n.series = s.series and n.year = s.year + 1
        )
        and s.kg >= t.min_kg
),

starts as (
    select 'started_reporting' as kind, s.*, t.min_kg as threshold
    from series as s
    join spans as f on f.area = s.area and f.series = s.series and f.first_year = s.year
    join series_years as y on y.series = s.series
    cross join t
    where s.year > y.first_year and s.kg >= t.min_kg
),

alerts as (
    select
        kind, level, area, area_name, region, series, drug_group, year, kg as value,
        baseline, score, threshold, robust_z, base_from as baseline_from, base_to as baseline_to,
        source_files
    from spikes
    union all
    select
        kind, level, area, area_name, region, series, drug_group, alert_year, null, kg,
        null, threshold, null, year, year, source_files
    from stops
    union all
    select
        kind, level, area, area_name, region, series, drug_group, year, kg, null,
        null, threshold, null, null, null, source_files
    from starts
)

select
    kind,
    level,
    area,
    area_name,
    region,
    series,
    drug_group,
    year,
    value,
    baseline,
    score,
    threshold,
    robust_z,
    'kg' as unit,
    case kind
        when 'spike' then
            printf('%s seized in %s rose to %s in %d, %s its %s median', series, area_name,
                fmt_kg(value), year,
                case when score is null then 'from zero:' else printf('%.1f×', score) end,
                year_span(baseline_from, baseline_to))
        when 'drop' then
            printf('%s seized in %s fell to %s in %d, %s of its %s median', series, area_name,
                fmt_kg(value), year,
                printf('%.0f%%', score * 100), year_span(baseline_from, baseline_to))
        when 'stopped_reporting' then
            printf('%s reported no %s seizures for %d, after %s in %d', area_name,
                series_text(series), year,
                fmt_kg(baseline), baseline_to)
        else
            printf('%s reported %s seizures for the first time in %d: %s', area_name,
                series_text(series), year, fmt_kg(value))
    end as sentence,
    source_files
from alerts
order by year desc, kind, area, series
