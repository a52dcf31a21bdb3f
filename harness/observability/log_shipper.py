"""Ships function log events to CloudWatch Logs in batches: log groups and streams made on first use.

As Lambda does, the first invocation of a function creates its log group (`/aws/lambda/<name>`, or the
LoggingConfig's LogGroup) and each warm instance its own stream. Events are queued by the invocation and
sent by `flush()` (the background flusher, or `harness.drain()`) with one PutLogEvents per stream and batch.
PutLogEvents limits: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
"""

from __future__ import annotations

import threading
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from harness.backends.base import CLIENT_CONFIG, Account
from harness.observability.log_events import LogEvent, invocation_events
from harness.observability.telemetry import Datum, InvocationRecord, MappingFailure

MAX_BATCH_EVENTS = 10_000
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD_BYTES = 26
MAX_BATCH_SPAN_MS = 24 * 3600 * 1000
MAX_MESSAGE_BYTES = 256 * 1024 - EVENT_OVERHEAD_BYTES


# The requests are built here, within the API's limits: botocore's validation of thousands of events is
# most of a flush's cost.
UNVALIDATED = CLIENT_CONFIG.merge(Config(parameter_validation=False))


class LogShipper:
    """Queues the log events of every invocation and puts them into CloudWatch Logs on `flush()`.

    `retention_days` is the retention of the log groups it creates (a function's own setting wins);
    None leaves them to never expire, as Lambda does.
    """

    def __init__(self, account: Account, *, retention_days: int | None = None) -> None:
        self.retention_days = retention_days
        self.rejected: list[str] = []  # what the backend refused, for `busy()`-free diagnosis
        self._client = account.client("logs", config=UNVALIDATED)
        self._pending: dict[tuple[str, str], list[LogEvent]] = {}
        self._retention: dict[str, int | None] = {}
        self._groups: set[str] = set()
        self._streams: set[tuple[str, str]] = set()
        self._lock = threading.Lock()  # guards the queue
        self._flush_lock = threading.Lock()  # one flush at a time keeps each stream's events in order
        self._queued = 0

    @property
    def queued(self) -> int:
        """How many events wait to be sent."""
        return self._queued

    def on_invocation(self, record: InvocationRecord) -> None:
        """Queue the invocation's events on its instance's stream."""
        events = invocation_events(record)
        key = (record.log_group, record.log_stream)
        with self._lock:
            self._pending.setdefault(key, []).extend(events)
            self._queued += len(events)
            if record.log_group not in self._retention:
                self._retention[record.log_group] = record.retention_days or self.retention_days

    def on_metric(self, datum: Datum) -> None:
        """Metrics are the recorder's."""

    def on_mapping_failure(self, failure: MappingFailure) -> None:
        """Mapping failures show in the function's own log and on the console."""

    def flush(self) -> int:
        """Send everything queued; return how many events were sent."""
        with self._flush_lock:
            with self._lock:
                pending, self._pending, self._queued = self._pending, {}, 0
                retention = dict(self._retention)
            sent = 0
            for (group, stream), events in pending.items():
                self._ensure(group, stream, retention.get(group))
                events.sort(key=lambda event: event[0])  # stable: lines of one instant keep their order
                for batch in _batches(events):
                    self._put(group, stream, batch)
                    sent += len(batch)
            return sent

    def _ensure(self, group: str, stream: str, retention_days: int | None) -> None:
        if group not in self._groups:
            _ignore_existing(lambda: self._client.create_log_group(logGroupName=group))
            if retention_days is not None:
                self._client.put_retention_policy(logGroupName=group, retentionInDays=retention_days)
            self._groups.add(group)
        if (group, stream) not in self._streams:
            _ignore_existing(lambda: self._client.create_log_stream(logGroupName=group, logStreamName=stream))
            self._streams.add((group, stream))

    def _put(self, group: str, stream: str, batch: list[LogEvent]) -> None:
        answer = self._client.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[{"timestamp": stamp, "message": message} for stamp, message in batch],
        )
        refused = answer.get("rejectedLogEventsInfo")
        if refused:
            self.rejected.append(f"{group} {stream}: {refused}")

    def created_groups(self) -> list[str]:
        """The log groups this shipper created or wrote to."""
        with self._flush_lock:
            return sorted(self._groups)

    def delete_groups(self) -> None:
        """Delete the log groups it wrote to (a harness leaves nothing behind)."""
        with self._flush_lock:
            for group in sorted(self._groups):
                try:
                    self._client.delete_log_group(logGroupName=group)
                except ClientError as exc:
                    if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                        raise
            self._groups.clear()
            self._streams.clear()


def _ignore_existing(create: Any) -> None:
    try:
        create()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceAlreadyExistsException":
            raise


def _batches(events: list[LogEvent]) -> list[list[LogEvent]]:
    """Split time-ordered events into PutLogEvents batches: count, size and 24-hour span limits."""
    batches: list[list[LogEvent]] = []
    current: list[LogEvent] = []
    size = 0
    for stamp, message in events:
        message = _truncate(message)
        cost = len(message.encode()) + EVENT_OVERHEAD_BYTES
        if current and (
            len(current) >= MAX_BATCH_EVENTS
            or size + cost > MAX_BATCH_BYTES
            or stamp - current[0][0] >= MAX_BATCH_SPAN_MS
        ):
            batches.append(current)
            current, size = [], 0
        current.append((stamp, message))
        size += cost
    if current:
        batches.append(current)
    return batches


def _truncate(message: str) -> str:
    data = message.encode()
    if len(data) <= MAX_MESSAGE_BYTES:
        return message or " "
    return data[:MAX_MESSAGE_BYTES].decode(errors="ignore")
