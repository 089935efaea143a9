-- Route legs: directed country-to-country legs of each seizure's reported route
-- producing -> departure -> seizing -> destination, per year and series (marts.seizure_cases),
-- skipping unknown stops and a stop that repeats the previous one (e.g. departure = seizing
-- country for an outbound seizure), so a leg never stays within one country.
-- Duplicates are left out of seizures / kg, as in route_flows; outlier_seizures and
-- kg_equivalent_excl_outliers give the figures without the flagged large outliers.
with

cases as (
    select * from marts.seizure_cases
),

stops as (
    select
        year,
        drug_group,
        series_id,
        series,
        is_duplicate,
        outlier_flag,
        kg_equivalent,
        list_filter(
            [producing_iso3, departure_iso3, country_iso3, destination_iso3],
            lambda x: x is not null
        ) as known_stops
    from cases
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
        c.series_id,
        c.series,
        c.is_duplicate,
        c.outlier_flag,
        c.kg_equivalent,
        c.chain[t.i] as from_iso3,
        c.chain[t.i + 1] as to_iso3
    from chains as c, unnest(range(1, len(c.chain))) as t(i)
)

select
    year,
    drug_group,
    series_id,
    series,
    from_iso3,
    to_iso3,
    count(*) filter (where not is_duplicate) as seizures,
    count(*) as seizures_incl_duplicates,
    coalesce(sum(kg_equivalent) filter (where not is_duplicate), 0) as kg_equivalent,
    count(*) filter (where not is_duplicate and outlier_flag) as outlier_seizures,
    coalesce(sum(kg_equivalent) filter (where not is_duplicate and not outlier_flag), 0)
        as kg_equivalent_excl_outliers
from legs
group by all
order by year, series_id, seizures desc, from_iso3, to_iso3
