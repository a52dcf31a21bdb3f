"""Function logs in CloudWatch Logs and metrics in CloudWatch, read through their APIs.

Lambda's log lines: https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html
Log streams and groups: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
JSON format and levels: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
Lambda's metrics: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, timedelta

import pytest

from harness.core import Harness
from harness.functions.spec import FunctionSpec, LoggingConfig
from harness.observability.console import ConsoleSink
from provisioning.stacks import stream_processing_stack
from tests.integration.cloudwatch_helpers import handler_lines, log_events, messages, statistics, total

PROBES = "tests.handlers.probes"
LEVELS = "tests.handlers.log_levels.lambda_handler"
STREAM_NAME = re.compile(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}")
REPORT = re.compile(
    r"REPORT RequestId: (?P<id>[0-9a-f-]{36})\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t"
    r"Memory Size: (?P<memory>\d+) MB\tMax Memory Used: (?P<used>\d+) MB(?:\tInit Duration: \d+\.\d\d ms)?"
)


def test_every_invocation_is_framed_by_start_end_and_report_in_its_instance_stream(harness):
    harness.register(FunctionSpec("Logs", f"{PROBES}.log_probe", memory_size=256))

    first = harness.invoke("Logs")
    second = harness.invoke("Logs")
    harness.drain()

    logs = harness.client("logs")
    groups = [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]]
    assert groups == ["/aws/lambda/Logs"]
    streams = logs.describe_log_streams(logGroupName="/aws/lambda/Logs")["logStreams"]
    assert len(streams) == 1  # one warm instance
    assert STREAM_NAME.fullmatch(streams[0]["logStreamName"])
    assert streams[0]["logStreamName"].startswith(harness.clock.now().strftime("%Y/%m/%d/"))
    events = logs.get_log_events(
        logGroupName="/aws/lambda/Logs", logStreamName=streams[0]["logStreamName"], startFromHead=True
    )["events"]
    texts = [event["message"] for event in events]
    assert texts[0] == f"START RequestId: {first.request_id} Version: $LATEST"
    assert texts[2] == "through print"
    assert texts[3] == f"END RequestId: {first.request_id}"
    report = REPORT.fullmatch(texts[4])
    assert report and report["id"] == first.request_id and report["memory"] == "256"
    assert 0 < int(report["used"]) <= 256
    assert "Init Duration" in texts[4]  # the cold start
    assert texts[5] == f"START RequestId: {second.request_id} Version: $LATEST"
    assert REPORT.fullmatch(texts[-1]) and "Init Duration" not in texts[-1]
    assert texts[1].startswith("[INFO]\t") and texts[1].endswith(f"\t{first.request_id}\tinfo through logging")


def test_harness_logs_agree_with_cloudwatch(harness):
    harness.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))
    for _ in range(3):
        harness.invoke("Logs")
    harness.drain()

    assert handler_lines(harness, "Logs") == harness.logs("Logs").lines
    framed = harness.logs("Logs").framed_text().split("\n")
    assert messages(harness, "Logs") == framed


def test_a_cold_start_after_a_timeout_starts_a_new_log_stream(harness):
    harness.register(FunctionSpec("Slow", f"{PROBES}.wait", timeout=1))

    harness.invoke("Slow", {"seconds": 0})
    timed_out = harness.invoke("Slow", {"seconds": 1.5})
    harness.invoke("Slow", {"seconds": 0})
    harness.drain()

    assert timed_out.error["errorType"] == "Sandbox.Timedout"
    streams = harness.client("logs").describe_log_streams(logGroupName="/aws/lambda/Slow")["logStreams"]
    assert len(streams) == 2
    by_stream = {}
    for event in log_events(harness, "Slow"):
        by_stream.setdefault(event["logStreamName"], []).append(event["message"])
    reports = sorted((m for ms in by_stream.values() for m in ms if m.startswith("REPORT")), key=lambda m: "Init" in m)
    assert sum("Init Duration" in report for report in reports) == 2  # two cold starts, one per stream
    assert any("Task timed out after 1.00 seconds" in m for ms in by_stream.values() for m in ms)


def test_an_uncaught_exception_is_logged_as_the_python_runtime_logs_it(harness):
    harness.register(FunctionSpec("Fails", f"{PROBES}.fail"))

    harness.invoke("Fails", {"item": "bolts"})
    harness.drain()

    [error] = messages(harness, "Fails", '"[ERROR]"')
    lines = error.split("\n")
    assert lines[0] == "[ERROR] InventoryError: out of stock: bolts"
    assert lines[1] == "Traceback (most recent call last):"
    assert re.fullmatch(r'  File ".*probes\.py", line \d+, in fail', lines[2])
    assert lines[3].strip() == "raise InventoryError(f\"out of stock: {event.get('item')}\")"


def test_events_carry_the_harness_clocks_time(harness):
    harness.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))
    harness.advance(hours=5)

    harness.invoke("Logs")
    harness.drain()

    expected = int(harness.clock.time() * 1000)
    assert {event["timestamp"] for event in log_events(harness, "Logs")} == {expected}


def test_json_log_format_writes_platform_events_and_json_records_at_the_application_level(harness):
    config = LoggingConfig("JSON", application_log_level="WARN")
    harness.register(FunctionSpec("Json", LEVELS, logging=config))

    result = harness.invoke("Json", {"fail": True})
    harness.drain()

    texts = messages(harness, "Json")
    assert texts[-1] != "" and "plain print" in texts  # print output stays plain text
    records = [json.loads(text) for text in texts if text.startswith("{")]
    kinds = [record.get("type") for record in records if "type" in record]
    assert kinds == ["platform.initStart", "platform.start", "platform.report"]
    start = next(r for r in records if r.get("type") == "platform.start")
    assert start["record"] == {"requestId": result.request_id, "version": "$LATEST"}
    report = records[-1]
    assert report["record"]["status"] == "error"
    assert set(report["record"]["metrics"]) == {
        "durationMs",
        "billedDurationMs",
        "memorySizeMB",
        "maxMemoryUsedMB",
        "initDurationMs",
    }
    application = [r for r in records if "level" in r]
    assert [(r["level"], r["message"], r["logger"]) for r in application] == [
        ("WARN", "stock is low", "orders"),
        ("ERROR", "payment declined", "orders"),
    ]
    assert all(r["requestId"] == result.request_id for r in application)
    [error] = [r for r in records if r.get("log_level") == "ERROR"]
    assert (error["errorType"], error["errorMessage"]) == ("ValueError", "bad order")
    described = harness.client("lambda").get_function_configuration(FunctionName="Json")
    assert described["LoggingConfig"] == {
        "LogFormat": "JSON",
        "LogGroup": "/aws/lambda/Json",
        "ApplicationLogLevel": "WARN",
        "SystemLogLevel": "INFO",
    }


def test_system_log_level_warn_drops_the_platform_events(harness):
    harness.register(FunctionSpec("Quiet", LEVELS, logging=LoggingConfig("JSON", system_log_level="WARN")))

    harness.invoke("Quiet")
    harness.drain()

    texts = messages(harness, "Quiet")
    assert not [t for t in texts if '"type": "platform.' in t]
    assert [json.loads(t)["message"] for t in texts if t.startswith("{")] == [
        "order received",
        "stock is low",
        "payment declined",
    ]


def test_a_custom_log_group_from_the_logging_config(harness):
    harness.register(FunctionSpec("Custom", f"{PROBES}.log_probe", logging=LoggingConfig(log_group="/shared/app")))

    harness.invoke("Custom")
    harness.drain()

    groups = harness.client("logs").describe_log_groups(logGroupNamePrefix="/shared/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/shared/app"]


def test_bad_logging_settings_are_refused_naming_them():
    with pytest.raises(ValueError, match="LogFormat 'XML'"):
        LoggingConfig("XML")
    with pytest.raises(ValueError, match="ApplicationLogLevel needs LogFormat JSON"):
        LoggingConfig(application_log_level="WARN")
    with pytest.raises(ValueError, match="SystemLogLevel 'ERROR'"):
        LoggingConfig("JSON", system_log_level="ERROR")
    with pytest.raises(ValueError, match="log retention 10 days of F"):
        FunctionSpec("F", f"{PROBES}.fail", log_retention_days=10)


def test_log_groups_honour_the_functions_retention(harness):
    harness.register(FunctionSpec("Kept", f"{PROBES}.log_probe", log_retention_days=7))
    harness.register(FunctionSpec("Forever", f"{PROBES}.log_probe"))

    harness.invoke("Kept")
    harness.invoke("Forever")
    harness.drain()

    groups = {g["logGroupName"]: g for g in harness.client("logs").describe_log_groups()["logGroups"]}
    assert groups["/aws/lambda/Kept"]["retentionInDays"] == 7
    assert "retentionInDays" not in groups["/aws/lambda/Forever"]  # Lambda's groups never expire by default


def test_the_harness_retention_applies_to_every_group_it_creates(aws_backend):
    with Harness(aws_backend, log_retention_days=14) as other:
        other.ensure_lab_role()
        other.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))
        other.invoke("Logs")
        other.drain()
        [group] = other.client("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]
        assert group["retentionInDays"] == 14
        logs = other.account.client("logs")
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"] == []  # removed at close


def test_with_telemetry_off_nothing_reaches_cloudwatch(aws_backend):
    with Harness(aws_backend, telemetry=False) as other:
        other.ensure_lab_role()
        other.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))
        other.invoke("Logs")
        other.drain()

        assert other.logs("Logs").lines == ["[INFO]" + other.logs("Logs").lines[0][6:], "through print"]
        assert other.client("logs").describe_log_groups()["logGroups"] == []
        assert other.client("cloudwatch").list_metrics(Namespace="AWS/Lambda")["Metrics"] == []


def test_lambda_metrics_count_invocations_errors_and_durations(harness):
    harness.register(FunctionSpec("Fails", f"{PROBES}.fail"))
    harness.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))

    for _ in range(3):
        harness.invoke("Logs")
    harness.invoke("Fails")
    harness.drain()

    assert total(harness, "AWS/Lambda", "Invocations", {"FunctionName": "Logs"}) == 3
    assert total(harness, "AWS/Lambda", "Errors", {"FunctionName": "Logs"}) == 0
    assert total(harness, "AWS/Lambda", "Errors", {"FunctionName": "Fails"}) == 1
    durations = statistics(harness, "AWS/Lambda", "Duration", {"FunctionName": "Logs"}, "SampleCount")
    assert durations == [3]
    assert statistics(harness, "AWS/Lambda", "ConcurrentExecutions", {"FunctionName": "Logs"}, "Maximum") == [1]
    listed = harness.client("cloudwatch").list_metrics(Namespace="AWS/Lambda", MetricName="Duration")["Metrics"]
    assert {m["Dimensions"][0]["Value"] for m in listed} == {"Logs", "Fails"}


def test_metrics_are_stamped_with_the_harness_clock(harness):
    harness.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))
    harness.advance(hours=3)

    harness.invoke("Logs")
    harness.drain()

    minute = harness.clock.now().replace(second=0, microsecond=0)
    answer = harness.client("cloudwatch").get_metric_data(
        MetricDataQueries=[
            {
                "Id": "invocations",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/Lambda",
                        "MetricName": "Invocations",
                        "Dimensions": [{"Name": "FunctionName", "Value": "Logs"}],
                    },
                    "Period": 60,
                    "Stat": "Sum",
                },
            }
        ],
        StartTime=minute,
        EndTime=minute + timedelta(minutes=1),
    )
    [result] = answer["MetricDataResults"]
    assert result["Values"] == [1.0]
    assert [stamp.astimezone(UTC) for stamp in result["Timestamps"]] == [minute]
    earlier = harness.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="Invocations",
        Dimensions=[{"Name": "FunctionName", "Value": "Logs"}],
        StartTime=minute - timedelta(hours=3),
        EndTime=minute - timedelta(hours=2),
        Period=60,
        Statistics=["Sum"],
    )
    assert earlier["Datapoints"] == []


def test_iterator_age_grows_while_the_processor_falls_behind_then_falls_when_it_catches_up(harness):
    # IteratorAge: from a record's arrival on the stream to its delivery, for the batch's last record.
    stack = harness.deploy(stream_processing_stack())
    mapping = stack.mapping("SensorStreamProcessor")
    function = {"FunctionName": "SensorStreamProcessor"}

    with harness.paused():
        harness.invoke("SensorProducer", {"count": 30, "seed": 1}).value()  # three batches of ten wait
        for _ in range(3):
            harness.clock.advance(minutes=1)
            assert mapping.pump() == 10  # a processor that handles one batch a minute
        harness.clock.advance(minutes=1)
        harness.invoke("SensorProducer", {"count": 10, "seed": 2}).value()
        assert mapping.pump() == 10  # caught up: the new batch is delivered as it arrives
    harness.drain()

    ages = statistics(harness, "AWS/Lambda", "IteratorAge", function, "Maximum")
    assert ages == pytest.approx([60_000, 120_000, 180_000, 0], abs=1)
    assert total(harness, "AWS/Lambda", "Invocations", function) == 4


def test_the_console_prints_each_line_with_the_function_name_and_a_failing_mapping(harness):
    out = io.StringIO()
    harness.observability.console(ConsoleSink(out))
    harness.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))

    result = harness.invoke("Logs")
    harness.telemetry.mapping_failed("Logs", "arn:aws:kinesis:us-east-1:1:stream/SensorStream", 3, "ValueError: x")
    harness.telemetry.mapping_failed("Logs", "arn:aws:kinesis:us-east-1:1:stream/SensorStream", 4, "ValueError: x")

    printed = out.getvalue().splitlines()
    assert printed[0] == f"[Logs] START RequestId: {result.request_id} Version: $LATEST"
    assert printed[2] == "[Logs] through print"
    assert printed[4].startswith(f"[Logs] REPORT RequestId: {result.request_id}")
    assert printed[5:] == [
        "[Logs] event source mapping from SensorStream keeps failing: 3 attempts of the same batch; "
        "last error: ValueError: x"
    ]


def test_a_poison_record_shows_as_a_failing_mapping_on_the_console_and_as_errors(harness):
    out = io.StringIO()
    harness.observability.console(ConsoleSink(out))
    # A reading the processor cannot store (its table is gone): a failure it raises, so Lambda retries.
    stack = (
        stream_processing_stack()
        .with_trigger_settings("SensorStreamProcessor", maximum_retry_attempts=3)
        .with_environment("SensorStreamProcessor", TABLE_NAME="NoSuchTable")
    )
    harness.deploy(stack)

    reading = {"sensorId": "sensor-01", "temperature": 70, "humidity": 40}
    harness.client("kinesis").put_record(StreamName="SensorStream", Data=json.dumps(reading), PartitionKey="p")
    harness.drain()
    harness.advance(minutes=10)  # any back-off between retries runs on the clock

    failing = [line for line in out.getvalue().splitlines() if "keeps failing" in line]
    assert len(failing) == 1
    assert failing[0].startswith(
        "[SensorStreamProcessor] event source mapping from SensorStream keeps failing: 3 attempts"
    )
    assert "ResourceNotFoundException" in failing[0]
    function = {"FunctionName": "SensorStreamProcessor"}
    assert total(harness, "AWS/Lambda", "Errors", function) == 4  # the first attempt and three retries
    assert len(messages(harness, "SensorStreamProcessor", '"[ERROR] ResourceNotFoundException"')) == 4


def test_a_time_window_finds_the_lines_as_aws_logs_tail_does(harness):
    harness.register(FunctionSpec("Logs", f"{PROBES}.log_probe"))
    harness.invoke("Logs")
    harness.advance(minutes=30)
    later = harness.invoke("Logs")
    harness.drain()

    since = int((harness.clock.time() - 600) * 1000)  # `aws logs tail` reads the last 10 minutes by default
    found = harness.client("logs").filter_log_events(
        logGroupName="/aws/lambda/Logs", startTime=since, interleaved=True
    )["events"]
    assert [e["message"] for e in found if e["message"].startswith("START")] == [
        f"START RequestId: {later.request_id} Version: $LATEST"
    ]


def test_the_process_runtime_writes_to_cloudwatch_too(harness):
    harness.register(FunctionSpec("Worker", f"{PROBES}.log_probe", runtime_mode="process"))

    first = harness.invoke("Worker")
    harness.drain()

    texts = messages(harness, "Worker")
    assert texts[0] == f"START RequestId: {first.request_id} Version: $LATEST"
    assert "through print" in texts
    report = REPORT.fullmatch(texts[-1])
    assert report and report["id"] == first.request_id and "Init Duration" in texts[-1]
    assert total(harness, "AWS/Lambda", "Invocations", {"FunctionName": "Worker"}) == 1
