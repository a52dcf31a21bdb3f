"""What EventBridge Scheduler refuses in CreateSchedule and UpdateSchedule, checked before the backend sees it.

The emulators store any schedule; AWS answers ValidationException for a bad expression, time zone,
window, retry policy or date. Each message names the member and the value that is wrong.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.scheduling.delivery import EVENT_AGE_RANGE, RETRY_ATTEMPTS_RANGE
from harness.scheduling.expressions import (
    AtExpression,
    InvalidTimezone,
    ScheduleExpressionError,
    parse_schedule_expression,
    parse_timezone,
)
from harness.scheduling.targets import DELIVERED_SERVICES, target_service

_NAME = re.compile(r"^[0-9a-zA-Z\-_.]{1,64}$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_QUEUE_ARN = re.compile(r"^arn:aws[a-z-]*:sqs:[a-z0-9\-]+:\d{12}:[a-zA-Z0-9\-_]+$")
_JSON_INPUT_SERVICES = {"lambda": "a Lambda", "states": "a Step Functions", "events": "an EventBridge"}
WINDOW_MINUTES_RANGE = (1, 1440)
START_DATE_GRACE = timedelta(minutes=5)


class ScheduleValidationError(ValueError):
    """A request AWS would answer with ValidationException; the message says what is wrong."""


def validate_name(member: str, name: Any) -> None:
    """A schedule or group name: 1-64 letters, digits, '-', '_' or '.'."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ScheduleValidationError(f"{member} {name!r} must be 1-64 letters, digits, '-', '_' or '.'")


def validate_schedule_request(name: str, body: dict[str, Any], now: datetime | None) -> None:
    """Check a CreateSchedule or UpdateSchedule request body; ScheduleValidationError names the problem.

    Without `now` (a schedule declared ahead of deployment) dates are only checked against each other.
    """
    validate_name("Name", name)
    if body.get("GroupName") is not None:
        validate_name("GroupName", body["GroupName"])
    if not body.get("ScheduleExpression"):
        raise ScheduleValidationError("ScheduleExpression is required, e.g. rate(5 minutes)")
    try:
        expression = parse_schedule_expression(body["ScheduleExpression"])
        parse_timezone(body.get("ScheduleExpressionTimezone"))
    except (ScheduleExpressionError, InvalidTimezone) as exc:
        raise ScheduleValidationError(str(exc)) from None
    _check_window(body.get("FlexibleTimeWindow"))
    _check_target(body.get("Target"))
    _check_choice(body, "State", ("ENABLED", "DISABLED"))
    _check_choice(body, "ActionAfterCompletion", ("NONE", "DELETE"))
    if len(body.get("Description") or "") > 512:
        raise ScheduleValidationError("Description must be at most 512 characters")
    if not isinstance(expression, AtExpression):  # one-time schedules ignore StartDate and EndDate
        _check_dates(body, now)


def _check_window(window: Any) -> None:
    if not isinstance(window, dict) or "Mode" not in window:
        raise ScheduleValidationError(
            'FlexibleTimeWindow is required: {"Mode": "OFF"} or {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15}'
        )
    mode = window["Mode"]
    if mode not in ("OFF", "FLEXIBLE"):
        raise ScheduleValidationError(f"FlexibleTimeWindow.Mode {mode!r} must be OFF or FLEXIBLE")
    minutes = window.get("MaximumWindowInMinutes")
    if mode == "FLEXIBLE" and minutes is None:
        raise ScheduleValidationError("FlexibleTimeWindow.MaximumWindowInMinutes is required when Mode is FLEXIBLE")
    if minutes is not None:
        _check_range("FlexibleTimeWindow.MaximumWindowInMinutes", minutes, WINDOW_MINUTES_RANGE)


def _check_target(target: Any) -> None:
    if not isinstance(target, dict):
        raise ScheduleValidationError("Target is required, with at least Arn and RoleArn")
    arn = target.get("Arn")
    if not arn:
        raise ScheduleValidationError("Target.Arn is required")
    role = target.get("RoleArn")
    if not role:
        raise ScheduleValidationError("Target.RoleArn is required: the role EventBridge Scheduler assumes")
    if not _ROLE_ARN.match(role):
        raise ScheduleValidationError(f"Target.RoleArn {role!r} is not an IAM role ARN")
    service = target_service(arn)
    if service not in DELIVERED_SERVICES:
        raise ScheduleValidationError(
            f"Target.Arn {arn!r}: the harness delivers schedules to Lambda functions, SQS queues and SNS topics"
            + (f", not to {service} targets" if service else "; this is not an ARN")
        )
    policy = target.get("RetryPolicy") or {}
    if "MaximumRetryAttempts" in policy:
        _check_range("Target.RetryPolicy.MaximumRetryAttempts", policy["MaximumRetryAttempts"], RETRY_ATTEMPTS_RANGE)
    if "MaximumEventAgeInSeconds" in policy:
        _check_range("Target.RetryPolicy.MaximumEventAgeInSeconds", policy["MaximumEventAgeInSeconds"], EVENT_AGE_RANGE)
    queue = (target.get("DeadLetterConfig") or {}).get("Arn")
    if queue is not None and not _QUEUE_ARN.match(queue):
        raise ScheduleValidationError(f"Target.DeadLetterConfig.Arn {queue!r} is not a standard SQS queue ARN")
    payload = target.get("Input")
    if payload is not None and service in _JSON_INPUT_SERVICES:
        try:
            json.loads(payload)
        except ValueError as exc:
            raise ScheduleValidationError(
                f"Target.Input must be well-formed JSON for {_JSON_INPUT_SERVICES[service]} target: {exc}"
            ) from None


def _check_choice(body: dict[str, Any], member: str, choices: tuple[str, ...]) -> None:
    value = body.get(member)
    if value is not None and value not in choices:
        raise ScheduleValidationError(f"{member} {value!r} must be {' or '.join(choices)}")


def _check_range(member: str, value: Any, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScheduleValidationError(f"{member} must be a whole number between {low} and {high}, got {value!r}")


def _check_dates(body: dict[str, Any], now: datetime | None) -> None:
    start = _date(body, "StartDate")
    end = _date(body, "EndDate")
    if start is not None and end is not None and end <= start:
        raise ScheduleValidationError(f"EndDate {end.isoformat()} must be later than StartDate {start.isoformat()}")
    if now is None:
        return
    if start is not None and start < now - START_DATE_GRACE:
        raise ScheduleValidationError(
            f"The StartDate you specify cannot be earlier than 5 minutes ago (got {start.isoformat()}, "
            f"now is {now.isoformat()})"
        )
    if end is not None and end <= now:
        raise ScheduleValidationError(f"EndDate {end.isoformat()} is in the past (now is {now.isoformat()})")


def _date(body: dict[str, Any], member: str) -> datetime | None:
    value = body.get(member)
    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        raise ScheduleValidationError(f"{member} {value!r} is not a date") from None
