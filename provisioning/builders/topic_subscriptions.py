"""SNS subscriptions of functions for stacks: the harness's `TopicSubscription`."""

from harness.routing.topic_subscription import TopicSubscription

__all__ = ["TopicSubscription"]
