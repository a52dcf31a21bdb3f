"""AccountCommand (write side): appends an immutable MoneyDeposited / MoneyWithdrawn event to EventStore.

A command other than deposit / withdraw, an amount that is not a positive amount of cents up to a
trillion (what the read model can add up exactly in a DynamoDB number), or an accountId / userId that
is not a short string is refused with CommandRejected, and nothing is appended.
"""

import os
import uuid
from datetime import datetime, timezone

import boto3

from handlers.validation import amount as checked_amount
from handlers.validation import event_object, text

dynamo = boto3.resource("dynamodb")
event_store = dynamo.Table(os.environ.get("EVENT_STORE_TABLE", "EventStore"))

EVENT_TYPES = {"deposit": "MoneyDeposited", "withdraw": "MoneyWithdrawn"}


class CommandRejected(ValueError):
    """The command cannot be turned into an event."""


def lambda_handler(event, context):
    event_object(event, CommandRejected)
    cmd = event.get("command")  # 'deposit' or 'withdraw'
    if not isinstance(cmd, str) or cmd not in EVENT_TYPES:
        raise CommandRejected(f"command must be 'deposit' or 'withdraw', got {cmd!r}")
    account_id = text(event, "accountId", "accountId", default="ACC-001", error=CommandRejected)
    amount = checked_amount(event.get("amount"), "amount", error=CommandRejected)
    user_id = text(event, "userId", "userId", default="system", error=CommandRejected)

    event_type = EVENT_TYPES[cmd]
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")

    # Append immutable event — NEVER update or delete
    event_record = {
        "aggregateId": account_id,
        "eventId": now + "#" + str(uuid.uuid4())[:6],
        "eventType": event_type,
        "amount": str(amount),
        "initiatedBy": user_id,
        "timestamp": now,
    }
    event_store.put_item(Item=event_record, ConditionExpression="attribute_not_exists(eventId)")
    print(f"Event appended: {event_type} ${amount} on {account_id}")
    return {"status": "event recorded", "eventId": event_record["eventId"]}
