"""Delivering one run: retries on the clock, the retry policy's two limits, permanent errors, dead letters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harness.clock import VirtualClock
from harness.scheduling.delivery import Delivery, RetryPolicy, Run, retry_delay
from harness.scheduling.targets import DeliveryFailed

START = datetime(2025, 1, 1, tzinfo=UTC)


class Target:
    """Fails the first `failures` attempts with `code`, then accepts; remembers attempt numbers and times."""

    def __init__(self, clock: VirtualClock, failures: int = 0, code: str = "TooManyRequestsException") -> None:
        self.clock = clock
        self.failures = failures
        self.code = code
        self.attempts: list[tuple[int, float]] = []

    def send(self, attempt: int) -> None:
        self.attempts.append((attempt, self.clock.time() - START.timestamp()))
        if len(self.attempts) <= self.failures:
            raise DeliveryFailed(self.code, "try again")


DEFAULT_POLICY = RetryPolicy()


def deliver(clock, target, policy=DEFAULT_POLICY, *, retry_missing_target=True, dead_letter=None) -> Run:
    run = Run("job", START, "arn:aws:lambda:us-east-1:123456789012:function:Job")
    finished: list[Run] = []
    Delivery(
        clock,
        run,
        target.send,
        policy,
        retry_missing_target=retry_missing_target,
        dead_letter=dead_letter,
        on_done=finished.append,
    ).start()
    clock.advance(hours=25)
    assert finished == [run]
    return run


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


def test_a_delivery_that_succeeds_is_made_once(clock):
    target = Target(clock)

    run = deliver(clock, target)

    assert (run.status, run.retries, target.attempts) == ("delivered", 0, [(1, 0.0)])


def test_retries_back_off_exponentially_from_a_minute_and_number_their_attempts(clock):
    target = Target(clock, failures=4)

    run = deliver(clock, target)

    assert run.status == "delivered"
    assert target.attempts == [(1, 0.0), (2, 60.0), (3, 180.0), (4, 420.0), (5, 900.0)]
    assert [retry_delay(n) for n in range(1, 8)] == [60, 120, 240, 480, 900, 900, 900]


def test_retries_stop_at_maximum_retry_attempts_and_the_run_is_dead_lettered(clock):
    target = Target(clock, failures=99)
    letters: list[DeliveryFailed] = []

    run = deliver(clock, target, RetryPolicy(maximum_retry_attempts=2), dead_letter=letters.append)

    assert len(target.attempts) == 3
    assert (run.status, run.retries, run.exhausted_condition) == ("dead-lettered", 2, "MaximumRetryAttempts")
    assert [letter.code for letter in letters] == ["TooManyRequestsException"]
    assert run.error == "TooManyRequestsException: try again"


def test_retries_stop_when_the_next_one_would_be_older_than_the_maximum_event_age(clock):
    target = Target(clock, failures=99)

    run = deliver(clock, target, RetryPolicy(maximum_event_age_seconds=200), dead_letter=lambda failure: None)

    assert [when for _, when in target.attempts] == [0.0, 60.0, 180.0]  # the next would be at 420 s
    assert run.exhausted_condition == "MaximumEventAgeInSeconds"


def test_zero_retries_means_one_attempt(clock):
    target = Target(clock, failures=99)

    run = deliver(clock, target, RetryPolicy(maximum_retry_attempts=0))

    assert (run.status, len(run.attempts), run.exhausted_condition) == ("dropped", 1, "MaximumRetryAttempts")


@pytest.mark.parametrize("code", ["ValidationException", "AccessDeniedException", "InvalidRequestContentException"])
def test_a_permanent_error_is_not_retried_and_has_no_exhausted_condition(clock, code):
    target = Target(clock, failures=99, code=code)

    run = deliver(clock, target, dead_letter=lambda failure: None)

    assert (run.status, len(run.attempts), run.exhausted_condition) == ("dead-lettered", 1, None)


def test_a_missing_target_is_retried_for_schedules_but_not_for_rules(clock):
    for retry_missing_target, attempts in ((True, 3), (False, 1)):
        target = Target(clock, failures=99, code="ResourceNotFoundException")

        run = deliver(clock, target, RetryPolicy(maximum_retry_attempts=2), retry_missing_target=retry_missing_target)

        assert len(run.attempts) == attempts


def test_a_dead_letter_queue_that_refuses_the_run_leaves_it_dropped_with_both_errors(clock):
    def refuse(failure: DeliveryFailed) -> None:
        raise DeliveryFailed("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")

    run = deliver(clock, Target(clock, failures=99), RetryPolicy(maximum_retry_attempts=0), dead_letter=refuse)

    assert run.status == "dropped"
    assert run.error == (
        "TooManyRequestsException: try again; the dead-letter queue refused it too: "
        "AWS.SimpleQueueService.NonExistentQueue: The specified queue does not exist."
    )


def test_an_unexpected_error_in_the_harness_is_reported_like_schedulers_own_errors(clock):
    def broken(attempt: int) -> None:
        raise RuntimeError("boom")

    run = Run("job", START, "arn")
    Delivery(clock, run, broken, RetryPolicy(maximum_retry_attempts=0), retry_missing_target=True).start()

    assert (
        run.error == "AWS.Scheduler.InternalServerError: Unexpected error occurred while processing the request: boom"
    )


def test_retry_policies_take_awss_defaults_for_missing_members():
    assert RetryPolicy.from_api(None) == RetryPolicy(185, 86400)
    assert RetryPolicy.from_api({"MaximumRetryAttempts": 2}) == RetryPolicy(2, 86400)
    assert RetryPolicy.from_api({"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600}) == RetryPolicy(2, 3600)
