"""Objects placed in a bucket when a stack is deployed (a pattern's starting data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from provisioning.builders.base import error_code


@dataclass(frozen=True)
class BucketObject:
    """One object with fixed content; declare it after its bucket."""

    bucket: str
    key: str
    body: bytes
    content_type: str = "binary/octet-stream"

    @property
    def name(self) -> str:
        """The resource's name within a stack: `bucket/key`."""
        return f"{self.bucket}/{self.key}"

    def create(self, account: Account) -> dict[str, Any]:
        """Upload the object."""
        answer = account.client("s3").put_object(
            Bucket=self.bucket, Key=self.key, Body=self.body, ContentType=self.content_type
        )
        return {"arn": f"arn:aws:s3:::{self.bucket}/{self.key}", "etag": answer.get("ETag", "")}

    def delete(self, account: Account) -> None:
        """Remove the object; nothing to do if it or its bucket is gone."""
        try:
            account.client("s3").delete_object(Bucket=self.bucket, Key=self.key)
        except ClientError as exc:
            if error_code(exc) != "NoSuchBucket":
                raise
