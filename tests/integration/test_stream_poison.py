"""Pattern 7 under bad input and failing writes: nothing stops the readings behind a bad record.

Lambda's Kinesis error handling (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html):
a batch whose invocation fails is retried, split with BisectBatchOnFunctionError, and after
MaximumRetryAttempts sent to the on-failure destination. A record that can never be parsed is not
worth retrying: the processor sets it aside in its dead-letter queue and goes on with the batch.
"""

from __future__ import annotations

import json

from provisioning.stacks import stream_processing_stack
from provisioning.stacks.stream_processing import DEAD_LETTER, FAILURES, TABLE, TRIGGER_RETRIES


def put(harness, payload: bytes, key: str = "sensor-01") -> str:
    return harness.client("kinesis").put_record(StreamName="SensorStream", Data=payload, PartitionKey=key)[
        "SequenceNumber"
    ]


def reading(n: int) -> bytes:
    return json.dumps({"sensorId": f"sensor-0{n % 3 + 1}", "temperature": 60 + n, "humidity": 40}).encode()


def rows(harness) -> list[dict]:
    return harness.client("dynamodb").scan(TableName=TABLE)["Items"]


def messages(harness, queue: str) -> list[dict]:
    sqs = harness.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    found = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        found.extend(batch)
        for message in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found


def mapping_description(harness) -> dict:
    (mapping,) = harness.client("lambda").list_event_source_mappings(FunctionName="SensorStreamProcessor")[
        "EventSourceMappings"
    ]
    return mapping


def test_a_malformed_record_is_set_aside_and_every_reading_behind_it_is_stored(harness):
    harness.deploy(stream_processing_stack())

    before = [put(harness, reading(n)) for n in range(3)]
    poison = put(harness, b"\xff not json")
    after = [put(harness, reading(n)) for n in range(3, 7)]
    harness.drain()

    stored = {row["timestamp"]["S"].split("#")[1] for row in rows(harness)}
    assert stored == set(before + after)
    (dead,) = messages(harness, DEAD_LETTER)
    body = json.loads(dead["Body"])
    assert body["sequenceNumber"] == poison
    assert "UTF-8" in body["reason"]
    assert harness.logs("SensorStreamProcessor").matching(f"Unreadable record {poison}")
    assert mapping_description(harness)["LastProcessingResult"] == "OK"
    assert messages(harness, FAILURES) == []


def test_readings_that_cannot_be_stored_are_set_aside_before_anything_is_written(harness):
    harness.deploy(stream_processing_stack())

    put(harness, json.dumps({"temperature": 99}).encode())  # no sensorId
    put(harness, json.dumps({"sensorId": "sensor-01", "temperature": "hot"}).encode())
    put(harness, json.dumps([1, 2]).encode())
    put(harness, reading(1))
    harness.drain()

    assert len(rows(harness)) == 1
    reasons = sorted(json.loads(m["Body"])["reason"] for m in messages(harness, DEAD_LETTER))
    assert [reason.split()[0] for reason in reasons] == ["data", "sensorId", "temperature"]


def test_a_failing_write_is_retried_with_backoff_and_reported_until_it_succeeds(harness):
    harness.deploy(stream_processing_stack())
    lines: list[str] = []
    harness.event_sources.on_failure(lambda mapping, line: lines.append(line))
    dynamodb = harness.client("dynamodb")
    table = dynamodb.describe_table(TableName=TABLE)["Table"]
    dynamodb.delete_table(TableName=TABLE)

    sequences = [put(harness, reading(n)) for n in range(3)]
    harness.drain()

    described = mapping_description(harness)
    assert (described["State"], described["LastProcessingResult"]) == ("Enabled", "PROBLEM: Function call failed")
    assert lines and "SensorStreamProcessor" in lines[0] and "ResourceNotFoundException" in lines[0]
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=table["KeySchema"],
        AttributeDefinitions=table["AttributeDefinitions"],
        BillingMode="PAY_PER_REQUEST",
    )
    harness.advance(seconds=1)  # the first retry waits one second

    assert {row["timestamp"]["S"].split("#")[1] for row in rows(harness)} == set(sequences)
    assert mapping_description(harness)["LastProcessingResult"] == "OK"


def test_a_batch_that_keeps_failing_goes_to_the_on_failure_destination_after_bounded_retries(harness):
    stack = harness.deploy(stream_processing_stack())
    lines: list[str] = []
    harness.event_sources.on_failure(lambda mapping, line: lines.append(line))
    harness.client("dynamodb").delete_table(TableName=TABLE)

    sequence = put(harness, reading(1))
    harness.drain()
    harness.advance(minutes=2)  # 1 + 2 + 4 + 8 + 16 s of back-off

    (failure,) = messages(harness, FAILURES)
    info = json.loads(failure["Body"])["KinesisBatchInfo"]
    assert info["startSequenceNumber"] == info["endSequenceNumber"] == sequence
    assert stack.mapping("SensorStreamProcessor").batches == [1] * (TRIGGER_RETRIES + 1)
    assert any("gave up on 1 record" in line for line in lines)
