"""S3 bucket notifications that invoke functions with the event Lambda receives from S3."""

from __future__ import annotations

import uuid
from urllib.parse import unquote_plus

import pytest

from harness.functions.spec import FunctionSpec
from provisioning.builders.bucket_notifications import BucketNotification
from provisioning.builders.s3 import Bucket
from provisioning.stack import Stack
from tests.integration.routing_helpers import received_events

RECORDER = "tests.handlers.recorder.record"


@pytest.fixture
def bucket() -> str:
    """A bucket name of this test's own (S3 names are global)."""
    return f"datalake-{uuid.uuid4().hex[:12]}"


def s3_stack(bucket: str, *notifications: BucketNotification, functions=("Transformer",)) -> Stack:
    return Stack(
        "s3-triggers",
        resources=[Bucket(bucket)],
        functions=[FunctionSpec(name, RECORDER) for name in functions],
        triggers=list(notifications),
    )


def records(harness, function: str) -> list[dict]:
    """The single record of every event the function received."""
    events = received_events(harness, function)
    assert all(len(event["Records"]) == 1 for event in events)
    return [event["Records"][0] for event in events]


def test_a_created_csv_under_raw_invokes_the_function_with_the_s3_event(harness, bucket):
    notification = BucketNotification(bucket, "Transformer", prefix="raw/", suffix=".csv", id="RawCsvUploaded")
    harness.deploy(s3_stack(bucket, notification))
    s3 = harness.client("s3")

    put = s3.put_object(Bucket=bucket, Key="raw/sales 2025+q1.csv", Body=b"date,product\n2025-01-01,Widget\n")
    harness.drain()

    (record,) = records(harness, "Transformer")
    assert record["eventSource"] == "aws:s3"
    assert record["eventName"] == "ObjectCreated:Put"
    assert record["eventVersion"] == "2.1"
    assert record["awsRegion"] == "us-east-1"
    assert record["eventTime"].endswith("Z")
    assert record["userIdentity"]["principalId"]
    assert record["requestParameters"]["sourceIPAddress"]
    assert set(record["responseElements"]) == {"x-amz-request-id", "x-amz-id-2"}
    s3_part = record["s3"]
    assert s3_part["s3SchemaVersion"] == "1.0"
    assert s3_part["configurationId"] == "RawCsvUploaded"
    assert s3_part["bucket"]["name"] == bucket
    assert s3_part["bucket"]["arn"] == f"arn:aws:s3:::{bucket}"
    assert s3_part["bucket"]["ownerIdentity"]["principalId"]
    obj = s3_part["object"]
    assert obj["key"] == "raw/sales+2025%2Bq1.csv"
    assert unquote_plus(obj["key"]) == "raw/sales 2025+q1.csv"
    assert obj["size"] == 31
    assert obj["eTag"] == put["ETag"].strip('"')
    assert len(obj["sequencer"]) == 18 and int(obj["sequencer"], 16) > 0


def test_keys_outside_the_prefix_or_suffix_invoke_nothing(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer", prefix="raw/", suffix=".csv")))
    s3 = harness.client("s3")

    for key in ("processed/sales.csv", "raw/sales.json", "rawsales.csv", "raw/nested/sales.csv"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    harness.drain()

    assert [unquote_plus(r["s3"]["object"]["key"]) for r in records(harness, "Transformer")] == ["raw/nested/sales.csv"]


def test_a_specific_event_type_fires_only_for_that_operation(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer", events=("s3:ObjectCreated:Copy",))))
    s3 = harness.client("s3")

    s3.put_object(Bucket=bucket, Key="original.txt", Body=b"x")
    s3.copy_object(Bucket=bucket, Key="copy.txt", CopySource={"Bucket": bucket, "Key": "original.txt"})
    harness.drain()

    assert [(r["eventName"], r["s3"]["object"]["key"]) for r in records(harness, "Transformer")] == [
        ("ObjectCreated:Copy", "copy.txt")
    ]


def test_removals_carry_the_key_and_a_sequencer_but_no_size(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer", events=("s3:ObjectRemoved:*",))))
    s3 = harness.client("s3")

    s3.put_object(Bucket=bucket, Key="old/report.pdf", Body=b"pdf")
    s3.delete_object(Bucket=bucket, Key="old/report.pdf")
    harness.drain()

    (record,) = records(harness, "Transformer")
    assert record["eventName"] == "ObjectRemoved:Delete"
    assert set(record["s3"]["object"]) == {"key", "sequencer"}
    assert record["s3"]["object"]["key"] == "old/report.pdf"


def test_each_object_is_its_own_invocation_and_sequencers_increase(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer")))
    s3 = harness.client("s3")

    for body in (b"1", b"22", b"333"):
        s3.put_object(Bucket=bucket, Key="same-key.txt", Body=body)
    harness.drain()

    # asynchronous invocations may run in any order; the sequencer tells the order of the events
    received = sorted(records(harness, "Transformer"), key=lambda r: int(r["s3"]["object"]["sequencer"], 16))
    assert [r["s3"]["object"]["size"] for r in received] == [1, 2, 3]
    assert len({r["s3"]["object"]["sequencer"] for r in received}) == 3
    assert harness.functions.get("Transformer").invocation_count == 3


def test_two_notifications_on_one_bucket_each_invoke_their_function(harness, bucket):
    harness.deploy(
        s3_stack(
            bucket,
            BucketNotification(bucket, "Transformer", prefix="raw/"),
            BucketNotification(bucket, "Archiver", prefix="archive/"),
            functions=("Transformer", "Archiver"),
        )
    )
    s3 = harness.client("s3")

    s3.put_object(Bucket=bucket, Key="raw/a.csv", Body=b"a")
    s3.put_object(Bucket=bucket, Key="archive/b.csv", Body=b"b")
    harness.drain()

    assert [r["s3"]["object"]["key"] for r in records(harness, "Transformer")] == ["raw/a.csv"]
    assert [r["s3"]["object"]["key"] for r in records(harness, "Archiver")] == ["archive/b.csv"]
    # Shown as the user declared them: function configurations, not the harness's plumbing queues.
    configurations = s3.get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]
    assert len(configurations) == 2


def test_removing_a_notification_keeps_the_buckets_other_configurations(harness, bucket):
    harness.deploy(Stack("bucket", resources=[Bucket(bucket)]))
    s3 = harness.client("s3")
    sqs = harness.client("sqs")
    own_queue = sqs.create_queue(QueueName=f"own-{bucket}")["QueueUrl"]
    harness.on_close(lambda: sqs.delete_queue(QueueUrl=own_queue))
    own_arn = harness.account.arn("sqs", f"own-{bucket}")
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [{"Id": "Mine", "QueueArn": own_arn, "Events": ["s3:ObjectRemoved:*"]}]
        },
    )
    triggers = harness.deploy(
        Stack(
            "trigger",
            functions=[FunctionSpec("Transformer", RECORDER)],
            triggers=[BucketNotification(bucket, "Transformer")],
        )
    )

    triggers.destroy()

    remaining = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    assert [c["Id"] for c in remaining] == ["Mine"]
    assert all("harness-" not in url for url in harness.account.client("sqs").list_queues().get("QueueUrls", []))


def test_an_overlapping_notification_is_refused_and_nothing_is_left_behind(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer", prefix="raw/", id="First")))
    queues_before = harness.account.client("sqs").list_queues().get("QueueUrls", [])

    overlapping = Stack(
        "second",
        functions=[FunctionSpec("Other", RECORDER)],
        triggers=[BucketNotification(bucket, "Other", events=("s3:ObjectCreated:Put",), prefix="raw/2025/")],
    )
    with pytest.raises(ValueError, match="overlaps configuration 'First'"):
        harness.deploy(overlapping)

    configurations = harness.client("s3").get_bucket_notification_configuration(Bucket=bucket)
    assert [c["Id"] for c in configurations["LambdaFunctionConfigurations"]] == ["First"]
    assert "QueueConfigurations" not in configurations
    assert harness.account.client("sqs").list_queues().get("QueueUrls", []) == queues_before
    assert "Other" not in harness.functions


def test_a_notification_for_a_bucket_that_does_not_exist_is_refused(harness, bucket):
    stack = Stack(
        "lost",
        functions=[FunctionSpec("Transformer", RECORDER)],
        triggers=[BucketNotification(bucket, "Transformer")],
    )

    with pytest.raises(ValueError, match=f"bucket '{bucket}' does not exist"):
        harness.deploy(stack)

    assert "Transformer" not in harness.functions


def test_bad_declarations_are_refused_naming_what_is_wrong(bucket):
    with pytest.raises(ValueError, match=r"unknown S3 event types \['s3:ObjectCreated'\]"):
        BucketNotification(bucket, "Transformer", events=("s3:ObjectCreated",))
    with pytest.raises(ValueError, match="name at least one event type"):
        BucketNotification(bucket, "Transformer", events=())
    with pytest.raises(ValueError, match="names unknown function 'Nobody'"):
        s3_stack(bucket, BucketNotification(bucket, "Nobody"))
