"""A record of every event a bus received, like the bus's Monitoring tab in the console.

A catch-all rule (`{"source": [{"prefix": ""}]}`) sends each event the bus takes in to a plumbing queue;
the harness reads it into `events`, in the order the bus received them, and hands it on (`on_event`) to
the bus's rule routes. This is the route of events the harness does not see itself (a client on the
backend directly, events the backend raises); a PutEvents through the harness is recorded and routed at
once, and skipped here. The record survives the rule: after the monitor stops, what it saw stays readable.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from harness.routing.bus_event import BusEvent, bus_event_from_body, events_scope, plumbing_target
from harness.routing.direct_ledger import DirectLedger
from harness.routing.plumbing import (
    PlumbingQueue,
    create_plumbing_queue,
    delete_plumbing_queue,
    plumbing_name,
)
from harness.routing.queue_poller import QueuePoller

MONITOR_RULE_PREFIX = "harness-monitor-"
CATCH_ALL = json.dumps({"source": [{"prefix": ""}]})


def monitor_rule_name(bus: str) -> str:
    """The catch-all rule's name on `bus` (hidden from `EventRouting.rules`)."""
    return MONITOR_RULE_PREFIX + hashlib.sha1(bus.encode()).hexdigest()[:16]


class BusMonitor:
    """Watches one bus while started; `events` lists what it received."""

    def __init__(
        self,
        account: Account,
        bus: str,
        ledger: DirectLedger | None = None,
        on_event: Callable[[BusEvent], None] | None = None,
    ) -> None:
        self.account = account
        self.bus = bus
        self.ledger = ledger if ledger is not None else DirectLedger()
        self.on_event = on_event
        self.rule_name = monitor_rule_name(bus)
        self.poller: QueuePoller | None = None
        self._received: list[BusEvent] = []
        self._queue: PlumbingQueue | None = None
        self._lock = threading.Lock()

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every event received so far, oldest first."""
        with self._lock:
            return [received.event for received in self._received]

    def start(self) -> QueuePoller:
        """Create the catch-all rule and its queue; return the poller to run (ValueError if the bus is missing)."""
        events = self.account.client("events")
        queue = create_plumbing_queue(self.account, plumbing_name("bus", self.bus))
        try:
            events.put_rule(
                Name=self.rule_name,
                EventBusName=self.bus,
                EventPattern=CATCH_ALL,
                Description="harness: records every event the bus receives",
            )
            events.put_targets(
                Rule=self.rule_name, EventBusName=self.bus, Targets=[plumbing_target("monitor", queue.arn)]
            )
        except ClientError as exc:
            self._remove_rule()
            delete_plumbing_queue(self.account, queue)
            raise ValueError(f"cannot monitor event bus {self.bus!r}: {exc}") from exc
        self._queue = queue
        self.poller = QueuePoller(self.account, queue, self._record, f"monitor of bus {self.bus}")
        return self.poller

    @property
    def queue_name(self) -> str | None:
        """The plumbing queue the catch-all rule fills, while started."""
        return self._queue.name if self._queue is not None else None

    def record(self, received: BusEvent) -> None:
        """Record an event the harness saw the bus receive (a PutEvents it made itself)."""
        with self._lock:
            self._received.append(received)

    def _record(self, message: dict[str, Any]) -> None:
        received = bus_event_from_body(message["Body"], self.account)
        if self.ledger.taken_by_harness(events_scope(self.bus), received.event.get("id")):
            return  # recorded and routed when the harness put it
        self.record(received)
        if self.on_event is not None:
            self.on_event(received)

    def stop(self) -> None:
        """Remove the catch-all rule and its queue; keep what was recorded."""
        self._remove_rule()
        if self.poller is not None:
            self.poller.stop()
            with contextlib.suppress(ClientError):
                while self.poller.pump():  # record what arrived before the rule went away
                    pass
        if self._queue is not None:
            delete_plumbing_queue(self.account, self._queue)
        self.poller = None
        self._queue = None

    def _remove_rule(self) -> None:
        events = self.account.client("events")
        with contextlib.suppress(ClientError):
            events.remove_targets(Rule=self.rule_name, EventBusName=self.bus, Ids=["monitor"])
        with contextlib.suppress(ClientError):
            events.delete_rule(Name=self.rule_name, EventBusName=self.bus)
