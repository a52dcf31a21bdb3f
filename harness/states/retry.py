"""Retry and Catch: which retrier or catcher handles an error, and how long a retry waits."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from harness.states.errors import StatesError, error_matches

DEFAULT_INTERVAL_SECONDS = 1.0
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_BACKOFF_RATE = 2.0


@dataclass(frozen=True)
class Retrier:
    """One entry of a state's Retry field, with the specification's defaults."""

    error_equals: tuple[str, ...]
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_rate: float = DEFAULT_BACKOFF_RATE
    max_delay_seconds: float | None = None
    jitter: bool = False

    @classmethod
    def from_definition(cls, retrier: dict[str, Any]) -> Retrier:
        """A retrier from its (already validated) definition."""
        return cls(
            error_equals=tuple(retrier["ErrorEquals"]),
            interval_seconds=float(retrier.get("IntervalSeconds", DEFAULT_INTERVAL_SECONDS)),
            max_attempts=int(retrier.get("MaxAttempts", DEFAULT_MAX_ATTEMPTS)),
            backoff_rate=float(retrier.get("BackoffRate", DEFAULT_BACKOFF_RATE)),
            max_delay_seconds=retrier.get("MaxDelaySeconds"),
            jitter=retrier.get("JitterStrategy", "NONE") == "FULL",
        )

    def delay(self, retries_so_far: int, rng: random.Random) -> float:
        """Seconds before the next attempt, after `retries_so_far` retries by this retrier."""
        seconds = self.interval_seconds * self.backoff_rate**retries_so_far
        if self.max_delay_seconds is not None:
            seconds = min(seconds, float(self.max_delay_seconds))
        if self.jitter:
            seconds = rng.uniform(0.0, seconds)
        return seconds


class RetryBudget:
    """The retries left for one entry into a state: each retrier counts its own attempts."""

    def __init__(self, retriers: list[dict[str, Any]] | None, rng: random.Random) -> None:
        self.retriers = [Retrier.from_definition(r) for r in retriers or []]
        self.used = [0] * len(self.retriers)
        self.rng = rng

    @property
    def total(self) -> int:
        """Retries made so far ($$.State.RetryCount)."""
        return sum(self.used)

    def next_delay(self, error: StatesError) -> float | None:
        """Seconds to wait before retrying `error`, or None when no retrier takes it (or it is spent).

        Only the first retrier whose ErrorEquals matches applies, as the specification says.
        """
        for index, retrier in enumerate(self.retriers):
            if error_matches(list(retrier.error_equals), error.error):
                if self.used[index] >= retrier.max_attempts:
                    return None
                delay = retrier.delay(self.used[index], self.rng)
                self.used[index] += 1
                return delay
        return None


def find_catcher(catchers: list[dict[str, Any]] | None, error: StatesError) -> dict[str, Any] | None:
    """The first Catch entry whose ErrorEquals matches, or None."""
    for catcher in catchers or []:
        if error_matches(catcher["ErrorEquals"], error.error):
            return catcher
    return None


def error_output(error: StatesError) -> dict[str, str]:
    """The error output a catcher passes on: {"Error": ..., "Cause": ...} (an absent cause is "")."""
    return {"Error": error.error, "Cause": error.cause}
