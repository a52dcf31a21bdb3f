"""PaymentService: reacts to OrderPlaced, publishes PaymentProcessed.

Unlike the seed, an OrderPlaced without an orderId is refused with MissingOrderId, and an event
EventBridge refused raises EventNotPublished (so Lambda retries the invocation).
"""

import json
import os

import boto3

from handlers.validation import amount as checked_amount
from handlers.validation import event_object, field, obj, text

events = boto3.client("events")
BUS = os.environ.get("EVENT_BUS_NAME", "ecommerce-events")


class MissingOrderId(ValueError):
    """The event names no order."""


class EventNotPublished(RuntimeError):
    """EventBridge refused the event."""


def lambda_handler(event, context):
    event_object(event)
    detail = obj(event, "detail", "detail", default={})
    order_id = detail.get("orderId")
    if not order_id:
        raise MissingOrderId(f"{event.get('detail-type')} event {event.get('id')} has no detail.orderId")
    text(detail, "orderId", "detail.orderId")
    checked_amount(field(detail, "amount", "detail.amount"), "detail.amount")
    print(f"[PAYMENT] Processing payment for order {order_id}")

    # Publish next event — no knowledge of who consumes it
    answer = events.put_events(
        Entries=[
            {
                "Source": "ecommerce.payments",
                "DetailType": "PaymentProcessed",
                "Detail": json.dumps({"orderId": order_id, "transactionId": "TXN-555", "amount": detail.get("amount")}),
                "EventBusName": BUS,
            }
        ]
    )
    if answer.get("FailedEntryCount"):
        entry = answer["Entries"][0]
        raise EventNotPublished(f"PaymentProcessed for {order_id}: {entry['ErrorCode']}: {entry['ErrorMessage']}")
    return {"status": "payment published"}
