"""The Glue Data Catalog as Athena uses it: databases, tables and partitions, through boto3's glue client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from adapters.athena.local.errors import QueryFailed
from adapters.athena.local.table import Table


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


@dataclass(frozen=True)
class Partition:
    """One partition: its key values (in key order) and the S3 prefix that holds its objects."""

    values: tuple[str, ...]
    location: str


class GlueCatalog:
    """Databases, tables and partitions of one account's Glue Data Catalog."""

    def __init__(self, glue: Any) -> None:
        self.glue = glue

    # -- databases ---------------------------------------------------------------------------
    def databases(self) -> list[str]:
        """Every database name, sorted."""
        names = []
        for page in self.glue.get_paginator("get_databases").paginate():
            names += [d["Name"] for d in page["DatabaseList"]]
        return sorted(names)

    def has_database(self, name: str) -> bool:
        """Whether the database exists."""
        try:
            self.glue.get_database(Name=name)
            return True
        except ClientError as exc:
            if _code(exc) == "EntityNotFoundException":
                return False
            raise

    def create_database(self, name: str, if_not_exists: bool) -> None:
        """CREATE DATABASE [IF NOT EXISTS]."""
        try:
            self.glue.create_database(DatabaseInput={"Name": name})
        except ClientError as exc:
            if _code(exc) != "AlreadyExistsException":
                raise
            if not if_not_exists:
                raise QueryFailed(
                    "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
                    f"Database {name} already exists"
                ) from None

    def drop_database(self, name: str, if_exists: bool, cascade: bool) -> None:
        """DROP DATABASE [IF EXISTS] name [CASCADE]."""
        if not self.has_database(name):
            if if_exists:
                return
            raise QueryFailed(f"FAILED: SemanticException [Error 10072]: Database does not exist: {name}")
        tables = self.tables(name)
        if tables and not cascade:
            raise QueryFailed(
                "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
                f"InvalidOperationException(message:Database {name} is not empty. One or more tables exist.)"
            )
        for table in tables:
            self.glue.delete_table(DatabaseName=name, Name=table)
        self.glue.delete_database(Name=name)

    # -- tables ------------------------------------------------------------------------------
    def tables(self, database: str) -> list[str]:
        """Every table name of a database, sorted."""
        names = []
        for page in self.glue.get_paginator("get_tables").paginate(DatabaseName=database):
            names += [t["Name"] for t in page["TableList"]]
        return sorted(names)

    def table(self, database: str, name: str) -> Table | None:
        """A table, or None when the database or the table does not exist."""
        try:
            answer = self.glue.get_table(DatabaseName=database, Name=name)
        except ClientError as exc:
            if _code(exc) == "EntityNotFoundException":
                return None
            raise
        return Table.from_glue(database, answer["Table"])

    def create_table(self, table: Table, if_not_exists: bool) -> None:
        """CREATE EXTERNAL TABLE [IF NOT EXISTS]."""
        if not self.has_database(table.database):
            raise QueryFailed(f"FAILED: SemanticException [Error 10072]: Database does not exist: {table.database}")
        try:
            self.glue.create_table(DatabaseName=table.database, TableInput=table.table_input())
        except ClientError as exc:
            if _code(exc) != "AlreadyExistsException":
                raise
            if not if_not_exists:
                raise QueryFailed(
                    "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
                    f"AlreadyExistsException(message:Table {table.name} already exists)"
                ) from None

    def drop_table(self, database: str, name: str, if_exists: bool) -> None:
        """DROP TABLE [IF EXISTS]: the catalog entry only; the data stays in S3, as for any external table."""
        try:
            self.glue.delete_table(DatabaseName=database, Name=name)
        except ClientError as exc:
            if _code(exc) != "EntityNotFoundException":
                raise
            if not if_exists:
                raise QueryFailed(
                    f"FAILED: SemanticException [Error 10001]: Table not found {database}.{name}"
                ) from None

    # -- partitions --------------------------------------------------------------------------
    def partitions(self, table: Table) -> list[Partition]:
        """Every partition of a table."""
        found = []
        for page in self.glue.get_paginator("get_partitions").paginate(
            DatabaseName=table.database, TableName=table.name
        ):
            for item in page["Partitions"]:
                found.append(Partition(tuple(item["Values"]), item.get("StorageDescriptor", {}).get("Location", "")))
        return found

    def add_partitions(self, table: Table, partitions: list[Partition], if_not_exists: bool) -> list[Partition]:
        """Add partitions; return those that were new."""
        existing = {p.values for p in self.partitions(table)}
        clashes = [p for p in partitions if p.values in existing]
        if clashes and not if_not_exists:
            spec = ", ".join(f"{k.name}={v}" for k, v in zip(table.partition_keys, clashes[0].values, strict=True))
            raise QueryFailed(f"FAILED: AlreadyExistsException: Partition already exists: {spec}")
        added = [p for p in partitions if p.values not in existing]
        descriptor = table.table_input()["StorageDescriptor"]
        for start in range(0, len(added), 100):
            batch = added[start : start + 100]
            self.glue.batch_create_partition(
                DatabaseName=table.database,
                TableName=table.name,
                PartitionInputList=[
                    {"Values": list(p.values), "StorageDescriptor": {**descriptor, "Location": p.location}}
                    for p in batch
                ],
            )
        return added
