"""Demo scripts: each pattern's seed "Verify" steps, run against a harness and reported as checks."""

from harness.demos.event_sourcing import demo_event_sourcing
from harness.demos.report import Report
from harness.demos.stream_processing import demo_stream_processing

DEMOS = {
    "stream-processing": ("Pattern 7: stream processing", demo_stream_processing),
    "event-sourcing": ("Pattern 15: event sourcing & CQRS", demo_event_sourcing),
}

__all__ = ["DEMOS", "Report"]
