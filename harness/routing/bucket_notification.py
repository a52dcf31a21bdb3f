"""S3 bucket notifications that invoke a function: event types, prefix and suffix filters.

A `BucketNotification` goes in a stack's `triggers`, e.g. "ObjectCreated events under raw/ ending in
.csv invoke DataLakeTransformer":

    >>> BucketNotification("datalake", "DataLakeTransformer", prefix="raw/", suffix=".csv")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.attachments import DeclaringStack, DeployedResources, RouteHost

S3_EVENTS = frozenset(
    {
        "s3:ObjectCreated:*",
        "s3:ObjectCreated:Put",
        "s3:ObjectCreated:Post",
        "s3:ObjectCreated:Copy",
        "s3:ObjectCreated:CompleteMultipartUpload",
        "s3:ObjectRemoved:*",
        "s3:ObjectRemoved:Delete",
        "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRestore:*",
        "s3:ObjectRestore:Post",
        "s3:ObjectRestore:Completed",
        "s3:ObjectRestore:Delete",
        "s3:ReducedRedundancyLostObject",
        "s3:Replication:*",
        "s3:Replication:OperationFailedReplication",
        "s3:Replication:OperationMissedThreshold",
        "s3:Replication:OperationReplicatedAfterThreshold",
        "s3:Replication:OperationNotTracked",
        "s3:LifecycleExpiration:*",
        "s3:LifecycleExpiration:Delete",
        "s3:LifecycleExpiration:DeleteMarkerCreated",
        "s3:LifecycleTransition",
        "s3:IntelligentTiering",
        "s3:ObjectTagging:*",
        "s3:ObjectTagging:Put",
        "s3:ObjectTagging:Delete",
        "s3:ObjectAcl:Put",
    }
)
_ID = re.compile(r"^[^\s]{1,255}$")
MAX_FILTER = 1024


@dataclass(frozen=True)
class BucketNotification:
    """A bucket's events that invoke `function`; `id` is the configuration's name (the console's "Name")."""

    bucket: str
    function: str
    events: tuple[str, ...] = ("s3:ObjectCreated:*",)
    prefix: str = ""
    suffix: str = ""
    id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "events", tuple(self.events))
        owner = f"notification of bucket {self.bucket} for {self.function}"
        if not self.events:
            raise ValueError(f"{owner}: name at least one event type, e.g. 's3:ObjectCreated:*'")
        unknown = sorted(set(self.events) - S3_EVENTS)
        if unknown:
            raise ValueError(f"{owner}: unknown S3 event types {unknown}; valid ones look like 's3:ObjectCreated:*'")
        for name, value in (("prefix", self.prefix), ("suffix", self.suffix)):
            if not isinstance(value, str) or len(value) > MAX_FILTER:
                raise ValueError(f"{owner}: {name} must be text of at most {MAX_FILTER} characters")
        if not _ID.match(self.configuration_id):
            raise ValueError(f"{owner}: id {self.configuration_id!r} must be 1-255 characters without spaces")

    @property
    def configuration_id(self) -> str:
        """The Id of the configuration in the bucket's notification configuration."""
        if self.id is not None:
            return self.id
        digest = hashlib.sha1(f"{self.events}|{self.prefix}|{self.suffix}".encode()).hexdigest()[:8]
        return f"{self.function}-{digest}"

    def filter_rules(self) -> list[dict[str, str]]:
        """The key filter rules S3 expects (lower-case names)."""
        rules = []
        if self.prefix:
            rules.append({"Name": "prefix", "Value": self.prefix})
        if self.suffix:
            rules.append({"Name": "suffix", "Value": self.suffix})
        return rules

    def check(self, stack: DeclaringStack) -> None:
        """The function must be one of the stack's."""
        if self.function not in {f.name for f in stack.functions}:
            raise ValueError(
                f"stack {stack.name}: notification of bucket {self.bucket} names unknown function {self.function!r}"
            )

    def attach(self, harness: RouteHost, deployed: DeployedResources) -> Callable[[], None]:
        """Add the notification to the bucket and start invoking the function."""
        return harness.events.add_bucket_notification(self, deployed.outputs)

    def __str__(self) -> str:
        filters = "".join(
            f" {name}={value!r}" for name, value in (("prefix", self.prefix), ("suffix", self.suffix)) if value
        )
        return f"notification {self.configuration_id} of bucket {self.bucket} ({', '.join(self.events)}{filters})"
