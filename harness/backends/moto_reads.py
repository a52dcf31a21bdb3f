"""Pollers' reads taken from moto in this process: the answer botocore would parse off the wire, without the wire.

A poller's read (GetRecords, ReceiveMessage) is most of what an event costs on its way from a stream,
table or queue to a function, and most of the read is moto's generic request and response machinery
around a lookup. Here a stream read asks moto's backend for the records as moto's response class does,
and a queue read runs moto's own ReceiveMessage response method on the parameters, skipping moto's
request parsing and response serializer. The result is shaped by the operation's output shape as the
wire would carry it and botocore parse it: members the shape does not name are left out, blobs are bytes,
timestamps are truncated to the millisecond (the Smithy rule for epoch-seconds timestamps) and parsed by
botocore's own timestamp parser. `tests/unit/test_in_process_calls.py` compares every read with the same
read over the wire, so a moto upgrade that changes either side fails there.

A read that cannot be answered this way (a missing stream or queue, parameters moto refuses, a long
poll) raises `Unanswered` before it changes anything, and the caller asks moto's app instead, which
answers with the service's own error.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from botocore.utils import parse_timestamp

ModelRead = Callable[[str, str, Mapping[str, Any]], Any]


class Unanswered(Exception):
    """The read is left to moto's app; nothing has changed."""


def kinesis_get_records(account_id: str, region: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Kinesis GetRecords, from the stream's shard in moto's Kinesis backend (reading changes nothing)."""
    from moto.kinesis.models import kinesis_backends

    try:
        backend = kinesis_backends[account_id][region]
        iterator, records, behind = backend.get_records(
            params.get("StreamARN"), params["ShardIterator"], params.get("Limit")
        )
        return {
            "NextShardIterator": iterator,
            "Records": [record.to_json() for record in records],
            "MillisBehindLatest": behind,
        }
    except Exception as exc:
        raise Unanswered(str(exc)) from exc


def dynamodb_stream_get_records(account_id: str, region: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """DynamoDB Streams GetRecords, from the table's stream shard in moto's backend (it hands out a new iterator)."""
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    limit = params.get("Limit")
    try:
        return dynamodbstreams_backends[account_id][region].get_records(
            params["ShardIterator"], 1000 if limit is None else limit
        )
    except Exception as exc:
        raise Unanswered(str(exc)) from exc


def sqs_receive_message(account_id: str, region: str, params: Mapping[str, Any]) -> Any:
    """SQS ReceiveMessage, by moto's own response method on these parameters (short polls of a queue it has)."""
    from moto.core.exceptions import ServiceException
    from moto.sqs.models import sqs_backends
    from moto.sqs.responses import SQSResponse

    if params.get("WaitTimeSeconds") != 0:
        raise Unanswered("a long poll waits in moto's app")
    url = str(params.get("QueueUrl", ""))
    parts = url.split("/")
    if len(parts) < 2 or parts[-2] != account_id:
        raise Unanswered(f"{url} is not a queue URL of account {account_id}")
    try:
        sqs_backends[account_id][region].get_queue(parts[-1])
    except ServiceException as exc:
        raise Unanswered(str(exc)) from exc
    response = SQSResponse()
    response.params, response.uri_match = dict(params), {}
    response.current_account, response.region = account_id, region
    try:
        return response.receive_message().result
    except (ServiceException, ValueError) as exc:  # moto refuses the parameters before it receives anything
        raise Unanswered(str(exc)) from exc


READS: dict[tuple[str, str], ModelRead] = {
    ("kinesis", "GetRecords"): kinesis_get_records,
    ("dynamodbstreams", "GetRecords"): dynamodb_stream_get_records,
    ("sqs", "ReceiveMessage"): sqs_receive_message,
}


class NotShaped(ValueError):
    """moto's value does not fit the output shape the way the wire would carry it."""


def as_parsed(shape: Any, value: Any) -> Any:
    """`value` (moto's, for `shape`) as botocore parses it from a JSON answer."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping):
            raise NotShaped(f"{shape.name} is a {type(value).__name__}, not a mapping")
        parsed = {}
        for name, member in shape.members.items():
            found = value.get(name)
            if found is not None:
                parsed[name] = as_parsed(member, found)
        return parsed
    if kind == "list":
        return [as_parsed(shape.member, item) for item in value]
    if kind == "map":
        return {key: as_parsed(shape.value, item) for key, item in value.items()}
    if kind == "blob":
        return value.encode() if isinstance(value, str) else bytes(value)
    if kind == "timestamp":
        return parse_timestamp(_epoch_seconds(value))
    if kind in {"string", "integer", "long", "boolean", "double", "float"}:
        return value
    raise NotShaped(f"{shape.name} is a {kind}")


def _epoch_seconds(value: Any) -> Any:
    if not isinstance(value, dt.datetime):
        return value
    seconds = calendar.timegm(value.timetuple())
    return seconds + (value.microsecond // 1000) / 1000.0 if value.microsecond else seconds
