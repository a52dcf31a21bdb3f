"""FulfillmentService: reacts to PaymentProcessed, publishes OrderShipped.

Unlike the seed, a PaymentProcessed without an orderId is refused with MissingOrderId (the seed fails
with a TypeError on `None[-4:]`), and an event EventBridge refused raises EventNotPublished.
"""

import json
import os

import boto3

from handlers.validation import event_object, obj, text

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
    print(f"[FULFILLMENT] Packing and shipping order {order_id}")

    answer = events.put_events(
        Entries=[
            {
                "Source": "ecommerce.fulfillment",
                "DetailType": "OrderShipped",
                "Detail": json.dumps({"orderId": order_id, "tracking": f"TRK-{order_id[-4:]}", "carrier": "FedEx"}),
                "EventBusName": BUS,
            }
        ]
    )
    if answer.get("FailedEntryCount"):
        entry = answer["Entries"][0]
        raise EventNotPublished(f"OrderShipped for {order_id}: {entry['ErrorCode']}: {entry['ErrorMessage']}")
    return {"status": "fulfillment published"}
