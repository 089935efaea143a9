-- Route flows: year x drug group x departure -> seizing country -> destination, with the number
-- of seizures and their kilogram equivalents. Unknown route ends are null (not a fake country).
-- seizures / kg_equivalent count each distinct report once (rows flagged is_duplicate are left
-- out); seizures_incl_duplicates counts every row as reported.
with

seizures as (
    select * from core.individual_seizures
),

flows as (
    select
        year,
        drug_group,
        departure_iso3,
        country_iso3 as seizing_iso3,
        destination_iso3,
        count(*) filter (where not is_duplicate) as seizures,
        count(*) as seizures_incl_duplicates,
        count(kg_equivalent) filter (where not is_duplicate) as seizures_with_kg,
        coalesce(sum(kg_equivalent) filter (where not is_duplicate), 0) as kg_equivalent
    from seizures
    group by all
)

select *
from flows
order by year, drug_group, seizures desc, departure_iso3, seizing_iso3, destination_iso3
