-- The bare-DuckDB baseline: the pipeline's work on the same files in plain SQL, for the DuckDB
-- CLI. benchmarks/baseline.py sets the variables data_dir, ref_dir (drugtrends/reference),
-- iso3_file (country_converter's country table) and today, and the memory limit, then appends one
-- CREATE TABLE marts.<name> AS <drugtrends/marts/sql/<name>.sql> per mart: the marts are the
-- project's own SQL, so both sides aggregate alike and only the work before them differs.
--
-- Same work as the pipeline: every value loaded as text with its file and row; typed under the
-- contracts' rules (null tokens, number text, dates, required, allowed, ranges, formulas), the
-- first broken rule sending the row to quarantine; countries, drugs, units and kg factors by
-- lookup from the same reference files; exact repeats flagged per file; the marts; one file.
-- What it leaves out: Dagster, Great Expectations, landing copies with checksums, run metadata,
-- and publishing a second (snapshot) copy.

create schema raw;
create schema core;
create schema quarantine;
create schema marts;

create macro clean_text(v) as
    case when regexp_full_match(trim(v), '(?i)(|n/a|na|-|--|null|none|nan|\.\.|…)') then null
    else trim(v) end;

-- Number text as the contract reads it: thousands grouped by spaces or (unambiguous) commas.
create macro number_text(v) as
    case
        when regexp_full_match(clean_text(v), '[+-]?[0-9]{1,3}([ \x{a0}\x{202f}][0-9]{3})+(\.[0-9]+)?')
            then regexp_replace(clean_text(v), '[ \x{a0}\x{202f}]', '', 'g')
        when regexp_full_match(clean_text(v), '[+-]?[0-9]{1,3}(,[0-9]{3}){2,}(\.[0-9]+)?')
            or regexp_full_match(clean_text(v), '[+-]?[0-9]{1,3},[0-9]{3}\.[0-9]+')
            then replace(clean_text(v), ',', '')
        else clean_text(v)
    end;

create macro to_number(v) as
    case when isfinite(try_cast(number_text(v) as double)) then try_cast(number_text(v) as double) end;

create macro text_key(v) as coalesce(lower(regexp_replace(trim(v), '\s+', ' ', 'g')), '');

create macro is_formula(v) as coalesce(starts_with(clean_text(v), '='), false);

-- ------------------------------------------------------------------ reference tables

create table ref_countries as
    select name, iso3 from read_csv(getvariable('data_dir') || '/country_names.csv', all_varchar = true);
create table ref_regions as
    select * from read_csv(getvariable('ref_dir') || '/unodc_regions.csv', all_varchar = true);
create table ref_drugs as
    select text_key(drug_name) as key, drug_group, drug_subgroup, series_id
    from read_csv(getvariable('ref_dir') || '/drugs.csv', all_varchar = true);
create table ref_units as
    select text_key(spelling) as key, unit, family as unit_family
    from read_csv(getvariable('ref_dir') || '/units.csv', all_varchar = true);
create table ref_factors as
    select unit, drug_group, drug_subgroup, kg_per_unit::double as kg_per_unit
    from read_csv(getvariable('ref_dir') || '/conversion_factors.csv', all_varchar = true);
create table ref_subgroup_rules as
    select drug_group, drug_subgroup, rollup_role
    from read_csv(getvariable('ref_dir') || '/annual_subgroup_rules.csv', all_varchar = true);
create table ref_iso3 as
    select distinct "ISO3" as iso3
    from read_csv(
        getvariable('iso3_file'), delim = '\t', quote = '', header = true, all_varchar = true,
        strict_mode = false, null_padding = true
    )
    where "ISO3" is not null;

-- ------------------------------------------------------------------ case level: raw

create table raw.individual_seizures as
select
    parse_filename(filename) as source_file,
    * exclude (filename)
from read_csv(
    getvariable('data_dir') || '/individual_*.csv',
    delim = ';', quote = '"', escape = '"', header = true, all_varchar = true, filename = true
);

-- ------------------------------------------------------------------ case level: typed and ruled

create table typed_case as
with numbered as (
    select
        *,
        rowid - min(rowid) over (partition by source_file) + 2 as source_row
    from raw.individual_seizures
),

typed as (
    select
        source_file,
        source_row,
        "REGION" as r_region, "COUNTRY" as r_country, "SEIZURE_DATE" as r_date,
        "DRUG_NAME" as r_drug, "AMOUNT" as r_quantity,
        clean_text("REGION") as region,
        clean_text("SUBREGION") as subregion,
        clean_text("COUNTRY") as country,
        clean_text("ADMINISTRATIVE_DIVISION") as administrative_division,
        clean_text("PLACE") as place,
        try_strptime(clean_text("SEIZURE_DATE"), '%Y-%m-%d')::date as seizure_date,
        clean_text("DRUG_NAME") as drug,
        to_number("AMOUNT") as quantity,
        clean_text("DRUG_UNIT") as unit_reported,
        clean_text("HIDING_PLACE") as hiding_place,
        clean_text("INSTALLATION") as installation,
        clean_text("TRANSPORT") as transport,
        clean_text("PRODUCING_COUNTRY") as producing_country,
        clean_text("DEPARTURE_COUNTRY") as departure_country,
        clean_text("DESTINATION_COUNTRY") as destination_country,
        clean_text("ROUTING") as routing,
        clean_text("SEIZURE_DATE") is not null as date_present,
        clean_text("AMOUNT") is not null as quantity_present,
        is_formula("SUBREGION") or is_formula("ADMINISTRATIVE_DIVISION") or is_formula("PLACE")
            or is_formula("DRUG_UNIT") or is_formula("HIDING_PLACE")
            or is_formula("INSTALLATION") or is_formula("TRANSPORT")
            or is_formula("PRODUCING_COUNTRY") or is_formula("DEPARTURE_COUNTRY")
            or is_formula("DESTINATION_COUNTRY") or is_formula("ROUTING") as other_formula
    from numbered
    -- A record with no value at all is skipped, as the readers skip a blank spreadsheet row.
    where trim(concat_ws('', *columns(* exclude (source_file, source_row)))) <> ''
)

select
    *,
    -- The first rule broken, in the contract's column order (as the pipeline names them).
    case
        when starts_with(region, '=') then 'region.formula'
        when region is null then 'region.required'
        when region not in ('Africa', 'Americas', 'Asia', 'Europe', 'Oceania') then 'region.allowed'
        when starts_with(subregion, '=') then 'subregion.formula'
        when starts_with(country, '=') then 'country.formula'
        when country is null then 'country.required'
        when starts_with(administrative_division, '=') then 'administrative_division.formula'
        when starts_with(place, '=') then 'place.formula'
        when date_present and seizure_date is null then 'seizure_date.type'
        when not date_present then 'seizure_date.required'
        when seizure_date < date '1990-01-01' or seizure_date > getvariable('today')::date
            then 'seizure_date.range'
        when starts_with(drug, '=') then 'drug.formula'
        when drug is null then 'drug.required'
        when quantity_present and quantity is null then 'quantity.type'
        when not quantity_present then 'quantity.required'
        when quantity < 0 or quantity > 1000000000 then 'quantity.range'
        when other_formula then 'formula'
    end as rule
from typed;

create table quarantine.rows as
select
    'individual_seizures' as dataset, region as region_value, source_file, source_row, rule
from typed_case
where rule is not null;

-- ------------------------------------------------------------------ case level: core

create table core.individual_seizures as
with clean as (
    select * exclude (r_region, r_country, r_date, r_drug, r_quantity, date_present,
        quantity_present, other_formula, rule)
    from typed_case
    where rule is null
),

units as (
    select
        c.*,
        d.drug_group,
        d.drug_subgroup,
        d.series_id,
        u.unit,
        u.unit_family
    from clean as c
    left join ref_drugs as d on d.key = text_key(c.drug)
    left join ref_units as u on u.key = text_key(c.unit_reported)
),

factors as (
    select
        u.*,
        -- The most specific factor wins: (unit, group, subgroup), (unit, group), (unit).
        coalesce(f_sub.kg_per_unit, f_group.kg_per_unit, f_any.kg_per_unit) as kg_per_unit
    from units as u
    left join ref_factors as f_sub
        on f_sub.unit = u.unit and f_sub.drug_group = u.drug_group
        and f_sub.drug_subgroup = u.drug_subgroup
    left join ref_factors as f_group
        on f_group.unit = u.unit and f_group.drug_group = u.drug_group
        and f_group.drug_subgroup is null
    left join ref_factors as f_any
        on f_any.unit = u.unit and f_any.drug_group is null and f_any.drug_subgroup is null
)

select
    f.* exclude (kg_per_unit),
    -- provenance columns the marts carry: the baseline keeps no file registry or contract
    null::varchar as file_id,
    null::varchar as contract_version,
    c1.iso3 as country_iso3,
    c2.iso3 as producing_iso3,
    c3.iso3 as departure_iso3,
    c4.iso3 as destination_iso3,
    f.quantity * f.kg_per_unit as kg_equivalent,
    row_number() over dup > 1 as is_duplicate,
    count(*) over dup as duplicate_count,
    year(f.seizure_date) as year
from factors as f
left join ref_countries as c1 on c1.name = f.country
left join ref_countries as c2 on c2.name = f.producing_country
left join ref_countries as c3 on c3.name = f.departure_country
left join ref_countries as c4 on c4.name = f.destination_country
window dup as (
    partition by
        f.source_file, f.region, f.subregion, f.country, f.administrative_division, f.place,
        f.seizure_date, f.drug, f.quantity, f.unit_reported, f.hiding_place, f.installation,
        f.transport, f.producing_country, f.departure_country, f.destination_country, f.routing
    order by f.source_row
);

drop table typed_case;

-- ------------------------------------------------------------------ annual: raw, typed, core

create table raw.annual_seizures as
select
    parse_filename(filename) as source_file,
    row_number() over (partition by filename) as source_row,
    * exclude (filename)
from read_json(
    getvariable('data_dir') || '/annual_*.json',
    format = 'array', filename = true,
    columns = {
        "Region": 'VARCHAR', "SubRegion": 'VARCHAR', "Country/Territory": 'VARCHAR',
        "msCode": 'VARCHAR', "Drug group": 'VARCHAR', "DrugSubGroup": 'VARCHAR', "Drug": 'VARCHAR',
        "Year": 'VARCHAR', "Kilograms": 'VARCHAR'
    }
);

create table typed_annual as
with typed as (
    select
        source_file,
        source_row,
        clean_text("Region") as region,
        clean_text("SubRegion") as subregion,
        clean_text("Country/Territory") as country_name,
        clean_text("msCode") as country_iso3,
        clean_text("Drug group") as drug_group,
        clean_text("DrugSubGroup") as drug_subgroup,
        clean_text("Drug") as drug,
        case when to_number("Year") = round(to_number("Year"))
            then to_number("Year")::bigint end as year,
        to_number("Kilograms") as kg,
        clean_text("Year") is not null as year_present,
        clean_text("Kilograms") is not null as kg_present
    from raw.annual_seizures
)

select
    *,
    case
        when starts_with(region, '=') then 'region.formula'
        when region is null then 'region.required'
        when region not in ('Africa', 'Americas', 'Asia', 'Europe', 'Oceania') then 'region.allowed'
        when starts_with(subregion, '=') then 'subregion.formula'
        when starts_with(country_name, '=') then 'country_name.formula'
        when country_name is null then 'country_name.required'
        when starts_with(country_iso3, '=') then 'country_iso3.formula'
        when country_iso3 is null then 'country_iso3.required'
        when not regexp_matches(country_iso3, '^[A-Z]{3}$') then 'country_iso3.pattern'
        when country_iso3 not in (select iso3 from ref_iso3) then 'country_iso3.allowed'
        when starts_with(drug_group, '=') then 'drug_group.formula'
        when drug_group is null then 'drug_group.required'
        when drug_group not in (
            'Amphetamines and Stimulants', 'Cannabis and Synthetic Cannabinoids',
            'Classic Hallucinogens', 'Cocaine and Derivatives', 'MDMA and Ecstasy-like Drugs',
            'Miscellaneous', 'NPS', 'Opioids and Opiates', 'Tranquillizers and Sedatives'
        ) then 'drug_group.allowed'
        when starts_with(drug_subgroup, '=') then 'drug_subgroup.formula'
        when drug_subgroup is null then 'drug_subgroup.required'
        when starts_with(drug, '=') then 'drug.formula'
        when drug is null then 'drug.required'
        when year_present and year is null then 'year.type'
        when not year_present then 'year.required'
        when year < 1970 or year > year(getvariable('today')::date) then 'year.range'
        when kg_present and kg is null then 'kg.type'
        when not kg_present then 'kg.required'
        when kg < 0 or kg > 100000000 then 'kg.range'
    end as rule
from typed;

insert into quarantine.rows
select 'annual_seizures', region, source_file, source_row, rule
from typed_annual
where rule is not null;

create table core.annual_seizures as
select
    a.* exclude (year_present, kg_present, rule),
    regexp_matches(a.drug, '(?i)^\s*total\b|\(total of the above') as is_total_row,
    coalesce(r.rollup_role, 'component') as rollup_role,
    '1.0.0' as contract_version
from typed_annual as a
left join ref_subgroup_rules as r
    on r.drug_group = a.drug_group and r.drug_subgroup = a.drug_subgroup
where a.rule is null;

drop table typed_annual;
