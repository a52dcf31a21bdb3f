"""SQS queues, with an optional dead-letter queue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from provisioning.builders.base import error_code


@dataclass(frozen=True)
class Queue:
    """A standard queue; `dead_letter_queue` names a queue of the same stack created before this one."""

    name: str
    visibility_timeout: int = 30
    dead_letter_queue: str | None = None
    max_receive_count: int = 3

    def __post_init__(self) -> None:
        if not 0 <= self.visibility_timeout <= 43200:
            raise ValueError(f"queue {self.name}: visibility timeout {self.visibility_timeout} must be 0..43200")
        if not 1 <= self.max_receive_count <= 1000:
            raise ValueError(f"queue {self.name}: max receive count {self.max_receive_count} must be 1..1000")

    def create(self, account: Account) -> dict[str, Any]:
        """Create the queue (and its redrive policy) and return its URL and ARN."""
        client = account.client("sqs")
        attributes = {"VisibilityTimeout": str(self.visibility_timeout)}
        if self.dead_letter_queue:
            dlq_arn = account.arn("sqs", self.dead_letter_queue)
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(self.max_receive_count)}
            )
        url = client.create_queue(QueueName=self.name, Attributes=attributes)["QueueUrl"]
        arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return {"arn": arn, "url": url, "name": self.name}

    def delete(self, account: Account) -> None:
        """Delete the queue and its messages."""
        client = account.client("sqs")
        try:
            client.delete_queue(QueueUrl=client.get_queue_url(QueueName=self.name)["QueueUrl"])
        except ClientError as exc:
            if error_code(exc) not in {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}:
                raise
