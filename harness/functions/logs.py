"""Per-invocation capture of stdout, stderr and logging, kept like CloudWatch log streams."""

from __future__ import annotations

import contextlib
import contextvars
import io
import logging
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class InvocationLog:
    """The lines one invocation wrote, between its START and END lines."""

    request_id: str
    started_at: float = field(default_factory=time.time)
    lines: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    init_duration_ms: float | None = None  # set on a cold start
    memory_size_mb: int | None = None
    max_memory_used_mb: int | None = None  # a worker process's peak resident set, or an estimate in process
    # Formats a log record made inside the invocation (JSON log format); None drops it (below the level).
    record_format: Callable[[logging.LogRecord, str], str | None] | None = field(default=None, repr=False)
    _partial: str = ""

    def write(self, text: str) -> None:
        """Append text, splitting it into lines as CloudWatch does."""
        text = self._partial + text
        *complete, self._partial = text.split("\n")
        self.lines.extend(complete)

    def add_entry(self, text: str) -> None:
        """Append one log event that may span several lines (an uncaught exception with its traceback)."""
        self.flush()
        self.lines.append(text)

    def flush(self) -> None:
        """Close a trailing partial line."""
        if self._partial:
            self.lines.append(self._partial)
            self._partial = ""

    @property
    def text(self) -> str:
        """Everything the invocation wrote, one line per line."""
        return "\n".join(self.lines)

    @property
    def billed_duration_ms(self) -> int:
        """Duration plus any Init Duration, rounded up to the millisecond, as Lambda bills on-demand functions."""
        return max(1, math.ceil(self.duration_ms + (self.init_duration_ms or 0.0)))

    def start_line(self) -> str:
        """Lambda's START line."""
        return f"START RequestId: {self.request_id} Version: $LATEST"

    def end_line(self) -> str:
        """Lambda's END line."""
        return f"END RequestId: {self.request_id}"

    def report_line(self) -> str:
        """Lambda's REPORT line; Init Duration only after a cold start."""
        report = (
            f"REPORT RequestId: {self.request_id}\tDuration: {self.duration_ms:.2f} ms\t"
            f"Billed Duration: {self.billed_duration_ms} ms"
        )
        if self.memory_size_mb is not None and self.max_memory_used_mb is not None:
            report += f"\tMemory Size: {self.memory_size_mb} MB\tMax Memory Used: {self.max_memory_used_mb} MB"
        if self.init_duration_ms is not None:
            report += f"\tInit Duration: {self.init_duration_ms:.2f} ms"
        return report

    def framed(self) -> str:
        """The lines between Lambda's START, END and REPORT lines, as a log stream shows them."""
        return "\n".join([self.start_line(), *self.lines, self.end_line(), self.report_line()])


class FunctionLogs:
    """A function's log group: the START/END/REPORT framed output of all its invocations."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.group_name = f"/aws/lambda/{function_name}"
        self.invocations: list[InvocationLog] = []
        self._lock = threading.Lock()

    def add(self, log: InvocationLog) -> None:
        """Record a finished invocation's log."""
        with self._lock:
            self.invocations.append(log)

    @property
    def lines(self) -> list[str]:
        """All lines the function printed, in invocation order (without framing lines)."""
        with self._lock:
            return [line for log in self.invocations for line in log.lines]

    @property
    def text(self) -> str:
        """All lines, newline separated."""
        return "\n".join(self.lines)

    def framed_text(self) -> str:
        """Every invocation with its START, END and REPORT lines, as the log group would show it."""
        with self._lock:
            return "\n".join(log.framed() for log in self.invocations)

    def contains(self, needle: str) -> bool:
        """True when any line contains `needle`."""
        return any(needle in line for line in self.lines)

    def matching(self, needle: str) -> list[str]:
        """The lines that contain `needle`."""
        return [line for line in self.lines if needle in line]

    def clear(self) -> None:
        """Forget everything logged so far."""
        with self._lock:
            self.invocations.clear()


_capture: contextvars.ContextVar[InvocationLog | None] = contextvars.ContextVar("harness_log", default=None)


class _StreamRouter(io.TextIOBase):
    """sys.stdout / sys.stderr that writes into the running invocation's log, if any."""

    def __init__(self, original: TextIO) -> None:
        self.original = original

    def write(self, text: str) -> int:
        log = _capture.get()
        if log is None:
            return self.original.write(text)
        log.write(text)
        return len(text)

    def add_entry(self, text: str) -> None:
        """Append one log event that may span several lines (an uncaught exception with its traceback)."""
        self.flush()
        self.lines.append(text)

    def flush(self) -> None:
        if _capture.get() is None:
            self.original.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.original, "encoding", "utf-8")


class _LoggingRouter(logging.Handler):
    """Sends log records made inside an invocation to its log, in Lambda's tab-separated format."""

    def emit(self, record: logging.LogRecord) -> None:
        log = _capture.get()
        if log is None:
            return
        if log.record_format is not None:
            text = log.record_format(record, log.request_id)
            if text is not None:
                log.add_entry(text)
            return
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        millis = int(record.msecs)
        log.write(f"[{record.levelname}]\t{stamp}.{millis:03d}Z\t{log.request_id}\t{record.getMessage()}\n")


_install_lock = threading.Lock()
_logging_router = _LoggingRouter()


def _install() -> None:
    with _install_lock:
        if not isinstance(sys.stdout, _StreamRouter):
            sys.stdout = _StreamRouter(sys.stdout)
        if not isinstance(sys.stderr, _StreamRouter):
            sys.stderr = _StreamRouter(sys.stderr)
        root = logging.getLogger()
        if _logging_router not in root.handlers:
            root.addHandler(_logging_router)


@contextlib.contextmanager
def capturing(log: InvocationLog) -> Iterator[InvocationLog]:
    """Send this thread's prints and log records to `log` for the duration of the body."""
    _install()
    token = _capture.set(log)
    try:
        yield log
    finally:
        _capture.reset(token)
        log.flush()
