"""A Textract request's Document or DocumentLocation: bytes given inline, or an object in the account's S3."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from adapters.textract.errors import InvalidParameter, TextractError
from harness.backends.base import Account


class InvalidS3Object(TextractError):
    """The S3 object cannot be read: no such bucket, key or version."""

    code = "InvalidS3ObjectException"


S3_UNREADABLE = "Unable to get object metadata from S3. Check object key, region and/or access permissions."


def document_bytes(account: Account, document: dict[str, Any]) -> bytes:
    """The bytes of a Document (Bytes or S3Object, exactly one of them)."""
    given = [name for name in ("Bytes", "S3Object") if name in document]
    if len(given) != 1:
        raise InvalidParameter("Document must have exactly one of Bytes and S3Object")
    if "Bytes" in document:
        return bytes(document["Bytes"])
    return s3_object_bytes(account, document["S3Object"])


def s3_object_bytes(account: Account, s3_object: dict[str, Any]) -> bytes:
    """The bytes of an S3Object (Bucket, Name, optional Version) in the account's S3."""
    bucket, name = s3_object.get("Bucket"), s3_object.get("Name")
    if not bucket or not name:
        raise InvalidParameter("S3Object must name its Bucket and Name")
    request = {"Bucket": bucket, "Key": name}
    if s3_object.get("Version"):
        request["VersionId"] = s3_object["Version"]
    try:
        return account.client("s3").get_object(**request)["Body"].read()
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        version = f" version {s3_object['Version']}" if s3_object.get("Version") else ""
        raise InvalidS3Object(f"{S3_UNREADABLE} (s3://{bucket}/{name}{version}: {code})") from exc
