"""Core -> marts: one SQL file per mart (``sql/``), rebuilt and checked in ``build``."""
