"""A query that fails as Athena fails it: a message in Athena's words and an error category."""

from __future__ import annotations

SYSTEM, USER, OTHER = 1, 2, 3


class QueryFailed(Exception):
    """Ends a query execution in FAILED with `message` as its StateChangeReason."""

    def __init__(self, message: str, category: int = USER) -> None:
        super().__init__(message)
        self.message = message
        self.category = category


def position(sql: str, offset: int) -> str:
    """Trino's `line L:C` (both 1-based) for a character offset into the statement."""
    line = sql.count("\n", 0, offset) + 1
    column = offset - (sql.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}:{column}"
