"""How execution threads wait: cancellable, on the harness clock, and counted so drain() knows when all is idle.

An execution is *active* while one of its threads does work (evaluates a state, waits for a Lambda). A
thread parked on the clock (a Wait state, a retry interval) or on its Parallel branches or Map iterations
is not active: `drain()` returns while an execution sleeps on a virtual clock, and `advance()` wakes it.
Whoever wakes a parked thread counts it active again *before* it runs, so the count never drops to
zero in between.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from harness.clock import Clock, VirtualClock

# How long a virtual-clock timer waits for the execution it woke to settle (park again or finish).
SETTLE_SECONDS = 30.0


class Activity:
    """A count of working threads, optionally rolled up into a parent count (the service's)."""

    def __init__(self, parent: Activity | None = None) -> None:
        self.parent = parent
        self._count = 0
        self._changed = threading.Condition()

    @property
    def count(self) -> int:
        """How many threads are working now."""
        with self._changed:
            return self._count

    def enter(self) -> None:
        """One more thread is working."""
        with self._changed:
            self._count += 1
        if self.parent is not None:
            self.parent.enter()

    def leave(self) -> None:
        """One thread stopped working (parked or finished)."""
        with self._changed:
            self._count -= 1
            self._changed.notify_all()
        if self.parent is not None:
            self.parent.leave()

    def wait_idle(self, timeout: float) -> bool:
        """Block until no thread works; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._count <= 0, timeout)


class Cancelled(Exception):
    """The scope a thread runs in was cancelled (execution stopped or timed out, sibling branch failed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Wakeup:
    """One wait that ends on the first of its sources: done, a timer, a cancellation."""

    def __init__(self, activity: Activity, *, parked: bool) -> None:
        self.activity = activity
        self.parked = parked
        self.reason: str | None = None
        self._event = threading.Event()
        self._lock = threading.Lock()

    def wake(self, reason: str) -> bool:
        """End the wait (only the first call counts); True if this call ended it."""
        with self._lock:
            if self.reason is not None:
                return False
            self.reason = reason
        if self.parked:
            self.activity.enter()  # on behalf of the parked thread, before it can run
        self._event.set()
        return True

    def wait(self) -> str:
        """Block until woken; return why."""
        if self.parked:
            self.activity.leave()
        self._event.wait()
        assert self.reason is not None
        return self.reason


class Scope:
    """A cancellable part of an execution: the whole run, a Parallel branch, a Map iteration."""

    def __init__(self, parent: Scope | None = None) -> None:
        self.reason: str | None = None
        self._listeners: set[Wakeup] = set()
        self._children: set[Scope] = set()
        self._lock = threading.Lock()
        if parent is not None:
            parent._adopt(self)

    def _adopt(self, child: Scope) -> None:
        with self._lock:
            if self.reason is None:
                self._children.add(child)
                return
        child.cancel(self.reason)

    def child(self) -> Scope:
        """A scope cancelled with this one."""
        return Scope(self)

    def cancel(self, reason: str) -> None:
        """Cancel this scope and its children; parked threads wake up and raise Cancelled."""
        with self._lock:
            if self.reason is not None:
                return
            self.reason = reason
            listeners, children = list(self._listeners), list(self._children)
        for wakeup in listeners:
            wakeup.wake("cancelled")
        for child in children:
            child.cancel(reason)

    def check(self) -> None:
        """Raise Cancelled if this scope was cancelled."""
        if self.reason is not None:
            raise Cancelled(self.reason)

    def wait(self, wakeup: Wakeup) -> str:
        """Wait for `wakeup`, ending early (with Cancelled) if this scope is cancelled."""
        with self._lock:
            cancelled = self.reason is not None
            if not cancelled:
                self._listeners.add(wakeup)
        if cancelled:
            wakeup.wake("cancelled")
        try:
            reason = wakeup.wait()
        finally:
            with self._lock:
                self._listeners.discard(wakeup)
        if reason == "cancelled":
            self.check()
        return reason


class Sleeper:
    """Parks execution threads on the harness clock."""

    def __init__(self, clock: Clock, activity: Activity) -> None:
        self.clock = clock
        self.activity = activity
        # A virtual clock runs timers in the thread that advances it: let each woken execution settle
        # before the clock moves on, so that one advance() runs a whole chain of Waits and retries.
        self._settle = isinstance(clock, VirtualClock)

    def timer(self, seconds: float, on_fire: Callable[[], None]) -> Callable[[], None]:
        """Call `on_fire` after `seconds` of clock time; return a function that cancels the timer."""

        def fire() -> None:
            on_fire()
            if self._settle:
                self.activity.wait_idle(SETTLE_SECONDS)

        handle = self.clock.call_later(max(0.0, seconds), fire)
        return handle.cancel

    def sleep(self, scope: Scope, seconds: float) -> None:
        """Park for `seconds` of clock time; raise Cancelled if the scope is cancelled meanwhile."""
        scope.check()
        if seconds <= 0:
            return
        wakeup = Wakeup(self.activity, parked=True)
        cancel_timer = self.timer(seconds, lambda: wakeup.wake("timer"))
        try:
            scope.wait(wakeup)
        finally:
            cancel_timer()
