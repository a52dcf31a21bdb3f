"""Which pollers a write concerns: the streams, tables and queues a call wrote to, read from its parameters.

A key is `(kind, name)`: `("kinesis", stream name)`, `("dynamodb", table name)`, `("sqs", queue name)`.
Writes the backend itself carries on to queues (EventBridge rules, SNS subscriptions, S3 notifications)
may land in any queue: they concern `ANY_QUEUE`, which every queue consumer listens to as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Key = tuple[str, str]

ANY_QUEUE: Key = ("sqs", "*")  # a queue the backend delivers to on its own; not a queue name (SQS forbids '*')


def kinesis_key(stream: str) -> Key:
    """The key of a Kinesis stream, given its name or ARN."""
    return ("kinesis", stream.rsplit(":stream/", 1)[-1])


def dynamodb_key(table: str) -> Key:
    """The key of a DynamoDB table, given its name, its ARN or its stream's ARN."""
    return ("dynamodb", table.rsplit(":table/", 1)[-1].split("/", 1)[0])


def sqs_key(queue: str) -> Key:
    """The key of an SQS queue, given its URL, ARN or name."""
    return ("sqs", queue.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])


def _stream(params: Mapping[str, Any]) -> tuple[Key, ...]:
    stream = params.get("StreamName") or params.get("StreamARN")
    return (kinesis_key(stream),) if isinstance(stream, str) and stream else ()


def _table(params: Mapping[str, Any]) -> tuple[Key, ...]:
    table = params.get("TableName")
    return (dynamodb_key(table),) if isinstance(table, str) and table else ()


def _batch_tables(params: Mapping[str, Any]) -> tuple[Key, ...]:
    items = params.get("RequestItems")
    return tuple(dynamodb_key(t) for t in items if isinstance(t, str)) if isinstance(items, Mapping) else ()


def _transaction_tables(params: Mapping[str, Any]) -> tuple[Key, ...]:
    keys: list[Key] = []
    for item in params.get("TransactItems") or ():
        for action in ("Put", "Update", "Delete"):  # a ConditionCheck writes nothing
            table = item.get(action, {}).get("TableName") if isinstance(item, Mapping) else None
            if isinstance(table, str) and table:
                keys.append(dynamodb_key(table))
    return tuple(dict.fromkeys(keys))


# DynamoDB's PartiQL statements that write: INSERT INTO t VALUE ..., UPDATE t SET ..., DELETE FROM t WHERE ...
# (Amazon DynamoDB Developer Guide, "PartiQL data manipulation statements"); a name may be double-quoted.
_PARTIQL_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"([^"]+)"|([A-Za-z0-9_.-]+))', re.IGNORECASE
)
NO_TABLE: Key = ("dynamodb", "")  # what statements that write no table concern: no table's pollers wake


def _statement_tables(statements: Iterable[Any]) -> tuple[Key, ...]:
    keys = []
    for statement in statements:
        found = _PARTIQL_WRITE.match(statement) if isinstance(statement, str) else None
        if found:
            keys.append(dynamodb_key(found.group(1) or found.group(2)))
    return tuple(dict.fromkeys(keys)) or (NO_TABLE,)


def _statement(params: Mapping[str, Any]) -> tuple[Key, ...]:
    return _statement_tables([params.get("Statement")])


def _batch_statements(params: Mapping[str, Any]) -> tuple[Key, ...]:
    entries = params.get("Statements") or params.get("TransactStatements") or ()
    return _statement_tables(entry.get("Statement") for entry in entries if isinstance(entry, Mapping))


def _queue(params: Mapping[str, Any]) -> tuple[Key, ...]:
    url = params.get("QueueUrl")
    return (sqs_key(url),) if isinstance(url, str) and url else ()


def _any_queue(_: Mapping[str, Any]) -> tuple[Key, ...]:
    return (ANY_QUEUE,)


# (botocore service name, operation) -> the keys of what it wrote.
_DERIVE: dict[tuple[str, str], Callable[[Mapping[str, Any]], tuple[Key, ...]]] = {
    ("kinesis", "PutRecord"): _stream,
    ("kinesis", "PutRecords"): _stream,
    ("dynamodb", "PutItem"): _table,
    ("dynamodb", "UpdateItem"): _table,
    ("dynamodb", "DeleteItem"): _table,
    ("dynamodb", "BatchWriteItem"): _batch_tables,
    ("dynamodb", "TransactWriteItems"): _transaction_tables,
    ("dynamodb", "ExecuteStatement"): _statement,
    ("dynamodb", "BatchExecuteStatement"): _batch_statements,
    ("dynamodb", "ExecuteTransaction"): _batch_statements,
    ("sqs", "SendMessage"): _queue,
    ("sqs", "SendMessageBatch"): _queue,
    ("sqs", "ChangeMessageVisibility"): _queue,
    ("sqs", "ChangeMessageVisibilityBatch"): _queue,
    ("events", "PutEvents"): _any_queue,
    ("sns", "Publish"): _any_queue,
    ("sns", "PublishBatch"): _any_queue,
    ("s3", "PutObject"): _any_queue,
    ("s3", "CopyObject"): _any_queue,
    ("s3", "DeleteObject"): _any_queue,
    ("s3", "DeleteObjects"): _any_queue,
    ("s3", "CompleteMultipartUpload"): _any_queue,
}

# Calls after which a stream, table stream or queue may hold something new.
WRITE_OPERATIONS = frozenset(operation for _, operation in _DERIVE)


def write_keys(service: str, operation: str, params: Mapping[str, Any]) -> tuple[Key, ...] | None:
    """The keys a write concerns; () when it names none, None when it is no write this module knows."""
    derive = _DERIVE.get((service, operation))
    return derive(params) if derive is not None else None
