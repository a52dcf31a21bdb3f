"""Helpers for schedule tests: recorded events, dead letters, schedule requests."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from typing import Any

from harness.functions.spec import FunctionSpec

PROBES = "tests.handlers.schedule_probes"


def register_probe(harness, name: str, handler: str = "record_event") -> str:
    """Register a probe function outside any stack; return its ARN."""
    harness.register(FunctionSpec(name, f"{PROBES}.{handler}", timeout=10))
    return harness.functions.arn(name)


def recorded_events(harness, function: str) -> list[dict[str, Any]]:
    """The events a record_event probe received, in order."""
    return [json.loads(line.split(" ", 1)[1]) for line in harness.logs(function).matching("EVENT ")]


def role_arn(harness) -> str:
    """The execution role schedules name (the harness does not evaluate IAM)."""
    return harness.account.iam_arn("role/LambdaLabRole")


def schedule_request(harness, name: str, expression: str, target_arn: str, **extra: Any) -> dict[str, Any]:
    """A CreateSchedule request with the window OFF; `extra` adds or overrides members."""
    target = {"Arn": target_arn, "RoleArn": role_arn(harness), **extra.pop("Target", {})}
    return {
        "Name": name,
        "ScheduleExpression": expression,
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": target,
        **extra,
    }


def create_queue(harness, name: str) -> tuple[str, str]:
    """A queue that is deleted when the harness closes; return its URL and ARN."""
    sqs = harness.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    harness.on_close(lambda: sqs.delete_queue(QueueUrl=url))
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def receive_all(harness, url: str) -> list[dict[str, Any]]:
    """Every message of a queue, with its message attributes, deleted as it is read."""
    sqs = harness.client("sqs")
    messages = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get(
        "Messages", []
    ):
        messages.extend(batch)
        for message in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return messages


def attributes(message: dict[str, Any]) -> dict[str, str]:
    """A message's String attributes as a plain mapping."""
    return {name: value["StringValue"] for name, value in message.get("MessageAttributes", {}).items()}


def gaps(times: list[datetime]) -> list[float]:
    """Seconds between consecutive times."""
    return [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)]
