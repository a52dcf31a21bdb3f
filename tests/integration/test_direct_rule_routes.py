"""PutEvents the harness sees goes straight to the rule's targets; what only the backend sees comes by the bus's record.

Either way a target receives an event once, shaped as EventBridge delivers it
(https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html), and the rule's pattern is
decided by EventBridge's documented matching rules
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-arrays.html).
"""

from __future__ import annotations

import json

from harness.backends import moto_fixes
from harness.functions.spec import FunctionSpec
from provisioning.builders.events import EventBus
from provisioning.builders.rules import Rule, Target
from provisioning.stack import Stack
from tests.integration.routing_helpers import received_events

BUS = "direct-bus"
PATTERN = {"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}
DETAIL = {"orderId": "ORD-7", "items": [{"sku": "A", "qty": 1}, {"sku": "B", "qty": 2}]}


def stack(pattern: dict = PATTERN) -> Stack:
    """A bus, a recording function and one rule that targets it."""
    return Stack(
        "direct",
        resources=[EventBus(BUS)],
        functions=[FunctionSpec("Recorder", "tests.handlers.recorder.record")],
        triggers=[Rule("OnOrder", bus=BUS, event_pattern=pattern, targets=[Target("Recorder")])],
    )


def entry(detail: dict = DETAIL, **extra) -> dict:
    return {"EventBusName": BUS, "Source": "shop.orders", "DetailType": "OrderPlaced", "Detail": json.dumps(detail)}


def test_an_event_through_the_endpoint_and_one_on_the_backend_each_arrive_once_alike(harness):
    harness.deploy(stack())

    direct = harness.client("events").put_events(Entries=[entry()])["Entries"][0]["EventId"]
    by_queue = harness.account.client("events").put_events(Entries=[entry()])["Entries"][0]["EventId"]
    harness.drain()

    received = {event["id"]: event for event in received_events(harness, "Recorder")}
    assert len(received_events(harness, "Recorder")) == 2
    assert set(received) == {direct, by_queue}

    def comparable(event: dict) -> dict:
        return {k: v for k, v in event.items() if k not in {"id", "time"}}

    assert comparable(received[direct]) == comparable(received[by_queue])
    assert list(received[direct]) == list(received[by_queue])  # the same fields, in the same order
    assert received[direct]["detail"] == DETAIL
    assert received[direct]["account"] == harness.account.account_id


def test_the_bus_records_events_from_both_routes_once(harness):
    harness.deploy(stack())

    harness.client("events").put_events(Entries=[entry()])
    harness.account.client("events").put_events(Entries=[entry()])
    harness.drain()

    assert len(harness.events.received(BUS)) == 2


def test_a_field_inside_an_array_of_objects_matches_through_the_endpoint(harness):
    harness.deploy(stack({"source": ["shop.orders"], "detail": {"items": {"sku": ["B"]}}}))

    events = harness.client("events")
    events.put_events(Entries=[entry()])
    events.put_events(Entries=[entry({"orderId": "ORD-8", "items": [{"sku": "C"}]})])
    harness.drain()

    assert [e["detail"]["orderId"] for e in received_events(harness, "Recorder")] == ["ORD-7"]


def test_a_field_inside_an_array_of_objects_matches_on_the_backend_s_route_too(harness):
    harness.deploy(stack({"source": ["shop.orders"], "detail": {"items": {"sku": ["B"]}}}))

    backend = harness.account.client("events")
    backend.put_events(Entries=[entry()])
    backend.put_events(Entries=[entry({"orderId": "ORD-8", "items": [{"sku": "C"}]})])
    harness.drain()

    assert [e["detail"]["orderId"] for e in received_events(harness, "Recorder")] == ["ORD-7"]


def test_disable_rule_and_enable_rule_through_the_endpoint_take_effect_at_once(harness):
    harness.deploy(stack())
    events = harness.client("events")

    events.disable_rule(Name="OnOrder", EventBusName=BUS)
    events.put_events(Entries=[entry({"orderId": "while-disabled"})])
    harness.drain()
    events.enable_rule(Name="OnOrder", EventBusName=BUS)
    events.put_events(Entries=[entry({"orderId": "after-enable"})])
    harness.drain()

    assert [e["detail"]["orderId"] for e in received_events(harness, "Recorder")] == ["after-enable"]
    assert harness.events.rule("OnOrder", BUS).state == "ENABLED"


def test_a_pattern_changed_with_put_rule_decides_the_next_event(harness):
    harness.deploy(stack())
    events = harness.client("events")

    events.put_rule(Name="OnOrder", EventBusName=BUS, EventPattern=json.dumps({"source": ["elsewhere"]}))
    events.put_events(Entries=[entry()])
    harness.drain()

    assert received_events(harness, "Recorder") == []


def test_a_refused_entry_is_delivered_nowhere_and_the_others_are(harness):
    harness.deploy(stack())

    malformed = {**entry(), "Detail": "not json"}
    answer = harness.client("events").put_events(Entries=[entry(), malformed])
    harness.drain()

    assert len(received_events(harness, "Recorder")) == 1
    assert answer["FailedEntryCount"] == 1
    assert answer["Entries"][1]["ErrorCode"] == "MalformedDetail"


def test_a_target_put_through_the_api_gets_events_from_the_endpoint_once(harness):
    harness.deploy(stack())
    events = harness.client("events")
    function_arn = harness.functions.arn("Recorder")
    events.put_rule(Name="Copy", EventBusName=BUS, EventPattern=json.dumps(PATTERN))
    events.put_targets(Rule="Copy", EventBusName=BUS, Targets=[{"Id": "fn", "Arn": function_arn}])

    events.put_events(Entries=[entry()])
    harness.drain()

    assert len(received_events(harness, "Recorder")) == 2  # once per rule: OnOrder and Copy
    events.remove_targets(Rule="Copy", EventBusName=BUS, Ids=["fn"])
    events.delete_rule(Name="Copy", EventBusName=BUS)


def test_without_the_embedded_backend_s_skip_the_ledger_still_delivers_each_event_once(harness):
    # Another backend (LocalStack) fills the bus's record queue with the events the harness routed itself.
    harness.deploy(stack())
    moto_fixes.remove("internal_queue_deliveries_can_be_skipped")
    try:
        harness.client("events").put_events(Entries=[entry()])
        harness.account.client("events").put_events(Entries=[entry()])
        harness.drain()
    finally:
        moto_fixes.internal_queue_deliveries_can_be_skipped()

    assert len(received_events(harness, "Recorder")) == 2
    assert len(harness.events.received(BUS)) == 2
