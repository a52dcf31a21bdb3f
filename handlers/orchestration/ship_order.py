"""ShipOrder: the last step of OrderPipeline; ships the order with a tracking id from its last 4 characters."""

import json  # noqa: F401 -- the seed's handler imports it

from handlers.validation import event_object, text


def lambda_handler(event, context):
    event_object(event)
    order_id = text(event, "orderId", "orderId")  # the seed fails with a TypeError on None[-4:]
    print(f"Shipping order {order_id} — tracking: TRK-{order_id[-4:]}")
    return {**event, "shipmentStatus": "shipped", "trackingId": f"TRK-{order_id[-4:]}"}
