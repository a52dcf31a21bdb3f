"""Where a run lands inside its schedule's flexible time window: random, but repeatable."""

from __future__ import annotations

import random
from datetime import datetime


def flexible_delay(seed: int | str, schedule_arn: str, scheduled: datetime, window_minutes: int) -> float:
    """Seconds after `scheduled` at which the run starts: in [0, window), the same for the same inputs.

    Example:
        >>> from datetime import UTC
        >>> when = datetime(2025, 1, 1, tzinfo=UTC)
        >>> flexible_delay(0, "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s", when, 15) < 900
        True
    """
    if window_minutes <= 0:
        return 0.0
    chooser = random.Random(f"{seed}|{schedule_arn}|{scheduled.isoformat()}")
    return chooser.uniform(0.0, window_minutes * 60.0)
