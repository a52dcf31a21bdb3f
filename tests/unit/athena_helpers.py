"""A scratch data lake for Athena tests: a bucket, the local engine, and cleanup of what Glue holds."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from adapters.athena.interface import SUCCEEDED, QueryRequest
from adapters.athena.local.engine import LocalAthena
from harness.backends.base import Account
from provisioning.builders.s3 import Bucket

_counter = itertools.count()


class Lake:
    """A bucket with `put(key, text)`, and `run(sql)` returning the finished execution."""

    def __init__(self, account: Account, bucket: str) -> None:
        self.account = account
        self.bucket = bucket
        self.s3 = account.client("s3")
        self.glue = account.client("glue")
        self.athena = LocalAthena(self.s3, self.glue)
        self.results = f"s3://{bucket}/athena-results/"

    def put(self, key: str, body: str | bytes) -> None:
        """Upload one object."""
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=body.encode() if isinstance(body, str) else body)

    def get(self, key: str) -> bytes:
        """Download one object."""
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def run(self, sql: str, database: str | None = None) -> Any:
        """Run one statement; return its execution (any state)."""
        query_id = self.athena.start_query(QueryRequest(sql, database=database, output_location=self.results))
        return self.athena.query_execution(query_id)

    def ok(self, sql: str, database: str | None = None) -> Any:
        """Run one statement that must succeed; return (columns, rows)."""
        execution = self.run(sql, database)
        assert execution.state == SUCCEEDED, execution.reason
        result = self.athena.query_results(execution.query_id)
        return [c.name for c in result.columns], result.rows

    def location(self, prefix: str) -> str:
        """`s3://bucket/prefix`."""
        return f"s3://{self.bucket}/{prefix}"


@contextmanager
def scratch_lake(account: Account) -> Iterator[Lake]:
    """A fresh bucket and engine; the bucket and every Glue database made meanwhile are removed after."""
    glue = account.client("glue")
    before = {d["Name"] for d in glue.get_databases()["DatabaseList"]}
    bucket = Bucket(f"lake-{secrets.token_hex(4)}-{next(_counter)}")
    bucket.create(account)
    try:
        yield Lake(account, bucket.name)
    finally:
        for database in {d["Name"] for d in glue.get_databases()["DatabaseList"]} - before:
            for table in glue.get_tables(DatabaseName=database)["TableList"]:
                glue.delete_table(DatabaseName=database, Name=table["Name"])
            glue.delete_database(Name=database)
        bucket.delete(account)
