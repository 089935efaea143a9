-- Corridors: departure country -> a different destination country (both reported), per year
-- and series (marts.seizure_cases: coca leaf and seeds are never cocaine), with each corridor's
-- share of the series' seizures that year (the World Drug Report's way of measuring routes:
-- share of seizure cases and of quantities), the transport-mode mix, and the main transport
-- mode by seizures and by kilograms. Shares are over ALL seizures of the series and year,
-- unknown routes included, so they show how much of the picture the known corridors explain.
-- Domestic movements (departure = destination) are not corridors. Duplicates are left out, as
-- in route_flows; outlier_seizures / kg_equivalent_excl_outliers leave out the flagged large
-- outliers, and has_outlier marks a corridor whose figure includes one.
with

cases as (
    select * from marts.seizure_cases where not is_duplicate
),

totals as (
    select
        year,
        series_id,
        count(*) as series_seizures,
        sum(kg_equivalent) as series_kg
    from cases
    group by all
),

known as (
    select
        year,
        drug_group,
        series_id,
        series,
        departure_iso3,
        destination_iso3,
        coalesce(transport, 'Not reported') as transport,
        kg_equivalent,
        outlier_flag
    from cases
    where departure_iso3 is not null
        and destination_iso3 is not null
        and departure_iso3 <> destination_iso3
),

by_transport as (
    select
        year, drug_group, series_id, series, departure_iso3, destination_iso3, transport,
        count(*) as seizures,
        coalesce(sum(kg_equivalent), 0) as kg_equivalent,
        count(*) filter (where outlier_flag) as outlier_seizures,
        coalesce(sum(kg_equivalent) filter (where not outlier_flag), 0)
            as kg_equivalent_excl_outliers
    from known
    group by all
),

corridors as (
    select
        year,
        drug_group,
        series_id,
        series,
        departure_iso3,
        destination_iso3,
        sum(seizures)::bigint as seizures,
        sum(kg_equivalent) as kg_equivalent,
        sum(outlier_seizures)::bigint as outlier_seizures,
        sum(kg_equivalent_excl_outliers) as kg_equivalent_excl_outliers,
        first(transport order by seizures desc, kg_equivalent desc, transport) as main_transport,
        first(transport order by kg_equivalent desc, seizures desc, transport)
            as main_transport_kg,
        list(
            {
                'transport': transport,
                'seizures': seizures,
                'kg_equivalent': kg_equivalent,
                'outlier_seizures': outlier_seizures,
                'kg_equivalent_excl_outliers': kg_equivalent_excl_outliers
            }
            order by seizures desc, transport
        ) as transport_mix
    from by_transport
    group by all
)

select
    c.year,
    c.drug_group,
    c.series_id,
    c.series,
    c.departure_iso3,
    c.destination_iso3,
    c.seizures,
    c.kg_equivalent,
    c.outlier_seizures,
    c.kg_equivalent_excl_outliers,
    c.outlier_seizures > 0 as has_outlier,
    c.seizures / t.series_seizures as share_of_seizures,
    case when t.series_kg > 0 then c.kg_equivalent / t.series_kg end as share_of_kg,
    c.main_transport,
    c.main_transport_kg,
    c.transport_mix
from corridors as c
join totals as t
    on t.year = c.year
    and t.series_id is not distinct from c.series_id
order by c.year, c.series_id, c.seizures desc, c.departure_iso3, c.destination_iso3
