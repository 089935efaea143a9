-- Seizures per million people aged 15-64 (the base UNODC uses; NOT per million inhabitants), per
-- level x area x series x year, for the years the population data covers. A region's or the
-- world's rate divides its kg by the population of its reporting countries, and is given only
-- when every reporting country has a population figure for the year (coverage = 1).
with

population as (
    select country_iso3, year, population_thousands * 1000 as people_15_64
    from core.population
),

pop_years as (
    select distinct year from population
),

country as (
    select s.*, p.people_15_64
    from marts.trend_series as s
    left join population as p on p.country_iso3 = s.area and p.year = s.year
    where s.level = 'country' and s.year in (select year from pop_years)
),

areas as (
    select level, area, area_name, region, series, year, kg, countries_reporting,
        count(people_15_64) as countries_with_population, sum(people_15_64) as people_15_64
    from (
        select 'country' as level, area, area_name, region, series, year, kg,
            1 as countries_reporting, people_15_64
        from country
    )
    group by all
    union all
    select s.level, s.area, s.area_name, s.region, s.series, s.year, s.kg,
        s.countries_reporting, count(c.people_15_64), sum(c.people_15_64)
    from marts.trend_series as s
    join country as c on c.series = s.series and c.year = s.year
        and (s.level = 'global'
            or (s.level = 'region' and c.region = s.area)
            or (s.level = 'subregion' and c.subregion = s.area))
    where s.level <> 'country'
    group by all
)

select
    level,
    area,
    area_name,
    region,
    series,
    year,
    kg,
    countries_reporting::bigint as countries_reporting,
    countries_with_population::bigint as countries_with_population,
    case when countries_with_population = countries_reporting then people_15_64 end
        as population_15_64,
    case when countries_with_population = countries_reporting and people_15_64 > 0
        then kg / (people_15_64 / 1e6) end as kg_per_million_aged_15_64,
    'kg per million people aged 15-64' as rate_label
from areas
order by level, area, series, year
