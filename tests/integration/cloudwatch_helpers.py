"""Reading what the harness wrote to CloudWatch Logs and CloudWatch, through their APIs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

FRAMING = ("START RequestId:", "END RequestId:", "REPORT RequestId:")


def log_events(harness, function: str, pattern: str | None = None) -> list[dict[str, Any]]:
    """Every event of /aws/lambda/<function> (matching a filter pattern, if given), across pages."""
    logs = harness.client("logs")
    request: dict[str, Any] = {"logGroupName": f"/aws/lambda/{function}"}
    if pattern is not None:
        request["filterPattern"] = pattern
    events = []
    for page in logs.get_paginator("filter_log_events").paginate(**request):
        events.extend(page["events"])
    return events


def messages(harness, function: str, pattern: str | None = None) -> list[str]:
    """The messages of /aws/lambda/<function>, oldest first."""
    return [event["message"] for event in log_events(harness, function, pattern)]


def handler_lines(harness, function: str) -> list[str]:
    """What the handler wrote: every message but Lambda's START, END and REPORT lines."""
    return [m for m in messages(harness, function) if not m.startswith(FRAMING)]


def statistics(
    harness, namespace: str, metric: str, dimensions: dict[str, str], statistic: str = "Sum", period: int = 60
) -> list[float]:
    """The metric's datapoints (one per period with data) around the harness clock's time, oldest first."""
    now = harness.clock.now()
    answer = harness.client("cloudwatch").get_metric_statistics(
        Namespace=namespace,
        MetricName=metric,
        Dimensions=[{"Name": key, "Value": value} for key, value in dimensions.items()],
        StartTime=now - timedelta(days=1),
        EndTime=now + timedelta(hours=1),
        Period=period,
        Statistics=[statistic],
    )
    return [point[statistic] for point in sorted(answer["Datapoints"], key=lambda point: point["Timestamp"])]


def total(harness, namespace: str, metric: str, dimensions: dict[str, str]) -> float:
    """The metric's Sum over the last day of the harness clock."""
    return sum(statistics(harness, namespace, metric, dimensions, "Sum", period=86400 + 3600))
