"""BalanceProjection: folds EventStore stream INSERTs into the AccountBalance read model.

Streams deliver at least once, so each event is applied at most once: the balance row keeps the ids
of the events it has applied and the update is conditional on the id being new.
"""

import os
from decimal import Decimal

import boto3
from botocore.exceptions import ClientError

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


def lambda_handler(event, context):
    for record in event["Records"]:
        if record["eventName"] != "INSERT":
            continue  # Only process new events

        new_image = record["dynamodb"]["NewImage"]
        account_id = new_image["aggregateId"]["S"]
        event_type = new_image["eventType"]["S"]
        if event_type not in SIGNS:
            print(f"Projection: ignoring unknown event type {event_type} on {account_id}")
            continue
        amount = Decimal(new_image["amount"]["S"])
        timestamp = new_image["timestamp"]["S"]

        # Update the read model: current account balance
        if apply_event(account_id, new_image["eventId"]["S"], event_type, amount, timestamp):
            verb = "deposited to" if event_type == "MoneyDeposited" else "withdrawn from"
            sign = "+" if event_type == "MoneyDeposited" else "-"
            print(f"Projection: {sign}${amount} {verb} {account_id}")
        else:
            print(f"Projection: event {new_image['eventId']['S']} already applied to {account_id}")

    return {"projected": len(event["Records"])}
