"""Pattern 9 end to end: OrderPublisher -> ecommerce-events -> Payment -> Fulfillment -> Notification."""

from __future__ import annotations

import io

import pytest

from harness.functions.spec import FunctionSpec
from harness.routing.eventbridge import EventRejected
from harness_cli.demos.choreography import demo_choreography
from harness_cli.demos.report import Report
from provisioning.builders.rules import Rule, Target
from provisioning.stack import Stack
from provisioning.stacks.choreography import BUS, choreography_stack
from tests.integration.routing_helpers import plumbing_queues, received_events

SERVICES = ("PaymentService", "FulfillmentService", "NotificationService")


def publish_order(harness) -> str:
    """The seed's verify step 1; returns the order id."""
    answer = harness.invoke("OrderPublisher", {"amount": 75.00, "customerId": "cust-042"}).value()
    assert answer["statusCode"] == 200
    return answer["order"]["orderId"]


def loyalty_stack() -> Stack:
    """The key insight: one new function and one new rule, nothing else."""
    return Stack(
        "loyalty",
        functions=[FunctionSpec("LoyaltyPointsService", "tests.handlers.loyalty.lambda_handler")],
        triggers=[
            Rule(
                "AwardPointsOnShip",
                bus=BUS,
                event_pattern={"source": ["ecommerce.fulfillment"], "detail-type": ["OrderShipped"]},
                targets=[Target("LoyaltyPointsService")],
            )
        ],
    )


def test_one_order_runs_the_whole_chain_and_each_service_logs_its_line(harness):
    harness.deploy(choreography_stack())

    order_id = publish_order(harness)
    harness.drain()

    assert harness.logs("OrderPublisher").lines == [f"Published OrderPlaced: {order_id}"]
    assert harness.logs("PaymentService").lines == [f"[PAYMENT] Processing payment for order {order_id}"]
    assert harness.logs("FulfillmentService").lines == [f"[FULFILLMENT] Packing and shipping order {order_id}"]
    assert harness.logs("NotificationService").lines == [
        f"[NOTIFY] Order {order_id} shipped! Sending email with tracking TRK-{order_id[-4:]}"
    ]


def test_the_services_run_in_the_order_of_the_chain(harness):
    harness.deploy(choreography_stack())

    publish_order(harness)
    harness.drain()

    starts = [harness.logs(name).invocations[0].started_at for name in SERVICES]
    assert starts == sorted(starts)
    assert [len(harness.logs(name).invocations) for name in SERVICES] == [1, 1, 1]


def test_the_bus_received_exactly_three_events_for_one_order(harness):
    harness.deploy(choreography_stack())

    order_id = publish_order(harness)
    harness.drain()

    received = harness.events.received(BUS)
    assert [(e["source"], e["detail-type"]) for e in received] == [
        ("ecommerce.orders", "OrderPlaced"),
        ("ecommerce.payments", "PaymentProcessed"),
        ("ecommerce.fulfillment", "OrderShipped"),
    ]
    assert {e["detail"]["orderId"] for e in received} == {order_id}
    assert received[0]["detail"] == {"orderId": order_id, "amount": 75.0, "customerId": "cust-042"}
    assert received[1]["detail"] == {"orderId": order_id, "transactionId": "TXN-555", "amount": 75.0}
    assert received[2]["detail"] == {"orderId": order_id, "tracking": f"TRK-{order_id[-4:]}", "carrier": "FedEx"}


def test_each_order_is_its_own_chain(harness):
    harness.deploy(choreography_stack())

    orders = {publish_order(harness) for _ in range(3)}
    harness.drain()

    assert len(harness.events.received(BUS)) == 9
    notified = {line.split()[2] for line in harness.logs("NotificationService").lines}
    assert notified == orders


def test_a_service_receives_the_event_as_eventbridge_hands_it_to_lambda(harness):
    harness.deploy(
        choreography_stack()
        .with_functions(FunctionSpec("Spy", "tests.handlers.recorder.record"))
        .with_triggers(
            Rule(
                "SpyOnOrders",
                bus=BUS,
                event_pattern={"source": ["ecommerce.orders"]},
                targets=[Target("Spy")],
            )
        )
    )

    order_id = publish_order(harness)
    harness.drain()

    (event,) = received_events(harness, "Spy")
    assert list(event) == ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]
    assert event["version"] == "0"
    assert event["detail-type"] == "OrderPlaced"
    assert event["source"] == "ecommerce.orders"
    assert event["account"] == harness.account.account_id
    assert event["region"] == "us-east-1"
    assert event["resources"] == []
    assert event["time"].endswith("Z") and event["time"][10] == "T"
    assert event["detail"]["orderId"] == order_id
    assert event["id"] == harness.events.received(BUS)[0]["id"]


def test_the_bus_lists_its_rules_with_their_functions_not_the_plumbing(harness):
    stack = harness.deploy(choreography_stack())

    rules = {rule.name: rule for rule in harness.events.rules(BUS)}

    assert sorted(rules) == ["FulfillOnPayment", "NotifyOnShip", "PayOnOrder"]
    assert rules["PayOnOrder"].event_pattern == {"source": ["ecommerce.orders"], "detail-type": ["OrderPlaced"]}
    assert rules["FulfillOnPayment"].event_pattern == {
        "source": ["ecommerce.payments"],
        "detail-type": ["PaymentProcessed"],
    }
    assert rules["NotifyOnShip"].event_pattern == {"source": ["ecommerce.fulfillment"], "detail-type": ["OrderShipped"]}
    assert {name: rule.functions for name, rule in rules.items()} == {
        "PayOnOrder": ["PaymentService"],
        "FulfillOnPayment": ["FulfillmentService"],
        "NotifyOnShip": ["NotificationService"],
    }
    assert rules["PayOnOrder"].targets[0].arn == harness.functions.arn("PaymentService")
    assert all(rule.state == "ENABLED" and rule.bus == BUS for rule in rules.values())
    assert stack.arn(BUS).endswith(f":event-bus/{BUS}")


def test_adding_loyalty_points_needs_one_function_one_rule_and_no_other_change(harness):
    harness.deploy(choreography_stack())
    before_rules = harness.events.rules(BUS)
    before_specs = {name: harness.functions.get(name).spec for name in (*SERVICES, "OrderPublisher")}

    harness.deploy(loyalty_stack())
    order_id = publish_order(harness)
    harness.drain()

    assert harness.logs("LoyaltyPointsService").lines == [f"[LOYALTY] Awarding 10 points for order {order_id}"]
    assert harness.logs("NotificationService").lines == [
        f"[NOTIFY] Order {order_id} shipped! Sending email with tracking TRK-{order_id[-4:]}"
    ]
    after_rules = harness.events.rules(BUS)
    assert [r for r in after_rules if r.name != "AwardPointsOnShip"] == before_rules
    assert {name: harness.functions.get(name).spec for name in before_specs} == before_specs
    assert len(harness.events.received(BUS)) == 3


def test_removing_the_new_rule_stops_the_new_service_only(harness):
    harness.deploy(choreography_stack())
    loyalty = harness.deploy(loyalty_stack())

    loyalty.destroy()
    publish_order(harness)
    harness.drain()

    assert sorted(r.name for r in harness.events.rules(BUS)) == ["FulfillOnPayment", "NotifyOnShip", "PayOnOrder"]
    assert len(harness.logs("NotificationService").lines) == 1
    assert "LoyaltyPointsService" not in harness.functions


def test_an_event_no_rule_matches_reaches_no_function(harness):
    harness.deploy(choreography_stack())

    event_id = harness.events.publish("OrderCancelled", {"orderId": "ORD-000001"}, source="ecommerce.orders", bus=BUS)
    harness.drain()

    assert [e["id"] for e in harness.events.received(BUS)] == [event_id]
    assert {name: harness.functions.get(name).invocation_count for name in SERVICES} == dict.fromkeys(SERVICES, 0)
    assert sorted(rule.name for rule in harness.events.rules(BUS)) == ["FulfillOnPayment", "NotifyOnShip", "PayOnOrder"]
    metrics = [
        harness.events.deployed_rule(name, BUS).route(target).metrics
        for name, target in (
            ("PayOnOrder", "PaymentService"),
            ("FulfillOnPayment", "FulfillmentService"),
            ("NotifyOnShip", "NotificationService"),
        )
    ]
    assert [m.matched_events for m in metrics] == [0, 0, 0]


def test_a_published_event_starts_the_chain_like_the_publisher_does(harness):
    harness.deploy(choreography_stack())

    harness.events.publish("OrderPlaced", {"orderId": "ORD-ABC123", "amount": 5}, source="ecommerce.orders", bus=BUS)
    harness.drain()

    assert harness.logs("NotificationService").lines == [
        "[NOTIFY] Order ORD-ABC123 shipped! Sending email with tracking TRK-C123"
    ]


def test_an_order_without_id_fails_payment_clearly_and_lambda_retries_it_twice(harness):
    harness.deploy(choreography_stack())

    harness.events.publish("OrderPlaced", {"amount": 5}, source="ecommerce.orders", bus=BUS)
    harness.drain()
    harness.advance(seconds=60)
    harness.advance(seconds=120)

    errors = harness.logs("PaymentService").matching("[ERROR] MissingOrderId")
    assert len(errors) == 3  # the first try and Lambda's two asynchronous retries
    assert "OrderPlaced event" in errors[0] and "has no detail.orderId" in errors[0]
    assert harness.functions.get("FulfillmentService").invocation_count == 0
    assert harness.events.deployed_rule("PayOnOrder", BUS).route("PaymentService").metrics.invocations == 1
    assert [f.function_name for f in harness.async_invocations.failures] == ["PaymentService"]


def test_detail_that_is_not_json_is_refused_by_put_events_and_reaches_nothing(harness):
    harness.deploy(choreography_stack())
    events = harness.client("events")

    answer = events.put_events(
        Entries=[
            {"Source": "ecommerce.orders", "DetailType": "OrderPlaced", "Detail": "{not json", "EventBusName": BUS}
        ]
    )
    harness.drain()

    assert answer["FailedEntryCount"] == 1
    assert answer["Entries"] == [{"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."}]
    assert harness.events.received(BUS) == []
    assert harness.functions.get("PaymentService").invocation_count == 0


def test_publishing_detail_that_is_not_json_raises_a_clear_error(harness):
    harness.deploy(choreography_stack())

    with pytest.raises(EventRejected, match=r"Detail of event ecommerce.orders/OrderPlaced is not JSON"):
        harness.events.publish("OrderPlaced", "{not json", source="ecommerce.orders", bus=BUS)
    with pytest.raises(EventRejected, match="must be a JSON object"):
        harness.events.publish("OrderPlaced", "[1, 2]", source="ecommerce.orders", bus=BUS)
    harness.drain()

    assert harness.events.received(BUS) == []


def test_a_rule_targeting_an_unknown_function_is_refused_naming_both(harness):
    with pytest.raises(ValueError, match="stack choreography: rule Refund targets unknown function 'RefundService'"):
        choreography_stack().with_triggers(
            Rule("Refund", bus=BUS, event_pattern={"source": ["x"]}, targets=[Target("RefundService")])
        )


def test_a_rule_added_at_test_time_for_an_unregistered_function_leaves_nothing_behind(harness):
    harness.deploy(choreography_stack())
    queues_before = harness.account.client("sqs").list_queues().get("QueueUrls", [])

    rule = Rule("Refund", bus=BUS, event_pattern={"source": ["x"]}, targets=[Target("RefundService")])
    with pytest.raises(ValueError, match="target RefundService of rule Refund: function 'RefundService' is not"):
        harness.events.add_rule(rule)

    assert "Refund" not in [r.name for r in harness.events.rules(BUS)]
    assert harness.account.client("sqs").list_queues().get("QueueUrls", []) == queues_before


def test_a_rule_on_a_bus_that_does_not_exist_is_refused(harness):
    harness.register(FunctionSpec("Spy", "tests.handlers.recorder.record"))

    with pytest.raises(ValueError, match="rule Lost: event bus 'no-such-bus' does not exist"):
        harness.events.add_rule(
            Rule("Lost", bus="no-such-bus", event_pattern={"source": ["x"]}, targets=[Target("Spy")])
        )


def test_a_rule_name_already_on_the_bus_is_refused(harness):
    harness.deploy(choreography_stack())
    harness.register(FunctionSpec("Spy", "tests.handlers.recorder.record"))

    duplicate = Rule("PayOnOrder", bus=BUS, event_pattern={"source": ["x"]}, targets=[Target("Spy")])
    with pytest.raises(ValueError, match="rule PayOnOrder already exists on event bus ecommerce-events"):
        harness.events.add_rule(duplicate)

    assert harness.events.rule("PayOnOrder", BUS).functions == ["PaymentService"]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ('{"source": ["ecommerce.orders"]', "Filter is not valid JSON"),
        ('["ecommerce.orders"]', "Filter is not an object"),
        ({"source": "ecommerce.orders"}, '"source" must be an object or an array'),
        ({"source": []}, "Empty arrays are not allowed"),
        ({"detail": {"amount": [{"numeric": [">", "ten"]}]}}, "Value of > must be numeric"),
        ({"source": [{"begins-with": "ecommerce"}]}, "Unrecognized match type begins-with"),
        ({"source": [{"prefix": 5}]}, "prefix match pattern must be a string"),
        ({"detail": {"ip": [{"cidr": "not-a-network"}]}}, "Malformed CIDR"),
        ({}, "Empty event patterns are not allowed"),
    ],
)
def test_a_malformed_event_pattern_is_refused_naming_the_rule(pattern, problem):
    with pytest.raises(ValueError, match=r"rule PayOnOrder: .*" + problem.replace("[", r"\[").replace("(", r"\(")):
        Rule("PayOnOrder", bus=BUS, event_pattern=pattern, targets=[Target("PaymentService")])


def test_destroying_the_stack_removes_rules_plumbing_and_bus(harness):
    stack = harness.deploy(choreography_stack())

    stack.destroy()

    assert plumbing_queues(harness) == []
    buses = [b["Name"] for b in harness.client("events").list_event_buses()["EventBuses"]]
    assert BUS not in buses


def test_the_demo_passes_every_check(harness):
    report = Report(out=io.StringIO())

    demo_choreography(harness, report)

    assert report.failed == []
    assert report.passed == 8
