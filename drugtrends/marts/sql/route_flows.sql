-- Route flows: year x series x departure -> seizing country -> destination, with the number of
-- seizures and their kilogram equivalents, from marts.seizure_cases (so the series rule is the
-- same as everywhere: coca leaf and seeds are never cocaine). Unknown route ends are null (not a
-- fake country). is_domestic: departure and destination are the same country; the dashboards
-- leave those out of the diagram, the map and the corridors alike, and say so.
-- seizures / kg_equivalent count each distinct report once (rows flagged is_duplicate are left
-- out); seizures_incl_duplicates counts every row as reported. outlier_seizures and
-- kg_equivalent_excl_outliers give the same figures without the flagged large outliers.
with

cases as (
    select * from marts.seizure_cases
),

flows as (
    select
        year,
        drug_group,
        series_id,
        series,
        departure_iso3,
        country_iso3 as seizing_iso3,
        destination_iso3,
        is_domestic,
        count(*) filter (where not is_duplicate) as seizures,
        count(*) as seizures_incl_duplicates,
        count(kg_equivalent) filter (where not is_duplicate) as seizures_with_kg,
        coalesce(sum(kg_equivalent) filter (where not is_duplicate), 0) as kg_equivalent,
        count(*) filter (where not is_duplicate and outlier_flag) as outlier_seizures,
        coalesce(sum(kg_equivalent) filter (where not is_duplicate and not outlier_flag), 0)
            as kg_equivalent_excl_outliers
    from cases
    group by all
)

select *
from flows
order by year, series_id, seizures desc, departure_iso3, seizing_iso3, destination_iso3
