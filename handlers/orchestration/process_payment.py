"""ProcessPayment: the second step of OrderPipeline; charges the order's amount.

Unlike the seed, an order without an orderId or without a positive amount is refused with
InvalidEvent naming the field (the seed would answer "charged" for nothing).
"""

import json  # noqa: F401 -- the seed's handler imports it

from handlers.validation import amount as checked_amount
from handlers.validation import event_object, field, text


def lambda_handler(event, context):
    event_object(event)
    order_id = text(event, "orderId", "orderId")
    amount = event.get("amount", 0)
    checked_amount(field(event, "amount", "amount"), "amount")
    print(f"Processing payment of ${amount} for order {order_id}")
    return {**event, "paymentStatus": "charged", "transactionId": "TXN-99887"}
