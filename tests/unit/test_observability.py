"""The observability package's parts: log events, PutLogEvents batches, metric datums, console, clock readings."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from harness.clock import VirtualClock, WallClock
from harness.functions.logs import InvocationLog
from harness.functions.spec import LoggingConfig
from harness.observability.console import ConsoleSink, keeps_failing, source_name
from harness.observability.log_events import invocation_events
from harness.observability.log_shipper import MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS, _batches
from harness.observability.metrics_recorder import _combined
from harness.observability.telemetry import Datum, InvocationRecord, Telemetry

START = datetime(2025, 2, 25, 12, 0, tzinfo=UTC).timestamp()


def record(*lines: str, json_format: bool = False, cold: bool = False, error: dict | None = None) -> InvocationRecord:
    log = InvocationLog("req-1", duration_ms=5.5, memory_size_mb=128, max_memory_used_mb=40)
    log.lines.extend(lines)
    if cold:
        log.init_duration_ms = 100.0
    config = LoggingConfig("JSON") if json_format else LoggingConfig()
    return InvocationRecord("Fn", log, "2025/02/25/[$LATEST]" + "a" * 32, config, START, START + 0.25, error, cold)


def test_text_events_frame_the_lines_with_start_end_and_report_at_the_clocks_times():
    events = invocation_events(record("hello"))

    assert [message.split(" ")[0] for _, message in events] == ["START", "hello", "END", "REPORT"]
    assert [stamp for stamp, _ in events] == [int(START * 1000)] + [int(START * 1000) + 250] * 3


def test_json_events_are_platform_records_around_the_lines():
    events = invocation_events(record("plain", json_format=True, cold=True, error={"errorType": "Sandbox.Timedout"}))

    kinds = [json.loads(m).get("type") if m.startswith("{") else m for _, m in events]
    assert kinds == ["platform.initStart", "platform.start", "plain", "platform.report"]
    report = json.loads(events[-1][1])
    assert report["time"] == "2025-02-25T12:00:00.250Z"
    assert report["record"]["status"] == "timeout"
    assert report["record"]["metrics"]["billedDurationMs"] == 106


def test_batches_respect_the_count_and_the_24_hour_span():
    many = [(1000, "x")] * (MAX_BATCH_EVENTS + 1)
    assert [len(batch) for batch in _batches(many)] == [MAX_BATCH_EVENTS, 1]
    spread = [(0, "a"), (MAX_BATCH_SPAN_MS - 1, "b"), (MAX_BATCH_SPAN_MS, "c")]
    assert [[m for _, m in batch] for batch in _batches(spread)] == [["a", "b"], ["c"]]
    assert _batches([(0, "")]) == [[(0, " ")]]  # CloudWatch refuses an empty message


def test_values_of_one_metric_and_instant_travel_as_values_and_counts():
    datums = [
        Datum("AWS/Lambda", "Duration", value, "Milliseconds", (("FunctionName", "Fn"),), START) for value in (5, 5, 7)
    ]

    [(namespace, datum)] = _combined(datums)

    assert namespace == "AWS/Lambda"
    assert (datum["Values"], datum["Counts"]) == ([5.0, 7.0], [2.0, 1.0])
    assert datum["Dimensions"] == [{"Name": "FunctionName", "Value": "Fn"}]
    assert datum["Timestamp"] == datetime.fromtimestamp(START, UTC)


def test_telemetry_without_listeners_does_nothing_and_with_one_stamps_with_the_clock():
    clock = VirtualClock(datetime(2025, 2, 25, tzinfo=UTC))
    seen: list[Datum] = []

    class Collector:
        def on_invocation(self, record):
            pass

        def on_metric(self, datum):
            seen.append(datum)

        def on_mapping_failure(self, failure):
            pass

    telemetry = Telemetry(clock)
    telemetry.count("AWS/Events", "MatchedEvents", {"RuleName": "R"})
    telemetry.subscribe(Collector())
    clock.advance(minutes=3)
    telemetry.count("AWS/Events", "MatchedEvents", {"RuleName": "R"})

    assert [(d.name, d.value, d.timestamp) for d in seen] == [("MatchedEvents", 1.0, clock.time())]


def test_a_virtual_clock_tells_what_it_read_at_a_real_moment():
    clock = VirtualClock(datetime(2025, 2, 25, tzinfo=UTC))
    import time

    before = time.time()
    clock.advance(minutes=1)
    after = time.time()

    assert clock.reading_at(before - 10) == datetime(2025, 2, 25, tzinfo=UTC).timestamp()
    assert clock.reading_at(after + 10) == clock.time()
    wall = WallClock()
    try:
        assert wall.reading_at(12.5) == 12.5
    finally:
        wall.stop()


def test_the_console_says_so_on_the_third_and_every_tenth_failure():
    assert [n for n in range(1, 31) if keeps_failing(n)] == [3, 10, 20, 30]
    assert source_name("arn:aws:dynamodb:us-east-1:1:table/EventStore/stream/2025-01-01T00:00:00.000") == "EventStore"
    assert source_name("arn:aws:sqs:us-east-1:1:jobs") == "jobs"
    out = io.StringIO()
    ConsoleSink(out).on_invocation(record("two\nlines"))
    assert out.getvalue().splitlines()[1:3] == ["[Fn] two", "[Fn] lines"]
