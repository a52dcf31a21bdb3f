"""VirtualClock and WallClock: timer order, rescheduling, cancellation and refusals."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from harness.clock import VirtualClock, WallClock

START = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


def test_virtual_clock_starts_at_the_given_time(clock: VirtualClock) -> None:
    assert clock.now() == START
    assert clock.time() == START.timestamp()


def test_advance_runs_timers_in_time_order_with_now_at_each_timer(clock: VirtualClock) -> None:
    seen: list[tuple[str, datetime]] = []
    clock.call_later(300, lambda: seen.append(("b", clock.now())))
    clock.call_later(60, lambda: seen.append(("a", clock.now())))
    clock.call_later(600, lambda: seen.append(("c", clock.now())))

    clock.advance(minutes=15)

    assert seen == [
        ("a", START + timedelta(minutes=1)),
        ("b", START + timedelta(minutes=5)),
        ("c", START + timedelta(minutes=10)),
    ]
    assert clock.now() == START + timedelta(minutes=15)


def test_timers_due_at_the_same_time_run_in_scheduling_order(clock: VirtualClock) -> None:
    seen: list[int] = []
    for index in range(5):
        clock.call_later(10, lambda index=index: seen.append(index))

    clock.advance(10)

    assert seen == [0, 1, 2, 3, 4]


def test_timers_beyond_the_target_wait_for_a_later_advance(clock: VirtualClock) -> None:
    fired: list[datetime] = []
    clock.call_later(120, lambda: fired.append(clock.now()))

    clock.advance(60)
    assert fired == []
    assert clock.pending() == 1

    clock.advance(60)
    assert fired == [START + timedelta(minutes=2)]
    assert clock.pending() == 0


def test_a_callback_that_reschedules_itself_fires_three_times_in_fifteen_minutes(clock: VirtualClock) -> None:
    fired: list[datetime] = []

    def every_five_minutes() -> None:
        fired.append(clock.now())
        clock.call_later(300, every_five_minutes)

    clock.call_later(300, every_five_minutes)
    clock.advance(minutes=15)

    assert fired == [START + timedelta(minutes=m) for m in (5, 10, 15)]
    assert clock.pending() == 1  # the next run, at minute 20


def test_rescheduled_timers_keep_firing_across_several_advances(clock: VirtualClock) -> None:
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        clock.call_later(300, tick)

    clock.call_later(300, tick)
    for _ in range(3):
        clock.advance(minutes=5)

    assert count == 3


def test_cancelled_timer_does_not_run(clock: VirtualClock) -> None:
    fired: list[str] = []
    keep = clock.call_later(10, lambda: fired.append("kept"))
    dropped = clock.call_later(5, lambda: fired.append("dropped"))

    dropped.cancel()
    assert clock.pending() == 1

    clock.advance(60)
    assert fired == ["kept"]
    assert not keep.cancelled


def test_call_at_uses_an_absolute_time(clock: VirtualClock) -> None:
    fired: list[datetime] = []
    when = START + timedelta(hours=1)
    clock.call_at(when.timestamp(), lambda: fired.append(clock.now()))

    clock.advance(hours=2)

    assert fired == [when]


def test_advance_adds_seconds_and_keyword_deltas(clock: VirtualClock) -> None:
    clock.advance(30, minutes=1, hours=1)

    assert clock.now() == START + timedelta(hours=1, minutes=1, seconds=30)


def test_negative_advance_is_refused_with_a_clear_message(clock: VirtualClock) -> None:
    with pytest.raises(ValueError, match=r"only moves forward; got -60(\.0)? seconds"):
        clock.advance(minutes=-1)

    assert clock.now() == START


def test_set_moves_to_an_absolute_time_running_due_timers(clock: VirtualClock) -> None:
    fired: list[datetime] = []
    clock.call_later(600, lambda: fired.append(clock.now()))
    target = START + timedelta(minutes=30)

    clock.set(target)

    assert clock.now() == target
    assert fired == [START + timedelta(minutes=10)]


def test_set_to_an_earlier_time_is_refused(clock: VirtualClock) -> None:
    with pytest.raises(ValueError, match="only moves forward"):
        clock.set(START - timedelta(seconds=1))


def test_wall_clock_cannot_be_advanced() -> None:
    clock = WallClock()
    try:
        with pytest.raises(TypeError, match="cannot be advanced"):
            clock.advance(1)
    finally:
        clock.stop()


def test_wall_clock_runs_a_timer_that_is_due_now() -> None:
    clock = WallClock()
    fired = threading.Event()
    try:
        clock.call_later(0, fired.set)
        assert fired.wait(timeout=5), "the wall clock never ran a timer that was due immediately"
    finally:
        clock.stop()
