"""S3 buckets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from provisioning.builders.base import error_code


@dataclass(frozen=True)
class Bucket:
    """A bucket in the account's region."""

    name: str

    def create(self, account: Account) -> dict[str, Any]:
        """Create the bucket if this account does not own it yet."""
        client = account.client("s3")
        request: dict[str, Any] = {"Bucket": self.name}
        if account.region != "us-east-1":
            request["CreateBucketConfiguration"] = {"LocationConstraint": account.region}
        try:
            client.create_bucket(**request)
        except ClientError as exc:
            if error_code(exc) != "BucketAlreadyOwnedByYou":
                raise
        client.get_waiter("bucket_exists").wait(Bucket=self.name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        return {"arn": f"arn:aws:s3:::{self.name}", "name": self.name}

    def delete(self, account: Account) -> None:
        """Empty the bucket (all versions) and delete it."""
        client = account.client("s3")
        try:
            for page in client.get_paginator("list_object_versions").paginate(Bucket=self.name):
                objects = [
                    {"Key": o["Key"], "VersionId": o["VersionId"]}
                    for o in page.get("Versions", []) + page.get("DeleteMarkers", [])
                ]
                if objects:
                    client.delete_objects(Bucket=self.name, Delete={"Objects": objects, "Quiet": True})
            client.delete_bucket(Bucket=self.name)
        except ClientError as exc:
            if error_code(exc) != "NoSuchBucket":
                raise
