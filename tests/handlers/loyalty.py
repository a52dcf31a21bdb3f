"""LoyaltyPointsService for the choreography tests: the seed's key insight, a new service reacting to OrderShipped.

It joins the choreography with one new rule and no change to any other service.
"""

import os

POINTS_PER_ORDER = int(os.environ.get("POINTS_PER_ORDER", "10"))


def lambda_handler(event, context):
    detail = event.get("detail", {})
    order_id = detail.get("orderId")
    print(f"[LOYALTY] Awarding {POINTS_PER_ORDER} points for order {order_id}")
    return {"status": "points awarded", "orderId": order_id, "points": POINTS_PER_ORDER}
