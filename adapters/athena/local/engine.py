"""Athena on DuckDB: query executions over one account's Glue catalog and S3, results written back to S3."""

from __future__ import annotations

import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from adapters.athena.interface import (
    CANCELLED,
    FAILED,
    PRIMARY_WORK_GROUP,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    AthenaRequestError,
    NamedQuery,
    QueryExecution,
    QueryRequest,
    ResultSet,
    TableMetadata,
    WorkGroup,
)
from adapters.athena.local.catalog import GlueCatalog
from adapters.athena.local.errors import SYSTEM, QueryFailed
from adapters.athena.local.parameters import bind
from adapters.athena.local.results import csv_bytes, metadata_bytes, result_key, text_bytes
from adapters.athena.local.statements import StatementRunner, classify
from adapters.athena.local.storage import ObjectStore
from adapters.athena.local.workgroups import WorkGroupStore

NO_OUTPUT = (
    "No output location provided. An output location is required either through the Workgroup "
    "result configuration setting or as an API input."
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LocalAthena:
    """The `local` Athena adapter: runs each query to completion when it is started.

    Example:
        >>> athena = LocalAthena(account.client("s3"), account.client("glue"))  # doctest: +SKIP
        >>> query_id = athena.start_query(QueryRequest("SHOW DATABASES", output_location="s3://b/results/"))
    """

    def __init__(self, s3: Any, glue: Any, now: Callable[[], datetime] = _utc_now) -> None:
        self.store = ObjectStore(s3)
        self.catalog = GlueCatalog(glue)
        self.runner = StatementRunner(self.catalog, self.store)
        self.work_groups_store = WorkGroupStore(now)
        self._now = now
        self._lock = threading.Lock()
        self._executions: dict[str, QueryExecution] = {}
        self._results: dict[str, ResultSet] = {}
        self._tokens: dict[str, str] = {}

    # -- queries -----------------------------------------------------------------------------
    def start_query(self, request: QueryRequest) -> str:
        """Run a query to its end (SUCCEEDED or FAILED) and return its execution id."""
        if not request.query.strip():
            raise AthenaRequestError("InvalidRequestException", "QueryString must not be empty")
        group = self.work_groups_store.get(request.work_group)
        if group.state != "ENABLED":
            raise AthenaRequestError("InvalidRequestException", f"WorkGroup {group.name} is disabled.")
        output = request.output_location or group.output_location
        if not output:
            raise AthenaRequestError("InvalidRequestException", NO_OUTPUT)
        if not output.startswith("s3://"):
            raise AthenaRequestError("InvalidRequestException", f"outputLocation {output} is not a valid S3 path")
        with self._lock:
            if request.client_request_token and request.client_request_token in self._tokens:
                return self._tokens[request.client_request_token]
            query_id = str(uuid.uuid4())
            if request.client_request_token:
                self._tokens[request.client_request_token] = query_id
            statement_type, substatement = classify(request.query)
            execution = QueryExecution(
                query_id=query_id,
                query=request.query,
                statement_type=statement_type,
                substatement_type=substatement,
                state=QUEUED,
                submitted=self._now(),
                work_group=group.name,
                database=request.database,
                catalog=request.catalog,
            )
            self._executions[query_id] = execution
        self._run(execution, request, output)
        return query_id

    def _run(self, execution: QueryExecution, request: QueryRequest, output: str) -> None:
        execution.state = RUNNING
        started = time.perf_counter()
        database = (request.database or "default").lower()
        location = result_key(output, execution.query_id, execution.substatement_type == "SELECT")
        execution.output_location = location
        try:
            if request.catalog.lower() != "awsdatacatalog":
                raise QueryFailed(f"CATALOG_NOT_FOUND: Catalog '{request.catalog}' does not exist")
            sql = bind(request.query, request.parameters)
            with tempfile.TemporaryDirectory(prefix="athena-") as scratch:
                outcome = self.runner.run(sql, database, Path(scratch))
            result = ResultSet(outcome.columns, outcome.rows, header=outcome.header)
            self._write(location, result)
            execution.data_scanned_bytes = outcome.bytes_scanned
            self._results[execution.query_id] = result
            execution.state = SUCCEEDED
        except QueryFailed as failure:
            execution.state, execution.reason, execution.error_category = FAILED, failure.message, failure.category
        except Exception as exc:  # the server never fails a request because a query broke
            execution.state, execution.error_category = FAILED, SYSTEM
            execution.reason = f"GENERIC_INTERNAL_ERROR: {type(exc).__name__}: {exc}"
        execution.engine_ms = int((time.perf_counter() - started) * 1000)
        execution.completed = self._now()

    def _write(self, location: str, result: ResultSet) -> None:
        try:
            if result.header:
                self.store.put(location, csv_bytes(result), "text/csv")
                self.store.put(location + ".metadata", metadata_bytes(result), "application/octet-stream")
            else:
                self.store.put(location, text_bytes(result), "text/plain")
        except ClientError as exc:
            bucket = location[len("s3://") :].split("/", 1)[0]
            code = exc.response.get("Error", {}).get("Code", "")
            raise QueryFailed(f"Unable to verify/create output bucket {bucket} ({code})") from None

    def query_execution(self, query_id: str) -> QueryExecution:
        """The execution with this id."""
        with self._lock:
            if query_id not in self._executions:
                raise AthenaRequestError("InvalidRequestException", f"QueryExecution {query_id} was not found")
            return self._executions[query_id]

    def query_results(self, query_id: str) -> ResultSet:
        """The result set of a SUCCEEDED execution."""
        execution = self.query_execution(query_id)
        if execution.state in {QUEUED, RUNNING}:
            raise AthenaRequestError(
                "InvalidRequestException", f"Query has not yet finished. Current state: {execution.state}"
            )
        if execution.state != SUCCEEDED:
            detail = f" {execution.reason}" if execution.reason else ""
            raise AthenaRequestError("InvalidRequestException", f"Query did not succeed.{detail}")
        return self._results[query_id]

    def stop_query(self, query_id: str) -> None:
        """Cancel a query still queued or running; one that has ended keeps its state."""
        execution = self.query_execution(query_id)
        if execution.state in {QUEUED, RUNNING}:
            execution.state, execution.completed = CANCELLED, self._now()

    def list_query_executions(self, work_group: str | None = None) -> list[str]:
        """Execution ids of a workgroup, newest first."""
        group = work_group or PRIMARY_WORK_GROUP
        self.work_groups_store.get(group)
        with self._lock:
            return [e.query_id for e in reversed(self._executions.values()) if e.work_group == group]

    # -- workgroups and named queries --------------------------------------------------------
    def work_group(self, name: str) -> WorkGroup:
        """One workgroup."""
        return self.work_groups_store.get(name)

    def work_groups(self) -> list[WorkGroup]:
        """Every workgroup."""
        return self.work_groups_store.all()

    def create_work_group(self, group: WorkGroup) -> None:
        """Add a workgroup."""
        self.work_groups_store.create(group)

    def set_work_group_output(self, name: str, output_location: str | None) -> None:
        """Change a workgroup's result location."""
        self.work_groups_store.update_output_location(name, output_location)

    def databases(self, catalog: str) -> list[str]:
        """Database names in the Glue catalog."""
        self._check_catalog(catalog)
        return self.catalog.databases()

    def tables(self, catalog: str, database: str) -> list[TableMetadata]:
        """Tables of a Glue database."""
        self._check_catalog(catalog)
        if not self.catalog.has_database(database.lower()):
            raise AthenaRequestError("MetadataException", f"Database {database} not found.")
        found = []
        for name in self.catalog.tables(database.lower()):
            table = self.catalog.table(database.lower(), name)
            if table is not None:
                found.append(
                    TableMetadata(
                        table.name,
                        tuple((c.name, c.type) for c in table.columns),
                        tuple((c.name, c.type) for c in table.partition_keys),
                        parameters=dict(table.parameters),
                    )
                )
        return found

    @staticmethod
    def _check_catalog(catalog: str) -> None:
        if catalog.lower() != "awsdatacatalog":
            raise AthenaRequestError("MetadataException", f"Catalog {catalog} not found.")

    def create_named_query(self, query: NamedQuery) -> str:
        """Save a query."""
        return self.work_groups_store.add_named(query)

    def named_query(self, named_query_id: str) -> NamedQuery:
        """One saved query."""
        return self.work_groups_store.named(named_query_id)

    def named_queries(self, work_group: str | None = None) -> list[str]:
        """Saved query ids of a workgroup."""
        return self.work_groups_store.named_ids(work_group)

    def delete_named_query(self, named_query_id: str) -> None:
        """Delete a saved query."""
        self.work_groups_store.delete_named(named_query_id)
