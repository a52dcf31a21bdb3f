"""SNS through the gateway: `subscribe --protocol lambda` invokes the function, as a declared subscription does."""

from __future__ import annotations

import json
from typing import Any

from harness.routing.eventbridge import EventRouting
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
        }

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
