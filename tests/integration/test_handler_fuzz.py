"""Fuzz the seed patterns' handlers with malformed events: each is refused, names what is wrong, changes nothing.

For every handler a seeded generator derives at least 200 malformed events from a valid one (a field of
the wrong type or out of range, a required field missing, an event that is not an object). Each must
come back as a Lambda function error (https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html)
whose message names the field; afterwards the pattern's tables, stream, queues and bus hold nothing.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from provisioning.stacks import choreography_stack, event_sourcing_stack, orchestration_stack, stream_processing_stack

EVENTS_PER_HANDLER = 200
Path = tuple[str | int, ...]


def bad_text(rng: random.Random) -> Any:
    return rng.choice(
        [
            rng.randint(-99, 99),
            rng.random(),
            True,
            False,
            [],
            ["x"],
            {},
            {"S": "x"},
            "",
            " " * rng.randint(1, 5),
            "x" * rng.randint(1025, 2000),
        ]
    )


def bad_non_string(rng: random.Random) -> Any:
    """Not a string at all (any string is readable as a record's data field; its content is another matter)."""
    return rng.choice([rng.randint(-99, 99), rng.random(), True, [], ["x"], {}, {"S": "x"}, ""])


def bad_object(rng: random.Random) -> Any:
    return rng.choice([rng.randint(-9, 9), "text", "", True, [], [{}], 1.5])


def bad_list(rng: random.Random) -> Any:
    return rng.choice([rng.randint(-9, 9), "Records", {}, {"0": {}}, True, []])


def bad_amount(rng: random.Random) -> Any:
    return rng.choice(
        [
            -rng.randint(1, 10**6),
            0,
            -rng.random(),
            10 ** -rng.randint(3, 300),
            10 ** rng.randint(13, 300),
            float(10 ** rng.randint(13, 300)),
            round(rng.random(), 6) + 0.0001,
            "ten",
            "",
            "NaN",
            "Infinity",
            "1e-200",
            True,
            [],
            {},
        ]
    )


def bad_amount_text(rng: random.Random) -> Any:
    """An amount as the projection reads it from the stream: a string DynamoDB cannot add up, or no string."""
    value = bad_amount(rng)
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def bad_count(rng: random.Random) -> Any:
    return rng.choice([-rng.randint(1, 100), rng.randint(1001, 10**9), 2.5, "5", True, [], {}])


def bad_temperature(rng: random.Random) -> Any:
    return rng.choice(["hot", "", True, [], {}, -rng.randint(274, 10**6), rng.randint(1001, 10**9)])


def bad_seed(rng: random.Random) -> Any:
    return rng.choice([rng.random() + 0.5, True, [], {}, [1]])


def bad_flag(rng: random.Random) -> Any:
    return rng.choice(["yes", "true", 1, 0, [], {}, "false"])


def bad_event(rng: random.Random) -> Any:
    return rng.choice([None, [], [{}], "event", "", 42, 3.5, True, False])


@dataclass(frozen=True)
class Field:
    """A field of the valid event, what a wrong value looks like, and whether it may be left out."""

    path: Path
    bad: Callable[[random.Random], Any]
    required: bool = False


@dataclass(frozen=True)
class Case:
    """One handler: its stack, a valid event, its fields, and how to see a side effect."""

    function: str
    stack: Callable[[], Any]
    valid: dict[str, Any]
    fields: tuple[Field, ...]
    changes: Callable[[Any], list[Any]] = lambda harness: []


def named(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def malformed(case: Case, rng: random.Random) -> tuple[Any, str]:
    """A malformed variant of the valid event, and the name its refusal must mention."""
    roll = rng.random()
    if roll < 0.1:
        return bad_event(rng), "event"
    field = rng.choice(case.fields)
    event = copy.deepcopy(case.valid)
    *parents, last = field.path
    container = event
    for part in parents:
        container = container[part]
    if field.required and roll < 0.3:
        del container[last]
    else:
        container[last] = field.bad(rng)
    return event, named(field.path)


def scan(harness: Any, table: str) -> list[dict]:
    return harness.client("dynamodb").scan(TableName=table)["Items"]


def queue_messages(harness: Any, queue: str) -> list[dict]:
    sqs = harness.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])


def stream_records(harness: Any) -> list[dict]:
    kinesis = harness.client("kinesis")
    iterator = kinesis.get_shard_iterator(
        StreamName="SensorStream", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return kinesis.get_records(ShardIterator=iterator)["Records"]


def sensor_changes(harness: Any) -> list[Any]:
    return (
        stream_records(harness) + scan(harness, "SensorMetrics") + queue_messages(harness, "SensorReadingsDeadLetter")
    )


def ledger_changes(harness: Any) -> list[Any]:
    return scan(harness, "EventStore") + scan(harness, "AccountBalance")


def bus_changes(harness: Any) -> list[Any]:
    return harness.events.received("ecommerce-events")


def kinesis_record(body: dict, sequence: str) -> dict:
    import base64

    return {
        "kinesis": {"data": base64.b64encode(json.dumps(body).encode()).decode(), "sequenceNumber": sequence},
        "eventID": f"shardId-000000000000:{sequence}",
    }


def stream_insert(event_id: str) -> dict:
    image = {
        "aggregateId": {"S": "ACC-1"},
        "eventId": {"S": event_id},
        "eventType": {"S": "MoneyDeposited"},
        "amount": {"S": "10.5"},
        "timestamp": {"S": "2025-01-01T00:00:00.000000"},
    }
    return {"eventName": "INSERT", "dynamodb": {"NewImage": image}}


def in_stock_seed() -> int:
    return next(seed for seed in range(100) if random.Random(seed).choice([True, True, True, False]))


EVENTBRIDGE = {"version": "0", "id": "e-1", "detail-type": "OrderPlaced", "source": "ecommerce.orders"}
SECOND = ("Records", 1)

CASES = [
    Case(
        "SensorProducer",
        stream_processing_stack,
        {"count": 2, "seed": 7, "temperature": 70},
        (Field(("count",), bad_count), Field(("seed",), bad_seed), Field(("temperature",), bad_temperature)),
        sensor_changes,
    ),
    Case(
        "SensorStreamProcessor",
        stream_processing_stack,
        {
            "Records": [
                kinesis_record({"sensorId": "s-1", "temperature": 70}, "1"),
                kinesis_record({"sensorId": "s-2"}, "2"),
            ]
        },
        (
            Field(("Records",), bad_list, required=True),
            Field(SECOND, bad_object),
            Field((*SECOND, "kinesis"), bad_object, required=True),
            Field((*SECOND, "kinesis", "data"), bad_non_string, required=True),
            Field((*SECOND, "kinesis", "sequenceNumber"), bad_text, required=True),
            Field((*SECOND, "eventID"), bad_text, required=True),
        ),
        sensor_changes,
    ),
    Case(
        "CheckInventory",
        orchestration_stack,
        {"orderId": "ORD-1", "amount": 10, "inventorySeed": in_stock_seed()},
        (Field(("orderId",), bad_text), Field(("inStock",), bad_flag), Field(("inventorySeed",), bad_seed)),
    ),
    Case(
        "ProcessPayment",
        orchestration_stack,
        {"orderId": "ORD-1", "amount": 149.99},
        (Field(("orderId",), bad_text, required=True), Field(("amount",), bad_amount, required=True)),
    ),
    Case("ShipOrder", orchestration_stack, {"orderId": "ORD-1"}, (Field(("orderId",), bad_text, required=True),)),
    Case(
        "OrderPublisher",
        choreography_stack,
        {"amount": 25, "customerId": "cust-9"},
        (Field(("amount",), bad_amount), Field(("customerId",), bad_text)),
        bus_changes,
    ),
    Case(
        "PaymentService",
        choreography_stack,
        {**EVENTBRIDGE, "detail": {"orderId": "ORD-1", "amount": 25, "customerId": "c"}},
        (
            Field(("detail",), bad_object),
            Field(("detail", "orderId"), bad_text, required=True),
            Field(("detail", "amount"), bad_amount, required=True),
        ),
        bus_changes,
    ),
    Case(
        "FulfillmentService",
        choreography_stack,
        {**EVENTBRIDGE, "detail-type": "PaymentProcessed", "detail": {"orderId": "ORD-1"}},
        (Field(("detail",), bad_object), Field(("detail", "orderId"), bad_text, required=True)),
        bus_changes,
    ),
    Case(
        "NotificationService",
        choreography_stack,
        {**EVENTBRIDGE, "detail-type": "OrderShipped", "detail": {"orderId": "ORD-1", "tracking": "TRK-1"}},
        (
            Field(("detail",), bad_object),
            Field(("detail", "orderId"), bad_text, required=True),
            Field(("detail", "tracking"), bad_text),
        ),
    ),
    Case(
        "AccountCommand",
        event_sourcing_stack,
        {"command": "deposit", "accountId": "ACC-1", "amount": 10, "userId": "alice"},
        (
            Field(("command",), bad_text, required=True),
            Field(("accountId",), bad_text),
            Field(("amount",), bad_amount, required=True),
            Field(("userId",), bad_text),
        ),
        ledger_changes,
    ),
    Case(
        "BalanceProjection",
        event_sourcing_stack,
        {"Records": [stream_insert("e-1"), stream_insert("e-2")]},
        (
            Field(("Records",), bad_list, required=True),
            Field(SECOND, bad_object),
            Field((*SECOND, "eventName"), bad_text, required=True),
            Field((*SECOND, "dynamodb"), bad_object, required=True),
            Field((*SECOND, "dynamodb", "NewImage"), bad_object, required=True),
            *(
                Field((*SECOND, "dynamodb", "NewImage", name), bad_object, required=True)
                for name in ("aggregateId", "eventId", "eventType", "amount", "timestamp")
            ),
            *(
                Field((*SECOND, "dynamodb", "NewImage", name, "S"), bad_text, required=True)
                for name in ("aggregateId", "eventId", "eventType", "timestamp")
            ),
            Field((*SECOND, "dynamodb", "NewImage", "amount", "S"), bad_amount_text, required=True),
        ),
        ledger_changes,
    ),
    Case(
        "AccountQuery",
        event_sourcing_stack,
        {"accountId": "ACC-1", "asOf": "2025-01-01T00:00:00"},
        (Field(("accountId",), bad_text), Field(("asOf",), bad_text)),
        ledger_changes,
    ),
    Case(
        "BalanceRebuilder",
        event_sourcing_stack,
        {"accountId": "ACC-1"},
        (Field(("accountId",), bad_text),),
        ledger_changes,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.function for case in CASES])
def test_malformed_events_are_refused_naming_the_field_and_change_nothing(harness, case: Case) -> None:
    harness.deploy(case.stack())
    rng = random.Random(f"fuzz-{case.function}")
    accepted = []

    for _ in range(EVENTS_PER_HANDLER):
        event, name = malformed(case, rng)
        result = harness.functions.get(case.function).invoke(event)  # harness.invoke() turns None into {}
        if result.error is None or name not in result.error["errorMessage"]:
            accepted.append((event, name, result.error or result.payload))
    harness.drain()

    assert accepted == [], f"{len(accepted)} malformed events not refused by name, e.g. {accepted[:3]}"
    assert case.changes(harness) == []
    # The valid event the malformed ones came from is accepted.
    assert harness.invoke(case.function, case.valid).error is None
