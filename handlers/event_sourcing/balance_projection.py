"""BalanceProjection: folds EventStore stream INSERTs into the AccountBalance read model.

Streams deliver at least once, so each event is applied at most once: the balance row keeps the ids
of the events it has applied and the update is conditional on the id being new. Every record of a
batch is checked before any is applied: a batch with a malformed record is refused whole, naming it.
"""

import os
from decimal import Decimal

import boto3
from botocore.exceptions import ClientError

from handlers.validation import InvalidEvent, amount, event_object, obj, text

dynamo = boto3.resource("dynamodb")
balance_table = dynamo.Table(os.environ.get("BALANCE_TABLE", "AccountBalance"))

SIGNS = {"MoneyDeposited": 1, "MoneyWithdrawn": -1}


def apply_event(account_id, event_id, event_type, amount, timestamp):
    """Add the signed amount once per event id; return False if the event was applied before."""
    try:
        balance_table.update_item(
            Key={"accountId": account_id},
            UpdateExpression="ADD balance :amt, appliedEvents :eid SET lastUpdated = :ts",
            ConditionExpression="attribute_not_exists(appliedEvents) OR NOT contains(appliedEvents, :id)",
            ExpressionAttributeValues={
                ":amt": SIGNS[event_type] * amount,
                ":eid": {event_id},
                ":id": event_id,
                ":ts": timestamp,
            },
        )
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise


def string_attribute(image, name, path):
    """The S value of a stream image attribute."""
    return text(obj(image, name, f"{path}.{name}"), "S", f"{path}.{name}.S")


def inserted_event(record, index):
    """(account, event id, type, amount, timestamp) of an INSERT record, None for other records."""
    path = f"Records[{index}]"
    event_object(record, name=path)
    if text(record, "eventName", f"{path}.eventName") != "INSERT":
        return None  # Only process new events
    new_image = obj(obj(record, "dynamodb", f"{path}.dynamodb"), "NewImage", f"{path}.dynamodb.NewImage")
    image = f"{path}.dynamodb.NewImage"
    account_id = string_attribute(new_image, "aggregateId", image)
    event_type = string_attribute(new_image, "eventType", image)
    raw_amount = string_attribute(new_image, "amount", image)
    return (
        account_id,
        string_attribute(new_image, "eventId", image),
        event_type,
        amount(raw_amount, f"{image}.amount.S") if event_type in SIGNS else Decimal(0),
        string_attribute(new_image, "timestamp", image),
    )


def lambda_handler(event, context):
    event_object(event)
    records = event.get("Records")
    if not isinstance(records, list) or not records:
        raise InvalidEvent(f"Records must be a non-empty list, got {records!r:.60}")
    events = [inserted_event(record, index) for index, record in enumerate(records)]
    for inserted in events:
        if inserted is None:
            continue
        account_id, event_id, event_type, amount_, timestamp = inserted
        if event_type not in SIGNS:
            print(f"Projection: ignoring unknown event type {event_type} on {account_id}")
            continue

        # Update the read model: current account balance
        if apply_event(account_id, event_id, event_type, amount_, timestamp):
            verb = "deposited to" if event_type == "MoneyDeposited" else "withdrawn from"
            sign = "+" if event_type == "MoneyDeposited" else "-"
            print(f"Projection: {sign}${amount_} {verb} {account_id}")
        else:
            print(f"Projection: event {event_id} already applied to {account_id}")

    return {"projected": len(event["Records"])}
