"""One run delivered to one target: attempts on the clock, the retry policy, the dead-letter queue.

Retries follow the target's RetryPolicy: exponential backoff from one minute, until either
`MaximumRetryAttempts` retries were made or the next one would come later than `MaximumEventAgeInSeconds`
after the first attempt. What is still undelivered then goes to the dead-letter queue, if there is one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.clock import Clock
from harness.scheduling.targets import DeliveryFailed

FIRST_RETRY_DELAY = 60.0
MAX_RETRY_DELAY = 15 * 60.0
DEFAULT_RETRY_ATTEMPTS = 185
DEFAULT_EVENT_AGE = 86400
RETRY_ATTEMPTS_RANGE = (0, 185)
EVENT_AGE_RANGE = (60, 86400)
UNEXPECTED = "AWS.Scheduler.InternalServerError"


def retry_delay(retry: int) -> float:
    """Seconds between the attempt before the `retry`-th retry and that retry (1-based)."""
    return min(FIRST_RETRY_DELAY * 2 ** (retry - 1), MAX_RETRY_DELAY)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a failed delivery is retried (AWS's defaults: 185 retries within 24 hours)."""

    maximum_retry_attempts: int = DEFAULT_RETRY_ATTEMPTS
    maximum_event_age_seconds: int = DEFAULT_EVENT_AGE

    @classmethod
    def from_api(cls, value: dict[str, Any] | None) -> RetryPolicy:
        """The policy from an API `RetryPolicy` structure (missing members take AWS's defaults)."""
        value = value or {}
        return cls(
            int(value.get("MaximumRetryAttempts", DEFAULT_RETRY_ATTEMPTS)),
            int(value.get("MaximumEventAgeInSeconds", DEFAULT_EVENT_AGE)),
        )


@dataclass
class Run:
    """One run of a schedule (or of a scheduled rule, for one target) and what became of it.

    `status` is `pending` while attempts go on, then `delivered`, `dead-lettered` (sent to the
    dead-letter queue), `dropped` (given up with no dead-letter queue to take it) or `cancelled` (the
    schedule was deleted or changed before its flexible window opened).
    """

    name: str
    scheduled_time: datetime
    target_arn: str
    execution_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    attempts: list[datetime] = field(default_factory=list)
    status: str = "pending"
    error: str | None = None
    exhausted_condition: str | None = None

    @property
    def retries(self) -> int:
        """How many attempts came after the first."""
        return max(0, len(self.attempts) - 1)


class Delivery:
    """Attempts one run until it is delivered or given up; `send(attempt_number)` raises DeliveryFailed.

    `delays(retry)` is the wait before each retry: Scheduler's by default, EventBridge's for rules.
    """

    def __init__(
        self,
        clock: Clock,
        run: Run,
        send: Callable[[int], None],
        policy: RetryPolicy,
        *,
        retry_missing_target: bool,
        dead_letter: Callable[[DeliveryFailed], None] | None = None,
        on_done: Callable[[Run], None] | None = None,
        delays: Callable[[int], float] = retry_delay,
    ) -> None:
        self.clock = clock
        self.run = run
        self.send = send
        self.policy = policy
        self.retry_missing_target = retry_missing_target
        self.delays = delays
        self.dead_letter = dead_letter
        self.on_done = on_done
        self._first_attempt = 0.0

    def start(self) -> None:
        """Make the first attempt now."""
        self._first_attempt = self.clock.time()
        self._attempt()

    def _attempt(self) -> None:
        self.run.attempts.append(self.clock.now())
        try:
            self.send(len(self.run.attempts))
        except DeliveryFailed as failure:
            self._failed(failure)
        except Exception as exc:  # the harness's own fault: reported the way Scheduler reports its own errors
            self._failed(DeliveryFailed(UNEXPECTED, f"Unexpected error occurred while processing the request: {exc}"))
        else:
            self.run.status = "delivered"
            self._done()

    def _failed(self, failure: DeliveryFailed) -> None:
        if failure.permanent or (failure.target_missing and not self.retry_missing_target):
            self._give_up(failure, None)
            return
        retry = self.run.retries + 1
        if retry > self.policy.maximum_retry_attempts:
            self._give_up(failure, "MaximumRetryAttempts")
            return
        delay = self.delays(retry)
        if self.clock.time() + delay - self._first_attempt > self.policy.maximum_event_age_seconds:
            self._give_up(failure, "MaximumEventAgeInSeconds")
            return
        self.clock.call_later(delay, self._attempt)

    def _give_up(self, failure: DeliveryFailed, condition: str | None) -> None:
        self.run.error = str(failure)
        self.run.exhausted_condition = condition
        self.run.status = "dropped"
        if self.dead_letter is not None:
            try:
                self.dead_letter(failure)
                self.run.status = "dead-lettered"
            except Exception as exc:
                self.run.error += f"; the dead-letter queue refused it too: {exc}"
        self._done()

    def _done(self) -> None:
        if self.on_done is not None:
            self.on_done(self.run)


def string_attributes(values: dict[str, str]) -> dict[str, dict[str, str]]:
    """SQS message attributes of type String."""
    return {name: {"DataType": "String", "StringValue": value} for name, value in values.items()}
