"""Clock hooks: services sync before a virtual clock moves, and settle after each of its timers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from harness.clock import VirtualClock, WallClock

START = datetime(2025, 1, 1, tzinfo=UTC)


def test_before_advance_hooks_run_first_and_can_arm_timers_that_fall_due_in_that_advance():
    clock = VirtualClock(START)
    fired: list[float] = []

    def sync() -> None:
        if not fired:
            clock.call_later(60, lambda: fired.append(clock.time() - START.timestamp()))

    clock.before_advance(sync)
    clock.advance(minutes=5)

    assert fired == [60.0]


def test_after_each_timer_hooks_run_at_the_timers_time_before_the_clock_moves_on():
    clock = VirtualClock(START)
    seen: list[tuple[str, float]] = []
    clock.after_each_timer(lambda: seen.append(("settled", clock.time() - START.timestamp())))
    clock.call_later(30, lambda: seen.append(("timer", clock.time() - START.timestamp())))
    clock.call_later(90, lambda: seen.append(("timer", clock.time() - START.timestamp())))

    clock.advance(minutes=2)

    assert seen == [("timer", 30.0), ("settled", 30.0), ("timer", 90.0), ("settled", 90.0)]


def test_a_timer_scheduled_by_background_work_lands_at_the_right_time_when_the_hook_waits_for_it():
    clock = VirtualClock(START)
    done = threading.Event()
    retried: list[float] = []

    def background_failure() -> None:  # like an asynchronous invocation that fails and asks for a retry
        clock.call_later(60, lambda: retried.append(clock.time() - START.timestamp()))
        done.set()

    clock.after_each_timer(lambda: done.wait(5))
    clock.call_later(10, lambda: threading.Thread(target=background_failure).start())
    clock.advance(minutes=5)

    assert retried == [70.0]


def test_removing_a_hook_stops_it():
    clock = VirtualClock(START)
    calls: list[str] = []
    remove = clock.before_advance(lambda: calls.append("sync"))

    clock.advance(1)
    remove()
    remove()  # removing twice is harmless
    clock.advance(1)

    assert calls == ["sync"]


def test_the_wall_clock_never_runs_settle_hooks():
    clock = WallClock()
    ran = threading.Event()
    settled: list[str] = []
    try:
        clock.after_each_timer(lambda: settled.append("settled"))
        clock.call_later(0, ran.set)
        assert ran.wait(5)
    finally:
        clock.stop()

    assert settled == []
