"""Asynchronous (Event) invocations: queued, retried twice on the harness clock, drainable."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from harness import timeline
from harness.clock import Clock
from harness.functions.result import InvocationResult
from harness.functions.runtime import FunctionRuntime

RETRY_DELAYS = (60.0, 120.0)  # Lambda retries a failed asynchronous event after about 1 and 2 minutes


class AsyncInvoker:
    """Runs Event invocations off the caller's thread, as Lambda's internal queue does."""

    def __init__(self, clock: Clock, workers: int = 8) -> None:
        self.clock = clock
        self.failures: list[InvocationResult] = []
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lambda-async")
        self._in_flight = 0
        self._finished = 0
        self._lock = threading.Lock()

    def submit(self, function: FunctionRuntime, event: Any, attempt: int = 0) -> None:
        """Queue one invocation; failures are retried per Lambda's default retry policy."""
        with self._lock:
            self._in_flight += 1
        self._executor.submit(timeline.carry(self._run), function, event, attempt)

    def _run(self, function: FunctionRuntime, event: Any, attempt: int) -> None:
        try:
            result = function.invoke(event)
            if not result.ok:
                if attempt < len(RETRY_DELAYS):
                    self.clock.call_later(RETRY_DELAYS[attempt], lambda: self.submit(function, event, attempt + 1))
                else:
                    self.failures.append(result)
        finally:
            with self._lock:
                self._in_flight -= 1
                self._finished += 1

    def pump(self) -> int:
        """Work runs on the executor; nothing to deliver synchronously."""
        return 0

    def progress(self) -> int:
        """Moves each time an invocation ends, so that `drain()` looks again for what it wrote."""
        return self._finished

    def busy(self) -> str | None:
        """How many asynchronous invocations are still running."""
        with self._lock:
            return f"{self._in_flight} asynchronous invocation(s) running" if self._in_flight else None

    def shutdown(self) -> None:
        """Wait for running invocations and stop the workers."""
        self._executor.shutdown(wait=True, cancel_futures=True)
