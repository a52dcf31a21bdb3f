"""Schedule, ScheduleGroup and ScheduledRule refuse what AWS would refuse when they are declared."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harness.functions.spec import FunctionSpec
from provisioning.builders.rules import Target
from provisioning.builders.schedules import Schedule, ScheduledRule, ScheduleGroup
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack

FUNCTION = FunctionSpec("Job", "tests.handlers.schedule_probes.record_event")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expression": "rate(0 minutes)"}, "schedule Nightly: Invalid Schedule Expression 'rate(0 minutes)'"),
        ({"expression": "cron(0 2 * * * *)"}, "use ? in one of them"),
        ({"timezone": "Atlantis/Capital"}, "Invalid ScheduleExpressionTimezone 'Atlantis/Capital'"),
        ({"flexible_window_minutes": 0}, "MaximumWindowInMinutes must be a whole number between 1 and 1440, got 0"),
        ({"maximum_retry_attempts": 186}, "MaximumRetryAttempts must be a whole number between 0 and 185, got 186"),
        ({"maximum_event_age_seconds": 30}, "MaximumEventAgeInSeconds must be a whole number between 60 and 86400"),
        ({"input": "{not json"}, "Target.Input must be well-formed JSON for a Lambda target"),
        ({"group": "has space"}, "GroupName 'has space' must be 1-64 letters"),
        ({"dead_letter_queue": "arn:aws:sns:us-east-1:123456789012:topic"}, "is not a standard SQS queue ARN"),
        (
            {"start": datetime(2030, 1, 2, tzinfo=UTC), "end": datetime(2030, 1, 1, tzinfo=UTC)},
            "must be later than StartDate",
        ),
        ({"function": None}, "name a function or give a target ARN, exactly one of them"),
        ({"arn": "arn:aws:sqs:us-east-1:123456789012:q"}, "name a function or give a target ARN, exactly one of them"),
    ],
)
def test_a_schedule_aws_would_refuse_is_refused_when_declared(kwargs, message):
    arguments = {"name": "Nightly", "expression": "cron(0 2 * * ? *)", "function": "Job", **kwargs}

    with pytest.raises(ValueError) as refused:
        Schedule(**arguments)

    assert message in str(refused.value)


def test_a_schedule_builds_the_create_schedule_request():
    schedule = Schedule(
        "Nightly",
        "cron(0 2 * * ? *)",
        function="Job",
        input={"mode": "full"},
        timezone="Europe/Paris",
        flexible_window_minutes=10,
        maximum_retry_attempts=2,
        maximum_event_age_seconds=3600,
        delete_after_completion=True,
    )

    request = schedule.request("arn:aws:lambda:us-east-1:123456789012:function:Job", None, "123456789012")

    assert request == {
        "Name": "Nightly",
        "GroupName": "default",
        "ScheduleExpression": "cron(0 2 * * ? *)",
        "ScheduleExpressionTimezone": "Europe/Paris",
        "FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 10},
        "Target": {
            "Arn": "arn:aws:lambda:us-east-1:123456789012:function:Job",
            "RoleArn": "arn:aws:iam::123456789012:role/LambdaLabRole",
            "Input": '{"mode": "full"}',
            "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
        },
        "State": "ENABLED",
        "ActionAfterCompletion": "DELETE",
    }


def test_a_stack_refuses_a_schedule_whose_function_or_queue_it_does_not_declare():
    with pytest.raises(ValueError, match="schedule Nightly targets unknown function 'Other'"):
        Stack("s", functions=[FUNCTION], triggers=[Schedule("Nightly", "rate(1 day)", function="Other")])
    with pytest.raises(ValueError, match="schedule Nightly names dead-letter queue 'DLQ', which the stack does not"):
        Stack(
            "s",
            functions=[FUNCTION],
            triggers=[Schedule("Nightly", "rate(1 day)", function="Job", dead_letter_queue="DLQ")],
        )
    Stack(
        "s",
        resources=[Queue("DLQ")],
        functions=[FUNCTION],
        triggers=[Schedule("Nightly", "rate(1 day)", function="Job", dead_letter_queue="DLQ")],
    )


def test_schedule_groups_are_named_like_aws_and_the_default_one_is_not_declared():
    with pytest.raises(ValueError, match="schedule group name 'a b' must be 1-64"):
        ScheduleGroup("a b")
    with pytest.raises(ValueError, match="the default schedule group always exists"):
        ScheduleGroup("default")


def test_scheduled_rules_need_one_to_five_distinct_targets():
    with pytest.raises(ValueError, match="scheduled rule Tick: needs 1 to 5 targets, got 0"):
        ScheduledRule("Tick", "rate(1 minute)")
    with pytest.raises(ValueError, match="needs 1 to 5 targets, got 6"):
        ScheduledRule("Tick", "rate(1 minute)", targets=[Target("Job", id=f"t{n}") for n in range(6)])
    with pytest.raises(ValueError, match=r"target ids \['Job'\] are used more than once"):
        ScheduledRule("Tick", "rate(1 minute)", targets=[Target("Job"), Target("Job")])
    with pytest.raises(ValueError, match="rule name 'a/b' must be 1-64"):
        ScheduledRule("a/b", "rate(1 minute)", targets=[Target("Job")])
