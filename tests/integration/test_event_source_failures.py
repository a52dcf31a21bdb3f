"""Event source failure paths: poison records, partial batch responses, retries, destinations, DLQs."""

from __future__ import annotations

import json

import pytest

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.kinesis import KinesisStream
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack, Trigger

HANDLERS = "tests.handlers.batches"


def kinesis_stack(handler: str, **settings) -> Stack:
    """A stream, a failure queue and one consumer with the given mapping settings."""
    return Stack(
        "kinesis-failures",
        resources=[KinesisStream("Readings"), Queue("ReadingsFailures")],
        functions=[FunctionSpec("Consumer", f"{HANDLERS}.{handler}", timeout=10)],
        triggers=[Trigger("Consumer", "Readings", MappingSettings(starting_position="TRIM_HORIZON", **settings))],
    )


def put_readings(harness, bodies: list[dict]) -> list[str]:
    kinesis = harness.client("kinesis")
    return [
        kinesis.put_record(StreamName="Readings", Data=json.dumps(body), PartitionKey="one")["SequenceNumber"]
        for body in bodies
    ]


def receive_all(harness, queue: str) -> list[dict]:
    sqs = harness.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    messages = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        messages.extend(batch)
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
        )
    return messages


def test_poison_record_goes_to_the_on_failure_destination_while_the_others_are_processed(harness):
    stack = harness.deploy(
        kinesis_stack(
            "poison_kinesis",
            batch_size=10,
            bisect_batch_on_function_error=True,
            maximum_retry_attempts=1,
            on_failure_destination="ReadingsFailures",
        )
    )
    bodies = [{"n": n} for n in range(10)]
    bodies[6]["poison"] = True
    with harness.paused():
        sequences = put_readings(harness, bodies)
        harness.drain()
        harness.advance(seconds=1)  # the poison record's one retry waits a second

    processed = harness.logs("Consumer").matching("processed")
    assert sorted(int(line.split()[1]) for line in processed) == [0, 1, 2, 3, 4, 5, 7, 8, 9]
    failures = receive_all(harness, "ReadingsFailures")
    assert len(failures) == 1
    document = json.loads(failures[0]["Body"])
    info = document["KinesisBatchInfo"]
    assert info["startSequenceNumber"] == info["endSequenceNumber"] == sequences[6]
    assert info["batchSize"] == 1
    assert info["streamArn"] == stack.arn("Readings")
    assert info["shardId"] == "shardId-000000000000"
    assert document["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert document["requestContext"]["approximateInvokeCount"] == 2
    assert document["requestContext"]["functionArn"].endswith(":function:Consumer")
    assert document["responseContext"]["functionError"] == "Unhandled"


def test_without_bisect_the_whole_batch_is_given_up_after_the_retries(harness):
    stack = harness.deploy(kinesis_stack("poison_kinesis", batch_size=5, maximum_retry_attempts=2))
    with harness.paused():
        put_readings(harness, [{"n": 0}, {"n": 1, "poison": True}, {"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}])
        harness.drain()
        mapping = stack.mapping("Consumer")
        # Retries back off on the harness clock: 1 s after the first failure, 2 s after the second.
        assert mapping.batches == [5]
        harness.advance(seconds=1)
        assert mapping.batches == [5, 5]
        harness.advance(seconds=1.5)
        assert mapping.batches == [5, 5]
        harness.advance(seconds=0.5)

    assert mapping.batches == [5, 5, 5, 1]  # first try + 2 retries, then the shard moves on
    assert len(mapping.given_up) == 1
    assert mapping.given_up[0]["KinesisBatchInfo"]["batchSize"] == 5
    assert [int(line.split()[1]) for line in harness.logs("Consumer").matching("processed")] == [5]


def test_partial_batch_failure_retries_from_the_failed_record_only(harness):
    stack = harness.deploy(
        kinesis_stack("partial_kinesis", batch_size=10, function_response_types=("ReportBatchItemFailures",))
    )
    bodies = [{"n": n} for n in range(6)]
    bodies[3]["flaky"] = True
    with harness.paused():
        put_readings(harness, bodies)
        harness.drain()
        harness.advance(seconds=1)  # the retry from record 3 waits a second

    lines = harness.logs("Consumer").lines
    assert lines == [
        "processed 0",
        "processed 1",
        "processed 2",
        "failed 3",
        "processed 3",
        "processed 4",
        "processed 5",
    ]
    assert stack.mapping("Consumer").batches == [6, 3]


def test_unknown_item_identifier_fails_the_whole_batch(harness):
    stack = Stack(
        "bad-report",
        resources=[KinesisStream("Readings")],
        functions=[FunctionSpec("Consumer", "tests.handlers.batches.partial_kinesis")],
        triggers=[
            Trigger(
                "Consumer",
                "Readings",
                MappingSettings(
                    batch_size=3,
                    starting_position="TRIM_HORIZON",
                    maximum_retry_attempts=0,
                    function_response_types=("ReportBatchItemFailures",),
                ),
            )
        ],
    )
    deployed = harness.deploy(stack)
    mapping = deployed.mapping("Consumer")

    # A function answering with an identifier that is not in the batch
    class Liar:
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def invoke(self, event):
            result = self.inner.invoke(event)
            result.payload = {"batchItemFailures": [{"itemIdentifier": "no-such-sequence"}]}
            return result

    mapping.function = Liar(mapping.function)
    with harness.paused():
        put_readings(harness, [{"n": 0}, {"n": 1}])
        harness.drain()

    assert mapping.batches == [2]
    assert mapping.given_up[0]["KinesisBatchInfo"]["batchSize"] == 2


def test_dynamodb_stream_failures_reach_the_destination_with_ddb_batch_info(harness):
    stack = Stack(
        "ddb-failures",
        resources=[DynamoTable("Events", ("id", "S"), stream_view_type="NEW_IMAGE"), Queue("EventFailures")],
        functions=[FunctionSpec("Consumer", f"{HANDLERS}.always_fail")],
        triggers=[
            Trigger(
                "Consumer",
                "Events",
                MappingSettings(
                    batch_size=10,
                    starting_position="LATEST",
                    maximum_retry_attempts=0,
                    on_failure_destination="EventFailures",
                ),
            )
        ],
    )
    deployed = harness.deploy(stack)
    harness.client("dynamodb").put_item(TableName="Events", Item={"id": {"S": "e-1"}})

    harness.drain()

    failures = receive_all(harness, "EventFailures")
    assert len(failures) == 1
    info = json.loads(failures[0]["Body"])["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1
    assert info["streamArn"] == deployed.outputs["Events"]["stream_arn"]


def test_sqs_partial_batch_response_retries_only_failed_messages_then_redrives_them(harness):
    stack = Stack(
        "sqs-partial",
        resources=[
            Queue("Work-dlq"),
            Queue("Work", visibility_timeout=30, dead_letter_queue="Work-dlq", max_receive_count=2),
        ],
        functions=[FunctionSpec("Worker", f"{HANDLERS}.partial_sqs")],
        triggers=[
            Trigger(
                "Worker", "Work", MappingSettings(batch_size=10, function_response_types=("ReportBatchItemFailures",))
            )
        ],
    )
    deployed = harness.deploy(stack)
    sqs = harness.client("sqs")
    url = deployed.outputs["Work"]["url"]
    with harness.paused():
        for body in ["ok-1", "fail-2", "ok-3"]:
            sqs.send_message(QueueUrl=url, MessageBody=body)
        harness.drain()
    logs = harness.logs("Worker")
    assert sorted(logs.matching("processed")) == ["processed ok-1", "processed ok-3"]
    assert logs.matching("failed") == ["failed fail-2 receive=1"]

    harness.advance(seconds=29)  # not yet visible again
    assert len(logs.matching("failed")) == 1

    harness.advance(seconds=1)  # visibility timeout over: second receive, fails again
    assert logs.matching("failed") == ["failed fail-2 receive=1", "failed fail-2 receive=2"]

    harness.advance(seconds=30)  # maxReceiveCount reached: the queue moves it to the DLQ
    assert len(logs.matching("failed")) == 2
    dead = receive_all(harness, "Work-dlq")
    assert [m["Body"] for m in dead] == ["fail-2"]
    assert len(logs.matching("processed")) == 2


def test_sqs_event_records_are_shaped_as_lambda_delivers_them(harness):
    stack = Stack(
        "sqs-shape",
        resources=[Queue("Inbox")],
        functions=[FunctionSpec("Reader", "tests.handlers.probes.env_probe")],
    )
    deployed = harness.deploy(stack)
    captured = []
    runtime = harness.functions.get("Reader")
    original = runtime.invoke

    def capture(event, **kwargs):
        captured.append(event)
        return original({"keys": []}, **kwargs)

    runtime.invoke = capture
    harness.event_sources.create("Reader", deployed.arn("Inbox"), MappingSettings(batch_size=5))
    harness.client("sqs").send_message(
        QueueUrl=deployed.outputs["Inbox"]["url"],
        MessageBody="hello",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "greeting"}},
    )

    harness.drain()

    record = captured[0]["Records"][0]
    assert record["body"] == "hello"
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == deployed.arn("Inbox")
    assert record["messageAttributes"]["kind"]["stringValue"] == "greeting"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["md5OfBody"] == "5d41402abc4b2a76b9719d911017c592"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"batch_size": 0, "starting_position": "LATEST"}, "BatchSize 0"),
        ({"batch_size": 10}, "StartingPosition"),
        ({"starting_position": "NEWEST"}, "StartingPosition"),
        ({"starting_position": "LATEST", "function_response_types": ("Everything",)}, "FunctionResponseTypes"),
        ({"starting_position": "LATEST", "on_failure_destination": "arn:aws:s3:::bucket"}, "destination"),
    ],
)
def test_invalid_stream_mapping_settings_are_refused_naming_the_parameter(harness, settings, message):
    deployed = harness.deploy(
        Stack(
            "bad",
            resources=[KinesisStream("Readings")],
            functions=[FunctionSpec("Consumer", f"{HANDLERS}.always_fail")],
        )
    )

    with pytest.raises(ValueError, match=message):
        harness.event_sources.create("Consumer", deployed.arn("Readings"), MappingSettings(**settings))
    assert harness.event_sources.all() == []
