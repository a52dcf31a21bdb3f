"""DynamoDB Streams as an event source, with records shaped as Lambda delivers them."""

from __future__ import annotations

from typing import Any

from harness.event_sources.stream import StreamMapping, to_json_safe
from harness.write_keys import Key, dynamodb_key


class DynamoDBStreamMapping(StreamMapping):
    """Reads every shard of a table's stream for one function."""

    kind = "dynamodb"
    batch_info_key = "DDBStreamBatchInfo"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings.validate_for_stream(self.source_arn)
        if self.settings.batch_size > 10000:
            raise ValueError(f"BatchSize for {self.source_arn} must be at most 10000")
        self._client = self.account.internal_client("dynamodbstreams")
        self._init_shards()

    def wake_keys(self) -> tuple[Key, ...]:
        """Writes to the table wake this mapping."""
        return (dynamodb_key(self.source_arn),)

    def _list_shards(self) -> list[str]:
        description = self._client.describe_stream(StreamArn=self.source_arn)["StreamDescription"]
        return [shard["ShardId"] for shard in description["Shards"]]

    def _iterator(self, shard_id: str, kind: str, **extra: Any) -> str:
        if kind == "AT_TIMESTAMP":
            raise ValueError(f"DynamoDB stream {self.source_arn} supports LATEST and TRIM_HORIZON only")
        return self._client.get_shard_iterator(StreamArn=self.source_arn, ShardId=shard_id, ShardIteratorType=kind)[
            "ShardIterator"
        ]

    def _read(self, iterator: str, limit: int) -> tuple[list[dict[str, Any]], str | None]:
        response = self._client.get_records(ShardIterator=iterator, Limit=min(limit, 1000))
        return response["Records"], response.get("NextShardIterator")

    def _event_record(self, raw: dict[str, Any], shard_id: str) -> dict[str, Any]:
        record = to_json_safe(raw)
        record["eventVersion"] = "1.1"
        record["eventSourceARN"] = self.source_arn
        record.setdefault("awsRegion", self.account.region)
        record.setdefault("eventSource", "aws:dynamodb")
        return record

    def _sequence(self, record: dict[str, Any]) -> str:
        return record["dynamodb"]["SequenceNumber"]

    def _arrival(self, record: dict[str, Any]) -> float:
        return float(record["dynamodb"].get("ApproximateCreationDateTime", 0))
