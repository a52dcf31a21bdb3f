"""What `serve` prints: each invocation's log lines prefixed by the function's name, and failing mappings.

As `sam local` does, every line of a log stream is shown as it is written, with the function it came from:

    [SensorStreamProcessor] START RequestId: 3f1c... Version: $LATEST
    [SensorStreamProcessor] Processed 10 records
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from harness.observability.log_events import invocation_events
from harness.observability.telemetry import Datum, InvocationRecord, MappingFailure


def keeps_failing(attempts: int) -> bool:
    """Whether a batch's `attempts`-th failure deserves a console line: the 3rd, then every 10th."""
    return attempts == 3 or (attempts >= 10 and attempts % 10 == 0)


def source_name(arn: str) -> str:
    """The stream, table or queue an event source ARN names."""
    if ":table/" in arn:
        return arn.split(":table/", 1)[1].split("/", 1)[0]
    if ":stream/" in arn:
        return arn.split(":stream/", 1)[1]
    return arn.rsplit(":", 1)[-1]


class ConsoleSink:
    """Prints invocations and failing mappings to a text stream (standard output by default)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._lock = threading.Lock()

    def _write(self, text: str) -> None:
        out = self._out or sys.__stdout__ or sys.stdout
        with self._lock:
            out.write(text)
            out.flush()

    def on_invocation(self, record: InvocationRecord) -> None:
        """Print every line of the invocation's log events, prefixed by the function's name."""
        prefix = f"[{record.function_name}] "
        lines = [prefix + line for _, message in invocation_events(record) for line in message.split("\n")]
        self._write("\n".join(lines) + "\n")

    def on_metric(self, datum: Datum) -> None:
        """Metrics are not printed."""

    def on_mapping_failure(self, failure: MappingFailure) -> None:
        """Say so when a mapping's batch keeps failing."""
        if keeps_failing(failure.attempts):
            source = source_name(failure.source_arn)
            self._write(
                f"[{failure.function_name}] event source mapping from {source} keeps failing: "
                f"{failure.attempts} attempts of the same batch; last error: {failure.error}\n"
            )
