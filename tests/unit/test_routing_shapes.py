"""Event shapes the harness rebuilds: EventBridge events, S3 records; plus retry delays, names, overlaps."""

from __future__ import annotations

import json

import pytest

from harness.backends.base import Account, Credentials
from harness.routing.bus_event import bus_event_from_body
from harness.routing.plumbing import plumbing_name
from harness.routing.retry import RetryPolicy
from harness.routing.s3_event import Occurrences, Sequencer, lambda_s3_record
from harness.routing.s3_overlap import overlapping
from harness.routing.sns_subscriptions import lambda_sns_event

ACCOUNT = Account("123456789012", "us-east-1", "http://127.0.0.1:1", Credentials("a", "b"))


def test_an_event_from_the_plumbing_queue_is_put_in_eventbridge_order_without_ingestion_time():
    body = json.dumps(
        {
            "detail": {"a": 1},
            "source": "s",
            "detail-type": "T",
            "id": "e1",
            "time": 1700000000.5,
            "ingestion-time": 1700000001.25,
            "version": "0",
            "resources": [],
        }
    )

    received = bus_event_from_body(body, ACCOUNT)

    assert list(received.event) == [
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    ]
    assert received.event["time"] == "2023-11-14T22:13:20Z"
    assert received.event["account"] == "123456789012"
    assert received.event["region"] == "us-east-1"
    assert received.ingestion_time == "2023-11-14T22:13:21.250Z"


def test_a_message_that_is_not_an_event_is_refused():
    with pytest.raises(ValueError, match="not an EventBridge event"):
        bus_event_from_body('{"hello": 1}', ACCOUNT)


@pytest.mark.parametrize(
    ("emulator_key", "lambda_key"),
    [
        ("raw%2Fsales+2025.csv", "raw/sales+2025.csv"),
        ("raw/sales+2025.csv", "raw/sales+2025.csv"),
        ("a%3Db%26c.txt", "a%3Db%26c.txt"),
        ("caf%C3%A9.txt", "caf%C3%A9.txt"),
    ],
)
def test_s3_keys_are_encoded_as_s3_encodes_them(emulator_key, lambda_key):
    record = {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "object": {"key": emulator_key}}}

    shaped = lambda_s3_record(record, ACCOUNT, Sequencer())

    assert shaped["s3"]["object"]["key"] == lambda_key


def test_an_s3_record_keeps_what_the_emulator_gave_and_fills_the_rest():
    record = {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventTime": "2025-01-01T00:00:00.000Z",
        "eventName": "ObjectCreated:Put",
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "Uploaded",
            "bucket": {"name": "b", "arn": "arn:aws:s3:::b"},
            "object": {"key": "k", "size": 3, "eTag": "abc", "sequencer": "0055AED6DCD90281E5"},
        },
    }

    shaped = lambda_s3_record(record, ACCOUNT, Sequencer())

    assert shaped["s3"]["object"] == {"key": "k", "size": 3, "eTag": "abc", "sequencer": "0055AED6DCD90281E5"}
    assert shaped["userIdentity"] == {"principalId": "AWS:123456789012"}
    assert shaped["s3"]["bucket"]["ownerIdentity"] == {"principalId": "123456789012"}
    assert shaped["eventTime"] == "2025-01-01T00:00:00.000Z"


def test_sequencers_only_grow():
    sequencer = Sequencer()
    values = [sequencer.next() for _ in range(1000)]
    assert values == sorted(values) and len(set(values)) == 1000
    assert all(len(v) == 18 for v in values)


def test_occurrences_count_each_identity_and_forget_the_least_recent_beyond_their_limit():
    counted = Occurrences(limit=2)
    first, second, third = (("ObjectCreated:Put", f"k{n}", "e") for n in range(3))

    assert [counted.next(first), counted.next(first), counted.next(second)] == [1, 2, 1]
    assert counted.next(first) == 3  # first is now the most recent
    assert counted.next(third) == 1  # second, the least recent, is forgotten
    assert len(counted) == 2
    assert counted.next(second) == 1
    assert counted.next(first) == 1  # forgotten in turn when second came back


def test_lambda_sns_event_renames_the_envelope_fields():
    envelope = {
        "Type": "Notification",
        "MessageId": "m1",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:T",
        "Message": "hi",
        "Timestamp": "2025-01-01T00:00:00.000Z",
        "SignatureVersion": "1",
        "Signature": "sig",
        "SigningCertURL": "https://cert",
        "UnsubscribeURL": "https://unsub",
    }

    (record,) = lambda_sns_event(envelope, "arn:aws:sns:us-east-1:123456789012:T:sub")["Records"]

    assert record["Sns"]["SigningCertUrl"] == "https://cert"
    assert record["Sns"]["UnsubscribeUrl"] == "https://unsub"
    assert record["Sns"]["Subject"] is None
    assert record["Sns"]["MessageAttributes"] == {}


def test_retry_delays_double_up_to_five_minutes():
    policy = RetryPolicy()
    assert [policy.delay(n) for n in (1, 2, 3, 4, 9, 10, 50)] == [1, 2, 4, 8, 256, 300, 300]


def test_plumbing_names_fit_sqs_and_differ_for_different_targets():
    long = plumbing_name("rule", "b" * 256, "r" * 64, "t" * 64)
    assert len(long) <= 80
    assert long.startswith("harness-rule-")
    assert plumbing_name("rule", "bus", "R", "a") != plumbing_name("rule", "bus", "R", "b")
    assert plumbing_name("rule", "my.bus/x", "R", "t").replace("-", "").replace("_", "").isalnum()


def configuration(events, prefix="", suffix="", id_="Existing"):
    rules = [{"Name": n, "Value": v} for n, v in (("prefix", prefix), ("suffix", suffix)) if v]
    entry = {"Id": id_, "QueueArn": "arn:aws:sqs:us-east-1:1:q", "Events": list(events)}
    if rules:
        entry["Filter"] = {"Key": {"FilterRules": rules}}
    return {"QueueConfigurations": [entry]}


@pytest.mark.parametrize(
    ("existing", "events", "prefix", "suffix", "clash"),
    [
        (configuration(["s3:ObjectCreated:*"]), ("s3:ObjectCreated:Put",), "", "", True),
        (configuration(["s3:ObjectCreated:Put"]), ("s3:ObjectCreated:Copy",), "", "", False),
        (configuration(["s3:ObjectCreated:*"]), ("s3:ObjectRemoved:*",), "", "", False),
        (configuration(["s3:ObjectCreated:*"], prefix="raw/"), ("s3:ObjectCreated:*",), "archive/", "", False),
        (configuration(["s3:ObjectCreated:*"], prefix="raw/"), ("s3:ObjectCreated:*",), "raw/2025/", "", True),
        (configuration(["s3:ObjectCreated:*"], suffix=".csv"), ("s3:ObjectCreated:*",), "", ".json", False),
        (configuration(["s3:ObjectCreated:*"], suffix=".csv"), ("s3:ObjectCreated:*",), "raw/", "", True),
        (configuration(["s3:LifecycleTransition"]), ("s3:LifecycleTransition",), "", "", True),
    ],
)
def test_overlapping_configurations_are_found(existing, events, prefix, suffix, clash):
    assert (overlapping(existing, events, prefix, suffix) == "Existing") is clash
