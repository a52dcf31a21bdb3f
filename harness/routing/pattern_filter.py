"""The point where a rule's delivered events are decided by the harness's pattern engine.

Whatever brings a bus event to a rule's targets (a plumbing queue the emulator fills, or the harness's
own PutEvents), `RuleFilter.admits` is the last word: an event reaches the targets only if the rule's
pattern matches it by EventBridge's documented rules (`harness.routing.event_pattern`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from harness.routing.event_pattern import matches, validate_pattern


@dataclass(frozen=True)
class RuleFilter:
    """A rule's event pattern, validated once, deciding which events its targets receive."""

    pattern: dict[str, Any] = field(hash=False)

    @classmethod
    def of(cls, pattern: str | dict[str, Any] | None) -> RuleFilter | None:
        """The filter for a rule's pattern (text or mapping); None for a rule without one (a schedule)."""
        if pattern is None or pattern == "":
            return None
        parsed = json.loads(pattern) if isinstance(pattern, str) else pattern
        validate_pattern(parsed)
        return cls(parsed)

    def admits(self, event: dict[str, Any]) -> bool:
        """Whether the event, as the bus received it, matches the rule's pattern."""
        return matches(self.pattern, event)


@lru_cache(maxsize=512)
def rule_filter(pattern_text: str | None) -> RuleFilter | None:
    """The filter for a rule's pattern as DescribeRule answers it (text, or None for a schedule), cached."""
    return RuleFilter.of(pattern_text)
