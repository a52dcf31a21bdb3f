"""S3 bucket notifications for stacks: the harness's `BucketNotification` (see harness.routing.bucket_notification)."""

from harness.routing.bucket_notification import S3_EVENTS, BucketNotification

__all__ = ["S3_EVENTS", "BucketNotification"]
