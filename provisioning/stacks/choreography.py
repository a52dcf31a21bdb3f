"""Pattern 9, choreography: OrderPublisher -> ecommerce-events -> Payment -> Fulfillment -> Notification."""

from __future__ import annotations

from harness.functions.spec import FunctionSpec
from provisioning.builders.events import EventBus
from provisioning.builders.rules import Rule, Target
from provisioning.stack import Stack

BUS = "ecommerce-events"
MODULE = "handlers.choreography"

# The seed's three rules: (name, pattern source, detail-type, target function)
RULES = (
    ("PayOnOrder", "ecommerce.orders", "OrderPlaced", "PaymentService"),
    ("FulfillOnPayment", "ecommerce.payments", "PaymentProcessed", "FulfillmentService"),
    ("NotifyOnShip", "ecommerce.fulfillment", "OrderShipped", "NotificationService"),
)


def choreography_stack(bus: str = BUS) -> Stack:
    """The seed's bus, its four functions and the three rules PayOnOrder, FulfillOnPayment, NotifyOnShip."""
    environment = {"EVENT_BUS_NAME": bus}
    functions = [
        FunctionSpec("PaymentService", f"{MODULE}.payment_service.lambda_handler", environment=environment),
        FunctionSpec("FulfillmentService", f"{MODULE}.fulfillment_service.lambda_handler", environment=environment),
        FunctionSpec("NotificationService", f"{MODULE}.notification_service.lambda_handler"),
        FunctionSpec("OrderPublisher", f"{MODULE}.order_publisher.lambda_handler", environment=environment),
    ]
    rules = [
        Rule(name, bus=bus, event_pattern={"source": [source], "detail-type": [detail_type]}, targets=[Target(target)])
        for name, source, detail_type, target in RULES
    ]
    return Stack("choreography", resources=[EventBus(bus)], functions=functions, triggers=rules)
