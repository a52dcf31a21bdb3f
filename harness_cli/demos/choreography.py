"""Pattern 9's verify steps: one order runs Payment -> Fulfillment -> Notification over ecommerce-events."""

from __future__ import annotations

import time

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks.choreography import BUS, choreography_stack

SERVICES = ("PaymentService", "FulfillmentService", "NotificationService")


def demo_choreography(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 9, plus an event no rule matches."""
    harness.deploy(choreography_stack(), progress=report.note)
    began = time.perf_counter()
    answer = harness.invoke("OrderPublisher", {"amount": 75.00, "customerId": "cust-042"}).value()
    order_id = answer["order"]["orderId"]
    report.check(
        f'OrderPublisher {{"amount": 75.00, "customerId": "cust-042"}} published {order_id}',
        answer["statusCode"] == 200 and answer["order"]["customerId"] == "cust-042",
    )
    harness.drain()
    elapsed = time.perf_counter() - began
    expected = {
        "PaymentService": f"[PAYMENT] Processing payment for order {order_id}",
        "FulfillmentService": f"[FULFILLMENT] Packing and shipping order {order_id}",
        "NotificationService": f"[NOTIFY] Order {order_id} shipped! Sending email with tracking TRK-{order_id[-4:]}",
    }
    for name, line in expected.items():
        lines = harness.logs(name).lines
        report.check(
            f"/aws/lambda/{name} logs {line.split(' ', 1)[0]}", lines == [line], lines[0] if lines else "no log"
        )
    starts = [harness.logs(name).invocations[0].started_at for name in SERVICES if harness.logs(name).invocations]
    report.check(
        "the services ran in the order of the chain",
        len(starts) == 3 and starts == sorted(starts),
        f"chain complete in {elapsed * 1000:.0f} ms (the seed allows 2-3 s)",
    )
    received = harness.events.received(BUS)
    kinds = [event["detail-type"] for event in received]
    report.check(f"bus {BUS} received 3 separate events", len(received) == 3, ", ".join(kinds))
    rules = {rule.name: rule.functions for rule in harness.events.rules(BUS)}
    report.check(
        "rules PayOnOrder, FulfillOnPayment and NotifyOnShip target the three services",
        rules
        == {
            "PayOnOrder": ["PaymentService"],
            "FulfillOnPayment": ["FulfillmentService"],
            "NotifyOnShip": ["NotificationService"],
        },
        str(rules),
    )
    counts = {name: harness.functions.get(name).invocation_count for name in SERVICES}
    harness.events.publish("OrderCancelled", {"orderId": order_id}, source="ecommerce.orders", bus=BUS)
    harness.drain()
    unchanged = counts == {name: harness.functions.get(name).invocation_count for name in SERVICES}
    report.check("an OrderCancelled event, which no rule matches, reaches no function", unchanged)
