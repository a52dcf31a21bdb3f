"""InventoryChecker: a second tool (the seed's code)."""

STOCK = {"Widget": 150, "Gadget": 23, "Device": 8, "Pro": 0}


def lambda_handler(event, context):
    product = event.get("product", "Widget")
    stock = STOCK.get(product, 0)
    status = "in stock" if stock > 10 else ("low stock" if stock > 0 else "out of stock")
    print(f"Inventory check: {product} has {stock} units ({status})")
    return {"product": product, "stock": stock, "status": status}
