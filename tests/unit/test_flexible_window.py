"""Where a run lands in its flexible window: inside it, spread out, and the same for the same seed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from harness.scheduling.flexible_window import flexible_delay

ARN = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/Job"
START = datetime(2025, 1, 1, tzinfo=UTC)


def test_delays_fall_inside_the_window_and_spread_across_it():
    delays = [flexible_delay(0, ARN, START + timedelta(minutes=m), 15) for m in range(0, 1000, 10)]

    assert all(0 <= delay < 900 for delay in delays)
    assert min(delays) < 150 and max(delays) > 750


def test_the_same_seed_schedule_and_time_give_the_same_delay():
    assert flexible_delay(7, ARN, START, 60) == flexible_delay(7, ARN, START, 60)
    assert flexible_delay(7, ARN, START, 60) != flexible_delay(8, ARN, START, 60)
    assert flexible_delay(7, ARN, START, 60) != flexible_delay(7, ARN + "2", START, 60)


def test_no_window_means_no_delay():
    assert flexible_delay(0, ARN, START, 0) == 0.0
