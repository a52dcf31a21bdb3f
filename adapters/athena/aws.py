"""The `aws` Athena adapter: the same interface over boto3's athena client (real Athena, or any endpoint)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from adapters.athena.interface import (
    DEFAULT_CATALOG,
    AthenaRequestError,
    NamedQuery,
    QueryExecution,
    QueryRequest,
    ResultColumn,
    ResultSet,
    TableMetadata,
    WorkGroup,
)

T = TypeVar("T")


def _translated(call: Callable[[], T]) -> T:
    try:
        return call()
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise AthenaRequestError(error.get("Code", "ClientError"), error.get("Message", str(exc))) from None


def _execution(described: dict[str, Any]) -> QueryExecution:
    status = described.get("Status", {})
    context = described.get("QueryExecutionContext", {})
    statistics = described.get("Statistics", {})
    return QueryExecution(
        query_id=described["QueryExecutionId"],
        query=described.get("Query", ""),
        statement_type=described.get("StatementType", "DML"),
        substatement_type=described.get("SubstatementType", ""),
        state=status.get("State", "QUEUED"),
        submitted=status.get("SubmissionDateTime"),
        work_group=described.get("WorkGroup", "primary"),
        database=context.get("Database"),
        catalog=context.get("Catalog", DEFAULT_CATALOG),
        output_location=described.get("ResultConfiguration", {}).get("OutputLocation"),
        completed=status.get("CompletionDateTime"),
        reason=status.get("StateChangeReason"),
        error_category=status.get("AthenaError", {}).get("ErrorCategory"),
        data_scanned_bytes=statistics.get("DataScannedInBytes", 0),
        engine_ms=statistics.get("EngineExecutionTimeInMillis", 0),
    )


class AwsAthena:
    """Athena itself, through a boto3 athena client."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def _pages(self, operation: str, key: str, **kwargs: Any) -> list[Any]:
        """Every item of a listing, following NextToken (not every Athena listing has a paginator)."""

        def collect() -> list[Any]:
            items: list[Any] = []
            token = None
            while True:
                page = getattr(self.client, operation)(**kwargs, **({"NextToken": token} if token else {}))
                items += page.get(key, [])
                token = page.get("NextToken")
                if not token:
                    return items

        return _translated(collect)

    def start_query(self, request: QueryRequest) -> str:
        """StartQueryExecution."""
        params: dict[str, Any] = {"QueryString": request.query, "WorkGroup": request.work_group}
        context = {"Catalog": request.catalog}
        if request.database:
            context["Database"] = request.database
        params["QueryExecutionContext"] = context
        if request.output_location:
            params["ResultConfiguration"] = {"OutputLocation": request.output_location}
        if request.client_request_token:
            params["ClientRequestToken"] = request.client_request_token
        if request.parameters:
            params["ExecutionParameters"] = list(request.parameters)
        return _translated(lambda: self.client.start_query_execution(**params))["QueryExecutionId"]

    def query_execution(self, query_id: str) -> QueryExecution:
        """GetQueryExecution."""
        answer = _translated(lambda: self.client.get_query_execution(QueryExecutionId=query_id))
        return _execution(answer["QueryExecution"])

    def query_results(self, query_id: str) -> ResultSet:
        """Every page of GetQueryResults, the header row (which a SELECT's first page carries) taken off."""
        columns: list[ResultColumn] = []
        rows: list[list[str | None]] = []
        update_count = 0
        for page in _translated(
            lambda: list(self.client.get_paginator("get_query_results").paginate(QueryExecutionId=query_id))
        ):
            info = page["ResultSet"].get("ResultSetMetadata", {}).get("ColumnInfo", [])
            columns = columns or [
                ResultColumn(c["Name"], c["Type"], c.get("Precision", 0), c.get("Scale", 0)) for c in info
            ]
            rows += [[d.get("VarCharValue") for d in r.get("Data", [])] for r in page["ResultSet"].get("Rows", [])]
            update_count = page.get("UpdateCount", update_count)
        header = bool(rows) and rows[0] == [c.name for c in columns] and self._is_select(query_id)
        return ResultSet(columns, rows[1:] if header else rows, header=header, update_count=update_count)

    def _is_select(self, query_id: str) -> bool:
        return self.query_execution(query_id).statement_type == "DML"

    def stop_query(self, query_id: str) -> None:
        """StopQueryExecution."""
        _translated(lambda: self.client.stop_query_execution(QueryExecutionId=query_id))

    def list_query_executions(self, work_group: str | None = None) -> list[str]:
        """ListQueryExecutions, every page."""
        kwargs = {"WorkGroup": work_group} if work_group else {}
        return list(self._pages("list_query_executions", "QueryExecutionIds", **kwargs))

    def work_group(self, name: str) -> WorkGroup:
        """GetWorkGroup."""
        group = _translated(lambda: self.client.get_work_group(WorkGroup=name))["WorkGroup"]
        output = group.get("Configuration", {}).get("ResultConfiguration", {}).get("OutputLocation")
        return WorkGroup(
            group["Name"],
            group.get("Description", ""),
            group.get("State", "ENABLED"),
            output,
            group.get("CreationTime"),
        )

    def work_groups(self) -> list[WorkGroup]:
        """ListWorkGroups, every page."""
        return [
            WorkGroup(g["Name"], g.get("Description", ""), g.get("State", "ENABLED"), created=g.get("CreationTime"))
            for g in self._pages("list_work_groups", "WorkGroups")
        ]

    def create_work_group(self, group: WorkGroup) -> None:
        """CreateWorkGroup."""
        configuration = (
            {"ResultConfiguration": {"OutputLocation": group.output_location}} if group.output_location else {}
        )
        _translated(
            lambda: self.client.create_work_group(
                Name=group.name, Description=group.description, Configuration=configuration
            )
        )

    def set_work_group_output(self, name: str, output_location: str | None) -> None:
        """UpdateWorkGroup's result location."""
        updates = {"OutputLocation": output_location} if output_location else {"RemoveOutputLocation": True}
        _translated(
            lambda: self.client.update_work_group(
                WorkGroup=name, ConfigurationUpdates={"ResultConfigurationUpdates": updates}
            )
        )

    def databases(self, catalog: str) -> list[str]:
        """ListDatabases, every page."""
        return [d["Name"] for d in self._pages("list_databases", "DatabaseList", CatalogName=catalog)]

    def tables(self, catalog: str, database: str) -> list[TableMetadata]:
        """ListTableMetadata, every page."""
        return [
            TableMetadata(
                t["Name"],
                tuple((c["Name"], c.get("Type", "")) for c in t.get("Columns", [])),
                tuple((c["Name"], c.get("Type", "")) for c in t.get("PartitionKeys", [])),
                t.get("TableType", "EXTERNAL_TABLE"),
                dict(t.get("Parameters", {})),
            )
            for t in self._pages("list_table_metadata", "TableMetadataList", CatalogName=catalog, DatabaseName=database)
        ]

    def create_named_query(self, query: NamedQuery) -> str:
        """CreateNamedQuery."""
        params = {
            "Name": query.name,
            "Database": query.database,
            "QueryString": query.query,
            "WorkGroup": query.work_group,
        }
        if query.description:
            params["Description"] = query.description
        return _translated(lambda: self.client.create_named_query(**params))["NamedQueryId"]

    def named_query(self, named_query_id: str) -> NamedQuery:
        """GetNamedQuery."""
        found = _translated(lambda: self.client.get_named_query(NamedQueryId=named_query_id))["NamedQuery"]
        return NamedQuery(
            found["NamedQueryId"],
            found["Name"],
            found["Database"],
            found["QueryString"],
            found.get("Description", ""),
            found.get("WorkGroup", "primary"),
        )

    def named_queries(self, work_group: str | None = None) -> list[str]:
        """ListNamedQueries, every page."""
        kwargs = {"WorkGroup": work_group} if work_group else {}
        return list(self._pages("list_named_queries", "NamedQueryIds", **kwargs))

    def delete_named_query(self, named_query_id: str) -> None:
        """DeleteNamedQuery."""
        _translated(lambda: self.client.delete_named_query(NamedQueryId=named_query_id))
