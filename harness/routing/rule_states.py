"""Each rule's state and pattern, read from the backend once and again only after a rule may have changed.

Deciding whether a rule admits an event needs its state (ENABLED / DISABLED) and its pattern. Reading them
with DescribeRule for every event and target cost a backend call each; they change only through PutRule,
EnableRule, DisableRule and DeleteRule, which every harness session and the gateway report
(`harness.activity.rules_changed`). A change anywhere makes every cached state stale.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness import activity
from harness.routing.pattern_filter import RuleFilter, rule_filter
from harness.routing.pattern_validation import InvalidEventPattern


@dataclass(frozen=True)
class RuleState:
    """What decides a rule's deliveries: whether it exists and is enabled, and its pattern's filter."""

    delivers: bool
    filter: RuleFilter | None = None

    def admits(self, event: dict[str, Any]) -> bool:
        """Whether the rule delivers `event` to its targets."""
        return self.delivers and (self.filter is None or self.filter.admits(event))


_NOTHING = RuleState(False)


class RuleStates:
    """Cached rule states of one account, read through `events` (a boto3 EventBridge client on the backend).

    Example:
        >>> states = RuleStates(harness.account.client("events"))  # doctest: +SKIP
        >>> states.get("default", "OnOrder").admits(event)  # doctest: +SKIP
        True
    """

    def __init__(self, events: Any) -> None:
        self._events = events
        self._cached: dict[tuple[str, str], RuleState] = {}
        self._generation = activity.rules_generation()
        self._lock = threading.Lock()

    def get(self, bus: str, rule: str) -> RuleState:
        """The rule's state now: from the cache, or from the backend after any rule changed."""
        generation = activity.rules_generation()
        with self._lock:
            if generation != self._generation:
                self._cached.clear()
                self._generation = generation
            cached = self._cached.get((bus, rule))
        if cached is not None:
            return cached
        state = self._read(bus, rule)
        with self._lock:
            if self._generation == generation:  # a change meanwhile: the state read may be stale already
                self._cached[(bus, rule)] = state
        return state

    def _read(self, bus: str, rule: str) -> RuleState:
        try:
            described = self._events.describe_rule(Name=rule, EventBusName=bus)
        except ClientError:
            return _NOTHING
        if described.get("State") == "DISABLED":
            return _NOTHING
        try:
            return RuleState(True, rule_filter(described.get("EventPattern")))
        except InvalidEventPattern:
            return _NOTHING  # a pattern EventBridge would have refused delivers nothing
