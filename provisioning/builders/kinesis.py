"""Kinesis data streams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from provisioning.builders.base import error_code


@dataclass(frozen=True)
class KinesisStream:
    """A provisioned-mode stream with a fixed number of shards."""

    name: str
    shards: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.shards <= 500:
            raise ValueError(f"stream {self.name}: shard count {self.shards} must be between 1 and 500")

    def create(self, account: Account) -> dict[str, Any]:
        """Create the stream if missing and wait until it is ACTIVE."""
        client = account.client("kinesis")
        try:
            client.create_stream(
                StreamName=self.name, ShardCount=self.shards, StreamModeDetails={"StreamMode": "PROVISIONED"}
            )
        except ClientError as exc:
            if error_code(exc) != "ResourceInUseException":
                raise
        client.get_waiter("stream_exists").wait(StreamName=self.name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        summary = client.describe_stream_summary(StreamName=self.name)["StreamDescriptionSummary"]
        return {"arn": summary["StreamARN"], "name": self.name}

    def delete(self, account: Account) -> None:
        """Delete the stream with its records."""
        try:
            account.client("kinesis").delete_stream(StreamName=self.name, EnforceConsumerDeletion=True)
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
