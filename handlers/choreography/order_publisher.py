"""OrderPublisher: puts an OrderPlaced event on the ecommerce-events bus.

Unlike the seed, it checks PutEvents' answer: an entry EventBridge refused raises EventNotPublished
with EventBridge's error code, instead of reporting an order nobody will ever see.
"""

import json
import os
import uuid

import boto3

from handlers.validation import amount as checked_amount
from handlers.validation import event_object, text

events = boto3.client("events")
BUS = os.environ.get("EVENT_BUS_NAME", "ecommerce-events")


class EventNotPublished(RuntimeError):
    """EventBridge refused the event."""


def lambda_handler(event, context):
    event_object(event)
    checked_amount(event.get("amount", 99.99), "amount")
    text(event, "customerId", "customerId", default="cust-001")
    order = {
        "orderId": "ORD-" + str(uuid.uuid4())[:6].upper(),
        "amount": event.get("amount", 99.99),
        "customerId": event.get("customerId", "cust-001"),
    }
    answer = events.put_events(
        Entries=[
            {
                "Source": "ecommerce.orders",
                "DetailType": "OrderPlaced",
                "Detail": json.dumps(order),
                "EventBusName": BUS,
            }
        ]
    )
    if answer.get("FailedEntryCount"):
        entry = answer["Entries"][0]
        raise EventNotPublished(f"OrderPlaced for {order['orderId']}: {entry['ErrorCode']}: {entry['ErrorMessage']}")
    print(f"Published OrderPlaced: {order['orderId']}")
    return {"statusCode": 200, "order": order}
