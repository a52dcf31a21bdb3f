"""DynamoDB Streams under concurrent writers: every change gets its own, increasing sequence number.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html: each stream record
appears exactly once, in the order of the changes, with a sequence number unique within its shard.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from provisioning.builders.dynamodb import DynamoTable
from provisioning.stack import Stack

WRITERS = 8
WRITES = 250


def test_concurrent_writers_get_unique_increasing_sequence_numbers(harness):
    harness.deploy(Stack("busy-table", resources=[DynamoTable("Busy", ("id", "S"), stream_view_type="NEW_IMAGE")]))

    def write(writer: int) -> None:
        client = harness.client("dynamodb")
        for n in range(WRITES):
            client.put_item(TableName="Busy", Item={"id": {"S": f"{writer}-{n}"}})

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(write, range(WRITERS)))

    streams = harness.client("dynamodbstreams")
    arn = harness.client("dynamodb").describe_table(TableName="Busy")["Table"]["LatestStreamArn"]
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    records = []
    while iterator and (page := streams.get_records(ShardIterator=iterator, Limit=1000))["Records"]:
        records.extend(page["Records"])
        iterator = page.get("NextShardIterator")

    sequences = [int(record["dynamodb"]["SequenceNumber"]) for record in records]
    assert len(sequences) == WRITERS * WRITES
    assert sequences == sorted(set(sequences))
    assert {record["dynamodb"]["Keys"]["id"]["S"] for record in records} == {
        f"{w}-{n}" for w in range(WRITERS) for n in range(WRITES)
    }
