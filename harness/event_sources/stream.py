"""Stream pollers (Kinesis, DynamoDB Streams): per-shard order, checkpoints, retries, bisect, destinations.

Semantics follow Lambda's documentation for stream event source mappings:
- each shard is read in order and its next batch waits until the current one succeeds or is given up;
- a failed batch is retried whole; with `BisectBatchOnFunctionError` it is split in two halves and each
  half is retried with its own retry budget, so one poison record ends up alone;
- with `ReportBatchItemFailures`, everything before the lowest failed sequence number is checkpointed
  and the batch is retried from that record; an unknown or missing item identifier fails the whole batch;
- after `MaximumRetryAttempts` retries the batch is given up: its description goes to the on-failure
  destination and the shard moves on;
- a retry of the same records waits on the harness clock, 1 s after the first failure and twice as long
  after each further one, at most `MAX_RETRY_DELAY` (a split half is delivered at once). On a virtual
  clock `drain()` returns while a retry waits and `advance()` delivers it; on the wall clock `drain()`
  waits for it.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from harness.clock import VirtualClock
from harness.event_sources.destinations import send_to_destination
from harness.event_sources.mapping import EventSourceMapping
from harness.functions.result import InvocationResult

FIRST_RETRY_DELAY = 1.0
MAX_RETRY_DELAY = 60.0


def retry_delay(failures: int) -> float:
    """Seconds before the retry that follows the `failures`-th failed attempt: 1, 2, 4 ... at most 60."""
    return min(FIRST_RETRY_DELAY * 2 ** max(failures - 1, 0), MAX_RETRY_DELAY)


@dataclass
class PendingBatch:
    """Records read from a shard and not yet checkpointed."""

    records: list[dict[str, Any]]
    attempts: int = 0
    not_before: float = 0.0  # harness-clock time before which this batch is not retried


@dataclass
class ShardState:
    """Where a mapping stands in one shard."""

    shard_id: str
    iterator: str | None
    queue: deque[PendingBatch] = field(default_factory=deque)

    @property
    def closed(self) -> bool:
        """True when the shard has ended and everything read from it is done."""
        return self.iterator is None and not self.queue


def to_json_safe(value: Any) -> Any:
    """boto3's parsed values as Lambda's JSON has them: epoch seconds for datetimes, base64 for bytes."""
    if isinstance(value, dict):
        return {key: to_json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json_safe(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return value


class StreamMapping(EventSourceMapping):
    """Shared shard handling; subclasses say how to list shards, read records and shape them."""

    batch_info_key = "BatchInfo"

    def _init_shards(self) -> None:
        self._shards: dict[str, ShardState] = {}
        self.given_up: list[dict[str, Any]] = []
        for shard_id in self._list_shards():
            self._shards[shard_id] = ShardState(shard_id, self._initial_iterator(shard_id))

    # -- per-service hooks -----------------------------------------------------------------------
    def _list_shards(self) -> list[str]:
        raise NotImplementedError

    def _iterator(self, shard_id: str, kind: str, **extra: Any) -> str:
        raise NotImplementedError

    def _read(self, iterator: str, limit: int) -> tuple[list[dict[str, Any]], str | None]:
        raise NotImplementedError

    def _event_record(self, raw: dict[str, Any], shard_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def _sequence(self, record: dict[str, Any]) -> str:
        raise NotImplementedError

    def _arrival(self, record: dict[str, Any]) -> float:
        raise NotImplementedError

    # -- shared logic ----------------------------------------------------------------------------
    def _initial_iterator(self, shard_id: str) -> str:
        position = self.settings.starting_position or "LATEST"
        if position == "AT_TIMESTAMP":
            stamp = dt.datetime.fromtimestamp(self.settings.starting_position_timestamp or 0, dt.UTC)
            return self._iterator(shard_id, "AT_TIMESTAMP", Timestamp=stamp)
        return self._iterator(shard_id, position)

    def _pump_locked(self) -> int:
        handled = 0
        for shard in list(self._shards.values()):
            if not shard.queue and shard.iterator is not None:
                raw, shard.iterator = self._read(shard.iterator, self.settings.batch_size)
                if raw:
                    self._moved()
                    shard.queue.append(PendingBatch([self._event_record(r, shard.shard_id) for r in raw]))
            if shard.queue and shard.queue[0].not_before <= self.clock.time():
                handled += self._deliver(shard)
        return handled

    def _busy_locked(self) -> str | None:
        # A retry the wall clock will reach is pending work; on a virtual clock it waits for advance().
        waiting = [
            (s.shard_id, s.queue[0])
            for s in self._shards.values()
            if s.queue and (s.queue[0].not_before <= self.clock.time() or not isinstance(self.clock, VirtualClock))
        ]
        if not waiting:
            return None
        shard_id, batch = waiting[0]
        return (
            f"{self.function.spec.name} is retrying a batch of {len(batch.records)} from {shard_id} "
            f"(attempt {batch.attempts}; last error: {self.last_error})"
        )

    def next_retry(self) -> float | None:
        """Harness-clock time of the earliest retry still waiting, or None."""
        with self._lock:
            times = [s.queue[0].not_before for s in self._shards.values() if s.queue and s.queue[0].attempts]
        return min(times, default=None)

    def _deliver(self, shard: ShardState) -> int:
        batch = shard.queue[0]
        self._report_iterator_age(batch)
        self._moved()
        result = self.function.invoke({"Records": batch.records})
        batch.attempts += 1
        self.batches.append(len(batch.records))
        if result.ok:
            failed_at = self._first_reported_failure(result, batch)
            if failed_at is None:
                shard.queue.popleft()
                self._succeeded()
                return len(batch.records)
            done, batch.records = batch.records[:failed_at], batch.records[failed_at:]
            self._failed(
                f"batchItemFailures from {self._sequence(batch.records[0])}",
                f"{len(batch.records)} record(s) reported as failed",
            )
            return len(done) + self._give_up_if_exhausted(shard, batch, result)
        error = f"{result.error.get('errorType')}: {result.error.get('errorMessage')}" if result.error else "error"
        if self.settings.bisect_batch_on_function_error and len(batch.records) > 1:
            middle = len(batch.records) // 2
            self._failed(error, f"batch of {len(batch.records)} failed; split in two")
            shard.queue.popleft()
            shard.queue.extendleft([PendingBatch(batch.records[middle:]), PendingBatch(batch.records[:middle])])
            return 0
        self._failed(error, f"batch of {len(batch.records)} from {shard.shard_id} failed (attempt {batch.attempts})")
        return self._give_up_if_exhausted(shard, batch, result)

    def _report_iterator_age(self, batch: PendingBatch) -> None:
        """Lambda's IteratorAge: from the last record's arrival on the stream to its delivery, on the harness clock."""
        telemetry = self.function.telemetry
        if not telemetry.enabled:
            return
        arrived = self.clock.reading_at(self._arrival(batch.records[-1]))
        age_ms = max(0.0, (self.clock.time() - arrived) * 1000)
        telemetry.measure(
            "AWS/Lambda", "IteratorAge", {"FunctionName": self.function.spec.name}, age_ms, "Milliseconds"
        )

    def _schedule_retry(self, batch: PendingBatch) -> None:
        batch.not_before = self.clock.time() + retry_delay(batch.attempts)
        self.clock.call_at(batch.not_before, self._retry_due)

    def _retry_due(self) -> None:
        # A virtual clock runs its timers in order: deliver now, so a further retry lands at its own time.
        if isinstance(self.clock, VirtualClock) and self.enabled:
            try:
                self.pump()
            except Exception as exc:  # a source removed meanwhile must not break the clock's advance
                self.last_error = f"{type(exc).__name__}: {exc}"
        else:
            self.wake()

    def _first_reported_failure(self, result: InvocationResult, batch: PendingBatch) -> int | None:
        """Index of the lowest failed record, 0 for an unusable report, None when all succeeded."""
        if not self.settings.reports_item_failures or not isinstance(result.payload, dict):
            return None
        failures = result.payload.get("batchItemFailures")
        if not failures:
            return None
        sequences = [self._sequence(record) for record in batch.records]
        indexes = []
        for failure in failures:
            identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
            if identifier not in sequences:
                return 0  # Lambda treats an unknown or empty identifier as a failure of the whole batch
            indexes.append(sequences.index(identifier))
        return min(indexes)

    def _give_up_if_exhausted(self, shard: ShardState, batch: PendingBatch, result: InvocationResult) -> int:
        limit = self.settings.maximum_retry_attempts
        if limit == -1 or batch.attempts - 1 < limit:
            self._schedule_retry(batch)
            return 0
        shard.queue.popleft()
        document = self._failure_document(shard, batch, result)
        self.given_up.append(document)
        self._failed(
            self.last_error or "error",
            f"gave up on {len(batch.records)} record(s) from {shard.shard_id} after {batch.attempts} attempt(s)",
            invocation=False,
        )
        if self.settings.on_failure_destination:
            send_to_destination(self.account, self.settings.on_failure_destination, document)
        return len(batch.records)

    def _failure_document(self, shard: ShardState, batch: PendingBatch, result: InvocationResult) -> dict[str, Any]:
        first, last = batch.records[0], batch.records[-1]
        return {
            "requestContext": {
                "requestId": result.request_id,
                "functionArn": self.function.arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": batch.attempts,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": result.function_error or "",
            },
            "version": "1.0",
            "timestamp": self.clock.now().isoformat().replace("+00:00", "Z"),
            self.batch_info_key: {
                "shardId": shard.shard_id,
                "startSequenceNumber": self._sequence(first),
                "endSequenceNumber": self._sequence(last),
                "approximateArrivalOfFirstRecord": _iso(self._arrival(first)),
                "approximateArrivalOfLastRecord": _iso(self._arrival(last)),
                "batchSize": len(batch.records),
                "streamArn": self.source_arn,
            },
        }


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
