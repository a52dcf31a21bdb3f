"""SNS through the gateway: `subscribe --protocol lambda` invokes the function, as a declared subscription does.

Publish and PublishBatch to a topic with function subscriptions go to the backend, and the harness then
delivers each message to those functions itself, with no queue in between (see `harness.routing.sns_direct`).
"""

from __future__ import annotations

import json
from typing import Any

from harness.routing.eventbridge import EventRouting
from harness.routing.sns_direct import deliver_published
from harness.routing.sns_subscriptions import sns_scope
from harness.routing.topic_subscription import TopicSubscription
from harness.served.service import FORWARD, AwsError, Operation


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
        """Publish on the backend, then deliver to the topic's function subscriptions at once."""
        topic_arn = params.get("TopicArn") or params.get("TargetArn") or ""
        subscriptions = self.routing.topic_subscriptions(topic_arn)
        if not subscriptions:
            return FORWARD
        with self.routing.ledger.publishing(sns_scope(topic_arn)) as seen:
            answer = self.backend.publish(**params)
            seen(answer["MessageId"])
            deliver_published(subscriptions, topic_arn, answer["MessageId"], params)
        return _output(answer)

    def publish_batch(self, params: dict[str, Any]) -> Any:
        """PublishBatch on the backend, then deliver each published entry to the topic's function subscriptions."""
        topic_arn = params["TopicArn"]
        subscriptions = self.routing.topic_subscriptions(topic_arn)
        if not subscriptions:
            return FORWARD
        entries = {entry["Id"]: entry for entry in params.get("PublishBatchRequestEntries", [])}
        with self.routing.ledger.publishing(sns_scope(topic_arn)) as seen:
            answer = self.backend.publish_batch(**params)
            for published in answer.get("Successful", []):
                seen(published["MessageId"])
                deliver_published(subscriptions, topic_arn, published["MessageId"], entries[published["Id"]])
        return _output(answer)

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


def _output(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}
