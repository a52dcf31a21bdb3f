"""The CloudWatch Logs events of one invocation, in the function's log format (Text or JSON).

Text: Lambda's `START`, the handler's lines, `END` and `REPORT`. JSON: the platform events
`platform.initStart` (cold starts), `platform.start` and `platform.report` as JSON objects, filtered by
SystemLogLevel; application records are JSON already, `print` output stays plain text.
https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
"""

from __future__ import annotations

import json
from typing import Any

from harness.observability.lambda_format import iso_millis
from harness.observability.telemetry import InvocationRecord

LogEvent = tuple[int, str]  # (timestamp in epoch milliseconds, message)

_SYSTEM_LEVELS = {"DEBUG": 10, "INFO": 20, "WARN": 30}
_PLATFORM_EVENT_LEVEL = 20  # initStart, start and report are INFO


def millis(epoch: float) -> int:
    """Epoch seconds as the integer milliseconds CloudWatch Logs stamps events with."""
    return int(epoch * 1000)


def invocation_events(record: InvocationRecord) -> list[LogEvent]:
    """Every log event of the invocation, oldest first."""
    began, ended = millis(record.started_at), millis(record.ended_at)
    log = record.log
    body = [(ended, line) for line in log.lines]
    if not record.logging.is_json:
        return [(began, log.start_line()), *body, (ended, log.end_line()), (ended, log.report_line())]
    threshold = _SYSTEM_LEVELS[record.logging.system_log_level or "INFO"]
    if threshold > _PLATFORM_EVENT_LEVEL:
        return body
    platform = []
    if record.cold_start:
        platform.append(
            (
                began,
                _platform(
                    record.started_at,
                    "platform.initStart",
                    {
                        "initializationType": "on-demand",
                        "phase": "init",
                        "functionName": record.function_name,
                        "functionVersion": "$LATEST",
                    },
                ),
            )
        )
    platform.append(
        (began, _platform(record.started_at, "platform.start", {"requestId": log.request_id, "version": "$LATEST"}))
    )
    metrics: dict[str, Any] = {
        "durationMs": round(log.duration_ms, 2),
        "billedDurationMs": log.billed_duration_ms,
        "memorySizeMB": log.memory_size_mb,
        "maxMemoryUsedMB": log.max_memory_used_mb,
    }
    if log.init_duration_ms is not None:
        metrics["initDurationMs"] = round(log.init_duration_ms, 2)
    status = _status(record)
    report = _platform(
        record.ended_at, "platform.report", {"requestId": log.request_id, "metrics": metrics, "status": status}
    )
    return [*platform, *body, (ended, report)]


def _status(record: InvocationRecord) -> str:
    if record.error is None:
        return "success"
    return "timeout" if record.error.get("errorType") == "Sandbox.Timedout" else "error"


def _platform(epoch: float, kind: str, fields: dict[str, Any]) -> str:
    return json.dumps({"time": iso_millis(epoch), "type": kind, "record": fields})
