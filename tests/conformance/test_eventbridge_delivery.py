"""Rule deliveries are decided by the harness's pattern engine, from the EventBridge user guide's
"Content filtering in Amazon EventBridge event patterns" page."""

from __future__ import annotations

from harness.functions.spec import FunctionSpec
from provisioning.builders.events import EventBus
from provisioning.builders.rules import Rule, Target
from provisioning.stack import Stack
from tests.integration.routing_helpers import received_events

FAMILY = "eventbridge.delivery"
OPERATORS = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html"
BUS = "conformance-bus"


def _stack(pattern: dict) -> Stack:
    return Stack(
        "pattern-delivery",
        resources=[EventBus(BUS)],
        functions=[FunctionSpec("Recorder", "tests.handlers.recorder.record")],
        triggers=[Rule("Tagged", bus=BUS, event_pattern=pattern, targets=[Target("Recorder")])],
    )


def test_exists_true_delivers_only_events_whose_field_has_a_value(harness):
    harness.deploy(_stack({"source": ["shop"], "detail": {"tags": [{"exists": True}]}}))

    harness.events.publish("Tagged", {"n": 1, "tags": []}, source="shop", bus=BUS)
    harness.events.publish("Tagged", {"n": 2, "tags": ["gift"]}, source="shop", bus=BUS)
    harness.drain()

    assert [event["detail"]["n"] for event in received_events(harness, "Recorder")] == [2], OPERATORS


def test_numeric_ranges_are_the_engines_decision(harness):
    harness.deploy(_stack({"source": ["shop"], "detail": {"amount": [{"numeric": [">", 0, "<=", 5]}]}}))

    for amount in (0, 5, 5.5, "3"):
        harness.events.publish("Tagged", {"amount": amount}, source="shop", bus=BUS)
    harness.drain()

    assert [event["detail"]["amount"] for event in received_events(harness, "Recorder")] == [5], OPERATORS


def test_rules_made_through_the_api_are_decided_by_the_engine_too(harness):
    harness.deploy(_stack({"source": ["other"]}))
    events = harness.client("events")
    pattern = '{"source": ["shop"], "detail": {"tags": [{"exists": true}]}}'
    events.put_rule(Name="ApiTagged", EventBusName=BUS, EventPattern=pattern)
    events.put_targets(
        Rule="ApiTagged", EventBusName=BUS, Targets=[{"Id": "rec", "Arn": harness.functions.arn("Recorder")}]
    )

    harness.events.publish("Tagged", {"n": 1, "tags": []}, source="shop", bus=BUS)
    harness.events.publish("Tagged", {"n": 2, "tags": ["gift"]}, source="shop", bus=BUS)
    harness.drain()

    assert [event["detail"]["n"] for event in received_events(harness, "Recorder")] == [2], OPERATORS
    events.remove_targets(Rule="ApiTagged", EventBusName=BUS, Ids=["rec"])
    events.delete_rule(Name="ApiTagged", EventBusName=BUS)


ARRAYS = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-arrays.html"


def test_a_field_inside_an_array_of_objects_is_delivered_from_every_route(harness):
    # "If the value in the event is an array, then the event pattern matches if the intersection of the
    # event pattern array and the event array is non-empty": each object of the array is looked into.
    harness.deploy(_stack({"source": ["shop"], "detail": {"items": {"sku": ["B"]}}}))
    entry = {"EventBusName": BUS, "Source": "shop", "DetailType": "Tagged"}

    harness.events.publish("Tagged", {"n": 1, "items": [{"sku": "A"}, {"sku": "B"}]}, source="shop", bus=BUS)
    harness.client("events").put_events(Entries=[{**entry, "Detail": '{"n": 2, "items": [{"sku": "B"}]}'}])
    harness.account.client("events").put_events(Entries=[{**entry, "Detail": '{"n": 3, "items": [{"sku": "B"}]}'}])
    harness.events.publish("Tagged", {"n": 4, "items": [{"sku": "C"}]}, source="shop", bus=BUS)
    harness.drain()

    assert sorted(event["detail"]["n"] for event in received_events(harness, "Recorder")) == [1, 2, 3], ARRAYS
