"""Pattern 10 end to end: HealthCheckEvery5Min -> DailyHealthCheck, on the harness's virtual clock."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from provisioning.stacks import scheduled_automation_stack, stream_processing_stack
from provisioning.stacks.scheduled_automation import FUNCTION, SCHEDULE
from tests.integration.schedule_helpers import (
    attributes,
    gaps,
    receive_all,
    register_probe,
    schedule_request,
)


def health_checks(harness) -> int:
    """How many times DailyHealthCheck ran."""
    return len(harness.logs(FUNCTION).invocations)


def test_advancing_fifteen_minutes_gives_exactly_three_health_checks(harness):
    harness.deploy(scheduled_automation_stack())
    harness.drain()
    assert health_checks(harness) == 0  # nothing runs until time moves

    harness.advance(minutes=15)

    assert health_checks(harness) == 3
    runs = harness.scheduler.runs(SCHEDULE)
    assert [run.status for run in runs] == ["delivered"] * 3
    assert gaps([run.scheduled_time for run in runs]) == [300.0, 300.0]
    assert len(harness.logs(FUNCTION).matching("[HEALTH CHECK] All systems nominal ✅")) == 3


def test_the_schedule_starts_within_a_minute_of_its_creation(harness):
    created = harness.clock.now()
    harness.deploy(scheduled_automation_stack())

    first = harness.scheduler.next_run(SCHEDULE)

    assert first is not None
    assert created < first <= created + timedelta(minutes=1)
    assert first.second == 0 and first.microsecond == 0  # Scheduler's one-minute precision


def test_the_schedule_is_stored_as_the_seed_configures_it(harness):
    harness.deploy(scheduled_automation_stack())

    schedule = harness.client("scheduler").get_schedule(Name=SCHEDULE)

    assert schedule["ScheduleExpression"] == "rate(5 minutes)"
    assert schedule["State"] == "ENABLED"
    assert schedule["Target"]["Arn"] == harness.functions.arn(FUNCTION)
    assert schedule["Target"]["RetryPolicy"] == {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600}


def test_a_one_time_schedule_two_minutes_ahead_fires_exactly_once_and_never_again(harness):
    harness.deploy(scheduled_automation_stack())
    when = (harness.clock.now() + timedelta(minutes=2)).replace(microsecond=0)
    harness.client("scheduler").create_schedule(
        **schedule_request(harness, "HealthCheckOnce", f"at({when:%Y-%m-%dT%H:%M:%S})", harness.functions.arn(FUNCTION))
    )

    harness.advance(minutes=1)
    assert harness.scheduler.runs("HealthCheckOnce") == []

    harness.advance(minutes=1)
    once = harness.scheduler.runs("HealthCheckOnce")
    assert [(run.scheduled_time, run.status) for run in once] == [(when, "delivered")]

    harness.advance(hours=2)
    assert len(harness.scheduler.runs("HealthCheckOnce")) == 1
    assert harness.scheduler.next_run("HealthCheckOnce") is None
    recurring = len(harness.scheduler.runs(SCHEDULE))
    assert health_checks(harness) == recurring + 1


def test_a_rate_of_one_minute_gives_three_consecutive_runs_in_three_minutes_and_deleting_stops_it(harness):
    harness.deploy(scheduled_automation_stack())
    harness.advance(minutes=5)
    scheduler = harness.client("scheduler")
    current = scheduler.get_schedule(Name=SCHEDULE)

    scheduler.update_schedule(
        Name=SCHEDULE,
        ScheduleExpression="rate(1 minute)",
        FlexibleTimeWindow=current["FlexibleTimeWindow"],
        Target=current["Target"],
    )
    before = len(harness.scheduler.runs(SCHEDULE))
    harness.advance(minutes=3)

    after_update = harness.scheduler.runs(SCHEDULE)[before:]
    assert len(after_update) == 3
    assert gaps([run.scheduled_time for run in after_update]) == [60.0, 60.0]
    assert all(run.status == "delivered" for run in after_update)

    scheduler.delete_schedule(Name=SCHEDULE)
    invoked = health_checks(harness)
    harness.advance(minutes=10)

    assert health_checks(harness) == invoked
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        scheduler.get_schedule(Name=SCHEDULE)


def test_a_target_that_cannot_be_invoked_is_retried_twice_then_lands_in_the_dead_letter_queue(harness):
    harness.deploy(scheduled_automation_stack(dead_letter_queue="HealthCheckDLQ"))
    harness.functions.remove(FUNCTION)  # the function is deleted: every Invoke fails with ResourceNotFoundException

    harness.advance(minutes=4)  # the first run, at most a minute in, and its retries one and three minutes later

    [run] = harness.scheduler.runs(SCHEDULE)
    assert run.status == "dead-lettered"
    assert gaps(run.attempts) == [60.0, 120.0]
    sqs = harness.client("sqs")
    [dead] = receive_all(harness, sqs.get_queue_url(QueueName="HealthCheckDLQ")["QueueUrl"])
    assert dead["Body"] == "{}"
    assert attributes(dead) == {
        "ERROR_CODE": "ResourceNotFoundException",
        "ERROR_MESSAGE": f"Function not found: {harness.functions.arn(FUNCTION)}",
        "EXECUTION_ID": run.execution_id,
        "EXHAUSTED_RETRY_CONDITION": "MaximumRetryAttempts",
        "IS_PAYLOAD_TRUNCATED": "false",
        "RETRY_ATTEMPTS": "2",
        "SCHEDULED_TIME": run.scheduled_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "SCHEDULE_ARN": harness.client("scheduler").get_schedule(Name=SCHEDULE)["Arn"],
        "TARGET_ARN": harness.functions.arn(FUNCTION),
    }


def test_a_failing_handler_is_retried_by_lambda_not_by_the_schedule(harness):
    harness.deploy(scheduled_automation_stack(dead_letter_queue="HealthCheckDLQ"))
    failing = register_probe(harness, "FailingCheck", "always_fail")
    dlq_arn = harness.client("sqs").get_queue_attributes(
        QueueUrl=harness.client("sqs").get_queue_url(QueueName="HealthCheckDLQ")["QueueUrl"], AttributeNames=["All"]
    )["Attributes"]["QueueArn"]
    harness.client("scheduler").create_schedule(
        **schedule_request(
            harness,
            "FailingEvery10",
            "rate(10 minutes)",
            failing,
            Target={"RetryPolicy": {"MaximumRetryAttempts": 2}, "DeadLetterConfig": {"Arn": dlq_arn}},
        )
    )

    harness.advance(minutes=5)

    [run] = harness.scheduler.runs("FailingEvery10")
    assert run.status == "delivered"  # Lambda accepted the asynchronous invocation
    failures = harness.logs("FailingCheck").invocations
    assert len(failures) == 3  # the first attempt and Lambda's two asynchronous retries, 1 and 2 minutes apart
    assert all("HealthCheckFailed" in log.text for log in failures)
    assert receive_all(harness, harness.client("sqs").get_queue_url(QueueName="HealthCheckDLQ")["QueueUrl"]) == []


def test_the_health_check_counts_what_was_provisioned(harness):
    harness.deploy(stream_processing_stack())
    harness.deploy(scheduled_automation_stack())
    provisioned_functions = sorted(f.spec.name for f in harness.functions.all())
    provisioned_tables = harness.client("dynamodb").list_tables()["TableNames"]

    harness.advance(minutes=1)
    scheduled = harness.logs(FUNCTION)
    direct = harness.invoke(FUNCTION).value()

    assert direct["lambdaCount"] == len(provisioned_functions) == 3
    assert direct["tableCount"] == len(provisioned_tables) == 1
    assert scheduled.contains("Found 3 Lambda functions active")
    assert scheduled.contains(f"Functions: {', '.join(provisioned_functions)}")
    assert scheduled.contains("Found 1 DynamoDB tables: ['SensorMetrics']")


def test_destroying_the_stack_deletes_the_schedule_and_stops_it(harness):
    stack = harness.deploy(scheduled_automation_stack())
    harness.advance(minutes=5)
    logs = harness.logs(FUNCTION)  # kept: the function goes with the stack
    ran = len(logs.invocations)

    stack.destroy()
    harness.advance(minutes=30)

    assert len(logs.invocations) == ran
    assert len(harness.scheduler.runs(SCHEDULE)) == ran
    assert harness.client("scheduler").list_schedules()["Schedules"] == []


def test_the_schedule_reaches_the_function_with_an_empty_event_unless_an_input_is_set(harness):
    harness.deploy(scheduled_automation_stack())
    probe = register_probe(harness, "Recorder")
    harness.client("scheduler").create_schedule(
        **schedule_request(harness, "WithInput", "rate(5 minutes)", probe, Target={"Input": json.dumps({"deep": 1})})
    )
    harness.client("scheduler").create_schedule(**schedule_request(harness, "WithoutInput", "rate(5 minutes)", probe))

    harness.advance(minutes=1)

    events = [line.split(" ", 1)[1] for line in harness.logs("Recorder").matching("EVENT ")]
    assert sorted(events) == ['{"deep": 1}', "{}"]
