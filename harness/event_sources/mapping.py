"""The common life of an event source mapping: a lock, a background poller, a description."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from harness import activity
from harness.backends.base import Account
from harness.clock import Clock
from harness.event_sources.settings import MappingSettings
from harness.functions.runtime import FunctionRuntime

IDLE_WAIT = 0.25  # for writers outside the harness; its own writes wake pollers at once


class EventSourceMapping:
    """Polls one source for one function; `pump()` delivers synchronously, `start()` in the background."""

    kind = "unknown"

    def __init__(
        self, account: Account, function: FunctionRuntime, source_arn: str, settings: MappingSettings, clock: Clock
    ) -> None:
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
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

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

    def start(self) -> None:
        """Poll in a background thread until stop(), as Lambda's pollers do."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"esm-{self.function.spec.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            seen = activity.generation()
            try:
                handled = self.pump()
            except Exception as exc:  # a vanished source or a backend hiccup: report and keep polling
                self.last_error = f"{type(exc).__name__}: {exc}"
                handled = 0
            if handled == 0 and not self._stop.is_set():
                activity.wait_for_write(seen, IDLE_WAIT)

    def stop(self) -> None:
        """Stop the background poller and wait for its current batch to finish."""
        self._stop.set()
        activity.notify()
        if self._thread is not None:
            self._thread.join(timeout=self.function.spec.timeout + 5)
            self._thread = None

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
