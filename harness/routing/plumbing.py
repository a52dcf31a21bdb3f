"""Plumbing queues: real SQS queues the emulator delivers to, standing in for a function destination.

Their names start with `harness-` and end with a hash of what they serve, so they are unique per
rule target, bucket notification or subscription and recognisable in `list_queues`.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass

from botocore.exceptions import ClientError

from harness.backends import moto_fixes
from harness.backends.base import Account

PREFIX = "harness-"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class PlumbingQueue:
    """One queue on the backend: its name, URL and ARN."""

    name: str
    url: str
    arn: str


def plumbing_name(kind: str, *parts: str) -> str:
    """A queue name (at most 80 characters) for `kind` ('rule', 'bus', 's3', 'sns') and what it serves."""
    digest = hashlib.sha1("\0".join((kind, *parts)).encode()).hexdigest()[:10]
    readable = _UNSAFE.sub("_", "-".join(parts))[: 80 - len(PREFIX) - len(kind) - len(digest) - 2]
    return f"{PREFIX}{kind}-{readable}-{digest}"


def create_plumbing_queue(account: Account, name: str, attributes: dict[str, str] | None = None) -> PlumbingQueue:
    """Create (or find) the queue and return where it is."""
    sqs = account.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes or {})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return PlumbingQueue(name, url, arn)


def create_placeholder_queue(account: Account, name: str) -> PlumbingQueue:
    """A queue that only stands in for a target on the backend, never read.

    The embedded backend never fills it; another backend does, and drops what it holds after a minute.
    """
    queue = create_plumbing_queue(account, name, {"MessageRetentionPeriod": "60"})
    moto_fixes.keep_queues_empty([name])
    return queue


def delete_plumbing_queue(account: Account, queue: PlumbingQueue) -> None:
    """Delete the queue with what it still holds (no error if it is gone)."""
    moto_fixes.stop_keeping_queues_empty([queue.name])
    with contextlib.suppress(ClientError):
        account.client("sqs").delete_queue(QueueUrl=queue.url)
