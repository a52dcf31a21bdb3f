"""The common life of an event source mapping: a lock, a background poller, a description."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from harness.backends.base import Account
from harness.clock import Clock
from harness.event_sources.settings import MappingSettings
from harness.functions.runtime import FunctionRuntime
from harness.polling import BackgroundPoller

# Lambda's LastProcessingResult values (GetEventSourceMapping).
NO_RECORDS = "No records processed"
OK = "OK"
FUNCTION_FAILED = "PROBLEM: Function call failed"

FailureListener = Callable[["EventSourceMapping", str], None]


class EventSourceMapping(BackgroundPoller):
    """Polls one source for one function; `pump()` delivers synchronously, `start()` in the background."""

    kind = "unknown"

    def __init__(
        self, account: Account, function: FunctionRuntime, source_arn: str, settings: MappingSettings, clock: Clock
    ) -> None:
        super().__init__()
        self.uuid = str(uuid.uuid4())
        self.account = account
        self.function = function
        self.source_arn = source_arn
        self.settings = settings
        self.clock = clock
        self.enabled = settings.enabled
        self.delivered = 0
        self.batches: list[int] = []  # sizes of the batches handed to the function, in order
        self.last_error: str | None = None
        self.last_processing_result = NO_RECORDS
        self.failed_attempts = 0  # failed invocations since the last success
        self.failure_listeners: list[FailureListener] = []
        self._progress = 0  # moves whenever records are read or an invocation starts (see `progress()`)
        self._lock = threading.Lock()
        self.thread_label = f"esm-{function.spec.name}"
        self.join_timeout = function.spec.timeout + 5  # a batch in hand may run to the function's timeout

    # -- subclasses implement these ------------------------------------------------------------
    def _pump_locked(self) -> int:
        raise NotImplementedError

    def _busy_locked(self) -> str | None:
        return None

    # -- common behaviour ----------------------------------------------------------------------
    def progress(self) -> int:
        """A counter that moves whenever this mapping reads records or invokes its function.

        `drain()` compares it before and after a round: a round in which some other consumer (the
        background poller) did work is not a quiet round, whatever the drain itself delivered.
        """
        return self._progress

    def _moved(self) -> None:
        self._progress += 1

    def _succeeded(self) -> None:
        self.last_error = None
        self.failed_attempts = 0
        self.last_processing_result = OK

    def _failed(self, error: str, what: str, *, invocation: bool = True) -> None:
        """Record a failure (of an invocation, unless told otherwise) and tell every listener in one line."""
        self.last_error = error
        self.failed_attempts += 1 if invocation else 0
        self.last_processing_result = FUNCTION_FAILED
        if invocation:
            self.function.telemetry.mapping_failed(
                self.function.spec.name, self.source_arn, self.failed_attempts, error
            )
        line = f"{self.function.spec.name} <- {self.source_arn}: {what} ({error})"
        for listener in list(self.failure_listeners):
            try:
                listener(self, line)
            except Exception as exc:  # a broken listener must not stop delivery
                self.last_error = f"{error}; failure listener raised {exc!r}"

    def pump(self) -> int:
        """Deliver what the source holds now; the lock keeps one consumer per mapping."""
        if not self.enabled:
            return 0
        with self._lock:
            handled = self._pump_locked()
            self.delivered += handled
            return handled

    def busy(self) -> str | None:
        """Why this mapping is not idle, or None."""
        if not self.enabled:
            return None
        with self._lock:
            return self._busy_locked()

    def describe(self) -> dict[str, Any]:
        """The mapping as GetEventSourceMapping would show it."""
        description: dict[str, Any] = {
            "UUID": self.uuid,
            "FunctionArn": self.function.arn,
            "EventSourceArn": self.source_arn,
            "BatchSize": self.settings.batch_size,
            "State": "Enabled" if self.enabled else "Disabled",
            "StateTransitionReason": "USER_INITIATED",
            "LastProcessingResult": self.last_processing_result,
            "FunctionResponseTypes": list(self.settings.function_response_types),
        }
        if self.settings.starting_position:
            description["StartingPosition"] = self.settings.starting_position
            description["MaximumRetryAttempts"] = self.settings.maximum_retry_attempts
            description["BisectBatchOnFunctionError"] = self.settings.bisect_batch_on_function_error
            if self.settings.on_failure_destination:
                description["DestinationConfig"] = {"OnFailure": {"Destination": self.settings.on_failure_destination}}
        return description
