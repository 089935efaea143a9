-- Alerts on trafficking corridors (marts.route_corridors, departure -> destination, per headline
-- series and year: coca leaf is never cocaine; drug_group is carried along).
-- Thresholds: ref_trend_thresholds.
--   new_corridor: first year the corridor appears, later than the drug group's first year in the
--     data, with at least corridor_min_seizures cases.
--   corridor_share_shift: the corridor's share of the drug group's cases moved by at least
--     corridor_share_shift from the previous year (both years with the corridor present and at
--     least corridor_min_seizures cases in one of them).
--   new_transport_mode: a transport mode first seen on an existing corridor, with at least
--     corridor_min_seizures cases.
with

t as (
    select
        max(value::double) filter (where name = 'corridor_min_seizures') as min_seizures,
        max(value::double) filter (where name = 'corridor_share_shift') as share_shift
    from ref_trend_thresholds
),

names as (
    select iso3, name from ref_country_names
),

corridors as (
    select
        c.*,
        c.departure_iso3 || '>' || c.destination_iso3 as area,
        coalesce(d.name, c.departure_iso3) || ' to ' || coalesce(a.name, c.destination_iso3)
            as area_name,
        coalesce(d.name, c.departure_iso3) as from_name,
        coalesce(a.name, c.destination_iso3) as to_name
    from marts.route_corridors as c
    left join names as d on d.iso3 = c.departure_iso3
    left join names as a on a.iso3 = c.destination_iso3
    where c.series is not null
),

group_first as (
    select series, min(year) as first_year from corridors group by all
),

corridor_first as (
    select series, area, min(year) as first_year from corridors group by all
),

new_corridors as (
    select
        'new_corridor' as kind, c.area, c.area_name, c.series, c.drug_group, c.year,
        c.seizures::double as value, null::double as baseline, null::double as score,
        t.min_seizures as threshold, 'seizure cases' as unit,
        printf('New corridor: %d seizures of %s from %s to %s in %d, none in earlier years',
            c.seizures, series_text(c.series), c.from_name, c.to_name, c.year) as sentence
    from corridors as c
    join corridor_first as f on f.series = c.series and f.area = c.area
        and f.first_year = c.year
    join group_first as g on g.series = c.series
    cross join t
    where c.year > g.first_year and c.seizures >= t.min_seizures
),

shifts as (
    select
        'corridor_share_shift' as kind, c.area, c.area_name, c.series, c.drug_group, c.year,
        c.share_of_seizures as value, p.share_of_seizures as baseline,
        c.share_of_seizures - p.share_of_seizures as score, t.share_shift as threshold,
        'share of cases' as unit,
        printf('The %s to %s corridor carried %.0f%% of %s seizure cases in %d, against %.0f%% in %d',
            c.from_name, c.to_name, c.share_of_seizures * 100, series_text(c.series), c.year,
            p.share_of_seizures * 100, p.year) as sentence
    from corridors as c
    join corridors as p on p.series = c.series and p.area = c.area
        and p.year = c.year - 1
    cross join t
    where abs(c.share_of_seizures - p.share_of_seizures) >= t.share_shift
        and greatest(c.seizures, p.seizures) >= t.min_seizures
),

modes as (
    select c.area, c.area_name, c.from_name, c.to_name, c.series, c.drug_group, c.year,
        m.transport, m.seizures
    from corridors as c, unnest(c.transport_mix) as u(m)
),

mode_first as (
    select series, area, transport, min(year) as first_year from modes group by all
),

new_modes as (
    select
        'new_transport_mode' as kind, m.area, m.area_name, m.series, m.drug_group, m.year,
        m.seizures::double as value, null::double as baseline, null::double as score,
        t.min_seizures as threshold, 'seizure cases' as unit,
        printf('New transport mode on the %s to %s corridor: %d %s seizures by %s in %d',
            m.from_name, m.to_name, m.seizures, series_text(m.series), lower(m.transport), m.year)
            as sentence,
        m.transport
    from modes as m
    join mode_first as f on f.series = m.series and f.area = m.area
        and f.transport = m.transport and f.first_year = m.year
    join corridor_first as c on c.series = m.series and c.area = m.area
    cross join t
    where m.year > c.first_year and m.seizures >= t.min_seizures
        and m.transport <> 'Not reported'
)

select
    kind,
    'corridor' as level,
    area,
    area_name,
    null::varchar as region,
    series,
    drug_group,
    year,
    value,
    baseline,
    score,
    threshold,
    null::double as robust_z,
    unit,
    sentence,
    []::varchar[] as source_files
from (
    select * exclude (transport) from new_modes
    union all by name select * from new_corridors
    union all by name select * from shifts
)
order by year desc, kind, area
