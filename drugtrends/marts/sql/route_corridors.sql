-- Corridors: departure country -> a different destination country (both reported), per year
-- and drug group,
-- with each corridor's share of the drug group's seizures that year (the World Drug Report's way
-- of measuring routes: share of seizure cases and of quantities), and the transport-mode mix.
-- Shares are over ALL seizures of the drug group and year, unknown routes included, so they show
-- how much of the picture the known corridors explain. Duplicates are left out, as in route_flows.
with

seizures as (
    select * from core.individual_seizures where not is_duplicate
),

totals as (
    select
        year,
        drug_group,
        count(*) as group_seizures,
        sum(kg_equivalent) as group_kg
    from seizures
    group by all
),

known as (
    select
        year,
        drug_group,
        departure_iso3,
        destination_iso3,
        coalesce(transport, 'Not reported') as transport,
        kg_equivalent
    from seizures
    where departure_iso3 is not null
        and destination_iso3 is not null
        and departure_iso3 <> destination_iso3  -- domestic movements stay in route_flows
),

by_transport as (
    select
        year, drug_group, departure_iso3, destination_iso3, transport,
        count(*) as seizures,
        coalesce(sum(kg_equivalent), 0) as kg_equivalent
    from known
    group by all
),

corridors as (
    select
        year,
        drug_group,
        departure_iso3,
        destination_iso3,
        sum(seizures)::bigint as seizures,
        sum(kg_equivalent) as kg_equivalent,
        -- ties broken by name: arg_max alone picks any of the tied modes (differs run to run)
        first(transport order by seizures desc, transport) as main_transport,
        list(
            {'transport': transport, 'seizures': seizures, 'kg_equivalent': kg_equivalent}
            order by seizures desc, transport
        ) as transport_mix
    from by_transport
    group by all
)

select
    c.year,
    c.drug_group,
    c.departure_iso3,
    c.destination_iso3,
    c.seizures,
    c.kg_equivalent,
    c.seizures / t.group_seizures as share_of_seizures,
    case when t.group_kg > 0 then c.kg_equivalent / t.group_kg end as share_of_kg,
    c.main_transport,
    c.transport_mix
from corridors as c
join totals as t
    on t.year = c.year
    and t.drug_group is not distinct from c.drug_group
order by c.year, c.drug_group, c.seizures desc, c.departure_iso3, c.destination_iso3
