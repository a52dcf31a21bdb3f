"""DynamoDB tables, optionally with a stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from provisioning.builders.base import error_code

STREAM_VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
KEY_TYPES = ("S", "N", "B")


@dataclass(frozen=True)
class DynamoTable:
    """An on-demand table: partition key, optional sort key, optional stream view type.

    Keys are `(name, type)` pairs, e.g. `("sensorId", "S")`.
    """

    name: str
    partition_key: tuple[str, str]
    sort_key: tuple[str, str] | None = None
    stream_view_type: str | None = None

    def __post_init__(self) -> None:
        for key in filter(None, (self.partition_key, self.sort_key)):
            if key[1] not in KEY_TYPES:
                raise ValueError(f"table {self.name}: key {key[0]} has type {key[1]!r}; use one of {KEY_TYPES}")
        if self.stream_view_type not in (None, *STREAM_VIEW_TYPES):
            raise ValueError(
                f"table {self.name}: stream view type {self.stream_view_type!r} is not one of {STREAM_VIEW_TYPES}"
            )

    def create(self, account: Account) -> dict[str, Any]:
        """Create the table if missing and wait until it is ACTIVE."""
        client = account.client("dynamodb")
        keys = [(self.partition_key, "HASH")] + ([(self.sort_key, "RANGE")] if self.sort_key else [])
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeySchema": [{"AttributeName": k[0], "KeyType": kind} for k, kind in keys],
            "AttributeDefinitions": [{"AttributeName": k[0], "AttributeType": k[1]} for k, _ in keys],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if self.stream_view_type:
            request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": self.stream_view_type}
        try:
            client.create_table(**request)
        except ClientError as exc:
            if error_code(exc) != "ResourceInUseException":
                raise
        client.get_waiter("table_exists").wait(TableName=self.name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        table = client.describe_table(TableName=self.name)["Table"]
        outputs = {"arn": table["TableArn"], "name": self.name}
        if self.stream_view_type:
            if "LatestStreamArn" not in table:
                raise RuntimeError(f"table {self.name} exists without the stream this stack declares")
            outputs["stream_arn"] = table["LatestStreamArn"]
        return outputs

    def delete(self, account: Account) -> None:
        """Delete the table and its items."""
        try:
            account.client("dynamodb").delete_table(TableName=self.name)
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
