"""A rule target's RetryPolicy: how often and for how long EventBridge retries a failed delivery."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIRST_DELAY = 1.0  # seconds before the first retry; each further retry waits twice as long ...
MAX_DELAY = 300.0  # ... up to five minutes (EventBridge backs off exponentially; without jitter here)


@dataclass(frozen=True)
class RetryPolicy:
    """EventBridge's defaults: 185 retries within 24 hours."""

    maximum_retry_attempts: int = 185
    maximum_event_age_in_seconds: int = 86400

    def validate(self, owner: str) -> None:
        """Raise ValueError naming `owner` when a limit is outside what EventBridge accepts."""
        attempts, age = self.maximum_retry_attempts, self.maximum_event_age_in_seconds
        if isinstance(attempts, bool) or not isinstance(attempts, int) or not 0 <= attempts <= 185:
            raise ValueError(f"{owner}: RetryPolicy.MaximumRetryAttempts must be 0..185, got {attempts!r}")
        if isinstance(age, bool) or not isinstance(age, int) or not 60 <= age <= 86400:
            raise ValueError(f"{owner}: RetryPolicy.MaximumEventAgeInSeconds must be 60..86400, got {age!r}")

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1 for the first)."""
        return min(MAX_DELAY, FIRST_DELAY * 2 ** (retry - 1))

    def as_target_field(self) -> dict[str, Any]:
        """The PutTargets RetryPolicy field."""
        return {
            "MaximumRetryAttempts": self.maximum_retry_attempts,
            "MaximumEventAgeInSeconds": self.maximum_event_age_in_seconds,
        }
