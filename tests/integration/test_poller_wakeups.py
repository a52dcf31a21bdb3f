"""Background pollers look again as soon as their own source is written to, and only then.

Idle waits are made long here, so that a delivery within the test's wait proves a write woke the poller.
Lambda reads each stream and queue for its mappings on its own
(https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html); the harness polls
each one when a write concerns it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import boto3
import pytest

from harness import polling
from harness.event_sources.mapping import EventSourceMapping
from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.kinesis import KinesisStream
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack, Trigger

RECORD = "tests.handlers.recorder.record"
LATEST = MappingSettings(batch_size=1, starting_position="TRIM_HORIZON")


def wakeup_stack() -> Stack:
    """Two streams, a table and a queue, each with a function of its own."""
    return Stack(
        "poller-wakeups",
        resources=[
            KinesisStream("StreamA"),
            KinesisStream("StreamB"),
            DynamoTable("Rows", partition_key=("id", "S"), stream_view_type="NEW_IMAGE"),
            Queue("Jobs"),
        ],
        functions=[FunctionSpec(name, RECORD) for name in ("OnA", "OnB", "OnRows", "OnJobs")],
        triggers=[
            Trigger("OnA", "StreamA", LATEST),
            Trigger("OnB", "StreamB", LATEST),
            Trigger("OnRows", "Rows", LATEST),
            Trigger("OnJobs", "Jobs", MappingSettings(batch_size=1)),
        ],
    )


class Counted:
    """Counts the pumps of one mapping's background thread."""

    def __init__(self, mapping: EventSourceMapping) -> None:
        self.count = 0
        pump = mapping.pump

        def counting() -> int:
            self.count += 1
            return pump()

        mapping.pump = counting  # type: ignore[method-assign]


@pytest.fixture
def mappings(harness, monkeypatch) -> dict[str, tuple[EventSourceMapping, Counted]]:
    """The deployed stack's mappings by function, pump counters installed before their threads start."""
    monkeypatch.setattr(polling, "IDLE_WAIT", 600.0)
    with harness.event_sources.paused():
        harness.deploy(wakeup_stack())
        found = {m.function.spec.name: (m, Counted(m)) for m in harness.event_sources.all()}
    for _, counted in found.values():  # each thread's first look
        harness.eventually(lambda counted=counted: counted.count >= 1)
    return found


def delivered(mapping: EventSourceMapping, count: int) -> Callable[[], bool]:
    return lambda: mapping.delivered >= count


def test_a_write_to_one_stream_wakes_its_poller_and_not_the_other_streams(harness, mappings):
    (on_a, a), (_, b) = mappings["OnA"], mappings["OnB"]
    kinesis = harness.client("kinesis")
    for n in range(1, 4):
        kinesis.put_record(StreamName="StreamA", Data=json.dumps({"n": n}).encode(), PartitionKey="p")
        harness.eventually(delivered(on_a, n), message=lambda: f"OnA has {on_a.delivered} records")
    assert a.count >= 4
    assert b.count == 1  # its first look only


def test_writes_from_outside_the_harness_through_the_endpoint_wake_their_pollers(harness, mappings):
    credentials = harness.account.credentials
    session = boto3.session.Session(
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_access_key,
        aws_session_token=credentials.session_token,
        region_name=harness.account.region,
    )
    kinesis, dynamodb, sqs = (
        session.client(s, endpoint_url=harness.endpoint_url) for s in ("kinesis", "dynamodb", "sqs")
    )
    kinesis.put_record(StreamName="StreamA", Data=b"{}", PartitionKey="p")
    dynamodb.put_item(TableName="Rows", Item={"id": {"S": "1"}})
    sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName="Jobs")["QueueUrl"], MessageBody="{}")
    for name in ("OnA", "OnRows", "OnJobs"):
        mapping = mappings[name][0]
        harness.eventually(delivered(mapping, 1), message=lambda mapping=mapping: f"{mapping.thread_label} idle")
    assert mappings["OnB"][1].count == 1
