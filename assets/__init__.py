"""Dagster asset code: thin wiring around the plain functions in ``drugtrends``."""
