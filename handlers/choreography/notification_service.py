"""NotificationService: reacts to OrderShipped (the seed's code)."""


def lambda_handler(event, context):
    detail = event.get("detail", {})
    order_id = detail.get("orderId")
    tracking = detail.get("tracking", "unknown")
    print(f"[NOTIFY] Order {order_id} shipped! Sending email with tracking {tracking}")
    return {"status": "customer notified"}
