"""AccountQuery (read side): the current balance from the read model plus the full audit trail.

With {"asOf": "<ISO timestamp>"} it also reconstructs the balance at that point in time from the
event store alone (the seed's point-in-time reconstruction).
"""

import json
import os
from datetime import datetime
from decimal import Decimal

import boto3

from handlers.validation import InvalidEvent, event_object, text

dynamo = boto3.resource("dynamodb")
balance_table = dynamo.Table(os.environ.get("BALANCE_TABLE", "AccountBalance"))
event_store = dynamo.Table(os.environ.get("EVENT_STORE_TABLE", "EventStore"))

SIGNS = {"MoneyDeposited": 1, "MoneyWithdrawn": -1}


class DecimalEncoder(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, Decimal):
            return float(obj)
        return super().default(obj)


def all_events(account_id):
    """Every event of the aggregate, oldest first, across result pages."""
    query = {
        "KeyConditionExpression": "aggregateId = :aid",
        "ExpressionAttributeValues": {":aid": account_id},
        "ScanIndexForward": True,  # Chronological order
    }
    items = []
    while True:
        page = event_store.query(**query)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def balance_of(events):
    return sum((SIGNS.get(e["eventType"], 0) * Decimal(e["amount"]) for e in events), Decimal(0))


def lambda_handler(event, context):
    event_object(event)
    account_id = text(event, "accountId", "accountId", default="ACC-001")
    as_of = event.get("asOf")
    if as_of is not None:
        try:
            datetime.fromisoformat(as_of)
        except (TypeError, ValueError):
            raise InvalidEvent(f"asOf must be an ISO timestamp string, got {as_of!r}") from None

    # Fast read from optimised read model
    balance_item = balance_table.get_item(Key={"accountId": account_id}).get("Item", {})

    # Full audit trail from event store
    history = all_events(account_id)
    response = {
        "accountId": account_id,
        "currentBalance": balance_item.get("balance", 0),
        "lastUpdated": balance_item.get("lastUpdated", "never"),
        "totalEvents": len(history),
        "auditTrail": history,  # Complete immutable history
    }
    if as_of is not None:
        earlier = [e for e in history if e["timestamp"] <= as_of]
        response["asOf"] = as_of
        response["balanceAsOf"] = balance_of(earlier)
        response["eventsAsOf"] = len(earlier)
    return json.loads(json.dumps(response, cls=DecimalEncoder))
