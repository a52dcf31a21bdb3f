"""Helpers shared by the routing tests: what a recorder function received, and queue contents."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from harness.backends import moto_fixes
from harness.routing.plumbing_skip import FIX as PLUMBING_FIX


def received_events(harness: Any, function: str) -> list[Any]:
    """Every event a `tests.handlers.recorder.record` function logged, in invocation order."""
    return [json.loads(line[len("EVENT ") :]) for line in harness.logs(function).lines if line.startswith("EVENT ")]


def drain_queue(harness: Any, queue: str) -> list[dict[str, Any]]:
    """Receive and delete every message of a queue, with its attributes."""
    sqs = harness.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    messages: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["All"]
    ).get("Messages", []):
        messages.extend(batch)
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)]
        )
    return messages


def attributes_of(message: dict[str, Any]) -> dict[str, str]:
    """A message's string attributes as a plain mapping."""
    return {name: value["StringValue"] for name, value in message.get("MessageAttributes", {}).items()}


def plumbing_queues(harness: Any) -> list[str]:
    """The URLs of the harness's plumbing queues in the account."""
    # Read on the backend itself: the harness's endpoint leaves plumbing queues out of ListQueues.
    return [url for url in harness.account.client("sqs").list_queues().get("QueueUrls", []) if "/harness-" in url]


@contextlib.contextmanager
def plumbing_mode(mode: str) -> Iterator[str]:
    """'skipped': the embedded backend fills no plumbing queue with what the harness delivers itself;
    'ledger': it does, as LocalStack would, and the queue routes skip those messages by the ledger."""
    if mode == "ledger" and moto_fixes.installed(PLUMBING_FIX):
        moto_fixes.remove(PLUMBING_FIX)
        try:
            yield mode
        finally:
            moto_fixes.internal_queue_deliveries_can_be_skipped()
    else:
        yield mode
