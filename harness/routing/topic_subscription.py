"""SNS subscriptions that invoke a function, with an optional filter policy.

A `TopicSubscription` goes in a stack's `triggers` ("this topic invokes Fn"):

    >>> TopicSubscription("OrderEvents", "AuditLogger", filter_policy={"kind": ["refund"]})  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.attachments import DeclaringStack, DeployedResources, RouteHost


FILTER_POLICY_SCOPES = ("MessageAttributes", "MessageBody")


@dataclass(frozen=True)
class TopicSubscription:
    """`topic` names a topic of the stack or gives a topic ARN; `function` is one of the stack's functions."""

    topic: str
    function: str
    filter_policy: dict[str, Any] = field(default_factory=dict, hash=False)
    filter_policy_scope: str = "MessageAttributes"

    def __post_init__(self) -> None:
        owner = f"subscription of {self.function} to topic {self.topic}"
        if not isinstance(self.filter_policy, dict):
            raise ValueError(f"{owner}: filter_policy must be a mapping, got {type(self.filter_policy).__name__}")
        if self.filter_policy_scope not in FILTER_POLICY_SCOPES:
            raise ValueError(f"{owner}: filter_policy_scope must be one of {FILTER_POLICY_SCOPES}")

    def check(self, stack: DeclaringStack) -> None:
        """The function must be one of the stack's."""
        if self.function not in {f.name for f in stack.functions}:
            raise ValueError(
                f"stack {stack.name}: subscription to topic {self.topic} names unknown function {self.function!r}"
            )

    def attach(self, harness: RouteHost, deployed: DeployedResources) -> Callable[[], None]:
        """Subscribe the function and start invoking it."""
        return harness.events.add_topic_subscription(self, deployed.outputs)

    def __str__(self) -> str:
        return f"subscription of {self.function} to topic {self.topic}"
