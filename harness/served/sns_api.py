"""SNS through the gateway: `subscribe --protocol lambda` invokes the function, as a declared subscription does.

Publish and PublishBatch to a topic with function subscriptions go to the backend unchanged, and once it
published, the harness delivers each message to those functions itself, with no queue in between (see
`harness.routing.sns_direct`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from harness.routing.eventbridge import EventRouting
from harness.routing.plumbing_skip import plumbing_skipped
from harness.routing.sns_direct import deliver_published
from harness.routing.sns_subscriptions import sns_scope
from harness.routing.topic_subscription import TopicSubscription
from harness.served.service import FORWARD, AwsError, Forward, ForwardOutcome, Observer, Operation


class SnsApi:
    """Lambda subscriptions made through the API, delivered by the harness; the rest is the backend's.

    Example:
        >>> gateway.serve(SnsApi(harness.events, backend_sns_client))  # doctest: +SKIP
    """

    service = "sns"

    def __init__(self, routing: EventRouting, backend: Any) -> None:
        self.routing = routing
        self.backend = backend  # a boto3 SNS client on the backend, in the harness's account

    def operations(self) -> dict[str, Operation]:
        """The operations answered here; the rest go to the backend."""
        return {
            "Subscribe": self.subscribe,
            "Unsubscribe": self.unsubscribe,
            "ListSubscriptions": self.list_subscriptions,
            "ListSubscriptionsByTopic": self.list_subscriptions_by_topic,
            "Publish": self.publish,
            "PublishBatch": self.publish_batch,
        }

    def publish(self, params: dict[str, Any]) -> Any:
        """Publish, forwarded unchanged; once the backend took it, the topic's function subscriptions get it."""
        topic_arn = params.get("TopicArn") or params.get("TargetArn") or ""
        if not self.routing.topic_subscriptions(topic_arn):
            return FORWARD
        return Forward(self._delivering(topic_arn, {None: params}))

    def publish_batch(self, params: dict[str, Any]) -> Any:
        """PublishBatch, forwarded unchanged; each entry the backend published reaches the function subscriptions."""
        topic_arn = params["TopicArn"]
        if not self.routing.topic_subscriptions(topic_arn):
            return FORWARD
        entries = {entry["Id"]: entry for entry in params.get("PublishBatchRequestEntries", [])}
        return Forward(self._delivering(topic_arn, entries))

    @contextlib.contextmanager
    def _delivering(self, topic_arn: str, entries: dict[str | None, dict[str, Any]]) -> Iterator[Observer]:
        # Forwarded rather than re-sent with the harness's client: the caller's own credentials pick the
        # account, and nothing is parsed and serialized twice.
        queues = {deployed.queue.name for deployed in self.routing.topic_subscriptions(topic_arn)}
        with self.routing.ledger.publishing(sns_scope(topic_arn)) as seen, plumbing_skipped(queues):

            def observe(outcome: ForwardOutcome) -> None:
                if not outcome.succeeded:
                    return
                subscriptions = self.routing.topic_subscriptions(topic_arn)
                for entry_id, message_id in _published(outcome.body):
                    seen(message_id)
                    deliver_published(subscriptions, topic_arn, message_id, entries[entry_id])

            yield observe

    def subscribe(self, params: dict[str, Any]) -> Any:
        """Subscribe: a lambda endpoint gets a harness route, every other protocol goes to the backend."""
        if params.get("Protocol") != "lambda":
            return FORWARD
        endpoint = params.get("Endpoint") or ""
        parts = endpoint.split(":")
        if len(parts) < 7 or parts[2] != "lambda" or parts[5] != "function":
            raise AwsError("InvalidParameter", f"Invalid parameter: Endpoint {endpoint!r} is not a function ARN")
        attributes = params.get("Attributes") or {}
        try:
            policy = json.loads(attributes["FilterPolicy"]) if attributes.get("FilterPolicy") else {}
            subscription = TopicSubscription(
                params["TopicArn"],
                parts[6],
                filter_policy=policy,
                filter_policy_scope=attributes.get("FilterPolicyScope", "MessageAttributes"),
            )
            deployed = self.routing.add_topic_subscription(subscription)
        except ValueError as exc:
            raise AwsError("InvalidParameter", f"Invalid parameter: {exc}") from None
        return {"SubscriptionArn": deployed.subscription_arn}

    def unsubscribe(self, params: dict[str, Any]) -> Any:
        """Unsubscribe: a routed subscription stops invoking its function."""
        deployed = self.routing.subscription(params["SubscriptionArn"])
        if deployed is None:
            return FORWARD
        deployed.remove()
        return {}

    def list_subscriptions(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListSubscriptions with routed ones shown as lambda subscriptions."""
        return self._shown(self.backend.list_subscriptions(**params))

    def list_subscriptions_by_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListSubscriptionsByTopic with routed ones shown as lambda subscriptions."""
        return self._shown(self.backend.list_subscriptions_by_topic(**params))

    def _shown(self, answer: dict[str, Any]) -> dict[str, Any]:
        shown = []
        for item in answer.get("Subscriptions", []):
            deployed = self.routing.subscription(item.get("SubscriptionArn", ""))
            if deployed is not None:
                function_arn = self.routing.harness.functions.arn(deployed.subscription.function)
                item = {**item, "Protocol": "lambda", "Endpoint": function_arn}
            shown.append(item)
        body: dict[str, Any] = {"Subscriptions": shown}
        if answer.get("NextToken"):
            body["NextToken"] = answer["NextToken"]
        return body


def _published(body: bytes) -> list[tuple[str | None, str]]:
    """(entry id, message id) of what a Publish (id None) or PublishBatch answer says was published."""
    root = ElementTree.fromstring(body)
    found: list[tuple[str | None, str]] = []
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "PublishResult":
            message_id = _child_text(element, "MessageId")
            if message_id:
                found.append((None, message_id))
        elif tag == "Successful":
            for member in element:
                entry_id, message_id = _child_text(member, "Id"), _child_text(member, "MessageId")
                if entry_id and message_id:
                    found.append((entry_id, message_id))
    return found


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    return next((child.text for child in element if _local(child.tag) == name), None)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
