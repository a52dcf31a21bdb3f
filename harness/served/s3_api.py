"""S3 through the gateway: LambdaFunctionConfigurations in a bucket's notification configuration invoke functions."""

from __future__ import annotations

from typing import Any

from harness.routing.eventbridge import EventRouting
from harness.served.service import AwsError, Operation


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
