"""How Lambda's Python runtime writes what the handler did: uncaught errors, JSON log records, memory.

Written from "Log and monitor Python Lambda functions" and "Configuring advanced logging controls":
https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

# Lambda's Python application log levels, by the logging module's numbers.
_APPLICATION_LEVELS = {"TRACE": 5, "DEBUG": 10, "INFO": 20, "WARN": 30, "ERROR": 40, "FATAL": 50}
_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / (1024 * 1024) if hasattr(os, "sysconf") else 4096 / (1024 * 1024)
# What a Python runtime sandbox holds before any handler code runs.
RUNTIME_BASELINE_MB = 38


def iso_millis(epoch: float) -> str:
    """`2025-02-25T12:00:00.123Z`, the form of Lambda's JSON `timestamp` and `time` fields."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def handler_frames(exc: BaseException, skip_file: str) -> list[traceback.FrameSummary]:
    """The traceback of an uncaught exception without the frames of the runtime that called the handler."""
    return [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename != skip_file]


def uncaught_error_entry(
    exc: BaseException, frames: list[traceback.FrameSummary], request_id: str, *, json_format: bool, now: float
) -> str:
    """The one log event the runtime writes for an uncaught exception.

    Text: `[ERROR] ValueError: msg` then the traceback; JSON: an object with errorType, errorMessage and
    stackTrace, at level ERROR.
    """
    stack = [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {f.line}\n' for f in frames]
    if json_format:
        return json.dumps(
            {
                "timestamp": iso_millis(now),
                "log_level": "ERROR",
                "errorMessage": str(exc),
                "errorType": type(exc).__name__,
                "requestId": request_id,
                "stackTrace": stack,
            }
        )
    trace = "".join(stack).rstrip("\n")
    header = f"[ERROR] {type(exc).__name__}: {exc}\nTraceback (most recent call last):"
    return f"{header}\n{trace}" if trace else header


def json_record_format(application_level: str | None) -> Callable[[logging.LogRecord, str], str | None]:
    """A formatter of logging records as the runtime writes them in JSON format, dropping those below the level."""
    threshold = _APPLICATION_LEVELS[application_level or "INFO"]

    def format_record(record: logging.LogRecord, request_id: str) -> str | None:
        if record.levelno < threshold:
            return None
        entry = {
            "timestamp": iso_millis(record.created),
            "level": "WARN" if record.levelname == "WARNING" else record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": request_id,
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["errorType"] = record.exc_info[0].__name__
            entry["errorMessage"] = str(record.exc_info[1])
            entry["stackTrace"] = traceback.format_tb(record.exc_info[2])
        return json.dumps(entry, default=str)

    return format_record


def _open_statm() -> int | None:
    try:
        return os.open("/proc/self/statm", os.O_RDONLY)
    except OSError:
        return None


_STATM = _open_statm()  # kept open: pread of an open /proc file costs a tenth of opening it


def resident_mb() -> float:
    """This process's resident memory in MB (0 where /proc is not available)."""
    if _STATM is None:
        return 0.0
    try:
        return int(os.pread(_STATM, 128, 0).split()[1]) * _PAGE_MB
    except (OSError, IndexError, ValueError):
        return 0.0


def max_memory_used(before_mb: float, after_mb: float, memory_size: int) -> int:
    """An estimate of Max Memory Used: the runtime's baseline plus what the process grew by, at most the limit.

    Functions share one process here, so this is what the invocation added, not a sandbox's peak.
    """
    return int(min(memory_size, RUNTIME_BASELINE_MB + max(0.0, after_mb - before_mb)))
