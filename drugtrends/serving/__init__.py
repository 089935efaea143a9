"""Marts -> published read-only snapshot (DuckDB copy swapped in atomically) and Parquet."""
