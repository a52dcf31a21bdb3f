"""S3 through the gateway: LambdaFunctionConfigurations in a bucket's notification configuration invoke functions.

Object writes (PutObject, CopyObject, CompleteMultipartUpload, DeleteObject, DeleteObjects) to a bucket with
function notifications go to the backend unchanged; once it answered with success, the harness delivers
their events to those functions itself, with no queue in between (see `harness.routing.s3_direct`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from typing import Any
from xml.etree import ElementTree

from harness.routing.eventbridge import EventRouting
from harness.routing.plumbing_skip import plumbing_skippable, plumbing_skipped
from harness.routing.s3_direct import ObjectChange, deliver_changes
from harness.routing.s3_event import s3_scope
from harness.served.service import FORWARD, AwsError, Forward, ForwardOutcome, Observer, Operation

ChangesOf = Callable[[ForwardOutcome], list[ObjectChange]]


class S3Api:
    """Bucket notifications to functions, delivered by the harness; every other S3 call is the backend's.

    Example:
        >>> gateway.serve(S3Api(harness.events, backend_s3_client))  # doctest: +SKIP
    """

    service = "s3"

    def __init__(self, routing: EventRouting, backend: Any) -> None:
        self.routing = routing
        self.backend = backend  # a boto3 S3 client on the backend, in the harness's account

    def operations(self) -> dict[str, Operation]:
        """The operations answered here; the rest go to the backend."""
        return {
            "PutBucketNotificationConfiguration": self.put_notifications,
            "GetBucketNotificationConfiguration": self.get_notifications,
            "PutObject": self.put_object,
            "CopyObject": self.copy_object,
            "CompleteMultipartUpload": self.complete_multipart_upload,
            "DeleteObject": self.delete_object,
            "DeleteObjects": self.delete_objects,
        }

    def put_notifications(self, params: dict[str, Any]) -> dict[str, Any]:
        """PutBucketNotificationConfiguration: function destinations become harness routes."""
        bucket = params["Bucket"]
        self.backend.head_bucket(Bucket=bucket)  # NoSuchBucket (404) as S3 answers
        try:
            self.routing.replace_bucket_notifications(bucket, params.get("NotificationConfiguration") or {})
        except ValueError as exc:
            raise AwsError("InvalidArgument", str(exc)) from None
        return {}

    def get_notifications(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetBucketNotificationConfiguration, with function destinations as the user put them."""
        answer = self.backend.get_bucket_notification_configuration(Bucket=params["Bucket"])
        configuration = {k: v for k, v in answer.items() if k != "ResponseMetadata"}
        return self.routing.shown_bucket_configuration(params["Bucket"], configuration)

    # -- object writes: forwarded unchanged, their events delivered by the harness -----------------
    def put_object(self, params: dict[str, Any]) -> Forward:
        """PutObject: s3:ObjectCreated:Put."""
        body = params.get("Body") or b""
        # An aws-chunked body is framed with chunk signatures: its size is the backend's to say.
        size = None if "aws-chunked" in (params.get("ContentEncoding") or "") else len(body)

        def changes(outcome: ForwardOutcome) -> list[ObjectChange]:
            version = outcome.headers.get("x-amz-version-id")
            return [ObjectChange("ObjectCreated:Put", params["Key"], version, size, outcome.headers.get("etag"))]

        return self._watched(params, changes)

    def copy_object(self, params: dict[str, Any]) -> Forward:
        """CopyObject: s3:ObjectCreated:Copy for the new object."""
        return self._watched(params, lambda outcome: [_created("ObjectCreated:Copy", params["Key"], outcome)])

    def complete_multipart_upload(self, params: dict[str, Any]) -> Forward:
        """CompleteMultipartUpload: s3:ObjectCreated:CompleteMultipartUpload."""
        return self._watched(
            params, lambda outcome: [_created("ObjectCreated:CompleteMultipartUpload", params["Key"], outcome)]
        )

    def delete_object(self, params: dict[str, Any]) -> Forward:
        """DeleteObject: s3:ObjectRemoved:Delete, or DeleteMarkerCreated when it made a delete marker."""

        def changes(outcome: ForwardOutcome) -> list[ObjectChange]:
            if params.get("VersionId"):
                return [ObjectChange("ObjectRemoved:Delete", params["Key"], params["VersionId"])]
            if outcome.headers.get("x-amz-delete-marker") == "true":
                return [
                    ObjectChange(
                        "ObjectRemoved:DeleteMarkerCreated", params["Key"], outcome.headers.get("x-amz-version-id")
                    )
                ]
            return [ObjectChange("ObjectRemoved:Delete", params["Key"])]

        return self._watched(params, changes)

    def delete_objects(self, params: dict[str, Any]) -> Forward:
        """DeleteObjects: one removal event per key the answer lists as deleted."""
        if params.get("Delete", {}).get("Quiet"):
            return FORWARD  # a quiet answer lists no deleted key: the queue route delivers those events
        asked = {(o["Key"], o.get("VersionId")) for o in params.get("Delete", {}).get("Objects", [])}
        return self._watched(params, lambda outcome: _deleted(outcome.body, asked))

    def _watched(self, params: dict[str, Any], changes_of: ChangesOf) -> Forward:
        bucket = params["Bucket"]
        if not self.routing.bucket_notifications(bucket):
            return FORWARD
        return Forward(self._delivering(bucket, changes_of))

    @contextlib.contextmanager
    def _delivering(self, bucket: str, changes_of: ChangesOf) -> Iterator[Observer]:
        account = self.routing.harness.account

        def observer(seen: Callable[[Hashable], None] | None) -> Observer:
            def observe(outcome: ForwardOutcome) -> None:
                if not _written(outcome):
                    return  # a refused write raises no event
                notifications = self.routing.bucket_notifications(bucket)
                deliver_changes(notifications, self.backend, bucket, account.region, changes_of(outcome), seen)

            return observe

        if plumbing_skippable(account):  # the backend raises nothing onto the plumbing queues: no ledger needed
            with plumbing_skipped({n.queue.name for n in self.routing.bucket_notifications(bucket)}):
                yield observer(None)
            return
        with self.routing.ledger.publishing(s3_scope(bucket)) as seen:
            yield observer(seen)


def _written(outcome: ForwardOutcome) -> bool:
    """A 2xx answer that is no error document (CopyObject and CompleteMultipartUpload can fail with a 200)."""
    if not outcome.succeeded:
        return False
    if not outcome.body.strip():
        return True
    try:
        root = ElementTree.fromstring(outcome.body)
    except ElementTree.ParseError:
        return True
    return _local(root.tag) != "Error"


def _created(event_name: str, key: str, outcome: ForwardOutcome) -> ObjectChange:
    return ObjectChange(event_name, key, outcome.headers.get("x-amz-version-id"))


def _deleted(body: bytes, asked: set[tuple[str, str | None]]) -> list[ObjectChange]:
    """The removal events of a DeleteObjects answer (`asked`: the keys and versions the request named)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return []
    changes = []
    for entry in root:
        if _local(entry.tag) != "Deleted":
            continue
        fields = {_local(child.tag): child.text or "" for child in entry}
        key, version = fields.get("Key", ""), fields.get("VersionId")
        if version and (key, version) in asked:
            changes.append(ObjectChange("ObjectRemoved:Delete", key, version))
        elif fields.get("DeleteMarker") == "true":
            changes.append(
                ObjectChange("ObjectRemoved:DeleteMarkerCreated", key, fields.get("DeleteMarkerVersionId") or version)
            )
        else:
            changes.append(ObjectChange("ObjectRemoved:Delete", key))
    return changes


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
