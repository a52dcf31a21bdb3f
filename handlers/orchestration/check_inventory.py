"""CheckInventory: the first step of OrderPipeline; 75% of orders are in stock, the rest raise.

Input: the order, e.g. {"orderId": "ORD-20250225", "amount": 149.99, "customerId": "cust-007"}. Two
optional fields control the draw: `"inStock": true|false` forces it, and `"inventorySeed"` makes it
repeatable (the same seed draws the same answer, so a retry of an out-of-stock order fails again).
"""

import json
import random

from handlers.validation import event_object, text


def draw_in_stock(event):
    forced = event.get("inStock")
    if forced is not None:
        if not isinstance(forced, bool):
            raise ValueError(f"inStock must be true or false, not {json.dumps(forced)}")
        return forced
    seed = event.get("inventorySeed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | str)):
        raise ValueError(f"inventorySeed must be an integer or a string, not {json.dumps(seed)}")
    rng = random if seed is None else random.Random(seed)
    return rng.choice([True, True, True, False])


def lambda_handler(event, context):
    event_object(event)
    order_id = text(event, "orderId", "orderId", default="ORD-001")
    # Simulate 75% in-stock rate
    in_stock = draw_in_stock(event)
    print(f"Inventory check for {order_id}: {'IN STOCK' if in_stock else 'OUT OF STOCK'}")
    if not in_stock:
        raise Exception(f"Item out of stock for order {order_id}")
    return {**event, "inventoryStatus": "confirmed"}
