"""One harness's observability: the telemetry it hands out, the shipper and recorder, a background flusher.

`Observability` is a Drainable (`harness.drain()` flushes it, so a test reads CloudWatch right after),
and it removes the log groups it created when the harness closes.
"""

from __future__ import annotations

import os
import threading

from harness.backends.base import Account
from harness.clock import Clock
from harness.observability.console import ConsoleSink
from harness.observability.log_shipper import LogShipper
from harness.observability.metrics_recorder import MetricsRecorder
from harness.observability.telemetry import Telemetry

TELEMETRY_VARIABLE = "HARNESS_TELEMETRY"  # "off" switches logs and metrics in CloudWatch off
FLUSH_INTERVAL = 2.0  # seconds between background flushes: each costs a request per stream and namespace
FLUSH_AT = 5000  # queued items that a drain sends at once, without waiting for the quiet end


def telemetry_enabled_by_default() -> bool:
    """False when HARNESS_TELEMETRY says off (off, 0, false, no)."""
    return os.environ.get(TELEMETRY_VARIABLE, "on").strip().lower() not in ("off", "0", "false", "no")


class Observability:
    """Logs and metrics of one account on its backend, stamped with the harness clock.

    Example:
        >>> observability = Observability(account, clock)  # doctest: +SKIP
        >>> registry = FunctionRegistry(account, telemetry=observability.telemetry)  # doctest: +SKIP
    """

    def __init__(
        self,
        account: Account,
        clock: Clock,
        *,
        enabled: bool | None = None,
        log_retention_days: int | None = None,
        background: bool = True,
    ) -> None:
        self.telemetry = Telemetry(clock)
        self.enabled = telemetry_enabled_by_default() if enabled is None else enabled
        self.shipper: LogShipper | None = None
        self.recorder: MetricsRecorder | None = None
        self.last_error: str | None = None
        self._seen_queued = 0
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        if self.enabled:
            self.shipper = LogShipper(account, retention_days=log_retention_days)
            self.recorder = MetricsRecorder(account)
            self.telemetry.subscribe(self.shipper)
            self.telemetry.subscribe(self.recorder)
            if background:
                self._thread = threading.Thread(target=self._run, name="harness-telemetry", daemon=True)
                self._thread.start()

    def console(self, sink: ConsoleSink | None = None) -> ConsoleSink:
        """Print every invocation's log lines (and failing mappings) to the console from now on."""
        sink = sink or ConsoleSink()
        self.telemetry.subscribe(sink)
        return sink

    # -- flushing --------------------------------------------------------------------------------
    def flush(self) -> int:
        """Send everything queued to CloudWatch Logs and CloudWatch now; return how many items were sent."""
        sent = 0
        if self.shipper is not None:
            sent += self.shipper.flush()
        if self.recorder is not None:
            sent += self.recorder.flush()
        return sent

    def _queued(self) -> int:
        return (self.shipper.queued if self.shipper else 0) + (self.recorder.queued if self.recorder else 0)

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait(FLUSH_INTERVAL)
            self._wake.clear()
            self._flush_noting_errors()

    # -- Drainable -------------------------------------------------------------------------------
    # While other sources deliver, telemetry piles up and is sent in large batches (by the flusher, or here
    # once FLUSH_AT items wait); once a drain round adds nothing, `busy()` sends the rest, so a test
    # reads CloudWatch right after `drain()`.
    def pump(self) -> int:
        """Flush when a large batch is waiting; flushing delivers no events, so it counts as nothing handled."""
        if self._queued() >= FLUSH_AT:
            self._flush_noting_errors()
        return 0

    def busy(self) -> str | None:
        """Telemetry still queued: sent now if nothing was added since the last look, else reported."""
        queued = self._queued()
        if queued and queued == self._seen_queued:
            self._flush_noting_errors()
            queued = self._queued()
        self._seen_queued = queued
        if not queued:
            return None
        reason = f"{queued} log event(s) and metric value(s) waiting for CloudWatch"
        return f"{reason} (last error: {self.last_error})" if self.last_error else reason

    def _flush_noting_errors(self) -> None:
        try:
            self.flush()
            self.last_error = None
        except Exception as exc:  # the backend refused or went away: busy() says so
            self.last_error = f"{type(exc).__name__}: {exc}"

    # -- lifetime ---------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the flusher, send what is left, and delete the log groups this harness created."""
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self.shipper is not None:
            self.shipper.flush()
            self.shipper.delete_groups()
        if self.recorder is not None:
            self.recorder.flush()
