"""Errors a user is meant to read: they name the file, the row and the rule, never a traceback."""

from __future__ import annotations


class SourceError(Exception):
    """A source cannot be used at all (unreachable, unparseable, required column missing).

    Fails the region it belongs to; the other regions still publish.
    """

    def __init__(self, location: str, problem: str, row: int | None = None) -> None:
        self.location = location
        self.problem = problem
        self.row = row
        where = f"{location}, row {row}" if row is not None else location
        super().__init__(f"{where}: {problem}")


class ConfigError(Exception):
    """The sources file or a contract is malformed."""
