"""Where a mapping sends the record of a batch it gave up on: an SQS queue or an SNS topic."""

from __future__ import annotations

import json
from typing import Any

from harness.backends.base import Account


def send_to_destination(account: Account, arn: str, document: dict[str, Any]) -> None:
    """Deliver `document` as JSON to the SQS queue or SNS topic named by `arn`."""
    body = json.dumps(document)
    parts = arn.split(":")
    if parts[2] == "sqs":
        sqs = account.client("sqs")
        url = sqs.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=body)
    elif parts[2] == "sns":
        account.client("sns").publish(TopicArn=arn, Message=body)
    else:
        raise ValueError(f"unsupported destination {arn!r}: only SQS queues and SNS topics")
