"""Corrections to the in-process moto server where it departs from AWS in ways a pattern would hit.

Each fix is applied once, only to the embedded backend's own process, and checks that the moto code it
corrects is still shaped as expected (the dependency is pinned below moto 5.3).
"""

from __future__ import annotations

from typing import Any


def scheduled_rules_ignore_events() -> None:
    """A rule with a ScheduleExpression and no EventPattern matches no PutEvents entry, as on AWS.

    moto treats the missing pattern as "match everything", so every PutEvents on the default bus tried
    to deliver to the scheduled rule's targets (and failed for Lambda targets).
    """
    from moto.events.models import Rule

    if getattr(Rule.send_to_targets, "_harness_fixed", False):
        return
    original = Rule.send_to_targets

    def send_to_targets(self: Any, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "scheduled_expression", None) and not self.event_pattern.get_pattern():
            return None
        return original(self, *args, **kwargs)

    send_to_targets._harness_fixed = True  # type: ignore[attr-defined]
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]


def apply_all() -> None:
    """Apply every fix (idempotent)."""
    scheduled_rules_ignore_events()
