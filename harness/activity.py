"""A process-wide signal that something was written to the backend, so idle pollers look again at once.

Every boto3 session the harness makes (its own and each function's) reports its write calls here.
Pollers then wait for the signal, or a quarter of a second for writers outside the harness, instead of
polling an idle source many times a second.
"""

from __future__ import annotations

import threading
from typing import Any

# Calls after which a stream, table stream or queue may hold something new (directly, or through the
# emulator's own delivery: EventBridge, SNS and S3 notifications to SQS).
WRITE_OPERATIONS = frozenset(
    {
        "PutRecord",
        "PutRecords",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
        "SendMessage",
        "SendMessageBatch",
        "ChangeMessageVisibility",
        "ChangeMessageVisibilityBatch",
        "PutEvents",
        "Publish",
        "PublishBatch",
        "PutObject",
        "CopyObject",
        "DeleteObject",
        "DeleteObjects",
        "CompleteMultipartUpload",
    }
)

_condition = threading.Condition()
_generation = 0


def generation() -> int:
    """A counter that moves on each write; read it before polling, wait on it after."""
    return _generation


def notify() -> None:
    """Wake every idle poller."""
    global _generation
    with _condition:
        _generation += 1
        _condition.notify_all()


def wait_for_write(seen: int, timeout: float) -> None:
    """Return when a write happened after `seen` was read, or after `timeout` seconds."""
    with _condition:
        _condition.wait_for(lambda: _generation != seen, timeout)


def after_call(model: Any = None, **_: Any) -> None:
    """botocore `after-call` hook: signal writes."""
    if model is not None and model.name in WRITE_OPERATIONS:
        notify()
