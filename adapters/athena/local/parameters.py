"""ExecutionParameters: each `?` placeholder of a query replaced by its parameter, in order."""

from __future__ import annotations

from sqlglot.dialects.athena import Athena
from sqlglot.tokens import TokenType

from adapters.athena.local.errors import QueryFailed


def bind(sql: str, parameters: tuple[str, ...]) -> str:
    """The query with its placeholders replaced by the parameters (SQL literals, as Athena takes them)."""
    try:
        tokens = Athena().tokenize(sql)
    except Exception:  # a statement that does not tokenize fails later with its syntax error
        return sql
    placeholders = [t for t in tokens if t.token_type == TokenType.PLACEHOLDER and t.text == "?"]
    if len(placeholders) != len(parameters):
        raise QueryFailed(
            f"INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected {len(placeholders)} "
            f"but found {len(parameters)}"
        )
    for token, value in reversed(list(zip(placeholders, parameters, strict=True))):
        sql = sql[: token.start] + value + sql[token.end + 1 :]
    return sql
