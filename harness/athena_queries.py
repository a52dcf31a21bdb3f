"""Running Athena statements the way a user does: start, wait for the end state, read every result page.

Works with any boto3 athena client: `harness.client("athena")`, a handler's, or one on real Athena.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.waiting import eventually

TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}


@dataclass
class QueryAnswer:
    """A finished query: its execution description and, when it succeeded, its rows (header row dropped)."""

    execution: dict[str, Any]
    columns: list[str]
    rows: list[list[str | None]]

    @property
    def state(self) -> str:
        """SUCCEEDED, FAILED or CANCELLED."""
        return self.execution["Status"]["State"]

    @property
    def reason(self) -> str:
        """StateChangeReason ('' when none)."""
        return self.execution["Status"].get("StateChangeReason", "")

    @property
    def scanned(self) -> int:
        """Statistics.DataScannedInBytes."""
        return self.execution["Statistics"]["DataScannedInBytes"]


def run_query(athena: Any, sql: str, output: str | None = None, database: str | None = None) -> QueryAnswer:
    """Start a query, wait until it ends, and read all its result pages."""
    params: dict[str, Any] = {"QueryString": sql}
    if output:
        params["ResultConfiguration"] = {"OutputLocation": output}
    if database:
        params["QueryExecutionContext"] = {"Database": database}
    query_id = athena.start_query_execution(**params)["QueryExecutionId"]

    def finished() -> dict[str, Any] | None:
        execution = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        return execution if execution["Status"]["State"] in TERMINAL else None

    execution = eventually(finished, timeout=60, message=f"query {query_id} never ended")
    if execution["Status"]["State"] != "SUCCEEDED":
        return QueryAnswer(execution, [], [])
    columns: list[str] = []
    rows: list[list[str | None]] = []
    token = None
    while True:
        page = athena.get_query_results(QueryExecutionId=query_id, **({"NextToken": token} if token else {}))
        columns = columns or [c["Name"] for c in page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
        rows += [[d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"]]
        token = page.get("NextToken")
        if not token:
            break
    if execution.get("StatementType") == "DML" and rows and rows[0] == columns:
        rows = rows[1:]
    return QueryAnswer(execution, columns, rows)
