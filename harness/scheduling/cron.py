"""AWS's six-field cron expressions (minutes hours day-of-month month day-of-week year) on local wall time.

The syntax is the one EventBridge Scheduler and scheduled rules document: `, - * /` in every field, `?` in
day-of-month or day-of-week (exactly one of them), `L` and `W` in day-of-month (`L`, `LW`, `L-3`, `15W`),
`L` and `#` in day-of-week (`L` is Saturday, `6L` the month's last Friday, `2#1` its first Monday).
Day-of-week counts 1-7 from Sunday. Ranges of minutes, hours, months and weekdays may wrap (`FRI-MON`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
WEEKDAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
FIRST_YEAR, LAST_YEAR = 1970, 2199


class CronSyntaxError(ValueError):
    """A cron expression AWS would refuse; the message names the field and what is wrong with it."""


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    wraps: bool = False

    def value(self, token: str, item: str) -> int:
        """One number or name of this field, range-checked."""
        upper = token.upper()
        if upper in self.names:
            return self.names.index(upper) + self.low
        if not token.isdigit():
            raise CronSyntaxError(f"{self.name} value {token!r} in {item!r} is not a number{self._name_hint()}")
        number = int(token)
        if not self.low <= number <= self.high:
            raise CronSyntaxError(f"{self.name} value {number} is out of range {self.low}-{self.high}")
        return number

    def _name_hint(self) -> str:
        return f" or one of {'/'.join(self.names)}" if self.names else ""


MINUTES = _Field("minutes", 0, 59, wraps=True)
HOURS = _Field("hours", 0, 23, wraps=True)
DAY_OF_MONTH = _Field("day-of-month", 1, 31)
MONTH = _Field("month", 1, 12, MONTH_NAMES, wraps=True)
DAY_OF_WEEK = _Field("day-of-week", 1, 7, WEEKDAY_NAMES, wraps=True)
YEAR = _Field("year", FIRST_YEAR, LAST_YEAR)


def _values(field: _Field, text: str) -> tuple[int, ...]:
    """The sorted values a field of `, - * /` items selects."""
    if not text:
        raise CronSyntaxError(f"{field.name} field is empty")
    selected: set[int] = set()
    for item in text.split(","):
        selected.update(_item_values(field, item))
    return tuple(sorted(selected))


def _item_values(field: _Field, item: str) -> list[int]:
    base, slash, step_text = item.partition("/")
    step = 1
    if slash:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronSyntaxError(f"step {step_text!r} in {field.name} item {item!r} must be a positive whole number")
        step = int(step_text)
        if step > field.high - field.low + 1:
            raise CronSyntaxError(
                f"step {step} in {field.name} item {item!r} is larger than the field's range {field.low}-{field.high}"
            )
    if base == "*":
        first, last = field.low, field.high
    elif "-" in base:
        start_text, _, end_text = base.partition("-")
        first, last = field.value(start_text, item), field.value(end_text, item)
        if last < first and not field.wraps:
            raise CronSyntaxError(f"{field.name} range {base!r} runs backwards")
    elif base:
        first = field.value(base, item)
        last = field.high if slash else first
    else:
        raise CronSyntaxError(f"{field.name} item {item!r} has no value")
    span = last - first if last >= first else last - first + field.high - field.low + 1
    cycle = field.high - field.low + 1
    return [field.low + (first - field.low + offset) % cycle for offset in range(0, span + 1, step)]


@dataclass(frozen=True)
class DayOfMonth:
    """Which days of a month the day-of-month field selects."""

    days: tuple[int, ...] = ()
    last: bool = False
    last_offset: int = 0  # L-3: three days before the last day
    last_weekday: bool = False  # LW
    nearest_weekday: int | None = None  # 15W

    def days_in(self, year: int, month: int) -> set[int]:
        """The selected days of one month."""
        length = calendar.monthrange(year, month)[1]
        if self.last:
            day = length - self.last_offset
            return {day} if day >= 1 else set()
        if self.last_weekday:
            return {_weekday_on_or_before(year, month, length)}
        if self.nearest_weekday is not None:
            return _nearest_weekday(year, month, self.nearest_weekday, length)
        return {day for day in self.days if day <= length}


@dataclass(frozen=True)
class DayOfWeek:
    """Which days of a month the day-of-week field selects (weekdays count 1-7 from Sunday)."""

    weekdays: tuple[int, ...] = ()
    last_of: int | None = None  # 6L: the last Friday
    nth: tuple[int, int] | None = None  # (2, 1) from 2#1: the first Monday

    def days_in(self, year: int, month: int) -> set[int]:
        """The selected days of one month."""
        length = calendar.monthrange(year, month)[1]
        by_weekday: dict[int, list[int]] = {}
        for day in range(1, length + 1):
            by_weekday.setdefault(aws_weekday(date(year, month, day)), []).append(day)
        if self.last_of is not None:
            return {by_weekday[self.last_of][-1]}
        if self.nth is not None:
            weekday, ordinal = self.nth
            days = by_weekday[weekday]
            return {days[ordinal - 1]} if ordinal <= len(days) else set()
        return {day for weekday in self.weekdays for day in by_weekday.get(weekday, [])}


def aws_weekday(day: date) -> int:
    """The day of the week as AWS cron counts it: 1 is Sunday, 7 is Saturday."""
    return (day.weekday() + 1) % 7 + 1


def _weekday_on_or_before(year: int, month: int, day: int) -> int:
    while date(year, month, day).weekday() >= 5:
        day -= 1
    return day


def _nearest_weekday(year: int, month: int, day: int, length: int) -> set[int]:
    """The weekday nearest to `day` without leaving the month (Quartz's `W`)."""
    if day > length:
        return set()
    weekday = date(year, month, day).weekday()
    if weekday == 5:  # Saturday: the Friday before, or the Monday after on the 1st
        return {day - 1 if day > 1 else day + 2}
    if weekday == 6:  # Sunday: the Monday after, or the Friday before at the month's end
        return {day + 1 if day < length else day - 2}
    return {day}


_LAST_OFFSET = re.compile(r"^L-(\d+)$")
_NEAREST = re.compile(r"^(\d+)W$")
_NTH = re.compile(r"^([A-Za-z0-9]+)#(\d+)$")
_LAST_OF = re.compile(r"^([A-Za-z0-9]+)L$")


def _day_of_month(text: str) -> DayOfMonth:
    upper = text.upper()
    if upper == "L":
        return DayOfMonth(last=True)
    if upper == "LW":
        return DayOfMonth(last_weekday=True)
    if match := _LAST_OFFSET.match(upper):
        offset = int(match.group(1))
        if not 1 <= offset <= 30:
            raise CronSyntaxError(f"day-of-month {text!r}: the offset from the last day must be 1-30")
        return DayOfMonth(last=True, last_offset=offset)
    if match := _NEAREST.match(upper):
        return DayOfMonth(nearest_weekday=DAY_OF_MONTH.value(match.group(1), text))
    if any(mark in upper for mark in ("L", "W")):
        raise CronSyntaxError(
            f"day-of-month {text!r}: L and W stand alone (L, LW, L-3, 15W), never in a list, range or step"
        )
    return DayOfMonth(days=_values(DAY_OF_MONTH, text))


def _day_of_week(text: str) -> DayOfWeek:
    upper = text.upper()
    if upper == "L":
        return DayOfWeek(weekdays=(7,))
    if match := _NTH.match(upper):
        weekday = DAY_OF_WEEK.value(match.group(1), text)
        ordinal = int(match.group(2))
        if not 1 <= ordinal <= 5:
            raise CronSyntaxError(f"day-of-week {text!r}: the week of the month after # must be 1-5")
        return DayOfWeek(nth=(weekday, ordinal))
    if match := _LAST_OF.match(upper):
        return DayOfWeek(last_of=DAY_OF_WEEK.value(match.group(1), text))
    if "#" in upper or (upper.endswith("L") and upper not in WEEKDAY_NAMES):
        raise CronSyntaxError(f"day-of-week {text!r}: L and # stand alone (L, 6L, FRIL, 2#1), never in a list or range")
    return DayOfWeek(weekdays=_values(DAY_OF_WEEK, text))


@dataclass(frozen=True)
class CronExpression:
    """A parsed AWS cron expression; `next_local` finds its next wall-clock time."""

    text: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    day_of_month: DayOfMonth | None  # None where the field is `?`
    months: tuple[int, ...]
    day_of_week: DayOfWeek | None
    years: tuple[int, ...]

    @classmethod
    def parse(cls, fields_text: str) -> CronExpression:
        """Parse the six fields inside `cron(...)`; CronSyntaxError says what AWS would refuse."""
        fields = fields_text.split()
        if len(fields) != 6:
            raise CronSyntaxError(
                f"a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got {len(fields)}"
            )
        minute, hour, dom, month, dow, year = fields
        if dom == "?" and dow == "?":
            raise CronSyntaxError("only one of day-of-month and day-of-week can be ?")
        if dom != "?" and dow != "?":
            raise CronSyntaxError("day-of-month and day-of-week cannot both be specified; use ? in one of them")
        for name, text in (("minutes", minute), ("hours", hour), ("month", month), ("year", year)):
            if "?" in text:
                raise CronSyntaxError(f"? is only allowed in day-of-month or day-of-week, not in {name}")
        return cls(
            text=fields_text,
            minutes=_values(MINUTES, minute),
            hours=_values(HOURS, hour),
            day_of_month=None if dom == "?" else _day_of_month(dom),
            months=_values(MONTH, month),
            day_of_week=None if dow == "?" else _day_of_week(dow),
            years=_values(YEAR, year),
        )

    def days_in(self, year: int, month: int) -> list[int]:
        """The days of one month on which this expression runs."""
        rule = self.day_of_month if self.day_of_month is not None else self.day_of_week
        assert rule is not None  # parse() refuses `?` in both fields
        return sorted(rule.days_in(year, month))

    def next_local(self, after: datetime, *, inclusive: bool = False) -> datetime | None:
        """The first wall-clock minute after `after` (or at it, if `inclusive`) that matches; None if none.

        `after` is a wall-clock time; any time zone it carries is ignored.
        """
        wall = after.replace(tzinfo=None)
        start = wall.replace(second=0, microsecond=0)
        if start < wall or not inclusive:
            start += timedelta(minutes=1)
        return next(self._minutes_from(start), None)

    def _minutes_from(self, start: datetime) -> Iterator[datetime]:
        for year in self.years:
            if year < start.year:
                continue
            for month in self.months:
                if (year, month) < (start.year, start.month):
                    continue
                for day in self.days_in(year, month):
                    today = date(year, month, day)
                    if today < start.date():
                        continue
                    for hour in self.hours:
                        if today == start.date() and hour < start.hour:
                            continue
                        for minute in self.minutes:
                            moment = datetime(year, month, day, hour, minute)
                            if moment >= start:
                                yield moment
