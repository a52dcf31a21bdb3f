"""NotificationService: reacts to OrderShipped (the seed's code).

Unlike the seed, an event without detail.orderId (or with a tracking that is not a string) is refused
with InvalidEvent: the seed would tell the customer "Order None shipped!".
"""

from handlers.validation import event_object, obj, text


def lambda_handler(event, context):
    event_object(event)
    detail = obj(event, "detail", "detail", default={})
    order_id = text(detail, "orderId", "detail.orderId")
    tracking = text(detail, "tracking", "detail.tracking", default="unknown")
    print(f"[NOTIFY] Order {order_id} shipped! Sending email with tracking {tracking}")
    return {"status": "customer notified"}
