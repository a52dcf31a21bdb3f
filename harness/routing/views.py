"""What a bus's rules and targets look like to a user: functions, queues and topics, never plumbing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from harness.routing.retry import RetryPolicy


@dataclass(frozen=True)
class TargetView:
    """One target of a rule, as DescribeRule / ListTargetsByRule would show it for a real function target."""

    id: str
    arn: str
    function: str | None = None
    input: str | None = None
    input_path: str | None = None
    input_transformer: dict[str, Any] | None = field(default=None, hash=False)
    retry_policy: RetryPolicy | None = None
    dead_letter_arn: str | None = None

    @classmethod
    def from_backend(cls, target: dict[str, Any]) -> TargetView:
        """A target the backend holds as it is (one the harness does not deliver)."""
        retry = target.get("RetryPolicy")
        arn = target["Arn"]
        return cls(
            id=target["Id"],
            arn=arn,
            function=function_name_of(arn),
            input=target.get("Input"),
            input_path=target.get("InputPath"),
            input_transformer=target.get("InputTransformer"),
            retry_policy=RetryPolicy(
                retry.get("MaximumRetryAttempts", 185), retry.get("MaximumEventAgeInSeconds", 86400)
            )
            if retry
            else None,
            dead_letter_arn=(target.get("DeadLetterConfig") or {}).get("Arn"),
        )


@dataclass(frozen=True)
class RuleView:
    """One rule of a bus with its targets."""

    name: str
    arn: str
    bus: str
    state: str
    event_pattern: dict[str, Any] | None = field(default=None, hash=False)
    schedule_expression: str | None = None
    description: str = ""
    targets: tuple[TargetView, ...] = ()

    @property
    def functions(self) -> list[str]:
        """The names of the functions this rule invokes."""
        return [t.function for t in self.targets if t.function]

    @classmethod
    def from_backend(cls, rule: dict[str, Any], bus: str, targets: list[TargetView]) -> RuleView:
        """Build the view from DescribeRule / ListRules fields."""
        pattern = rule.get("EventPattern")
        return cls(
            name=rule["Name"],
            arn=rule["Arn"],
            bus=bus,
            state=rule.get("State", "ENABLED"),
            event_pattern=json.loads(pattern) if pattern else None,
            schedule_expression=rule.get("ScheduleExpression"),
            description=rule.get("Description", ""),
            targets=tuple(targets),
        )


def function_name_of(arn: str) -> str | None:
    """The function name in a Lambda function ARN, else None."""
    parts = arn.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return parts[6]
    return None
