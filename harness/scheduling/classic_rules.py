"""Classic EventBridge rules with a ScheduleExpression, run on the harness clock like schedules.

Scheduled rules live on the default event bus; the backend stores them but never runs them. A rule's
cron is evaluated in UTC, and a rate rule first runs one period after the harness first sees it. Each run
sends the "Scheduled Event" to every target the rule has at that moment, with the target's Input,
InputPath or InputTransformer, retried per the target's RetryPolicy and dead-lettered to its
DeadLetterConfig (a target that no longer exists is not retried, as EventBridge documents).
"""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from harness.backends.base import Account
from harness.clock import Clock, Timer
from harness.routing.dead_letter import DeliveryFailure, dead_letter_attributes
from harness.routing.input_transform import RuleContext, TargetInput
from harness.routing.retry import RetryPolicy as RuleRetryPolicy
from harness.scheduling.delivery import Delivery, RetryPolicy, Run
from harness.scheduling.expressions import ScheduleExpressionError, parse_rule_schedule_expression
from harness.scheduling.recurrence import Recurrence
from harness.scheduling.targets import DELIVERED_SERVICES, DeliveryFailed, TargetDeliverer, target_service

DEFAULT_BUS = "default"


def scheduled_event(account: Account, rule_arn: str, when: datetime) -> dict[str, Any]:
    """The event EventBridge sends for one run of a scheduled rule."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account.account_id,
        "time": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": account.region,
        "resources": [rule_arn],
        "detail": {},
    }


@dataclass
class _ArmedRule:
    name: str
    arn: str
    stamp: tuple[str, str]  # (ScheduleExpression, State): a change starts the rule afresh
    generation: int
    recurrence: Recurrence | None = None
    timer: Timer | None = None
    next_run: datetime | None = None


class ScheduledRules:
    """The scheduled rules of one account's default bus, each armed on the clock."""

    def __init__(
        self, account: Account, clock: Clock, targets: TargetDeliverer, report_problem: Callable[[str], None]
    ) -> None:
        self.account = account
        self.clock = clock
        self.targets = targets
        self._report_problem = report_problem
        self._client = account.client("events")
        self._armed: dict[str, _ArmedRule] = {}
        self._runs: dict[str, list[Run]] = {}
        self._generations = itertools.count(1)
        self._lock = threading.RLock()
        self._closed = False

    def runs(self, rule: str) -> list[Run]:
        """The runs of a scheduled rule so far (one per target per run), oldest first."""
        with self._lock:
            return list(self._runs.get(rule, []))

    def next_run(self, rule: str) -> datetime | None:
        """When a scheduled rule runs next, after reading the backend."""
        self.sync()
        with self._lock:
            armed = self._armed.get(rule)
            return armed.next_run if armed else None

    def sync(self) -> None:
        """Read the default bus's rules and arm the scheduled ones."""
        listed: dict[str, dict[str, Any]] = {}
        for page in self._client.get_paginator("list_rules").paginate(EventBusName=DEFAULT_BUS):
            for rule in page.get("Rules", []):
                if rule.get("ScheduleExpression"):
                    listed[rule["Name"]] = rule
        with self._lock:
            if self._closed:
                return
            for name, rule in listed.items():
                stamp = (rule["ScheduleExpression"], rule.get("State") or "ENABLED")
                known = self._armed.get(name)
                if known is None or known.stamp != stamp:
                    self._arm(name, rule["Arn"], stamp)
            for name in set(self._armed) - set(listed):
                self._disarm(name)

    def close(self) -> None:
        """Stop every timer."""
        with self._lock:
            self._closed = True
            for name in list(self._armed):
                self._disarm(name)

    # -- timers -----------------------------------------------------------------------------------
    def _arm(self, name: str, arn: str, stamp: tuple[str, str]) -> None:
        self._disarm(name)
        armed = _ArmedRule(name, arn, stamp, next(self._generations))
        self._armed[name] = armed
        expression_text, state = stamp
        try:
            expression = parse_rule_schedule_expression(expression_text)
        except ScheduleExpressionError as exc:
            self._report_problem(f"scheduled rule {name} cannot run: {exc}")
            return
        if state != "ENABLED":
            return
        armed.recurrence = Recurrence(expression, UTC, runs_at_start=False)
        self._set_next(armed, armed.recurrence.first(self.clock.now()))

    def _disarm(self, name: str) -> None:
        armed = self._armed.pop(name, None)
        if armed is not None and armed.timer is not None:
            armed.timer.cancel()

    def _set_next(self, armed: _ArmedRule, when: datetime | None) -> None:
        armed.next_run, armed.timer = when, None
        if when is not None:
            name, generation = armed.name, armed.generation
            armed.timer = self.clock.call_at(when.timestamp(), lambda: self._run(name, generation, when))

    def _run(self, name: str, generation: int, scheduled: datetime) -> None:
        with self._lock:
            armed = self._armed.get(name)
            if armed is None or armed.generation != generation or armed.recurrence is None or self._closed:
                return
            self._set_next(armed, armed.recurrence.after(scheduled))
            arn = armed.arn
        event = scheduled_event(self.account, arn, scheduled)
        try:
            targets = [
                target
                for page in self._client.get_paginator("list_targets_by_rule").paginate(Rule=name)
                for target in page.get("Targets", [])
            ]
        except Exception as exc:
            self._report_problem(f"reading the targets of scheduled rule {name} failed: {exc}")
            return
        for target in targets:
            self._deliver(name, arn, target, event, scheduled)

    def _deliver(self, name: str, arn: str, target: dict[str, Any], event: dict[str, Any], scheduled: datetime) -> None:
        run = Run(name, scheduled, target["Arn"])
        with self._lock:
            self._runs.setdefault(name, []).append(run)
        if target_service(target["Arn"]) not in DELIVERED_SERVICES:
            run.status, run.error = (
                "dropped",
                f"the harness delivers to Lambda, SQS and SNS targets, not {target['Arn']}",
            )
            self._report_problem(f"scheduled rule {name}: {run.error}")
            return
        shaping = TargetInput(target.get("Input"), target.get("InputPath"), target.get("InputTransformer"))
        try:
            payload = shaping.render(event, RuleContext(arn, name, event["time"]))
        except (ValueError, KeyError, TypeError) as exc:
            run.status, run.error = "dropped", f"the target's input settings cannot be applied: {exc}"
            self._report_problem(f"scheduled rule {name}, target {target.get('Id')}: {run.error}")
            return
        group_id = (target.get("SqsParameters") or {}).get("MessageGroupId")
        queue = (target.get("DeadLetterConfig") or {}).get("Arn")
        policy = RetryPolicy.from_api(target.get("RetryPolicy"))

        def dead_letter(failure: DeliveryFailed) -> None:
            assert queue is not None
            why = DeliveryFailure(failure.code, failure.message, retriable=run.exhausted_condition is not None)
            attributes = dead_letter_attributes(arn, target["Arn"], why, run.retries, run.exhausted_condition)
            self.targets.dead_letter(queue, json.dumps(event), attributes)

        Delivery(
            self.clock,
            run,
            lambda attempt: self.targets.deliver(target["Arn"], payload, message_group_id=group_id),
            policy,
            retry_missing_target=False,
            dead_letter=dead_letter if queue else None,
            delays=RuleRetryPolicy(policy.maximum_retry_attempts, policy.maximum_event_age_seconds).delay,
        ).start()
