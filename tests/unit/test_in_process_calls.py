"""Calls made straight into the embedded backend answer, fail and signal exactly as the boto3 client's calls do."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError

from harness import activity
from harness.backends import in_process
from harness.backends.base import Account, Credentials
from harness.backends.in_process_calls import InProcessClient
from harness.write_keys import sqs_key


@pytest.fixture
def account(harness) -> Account:
    if in_process.app_for(harness.account.endpoint_url) is None:
        pytest.skip("the backend is not served in this process (calls straight into it need the embedded backend)")
    return harness.account


def _without_metadata(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


@contextlib.contextmanager
def _stream(account: Account) -> Iterator[str]:
    client, name = account.client("kinesis"), f"calls-{uuid.uuid4().hex[:8]}"
    client.create_stream(StreamName=name, ShardCount=1)
    try:
        yield name
    finally:
        client.delete_stream(StreamName=name)


@contextlib.contextmanager
def _queue(account: Account) -> Iterator[str]:
    client = account.client("sqs")
    url = client.create_queue(QueueName=f"calls-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    try:
        yield url
    finally:
        client.delete_queue(QueueUrl=url)


@contextlib.contextmanager
def _table_stream(account: Account, view: str) -> Iterator[tuple[str, str]]:
    """A table with a stream of the given view type: its name and its stream's ARN."""
    client, name = account.client("dynamodb"), f"calls-{uuid.uuid4().hex[:8]}"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view},
    )
    try:
        yield name, client.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    finally:
        client.delete_table(TableName=name)


def test_kinesis_records_read_straight_in_equal_the_clients_bytes_and_timestamps(account):
    client, direct = account.client("kinesis"), account.internal_client("kinesis")
    assert isinstance(direct, InProcessClient)
    with _stream(account) as name:
        for data, key in ((b"\x00\xff binary", "a"), ("ünïcode".encode(), "ключ"), (b"{}", "b")):
            client.put_record(StreamName=name, Data=data, PartitionKey=key)
        shard = client.list_shards(StreamName=name)["Shards"][0]["ShardId"]
        iterator = direct.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        start = iterator["ShardIterator"]

        through_client = client.get_records(ShardIterator=start, Limit=10)
        straight_in = direct.get_records(ShardIterator=start, Limit=10)

    assert _without_metadata(straight_in) == _without_metadata(through_client)
    assert [r["Data"] for r in straight_in["Records"]] == [b"\x00\xff binary", "ünïcode".encode(), b"{}"]
    assert straight_in["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_dynamodb_stream_records_read_straight_in_equal_the_clients(account):
    dynamodb, streams = account.client("dynamodb"), account.client("dynamodbstreams")
    direct = account.internal_client("dynamodbstreams")
    with _table_stream(account, "NEW_AND_OLD_IMAGES") as (table, arn):
        item = {
            "id": {"S": "1"},
            "blob": {"B": b"\x00\x01"},
            "n": {"N": "3.5"},
            "nested": {"M": {"list": {"L": [{"S": "x"}, {"BOOL": True}, {"NULL": True}]}}},
            "set": {"BS": [b"a", b"b"]},
        }
        dynamodb.put_item(TableName=table, Item=item)
        dynamodb.put_item(TableName=table, Item={**item, "n": {"N": "4"}})
        dynamodb.delete_item(TableName=table, Key={"id": {"S": "1"}})
        shard = direct.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        start = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")

        through_client = streams.get_records(ShardIterator=start["ShardIterator"], Limit=10)
        straight_in = direct.get_records(ShardIterator=start["ShardIterator"], Limit=10)

    # Each read hands out an iterator of its own; everything else is the same answer.
    assert straight_in.pop("NextShardIterator") != through_client.pop("NextShardIterator")
    assert _without_metadata(straight_in) == _without_metadata(through_client)
    assert [r["eventName"] for r in straight_in["Records"]] == ["INSERT", "MODIFY", "REMOVE"]
    assert straight_in["Records"][1]["dynamodb"]["NewImage"]["blob"] == {"B": b"\x00\x01"}


@contextlib.contextmanager
def _fifo_queue(account: Account) -> Iterator[str]:
    client = account.client("sqs")
    url = client.create_queue(QueueName=f"calls-{uuid.uuid4().hex[:8]}.fifo", Attributes={"FifoQueue": "true"})
    try:
        yield url["QueueUrl"]
    finally:
        client.delete_queue(QueueUrl=url["QueueUrl"])


def _received_twice(account: Account, url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    """The same message through the client (made visible again at once), then straight in from moto."""
    client, direct = account.client("sqs"), account.internal_client("sqs")
    sent: list[str] = []
    send = direct._send
    monkeypatch.setattr(
        direct, "_send", lambda request: sent.append(request["headers"]["X-Amz-Target"]) or send(request)
    )
    receive = {"MaxNumberOfMessages": 1, "AttributeNames": ["All"], "MessageAttributeNames": ["All"]}
    first = client.receive_message(QueueUrl=url, VisibilityTimeout=0, WaitTimeSeconds=0, **receive)["Messages"][0]
    second = direct.receive_message(QueueUrl=url, VisibilityTimeout=30, WaitTimeSeconds=0, **receive)["Messages"][0]
    assert direct.receive_message(QueueUrl=url, WaitTimeSeconds=0, **receive).get("Messages", []) == []
    assert sent == []  # both reads were taken from moto in process
    # The same message, received a second time: a new receipt handle and receive count, nothing else.
    assert second.pop("ReceiptHandle") != first.pop("ReceiptHandle")
    counts = first["Attributes"].pop("ApproximateReceiveCount"), second["Attributes"].pop("ApproximateReceiveCount")
    assert counts == ("1", "2")
    return first, second


def test_an_sqs_message_received_straight_in_equals_the_clients(account, monkeypatch):
    attributes = {
        "text": {"DataType": "String", "StringValue": "ünï"},
        "count": {"DataType": "Number", "StringValue": "7"},
        "raw": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
    }
    with _queue(account) as url:
        account.client("sqs").send_message(QueueUrl=url, MessageBody='{"a": 1}', MessageAttributes=attributes)
        first, second = _received_twice(account, url, monkeypatch)

    assert second == first
    assert second["MessageAttributes"]["raw"]["BinaryValue"] == b"\x00\x01"
    assert set(second["Attributes"]) == {"SenderId", "SentTimestamp", "ApproximateFirstReceiveTimestamp"}


def test_a_fifo_message_received_straight_in_equals_the_clients(account, monkeypatch):
    with _fifo_queue(account) as url:
        account.client("sqs").send_message(
            QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d"
        )
        first, second = _received_twice(account, url, monkeypatch)

    assert second == first
    assert second["Attributes"]["MessageGroupId"] == "g"
    assert second["Attributes"]["MessageDeduplicationId"] == "d"
    assert "SequenceNumber" in second["Attributes"]


def test_a_long_poll_or_a_missing_queue_is_left_to_moto_s_app(account):
    direct = account.internal_client("sqs")
    with _queue(account) as url:
        assert direct.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []) == []
    with pytest.raises(direct.exceptions.QueueDoesNotExist):
        direct.receive_message(QueueUrl=url, WaitTimeSeconds=0)


def test_stream_reads_come_from_moto_s_models_and_errors_from_its_app(account, monkeypatch):
    client, direct = account.client("kinesis"), account.internal_client("kinesis")
    sent: list[str] = []
    send = direct._send
    monkeypatch.setattr(
        direct, "_send", lambda request: sent.append(request["headers"]["X-Amz-Target"]) or send(request)
    )
    with _stream(account) as name:
        client.put_record(StreamName=name, Data=b"x", PartitionKey="a")
        shard = client.list_shards(StreamName=name)["Shards"][0]["ShardId"]
        start = client.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
        records = direct.get_records(ShardIterator=start["ShardIterator"])["Records"]
    # The stream is gone: its iterator now reads a stream that does not exist.
    with pytest.raises(client.exceptions.ResourceNotFoundException) as through_client:
        client.get_records(ShardIterator=start["ShardIterator"])
    with pytest.raises(client.exceptions.ResourceNotFoundException) as straight_in:
        direct.get_records(ShardIterator=start["ShardIterator"])

    assert [r["Data"] for r in records] == [b"x"]
    assert sent == ["Kinesis_20131202.GetRecords"]  # only the failing read went through the app
    assert straight_in.value.response["Error"] == through_client.value.response["Error"]


def test_a_used_stream_iterator_expires_after_its_lifetime_and_an_unused_one_stays(account, monkeypatch):
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    from harness.backends import moto_fixes

    dynamodb, streams = account.client("dynamodb"), account.client("dynamodbstreams")
    with _table_stream(account, "KEYS_ONLY") as (table, arn):
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        iterator = lambda: streams.get_shard_iterator(  # noqa: E731
            StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        used, unused = iterator(), iterator()
        dynamodb.put_item(TableName=table, Item={"id": {"S": "1"}})
        assert len(streams.get_records(ShardIterator=used)["Records"]) == 1
        assert len(streams.get_records(ShardIterator=used)["Records"]) == 1  # read again within its lifetime

        monkeypatch.setattr(moto_fixes, "STREAM_ITERATOR_LIFETIME", 0.0)
        held = dynamodbstreams_backends[account.account_id][account.region].shard_iterators
        assert used in held
        later = streams.get_records(ShardIterator=unused)  # this read forgets the used iterators
        assert used not in held
        with pytest.raises(streams.exceptions.ExpiredIteratorException):
            streams.get_records(ShardIterator=used)
        with pytest.raises(streams.exceptions.ExpiredIteratorException):
            account.internal_client("dynamodbstreams").get_records(ShardIterator=used)

    assert len(later["Records"]) == 1  # never read with, so kept


def test_errors_are_the_clients_exceptions(account):
    kinesis, sqs = account.internal_client("kinesis"), account.internal_client("sqs")

    with pytest.raises(kinesis.exceptions.ResourceNotFoundException) as missing_stream:
        kinesis.describe_stream(StreamName=f"missing-{uuid.uuid4().hex[:8]}")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as missing_queue:
        sqs.get_queue_url(QueueName=f"missing-{uuid.uuid4().hex[:8]}")
    with pytest.raises(ParamValidationError, match="MaxNumberOfMessages"):
        sqs.receive_message(QueueUrl="http://x/1/q", MaxNumberOfMessages="ten")

    assert missing_stream.value.operation_name == "DescribeStream"
    assert missing_stream.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert missing_queue.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"


def test_a_write_straight_in_wakes_the_queues_pollers(account):
    client, direct = account.client("sqs"), account.internal_client("sqs")
    with _queue(account) as url:
        client.send_message(QueueUrl=url, MessageBody="x")
        handle = client.receive_message(QueueUrl=url, VisibilityTimeout=60)["Messages"][0]["ReceiptHandle"]
        listener = activity.Listener([sqs_key(url)]).open()
        try:
            listener.arm()
            direct.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
            assert listener.signalled
        finally:
            listener.close()


def test_services_and_endpoints_it_cannot_serve_get_the_boto3_client(account):
    elsewhere = Account(account.account_id, account.region, "http://127.0.0.1:9", Credentials("a", "b"))

    assert not isinstance(elsewhere.internal_client("kinesis"), InProcessClient)
    assert not isinstance(account.internal_client("s3"), InProcessClient)  # REST, not JSON
    assert account.internal_client("sqs") is account.internal_client("sqs")
    with pytest.raises(ValueError, match="speaks rest-xml, not JSON"):
        InProcessClient(account.client("s3"), account.credentials)
    with pytest.raises(ValueError, match="not an endpoint served in this process"):
        InProcessClient(elsewhere.client("kinesis"), elsewhere.credentials)
