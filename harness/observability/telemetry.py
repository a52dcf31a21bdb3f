"""The tiny interface the domain packages report to: invocations, counts and measurements, failing mappings.

Domain code (functions, event sources, routing, scheduling, states) calls these methods and knows nothing
of where the figures go. With no listener attached (telemetry switched off) every call returns at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from harness.clock import Clock
from harness.functions.logs import InvocationLog
from harness.functions.spec import LoggingConfig


@dataclass(frozen=True)
class InvocationRecord:
    """One finished invocation of a function, with what CloudWatch Logs and metrics need of it."""

    function_name: str
    log: InvocationLog
    log_stream: str
    logging: LoggingConfig
    started_at: float  # harness clock, epoch seconds
    ended_at: float
    error: Mapping[str, object] | None = None
    cold_start: bool = False
    concurrency: int = 1  # invocations of the function running when this one started
    retention_days: int | None = None

    @property
    def log_group(self) -> str:
        """The log group the invocation writes to."""
        return self.logging.group_for(self.function_name)


@dataclass(frozen=True)
class Datum:
    """One CloudWatch metric value, stamped with the harness clock."""

    namespace: str
    name: str
    value: float
    unit: str
    dimensions: tuple[tuple[str, str], ...]
    timestamp: float


@dataclass(frozen=True)
class MappingFailure:
    """An event source mapping whose batch failed again."""

    function_name: str
    source_arn: str
    attempts: int
    error: str


class Listener(Protocol):
    """Where telemetry goes: a log shipper, a metrics recorder, a console."""

    def on_invocation(self, record: InvocationRecord) -> None:
        """An invocation ended."""
        ...

    def on_metric(self, datum: Datum) -> None:
        """A metric value was recorded."""
        ...

    def on_mapping_failure(self, failure: MappingFailure) -> None:
        """A mapping's batch failed (again)."""
        ...


@dataclass
class Telemetry:
    """What the domain packages call; it stamps with the harness clock and fans out to its listeners."""

    clock: Clock | None = None
    listeners: list[Listener] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def enabled(self) -> bool:
        """True when anything listens."""
        return bool(self.listeners)

    def subscribe(self, listener: Listener) -> None:
        """Send everything from now on to `listener` too."""
        with self._lock:
            self.listeners = [*self.listeners, listener]

    def time(self) -> float:
        """The harness clock's time (the real time when there is no clock), in epoch seconds."""
        return time.time() if self.clock is None else self.clock.time()

    def invocation(self, record: InvocationRecord) -> None:
        """An invocation ended: its log events, and Lambda's Invocations, Errors, Duration, ConcurrentExecutions."""
        if not self.listeners:
            return
        for listener in self.listeners:
            listener.on_invocation(record)
        function = {"FunctionName": record.function_name}
        self.count("AWS/Lambda", "Invocations", function, at=record.started_at)
        # Errors is published for every invocation, 0 on success, so its Sum is 0 rather than missing.
        self.count("AWS/Lambda", "Errors", function, 0.0 if record.error is None else 1.0, at=record.started_at)
        self.measure("AWS/Lambda", "Duration", function, record.log.duration_ms, "Milliseconds", at=record.started_at)
        self.measure("AWS/Lambda", "ConcurrentExecutions", function, record.concurrency, "Count", at=record.started_at)

    def count(
        self, namespace: str, name: str, dimensions: Mapping[str, str], value: float = 1.0, *, at: float | None = None
    ) -> None:
        """Add `value` to a Count metric (e.g. AWS/Events Invocations for one rule)."""
        self.measure(namespace, name, dimensions, value, "Count", at=at)

    def measure(
        self,
        namespace: str,
        name: str,
        dimensions: Mapping[str, str],
        value: float,
        unit: str,
        *,
        at: float | None = None,
    ) -> None:
        """Record one value of a metric (e.g. AWS/Lambda IteratorAge in Milliseconds)."""
        if not self.listeners:
            return
        datum = Datum(namespace, name, float(value), unit, tuple(dimensions.items()), self.time() if at is None else at)
        for listener in self.listeners:
            listener.on_metric(datum)

    def mapping_failed(self, function_name: str, source_arn: str, attempts: int, error: str) -> None:
        """A mapping's batch failed; `attempts` counts the tries of that batch so far."""
        if not self.listeners:
            return
        failure = MappingFailure(function_name, source_arn, attempts, error)
        for listener in self.listeners:
            listener.on_mapping_failure(failure)


DISABLED = Telemetry()
"""Telemetry nobody listens to: the default of every component built without a harness."""
