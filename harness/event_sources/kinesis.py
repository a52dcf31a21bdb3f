"""Kinesis Data Streams as an event source, with records shaped as Lambda delivers them."""

from __future__ import annotations

import base64
from typing import Any

from harness.event_sources.stream import StreamMapping
from harness.write_keys import Key, kinesis_key


class KinesisMapping(StreamMapping):
    """Reads every shard of a Kinesis stream for one function."""

    kind = "kinesis"
    batch_info_key = "KinesisBatchInfo"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings.validate_for_stream(self.source_arn)
        self._client = self.account.internal_client("kinesis")
        self._stream_name = self.source_arn.split(":stream/", 1)[1]
        self._role_arn = self.function.role_arn
        self._init_shards()

    def wake_keys(self) -> tuple[Key, ...]:
        """Writes to the stream wake this mapping."""
        return (kinesis_key(self._stream_name),)

    def _list_shards(self) -> list[str]:
        shards = self._client.list_shards(StreamName=self._stream_name)["Shards"]
        return [shard["ShardId"] for shard in shards]

    def _iterator(self, shard_id: str, kind: str, **extra: Any) -> str:
        return self._client.get_shard_iterator(
            StreamName=self._stream_name, ShardId=shard_id, ShardIteratorType=kind, **extra
        )["ShardIterator"]

    def _read(self, iterator: str, limit: int) -> tuple[list[dict[str, Any]], str | None]:
        response = self._client.get_records(ShardIterator=iterator, Limit=min(limit, 10000))
        return response["Records"], response.get("NextShardIterator")

    def _event_record(self, raw: dict[str, Any], shard_id: str) -> dict[str, Any]:
        return {
            "kinesis": {
                "kinesisSchemaVersion": "1.0",
                "partitionKey": raw["PartitionKey"],
                "sequenceNumber": raw["SequenceNumber"],
                "data": base64.b64encode(raw["Data"]).decode(),
                "approximateArrivalTimestamp": raw["ApproximateArrivalTimestamp"].timestamp(),
            },
            "eventSource": "aws:kinesis",
            "eventVersion": "1.0",
            "eventID": f"{shard_id}:{raw['SequenceNumber']}",
            "eventName": "aws:kinesis:record",
            "invokeIdentityArn": self._role_arn,
            "awsRegion": self.account.region,
            "eventSourceARN": self.source_arn,
        }

    def _sequence(self, record: dict[str, Any]) -> str:
        return record["kinesis"]["sequenceNumber"]

    def _arrival(self, record: dict[str, Any]) -> float:
        return record["kinesis"]["approximateArrivalTimestamp"]
