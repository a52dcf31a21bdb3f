"""SNS topics and their SQS subscriptions (with filter policies)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from harness.routing.topic_subscription import FILTER_POLICY_SCOPES


@dataclass(frozen=True)
class Topic:
    """A standard topic."""

    name: str

    def create(self, account: Account) -> dict[str, Any]:
        """Create the topic (idempotent by name) and return its ARN."""
        return {"arn": account.client("sns").create_topic(Name=self.name)["TopicArn"], "name": self.name}

    def delete(self, account: Account) -> None:
        """Delete the topic (no error if missing)."""
        account.client("sns").delete_topic(TopicArn=account.arn("sns", self.name))


@dataclass(frozen=True)
class QueueSubscription:
    """Fan-out from a topic to a queue of the same account, with an optional filter policy."""

    name: str
    topic: str
    queue: str
    filter_policy: dict[str, Any] = field(default_factory=dict)
    raw_message_delivery: bool = False
    filter_policy_scope: str = "MessageAttributes"

    def __post_init__(self) -> None:
        if not isinstance(self.filter_policy, dict):
            raise ValueError(f"subscription {self.name}: filter_policy must be a mapping")
        if self.filter_policy_scope not in FILTER_POLICY_SCOPES:
            raise ValueError(f"subscription {self.name}: filter_policy_scope must be one of {FILTER_POLICY_SCOPES}")

    def create(self, account: Account) -> dict[str, Any]:
        """Subscribe the queue to the topic and return the subscription ARN."""
        attributes = {"RawMessageDelivery": str(self.raw_message_delivery).lower()}
        if self.filter_policy:
            attributes["FilterPolicy"] = json.dumps(self.filter_policy)
            attributes["FilterPolicyScope"] = self.filter_policy_scope
        try:
            arn = account.client("sns").subscribe(
                TopicArn=account.arn("sns", self.topic),
                Protocol="sqs",
                Endpoint=account.arn("sqs", self.queue),
                Attributes=attributes,
                ReturnSubscriptionArn=True,
            )["SubscriptionArn"]
        except ClientError as exc:
            raise ValueError(f"subscription {self.name} of queue {self.queue} to topic {self.topic}: {exc}") from exc
        return {"arn": arn, "name": self.name}

    def delete(self, account: Account) -> None:
        """Remove the subscription (no error if the topic is gone)."""
        sns = account.client("sns")
        topic_arn = account.arn("sns", self.topic)
        try:
            subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
        except sns.exceptions.NotFoundException:
            return
        for subscription in subscriptions:
            if subscription["Endpoint"] == account.arn("sqs", self.queue):
                sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
