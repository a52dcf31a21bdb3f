"""EventBridge rules for stacks: declared with the harness's `Rule` and `Target` (see harness.routing.rules)."""

from harness.routing.rules import Rule, Target

__all__ = ["Rule", "Target"]
