"""SNS subscriptions that invoke functions: topic -> plumbing queue -> Lambda's SNS event.

The plumbing queue is subscribed without raw delivery, so each message carries SNS's envelope (filter
policies stay the emulator's); the harness renames its fields the way Lambda's SNS event spells them
(`SigningCertUrl`, `UnsubscribeUrl`) and invokes the function asynchronously, one record per message.
A message the harness already delivered itself (published through its endpoint, see `sns_direct`) is
skipped. FIFO topics cannot have Lambda subscriptions (SNS's "Message delivery for FIFO topics" page).
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness.backends.errors import error_code
from harness.functions.registry import FunctionNotFound
from harness.routing.direct_ledger import DirectLedger
from harness.routing.filter_policy import filter_policy_matches
from harness.routing.plumbing import PlumbingQueue, create_plumbing_queue, delete_plumbing_queue, plumbing_name
from harness.routing.queue_poller import QueuePoller
from harness.routing.topic_subscription import TopicSubscription

if TYPE_CHECKING:
    from harness.attachments import HarnessServices
    from harness.routing.eventbridge import EventRouting


def sns_scope(topic_arn: str) -> str:
    """The ledger scope of a topic's messages."""
    return f"sns:{topic_arn}"


def lambda_sns_event(envelope: dict[str, Any], subscription_arn: str) -> dict[str, Any]:
    """The event Lambda receives for one SNS notification."""
    return {
        "Records": [
            {
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription_arn,
                "EventSource": "aws:sns",
                "Sns": {
                    "SignatureVersion": envelope.get("SignatureVersion", "1"),
                    "Timestamp": envelope.get("Timestamp"),
                    "Signature": envelope.get("Signature", ""),
                    "SigningCertUrl": envelope.get("SigningCertURL", ""),
                    "MessageId": envelope.get("MessageId"),
                    "Message": envelope.get("Message"),
                    "MessageAttributes": envelope.get("MessageAttributes", {}),
                    "Type": envelope.get("Type", "Notification"),
                    "UnsubscribeUrl": envelope.get("UnsubscribeURL", ""),
                    "TopicArn": envelope.get("TopicArn"),
                    "Subject": envelope.get("Subject"),
                },
            }
        ]
    }


@dataclass
class SnsSubscriptionRoute:
    """Turns the queue's SNS envelopes into Lambda SNS events for one function."""

    harness: HarnessServices
    subscription: TopicSubscription
    subscription_arn: str = ""
    ledger: DirectLedger | None = None
    invoked: int = 0
    dropped: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, message: dict[str, Any]) -> None:
        """Invoke the function with the notification in the message, unless the harness delivered it already."""
        envelope = json.loads(message["Body"])
        if envelope.get("Type") != "Notification":
            return  # subscription confirmations are the harness's business, not the function's
        if self.ledger is not None and self.ledger.taken_by_harness(
            sns_scope(envelope.get("TopicArn", "")), envelope.get("MessageId")
        ):
            return
        self.deliver(envelope)

    def deliver(self, envelope: dict[str, Any]) -> None:
        """Invoke the function with one SNS envelope, if the subscription's filter policy admits it."""
        policy = self.subscription.filter_policy
        if policy and not filter_policy_matches(
            policy,
            envelope.get("Message", ""),
            envelope.get("MessageAttributes", {}),
            self.subscription.filter_policy_scope,
        ):
            return  # the harness's pattern engine has the last word on the filter policy
        try:
            function = self.harness.functions.get(self.subscription.function)
        except FunctionNotFound:
            with self._lock:
                self.dropped += 1
            return
        self.harness.async_invocations.submit(function, lambda_sns_event(envelope, self.subscription_arn))
        with self._lock:
            self.invoked += 1


@dataclass
class DeployedSubscription:
    """A subscription the harness made; calling it (or `remove()`) unsubscribes."""

    subscription: TopicSubscription
    topic_arn: str
    subscription_arn: str
    queue: PlumbingQueue
    route: SnsSubscriptionRoute
    poller: QueuePoller
    routing: EventRouting
    removed: bool = False

    def remove(self) -> None:
        """Stop invoking, unsubscribe and delete the plumbing queue (idempotent)."""
        if self.removed:
            return
        self.removed = True
        self.routing.forget(self)
        self.poller.stop()
        account = self.routing.harness.account
        with contextlib.suppress(ClientError):
            account.client("sns").unsubscribe(SubscriptionArn=self.subscription_arn)
        delete_plumbing_queue(account, self.queue)

    def __call__(self) -> None:
        self.remove()

    def __str__(self) -> str:
        return str(self.subscription)


def topic_arn_of(harness: HarnessServices, topic: str, resources: dict[str, dict[str, Any]]) -> str:
    """A topic's ARN from a stack resource name, a bare name or an ARN."""
    if topic.startswith("arn:"):
        return topic
    if topic in resources:
        return resources[topic]["arn"]
    return harness.account.arn("sns", topic)


def deploy_topic_subscription(
    routing: EventRouting, subscription: TopicSubscription, resources: dict[str, dict[str, Any]]
) -> DeployedSubscription:
    """Subscribe a plumbing queue to the topic on the function's behalf."""
    harness = routing.harness
    owner = str(subscription)
    if subscription.function not in harness.functions:
        raise ValueError(f"{owner}: function {subscription.function!r} is not registered in this harness")
    topic_arn = topic_arn_of(harness, subscription.topic, resources)
    sns = harness.account.client("sns")
    try:
        topic_attributes = sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]
    except ClientError as exc:
        if error_code(exc) in {"NotFound", "NotFoundException"}:
            raise ValueError(f"{owner}: topic {topic_arn} does not exist") from None
        raise
    if str(topic_attributes.get("FifoTopic", "")).lower() == "true" or topic_arn.endswith(".fifo"):
        raise ValueError(
            f"{owner}: topic {topic_arn} is a FIFO topic, which delivers only to SQS queues; "
            "subscribe a queue and let it trigger the function"
        )
    queue = create_plumbing_queue(harness.account, plumbing_name("sns", subscription.topic, subscription.function))
    attributes = {"RawMessageDelivery": "false"}
    if subscription.filter_policy:
        attributes["FilterPolicy"] = json.dumps(subscription.filter_policy)
        attributes["FilterPolicyScope"] = subscription.filter_policy_scope
    try:
        arn = sns.subscribe(
            TopicArn=topic_arn, Protocol="sqs", Endpoint=queue.arn, Attributes=attributes, ReturnSubscriptionArn=True
        )["SubscriptionArn"]
    except ClientError as exc:
        delete_plumbing_queue(harness.account, queue)
        raise ValueError(f"{owner}: SNS refused the subscription: {exc.response['Error'].get('Message')}") from exc
    route = SnsSubscriptionRoute(harness, subscription, arn, routing.ledger)
    poller = QueuePoller(harness.account, queue, route.handle, owner)
    return DeployedSubscription(subscription, topic_arn, arn, queue, route, poller, routing)
