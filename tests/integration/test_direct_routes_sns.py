"""SNS messages published through the harness's endpoint reach function subscriptions at once, exactly once.

A message published on the backend directly (which the harness cannot see) still comes through the
plumbing queue; both give the function the same event. AWS pages: "Fanout to Lambda functions" (the
event), "Amazon SNS message filtering" (filter policies), Publish's MessageStructure (the "lambda" key),
"Message delivery for FIFO topics" (no Lambda subscriptions on FIFO topics).
"""

from __future__ import annotations

import base64
import json

import pytest
from botocore.exceptions import ClientError

from harness.functions.spec import FunctionSpec
from harness.routing.plumbing_skip import plumbing_skippable
from provisioning.builders.sns import Topic
from provisioning.builders.topic_subscriptions import TopicSubscription
from provisioning.stack import Stack
from tests.integration.routing_helpers import plumbing_mode, received_events

RECORDER = "tests.handlers.recorder.record"
TOPIC = "OrderEvents"
# What differs from one message to the next, or between SNS's signing keys: the direct route signs with
# SNS's default version 1 and a fresh certificate name; moto signs every message with version 2.
PER_MESSAGE = {"MessageId", "Timestamp", "Signature", "SignatureVersion", "SigningCertUrl", "UnsubscribeUrl"}


@pytest.fixture(params=["skipped", "ledger"])
def plumbing(request):
    """Both ways the queue route learns of the harness's own deliveries (see `plumbing_mode`)."""
    with plumbing_mode(request.param) as mode:
        yield mode


def topic_stack(*subscriptions: TopicSubscription) -> Stack:
    return Stack(
        "direct-sns",
        resources=[Topic(TOPIC)],
        functions=[FunctionSpec("Notifier", RECORDER)],
        triggers=list(subscriptions),
    )


def notifications(harness) -> list[dict]:
    """The `Sns` part of every event Notifier received."""
    events = received_events(harness, "Notifier")
    assert all(len(event["Records"]) == 1 for event in events)
    return [event["Records"][0]["Sns"] for event in events]


def by_message_id(harness) -> dict[str, dict]:
    received = notifications(harness)
    found = {sns["MessageId"]: sns for sns in received}
    assert len(found) == len(received), "a message reached the function twice"
    return found


def test_a_message_published_through_the_endpoint_or_on_the_backend_arrives_once_with_the_same_event(harness, plumbing):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))
    topic_arn = stack.arn(TOPIC)
    message = {
        "TopicArn": topic_arn,
        "Message": json.dumps({"orderId": "ORD-1"}),
        "Subject": "Order placed",
        "MessageAttributes": {
            "kind": {"DataType": "String", "StringValue": "placed"},
            "amount": {"DataType": "Number", "StringValue": "75.5"},
            "tags": {"DataType": "String.Array", "StringValue": '["a", "b"]'},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01binary"},
        },
    }

    direct = harness.client("sns").publish(**message)["MessageId"]
    queued = harness.account.client("sns").publish(**message)["MessageId"]
    harness.drain()

    received = by_message_id(harness)
    assert sorted(received) == sorted([direct, queued])
    assert harness.functions.get("Notifier").invocation_count == 2
    first, second = received[direct], received[queued]
    assert {k: v for k, v in first.items() if k not in PER_MESSAGE} == {
        k: v for k, v in second.items() if k not in PER_MESSAGE
    }
    assert first["MessageAttributes"]["blob"] == {
        "Type": "Binary",
        "Value": base64.b64encode(b"\x00\x01binary").decode(),
    }
    assert first["MessageAttributes"]["amount"] == {"Type": "Number", "Value": "75.5"}
    assert list(first) == list(second)
    assert first["Timestamp"].endswith("Z") and len(first["Timestamp"]) == len(second["Timestamp"])
    assert first["SignatureVersion"] == "1"
    assert len(base64.b64decode(first["Signature"])) == 256
    assert first["SigningCertUrl"].startswith("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-")
    assert first["SigningCertUrl"].endswith(".pem")
    (subscription,) = harness.client("sns").list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
    assert first["UnsubscribeUrl"].endswith(f"Action=Unsubscribe&SubscriptionArn={subscription['SubscriptionArn']}")
    # the plumbing queue carried the backend's message, and the harness's own one only without the skip
    (deployed,) = harness.events.topic_subscriptions(topic_arn)
    skipped = plumbing == "skipped" and plumbing_skippable(harness.account)
    assert deployed.poller.received == (1 if skipped else 2)


def test_without_subject_or_attributes_the_direct_event_says_so(harness):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))

    harness.client("sns").publish(TopicArn=stack.arn(TOPIC), Message="plain text")
    harness.drain()

    (sns,) = notifications(harness)
    assert (sns["Message"], sns["Subject"], sns["MessageAttributes"]) == ("plain text", None, {})


def test_publish_batch_delivers_each_entry_once(harness, plumbing):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))

    answer = harness.client("sns").publish_batch(
        TopicArn=stack.arn(TOPIC),
        PublishBatchRequestEntries=[
            {"Id": "one", "Message": "first", "Subject": "1"},
            {
                "Id": "two",
                "Message": "second",
                "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "refund"}},
            },
        ],
    )
    harness.drain()

    ids = {entry["Id"]: entry["MessageId"] for entry in answer["Successful"]}
    received = by_message_id(harness)
    assert sorted(received) == sorted(ids.values())
    assert (received[ids["one"]]["Message"], received[ids["one"]]["Subject"]) == ("first", "1")
    assert received[ids["two"]]["MessageAttributes"] == {"kind": {"Type": "String", "Value": "refund"}}


def test_filter_policies_refuse_on_the_direct_route(harness):
    harness.deploy(
        topic_stack(
            TopicSubscription(
                TOPIC, "Notifier", filter_policy={"kind": ["refund"], "amount": [{"numeric": [">", 100]}]}
            )
        )
    )
    sns = harness.client("sns")
    topic_arn = harness.account.arn("sns", TOPIC)

    def attributes(kind: str, amount: int) -> dict:
        return {
            "kind": {"DataType": "String", "StringValue": kind},
            "amount": {"DataType": "Number", "StringValue": str(amount)},
        }

    sns.publish(TopicArn=topic_arn, Message="refund 500", MessageAttributes=attributes("refund", 500))
    sns.publish(TopicArn=topic_arn, Message="refund 50", MessageAttributes=attributes("refund", 50))
    sns.publish(TopicArn=topic_arn, Message="placed 500", MessageAttributes=attributes("placed", 500))
    sns.publish(TopicArn=topic_arn, Message="no attributes")
    sns.publish_batch(
        TopicArn=topic_arn,
        PublishBatchRequestEntries=[
            {"Id": "a", "Message": "batch refund 900", "MessageAttributes": attributes("refund", 900)},
            {"Id": "b", "Message": "batch placed 900", "MessageAttributes": attributes("placed", 900)},
        ],
    )
    harness.drain()

    assert sorted(n["Message"] for n in notifications(harness)) == ["batch refund 900", "refund 500"]


def test_a_body_filter_policy_refuses_on_the_direct_route(harness):
    harness.deploy(
        topic_stack(
            TopicSubscription(
                TOPIC, "Notifier", filter_policy={"status": ["shipped"]}, filter_policy_scope="MessageBody"
            )
        )
    )
    sns = harness.client("sns")
    topic_arn = harness.account.arn("sns", TOPIC)

    for status in ("shipped", "placed"):
        sns.publish(TopicArn=topic_arn, Message=json.dumps({"status": status}))
    sns.publish(TopicArn=topic_arn, Message="not json")
    harness.drain()

    assert [json.loads(n["Message"]) for n in notifications(harness)] == [{"status": "shipped"}]


def test_message_structure_json_gives_the_function_the_lambda_text_or_the_default(harness):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))
    sns = harness.client("sns")

    with_lambda = sns.publish(
        TopicArn=stack.arn(TOPIC),
        MessageStructure="json",
        Message=json.dumps({"default": "for everyone", "lambda": "for functions", "email": "for people"}),
    )["MessageId"]
    default_only = sns.publish(
        TopicArn=stack.arn(TOPIC), MessageStructure="json", Message=json.dumps({"default": "for everyone"})
    )["MessageId"]
    harness.drain()

    received = by_message_id(harness)
    assert received[with_lambda]["Message"] == "for functions"
    assert received[default_only]["Message"] == "for everyone"


def test_message_structure_json_without_default_is_refused_and_delivers_nothing(harness):
    stack = harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))

    with pytest.raises(ClientError):
        harness.client("sns").publish(
            TopicArn=stack.arn(TOPIC), MessageStructure="json", Message=json.dumps({"lambda": "no default"})
        )
    harness.drain()

    assert notifications(harness) == []


def test_publishing_to_a_missing_topic_fails_and_delivers_nothing(harness):
    harness.deploy(topic_stack(TopicSubscription(TOPIC, "Notifier")))

    with pytest.raises(ClientError, match="NotFound"):
        harness.client("sns").publish(TopicArn=harness.account.arn("sns", "Elsewhere"), Message="lost")
    harness.drain()

    assert notifications(harness) == []


def test_a_fifo_topic_cannot_have_a_function_subscription(harness):
    """SNS FIFO topics deliver only to SQS queues ("Message delivery for FIFO topics")."""
    harness.deploy(Stack("fifo", functions=[FunctionSpec("Notifier", RECORDER)]))
    sns = harness.client("sns")
    topic_arn = sns.create_topic(Name="Orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    try:
        with pytest.raises(ClientError, match="FIFO topic"):
            sns.subscribe(TopicArn=topic_arn, Protocol="lambda", Endpoint=harness.functions.arn("Notifier"))
        with pytest.raises(ValueError, match="is a FIFO topic, which delivers only to SQS queues"):
            harness.events.add_topic_subscription(TopicSubscription(topic_arn, "Notifier"))
        assert sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"] == []
    finally:
        sns.delete_topic(TopicArn=topic_arn)
