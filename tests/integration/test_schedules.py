"""EventBridge Scheduler through the harness's API: checks at creation, states, dates, windows, groups, targets."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from harness.core import Harness
from harness.scheduling.flexible_window import flexible_delay
from provisioning.builders.schedules import Schedule, ScheduleGroup
from provisioning.stack import Stack
from tests.integration.schedule_helpers import (
    attributes,
    create_queue,
    gaps,
    receive_all,
    recorded_events,
    register_probe,
    schedule_request,
)


@pytest.fixture
def probe(harness) -> str:
    """A function that records the events it gets; its ARN."""
    return register_probe(harness, "Recorder")


def runs_of(harness, name: str, group: str = "default") -> list:
    return harness.scheduler.runs(name, group)


def unchecked_scheduler(harness):
    """A Scheduler client that sends whatever it is given, as other SDKs or a raw HTTP call would."""
    return harness.client("scheduler", config=Config(parameter_validation=False, retries={"max_attempts": 1}))


# -- refused when created -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ScheduleExpression": "cron(0 12 * * * *)"}, "day-of-month and day-of-week cannot both be specified"),
        ({"ScheduleExpression": "cron(0 12 * * ?)"}, "a cron expression has 6 fields"),
        ({"ScheduleExpression": "rate(0 minutes)"}, "must be a positive whole number"),
        ({"ScheduleExpression": "rate(5 fortnights)"}, "the unit 'fortnights' must be one of"),
        ({"ScheduleExpression": "at(2025-02-30T10:00:00)"}, "is not a real date and time"),
        ({"ScheduleExpression": "every 5 minutes"}, "an expression is at(...), rate(...) or cron(...)"),
        ({"ScheduleExpressionTimezone": "Mars/Olympus_Mons"}, "Invalid ScheduleExpressionTimezone 'Mars/Olympus_Mons'"),
        ({"FlexibleTimeWindow": {"Mode": "SOMETIMES"}}, "FlexibleTimeWindow.Mode 'SOMETIMES' must be OFF or FLEXIBLE"),
        ({"FlexibleTimeWindow": {"Mode": "FLEXIBLE"}}, "MaximumWindowInMinutes is required when Mode is FLEXIBLE"),
        (
            {"FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 1441}},
            "MaximumWindowInMinutes must be a whole number between 1 and 1440, got 1441",
        ),
        (
            {"Target": {"RetryPolicy": {"MaximumRetryAttempts": 186}}},
            "MaximumRetryAttempts must be a whole number between 0 and 185, got 186",
        ),
        (
            {"Target": {"RetryPolicy": {"MaximumEventAgeInSeconds": 59}}},
            "MaximumEventAgeInSeconds must be a whole number between 60 and 86400, got 59",
        ),
        ({"Target": {"Input": "not json"}}, "Target.Input must be well-formed JSON for a Lambda target"),
        ({"Target": {"DeadLetterConfig": {"Arn": "arn:aws:sns:us-east-1:123456789012:t"}}}, "not a standard SQS"),
        ({"Target": {"RoleArn": "LambdaLabRole"}}, "Target.RoleArn 'LambdaLabRole' is not an IAM role ARN"),
        ({"ActionAfterCompletion": "ARCHIVE"}, "ActionAfterCompletion 'ARCHIVE' must be NONE or DELETE"),
    ],
)
def test_what_aws_refuses_is_refused_at_creation_and_nothing_is_stored(harness, probe, change, message):
    request = schedule_request(harness, "Refused", "rate(5 minutes)", probe)
    for member, value in change.items():
        request[member] = {**request[member], **value} if member == "Target" else value
    scheduler = unchecked_scheduler(harness)  # what the harness refuses, not what botocore checks first

    with pytest.raises(ClientError) as refused:
        scheduler.create_schedule(**request)

    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert message in refused.value.response["Error"]["Message"]
    assert scheduler.list_schedules()["Schedules"] == []


def test_an_update_with_a_bad_expression_is_refused_and_the_schedule_keeps_running(harness, probe):
    scheduler = harness.client("scheduler")
    scheduler.create_schedule(**schedule_request(harness, "Steady", "rate(5 minutes)", probe))

    with pytest.raises(ClientError, match="Invalid Schedule Expression 'rate\\(5 minute\\)s'"):
        scheduler.update_schedule(**schedule_request(harness, "Steady", "rate(5 minute)s", probe))
    harness.advance(minutes=10)

    assert scheduler.get_schedule(Name="Steady")["ScheduleExpression"] == "rate(5 minutes)"
    assert len(runs_of(harness, "Steady")) == 2


def test_dates_aws_refuses_are_refused(harness, probe):
    now = harness.clock.now()
    scheduler = harness.client("scheduler")
    cases = [
        ({"StartDate": now - timedelta(minutes=10)}, "cannot be earlier than 5 minutes ago"),
        ({"EndDate": now - timedelta(minutes=1)}, "is in the past"),
        ({"StartDate": now + timedelta(hours=2), "EndDate": now + timedelta(hours=1)}, "must be later than StartDate"),
    ]
    for dates, message in cases:
        with pytest.raises(ClientError, match=message):
            scheduler.create_schedule(**schedule_request(harness, "Dated", "rate(5 minutes)", probe, **dates))


def test_targets_the_harness_cannot_deliver_to_are_refused_by_name(harness):
    arn = f"arn:aws:states:us-east-1:{harness.account.account_id}:stateMachine:Flow"

    with pytest.raises(
        ClientError, match="delivers schedules to Lambda functions, SQS queues and SNS topics, not to states"
    ):
        harness.client("scheduler").create_schedule(**schedule_request(harness, "Flow", "rate(5 minutes)", arn))


def test_a_handler_creating_a_schedule_with_plain_boto3_gets_the_same_checks(harness, probe):
    register_probe(harness, "Creator", "create_schedule")
    good = schedule_request(harness, "FromHandler", "rate(5 minutes)", probe)
    bad = schedule_request(harness, "FromHandlerBad", "cron(0 12 * * * *)", probe)

    created = harness.invoke("Creator", good).value()
    refused = harness.invoke("Creator", bad)
    harness.advance(minutes=5)

    assert created["arn"].endswith(":schedule/default/FromHandler")
    assert len(runs_of(harness, "FromHandler")) == 1
    assert refused.error is not None
    assert "ValidationException" in refused.error["errorMessage"]
    assert "day-of-month and day-of-week cannot both be specified" in refused.error["errorMessage"]
    assert runs_of(harness, "FromHandlerBad") == []


# -- states, dates, completion --------------------------------------------------------------------
def test_a_disabled_schedule_does_not_run_until_it_is_enabled(harness, probe):
    scheduler = harness.client("scheduler")
    request = schedule_request(harness, "Paused", "rate(5 minutes)", probe, State="DISABLED")
    scheduler.create_schedule(**request)

    harness.advance(minutes=30)
    assert runs_of(harness, "Paused") == []
    assert harness.scheduler.next_run("Paused") is None

    scheduler.update_schedule(**{**request, "State": "ENABLED"})
    harness.advance(minutes=10)
    assert len(runs_of(harness, "Paused")) == 2


def test_start_and_end_dates_bound_the_runs_and_delete_after_completion_removes_the_schedule(harness, probe):
    now = harness.clock.now().replace(microsecond=0)
    start, end = now + timedelta(minutes=30), now + timedelta(minutes=60)
    scheduler = harness.client("scheduler")
    scheduler.create_schedule(
        **schedule_request(
            harness,
            "Window",
            "rate(10 minutes)",
            probe,
            StartDate=start,
            EndDate=end,
            ActionAfterCompletion="DELETE",
        )
    )

    harness.advance(minutes=29)
    assert runs_of(harness, "Window") == []
    harness.advance(hours=2)

    times = [run.scheduled_time for run in runs_of(harness, "Window")]
    assert times == [start + timedelta(minutes=m) for m in (0, 10, 20, 30)]
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        scheduler.get_schedule(Name="Window")


def test_a_one_time_schedule_with_delete_after_completion_is_gone_after_it_ran(harness, probe):
    when = (harness.clock.now() + timedelta(minutes=3)).replace(microsecond=0)
    scheduler = harness.client("scheduler")
    scheduler.create_schedule(
        **schedule_request(
            harness,
            "Once",
            f"at({when:%Y-%m-%dT%H:%M:%S})",
            probe,
            ActionAfterCompletion="DELETE",
            Target={"Input": json.dumps({"job": "once"})},
        )
    )

    harness.advance(minutes=2)
    assert scheduler.get_schedule(Name="Once")["State"] == "ENABLED"
    harness.advance(minutes=2)

    assert recorded_events(harness, "Recorder") == [{"job": "once"}]
    assert scheduler.list_schedules()["Schedules"] == []


def test_a_one_time_schedule_runs_at_its_wall_clock_time_in_its_time_zone(harness, probe):
    zone = ZoneInfo("Asia/Kolkata")
    when = (harness.clock.now() + timedelta(hours=1)).astimezone(zone).replace(second=0, microsecond=0)
    harness.client("scheduler").create_schedule(
        **schedule_request(
            harness, "Local", f"at({when:%Y-%m-%dT%H:%M:%S})", probe, ScheduleExpressionTimezone="Asia/Kolkata"
        )
    )

    harness.advance(hours=2)

    [run] = runs_of(harness, "Local")
    assert run.scheduled_time == when.astimezone(UTC)


def test_a_cron_schedule_runs_at_its_wall_clock_time_in_its_time_zone(harness, probe):
    harness.client("scheduler").create_schedule(
        **schedule_request(harness, "Morning", "cron(30 9 * * ? *)", probe, ScheduleExpressionTimezone="Europe/Paris")
    )

    harness.advance(days=3)

    times = [run.scheduled_time.astimezone(ZoneInfo("Europe/Paris")) for run in runs_of(harness, "Morning")]
    assert len(times) == 3
    assert {(t.hour, t.minute) for t in times} == {(9, 30)}
    assert [(later.date() - earlier.date()).days for earlier, later in itertools.pairwise(times)] == [1, 1]


def test_scheduler_context_attributes_are_filled_into_the_input(harness, probe):
    template = {
        "schedule": "<aws.scheduler.schedule-arn>",
        "due": "<aws.scheduler.scheduled-time>",
        "execution": "<aws.scheduler.execution-id>",
        "attempt": "<aws.scheduler.attempt-number>",
    }
    created = harness.client("scheduler").create_schedule(
        **schedule_request(harness, "Context", "rate(5 minutes)", probe, Target={"Input": json.dumps(template)})
    )

    harness.advance(minutes=1)

    [run] = runs_of(harness, "Context")
    assert recorded_events(harness, "Recorder") == [
        {
            "schedule": created["ScheduleArn"],
            "due": run.scheduled_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "execution": run.execution_id,
            "attempt": "1",
        }
    ]


# -- flexible windows -----------------------------------------------------------------------------
def test_flexible_runs_land_inside_their_window_at_times_the_seed_decides(harness, probe):
    harness.scheduler.flexible_seed = 42
    created = harness.client("scheduler").create_schedule(
        **schedule_request(
            harness,
            "Flexible",
            "rate(30 minutes)",
            probe,
            FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},
        )
    )

    harness.advance(hours=3)

    runs = runs_of(harness, "Flexible")
    assert len(runs) == 6
    delays = [(run.attempts[0] - run.scheduled_time).total_seconds() for run in runs]
    assert all(0 <= delay < 15 * 60 for delay in delays)
    assert len(set(delays)) == len(delays)  # not all at the start of the window
    expected = [flexible_delay(42, created["ScheduleArn"], run.scheduled_time, 15) for run in runs]
    assert delays == pytest.approx(expected, abs=1e-3)
    assert gaps([run.scheduled_time for run in runs]) == [1800.0] * 5  # the window never shifts the schedule


# -- groups ---------------------------------------------------------------------------------------
def test_schedules_in_a_group_run_and_go_with_the_group(harness, probe):
    scheduler = harness.client("scheduler")
    scheduler.create_schedule_group(Name="nightly")
    scheduler.create_schedule(**schedule_request(harness, "Job", "rate(5 minutes)", probe, GroupName="nightly"))
    scheduler.create_schedule(**schedule_request(harness, "Job", "rate(10 minutes)", probe))

    harness.advance(minutes=10)
    assert len(runs_of(harness, "Job", "nightly")) == 2
    assert len(runs_of(harness, "Job")) == 1

    scheduler.delete_schedule_group(Name="nightly")
    harness.advance(minutes=20)

    assert len(runs_of(harness, "Job", "nightly")) == 2
    assert len(runs_of(harness, "Job")) == 3


def test_group_mistakes_are_refused_like_aws(harness, probe):
    scheduler = harness.client("scheduler")
    scheduler.create_schedule_group(Name="team")

    with pytest.raises(ClientError, match=r"ResourceNotFoundException.*Schedule group nowhere does not exist"):
        scheduler.create_schedule(**schedule_request(harness, "Lost", "rate(5 minutes)", probe, GroupName="nowhere"))
    with pytest.raises(ClientError, match=r"ConflictException.*Schedule group team already exists"):
        scheduler.create_schedule_group(Name="team")
    with pytest.raises(ClientError, match="The default schedule group cannot be deleted"):
        scheduler.delete_schedule_group(Name="default")


def test_a_stack_can_declare_a_group_and_a_schedule_in_it(harness):
    stack = Stack(
        "grouped",
        resources=[ScheduleGroup("reports")],
        functions=[],
        triggers=[],
    )
    harness.deploy(stack)
    register_probe(harness, "Reporter")
    harness.deploy(
        Stack(
            "grouped-schedule",
            triggers=[
                Schedule("Weekly", "cron(0 8 ? * MON *)", arn=harness.functions.arn("Reporter"), group="reports")
            ],
        )
    )

    harness.advance(days=7)

    [run] = runs_of(harness, "Weekly", "reports")
    assert run.scheduled_time.weekday() == 0
    assert (run.scheduled_time.hour, run.scheduled_time.minute) == (8, 0)


# -- other targets and dead letters ---------------------------------------------------------------
def test_a_queue_target_receives_the_input_as_the_message_body(harness):
    url, arn = create_queue(harness, "ScheduledJobs")
    harness.client("scheduler").create_schedule(
        **schedule_request(harness, "Enqueue", "rate(15 minutes)", arn, Target={"Input": "plain text works here"})
    )

    harness.advance(minutes=30)

    assert [message["Body"] for message in receive_all(harness, url)] == ["plain text works here"] * 2


def test_the_event_age_limit_ends_retries_before_the_attempts_run_out(harness):
    url, dlq = create_queue(harness, "AgedOut")
    missing = harness.functions.arn("NeverDeployed")
    harness.client("scheduler").create_schedule(
        **schedule_request(
            harness,
            "Aging",
            "rate(1 hour)",
            missing,
            Target={"RetryPolicy": {"MaximumEventAgeInSeconds": 120}, "DeadLetterConfig": {"Arn": dlq}},
        )
    )

    harness.advance(minutes=10)

    [run] = runs_of(harness, "Aging")
    assert run.status == "dead-lettered"
    assert gaps(run.attempts) == [60.0]  # the next retry would come 3 minutes after the first attempt
    [dead] = receive_all(harness, url)
    assert attributes(dead)["EXHAUSTED_RETRY_CONDITION"] == "MaximumEventAgeInSeconds"
    assert attributes(dead)["RETRY_ATTEMPTS"] == "1"


def test_a_run_with_no_dead_letter_queue_is_dropped_after_its_retries(harness):
    harness.client("scheduler").create_schedule(
        **schedule_request(
            harness,
            "Nowhere",
            "rate(1 hour)",
            harness.functions.arn("Gone"),
            Target={"RetryPolicy": {"MaximumRetryAttempts": 0}},
        )
    )

    harness.advance(minutes=5)

    [run] = runs_of(harness, "Nowhere")
    assert (run.status, len(run.attempts)) == ("dropped", 1)
    assert "ResourceNotFoundException" in run.error


def test_a_schedule_made_directly_on_the_backend_still_runs(harness, probe):
    backend_scheduler = harness.account.client("scheduler")  # skips the harness's API
    backend_scheduler.create_schedule(**schedule_request(harness, "Direct", "rate(5 minutes)", probe))
    harness.on_close(lambda: backend_scheduler.delete_schedule(Name="Direct"))

    harness.advance(minutes=10)

    assert len(runs_of(harness, "Direct")) == 2


def test_a_schedule_made_directly_on_the_backend_that_aws_would_refuse_is_reported_and_never_runs(harness, probe):
    backend_scheduler = harness.account.client("scheduler")
    backend_scheduler.create_schedule(**schedule_request(harness, "Broken", "cron(99 * * * ? *)", probe))
    harness.on_close(lambda: backend_scheduler.delete_schedule(Name="Broken"))

    harness.advance(hours=2)

    assert runs_of(harness, "Broken") == []
    assert any(
        "schedule default/Broken cannot run" in p and "minutes value 99" in p for p in harness.scheduler.problems
    )


def test_schedules_created_through_the_harness_are_removed_when_it_closes(aws_backend):
    with Harness(aws_backend) as harness:
        harness.ensure_lab_role()
        probe = register_probe(harness, "Recorder")
        scheduler = harness.client("scheduler")
        scheduler.create_schedule_group(Name="temporary")
        scheduler.create_schedule(**schedule_request(harness, "Left", "rate(5 minutes)", probe))
        scheduler.create_schedule(
            **schedule_request(harness, "LeftToo", "rate(5 minutes)", probe, GroupName="temporary")
        )
        backend = harness.account.client("scheduler")

    assert backend.list_schedules()["Schedules"] == []
    assert [group["Name"] for group in backend.list_schedule_groups()["ScheduleGroups"]] == ["default"]


def test_runs_are_told_apart_by_a_fresh_execution_id(harness, probe):
    harness.client("scheduler").create_schedule(**schedule_request(harness, "Ids", "rate(1 minute)", probe))

    harness.advance(minutes=5)

    ids = [run.execution_id for run in runs_of(harness, "Ids")]
    assert len(ids) == 5 == len(set(ids))


def test_the_clock_waits_for_a_run_so_that_lambdas_retries_land_inside_the_same_advance(harness):
    register_probe(harness, "Flaky", "always_fail")
    harness.client("scheduler").create_schedule(
        **schedule_request(harness, "Retrying", "rate(1 hour)", harness.functions.arn("Flaky"))
    )

    harness.advance(minutes=4)  # the run (within a minute), then Lambda's retries 1 and 2 minutes apart

    assert len(runs_of(harness, "Retrying")) == 1
    assert len(harness.logs("Flaky").invocations) == 3


def test_a_rate_no_date_can_hold_and_an_encoded_slash_in_a_name_are_refused(harness):
    """Nothing would ever run a rate of 10^20 days; a name with '/' is not a schedule name even encoded."""
    scheduler = harness.client("scheduler")
    arn = harness.functions.arn("Nope")
    with pytest.raises(ClientError, match="longer than a schedule can wait"):
        scheduler.create_schedule(**schedule_request(harness, "Forever", "rate(99999999999999999999 days)", arn))
    with pytest.raises(ClientError) as refused:
        scheduler.create_schedule(**schedule_request(harness, "a/b", "rate(5 minutes)", arn))
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert scheduler.list_schedules()["Schedules"] == []
