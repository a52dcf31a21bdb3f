"""When a schedule runs: its expression, in its time zone, between its start and end dates.

Daylight saving time follows EventBridge Scheduler's documentation: a cron run whose wall-clock time does
not exist (the hour skipped in spring) is skipped, a wall-clock time that happens twice (the hour
repeated in autumn) runs once, and a rate is an absolute duration (`rate(1 day)` is every 24 hours).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from harness.scheduling.expressions import AtExpression, CronSchedule, RateExpression, ScheduleExpression


def wall_to_instant(wall: datetime, zone: tzinfo) -> datetime | None:
    """The UTC instant of a wall-clock time in `zone`: the first of two, None if the time does not exist."""
    aware = wall.replace(tzinfo=zone, fold=0)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall.replace(tzinfo=None, fold=0):
        return None
    return aware.astimezone(UTC)


def _next_whole_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


@dataclass(frozen=True)
class Recurrence:
    """The runs of one schedule; `first(anchor)` and `after(previous)` walk through them.

    `anchor` is when the schedule was created or last changed. A rate schedule with no start date starts
    at once when `runs_at_start`, as EventBridge Scheduler documents, at the first whole minute after its
    anchor (Scheduler's precision is one minute); otherwise (classic scheduled rules) one period after it.

    Example:
        >>> from harness.scheduling.expressions import parse_schedule_expression
        >>> runs = Recurrence(parse_schedule_expression("rate(5 minutes)"), runs_at_start=False)
        >>> runs.first(datetime(2025, 1, 1, 0, 0, 30, tzinfo=UTC)).isoformat()
        '2025-01-01T00:05:30+00:00'
    """

    expression: ScheduleExpression
    timezone: tzinfo = UTC
    start: datetime | None = None
    end: datetime | None = None
    runs_at_start: bool = True

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"the {name} date of a recurrence must carry a time zone, got {value.isoformat()}")

    @property
    def one_time(self) -> bool:
        """True for an `at(...)` schedule."""
        return isinstance(self.expression, AtExpression)

    def first(self, anchor: datetime) -> datetime | None:
        """The first run at or after `anchor`, or None if the schedule never runs again."""
        expression = self.expression
        if isinstance(expression, AtExpression):  # one-time schedules ignore the start and end dates
            when = wall_to_instant(expression.when, self.timezone)
            if when is None:  # a wall-clock time inside a DST gap: the same instant as its standard-time reading
                when = expression.when.replace(tzinfo=self.timezone).astimezone(UTC)
            return when if when >= anchor else None
        if isinstance(expression, RateExpression):
            return self._bounded(self._first_rate(expression, anchor))
        lower = max(anchor, self.start) if self.start else anchor
        return self._bounded(self._cron_from(expression, lower, inclusive=True))

    def after(self, previous: datetime) -> datetime | None:
        """The run that follows the run at `previous`, or None."""
        expression = self.expression
        if isinstance(expression, AtExpression):
            return None
        if isinstance(expression, RateExpression):
            return self._bounded(previous + expression.period)
        return self._bounded(self._cron_from(expression, previous, inclusive=False))

    def _first_rate(self, expression: RateExpression, anchor: datetime) -> datetime:
        period = expression.period
        if self.start is None:
            if self.runs_at_start:
                return _next_whole_minute(anchor)
            return anchor + period
        return self.start + max(0, math.ceil((anchor - self.start) / period)) * period

    def _cron_from(self, expression: CronSchedule, lower: datetime, *, inclusive: bool) -> datetime | None:
        wall = expression.cron.next_local(lower.astimezone(self.timezone), inclusive=inclusive)
        while wall is not None:
            instant = wall_to_instant(wall, self.timezone)
            if instant is not None and (instant > lower or (inclusive and instant == lower)):
                return instant
            wall = expression.cron.next_local(wall)
        return None

    def _bounded(self, when: datetime | None) -> datetime | None:
        if when is None or (self.end is not None and when > self.end):
            return None
        return when
