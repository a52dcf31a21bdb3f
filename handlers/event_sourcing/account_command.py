"""AccountCommand (write side): appends an immutable MoneyDeposited / MoneyWithdrawn event to EventStore.

A command other than deposit / withdraw, or an amount that is not a positive finite number, is
refused with CommandRejected and nothing is appended.
"""

import math
import os
import uuid
from datetime import datetime, timezone

import boto3

dynamo = boto3.resource("dynamodb")
event_store = dynamo.Table(os.environ.get("EVENT_STORE_TABLE", "EventStore"))

EVENT_TYPES = {"deposit": "MoneyDeposited", "withdraw": "MoneyWithdrawn"}


class CommandRejected(ValueError):
    """The command cannot be turned into an event."""


def parse_amount(raw):
    if isinstance(raw, bool):
        raise CommandRejected(f"amount must be a positive number, got {raw!r}")
    try:
        amount = float(raw)
    except (TypeError, ValueError):
        raise CommandRejected(f"amount must be a positive number, got {raw!r}") from None
    if not math.isfinite(amount) or amount <= 0:
        raise CommandRejected(f"amount must be a positive number, got {raw!r}")
    return amount


def lambda_handler(event, context):
    cmd = event.get("command")  # 'deposit' or 'withdraw'
    if cmd not in EVENT_TYPES:
        raise CommandRejected(f"command must be 'deposit' or 'withdraw', got {cmd!r}")
    account_id = event.get("accountId", "ACC-001")
    amount = parse_amount(event.get("amount"))

    event_type = EVENT_TYPES[cmd]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")

    # Append immutable event — NEVER update or delete
    event_record = {
        "aggregateId": account_id,
        "eventId": now + "#" + str(uuid.uuid4())[:6],
        "eventType": event_type,
        "amount": str(amount),
        "initiatedBy": event.get("userId", "system"),
        "timestamp": now,
    }
    event_store.put_item(Item=event_record, ConditionExpression="attribute_not_exists(eventId)")
    print(f"Event appended: {event_type} ${amount} on {account_id}")
    return {"status": "event recorded", "eventId": event_record["eventId"]}
