"""Schedule expressions: rate, AWS six-field cron (with ? L W #), at, time zones, DST, and what AWS refuses."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter

from harness.scheduling.expressions import (
    AtExpression,
    CronSchedule,
    InvalidTimezone,
    RateExpression,
    ScheduleExpressionError,
    parse_rule_schedule_expression,
    parse_schedule_expression,
    parse_timezone,
)
from harness.scheduling.recurrence import Recurrence, wall_to_instant

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2025, 1, 1, tzinfo=UTC)


def runs(expression: str, after: datetime = START, count: int = 5, zone: str = "UTC", **bounds) -> list[str]:
    """The next `count` runs as wall-clock ISO times in `zone`."""
    recurrence = Recurrence(parse_schedule_expression(expression), ZoneInfo(zone), **bounds)
    found: list[str] = []
    moment = recurrence.first(after)
    while moment is not None and len(found) < count:
        found.append(moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %a"))
        moment = recurrence.after(moment)
    return found


# -- rate -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("rate(1 minute)", 60),
        ("rate(1 minutes)", 60),  # Scheduler takes either unit, whatever the value
        ("rate(5 minutes)", 300),
        ("rate(5 minute)", 300),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
        ("rate(7 days)", 604800),
    ],
)
def test_rate_periods(text, seconds):
    parsed = parse_schedule_expression(text)

    assert isinstance(parsed, RateExpression)
    assert parsed.period == timedelta(seconds=seconds)


def test_a_rate_schedule_starts_at_the_next_whole_minute_then_runs_every_period():
    created = datetime(2025, 1, 1, 10, 0, 27, tzinfo=UTC)

    assert runs("rate(5 minutes)", created, 3) == [
        "2025-01-01 10:01 Wed",
        "2025-01-01 10:06 Wed",
        "2025-01-01 10:11 Wed",
    ]


def test_a_rate_schedule_with_a_start_date_runs_at_the_start_and_every_period_after():
    start = datetime(2025, 1, 1, 12, 30, tzinfo=UTC)

    assert runs("rate(2 hours)", START, 3, start=start) == [
        "2025-01-01 12:30 Wed",
        "2025-01-01 14:30 Wed",
        "2025-01-01 16:30 Wed",
    ]


def test_a_start_date_in_the_past_keeps_its_phase():
    start = datetime(2025, 1, 1, 0, 3, tzinfo=UTC)

    assert runs("rate(10 minutes)", START + timedelta(minutes=20), 2, start=start) == [
        "2025-01-01 00:23 Wed",
        "2025-01-01 00:33 Wed",
    ]


def test_classic_rules_first_run_one_period_after_they_are_seen():
    recurrence = Recurrence(parse_rule_schedule_expression("rate(5 minutes)"), runs_at_start=False)

    assert recurrence.first(START + timedelta(seconds=30)) == START + timedelta(minutes=5, seconds=30)


def test_a_rate_in_days_is_24_hours_across_a_dst_change():
    before_spring = datetime(2025, 3, 8, 12, tzinfo=UTC)  # 07:00 in New York, the day before clocks go forward

    assert runs("rate(1 day)", before_spring, 3, "America/New_York", start=before_spring) == [
        "2025-03-08 07:00 Sat",
        "2025-03-09 08:00 Sun",
        "2025-03-10 08:00 Mon",
    ]


def test_the_end_date_stops_the_runs():
    assert runs("rate(1 hour)", START, 10, start=START, end=START + timedelta(hours=2)) == [
        "2025-01-01 00:00 Wed",
        "2025-01-01 01:00 Wed",
        "2025-01-01 02:00 Wed",
    ]


# -- cron -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cron(0 12 * * ? *)", ["2025-01-01 12:00 Wed", "2025-01-02 12:00 Thu", "2025-01-03 12:00 Fri"]),
        ("cron(15 10 ? * 6L *)", ["2025-01-31 10:15 Fri", "2025-02-28 10:15 Fri", "2025-03-28 10:15 Fri"]),
        ("cron(0 9 ? * FRIL *)", ["2025-01-31 09:00 Fri", "2025-02-28 09:00 Fri", "2025-03-28 09:00 Fri"]),
        ("cron(0 10 ? * 2#1 *)", ["2025-01-06 10:00 Mon", "2025-02-03 10:00 Mon", "2025-03-03 10:00 Mon"]),
        ("cron(0 10 ? * MON#3 *)", ["2025-01-20 10:00 Mon", "2025-02-17 10:00 Mon", "2025-03-17 10:00 Mon"]),
        ("cron(0 10 ? * 6#5 *)", ["2025-01-31 10:00 Fri", "2025-05-30 10:00 Fri", "2025-08-29 10:00 Fri"]),
        ("cron(0 8 L * ? *)", ["2025-01-31 08:00 Fri", "2025-02-28 08:00 Fri", "2025-03-31 08:00 Mon"]),
        ("cron(0 8 L-2 * ? *)", ["2025-01-29 08:00 Wed", "2025-02-26 08:00 Wed", "2025-03-29 08:00 Sat"]),
        ("cron(0 8 LW * ? *)", ["2025-01-31 08:00 Fri", "2025-02-28 08:00 Fri", "2025-03-31 08:00 Mon"]),
        ("cron(0 8 LW 5 ? *)", ["2025-05-30 08:00 Fri", "2026-05-29 08:00 Fri", "2027-05-31 08:00 Mon"]),
        # 15W: Saturday 15 Feb -> Friday 14th; Sunday 15 Jun -> Monday 16th
        ("cron(0 9 15W 2,3,6 ? *)", ["2025-02-14 09:00 Fri", "2025-03-14 09:00 Fri", "2025-06-16 09:00 Mon"]),
        # 1W on a Saturday moves forward to Monday the 3rd, never into the previous month
        ("cron(0 9 1W 2 ? *)", ["2025-02-03 09:00 Mon", "2026-02-02 09:00 Mon", "2027-02-01 09:00 Mon"]),
        # 31W on a Sunday moves back to Friday the 29th
        ("cron(0 9 31W 8 ? *)", ["2025-08-29 09:00 Fri", "2026-08-31 09:00 Mon", "2027-08-31 09:00 Tue"]),
        ("cron(0 18 ? * MON-FRI *)", ["2025-01-01 18:00 Wed", "2025-01-02 18:00 Thu", "2025-01-03 18:00 Fri"]),
        ("cron(0 18 ? * 1,7 *)", ["2025-01-04 18:00 Sat", "2025-01-05 18:00 Sun", "2025-01-11 18:00 Sat"]),
        ("cron(0 18 ? * L *)", ["2025-01-04 18:00 Sat", "2025-01-11 18:00 Sat", "2025-01-18 18:00 Sat"]),
        ("cron(0 0 ? * FRI-MON *)", ["2025-01-03 00:00 Fri", "2025-01-04 00:00 Sat", "2025-01-05 00:00 Sun"]),
        ("cron(0/20 23-1 * * ? *)", ["2025-01-01 00:00 Wed", "2025-01-01 00:20 Wed", "2025-01-01 00:40 Wed"]),
        ("cron(55-5/5 12 1 * ? *)", ["2025-01-01 12:00 Wed", "2025-01-01 12:05 Wed", "2025-01-01 12:55 Wed"]),
        ("cron(*/30 6 1,15 JAN-MAR ? *)", ["2025-01-01 06:00 Wed", "2025-01-01 06:30 Wed", "2025-01-15 06:00 Wed"]),
        ("cron(0 0 1 1/6 ? *)", ["2025-01-01 00:00 Wed", "2025-07-01 00:00 Tue", "2026-01-01 00:00 Thu"]),
        ("cron(0 12 29 2 ? *)", ["2028-02-29 12:00 Tue", "2032-02-29 12:00 Sun", "2036-02-29 12:00 Fri"]),
        ("cron(0 12 1 1 ? 2030-2031)", ["2030-01-01 12:00 Tue", "2031-01-01 12:00 Wed"]),
        ("cron(0 12 1 1 ? 2027/2)", ["2027-01-01 12:00 Fri", "2029-01-01 12:00 Mon", "2031-01-01 12:00 Wed"]),
        ("cron(0 12 31 2 ? *)", []),  # February never has a 31st
    ],
)
def test_cron_runs(expression, expected):
    assert runs(expression, START, 3) == expected


def test_cron_field_names_and_case_are_accepted():
    assert runs("cron(0 6 ? jan mon *)", START, 2) == ["2025-01-06 06:00 Mon", "2025-01-13 06:00 Mon"]


def test_a_cron_run_at_the_very_moment_of_creation_counts():
    assert runs("cron(0 12 * * ? *)", datetime(2025, 1, 1, 12, tzinfo=UTC), 1) == ["2025-01-01 12:00 Wed"]


def test_cron_with_a_start_date_waits_for_it():
    start = datetime(2025, 1, 10, 12, 30, tzinfo=UTC)

    assert runs("cron(0 12 * * ? *)", START, 2, start=start) == ["2025-01-11 12:00 Sat", "2025-01-12 12:00 Sun"]


def test_cron_runs_on_wall_clock_time_of_its_time_zone():
    assert runs("cron(0 9 * * ? *)", START, 2, "Asia/Tokyo") == ["2025-01-01 09:00 Wed", "2025-01-02 09:00 Thu"]
    first = Recurrence(parse_schedule_expression("cron(0 9 * * ? *)"), ZoneInfo("Asia/Tokyo")).first(START)
    assert first == datetime(2025, 1, 1, 0, tzinfo=UTC)  # 09:00 JST is midnight UTC


def test_spring_forward_skips_a_run_whose_wall_clock_time_does_not_exist():
    before = datetime(2025, 3, 7, tzinfo=UTC)

    assert runs("cron(30 2 * * ? *)", before, 4, "America/New_York") == [
        "2025-03-07 02:30 Fri",
        "2025-03-08 02:30 Sat",
        "2025-03-10 02:30 Mon",  # 02:30 on Sunday 9 March does not exist in New York
        "2025-03-11 02:30 Tue",
    ]


def test_fall_back_runs_a_repeated_wall_clock_time_only_once():
    before = datetime(2025, 11, 1, 12, tzinfo=UTC)
    recurrence = Recurrence(parse_schedule_expression("cron(0/30 1 * * ? *)"), NEW_YORK)

    first = recurrence.first(before)
    second = recurrence.after(first)
    third = recurrence.after(second)

    assert [t.astimezone(NEW_YORK).strftime("%d %H:%M %Z") for t in (first, second, third)] == [
        "02 01:00 EDT",
        "02 01:30 EDT",
        "03 01:00 EST",  # 01:00 and 01:30 EST on the 2nd repeat wall-clock times already run
    ]


def test_hourly_cron_across_fall_back_does_not_repeat_the_hour():
    before = datetime(2025, 11, 2, 4, tzinfo=UTC)  # 00:00 EDT

    assert runs("cron(0 * * * ? *)", before, 4, "America/New_York") == [
        "2025-11-02 00:00 Sun",
        "2025-11-02 01:00 Sun",
        "2025-11-02 02:00 Sun",
        "2025-11-02 03:00 Sun",
    ]


def test_wall_to_instant_marks_the_missing_hour_and_picks_the_first_of_a_repeated_one():
    assert wall_to_instant(datetime(2025, 3, 9, 2, 30), NEW_YORK) is None
    assert wall_to_instant(datetime(2025, 11, 2, 1, 30), NEW_YORK) == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)


def test_cron_agrees_with_croniter_on_the_syntax_both_understand():
    """croniter counts weekdays from 0; AWS from 1 (Sunday). Compare 15 runs of 300 random expressions."""
    chooser = random.Random(20250101)
    minutes = ["0", "*/15", "5,35", "10-20/5", "59", "0/20"]
    hours = ["*", "9", "0-23/6", "22-23", "3,15"]
    days = [("*", "?"), ("1", "?"), ("15", "?"), ("1-10/3", "?"), ("L", "?"), ("29", "?")]
    days += [("?", "*"), ("?", "MON-FRI"), ("?", "2"), ("?", "1,7"), ("?", "6#2"), ("?", "6L"), ("?", "2-4")]
    months = ["*", "JAN,JUL", "2", "*/3", "MAR-MAY"]
    for _ in range(300):
        dom, dow = chooser.choice(days)
        fields = f"{chooser.choice(minutes)} {chooser.choice(hours)} {dom} {chooser.choice(months)} {dow} *"
        after = START + timedelta(minutes=chooser.randrange(0, 60 * 24 * 365 * 2))
        recurrence = Recurrence(parse_schedule_expression(f"cron({fields})"))
        ours = [recurrence.first(after + timedelta(seconds=1))]
        while len(ours) < 15:
            ours.append(recurrence.after(ours[-1]))
        reference = croniter(_croniter_fields(fields), after)
        assert ours == [reference.get_next(datetime) for _ in range(15)], fields


def _croniter_fields(fields: str) -> str:
    minute, hour, dom, month, dow, _ = fields.split()
    if dow == "?":
        dow = "*"
    elif "#" in dow:
        weekday, nth = dow.split("#")
        dow = f"{int(weekday) - 1}#{nth}"
    elif dow.endswith("L"):
        dow = f"L{int(dow[:-1]) - 1}"
    elif dow[0].isdigit():
        dow = ",".join("-".join(str(int(n) - 1) for n in part.split("-")) for part in dow.split(","))
    return f"{minute} {hour} {'*' if dom == '?' else dom} {month} {dow}"


# -- at -------------------------------------------------------------------------------------------
def test_at_runs_once_at_its_wall_clock_time():
    parsed = parse_schedule_expression("at(2025-06-01T09:30:00)")

    assert isinstance(parsed, AtExpression)
    assert runs("at(2025-06-01T09:30:00)", START, 5, "Europe/Paris") == ["2025-06-01 09:30 Sun"]
    assert Recurrence(parsed, ZoneInfo("Europe/Paris")).first(START) == datetime(2025, 6, 1, 7, 30, tzinfo=UTC)


def test_at_in_the_past_never_runs_and_ignores_start_and_end_dates():
    assert runs("at(2024-12-31T23:59:59)", START) == []
    late = {"start": START + timedelta(days=30), "end": START + timedelta(days=31)}
    assert runs("at(2025-01-02T00:00:00)", START, **late) == ["2025-01-02 00:00 Thu"]


# -- what AWS refuses -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the expression is empty"),
        ("every 5 minutes", "an expression is at(...), rate(...) or cron(...)"),
        ("rate(5minutes)", "expected rate(value unit)"),
        ("rate(0 minutes)", "the value '0' must be a positive whole number"),
        ("rate(-5 minutes)", "the value '-5' must be a positive whole number"),
        ("rate(1.5 hours)", "the value '1.5' must be a positive whole number"),
        ("rate(5 weeks)", "the unit 'weeks' must be one of minute, minutes, hour, hours, day, days"),
        ("rate(5 minutes", "expected rate(value unit)"),
        ("at(2025-06-01 09:30:00)", "expected at(yyyy-mm-ddThh:mm:ss)"),
        ("at(2025-6-1T09:30:00)", "expected at(yyyy-mm-ddThh:mm:ss)"),
        ("at(2025-02-29T09:30:00)", "2025-02-29T09:30:00 is not a real date and time"),
        ("at(2025-01-01T24:00:00)", "is not a real date and time"),
        (
            "cron(0 12 * * ?)",
            "a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got 5",
        ),
        ("cron(0 12 * * ? * *)", "got 7"),
        ("cron 0 12 * * ? *", "an expression is"),
        ("cron(0 12 * * * *)", "day-of-month and day-of-week cannot both be specified; use ? in one of them"),
        ("cron(0 12 1 * MON *)", "day-of-month and day-of-week cannot both be specified"),
        ("cron(0 12 ? * ? *)", "only one of day-of-month and day-of-week can be ?"),
        ("cron(0 ? * * ? *)", "? is only allowed in day-of-month or day-of-week, not in hours"),
        ("cron(60 12 * * ? *)", "minutes value 60 is out of range 0-59"),
        ("cron(0 24 * * ? *)", "hours value 24 is out of range 0-23"),
        ("cron(0 12 32 * ? *)", "day-of-month value 32 is out of range 1-31"),
        ("cron(0 12 0 * ? *)", "day-of-month value 0 is out of range 1-31"),
        ("cron(0 12 * 13 ? *)", "month value 13 is out of range 1-12"),
        ("cron(0 12 ? * 8 *)", "day-of-week value 8 is out of range 1-7"),
        ("cron(0 12 ? * 0 *)", "day-of-week value 0 is out of range 1-7"),
        ("cron(0 12 * * ? 1969)", "year value 1969 is out of range 1970-2199"),
        ("cron(0 12 * * ? 2200)", "year value 2200 is out of range 1970-2199"),
        ("cron(0 12 * FOO ? *)", "month value 'FOO' in 'FOO' is not a number or one of JAN/FEB/MAR"),
        ("cron(0 12 ? * FUN *)", "day-of-week value 'FUN' in 'FUN' is not a number or one of SUN/MON"),
        ("cron(*/0 * * * ? *)", "step '0' in minutes item '*/0' must be a positive whole number"),
        ("cron(*/61 * * * ? *)", "step 61 in minutes item '*/61' is larger than the field's range 0-59"),
        ("cron(0 12 20-10 * ? *)", "day-of-month range '20-10' runs backwards"),
        ("cron(0 12 * * ? 2030-2025)", "year range '2030-2025' runs backwards"),
        ("cron(0 12 1,,15 * ? *)", "day-of-month item '' has no value"),
        ("cron(0 12 L,15 * ? *)", "L and W stand alone (L, LW, L-3, 15W), never in a list, range or step"),
        ("cron(0 12 1-15W * ? *)", "L and W stand alone"),
        ("cron(0 12 L-31 * ? *)", "the offset from the last day must be 1-30"),
        ("cron(0 12 32W * ? *)", "day-of-month value 32 is out of range 1-31"),
        ("cron(0 12 ? * 2#6 *)", "the week of the month after # must be 1-5"),
        ("cron(0 12 ? * 2#0 *)", "the week of the month after # must be 1-5"),
        ("cron(0 12 ? * 9#1 *)", "day-of-week value 9 is out of range 1-7"),
        ("cron(0 12 ? * 2#1,3 *)", "L and # stand alone (L, 6L, FRIL, 2#1), never in a list or range"),
        ("cron(0 12 ? * MON,L *)", "L and # stand alone"),
    ],
)
def test_expressions_aws_refuses_are_refused_with_the_reason(text, message):
    with pytest.raises(ScheduleExpressionError) as refused:
        parse_schedule_expression(text)

    assert message in str(refused.value)
    if text:
        assert str(refused.value).startswith(f"Invalid Schedule Expression {text!r}: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rate(1 minutes)", "a rate of 1 needs the singular unit 'minute'"),
        ("rate(1 hours)", "a rate of 1 needs the singular unit 'hour'"),
        ("rate(2 day)", "a rate of 2 needs the plural unit 'days'"),
        ("at(2030-01-01T00:00:00)", "an expression is rate(...) or cron(...)"),
        ("cron(0 12 * * * *)", "use ? in one of them"),
    ],
)
def test_classic_rules_refuse_what_eventbridge_refuses(text, message):
    with pytest.raises(ScheduleExpressionError) as refused:
        parse_rule_schedule_expression(text)

    assert str(refused.value).startswith(f"Parameter ScheduleExpression is not valid: {text!r}: ")
    assert message in str(refused.value)


def test_classic_rules_accept_rate_and_cron():
    assert isinstance(parse_rule_schedule_expression("rate(1 minute)"), RateExpression)
    assert isinstance(parse_rule_schedule_expression("rate(10 minutes)"), RateExpression)
    assert isinstance(parse_rule_schedule_expression("cron(0 20 * * ? *)"), CronSchedule)


# -- time zones -----------------------------------------------------------------------------------
def test_time_zones_are_iana_names_and_default_to_utc():
    assert parse_timezone(None) == ZoneInfo("UTC")
    assert parse_timezone("America/New_York") == NEW_YORK


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "GMT+25", "../etc/passwd", "Europe/"])
def test_unknown_time_zones_are_refused_by_name(name):
    expected = re.escape(f"Invalid ScheduleExpressionTimezone {name!r}: not an IANA time zone")
    with pytest.raises(InvalidTimezone, match=expected):
        parse_timezone(name)


def test_a_recurrence_refuses_naive_dates():
    with pytest.raises(ValueError, match="the start date of a recurrence must carry a time zone"):
        Recurrence(parse_schedule_expression("rate(1 hour)"), start=datetime(2025, 1, 1))
