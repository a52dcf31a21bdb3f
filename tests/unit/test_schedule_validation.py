"""CreateSchedule / UpdateSchedule checks: each refusal names the member and the value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from harness.scheduling.validation import ScheduleValidationError, validate_name, validate_schedule_request

NOW = datetime(2025, 1, 1, 12, tzinfo=UTC)
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:Job"
ROLE = "arn:aws:iam::123456789012:role/SchedulerRole"


def request(**changes) -> dict:
    body = {
        "ScheduleExpression": "rate(5 minutes)",
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": FUNCTION, "RoleArn": ROLE},
    }
    target = changes.pop("Target", {})
    body.update(changes)
    body["Target"] = {**body["Target"], **target}
    return {key: value for key, value in body.items() if value is not None}


def refusal(body: dict, name: str = "Job", now: datetime | None = NOW) -> str:
    with pytest.raises(ScheduleValidationError) as refused:
        validate_schedule_request(name, body, now)
    return str(refused.value)


def test_a_complete_request_passes():
    validate_schedule_request(
        "Job",
        request(
            ScheduleExpressionTimezone="Europe/Paris",
            FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},
            Target={
                "Input": '{"a": 1}',
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
                "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"},
            },
            State="DISABLED",
            ActionAfterCompletion="DELETE",
            StartDate=(NOW + timedelta(hours=1)).timestamp(),
            EndDate=(NOW + timedelta(days=1)).isoformat(),
        ),
        NOW,
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (request(ScheduleExpression=None), "ScheduleExpression is required"),
        (request(FlexibleTimeWindow=None), "FlexibleTimeWindow is required"),
        (request() | {"Target": None}, "Target is required, with at least Arn and RoleArn"),
        (request(Target={"Arn": ""}), "Target.Arn is required"),
        (request(Target={"RoleArn": ""}), "Target.RoleArn is required"),
        (request(Target={"Arn": "queue-name"}), "Target.Arn 'queue-name': the harness delivers schedules to Lambda"),
        (
            request(Target={"Arn": "arn:aws:scheduler:::aws-sdk:sqs:sendMessage"}),
            "not to scheduler targets",
        ),
        (request(Target={"RetryPolicy": {"MaximumRetryAttempts": True}}), "got True"),
        (request(Target={"RetryPolicy": {"MaximumRetryAttempts": "2"}}), "got '2'"),
        (request(Target={"Input": "{"}), "Target.Input must be well-formed JSON for a Lambda target"),
        (request(State="PAUSED"), "State 'PAUSED' must be ENABLED or DISABLED"),
        (request(Description="x" * 513), "Description must be at most 512 characters"),
        (request(GroupName="no spaces"), "GroupName 'no spaces' must be 1-64 letters"),
        (request(StartDate="yesterday"), "StartDate 'yesterday' is not a date"),
    ],
)
def test_refusals_name_the_member(body, message):
    assert message in refusal(body)


def test_names_follow_the_api_pattern():
    assert "Name 'a/b' must be 1-64 letters, digits, '-', '_' or '.'" in refusal(request(), name="a/b")
    with pytest.raises(ScheduleValidationError, match="must be 1-64"):
        validate_name("Name", "x" * 65)


def test_an_sqs_target_takes_any_text_as_input():
    validate_schedule_request(
        "Job", request(Target={"Arn": "arn:aws:sqs:us-east-1:123456789012:jobs", "Input": "plain text"}), NOW
    )


def test_dates_are_checked_against_now_and_each_other():
    assert "cannot be earlier than 5 minutes ago" in refusal(
        request(StartDate=(NOW - timedelta(minutes=6)).timestamp())
    )
    validate_schedule_request("Job", request(StartDate=(NOW - timedelta(minutes=4)).timestamp()), NOW)
    assert "is in the past" in refusal(request(EndDate=NOW.timestamp()))
    later_start = request(
        StartDate=(NOW + timedelta(days=2)).timestamp(), EndDate=(NOW + timedelta(days=1)).timestamp()
    )
    assert "must be later than StartDate" in refusal(later_start)
    assert "must be later than StartDate" in refusal(later_start, now=None)


def test_a_one_time_schedule_ignores_its_dates():
    validate_schedule_request(
        "Once",
        request(ScheduleExpression="at(2025-01-02T00:00:00)", EndDate=(NOW - timedelta(days=9)).timestamp()),
        NOW,
    )


def test_without_now_dates_are_not_compared_with_the_clock():
    validate_schedule_request("Job", request(EndDate=datetime(2000, 1, 1, tzinfo=UTC)), None)
