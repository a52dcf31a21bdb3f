"""ProcessPayment: the second step of OrderPipeline; charges the order's amount."""

import json  # noqa: F401 -- the seed's handler imports it


def lambda_handler(event, context):
    order_id = event.get("orderId")
    amount = event.get("amount", 0)
    print(f"Processing payment of ${amount} for order {order_id}")
    return {**event, "paymentStatus": "charged", "transactionId": "TXN-99887"}
