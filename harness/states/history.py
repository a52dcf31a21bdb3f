"""An execution's event history in Step Functions' own vocabulary, as GetExecutionHistory returns it."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from harness.clock import Clock

# Event types whose HistoryEvent carries no details member.
_WITHOUT_DETAILS = frozenset(
    {
        "LambdaFunctionStarted",
        "MapRunAborted",
        "MapRunSucceeded",
        "MapStateAborted",
        "MapStateFailed",
        "MapStateSucceeded",
        "ParallelStateAborted",
        "ParallelStateFailed",
        "ParallelStateStarted",
        "ParallelStateSucceeded",
        "TaskStateAborted",
        "WaitStateAborted",
    }
)


def to_json(value: Any) -> str:
    """JSON text the way Step Functions writes inputs and outputs: compact, unicode kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def details_key(event_type: str) -> str | None:
    """The HistoryEvent member that holds an event type's details (None when it has none)."""
    if event_type in _WITHOUT_DETAILS:
        return None
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    if event_type.startswith("MapIteration"):
        return f"mapIteration{event_type.removeprefix('MapIteration')}EventDetails"
    return f"{event_type[0].lower()}{event_type[1:]}EventDetails"


def with_data(details: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """Details plus `key` (input/output) as JSON text and its `<key>Details` truncation flag."""
    return {**details, key: to_json(value), f"{key}Details": {"truncated": False}}


@dataclass(frozen=True)
class HistoryEvent:
    """One event: id, the id of the event that led to it, its time, type and details."""

    id: int
    previous_event_id: int
    timestamp: datetime
    type: str
    details: dict[str, Any] | None = None

    def to_api(self) -> dict[str, Any]:
        """The event as the JSON API sends it (timestamps as epoch seconds)."""
        event: dict[str, Any] = {
            "timestamp": self.timestamp.timestamp(),
            "type": self.type,
            "id": self.id,
            "previousEventId": self.previous_event_id,
        }
        key = details_key(self.type)
        if key is not None:
            event[key] = self.details or {}
        return event

    @property
    def name(self) -> str | None:
        """The state's name, for state entered / exited events."""
        return (self.details or {}).get("name")


class History:
    """The events of one execution, numbered from 1 in the order they happened."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._events: list[HistoryEvent] = []
        self._lock = threading.Lock()

    def add(self, event_type: str, details: dict[str, Any] | None = None, *, previous: int = 0) -> HistoryEvent:
        """Append one event and return it."""
        if details is not None and details_key(event_type) is None:
            raise ValueError(f"history event {event_type} takes no details")
        with self._lock:
            event = HistoryEvent(len(self._events) + 1, previous, self.clock.now(), event_type, details)
            self._events.append(event)
        return event

    def events(self) -> list[HistoryEvent]:
        """A snapshot of all events so far."""
        with self._lock:
            return list(self._events)

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)


class Trail:
    """One line of flow through the history (the execution, a branch, an iteration): links previousEventId."""

    def __init__(self, history: History, last: int = 0) -> None:
        self.history = history
        self.last = last

    def record(self, event_type: str, details: dict[str, Any] | None = None) -> HistoryEvent:
        """Append an event that follows this trail's last one."""
        event = self.history.add(event_type, details, previous=self.last)
        self.last = event.id
        return event

    def branch(self) -> Trail:
        """A new trail that starts after this one's last event."""
        return Trail(self.history, self.last)
