"""What the Athena API needs from a query engine: start, watch, read and stop query executions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"
DEFAULT_CATALOG = "AwsDataCatalog"
PRIMARY_WORK_GROUP = "primary"


class AthenaRequestError(Exception):
    """A request Athena refuses before running anything (InvalidRequestException and kin)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class QueryRequest:
    """One StartQueryExecution: the SQL text and where it runs and writes."""

    query: str
    database: str | None = None
    catalog: str = DEFAULT_CATALOG
    output_location: str | None = None
    work_group: str = PRIMARY_WORK_GROUP
    client_request_token: str | None = None
    parameters: tuple[str, ...] = ()  # ExecutionParameters: SQL literals for the `?` placeholders, in order


@dataclass
class QueryExecution:
    """A query execution as GetQueryExecution describes it."""

    query_id: str
    query: str
    statement_type: str  # DDL | DML | UTILITY
    substatement_type: str
    state: str
    submitted: datetime
    work_group: str = PRIMARY_WORK_GROUP
    database: str | None = None
    catalog: str = DEFAULT_CATALOG
    output_location: str | None = None  # the result object, s3://.../<id>.csv
    completed: datetime | None = None
    reason: str | None = None
    error_category: int | None = None  # 1 system, 2 user, 3 other
    data_scanned_bytes: int = 0
    engine_ms: int = 0


@dataclass(frozen=True)
class ResultColumn:
    """One column of a result set, with its Athena (Trino) type name."""

    name: str
    type: str
    precision: int = 0
    scale: int = 0


@dataclass
class ResultSet:
    """A query's result: the columns and the rows as Athena renders them (strings, None for NULL)."""

    columns: list[ResultColumn]
    rows: list[list[str | None]]
    header: bool = True  # SELECT results start with a header row; DDL and SHOW results do not
    update_count: int = 0


@dataclass
class WorkGroup:
    """A workgroup: its name, state and default result location."""

    name: str
    description: str = ""
    state: str = "ENABLED"
    output_location: str | None = None
    created: datetime | None = None


@dataclass
class NamedQuery:
    """A saved query."""

    named_query_id: str
    name: str
    database: str
    query: str
    description: str = ""
    work_group: str = PRIMARY_WORK_GROUP


@dataclass(frozen=True)
class TableMetadata:
    """A catalog table as the console's table list shows it."""

    name: str
    columns: tuple[tuple[str, str], ...]
    partition_keys: tuple[tuple[str, str], ...] = ()
    table_type: str = "EXTERNAL_TABLE"
    parameters: dict[str, str] = field(default_factory=dict)


class AthenaAdapter(Protocol):
    """An Athena engine: the served API's only collaborator for running SQL."""

    def start_query(self, request: QueryRequest) -> str:
        """Start a query; return its execution id. Raise AthenaRequestError for a refused request."""
        ...

    def query_execution(self, query_id: str) -> QueryExecution:
        """The execution's current description. Raise AthenaRequestError for an unknown id."""
        ...

    def query_results(self, query_id: str) -> ResultSet:
        """The whole result set of a SUCCEEDED query. Raise AthenaRequestError otherwise."""
        ...

    def stop_query(self, query_id: str) -> None:
        """Cancel a query that has not ended; a no-op for one that has."""
        ...

    def list_query_executions(self, work_group: str | None = None) -> list[str]:
        """Every execution id of a workgroup (the primary one by default), newest first."""
        ...

    def work_group(self, name: str) -> WorkGroup:
        """One workgroup. Raise AthenaRequestError if it does not exist."""
        ...

    def work_groups(self) -> list[WorkGroup]:
        """Every workgroup, `primary` included."""
        ...

    def create_work_group(self, group: WorkGroup) -> None:
        """Add a workgroup. Raise AthenaRequestError if the name is taken."""
        ...

    def set_work_group_output(self, name: str, output_location: str | None) -> None:
        """Change a workgroup's default result location."""
        ...

    def databases(self, catalog: str) -> list[str]:
        """Database names of a data catalog."""
        ...

    def tables(self, catalog: str, database: str) -> list[TableMetadata]:
        """Tables of a database. Raise AthenaRequestError (MetadataException) if it does not exist."""
        ...

    def create_named_query(self, query: NamedQuery) -> str:
        """Save a query; return its id."""
        ...

    def named_query(self, named_query_id: str) -> NamedQuery:
        """One saved query. Raise AthenaRequestError if it does not exist."""
        ...

    def named_queries(self, work_group: str | None = None) -> list[str]:
        """Every saved query id of a workgroup."""
        ...

    def delete_named_query(self, named_query_id: str) -> None:
        """Delete a saved query."""
        ...
