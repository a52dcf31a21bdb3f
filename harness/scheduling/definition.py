"""A schedule as the harness runs it, read from a GetSchedule answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.scheduling.delivery import RetryPolicy
from harness.scheduling.expressions import (
    AtExpression,
    ScheduleExpression,
    parse_schedule_expression,
    parse_timezone,
)
from harness.scheduling.recurrence import Recurrence


@dataclass(frozen=True)
class ScheduleTarget:
    """What a schedule invokes and how a failed delivery is handled."""

    arn: str
    input: str | None = None
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)
    dead_letter_arn: str | None = None
    message_group_id: str | None = None

    @classmethod
    def from_api(cls, target: dict[str, Any]) -> ScheduleTarget:
        """The target from an API `Target` structure."""
        return cls(
            arn=target["Arn"],
            input=target.get("Input"),
            retry_policy=RetryPolicy.from_api(target.get("RetryPolicy")),
            dead_letter_arn=(target.get("DeadLetterConfig") or {}).get("Arn"),
            message_group_id=(target.get("SqsParameters") or {}).get("MessageGroupId"),
        )


@dataclass(frozen=True)
class ScheduleDefinition:
    """One schedule: when it runs (expression, time zone, dates, state, window) and what it invokes."""

    name: str
    group: str
    arn: str
    expression: ScheduleExpression
    timezone_name: str
    target: ScheduleTarget
    start: datetime | None = None
    end: datetime | None = None
    enabled: bool = True
    flexible_window_minutes: int = 0  # 0: FlexibleTimeWindow OFF
    delete_after_completion: bool = False

    @classmethod
    def from_api(cls, schedule: dict[str, Any]) -> ScheduleDefinition:
        """Read a GetSchedule answer; ScheduleExpressionError or InvalidTimezone if it cannot run."""
        window = schedule.get("FlexibleTimeWindow") or {}
        timezone_name = schedule.get("ScheduleExpressionTimezone") or "UTC"
        parse_timezone(timezone_name)
        return cls(
            name=schedule["Name"],
            group=schedule.get("GroupName") or "default",
            arn=schedule["Arn"],
            expression=parse_schedule_expression(schedule["ScheduleExpression"]),
            timezone_name=timezone_name,
            target=ScheduleTarget.from_api(schedule["Target"]),
            start=_utc(schedule.get("StartDate")),
            end=_utc(schedule.get("EndDate")),
            enabled=(schedule.get("State") or "ENABLED") == "ENABLED",
            flexible_window_minutes=int(window.get("MaximumWindowInMinutes") or 0)
            if window.get("Mode") == "FLEXIBLE"
            else 0,
            delete_after_completion=schedule.get("ActionAfterCompletion") == "DELETE",
        )

    @property
    def key(self) -> tuple[str, str]:
        """(group, name): what identifies a schedule in an account."""
        return (self.group, self.name)

    @property
    def timing(self) -> tuple[Any, ...]:
        """Everything that decides when the schedule runs; a change here starts it afresh."""
        return (self.expression.text, self.timezone_name, self.start, self.end, self.enabled)

    def recurrence(self) -> Recurrence:
        """The schedule's runs."""
        return Recurrence(self.expression, parse_timezone(self.timezone_name), self.start, self.end, runs_at_start=True)

    @property
    def recurring(self) -> bool:
        """False for a one-time `at(...)` schedule."""
        return not isinstance(self.expression, AtExpression)


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(float(value), UTC)
