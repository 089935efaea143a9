"""drugtrends: the pipeline and serving core, importable without Dagster or Great Expectations.

Data flows one way: sources -> raw (as received, with provenance) -> core (validated, normalised)
+ quarantine -> marts -> published read-only snapshot -> dashboards and analysts.
"""
