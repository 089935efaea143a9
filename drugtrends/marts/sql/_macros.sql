-- Macros the marts' SQL shares (created per connection): formatting for its readable sentences,
-- and the labels of a rollup's rows.
CREATE OR REPLACE TEMP MACRO fmt_kg(v) AS
    CASE
        WHEN v IS NULL THEN 'nothing'
        WHEN v >= 10000 THEN printf('%,.0f t', v / 1000)
        WHEN v >= 1000 THEN printf('%.1f t', v / 1000)
        WHEN v >= 1 THEN printf('%,.0f kg', v)
        ELSE printf('%.3g kg', v)
    END;
CREATE OR REPLACE TEMP MACRO year_span(a, b) AS
    CASE WHEN a = b THEN a::VARCHAR ELSE a::VARCHAR || '–' || b::VARCHAR END;
CREATE OR REPLACE TEMP MACRO fmt_value(v, unit) AS
    CASE WHEN unit = 'kg' THEN printf('%,.1f kg', v)
        WHEN unit = 'USD' THEN printf('%.2f USD', v)
        ELSE printf('%g %s', v, unit) END;
-- A series name inside a sentence: first letter lower-cased (cocaine, "ecstasy", cannabis
-- herb), acronyms kept (NPS (synthetic), LSD).
CREATE OR REPLACE TEMP MACRO series_text(s) AS
    CASE
        WHEN regexp_matches(s, '^[A-Z][a-z]') THEN lower(s[1]) || s[2:]
        WHEN regexp_matches(s, '^"[A-Z][a-z]') THEN '"' || lower(s[2]) || s[3:]
        ELSE s
    END;
-- A row of a rollup by grouping sets over region > subregion > country: its level and area.
-- g = grouping(region, subregion, country_iso3), whose bits say what the row is not grouped by
-- (4 region, 2 subregion, 1 country), so the highest bit set names the level.
CREATE OR REPLACE TEMP MACRO rollup_level(g) AS
    CASE
        WHEN g >= 4 THEN 'global'
        WHEN g >= 2 THEN 'region'
        WHEN g >= 1 THEN 'subregion'
        ELSE 'country'
    END;
-- The area's code (country = country_iso3) or its name (country = any_value(country_name)).
CREATE OR REPLACE TEMP MACRO rollup_area(g, region, subregion, country) AS
    CASE
        WHEN g >= 4 THEN 'World'
        WHEN g >= 2 THEN region
        WHEN g >= 1 THEN subregion
        ELSE country
    END;
