"""Polls one plumbing queue and hands each message to a handler, in the background or on `pump()`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from harness.backends.base import Account
from harness.polling import BackgroundPoller
from harness.routing.plumbing import PlumbingQueue
from harness.write_keys import ANY_QUEUE, Key, sqs_key

HOLD_SECONDS = 43200  # received messages stay invisible until handled and deleted

MAX_RETRY_VISIBILITY = 30

Handler = Callable[[dict[str, Any]], None]


def retry_visibility(message: dict[str, Any]) -> int:
    """Seconds a message whose handling failed stays hidden: 0 after the first receive, then 1, 2, 4 ... 30."""
    receives = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
    return 0 if receives <= 1 else min(2 ** (receives - 2), MAX_RETRY_VISIBILITY)


class QueuePoller(BackgroundPoller):
    """One consumer of one queue: a message is deleted once its handler returned.

    A handler that raises leaves its message on the queue for the next poll, and `busy()` reports it,
    so `drain()` fails naming the problem instead of losing the message.
    """

    def __init__(self, account: Account, queue: PlumbingQueue, handle: Handler, label: str) -> None:
        super().__init__()
        self.queue = queue
        self.label = label
        self.thread_label = f"routing-{queue.name}"
        self.received = 0
        self.attempts = 0  # messages received, handled or not: drain()'s progress counter
        self.last_error: str | None = None
        self._handle = handle
        self._client = account.internal_client("sqs")
        self._lock = threading.Lock()

    def wake_keys(self) -> tuple[Key, ...]:
        """Writes to the queue wake this poller, and those the backend may carry on to any queue."""
        return (sqs_key(self.queue.name), ANY_QUEUE)

    def pump(self) -> int:
        """Receive what the queue holds now and handle it; return how many messages were handled."""
        with self._lock:
            messages = self._client.receive_message(
                QueueUrl=self.queue.url,
                MaxNumberOfMessages=10,
                VisibilityTimeout=HOLD_SECONDS,
                WaitTimeSeconds=0,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            self.attempts += len(messages)
            handled = []
            for message in messages:
                try:
                    self._handle(message)
                except Exception as exc:
                    self.last_error = f"{type(exc).__name__}: {exc}"
                    self._client.change_message_visibility(
                        QueueUrl=self.queue.url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=retry_visibility(message),
                    )
                    continue
                handled.append(message)
            if handled:
                self._client.delete_message_batch(
                    QueueUrl=self.queue.url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(handled)],
                )
            if len(handled) == len(messages):
                self.last_error = None
            self.received += len(handled)
            return len(handled)

    def progress(self) -> int:
        """Moves with every message received, so that `drain()` sees work a background poll did."""
        return self.attempts

    def busy(self) -> str | None:
        """Why this poller is not idle: a message whose handling keeps failing."""
        return f"{self.label}: handling a message failed with {self.last_error}" if self.last_error else None
