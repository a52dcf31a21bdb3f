"""The Athena API the harness serves: queries, results with paging, workgroups, named queries, catalog browsing.

Every operation delegates to an Athena adapter (the local DuckDB engine by default); this class only
turns botocore-shaped parameters into adapter calls and the adapter's answers into botocore's shapes.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from adapters.athena.interface import (
    DEFAULT_CATALOG,
    PRIMARY_WORK_GROUP,
    AthenaAdapter,
    AthenaRequestError,
    NamedQuery,
    QueryExecution,
    QueryRequest,
    ResultColumn,
    WorkGroup,
)
from harness.served.service import AwsError

ENGINE_VERSION = {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}


def _token(offset: int, scope: str) -> str:
    return base64.urlsafe_b64encode(f"{scope}:{offset}".encode()).decode()


def _offset(token: str | None, scope: str) -> int:
    if not token:
        return 0
    try:
        kind, _, offset = base64.urlsafe_b64decode(token.encode()).decode().rpartition(":")
        if kind == scope:
            return int(offset)
    except (ValueError, UnicodeDecodeError):
        pass
    raise AwsError("InvalidRequestException", f"NextToken {token} is not valid for this request")


def _page(items: list[Any], params: dict[str, Any], scope: str, default: int) -> tuple[list[Any], dict[str, str]]:
    start = _offset(params.get("NextToken"), scope)
    size = params.get("MaxResults") or default
    page = items[start : start + size]
    more = {"NextToken": _token(start + size, scope)} if start + size < len(items) else {}
    return page, more


def column_info(column: ResultColumn) -> dict[str, Any]:
    """ResultSetMetadata.ColumnInfo for one column, as Athena describes it."""
    return {
        "CatalogName": "hive",
        "SchemaName": "",
        "TableName": "",
        "Name": column.name,
        "Label": column.name,
        "Type": column.type,
        "Precision": column.precision,
        "Scale": column.scale,
        "Nullable": "UNKNOWN",
        "CaseSensitive": column.type == "varchar",
    }


def _row(values: list[str | None]) -> dict[str, Any]:
    return {"Data": [{} if v is None else {"VarCharValue": v} for v in values]}


def _millis(start: datetime, end: datetime | None) -> int:
    return int(((end or start) - start).total_seconds() * 1000)


def describe_execution(execution: QueryExecution) -> dict[str, Any]:
    """A QueryExecution structure."""
    status: dict[str, Any] = {"State": execution.state, "SubmissionDateTime": execution.submitted}
    if execution.completed:
        status["CompletionDateTime"] = execution.completed
    if execution.reason:
        status["StateChangeReason"] = execution.reason
        status["AthenaError"] = {
            "ErrorCategory": execution.error_category or 2,
            "Retryable": False,
            "ErrorMessage": execution.reason,
        }
    context = {"Catalog": execution.catalog}
    if execution.database:
        context["Database"] = execution.database
    total = max(_millis(execution.submitted, execution.completed), execution.engine_ms)
    described: dict[str, Any] = {
        "QueryExecutionId": execution.query_id,
        "Query": execution.query,
        "StatementType": execution.statement_type,
        "SubstatementType": execution.substatement_type,
        "ResultConfiguration": {"OutputLocation": execution.output_location} if execution.output_location else {},
        "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}},
        "QueryExecutionContext": context,
        "Status": status,
        "Statistics": {
            "EngineExecutionTimeInMillis": execution.engine_ms,
            "DataScannedInBytes": execution.data_scanned_bytes,
            "TotalExecutionTimeInMillis": total,
            "QueryQueueTimeInMillis": 0,
            "ServicePreProcessingTimeInMillis": 0,
            "QueryPlanningTimeInMillis": 0,
            "ServiceProcessingTimeInMillis": max(total - execution.engine_ms, 0),
            "ResultReuseInformation": {"ReusedPreviousResult": False},
        },
        "WorkGroup": execution.work_group,
        "EngineVersion": dict(ENGINE_VERSION),
    }
    return described


def _work_group(group: WorkGroup) -> dict[str, Any]:
    configuration: dict[str, Any] = {
        "EnforceWorkGroupConfiguration": False,
        "PublishCloudWatchMetricsEnabled": False,
        "RequesterPaysEnabled": False,
        "EngineVersion": dict(ENGINE_VERSION),
    }
    if group.output_location:
        configuration["ResultConfiguration"] = {"OutputLocation": group.output_location}
    described: dict[str, Any] = {"Name": group.name, "State": group.state, "Configuration": configuration}
    if group.description:
        described["Description"] = group.description
    if group.created:
        described["CreationTime"] = group.created
    return described


class AthenaApi:
    """Athena's query, workgroup, named-query and catalog-browsing operations over an Athena adapter."""

    service = "athena"

    def __init__(self, adapter: AthenaAdapter, now: Callable[[], datetime] | None = None) -> None:
        self.adapter = adapter
        self._now = now or (lambda: datetime.now(UTC))

    def operations(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        """Operation name -> handler."""
        handlers = {
            "StartQueryExecution": self.start_query_execution,
            "GetQueryExecution": self.get_query_execution,
            "BatchGetQueryExecution": self.batch_get_query_execution,
            "GetQueryResults": self.get_query_results,
            "StopQueryExecution": self.stop_query_execution,
            "ListQueryExecutions": self.list_query_executions,
            "GetWorkGroup": self.get_work_group,
            "ListWorkGroups": self.list_work_groups,
            "CreateWorkGroup": self.create_work_group,
            "UpdateWorkGroup": self.update_work_group,
            "CreateNamedQuery": self.create_named_query,
            "GetNamedQuery": self.get_named_query,
            "BatchGetNamedQuery": self.batch_get_named_query,
            "ListNamedQueries": self.list_named_queries,
            "DeleteNamedQuery": self.delete_named_query,
            "ListDataCatalogs": self.list_data_catalogs,
            "ListDatabases": self.list_databases,
            "ListTableMetadata": self.list_table_metadata,
            "GetTableMetadata": self.get_table_metadata,
        }
        return {name: self._guarded(handler) for name, handler in handlers.items()}

    @staticmethod
    def _guarded(handler: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def call(params: dict[str, Any]) -> dict[str, Any]:
            try:
                return handler(params)
            except AthenaRequestError as exc:
                raise AwsError(exc.code, exc.message) from None

        return call

    # -- query executions --------------------------------------------------------------------
    def start_query_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        """StartQueryExecution."""
        context = params.get("QueryExecutionContext", {})
        request = QueryRequest(
            query=params["QueryString"],
            database=context.get("Database"),
            catalog=context.get("Catalog") or DEFAULT_CATALOG,
            output_location=params.get("ResultConfiguration", {}).get("OutputLocation"),
            work_group=params.get("WorkGroup") or PRIMARY_WORK_GROUP,
            client_request_token=params.get("ClientRequestToken"),
            parameters=tuple(params.get("ExecutionParameters", ())),
        )
        return {"QueryExecutionId": self.adapter.start_query(request)}

    def get_query_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetQueryExecution."""
        return {"QueryExecution": describe_execution(self.adapter.query_execution(params["QueryExecutionId"]))}

    def batch_get_query_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        """BatchGetQueryExecution: the known executions, and the unknown ids with their error."""
        found, missing = [], []
        for query_id in params["QueryExecutionIds"]:
            try:
                found.append(describe_execution(self.adapter.query_execution(query_id)))
            except AthenaRequestError as exc:
                missing.append({"QueryExecutionId": query_id, "ErrorCode": exc.code, "ErrorMessage": exc.message})
        return {"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing}

    def get_query_results(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetQueryResults: the header row first (for a SELECT), then the rows, MaxResults per page."""
        query_id = params["QueryExecutionId"]
        result = self.adapter.query_results(query_id)
        rows = [_row([c.name for c in result.columns])] if result.header else []
        rows += [_row(r) for r in result.rows]
        page, more = _page(rows, params, f"results-{query_id}", 1000)
        return {
            "UpdateCount": result.update_count,
            "ResultSet": {"Rows": page, "ResultSetMetadata": {"ColumnInfo": [column_info(c) for c in result.columns]}},
            **more,
        }

    def stop_query_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        """StopQueryExecution."""
        self.adapter.stop_query(params["QueryExecutionId"])
        return {}

    def list_query_executions(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListQueryExecutions: newest first, 50 per page."""
        group = params.get("WorkGroup") or PRIMARY_WORK_GROUP
        ids, more = _page(self.adapter.list_query_executions(group), params, f"executions-{group}", 50)
        return {"QueryExecutionIds": ids, **more} if ids else more  # the shape allows no empty list

    # -- workgroups --------------------------------------------------------------------------
    def get_work_group(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetWorkGroup."""
        return {"WorkGroup": _work_group(self.adapter.work_group(params["WorkGroup"]))}

    def list_work_groups(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListWorkGroups (`primary` included)."""
        summaries = [
            {
                "Name": g.name,
                "State": g.state,
                "Description": g.description,
                "CreationTime": g.created or self._now(),
                "EngineVersion": dict(ENGINE_VERSION),
            }
            for g in self.adapter.work_groups()
        ]
        page, more = _page(summaries, params, "workgroups", 50)
        return {"WorkGroups": page, **more}

    def create_work_group(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateWorkGroup."""
        output = params.get("Configuration", {}).get("ResultConfiguration", {}).get("OutputLocation")
        self.adapter.create_work_group(
            WorkGroup(params["Name"], description=params.get("Description", ""), output_location=output)
        )
        return {}

    def update_work_group(self, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateWorkGroup: the result location (set or removed) and the state."""
        group = self.adapter.work_group(params["WorkGroup"])
        updates = params.get("ConfigurationUpdates", {}).get("ResultConfigurationUpdates", {})
        if updates.get("RemoveOutputLocation"):
            self.adapter.set_work_group_output(group.name, None)
        elif "OutputLocation" in updates:
            self.adapter.set_work_group_output(group.name, updates["OutputLocation"])
        if "State" in params:
            group.state = params["State"]
        if "Description" in params:
            group.description = params["Description"]
        return {}

    # -- named queries -----------------------------------------------------------------------
    def create_named_query(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateNamedQuery."""
        query = NamedQuery(
            named_query_id="",
            name=params["Name"],
            database=params["Database"],
            query=params["QueryString"],
            description=params.get("Description", ""),
            work_group=params.get("WorkGroup") or PRIMARY_WORK_GROUP,
        )
        return {"NamedQueryId": self.adapter.create_named_query(query)}

    def _named(self, named_query_id: str) -> dict[str, Any]:
        query = self.adapter.named_query(named_query_id)
        described = {
            "Name": query.name,
            "Database": query.database,
            "QueryString": query.query,
            "NamedQueryId": query.named_query_id,
            "WorkGroup": query.work_group,
        }
        if query.description:
            described["Description"] = query.description
        return described

    def get_named_query(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetNamedQuery."""
        return {"NamedQuery": self._named(params["NamedQueryId"])}

    def batch_get_named_query(self, params: dict[str, Any]) -> dict[str, Any]:
        """BatchGetNamedQuery."""
        found, missing = [], []
        for named_id in params["NamedQueryIds"]:
            try:
                found.append(self._named(named_id))
            except AthenaRequestError as exc:
                missing.append({"NamedQueryId": named_id, "ErrorCode": exc.code, "ErrorMessage": exc.message})
        return {"NamedQueries": found, "UnprocessedNamedQueryIds": missing}

    def list_named_queries(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListNamedQueries."""
        group = params.get("WorkGroup") or PRIMARY_WORK_GROUP
        ids, more = _page(self.adapter.named_queries(group), params, f"named-{group}", 50)
        return {"NamedQueryIds": ids, **more} if ids else more  # the shape allows no empty list

    def delete_named_query(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteNamedQuery."""
        self.adapter.delete_named_query(params["NamedQueryId"])
        return {}

    # -- catalog browsing (the console's left pane) ------------------------------------------
    def list_data_catalogs(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListDataCatalogs: the account's Glue Data Catalog."""
        return {"DataCatalogsSummary": [{"CatalogName": DEFAULT_CATALOG, "Type": "GLUE", "Status": "CREATE_COMPLETE"}]}

    def list_databases(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListDatabases."""
        names = [{"Name": n} for n in self.adapter.databases(params["CatalogName"])]
        page, more = _page(names, params, "databases", 50)
        return {"DatabaseList": page, **more}

    def _tables(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "Name": t.name,
                "TableType": t.table_type,
                "Columns": [{"Name": n, "Type": k} for n, k in t.columns],
                "PartitionKeys": [{"Name": n, "Type": k} for n, k in t.partition_keys],
                "Parameters": dict(t.parameters),
            }
            for t in self.adapter.tables(params["CatalogName"], params["DatabaseName"])
        ]

    def list_table_metadata(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListTableMetadata."""
        page, more = _page(self._tables(params), params, "tables", 50)
        return {"TableMetadataList": page, **more}

    def get_table_metadata(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetTableMetadata."""
        for table in self._tables(params):
            if table["Name"] == params["TableName"].lower():
                return {"TableMetadata": table}
        raise AwsError("MetadataException", f"Table {params['TableName']} not found.")
