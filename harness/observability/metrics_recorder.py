"""Puts metric values into CloudWatch in batches: one PutMetricData per namespace and 1000 values.

Values of one metric with the same dimensions, unit and timestamp travel as one datum with `Values` and
`Counts`, as the API allows. https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
"""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from botocore.config import Config

from harness.backends.base import CLIENT_CONFIG, Account
from harness.observability.telemetry import Datum, InvocationRecord, MappingFailure

MAX_DATUMS_PER_CALL = 1000
MAX_VALUES_PER_DATUM = 150


# The requests are built here, within the API's limits: botocore's validation of thousands of events is
# most of a flush's cost.
UNVALIDATED = CLIENT_CONFIG.merge(Config(parameter_validation=False))


class MetricsRecorder:
    """Queues metric values and sends them to CloudWatch on `flush()`."""

    def __init__(self, account: Account) -> None:
        self._client = account.client("cloudwatch", config=UNVALIDATED)
        self._pending: list[Datum] = []
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()

    @property
    def queued(self) -> int:
        """How many values wait to be sent."""
        return len(self._pending)

    def on_invocation(self, record: InvocationRecord) -> None:
        """Lambda's metrics of an invocation arrive through `on_metric`."""

    def on_metric(self, datum: Datum) -> None:
        """Queue one value."""
        with self._lock:
            self._pending.append(datum)

    def on_mapping_failure(self, failure: MappingFailure) -> None:
        """Not a metric of its own: the function's Errors count it."""

    def flush(self) -> int:
        """Send every queued value; return how many were sent."""
        with self._flush_lock:
            with self._lock:
                pending, self._pending = self._pending, []
            by_namespace: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for namespace, datum in _combined(pending):
                by_namespace[namespace].append(datum)
            for namespace, data in by_namespace.items():
                for start in range(0, len(data), MAX_DATUMS_PER_CALL):
                    self._client.put_metric_data(
                        Namespace=namespace, MetricData=data[start : start + MAX_DATUMS_PER_CALL]
                    )
            return len(pending)


def _combined(values: list[Datum]) -> list[tuple[str, dict[str, Any]]]:
    """Datums of the API, one per metric, dimensions, unit and millisecond, with Values and Counts."""
    groups: dict[tuple[str, str, tuple[tuple[str, str], ...], str, float], dict[float, int]] = {}
    for value in values:
        key = (value.namespace, value.name, value.dimensions, value.unit, round(value.timestamp, 3))
        counts = groups.setdefault(key, {})
        counts[value.value] = counts.get(value.value, 0) + 1
    data = []
    for (namespace, name, dimensions, unit, stamp), counts in groups.items():
        items = list(counts.items())
        for start in range(0, len(items), MAX_VALUES_PER_DATUM):
            chunk = items[start : start + MAX_VALUES_PER_DATUM]
            data.append(
                (
                    namespace,
                    {
                        "MetricName": name,
                        "Dimensions": [{"Name": key, "Value": text} for key, text in dimensions],
                        "Timestamp": datetime.fromtimestamp(stamp, UTC),
                        "Values": [number for number, _ in chunk],
                        "Counts": [float(count) for _, count in chunk],
                        "Unit": unit,
                    },
                )
            )
    return data
