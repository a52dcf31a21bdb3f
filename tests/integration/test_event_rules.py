"""EventBridge rules delivered by the harness: target input, retry policy, dead-letter queue, other targets."""

from __future__ import annotations

import json
import re

import pytest
from botocore.exceptions import ClientError

from harness.functions.spec import FunctionSpec
from harness.routing.retry import RetryPolicy
from provisioning.builders.events import EventBus
from provisioning.builders.rules import Rule, Target
from provisioning.builders.sns import QueueSubscription, Topic
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack
from tests.integration.routing_helpers import attributes_of, drain_queue, received_events

BUS = "orders-bus"
PATTERN = {"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}
DETAIL = {"orderId": "ORD-42", "amount": 75, "items": [{"sku": "A-1"}, {"sku": "B-2"}], "note": 'say "hi"'}


def rules_stack(*targets: Target, resources=(), functions=("Recorder",)) -> Stack:
    """A bus, a recorder function (or others) and one rule with the given targets."""
    return Stack(
        "rules",
        resources=[EventBus(BUS), *resources],
        functions=[FunctionSpec(name, "tests.handlers.recorder.record") for name in functions],
        triggers=[Rule("OnOrder", bus=BUS, event_pattern=PATTERN, targets=list(targets))],
    )


def publish(harness, detail=None) -> str:
    return harness.events.publish("OrderPlaced", detail or DETAIL, source="shop.orders", bus=BUS)


# -- input ---------------------------------------------------------------------------------------
def test_without_input_settings_the_function_gets_the_whole_event(harness):
    harness.deploy(rules_stack(Target("Recorder")))

    event_id = publish(harness)
    harness.drain()

    (event,) = received_events(harness, "Recorder")
    assert event["id"] == event_id
    assert event["detail"] == DETAIL


def test_input_sends_constant_json_instead_of_the_event(harness):
    harness.deploy(rules_stack(Target("Recorder", input='{"job": "rebuild", "force": true}')))

    publish(harness)
    harness.drain()

    assert received_events(harness, "Recorder") == [{"job": "rebuild", "force": True}]


def test_input_path_sends_the_selected_part_of_the_event(harness):
    harness.deploy(rules_stack(Target("Recorder", input_path="$.detail")))

    publish(harness)
    harness.drain()

    assert received_events(harness, "Recorder") == [DETAIL]


def test_input_path_can_select_an_array_element_and_a_missing_path_gives_null(harness):
    harness.deploy(
        rules_stack(
            Target("Recorder", id="first-item", input_path="$.detail.items[0]"),
            Target("Recorder", id="missing", input_path="$.detail.nothing"),
        )
    )

    publish(harness)
    harness.drain()

    received = received_events(harness, "Recorder")
    assert sorted(received, key=json.dumps) == sorted([{"sku": "A-1"}, None], key=json.dumps)


def test_input_transformer_builds_json_from_variables_once(harness):
    transformer = {
        "InputPathsMap": {"order": "$.detail.orderId", "amount": "$.detail.amount", "note": "$.detail.note"},
        "InputTemplate": '{"order": <order>, "amount": <amount>, "summary": "order <order> costs <amount>", '
        '"note": "<note>", "rule": <aws.events.rule-name>}',
    }
    harness.deploy(rules_stack(Target("Recorder", input_transformer=transformer)))

    publish(harness)
    harness.drain()

    assert received_events(harness, "Recorder") == [
        {
            "order": "ORD-42",
            "amount": 75,
            "summary": "order ORD-42 costs 75",
            "note": 'say "hi"',
            "rule": "OnOrder",
        }
    ]


def test_input_transformer_predefined_variables(harness):
    transformer = {
        "InputTemplate": '{"arn": <aws.events.rule-arn>, "event": <aws.events.event>, '
        '"whole": <aws.events.event.json>, "at": <aws.events.event.ingestion-time>}',
    }
    harness.deploy(rules_stack(Target("Recorder", input_transformer=transformer)))

    event_id = publish(harness)
    harness.drain()

    (received,) = received_events(harness, "Recorder")
    assert received["arn"] == harness.events.deployed_rule("OnOrder", BUS).arn
    assert received["arn"].endswith(f":rule/{BUS}/OnOrder")
    assert received["whole"]["id"] == received["event"]["id"] == event_id
    assert received["whole"]["detail"] == DETAIL
    assert "detail" not in received["event"]
    assert received["at"].endswith("Z") and len(received["at"]) == 24


def test_input_transformer_string_template_and_missing_variable(harness):
    transformer = {
        "InputPathsMap": {"order": "$.detail.orderId", "ghost": "$.detail.ghost"},
        "InputTemplate": '"order <order> has <ghost>no ghost"',
    }
    harness.deploy(rules_stack(Target("Recorder", input_transformer=transformer)))

    publish(harness)
    harness.drain()

    assert received_events(harness, "Recorder") == ["order ORD-42 has no ghost"]


def test_queue_targets_get_the_transformed_text_and_the_constant_input(harness):
    transformer = {"InputPathsMap": {"order": "$.detail.orderId"}, "InputTemplate": "order <order> placed"}
    harness.deploy(Stack("audit-queue", resources=[Queue("Audit")]))
    queue_arn = harness.account.arn("sqs", "Audit")
    targets = [
        Target(arn=queue_arn, id="audit", input_transformer=transformer),
        Target(arn=queue_arn, id="constant", input='{"constant": 1}'),
    ]
    harness.deploy(
        Stack(
            "rules",
            resources=[EventBus(BUS)],
            triggers=[Rule("OnOrder", bus=BUS, event_pattern=PATTERN, targets=targets)],
        )
    )

    publish(harness)
    harness.drain()

    bodies = sorted(m["Body"] for m in drain_queue(harness, "Audit"))
    assert bodies == sorted(['{"constant": 1}', "order ORD-42 placed"])


def test_an_sns_topic_target_publishes_the_event(harness):
    harness.deploy(
        Stack(
            "fan",
            resources=[Topic("OrderTopic"), Queue("Copies"), QueueSubscription("copies", "OrderTopic", "Copies")],
        )
    )
    topic_arn = harness.account.arn("sns", "OrderTopic")
    harness.deploy(
        Stack(
            "rules",
            resources=[EventBus(BUS)],
            triggers=[
                Rule("OnOrder", bus=BUS, event_pattern=PATTERN, targets=[Target(arn=topic_arn, input_path="$.detail")])
            ],
        )
    )

    publish(harness)
    harness.drain()

    (message,) = drain_queue(harness, "Copies")
    assert json.loads(json.loads(message["Body"])["Message"]) == DETAIL


def test_a_disabled_rule_delivers_nothing(harness):
    stack = Stack(
        "rules",
        resources=[EventBus(BUS)],
        functions=[FunctionSpec("Recorder", "tests.handlers.recorder.record")],
        triggers=[Rule("OnOrder", bus=BUS, event_pattern=PATTERN, targets=[Target("Recorder")], enabled=False)],
    )
    harness.deploy(stack)

    publish(harness)
    harness.drain()

    assert received_events(harness, "Recorder") == []
    assert harness.events.rule("OnOrder", BUS).state == "DISABLED"
    assert len(harness.events.received(BUS)) == 1


def test_the_rules_view_shows_input_retry_policy_and_dead_letter_queue(harness):
    target = Target(
        "Recorder",
        input_path="$.detail",
        retry_policy=RetryPolicy(maximum_retry_attempts=2, maximum_event_age_in_seconds=600),
        dead_letter_queue="OrdersDLQ",
    )
    harness.deploy(rules_stack(target, resources=[Queue("OrdersDLQ")]))

    (view,) = harness.events.rules(BUS)[0].targets

    assert view.id == "Recorder"
    assert view.function == "Recorder"
    assert view.arn == harness.functions.arn("Recorder")
    assert view.input_path == "$.detail"
    assert view.retry_policy == RetryPolicy(2, 600)
    assert view.dead_letter_arn == harness.account.arn("sqs", "OrdersDLQ")


# -- retries and dead letters ----------------------------------------------------------------------
def test_a_function_error_is_retried_by_lambda_not_by_eventbridge(harness):
    harness.deploy(
        Stack(
            "rules",
            resources=[EventBus(BUS), Queue("OrdersDLQ")],
            functions=[FunctionSpec("Failing", "tests.handlers.recorder.fail")],
            triggers=[
                Rule(
                    "OnOrder",
                    bus=BUS,
                    event_pattern=PATTERN,
                    targets=[Target("Failing", retry_policy=RetryPolicy(0, 60), dead_letter_queue="OrdersDLQ")],
                )
            ],
        )
    )

    publish(harness)
    harness.drain()
    harness.advance(minutes=1)
    harness.advance(minutes=2)

    assert len(harness.logs("Failing").matching("ATTEMPT")) == 3
    metrics = harness.events.deployed_rule("OnOrder", BUS).route("Failing").metrics
    assert (metrics.invocations, metrics.failed_invocations, metrics.sent_to_dlq) == (1, 0, 0)
    assert drain_queue(harness, "OrdersDLQ") == []


def test_throttled_deliveries_are_retried_until_maximum_retry_attempts_then_dead_lettered(harness):
    policy = RetryPolicy(maximum_retry_attempts=3, maximum_event_age_in_seconds=3600)
    harness.deploy(
        rules_stack(
            Target("Recorder", retry_policy=policy, dead_letter_queue="OrdersDLQ"), resources=[Queue("OrdersDLQ")]
        )
    )

    with harness.events.throttled("Recorder"):
        event_id = publish(harness)
        harness.drain()
        harness.advance(seconds=1)  # retries wait 1, 2 and 4 seconds
        harness.advance(seconds=2)
        assert drain_queue(harness, "OrdersDLQ") == []
        harness.advance(seconds=4)

    (dead,) = drain_queue(harness, "OrdersDLQ")
    assert json.loads(dead["Body"])["id"] == event_id
    assert json.loads(dead["Body"])["detail"] == DETAIL
    attributes = attributes_of(dead)
    assert attributes == {
        "RULE_ARN": harness.events.deployed_rule("OnOrder", BUS).arn,
        "TARGET_ARN": harness.functions.arn("Recorder"),
        "ERROR_CODE": "TooManyRequestsException",
        "ERROR_MESSAGE": "Rate Exceeded.",
        "RETRY_ATTEMPTS": "3",
        "EXHAUSTED_RETRY_CONDITION": "MaximumRetryAttempts",
    }
    metrics = harness.events.deployed_rule("OnOrder", BUS).route("Recorder").metrics
    assert (metrics.failed_invocations, metrics.retries, metrics.sent_to_dlq) == (4, 3, 1)
    assert received_events(harness, "Recorder") == []


def test_a_retry_after_the_throttle_lifts_delivers_the_event(harness):
    harness.deploy(rules_stack(Target("Recorder", retry_policy=RetryPolicy(5, 3600))))

    with harness.events.throttled("Recorder"):
        publish(harness)
        harness.drain()
        harness.advance(seconds=1)
    harness.advance(seconds=2)

    assert [e["detail"] for e in received_events(harness, "Recorder")] == [DETAIL]
    metrics = harness.events.deployed_rule("OnOrder", BUS).route("Recorder").metrics
    assert (metrics.failed_invocations, metrics.retries, metrics.invocations) == (2, 2, 1)


def test_retries_stop_at_maximum_event_age(harness):
    policy = RetryPolicy(maximum_retry_attempts=185, maximum_event_age_in_seconds=60)
    harness.deploy(
        rules_stack(
            Target("Recorder", retry_policy=policy, dead_letter_queue="OrdersDLQ"), resources=[Queue("OrdersDLQ")]
        )
    )

    with harness.events.throttled("Recorder"):
        publish(harness)
        harness.drain()
        harness.advance(seconds=59)
        assert drain_queue(harness, "OrdersDLQ") == []
        harness.advance(seconds=1)

    (dead,) = drain_queue(harness, "OrdersDLQ")
    attributes = attributes_of(dead)
    assert attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumEventAgeInSeconds"
    assert attributes["RETRY_ATTEMPTS"] == "5"  # after 1, 2, 4, 8 and 16 seconds; the next would be past 60
    assert received_events(harness, "Recorder") == []


def test_a_function_that_no_longer_exists_goes_straight_to_the_dead_letter_queue(harness):
    harness.deploy(
        rules_stack(
            Target("Recorder", retry_policy=RetryPolicy(10, 3600), dead_letter_queue="OrdersDLQ"),
            resources=[Queue("OrdersDLQ")],
        )
    )
    harness.functions.remove("Recorder")

    publish(harness)
    harness.drain()

    (dead,) = drain_queue(harness, "OrdersDLQ")
    attributes = attributes_of(dead)
    assert attributes["ERROR_CODE"] == "ResourceNotFoundException"
    assert attributes["RETRY_ATTEMPTS"] == "0"
    assert "EXHAUSTED_RETRY_CONDITION" not in attributes
    assert "Function not found" in attributes["ERROR_MESSAGE"]


def test_without_a_dead_letter_queue_an_undeliverable_event_is_dropped_and_counted(harness):
    harness.deploy(rules_stack(Target("Recorder", retry_policy=RetryPolicy(0, 60))))

    with harness.events.throttled("Recorder"):
        publish(harness)
        harness.drain()

    metrics = harness.events.deployed_rule("OnOrder", BUS).route("Recorder").metrics
    assert (metrics.matched_events, metrics.failed_invocations, metrics.dropped) == (1, 1, 1)


def test_a_dead_letter_queue_that_is_gone_counts_as_failed_to_send(harness):
    missing = harness.account.arn("sqs", "Missing")
    harness.deploy(rules_stack(Target("Recorder", retry_policy=RetryPolicy(0, 60), dead_letter_queue=missing)))

    with harness.events.throttled("Recorder"):
        publish(harness)
        harness.drain()

    metrics = harness.events.deployed_rule("OnOrder", BUS).route("Recorder").metrics
    assert (metrics.failed_to_send_to_dlq, metrics.dropped) == (1, 1)


# -- refusals ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "problem"),
    [
        (lambda: Target("Recorder", input="{not json"), "Input is not valid JSON text"),
        (lambda: Target("Recorder", input_path="detail.orderId"), "InputPath 'detail.orderId' is not a JSON path"),
        (
            lambda: Target("Recorder", input="{}", input_path="$.detail"),
            "Input, InputPath and InputTransformer are exclusive",
        ),
        (
            lambda: Target(
                "Recorder", input_transformer={"InputTemplate": "order <o> placed", "InputPathsMap": {"o": "$.id"}}
            ),
            "InputTemplate is not valid JSON once its placeholders are filled",
        ),
        (
            lambda: Target(
                "Recorder", input_transformer={"InputTemplate": "{}", "InputPathsMap": {"aws.rule": "$.id"}}
            ),
            "InputPathsMap variable 'aws.rule' must be",
        ),
        (lambda: Target("Recorder", input_transformer={"InputPathsMap": {}}), "InputTemplate must be text"),
        (lambda: Target("Recorder", retry_policy=RetryPolicy(186, 60)), "MaximumRetryAttempts must be 0..185"),
        (lambda: Target("Recorder", retry_policy=RetryPolicy(1, 30)), "MaximumEventAgeInSeconds must be 60..86400"),
        (lambda: Target("Recorder", dead_letter_queue="Orders.fifo"), "cannot use a FIFO queue"),
    ],
)
def test_target_settings_eventbridge_would_refuse_are_refused_naming_the_target(target, problem):
    with pytest.raises(ValueError, match=r"target Recorder of rule OnOrder: .*" + re.escape(problem)):
        Rule("OnOrder", bus=BUS, event_pattern=PATTERN, targets=[target()])


def test_targets_of_other_services_and_bad_ids_are_refused():
    with pytest.raises(ValueError, match="only functions, SQS queues and SNS topics can be targets here, not logs"):
        Target(arn="arn:aws:logs:us-east-1:123456789012:log-group:/orders")
    with pytest.raises(ValueError, match="target id 'has space' must be"):
        Target("Recorder", id="has space")
    with pytest.raises(ValueError, match="exactly one of them"):
        Target()
    with pytest.raises(ValueError, match="rule OnOrder: needs 1 to 5 targets, got 0"):
        Rule("OnOrder", bus=BUS, event_pattern=PATTERN)
    with pytest.raises(ValueError, match=r"target ids \['Recorder'\] are used more than once"):
        Rule("OnOrder", bus=BUS, event_pattern=PATTERN, targets=[Target("Recorder"), Target("Recorder")])
    with pytest.raises(ValueError, match="rule name 'bad name' must be"):
        Rule("bad name", bus=BUS, event_pattern=PATTERN, targets=[Target("Recorder")])


def test_a_dead_letter_queue_the_stack_does_not_declare_is_refused():
    with pytest.raises(ValueError, match="rule OnOrder names dead-letter queue 'Nowhere', which the stack does not"):
        rules_stack(Target("Recorder", dead_letter_queue="Nowhere"))


# -- the bus record ------------------------------------------------------------------------------
def test_a_bus_without_rules_is_recorded_once_monitored(harness):
    harness.deploy(Stack("bus", resources=[EventBus(BUS)]))

    with pytest.raises(LookupError, match=f"event bus '{BUS}' is not recorded: deploy a rule on it or call"):
        harness.events.received(BUS)
    harness.events.monitor(BUS)
    first = publish(harness)
    second = harness.events.publish("Anything", {"n": 2}, source="elsewhere", bus=BUS)
    harness.drain()

    assert [event["id"] for event in harness.events.received(BUS)] == [first, second]
    assert harness.events.rules(BUS) == []


def test_the_record_outlives_the_rules_that_started_it(harness):
    stack = harness.deploy(rules_stack(Target("Recorder")))
    publish(harness)
    harness.drain()

    stack.destroy()

    assert [event["detail"] for event in harness.events.received(BUS)] == [DETAIL]


def test_test_event_pattern_and_put_rule_through_the_endpoint_follow_eventbridges_rules(harness):
    """TestEventPattern and PutRule answer with the harness's pattern engine, written from EventBridge's
    "Event patterns" / "Content filtering" pages: a field inside an array of objects matches; anything-but
    null is refused."""
    events = harness.client("events")
    event = {
        "id": "1",
        "source": "shop",
        "detail-type": "Order",
        "account": harness.account.account_id,
        "time": "2025-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {"items": [{"sku": "A"}, {"sku": "B"}]},
    }

    matched = events.test_event_pattern(EventPattern='{"detail": {"items": {"sku": ["B"]}}}', Event=json.dumps(event))
    missed = events.test_event_pattern(EventPattern='{"detail": {"items": {"sku": ["C"]}}}', Event=json.dumps(event))

    assert (matched["Result"], missed["Result"]) == (True, False)
    with pytest.raises(ClientError) as refused:
        events.put_rule(Name="Never", EventPattern='{"source": [{"anything-but": null}]}')
    assert refused.value.response["Error"]["Code"] == "InvalidEventPatternException"
    assert "Never" not in {r["Name"] for r in events.list_rules()["Rules"]}
