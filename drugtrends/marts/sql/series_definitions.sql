-- One-line definitions of every headline series and every drug group, from the reference
-- tables (reference/series.csv, series_members.csv, drug_groups.csv), published so that pages and
-- analysts show each figure beside what it means without reading reference files.
with

series as (
    select * from ref_series
),

members as (
    select * from ref_series_members
),

groups as (
    select * from ref_drug_groups
),

member_lists as (
    select
        series_id,
        list(
            drug_group || ' / ' || drug_subgroup || coalesce(' / ' || drug, '')
            || case when role = 'reported_total' then ' (reported total)' else '' end
            order by drug_group, drug_subgroup, drug
        ) as members
    from members
    group by series_id
)

select
    'series' as kind,
    s.series_id as key,
    s.series as name,
    s.family,
    s.unit,
    s.headline,
    s.sort_order,
    s.definition,
    m.members,
    s.source
from series as s
join member_lists as m using (series_id)
union all
select
    'drug_group' as kind,
    drug_group as key,
    drug_group as name,
    null as family,
    'kg' as unit,
    false as headline,
    1000 + row_number() over (order by drug_group) as sort_order,
    definition,
    null::varchar[] as members,
    'dataUNODC drug group' as source
from groups
order by kind desc, sort_order
