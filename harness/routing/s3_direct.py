"""S3 object events of writes through the harness's endpoint, delivered to the bucket's function notifications at once.

The write itself goes to the backend unchanged; once it succeeded, each notification whose event types
(`s3:ObjectCreated:*` covers every ObjectCreated event) and key filter (prefix, suffix) match gets one record,
built as the emulator builds the one it sends to the plumbing queue (key URL-encoded, size and eTag of a
created object, its versionId in a versioned bucket) and shaped by the same `lambda_s3_record`. The backend
still raises the event onto the plumbing queue, where the queue route skips it (see `DirectLedger`), unless
it can be told not to (see `plumbing_skip`).

Event names follow S3's "Event notification types and destinations" page: a DeleteObject without a version
id in a versioned bucket creates a delete marker (`ObjectRemoved:DeleteMarkerCreated`); deleting an object
of an unversioned bucket or a given version is `ObjectRemoved:Delete`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from botocore.exceptions import ClientError

from harness.routing.bucket_notification import BucketNotification

if TYPE_CHECKING:
    from harness.routing.s3_notifications import DeployedNotification


@dataclass(frozen=True)
class ObjectChange:
    """One object event a write caused: S3's event name without 's3:' (e.g. 'ObjectCreated:Put'), key, version."""

    event_name: str
    key: str
    version_id: str | None = None
    size: int | None = None  # known from the request (a PutObject's body): no need to ask the backend
    etag: str | None = None

    def __post_init__(self) -> None:
        if self.version_id == "null":  # S3's version of an object written while versioning was off
            object.__setattr__(self, "version_id", None)

    @property
    def created(self) -> bool:
        """True for an ObjectCreated event (the record then carries the object's size and eTag)."""
        return self.event_name.startswith("ObjectCreated")


def notification_matches(notification: BucketNotification, event_name: str, key: str) -> bool:
    """Whether S3 sends this event of this key to the notification (event types, then prefix and suffix)."""
    full = f"s3:{event_name}"
    if not any(full == kind or (kind.endswith(":*") and full.startswith(kind[:-1])) for kind in notification.events):
        return False
    return key.startswith(notification.prefix) and key.endswith(notification.suffix)


def queue_record(
    bucket: str, change: ObjectChange, configuration_id: str, region: str, details: dict[str, Any]
) -> dict[str, Any]:
    """The record as the emulator sends it to a queue; `details` holds the object's size, eTag and versionId."""
    now = datetime.now(UTC)
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "eventName": change.event_name,
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": configuration_id,
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": quote_plus(change.key), **details},
        },
    }


def object_details(s3: Any, bucket: str, change: ObjectChange) -> dict[str, Any]:
    """Size, eTag and (in a versioned bucket) versionId of the object a write created or removed."""
    if not change.created:
        return {"versionId": change.version_id} if change.version_id else {}
    if change.size is not None and change.etag:
        known: dict[str, Any] = {"size": change.size, "eTag": change.etag.strip('"')}
        return {**known, "versionId": change.version_id} if change.version_id else known
    version = {"VersionId": change.version_id} if change.version_id else {}
    try:
        head = s3.head_object(Bucket=bucket, Key=change.key, **version)
    except ClientError:
        return {"versionId": change.version_id} if change.version_id else {}  # gone again already
    details: dict[str, Any] = {"size": head.get("ContentLength", 0), "eTag": str(head.get("ETag", "")).strip('"')}
    version_id = head.get("VersionId") or change.version_id
    if version_id and version_id != "null":
        details["versionId"] = version_id
    return details


def deliver_changes(
    notifications: Iterable[DeployedNotification],
    s3: Any,
    bucket: str,
    region: str,
    changes: Iterable[ObjectChange],
    seen: Callable[[Hashable], None] | None,
) -> None:
    """Hand each change to every notification that matches it, one record per invocation.

    `seen` gets each delivery's ledger key; None when the backend raises nothing onto the plumbing queues.
    """
    current = [n for n in notifications if not n.removed]
    for change in changes:
        matching = [n for n in current if notification_matches(n.notification, change.event_name, change.key)]
        if not matching:
            continue
        details = object_details(s3, bucket, change)
        for deployed in matching:
            route = deployed.route
            record = queue_record(bucket, change, deployed.notification.configuration_id, region, details)
            if seen is not None:
                seen(route.ledger_key(record, route.direct_occurrences))
            route.deliver(record)
