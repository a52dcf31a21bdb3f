"""The common life of an event source mapping: a lock, a background poller, a description."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from harness.backends.base import Account
from harness.clock import Clock
from harness.event_sources.settings import MappingSettings
from harness.functions.runtime import FunctionRuntime
from harness.polling import BackgroundPoller


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
        self._lock = threading.Lock()
        self.thread_label = f"esm-{function.spec.name}"
        self.join_timeout = function.spec.timeout + 5  # a batch in hand may run to the function's timeout

    # -- subclasses implement these ------------------------------------------------------------
    def _pump_locked(self) -> int:
        raise NotImplementedError

    def _busy_locked(self) -> str | None:
        return None

    # -- common behaviour ----------------------------------------------------------------------
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
            "FunctionResponseTypes": list(self.settings.function_response_types),
        }
        if self.settings.starting_position:
            description["StartingPosition"] = self.settings.starting_position
            description["MaximumRetryAttempts"] = self.settings.maximum_retry_attempts
            description["BisectBatchOnFunctionError"] = self.settings.bisect_batch_on_function_error
            if self.settings.on_failure_destination:
                description["DestinationConfig"] = {"OnFailure": {"Destination": self.settings.on_failure_destination}}
        return description
