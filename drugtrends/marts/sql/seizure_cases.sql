-- Case-level seizures, one row per core.individual_seizures row (none dropped), with the
-- headline series of the drug (reference/series.csv: coca leaf and seeds are not cocaine) and an
-- outlier flag from a robust rule per drug x unit (thresholds in reference/thresholds.csv):
--   * drug = the series where the name maps to one (heroin and opium apart), else the subgroup,
--     else the name as reported; unit = the canonical unit the amount was reported in;
--   * on log10 of the amount (amounts above 0, each distinct report once), the median and the
--     median absolute deviation (MAD) of that drug and unit; scale = max(1.4826 x MAD,
--     outlier_min_mad);
--   * outlier_flag when (log10(amount) - median) / scale > outlier_k: an unusually large amount
--     for how that drug is reported in that unit (e.g. 14,733,068 grams of cocaine, 6 scaled MADs
--     above the median gram seizure). Small amounts are not flagged: they cannot distort totals.
--   * a drug and unit with fewer than outlier_min_rows such amounts is not judged (the reason
--     says so). Nothing is deleted: route marts give figures with and without flagged rows.
with

seizures as (
    select * from core.individual_seizures
),

series as (
    select * from ref_series
),

thresholds as (
    select * from ref_thresholds
),

settings as (
    select
        max(value) filter (where name = 'outlier_k') as k,
        max(value) filter (where name = 'outlier_min_rows') as min_rows,
        max(value) filter (where name = 'outlier_min_mad') as min_mad
    from thresholds
),

keyed as (
    select
        *,
        coalesce(series_id, drug_subgroup, lower(trim(drug))) as outlier_drug_key,
        case when quantity > 0 then log10(quantity) end as log_amount
    from seizures
),

judged_rows as (
    select * from keyed
    where not is_duplicate and log_amount is not null and unit is not null
),

medians as (
    select outlier_drug_key, unit, median(log_amount) as log_median, count(*) as group_rows
    from judged_rows
    group by all
),

spreads as (
    select j.outlier_drug_key, j.unit, median(abs(j.log_amount - m.log_median)) as log_mad
    from judged_rows as j
    join medians as m using (outlier_drug_key, unit)
    group by all
),

scored as (
    select
        k.*,
        m.log_median,
        m.group_rows,
        greatest(1.4826 * s.log_mad, st.min_mad) as log_scale,
        (k.log_amount - m.log_median) / greatest(1.4826 * s.log_mad, st.min_mad) as score,
        st.k,
        st.min_rows
    from keyed as k
    cross join settings as st
    left join medians as m
        on m.outlier_drug_key = k.outlier_drug_key
        and m.unit = k.unit
    left join spreads as s
        on s.outlier_drug_key = k.outlier_drug_key
        and s.unit = k.unit
)

select
    c.source_file,
    c.source_row,
    c.file_id,
    c.contract_version,
    c.region,
    c.country_iso3,
    c.year,
    c.seizure_date,
    c.drug,
    c.drug_group,
    c.drug_subgroup,
    c.series_id,
    r.series,
    r.family,
    c.quantity,
    c.unit,
    c.kg_equivalent,
    c.transport,
    c.routing,
    c.producing_iso3,
    c.departure_iso3,
    c.destination_iso3,
    coalesce(c.departure_iso3 = c.destination_iso3, false) as is_domestic,
    c.is_duplicate,
    c.outlier_drug_key,
    coalesce(c.group_rows, 0)::bigint as outlier_group_rows,
    power(10, c.log_median) as median_amount,
    case when c.group_rows >= c.min_rows then c.score end as outlier_score,
    coalesce(c.group_rows >= c.min_rows and c.score > c.k, false) as outlier_flag,
    case
        when c.log_amount is null then 'not judged: no amount above 0'
        when c.unit is null then 'not judged: unit not recognised'
        when coalesce(c.group_rows, 0) < c.min_rows
            then 'not judged: fewer than ' || c.min_rows::int || ' seizures of '
                || c.outlier_drug_key || ' in ' || c.unit
        when c.score > c.k
            then 'large outlier: ' || c.quantity || ' ' || c.unit || ' is '
                || round(c.score, 1) || ' scaled MADs above the median of '
                || round(power(10, c.log_median), 2) || ' ' || c.unit || ' over '
                || c.group_rows || ' seizures of ' || c.outlier_drug_key || ' (rule: more than '
                || c.k || ')'
    end as outlier_reason
from scored as c
left join series as r using (series_id)
order by c.source_file, c.source_row
