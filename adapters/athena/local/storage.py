"""The objects under an S3 location, listed and fetched through boto3 (the backend's own S3 API)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from adapters.athena.local.errors import QueryFailed


@dataclass(frozen=True)
class S3Object:
    """One data object of a table."""

    bucket: str
    key: str
    size: int


def split_location(location: str) -> tuple[str, str]:
    """`s3://bucket/prefix/` -> (bucket, prefix); the prefix keeps (or gains) its trailing slash."""
    if not location.startswith("s3://"):
        raise QueryFailed(f"HIVE_INVALID_METADATA: table location {location!r} is not an s3:// URI")
    bucket, _, prefix = location[len("s3://") :].partition("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return bucket, prefix


def _hidden(key: str, prefix: str) -> bool:
    # Hive and Athena skip objects whose name (or any folder below the location) starts with _ or .
    return any(part.startswith(("_", ".")) for part in key[len(prefix) :].split("/"))


class ObjectStore:
    """Reads a table's objects from S3 into local files the engine can scan."""

    def __init__(self, s3: Any) -> None:
        self.s3 = s3

    def objects(self, location: str) -> list[S3Object]:
        """Every data object under a location, subfolders included, in key order."""
        bucket, prefix = split_location(location)
        found = []
        try:
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    key = item["Key"]
                    if key.endswith("/") or _hidden(key, prefix):
                        continue
                    found.append(S3Object(bucket, key, item["Size"]))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchBucket":
                raise QueryFailed(
                    f"HIVE_FILESYSTEM_ERROR: The specified bucket does not exist: {bucket} (location {location})"
                ) from None
            raise
        return found

    def folders(self, location: str) -> list[str]:
        """The relative folder paths (e.g. `year=2025/month=01`) that hold objects under a location."""
        _, prefix = split_location(location)
        seen: set[str] = set()
        for obj in self.objects(location):
            relative = obj.key[len(prefix) :]
            if "/" in relative:
                seen.add(relative.rsplit("/", 1)[0])
        return sorted(seen)

    def fetch(self, obj: S3Object, directory: Path, index: int) -> Path:
        """Copy one object into `directory` (gzip objects decompressed, as Athena reads them)."""
        body = self.s3.get_object(Bucket=obj.bucket, Key=obj.key)["Body"].read()
        if obj.key.endswith(".gz"):
            body = gzip.decompress(body)
        suffix = ".parquet" if obj.key.endswith(".parquet") else ""
        path = directory / f"{index:06d}{suffix}"
        path.write_bytes(body)
        return path

    def put(self, location: str, body: bytes, content_type: str) -> None:
        """Write one object at an `s3://bucket/key` location."""
        bucket, _, key = location[len("s3://") :].partition("/")
        self.s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
