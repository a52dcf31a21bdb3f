"""Which events the harness delivered itself, so that the queue route does not deliver them a second time.

An event the harness sees (PutEvents, Publish, PutObject through the gateway) goes straight to its function
targets. The backend still raises it too, onto the plumbing queues that carry what the harness cannot see
(events the backend raises itself). Each queue route asks the ledger before delivering: an event the
harness already delivered is skipped.

A queue message can arrive while the call that raised it is still on its way back to the harness, before
the event's key is known; `taken_by_harness` then waits for the calls in flight in the same scope.

Example:
    >>> ledger = DirectLedger()
    >>> with ledger.publishing("events:orders") as seen:
    ...     seen("4b7a-event-id")
    >>> ledger.taken_by_harness("events:orders", "4b7a-event-id")
    True
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator

DEFAULT_LIMIT = 100_000  # keys remembered; the oldest are forgotten first
WAIT_LIMIT = 10.0  # seconds a queue route waits for calls in flight in its scope


class DirectLedger:
    """Keys of events the harness delivered itself, per scope ('events:<bus>', 'sns:<topic>', 's3:<bucket>')."""

    def __init__(self, limit: int = DEFAULT_LIMIT, wait_limit: float = WAIT_LIMIT) -> None:
        self.limit = limit
        self.wait_limit = wait_limit
        self._keys: OrderedDict[tuple[str, Hashable], None] = OrderedDict()
        self._in_flight: dict[str, int] = {}
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def publishing(self, scope: str) -> Iterator[Callable[[Hashable], None]]:
        """Around a call that makes the backend raise events in `scope`; call the yielded `seen(key)` for each."""
        with self._changed:
            self._in_flight[scope] = self._in_flight.get(scope, 0) + 1
        try:
            yield lambda key: self._remember(scope, key)
        finally:
            with self._changed:
                left = self._in_flight[scope] - 1
                if left:
                    self._in_flight[scope] = left
                else:
                    del self._in_flight[scope]
                self._changed.notify_all()

    def _remember(self, scope: str, key: Hashable) -> None:
        with self._changed:
            self._keys[(scope, key)] = None
            self._keys.move_to_end((scope, key))
            while len(self._keys) > self.limit:
                self._keys.popitem(last=False)
            self._changed.notify_all()

    def taken_by_harness(self, scope: str, key: Hashable) -> bool:
        """True when the harness delivered this event itself; waits while calls in `scope` are in flight."""
        with self._changed:
            self._changed.wait_for(
                lambda: (scope, key) in self._keys or not self._in_flight.get(scope), self.wait_limit
            )
            return (scope, key) in self._keys

    def __len__(self) -> int:
        with self._changed:
            return len(self._keys)
