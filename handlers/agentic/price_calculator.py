"""PriceCalculator: a tool the agent can call (the seed's code)."""

PRICES = {"Widget": 9.99, "Gadget": 49.99, "Device": 199.99, "Pro": 399.99}


def lambda_handler(event, context):
    product = event.get("product", "Widget")
    qty = int(event.get("quantity", 1))
    unit_price = PRICES.get(product, 0)
    total = round(unit_price * qty, 2)
    discount = round(total * 0.1, 2) if qty >= 5 else 0
    final = round(total - discount, 2)
    print(f"Price calc: {qty}x {product} = ${total} (discount: ${discount}) = ${final}")
    return {
        "product": product,
        "quantity": qty,
        "unitPrice": unit_price,
        "subtotal": total,
        "discount": discount,
        "total": final,
    }
