-- Route legs: directed country-to-country legs of each seizure's reported route
-- producing -> departure -> seizing -> destination, skipping unknown stops and a stop that
-- repeats the previous one (e.g. departure = seizing country for an outbound seizure).
-- Duplicates are left out of seizures / kg, as in route_flows.
with

seizures as (
    select * from core.individual_seizures
),

stops as (
    select
        year,
        drug_group,
        is_duplicate,
        kg_equivalent,
        list_filter(
            [producing_iso3, departure_iso3, country_iso3, destination_iso3],
            lambda x: x is not null
        ) as known_stops
    from seizures
),

chains as (
    select
        *,
        list_filter(known_stops, lambda x, i: i = 1 or x is distinct from known_stops[i - 1])
            as chain
    from stops
),

legs as (
    select
        c.year,
        c.drug_group,
        c.is_duplicate,
        c.kg_equivalent,
        c.chain[t.i] as from_iso3,
        c.chain[t.i + 1] as to_iso3
    from chains as c, unnest(range(1, len(c.chain))) as t(i)
)

select
    year,
    drug_group,
    from_iso3,
    to_iso3,
    count(*) filter (where not is_duplicate) as seizures,
    count(*) as seizures_incl_duplicates,
    coalesce(sum(kg_equivalent) filter (where not is_duplicate), 0) as kg_equivalent
from legs
group by all
order by year, drug_group, seizures desc, from_iso3, to_iso3
