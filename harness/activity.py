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

# Calls after which an EventBridge rule's state or pattern may have changed.
RULE_OPERATIONS = frozenset({"PutRule", "EnableRule", "DisableRule", "DeleteRule"})

_condition = threading.Condition()
_generation = 0
_rules_generation = 0


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


def rules_generation() -> int:
    """A counter that moves whenever an EventBridge rule may have changed (cached rule states are stale)."""
    return _rules_generation


def rules_changed() -> None:
    """Mark every cached rule state stale."""
    global _rules_generation
    with _condition:
        _rules_generation += 1


def after_call(model: Any = None, **_: Any) -> None:
    """botocore `after-call` hook: signal writes and rule changes."""
    if model is None:
        return
    if model.name in WRITE_OPERATIONS:
        notify()
    elif model.name in RULE_OPERATIONS:
        rules_changed()
