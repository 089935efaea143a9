-- The series the trend intelligence reads (alerts, trend tests, changes, prices, per-capita):
-- level (global, region, subregion, country) x series x year, kg and countries reporting.
-- A series is a World Drug Report series of marts.seizure_series (reference/series.csv), so
-- every trend mart follows the same taxonomy rule as the headline figures: cocaine without coca
-- leaf, coca bush and seeds; cannabis herb, resin and plants apart; opium, heroin and morphine
-- apart; precursors and other non-drug substances a family of their own, never summed with
-- drugs. `series` is the series' display name (what sentences and pages show; price_series.csv
-- names the same), `series_id` its key. Coverage and the year-on-year flag come along so a
-- reader of an alert or a trend can see how many usual reporters stand behind the figure.
with

series as (
    select * from marts.seizure_series
    where not (level = 'subregion' and area is null)
),

subregions as (
    -- a country's subregion as marts.seizure_series places it (the data's own spelling)
    select country_iso3, mode(subregion) as subregion
    from marts.annual_seizures_by_subgroup
    group by country_iso3
),

groups as (
    select series_id, min(drug_group) as drug_group
    from ref_series_members
    group by series_id
)

select
    s.level,
    s.area,
    s.area_name,
    s.region,
    case s.level when 'country' then c.subregion when 'subregion' then s.area end as subregion,
    s.series,
    s.series_id,
    s.family,
    s.headline::boolean as headline,
    g.drug_group,
    s.year,
    s.kg,
    s.countries_reporting::bigint as countries_reporting,
    s.usual_reporters::bigint as usual_reporters,
    s.coverage_share,
    s.low_coverage,
    s.yoy_flag,
    list_sort(list_distinct(list_transform(s.provenance, p -> split_part(p, '#', 1))))
        as source_files
from series as s
join groups as g using (series_id)
left join subregions as c on s.level = 'country' and c.country_iso3 = s.area
order by s.level, s.area, s.series, s.year
