"""Time the harness owns: a virtual clock a test advances, or the wall clock for interactive use."""

from __future__ import annotations

import bisect
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


@dataclass(order=True)
class Timer:
    """A callback due at `when` (epoch seconds); cancel() stops it from running."""

    when: float
    order: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        """Do not run this timer."""
        self.cancelled = True


class Clock:
    """Common timer bookkeeping for both clocks, and hooks for services that keep their own timers."""

    def __init__(self) -> None:
        self._timers: list[Timer] = []
        self._order = itertools.count()
        self._lock = threading.RLock()
        self._before_advance: list[Callable[[], None]] = []
        self._after_timer: list[Callable[[], None]] = []

    def before_advance(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Run `hook` each time a virtual clock is about to move forward; return a function that removes it.

        A service whose timers mirror state held elsewhere (schedules stored on the backend) syncs here,
        so that what was created before the move fires during it.
        """
        return _subscribe(self._before_advance, hook)

    def after_each_timer(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Run `hook` after every timer of a virtual clock, before time moves on; return its remover.

        This lets work a timer started in the background (an asynchronous invocation) finish at the
        timer's time, so whatever it schedules in turn lands at the right time. Real time does not wait,
        so the wall clock never runs these hooks.
        """
        return _subscribe(self._after_timer, hook)

    def _run_hooks(self, hooks: list[Callable[[], None]]) -> None:
        for hook in list(hooks):
            hook()

    def time(self) -> float:
        """Seconds since the epoch, as this clock sees them."""
        raise NotImplementedError

    def now(self) -> datetime:
        """The current time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), UTC)

    def reading_at(self, real_epoch: float) -> float:
        """What this clock read at a real moment, e.g. when the emulator stamped a record's arrival."""
        return real_epoch

    def call_at(self, when: float, callback: Callable[[], None]) -> Timer:
        """Run `callback` when the clock reaches `when` (epoch seconds)."""
        timer = Timer(when, next(self._order), callback)
        with self._lock:
            heapq.heappush(self._timers, timer)
        self._timers_changed()
        return timer

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        """Run `callback` `delay` seconds from now."""
        return self.call_at(self.time() + delay, callback)

    def pending(self) -> int:
        """How many timers have not run yet."""
        with self._lock:
            return sum(1 for t in self._timers if not t.cancelled)

    def _pop_due(self, until: float) -> Timer | None:
        with self._lock:
            while self._timers and self._timers[0].cancelled:
                heapq.heappop(self._timers)
            if self._timers and self._timers[0].when <= until:
                return heapq.heappop(self._timers)
            return None

    def _timers_changed(self) -> None:
        pass


def _subscribe(hooks: list[Callable[[], None]], hook: Callable[[], None]) -> Callable[[], None]:
    hooks.append(hook)

    def remove() -> None:
        if hook in hooks:
            hooks.remove(hook)

    return remove


class VirtualClock(Clock):
    """A clock that only moves when told: `advance(minutes=15)` runs every timer due on the way.

    Example:
        >>> clock = VirtualClock(datetime(2025, 1, 1, tzinfo=UTC))
        >>> fired = []
        >>> _ = clock.call_later(300, lambda: fired.append(clock.now().minute))
        >>> clock.advance(minutes=15)
        >>> fired
        [5]
    """

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__()
        self._now = (start or datetime.now(UTC)).timestamp()
        # (real time, virtual time) at each move, to translate real stamps (an arrival on a stream).
        self._moves: list[tuple[float, float]] = [(time.time(), self._now)]

    def time(self) -> float:
        """The virtual time."""
        return self._now

    def _move_to(self, when: float) -> None:
        self._now = when
        self._moves.append((time.time(), when))

    def reading_at(self, real_epoch: float) -> float:
        """The virtual time at a real moment: the reading of the clock's last move before it."""
        index = bisect.bisect_right(self._moves, (real_epoch, float("inf"))) - 1
        return self._moves[max(index, 0)][1]

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """Move time forward, running due timers in order with the clock set to each one's time."""
        step = seconds + timedelta(**delta).total_seconds()
        if step < 0:
            raise ValueError(f"a clock only moves forward; got {step} seconds")
        self._run_hooks(self._before_advance)
        target = self._now + step
        while (timer := self._pop_due(target)) is not None:
            if timer.when > self._now:
                self._move_to(timer.when)
            timer.callback()
            self._run_hooks(self._after_timer)
        self._move_to(target)

    def set(self, when: datetime) -> None:
        """Advance to an absolute time."""
        self.advance(when.timestamp() - self._now)


class WallClock(Clock):
    """Real time; a background thread runs timers when they fall due."""

    def __init__(self) -> None:
        super().__init__()
        self._wake = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="harness-clock", daemon=True)
        self._thread.start()

    def time(self) -> float:
        """The real time."""
        return time.time()

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """Real time cannot be advanced."""
        raise TypeError("the wall clock cannot be advanced; use a VirtualClock in tests")

    def _timers_changed(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stopped:
            while (timer := self._pop_due(time.time())) is not None:
                try:
                    timer.callback()
                except Exception as exc:  # a failing timer must not stop the others
                    print(f"harness clock: timer failed: {exc!r}")
            with self._lock:
                upcoming = next((t.when for t in sorted(self._timers) if not t.cancelled), None)
            wait = 1.0 if upcoming is None else max(0.0, min(1.0, upcoming - time.time()))
            self._wake.wait(wait)
            self._wake.clear()

    def stop(self) -> None:
        """Stop the timer thread."""
        self._stopped = True
        self._wake.set()
