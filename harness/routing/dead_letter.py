"""What EventBridge writes to a target's dead-letter queue: the event, with attributes saying why."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DeliveryFailure:
    """Why a delivery failed, and whether EventBridge would try again."""

    code: str
    message: str
    retriable: bool


def dead_letter_attributes(
    rule_arn: str, target_arn: str, failure: DeliveryFailure, retries: int, exhausted: str | None
) -> dict[str, dict[str, str]]:
    """The message attributes of a dead-lettered event (EXHAUSTED_RETRY_CONDITION only when retries ran out)."""
    values = {
        "RULE_ARN": rule_arn,
        "TARGET_ARN": target_arn,
        "ERROR_CODE": failure.code,
        "ERROR_MESSAGE": failure.message,
        "RETRY_ATTEMPTS": str(retries),
    }
    if exhausted:
        values["EXHAUSTED_RETRY_CONDITION"] = exhausted
    return {name: {"DataType": "String", "StringValue": value} for name, value in values.items()}


def send_dead_letter(sqs: Any, queue_arn: str, event: dict[str, Any], attributes: dict[str, dict[str, str]]) -> None:
    """Send the event to the dead-letter queue with an SQS client; ClientError if the queue cannot take it."""
    parts = queue_arn.split(":")
    url = sqs.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(event), MessageAttributes=attributes)
