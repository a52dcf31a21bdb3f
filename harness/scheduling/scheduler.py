"""EventBridge Scheduler on the harness clock: schedules live on the backend, the harness runs them.

The backend (moto, LocalStack) stores schedules but never runs them. This service reads them (at once
when they change through the harness's Scheduler API, before every advance of a virtual clock, and every
few seconds on the wall clock), arms a clock timer for each next run and delivers the run to its target
with the target's retry policy and dead-letter queue.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness import timeline
from harness.backends.errors import error_code
from harness.clock import Timer, VirtualClock
from harness.scheduling.classic_rules import ScheduledRules
from harness.scheduling.definition import ScheduleDefinition
from harness.scheduling.delivery import Delivery, Run, string_attributes
from harness.scheduling.expressions import InvalidTimezone, ScheduleExpressionError
from harness.scheduling.flexible_window import flexible_delay
from harness.scheduling.recurrence import Recurrence
from harness.scheduling.targets import DeliveryFailed, TargetDeliverer
from harness.waiting import WaitTimeout

if TYPE_CHECKING:
    from harness.attachments import HarnessServices

RESYNC_SECONDS = 2.0  # how often the wall clock re-reads schedules made directly on the backend
SETTLE_TIMEOUT = 960.0  # longer than the longest function timeout (900 s)
SETTLE_POLL = 0.0005

Key = tuple[str, str]


@dataclass
class _Armed:
    """A schedule the service knows, with the timer of its next run."""

    definition: ScheduleDefinition
    stamp: Any  # LastModificationDate: a new one means the schedule changed
    generation: int
    recurrence: Recurrence | None = None
    timer: Timer | None = None
    next_run: datetime | None = None


class SchedulerService:
    """EventBridge Scheduler (and classic scheduled rules) for one harness.

    Example:
        >>> harness.client("scheduler").create_schedule(  # doctest: +SKIP
        ...     Name="Every5", ScheduleExpression="rate(5 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
        ...     Target={"Arn": function_arn, "RoleArn": role_arn})
        >>> harness.advance(minutes=15)  # doctest: +SKIP
        >>> [run.status for run in harness.scheduler.runs("Every5")]  # doctest: +SKIP
        ['delivered', 'delivered', 'delivered']
    """

    def __init__(self, harness: HarnessServices) -> None:
        self.account = harness.account
        self.clock = harness.clock
        self.async_invocations = harness.async_invocations
        self.telemetry = harness.telemetry
        self.targets = TargetDeliverer(harness.account, harness.functions, harness.async_invocations)
        self.flexible_seed: int | str = 0  # the same seed gives the same times inside flexible windows
        self.problems: list[str] = []
        self.rules = ScheduledRules(harness.account, harness.clock, self.targets, self._problem)
        self._client = harness.account.client("scheduler")
        self._armed: dict[Key, _Armed] = {}
        self._broken: dict[Key, Any] = {}
        self._runs: dict[Key, list[Run]] = {}
        self._created: set[Key] = set()
        self._groups_created: set[str] = set()
        self._generations = itertools.count(1)
        self._lock = threading.RLock()
        self._closed = False
        self._resync_timer: Timer | None = None
        self._unhook = [
            self.clock.before_advance(self.sync),
            self.clock.after_each_timer(self._let_async_work_finish),
        ]
        if not isinstance(self.clock, VirtualClock):
            self._resync_periodically()
        harness.on_close(self.close)

    # -- what a test or user asks -----------------------------------------------------------------
    def runs(self, name: str, group: str = "default") -> list[Run]:
        """The runs of a schedule so far, oldest first (the console's "last invocation", and more)."""
        with self._lock:
            return list(self._runs.get((group, name), []))

    def next_run(self, name: str, group: str = "default") -> datetime | None:
        """When a schedule runs next (before any flexible window), after reading the backend."""
        self.sync()
        with self._lock:
            armed = self._armed.get((group, name))
            return armed.next_run if armed else None

    def sync(self) -> None:
        """Read every schedule and scheduled rule on the backend and arm the timers of their next runs."""
        try:
            self._sync_schedules()
        except Exception as exc:
            self._problem(f"reading schedules from the backend failed: {type(exc).__name__}: {exc}")
        try:
            self.rules.sync()
        except Exception as exc:
            self._problem(f"reading scheduled rules from the backend failed: {type(exc).__name__}: {exc}")

    # -- told by the Scheduler API ----------------------------------------------------------------
    def schedule_changed(self, group: str, name: str, *, created: bool) -> None:
        """A schedule was created or updated through the harness's API: read it now."""
        with self._lock:
            if created:
                self._created.add((group, name))
            try:
                self._load((group, name))
            except Exception as exc:  # stored on the backend all the same: the next sync reads it again
                self._problem(f"reading schedule {group}/{name} after it changed failed: {exc}")

    def schedule_deleted(self, group: str, name: str) -> None:
        """A schedule was deleted through the harness's API."""
        with self._lock:
            self._created.discard((group, name))
            self._disarm((group, name))

    def group_created(self, group: str) -> None:
        """A schedule group was created through the harness's API."""
        with self._lock:
            self._groups_created.add(group)

    def group_deleted(self, group: str) -> None:
        """A schedule group, and with it its schedules, was deleted through the harness's API."""
        with self._lock:
            self._groups_created.discard(group)
            for key in [key for key in self._armed if key[0] == group]:
                self._created.discard(key)
                self._disarm(key)

    def group_exists(self, group: str) -> bool:
        """Whether the backend has this schedule group."""
        try:
            self._client.get_schedule_group(Name=group)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return False
            raise
        return True

    # -- reading the backend ----------------------------------------------------------------------
    def _sync_schedules(self) -> None:
        listed: dict[Key, Any] = {}
        for page in self._client.get_paginator("list_schedules").paginate():
            for summary in page.get("Schedules", []):
                listed[(summary.get("GroupName") or "default", summary["Name"])] = summary.get("LastModificationDate")
        with self._lock:
            for key, stamp in listed.items():
                known = self._armed.get(key)
                unchanged_and_broken = key in self._broken and self._broken[key] == stamp
                if (known is None or known.stamp != stamp) and not unchanged_and_broken:
                    self._load(key)
            for key in set(self._armed) - set(listed):
                self._disarm(key)

    def _load(self, key: Key) -> None:
        group, name = key
        try:
            schedule = self._client.get_schedule(Name=name, GroupName=group)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                self._disarm(key)
                return
            raise
        try:
            definition = ScheduleDefinition.from_api(schedule)
        except (ScheduleExpressionError, InvalidTimezone, KeyError, ValueError) as exc:
            self._broken[key] = schedule.get("LastModificationDate")
            self._disarm(key)
            self._problem(f"schedule {group}/{name} cannot run: {exc}")
            return
        self._broken.pop(key, None)
        self._arm(definition, schedule.get("LastModificationDate"))

    # -- timers -----------------------------------------------------------------------------------
    def _arm(self, definition: ScheduleDefinition, stamp: Any) -> None:
        known = self._armed.get(definition.key)
        if known is not None and known.definition.timing == definition.timing:
            known.definition, known.stamp = definition, stamp  # a new target or policy applies to the next run
            return
        self._disarm(definition.key)
        armed = _Armed(definition, stamp, next(self._generations))
        self._armed[definition.key] = armed
        if definition.enabled:
            armed.recurrence = definition.recurrence()
            self._set_next(armed, armed.recurrence.first(self.clock.now()))

    def _disarm(self, key: Key) -> None:
        armed = self._armed.pop(key, None)
        if armed is not None and armed.timer is not None:
            armed.timer.cancel()

    def _set_next(self, armed: _Armed, when: datetime | None) -> None:
        armed.next_run = when
        armed.timer = None
        if when is not None:
            key, generation = armed.definition.key, armed.generation
            armed.timer = self.clock.call_at(when.timestamp(), lambda: self._run(key, generation, when))

    def _current(self, key: Key, generation: int) -> _Armed | None:
        armed = self._armed.get(key)
        return armed if armed is not None and armed.generation == generation and not self._closed else None

    def _run(self, key: Key, generation: int, scheduled: datetime) -> None:
        with self._lock:
            armed = self._current(key, generation)
            if armed is None or armed.recurrence is None:
                return
            self._set_next(armed, armed.recurrence.after(scheduled))
            last = armed.next_run is None
            run = Run(armed.definition.name, scheduled, armed.definition.target.arn)
            self._runs.setdefault(key, []).append(run)
            definition = armed.definition
            delay = flexible_delay(self.flexible_seed, definition.arn, scheduled, definition.flexible_window_minutes)
        if delay:
            self.clock.call_later(delay, lambda: self._deliver(key, generation, run, last))
        else:
            self._deliver(key, generation, run, last)

    # -- delivering a run -------------------------------------------------------------------------
    def _deliver(self, key: Key, generation: int, run: Run, last: bool) -> None:
        with self._lock:
            armed = self._current(key, generation)
            if armed is None:
                run.status = "cancelled"
                return
            definition = armed.definition
        target = definition.target
        run.target_arn = target.arn

        def send(attempt: int) -> None:
            shown = f"{definition.name} run {_timestamp(run.scheduled_time)}"
            self._publish("InvocationAttemptCount", definition.group)
            with timeline.delivering(self.account.account_id, "schedule", shown, attempt=attempt, target=target.arn):
                try:
                    self.targets.deliver(
                        target.arn, _payload(definition, run, attempt), message_group_id=target.message_group_id
                    )
                except DeliveryFailed:
                    self._publish("TargetErrorCount", definition.group)
                    raise

        def dead_letter(failure: DeliveryFailed) -> None:
            assert target.dead_letter_arn is not None
            body = _payload(definition, run, len(run.attempts))
            self.targets.dead_letter(target.dead_letter_arn, body, _dead_letter_attributes(definition, run, failure))

        def finished(done: Run) -> None:
            if done.status in ("dropped", "dead-lettered"):
                self._publish("InvocationDroppedCount", definition.group)
            if done.status == "dead-lettered":
                self._publish("InvocationsSentToDeadLetterCount", definition.group)
            if last:
                self._complete(definition, generation)

        Delivery(
            self.clock,
            run,
            send,
            target.retry_policy,
            retry_missing_target=True,  # Scheduler retries a target that does not exist (AWS's own DLQ example)
            dead_letter=dead_letter if target.dead_letter_arn else None,
            on_done=finished,
        ).start()

    def _publish(self, metric: str, group: str) -> None:
        """One of Scheduler's CloudWatch metrics, for the account and for the schedule's group."""
        self.telemetry.count("AWS/Scheduler", metric, {})
        self.telemetry.count("AWS/Scheduler", metric, {"ScheduleGroup": group})

    def _complete(self, definition: ScheduleDefinition, generation: int) -> None:
        """The last run is over: ActionAfterCompletion DELETE removes the schedule."""
        if not definition.delete_after_completion:
            return
        with self._lock:
            if self._current(definition.key, generation) is None:
                return
            self._disarm(definition.key)
            self._created.discard(definition.key)
        try:
            self._client.delete_schedule(Name=definition.name, GroupName=definition.group)
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                self._problem(f"deleting completed schedule {definition.group}/{definition.name} failed: {exc}")

    # -- the clock --------------------------------------------------------------------------------
    def _let_async_work_finish(self) -> None:
        """Hold a virtual clock still until the asynchronous invocations a timer started are done."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while reason := self.async_invocations.busy():
            if time.monotonic() > deadline:
                raise WaitTimeout(f"the clock waited {SETTLE_TIMEOUT:g}s for {reason}")
            time.sleep(SETTLE_POLL)

    def _resync_periodically(self) -> None:
        if self._closed:
            return
        self.sync()
        self._resync_timer = self.clock.call_later(RESYNC_SECONDS, self._resync_periodically)

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)
            print(f"harness scheduler: {message}", file=sys.stderr)

    # -- lifetime ---------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every timer and delete what was created through the harness's API."""
        self._closed = True
        for unhook in self._unhook:
            unhook()
        if self._resync_timer is not None:
            self._resync_timer.cancel()
        with self._lock:
            for key in list(self._armed):
                self._disarm(key)
            leftovers, self._created = sorted(self._created), set()
            groups, self._groups_created = sorted(self._groups_created), set()
        self.rules.close()
        errors = []
        for group, name in leftovers:
            errors += _ignoring_missing(self._client.delete_schedule, Name=name, GroupName=group)
        for group in groups:
            errors += _ignoring_missing(self._client.delete_schedule_group, Name=group)
        if errors:
            raise RuntimeError("removing schedules created through the harness failed: " + "; ".join(errors))


def _ignoring_missing(operation: Callable[..., Any], **request: Any) -> list[str]:
    try:
        operation(**request)
    except ClientError as exc:
        if error_code(exc) != "ResourceNotFoundException":
            return [str(exc)]
    return []


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _payload(definition: ScheduleDefinition, run: Run, attempt: int) -> str:
    """The target's Input with Scheduler's context attributes filled in ("{}" without an Input)."""
    text = definition.target.input if definition.target.input is not None else "{}"
    context = {
        "<aws.scheduler.schedule-arn>": definition.arn,
        "<aws.scheduler.scheduled-time>": _timestamp(run.scheduled_time),
        "<aws.scheduler.execution-id>": run.execution_id,
        "<aws.scheduler.attempt-number>": str(attempt),
    }
    for placeholder, value in context.items():
        text = text.replace(placeholder, value)
    return text


def _dead_letter_attributes(definition: ScheduleDefinition, run: Run, failure: DeliveryFailed) -> dict[str, Any]:
    """The message attributes EventBridge Scheduler puts on a dead-letter event."""
    values = {
        "ERROR_CODE": failure.code,
        "ERROR_MESSAGE": failure.message,
        "EXECUTION_ID": run.execution_id,
        "IS_PAYLOAD_TRUNCATED": "false",
        "RETRY_ATTEMPTS": str(run.retries),
        "SCHEDULED_TIME": _timestamp(run.scheduled_time),
        "SCHEDULE_ARN": definition.arn,
        "TARGET_ARN": definition.target.arn,
    }
    if run.exhausted_condition:
        values["EXHAUSTED_RETRY_CONDITION"] = run.exhausted_condition
    return string_attributes(values)
