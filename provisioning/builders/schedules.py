"""EventBridge Scheduler schedules and groups, and classic scheduled rules.

`Schedule` and `ScheduledRule` go in a stack's `triggers`: they are created after the stack's functions,
a schedule through the harness's Scheduler API (so AWS's checks apply and it runs at once). Anything AWS
would refuse is refused when the schedule or rule is declared, naming it.

Example:
    >>> Schedule(
    ...     "HealthCheckEvery5Min",
    ...     "rate(5 minutes)",
    ...     function="DailyHealthCheck",
    ...     maximum_retry_attempts=2,
    ...     maximum_event_age_seconds=3600,
    ... )  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from harness.routing.rules import Target, check_targets
from harness.scheduling.expressions import ScheduleExpressionError, parse_rule_schedule_expression
from harness.scheduling.validation import ScheduleValidationError, validate_name, validate_schedule_request
from provisioning.builders.base import error_code

if TYPE_CHECKING:
    from harness.core import Harness
    from provisioning.stack import DeployedStack, Stack

_PLACEHOLDER_ACCOUNT = "arn:aws:{service}:us-east-1:000000000000:{resource}"
MAX_RULE_TARGETS = 5


@dataclass(frozen=True)
class ScheduleGroup:
    """A schedule group (a resource); deleting it deletes the schedules in it."""

    name: str

    def __post_init__(self) -> None:
        try:
            validate_name("schedule group name", self.name)
        except ScheduleValidationError as exc:
            raise ValueError(str(exc)) from None
        if self.name == "default":
            raise ValueError("the default schedule group always exists; declare only groups of your own")

    def create(self, account: Account) -> dict[str, Any]:
        """Create the group if missing and return its ARN."""
        client = account.client("scheduler")
        try:
            return {"arn": client.get_schedule_group(Name=self.name)["Arn"], "name": self.name}
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
        return {"arn": client.create_schedule_group(Name=self.name)["ScheduleGroupArn"], "name": self.name}

    def delete(self, account: Account) -> None:
        """Delete the group and its schedules (no error if it is gone)."""
        try:
            account.client("scheduler").delete_schedule_group(Name=self.name)
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise


@dataclass(frozen=True)
class Schedule:
    """An EventBridge Scheduler schedule that invokes a stack function (or any Lambda, queue or topic ARN).

    `input` is JSON text or a JSON-serialisable value. `flexible_window_minutes` None means the window is
    OFF. `dead_letter_queue` names a queue of the stack or gives an SQS ARN. `role` names the execution
    role (the harness does not evaluate IAM, but Scheduler requires one).
    """

    name: str
    expression: str
    function: str | None = None
    arn: str | None = None
    input: Any = field(default=None, hash=False)
    group: str = "default"
    timezone: str | None = None
    flexible_window_minutes: int | None = None
    maximum_retry_attempts: int | None = None
    maximum_event_age_seconds: int | None = None
    dead_letter_queue: str | None = None
    enabled: bool = True
    start: datetime | None = None
    end: datetime | None = None
    delete_after_completion: bool = False
    description: str = ""
    role: str = "LambdaLabRole"

    def __post_init__(self) -> None:
        if (self.function is None) == (self.arn is None):
            raise ValueError(f"schedule {self.name}: name a function or give a target ARN, exactly one of them")
        target = self.arn or _PLACEHOLDER_ACCOUNT.format(service="lambda", resource=f"function:{self.function}")
        try:
            validate_schedule_request(self.name, self.request(target, self._queue_arn_or_placeholder(), ""), None)
        except ScheduleValidationError as exc:
            raise ValueError(f"schedule {self.name}: {exc}") from None

    @property
    def payload(self) -> str | None:
        """The target's Input as text."""
        if self.input is None or isinstance(self.input, str):
            return self.input
        return json.dumps(self.input)

    def request(self, target_arn: str, dead_letter_arn: str | None, account_id: str) -> dict[str, Any]:
        """The CreateSchedule / UpdateSchedule request for this schedule."""
        target: dict[str, Any] = {
            "Arn": target_arn,
            "RoleArn": f"arn:aws:iam::{account_id or '000000000000'}:role/{self.role}",
        }
        if self.payload is not None:
            target["Input"] = self.payload
        policy = {
            key: value
            for key, value in (
                ("MaximumRetryAttempts", self.maximum_retry_attempts),
                ("MaximumEventAgeInSeconds", self.maximum_event_age_seconds),
            )
            if value is not None
        }
        if policy:
            target["RetryPolicy"] = policy
        if dead_letter_arn:
            target["DeadLetterConfig"] = {"Arn": dead_letter_arn}
        window: dict[str, Any] = {"Mode": "OFF"}
        if self.flexible_window_minutes is not None:
            window = {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": self.flexible_window_minutes}
        request: dict[str, Any] = {
            "Name": self.name,
            "GroupName": self.group,
            "ScheduleExpression": self.expression,
            "FlexibleTimeWindow": window,
            "Target": target,
            "State": "ENABLED" if self.enabled else "DISABLED",
            "ActionAfterCompletion": "DELETE" if self.delete_after_completion else "NONE",
        }
        optional = {
            "ScheduleExpressionTimezone": self.timezone,
            "StartDate": self.start,
            "EndDate": self.end,
            "Description": self.description or None,
        }
        request.update({key: value for key, value in optional.items() if value is not None})
        return request

    def check(self, stack: Stack) -> None:
        """The target function and a named dead-letter queue must be declared by the stack."""
        if self.function is not None and self.function not in {f.name for f in stack.functions}:
            raise ValueError(f"stack {stack.name}: schedule {self.name} targets unknown function {self.function!r}")
        queue = self.dead_letter_queue
        if queue is not None and not queue.startswith("arn:") and queue not in {r.name for r in stack.resources}:
            raise ValueError(
                f"stack {stack.name}: schedule {self.name} names dead-letter queue {queue!r}, "
                "which the stack does not declare"
            )

    def attach(self, harness: Harness, deployed: DeployedStack) -> Callable[[], None]:
        """Create (or update) the schedule through the harness's Scheduler API; return what deletes it."""
        account = harness.account
        target = self.arn or harness.functions.arn(self.function or "")
        queue = self.dead_letter_queue
        if queue is not None and not queue.startswith("arn:"):
            queue = deployed.outputs[queue]["arn"]
        request = self.request(target, queue, account.account_id)
        client = harness.client("scheduler")
        try:
            client.create_schedule(**request)
        except ClientError as exc:
            if error_code(exc) != "ConflictException":
                raise
            client.update_schedule(**request)

        def delete() -> None:
            try:
                client.delete_schedule(Name=self.name, GroupName=self.group)
            except ClientError as exc:
                if error_code(exc) != "ResourceNotFoundException":
                    raise

        return delete

    def _queue_arn_or_placeholder(self) -> str | None:
        queue = self.dead_letter_queue
        if queue is None or queue.startswith("arn:"):
            return queue
        return _PLACEHOLDER_ACCOUNT.format(service="sqs", resource=queue)

    def __str__(self) -> str:
        return f"schedule {self.group}/{self.name} ({self.expression})"


@dataclass(frozen=True)
class ScheduledRule:
    """A classic EventBridge rule on the default bus that runs on a schedule, with up to five targets.

    Targets are `provisioning.builders.rules.Target`s: a stack function or an ARN, with an optional
    Input, InputPath or InputTransformer, retry policy and dead-letter queue.
    """

    name: str
    expression: str
    targets: tuple[Target, ...] = ()
    description: str = ""
    enabled: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(self.targets))
        try:
            validate_name("rule name", self.name)
            parse_rule_schedule_expression(self.expression)
        except (ScheduleValidationError, ScheduleExpressionError) as exc:
            raise ValueError(f"scheduled rule {self.name}: {exc}") from None
        if not 1 <= len(self.targets) <= MAX_RULE_TARGETS:
            count = len(self.targets)
            raise ValueError(f"scheduled rule {self.name}: needs 1 to {MAX_RULE_TARGETS} targets, got {count}")
        ids = [t.target_id for t in self.targets]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"scheduled rule {self.name}: target ids {duplicates} are used more than once")
        for target in self.targets:
            target.validate(self.name)

    def check(self, stack: Stack) -> None:
        """Every function target and named dead-letter queue must be declared by the stack."""
        check_targets(stack, self.name, self.targets)

    def attach(self, harness: Harness, deployed: DeployedStack) -> Callable[[], None]:
        """Create the rule and its targets on the default bus, and arm it; return what removes them."""
        events = harness.account.client("events")
        events.put_rule(
            Name=self.name,
            ScheduleExpression=self.expression,
            State="ENABLED" if self.enabled else "DISABLED",
            Description=self.description,
        )
        entries = [self._target_entry(harness, deployed, target) for target in self.targets]
        failed = events.put_targets(Rule=self.name, Targets=entries).get("FailedEntries") or []
        if failed:
            raise RuntimeError(f"scheduled rule {self.name}: PutTargets refused {failed}")
        harness.scheduler.rules.sync()

        def remove() -> None:
            try:
                events.remove_targets(Rule=self.name, Ids=[entry["Id"] for entry in entries])
                events.delete_rule(Name=self.name)
            except ClientError as exc:
                if error_code(exc) != "ResourceNotFoundException":
                    raise

        return remove

    def _target_entry(self, harness: Harness, deployed: DeployedStack, target: Target) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "Id": target.target_id,
            "Arn": target.arn or harness.functions.arn(target.function or ""),
            **target.target_input.as_target_fields(),
        }
        if target.retry_policy is not None:
            entry["RetryPolicy"] = target.retry_policy.as_target_field()
        queue = target.dead_letter_queue
        if queue is not None:
            entry["DeadLetterConfig"] = {"Arn": queue if queue.startswith("arn:") else deployed.outputs[queue]["arn"]}
        return entry

    def __str__(self) -> str:
        return f"scheduled rule {self.name} ({self.expression})"
