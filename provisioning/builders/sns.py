"""SNS topics and their SQS subscriptions (with filter policies)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from harness.backends.base import Account


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

    def create(self, account: Account) -> dict[str, Any]:
        """Subscribe the queue to the topic and return the subscription ARN."""
        attributes = {"RawMessageDelivery": str(self.raw_message_delivery).lower()}
        if self.filter_policy:
            attributes["FilterPolicy"] = json.dumps(self.filter_policy)
        arn = account.client("sns").subscribe(
            TopicArn=account.arn("sns", self.topic),
            Protocol="sqs",
            Endpoint=account.arn("sqs", self.queue),
            Attributes=attributes,
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
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
