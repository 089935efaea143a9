-- What changed since the previous published snapshot: history.pending_basis (the data being
-- published) against history.published_basis (the basis of the snapshot published last; kept in
-- the warehouse, so pruned snapshots do not matter). One row per change:
--   new_country_year: a figure (grain series) or source-row key (grain source_row) not there before;
--   revised: the same key with a value that moved by more than revision_tolerance;
--   removed: a key that is gone, within the years the dataset still covers (a dataset whose
--     span shrinks is not listed row by row for the years it no longer covers);
--   new_series: a series no country reported before (one row, area World);
--   coverage_change: the number of countries reporting a series in a region or worldwide changed;
--   new_alert: an alert that was not raised in the previous snapshot.
-- The first snapshot (no previous basis) has no changes.
with

t as (
    select max(value::double) filter (where name = 'revision_tolerance') as tol
    from ref_trend_thresholds
),

new as (
    select * from history.pending_basis
),

old as (
    select * exclude (snapshot_id, published_at) from history.published_basis
),

previous as (
    select max(snapshot_id) as snapshot_id, count(*) as rows from history.published_basis
),

spans as (
    select dataset, grain, min(year) as first_year, max(year) as last_year
    from new
    group by all
),

joined as (
    select
        coalesce(n.grain, o.grain) as grain,
        coalesce(n.dataset, o.dataset) as dataset,
        coalesce(n.level, o.level) as level,
        coalesce(n.area, o.area) as area,
        coalesce(n.area_name, o.area_name) as area_name,
        coalesce(n.series, o.series) as series,
        coalesce(n.detail, o.detail) as detail,
        coalesce(n.year, o.year) as year,
        coalesce(n.unit, o.unit) as unit,
        o.value as old_value,
        n.value as new_value,
        o.source_files as old_source_files,
        n.source_files as new_source_files,
        n.grain is not null as in_new,
        o.grain is not null as in_old
    from new as n
    full outer join old as o
        on o.grain = n.grain and o.dataset = n.dataset and o.level = n.level
        and o.area = n.area and o.series = n.series and o.detail = n.detail
        and o.year = n.year
),

classified as (
    select
        case
            when j.grain = 'alert' then case when not j.in_old then 'new_alert' end
            when j.grain = 'coverage' then
                case when j.in_new and j.in_old and abs(j.new_value - j.old_value) > t.tol
                    then 'coverage_change' end
            when not j.in_old then 'new_country_year'
            when not j.in_new and j.year between s.first_year and s.last_year then 'removed'
            when j.in_new and j.in_old
                and abs(coalesce(j.new_value, 0) - coalesce(j.old_value, 0)) > t.tol
                then 'revised'
        end as kind,
        j.*
    from joined as j
    cross join t
    left join spans as s on s.dataset = j.dataset and s.grain = j.grain
),

new_series as (
    select
        'new_series' as kind, 'series' as grain, dataset, 'global' as level, 'World' as area,
        'World' as area_name, series, '' as detail, min(year) as year, 'kg' as unit,
        null::double as old_value, sum(value) as new_value, null::varchar[] as old_source_files,
        list_sort(list_distinct(flatten(list(source_files)))) as new_source_files
    from new
    where grain = 'series'
        and series not in (select series from old where grain = 'series')
    group by all
),

changes as (
    select * exclude (in_new, in_old) from classified where kind is not null
    union all by name
    select * from new_series
)

select
    c.kind,
    c.grain,
    c.dataset,
    c.level,
    c.area,
    c.area_name,
    c.series,
    nullif(c.detail, '') as detail,
    c.year,
    c.old_value,
    c.new_value,
    c.unit,
    case when c.old_value <> 0 then (c.new_value - c.old_value) / c.old_value end
        as relative_change,
    coalesce(c.old_source_files, []) as old_source_files,
    coalesce(c.new_source_files, []) as new_source_files,
    p.snapshot_id as previous_snapshot_id,
    case c.kind
        when 'revised' then printf('%s, %s, %d: revised from %s to %s%s', c.area_name,
            coalesce(nullif(c.detail, ''), c.series), c.year, fmt_value(c.old_value, c.unit),
            fmt_value(c.new_value, c.unit),
            case when c.old_value <> 0
                then printf(' (%+.1f%%)', (c.new_value - c.old_value) / c.old_value * 100)
                else '' end)
        when 'new_country_year' then printf('%s, %s, %d: new figure, %s', c.area_name,
            coalesce(nullif(c.detail, ''), c.series), c.year, fmt_value(c.new_value, c.unit))
        when 'removed' then printf('%s, %s, %d: no longer reported (was %s)', c.area_name,
            coalesce(nullif(c.detail, ''), c.series), c.year, fmt_value(c.old_value, c.unit))
        when 'new_series' then printf('New series %s: %s reported from %d', c.series,
            fmt_value(c.new_value, c.unit), c.year)
        when 'coverage_change' then printf('%s, %s, %d: %d countries reporting, was %d',
            c.area_name, c.series, c.year, c.new_value::bigint, c.old_value::bigint)
        else printf('New alert: %s %s, %s, %d', c.detail, c.area_name, c.series, c.year)
    end as description
from changes as c
cross join previous as p
where p.rows > 0
order by c.kind, c.dataset, c.grain, c.area, c.series, c.detail, c.year
