"""The embedded backend behaves like AWS where the patterns depend on it."""

from __future__ import annotations

import threading

import pytest

from provisioning.builders.kinesis import KinesisStream


@pytest.fixture
def stream(harness):
    KinesisStream("Concurrent").create(harness.account)
    harness.on_close(lambda: KinesisStream("Concurrent").delete(harness.account))
    return "Concurrent"


def test_concurrent_producers_lose_no_records(harness, stream):
    start = threading.Barrier(2)

    def produce(prefix: str) -> None:
        client = harness.client("kinesis")
        start.wait()
        for n in range(150):
            client.put_record(StreamName=stream, Data=f"{prefix}-{n}".encode(), PartitionKey=prefix)

    producers = [threading.Thread(target=produce, args=(name,)) for name in ("a", "b")]
    for producer in producers:
        producer.start()
    for producer in producers:
        producer.join()

    kinesis = harness.client("kinesis")
    iterator = kinesis.get_shard_iterator(
        StreamName=stream, ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator, Limit=1000)["Records"]
    assert len(records) == 300
    assert len({r["SequenceNumber"] for r in records}) == 300


def test_accounts_have_aws_managed_policies(harness):
    policy = harness.client("iam").get_policy(PolicyArn="arn:aws:iam::aws:policy/AmazonKinesisFullAccess")["Policy"]

    assert policy["PolicyName"] == "AmazonKinesisFullAccess"
