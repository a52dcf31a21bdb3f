"""Creates, lists and removes the event source mappings of one account."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from harness.backends.base import Account
from harness.clock import Clock
from harness.event_sources.dynamodb import DynamoDBStreamMapping
from harness.event_sources.kinesis import KinesisMapping
from harness.event_sources.mapping import EventSourceMapping, FailureListener
from harness.event_sources.settings import MappingSettings
from harness.event_sources.sqs import SqsMapping
from harness.functions.registry import FunctionRegistry


def mapping_class(source_arn: str) -> type[EventSourceMapping]:
    """The poller for a source ARN; ValueError names an ARN Lambda cannot poll."""
    if source_arn.startswith("arn:aws:kinesis:") and ":stream/" in source_arn:
        return KinesisMapping
    if source_arn.startswith("arn:aws:dynamodb:") and "/stream/" in source_arn:
        return DynamoDBStreamMapping
    if source_arn.startswith("arn:aws:sqs:"):
        return SqsMapping
    raise ValueError(f"event source {source_arn!r} is not a Kinesis stream, DynamoDB stream or SQS queue ARN")


class EventSourceManager:
    """The mappings of one account; in background mode each polls on its own thread."""

    def __init__(self, account: Account, functions: FunctionRegistry, clock: Clock, *, background: bool) -> None:
        self.account = account
        self.functions = functions
        self.clock = clock
        self.background = background
        self._mappings: dict[str, EventSourceMapping] = {}
        self._failure_listeners: list[FailureListener] = []
        self._lock = threading.Lock()

    def on_failure(self, listener: FailureListener) -> None:
        """Call `listener(mapping, line)` for every failed batch of every mapping, now and later.

        `line` is one printable sentence: the function, the source, what failed and what happens next.
        """
        with self._lock:
            self._failure_listeners.append(listener)
            mappings = list(self._mappings.values())
        for mapping in mappings:
            mapping.failure_listeners.append(listener)

    def create(self, function_name: str, source_arn: str, settings: MappingSettings) -> EventSourceMapping:
        """Map `source_arn` to a registered function and start polling it."""
        cls = mapping_class(source_arn)
        function = self.functions.get(function_name)
        mapping = cls(self.account, function, source_arn, settings, self.clock)
        with self._lock:
            mapping.failure_listeners.extend(self._failure_listeners)
            self._mappings[mapping.uuid] = mapping
        if self.background:
            mapping.start()
        return mapping

    def all(self) -> list[EventSourceMapping]:
        """Every mapping, in creation order."""
        with self._lock:
            return list(self._mappings.values())

    def for_function(self, function_name: str) -> list[EventSourceMapping]:
        """The mappings that invoke one function."""
        name = self.functions.resolve_name(function_name)
        return [m for m in self.all() if m.function.spec.name == name]

    def delete(self, uuid: str) -> None:
        """Stop and remove one mapping."""
        with self._lock:
            mapping = self._mappings.pop(uuid, None)
        if mapping is None:
            raise LookupError(f"event source mapping {uuid} does not exist")
        mapping.stop()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Hold background polling for the body; `drain()` still delivers, in whole batches."""
        previous, self.background = self.background, False
        self.stop_all()
        try:
            yield
        finally:
            self.background = previous
            if previous:
                for mapping in self.all():
                    mapping.start()

    def stop_all(self) -> None:
        """Stop every background poller."""
        for mapping in self.all():
            mapping.stop()
