"""Schedule expressions as AWS accepts them: `rate(...)`, six-field `cron(...)` and one-time `at(...)`.

EventBridge Scheduler takes all three, with either `minute` or `minutes` whatever the value; classic
EventBridge rules take only rate and cron, and want the singular unit for 1 and the plural otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from harness.scheduling.cron import CronExpression, CronSyntaxError

_UNITS = {"minute": 60, "minutes": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400}
_RATE = re.compile(r"^rate\(\s*(?P<value>[^\s()]+)\s+(?P<unit>[^\s()]+)\s*\)$")
_AT = re.compile(r"^at\((?P<when>[^()]*)\)$")
_AT_FORMAT = "%Y-%m-%dT%H:%M:%S"
_AT_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
_CRON = re.compile(r"^cron\((?P<fields>[^()]*)\)$")


class ScheduleExpressionError(ValueError):
    """An expression AWS would refuse; the message quotes it and says what is wrong."""


class InvalidTimezone(ValueError):
    """A ScheduleExpressionTimezone that is not an IANA time zone name."""


@dataclass(frozen=True)
class RateExpression:
    """`rate(value unit)`: every `period`, as an absolute duration (a day is 24 hours, DST or not)."""

    text: str
    value: int
    unit: str

    @property
    def period(self) -> timedelta:
        """The time between two runs."""
        return timedelta(seconds=self.value * _UNITS[self.unit])


@dataclass(frozen=True)
class AtExpression:
    """`at(yyyy-mm-ddThh:mm:ss)`: one run at a wall-clock time of the schedule's time zone."""

    text: str
    when: datetime  # naive: wall-clock time in the schedule's time zone


@dataclass(frozen=True)
class CronSchedule:
    """`cron(fields)`: the runs of an AWS six-field cron expression."""

    text: str
    cron: CronExpression


ScheduleExpression = RateExpression | CronSchedule | AtExpression
_Refusal = Callable[[str], ScheduleExpressionError]


def parse_schedule_expression(text: str) -> ScheduleExpression:
    """Parse an EventBridge Scheduler expression; ScheduleExpressionError says what AWS would refuse.

    Example:
        >>> parse_schedule_expression("rate(5 minutes)").period
        datetime.timedelta(seconds=300)
    """
    return _parse(text, one_time_allowed=True, strict_units=False, prefix="Invalid Schedule Expression")


def parse_rule_schedule_expression(text: str) -> RateExpression | CronSchedule:
    """Parse a classic EventBridge rule's ScheduleExpression (rate or cron, strict singular/plural units)."""
    parsed = _parse(
        text, one_time_allowed=False, strict_units=True, prefix="Parameter ScheduleExpression is not valid:"
    )
    assert not isinstance(parsed, AtExpression)
    return parsed


def parse_timezone(name: str | None) -> tzinfo:
    """The time zone a schedule's expression is evaluated in (UTC when none is given)."""
    if name is None or name == "":
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidTimezone(
            f"Invalid ScheduleExpressionTimezone {name!r}: not an IANA time zone name such as 'UTC' or 'Europe/Paris'"
        ) from None


def _parse(text: str, *, one_time_allowed: bool, strict_units: bool, prefix: str) -> ScheduleExpression:
    def refuse(reason: str) -> ScheduleExpressionError:
        return ScheduleExpressionError(f"{prefix} {text!r}: {reason}")

    if not isinstance(text, str) or not text:
        raise ScheduleExpressionError(f"{prefix}: the expression is empty")
    if text.startswith("rate("):
        return _rate(text, strict_units, refuse)
    if text.startswith("cron("):
        match = _CRON.match(text)
        if not match:
            raise refuse("expected cron(minutes hours day-of-month month day-of-week year)")
        try:
            return CronSchedule(text, CronExpression.parse(match.group("fields")))
        except CronSyntaxError as exc:
            raise refuse(str(exc)) from None
    if text.startswith("at(") and one_time_allowed:
        return _at(text, refuse)
    kinds = "at(...), rate(...) or cron(...)" if one_time_allowed else "rate(...) or cron(...)"
    raise refuse(f"an expression is {kinds}")


_LONGEST_RATE_SECONDS = 1000 * 366 * 86400


def _rate(text: str, strict_units: bool, refuse: _Refusal) -> RateExpression:
    match = _RATE.match(text)
    if not match:
        raise refuse("expected rate(value unit), e.g. rate(5 minutes)")
    value_text, unit = match.group("value"), match.group("unit")
    if not value_text.isdigit() or int(value_text) == 0:
        raise refuse(f"the value {value_text!r} must be a positive whole number")
    if unit not in _UNITS:
        raise refuse(f"the unit {unit!r} must be one of minute, minutes, hour, hours, day, days")
    value = int(value_text)
    if value * _UNITS[unit] > _LONGEST_RATE_SECONDS:
        # Nothing documents a largest rate; a period no calendar date can hold would be stored and never run.
        raise refuse(f"a rate of {value} {unit} is longer than a schedule can wait (at most 1000 years)")
    if strict_units and (value == 1) == unit.endswith("s"):
        wanted = unit.rstrip("s") if value == 1 else unit + "s"
        raise refuse(f"a rate of {value} needs the {'singular' if value == 1 else 'plural'} unit {wanted!r}")
    return RateExpression(text, value, unit)


def _at(text: str, refuse: _Refusal) -> AtExpression:
    match = _AT.match(text)
    when_text = match.group("when") if match else ""
    if not _AT_SHAPE.match(when_text):
        raise refuse("expected at(yyyy-mm-ddThh:mm:ss), e.g. at(2025-11-20T13:00:00)")
    try:
        when = datetime.strptime(when_text, _AT_FORMAT)
    except ValueError:
        raise refuse(f"{when_text} is not a real date and time") from None
    return AtExpression(text, when)
