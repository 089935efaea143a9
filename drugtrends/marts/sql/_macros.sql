-- Formatting macros the marts' SQL uses in its readable sentences (created per connection).
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
