"""SNS topics that invoke functions, and fan-out to queues with filter policies."""

from __future__ import annotations

import json

import pytest

from harness.functions.spec import FunctionSpec
from provisioning.builders.sns import QueueSubscription, Topic
from provisioning.builders.sqs import Queue
from provisioning.builders.topic_subscriptions import TopicSubscription
from provisioning.stack import Stack
from tests.integration.routing_helpers import drain_queue, plumbing_queues, received_events

RECORDER = "tests.handlers.recorder.record"
TOPIC = "OrderEvents"


def topic_stack(*subscriptions: TopicSubscription, functions=("Notifier",)) -> Stack:
    return Stack(
        "sns-triggers",
        resources=[Topic(TOPIC)],
        functions=[FunctionSpec(name, RECORDER) for name in functions],
        triggers=list(subscriptions),
    )


def notifications(harness, function: str) -> list[dict]:
    """The `Sns` part of every event the function received."""
    events = received_events(harness, function)
    assert all(len(event["Records"]) == 1 for event in events)
    return [event["Records"][0]["Sns"] for event in events]


def test_a_topic_invokes_the_function_with_the_sns_event(harness):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))
    topic_arn = stack.arn(TOPIC)

    published = harness.client("sns").publish(
        TopicArn=topic_arn,
        Message=json.dumps({"orderId": "ORD-1"}),
        Subject="Order placed",
        MessageAttributes={
            "kind": {"DataType": "String", "StringValue": "placed"},
            "amount": {"DataType": "Number", "StringValue": "75"},
        },
    )
    harness.drain()

    (event,) = received_events(harness, "Notifier")
    (record,) = event["Records"]
    assert record["EventSource"] == "aws:sns"
    assert record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"].startswith(f"{topic_arn}:")
    sns = record["Sns"]
    assert list(sns) == [
        "SignatureVersion",
        "Timestamp",
        "Signature",
        "SigningCertUrl",
        "MessageId",
        "Message",
        "MessageAttributes",
        "Type",
        "UnsubscribeUrl",
        "TopicArn",
        "Subject",
    ]
    assert sns["Type"] == "Notification"
    assert sns["TopicArn"] == topic_arn
    assert sns["MessageId"] == published["MessageId"]
    assert json.loads(sns["Message"]) == {"orderId": "ORD-1"}
    assert sns["Subject"] == "Order placed"
    assert sns["MessageAttributes"] == {
        "kind": {"Type": "String", "Value": "placed"},
        "amount": {"Type": "Number", "Value": "75"},
    }
    assert sns["Timestamp"].endswith("Z")
    assert sns["SigningCertUrl"].startswith("https://") and sns["UnsubscribeUrl"].startswith("https://")


def test_without_subject_or_attributes_the_event_says_so(harness):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))

    harness.client("sns").publish(TopicArn=stack.arn(TOPIC), Message="plain text")
    harness.drain()

    (sns,) = notifications(harness, "Notifier")
    assert sns["Message"] == "plain text"
    assert sns["Subject"] is None
    assert sns["MessageAttributes"] == {}


def test_every_subscribed_function_gets_every_message(harness):
    stack = harness.deploy(
        topic_stack(
            TopicSubscription(TOPIC, "Notifier"),
            TopicSubscription(TOPIC, "Auditor"),
            functions=("Notifier", "Auditor"),
        )
    )

    for n in range(3):
        harness.client("sns").publish(TopicArn=stack.arn(TOPIC), Message=f"message {n}")
    harness.drain()

    for function in ("Notifier", "Auditor"):
        assert sorted(sns["Message"] for sns in notifications(harness, function)) == [
            "message 0",
            "message 1",
            "message 2",
        ]


def test_a_filter_policy_on_attributes_lets_only_matching_messages_through(harness):
    subscription = TopicSubscription(
        TOPIC, "Notifier", filter_policy={"kind": ["refund"], "amount": [{"numeric": [">", 100]}]}
    )
    stack = harness.deploy(topic_stack(subscription))
    sns = harness.client("sns")

    def publish(kind: str, amount: int) -> None:
        sns.publish(
            TopicArn=stack.arn(TOPIC),
            Message=f"{kind} {amount}",
            MessageAttributes={
                "kind": {"DataType": "String", "StringValue": kind},
                "amount": {"DataType": "Number", "StringValue": str(amount)},
            },
        )

    publish("refund", 500)
    publish("refund", 50)
    publish("placed", 500)
    harness.drain()

    assert [n["Message"] for n in notifications(harness, "Notifier")] == ["refund 500"]


def test_a_filter_policy_on_the_message_body(harness):
    subscription = TopicSubscription(
        TOPIC, "Notifier", filter_policy={"status": ["shipped"]}, filter_policy_scope="MessageBody"
    )
    stack = harness.deploy(topic_stack(subscription))
    sns = harness.client("sns")

    sns.publish(TopicArn=stack.arn(TOPIC), Message=json.dumps({"status": "shipped", "orderId": "A"}))
    sns.publish(TopicArn=stack.arn(TOPIC), Message=json.dumps({"status": "placed", "orderId": "B"}))
    harness.drain()

    assert [json.loads(n["Message"])["orderId"] for n in notifications(harness, "Notifier")] == ["A"]


def test_fan_out_to_queues_with_filter_policies(harness):
    stack = harness.deploy(
        Stack(
            "fan-out",
            resources=[
                Topic(TOPIC),
                Queue("Refunds"),
                Queue("BigOrders"),
                Queue("Everything"),
                QueueSubscription("refunds", TOPIC, "Refunds", filter_policy={"kind": ["refund"]}),
                QueueSubscription(
                    "big",
                    TOPIC,
                    "BigOrders",
                    filter_policy={"amount": [{"numeric": [">=", 1000]}]},
                    raw_message_delivery=True,
                ),
                QueueSubscription("all", TOPIC, "Everything"),
            ],
        )
    )
    sns = harness.client("sns")
    for kind, amount in (("refund", 20), ("placed", 1500), ("placed", 10)):
        sns.publish(
            TopicArn=stack.arn(TOPIC),
            Message=f"{kind} {amount}",
            MessageAttributes={
                "kind": {"DataType": "String", "StringValue": kind},
                "amount": {"DataType": "Number", "StringValue": str(amount)},
            },
        )

    refunds = [json.loads(m["Body"])["Message"] for m in drain_queue(harness, "Refunds")]
    big = drain_queue(harness, "BigOrders")
    everything = sorted(json.loads(m["Body"])["Message"] for m in drain_queue(harness, "Everything"))
    assert refunds == ["refund 20"]
    assert [m["Body"] for m in big] == ["placed 1500"]  # raw delivery: the message itself
    assert big[0]["MessageAttributes"]["kind"]["StringValue"] == "placed"
    assert everything == ["placed 10", "placed 1500", "refund 20"]


def test_an_invalid_filter_policy_is_refused_naming_the_subscription(harness):
    stack = topic_stack(TopicSubscription(TOPIC, "Notifier", filter_policy={"amount": [{"numeric": [">", "lots"]}]}))

    with pytest.raises(ValueError, match=r"subscription of Notifier to topic OrderEvents: SNS refused .*numeric"):
        harness.deploy(stack)

    assert [t for t in harness.client("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":{TOPIC}")] == []
    assert plumbing_queues(harness) == []


def test_an_invalid_queue_filter_policy_is_refused_naming_the_subscription(harness):
    stack = Stack(
        "fan-out",
        resources=[
            Topic(TOPIC),
            Queue("Refunds"),
            QueueSubscription("refunds", TOPIC, "Refunds", filter_policy={"kind": "refund"}),
        ],
    )

    with pytest.raises(ValueError, match="subscription refunds of queue Refunds to topic OrderEvents"):
        harness.deploy(stack)


def test_a_subscription_to_a_topic_that_does_not_exist_is_refused(harness):
    stack = Stack(
        "lost", functions=[FunctionSpec("Notifier", RECORDER)], triggers=[TopicSubscription("Nowhere", "Notifier")]
    )

    with pytest.raises(
        ValueError, match=r"subscription of Notifier to topic Nowhere: topic arn:aws:sns:.*:Nowhere does not exist"
    ):
        harness.deploy(stack)


def test_bad_declarations_are_refused():
    with pytest.raises(ValueError, match="names unknown function 'Nobody'"):
        topic_stack(TopicSubscription(TOPIC, "Nobody"))
    with pytest.raises(ValueError, match="filter_policy_scope must be one of"):
        TopicSubscription(TOPIC, "Notifier", filter_policy_scope="Body")
    with pytest.raises(ValueError, match="filter_policy_scope must be one of"):
        QueueSubscription("s", TOPIC, "Q", filter_policy_scope="Everything")


def test_destroying_the_stack_unsubscribes_and_removes_the_plumbing(harness):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))
    topic_arn = stack.arn(TOPIC)
    sns = harness.client("sns")
    assert len(sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]) == 1

    stack.destroy()

    assert [x for x in sns.list_subscriptions()["Subscriptions"] if x["TopicArn"] == topic_arn] == []
    assert plumbing_queues(harness) == []


def test_subscribe_with_protocol_lambda_through_the_api_invokes_the_function_until_unsubscribed(harness):
    """`aws sns subscribe --protocol lambda` (SNS's "Fanout to Lambda functions" page): the function receives
    each message as Lambda's SNS event; the subscription lists as lambda; Unsubscribe stops it."""
    stack = harness.deploy(topic_stack())
    topic_arn = stack.arn(TOPIC)
    sns = harness.client("sns")
    function_arn = harness.functions.arn("Notifier")

    arn = sns.subscribe(TopicArn=topic_arn, Protocol="lambda", Endpoint=function_arn, ReturnSubscriptionArn=True)[
        "SubscriptionArn"
    ]
    sns.publish(TopicArn=topic_arn, Message="first")
    harness.drain()
    listed = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
    sns.unsubscribe(SubscriptionArn=arn)
    sns.publish(TopicArn=topic_arn, Message="second")
    harness.drain()

    assert [n["Message"] for n in notifications(harness, "Notifier")] == ["first"]
    assert [(s["Protocol"], s["Endpoint"]) for s in listed] == [("lambda", function_arn)]
    assert sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"] == []
    assert plumbing_queues(harness) == []
